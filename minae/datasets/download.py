"""What every fetcher shares: checksums, streaming a URL to a file, the report per file.

``fetch.py`` (the IDX data sets) and ``fetch_cifar10.py`` both build on this; neither
imports the other's internals.
"""

from __future__ import annotations

import hashlib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

CHUNK = 1 << 16


class FetchError(RuntimeError):
    """A file could not be fetched or installed."""


@dataclass(frozen=True)
class FileReport:
    """What happened to one file: ``action`` (downloaded, installed, present) and checks.

    ``checksum_matches`` is None where there is no published checksum to compare with
    (CIFAR-10's extracted .bin files: only their archive has one).
    """

    filename: str
    action: str
    checksum_matches: bool | None
    detail: str

    def __str__(self) -> str:
        checksum = (
            "checksum matches"
            if self.checksum_matches
            else (
                "checksum differs from the published one, but the file passed every check of "
                "its contents: a repacked or reordered copy reads the same (--strict refuses it)"
            )
        )
        if self.checksum_matches is None:
            checksum = "no published checksum (size and labels checked)"
        return f"{self.filename}: {self.action}; {checksum}; {self.detail}"


def md5sum(path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stream(url: str, path: Path, progress: bool, label: str) -> None:
    """Write what ``url`` serves to ``path``, with a progress bar in bytes."""
    with urllib.request.urlopen(url, timeout=30) as response, open(path, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tqdm(total=total, unit="B", unit_scale=True, desc=label, disable=not progress) as bar:
            for chunk in iter(lambda: response.read(CHUNK), b""):
                out.write(chunk)
                bar.update(len(chunk))


def offline_help(err: FetchError, name: str) -> FetchError:
    """``err`` from a loader's ``download=True``, told the other way round: what to do
    first (point ``MINAE_DATA`` at a folder that holds the files, or install them from
    one; on macOS, let Python reach the certificates), then what was tried. Raised
    ``from None`` by the loaders, so a notebook shows this message, not a chain."""
    hint = ""
    if "CERTIFICATE_VERIFY_FAILED" in str(err):
        hint = (
            "On macOS with Python from python.org, run 'Install Certificates.command' "
            "in the Python folder under Applications once, then try again.\n"
        )
    offline = " (no internet here?)" if "urlopen error" in str(err) else ""
    return FetchError(
        f"{name} could not be downloaded{offline}. {hint}If a folder holds its "
        f"files, point MINAE_DATA at it before Python starts (export MINAE_DATA=FOLDER; "
        f"in a notebook, os.environ['MINAE_DATA'] = 'FOLDER' before loading), or install "
        f"them from it:\n    python -m minae.datasets.fetch {name} --from FOLDER\n"
        f"What was tried: {err}"
    )
