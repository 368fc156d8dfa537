"""Files that appear whole: written beside their target, flushed to disk, renamed over it.

Every file minae writes (a model, a checkpoint, a downloaded or installed data file)
goes through here, so a crash or an interrupted write leaves the old file or the new
one under the final name, never an empty or partial one.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def new_file_mode() -> int:
    """The permissions a newly created file gets here (0644 under the usual umask 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def publish(tmp, target) -> Path:
    """Make the finished file ``tmp`` the file ``target``, whole or not at all.

    ``tmp`` (in ``target``'s folder, as ``temporary_beside`` makes it) is flushed to the
    disk (fsync), given the permissions a new file gets (``mkstemp`` creates 0600, which
    a class sharing a data folder could not read) and renamed over ``target``.
    """
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.chmod(tmp, new_file_mode())
    replace_retrying(tmp, target)
    return Path(target)


def replace_retrying(source, target, attempts: int = 10, wait: float = 0.05) -> None:
    """``os.replace``, tried again for about two seconds while it raises PermissionError.

    On Windows a rename over a file fails while another program holds that file open for
    a moment (a virus scanner, the search indexer, a backup tool); it succeeds once the
    file is let go. Elsewhere the first try succeeds or fails for good.
    """
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(wait * (attempt + 1))  # 0.05 s, 0.1 s, ...: about 2.25 s in all


class temporary_beside:
    """A temporary path in ``target``'s folder, removed on exit unless published.

    ``with temporary_beside(target) as tmp: ...write tmp...; publish(tmp, target)``
    """

    def __init__(self, target, suffix: str = ".tmp"):
        target = Path(target)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
        os.close(fd)
        self.path = Path(name)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc) -> None:
        self.path.unlink(missing_ok=True)


def write_atomically(target, write: Callable) -> Path:
    """Call ``write(f)`` on a new binary file beside ``target``, then publish it there."""
    target = Path(target)
    with temporary_beside(target) as tmp:
        with open(tmp, "wb") as f:
            write(f)
        publish(tmp, target)
    return target
