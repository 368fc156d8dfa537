"""Files that appear whole: written beside their target, flushed to disk, renamed over it."""

from __future__ import annotations

import os
from pathlib import Path


def new_file_mode() -> int:
    """The permissions a newly created file gets here (0644 under the usual umask 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def publish(tmp, target) -> Path:
    """Make the finished file ``tmp`` the file ``target``, whole or not at all.

    ``tmp`` (in ``target``'s folder, as ``tempfile.mkstemp`` makes it) is flushed to the
    disk (fsync), given the permissions a new file gets (``mkstemp`` creates 0600, which
    a class sharing a data folder could not read) and renamed over ``target``: a crash
    leaves the old file or the new one, never an empty or partial one.
    """
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.chmod(tmp, new_file_mode())
    os.replace(tmp, target)
    return Path(target)
