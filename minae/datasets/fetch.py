"""Fetch MNIST, Fashion-MNIST or CIFAR-10: download with checksums, or install from a
local folder.

    python -m minae.datasets.fetch mnist                  # download into $MINAE_DATA/mnist
    python -m minae.datasets.fetch mnist --from ~/copies  # install from a local folder
    python -m minae.datasets.fetch cifar10                # the binary release (see fetch_cifar10)

Every file lands under its final name only once it is complete and checked (it is
written to a temporary file beside it and renamed), so an interrupted run leaves no
partial file behind. A file already present with the published checksum is skipped.
With ``--from``, each file's IDX header, shape and counts are validated, and whether its
checksum matches the published one is reported, never silently accepted; ``--strict``
refuses files whose checksum differs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..infrastructure.console import printable_stdout
from ..infrastructure.files import publish, temporary_beside
from .download import FetchError, FileReport, md5sum, stream
from .fetch_cifar10 import fetch_cifar10
from .idx import IdxFormatError, read_idx
from .mnist_format import check_images, check_labels
from .sources import SOURCES, DataSource, data_root

__all__ = ["FetchError", "FileReport", "fetch", "main", "md5sum", "validate"]


def validate(path, source: DataSource, split: str, kind: str) -> str:
    """Check ``path`` is a well-formed IDX file of ``kind`` for ``split``; describe it."""
    array = read_idx(path)
    expected = dict(source.counts)[split]
    (check_images if kind == "images" else check_labels)(array, Path(path).name)
    if array.shape[0] != expected:
        raise IdxFormatError(
            f"{Path(path).name}: {array.shape[0]} {kind}, expected {expected} for the {split} split"
        )
    shape = "x".join(str(d) for d in array.shape[1:])
    return f"valid IDX: {array.shape[0]} {kind}" + (f" of {shape}" if shape else "")


def fetch(
    source: DataSource, dest=None, from_dir=None, *, strict: bool = False, progress: bool = True
) -> list[FileReport]:
    """Download ``source``'s four files into ``dest`` (or install them from ``from_dir``).

    ``dest`` defaults to ``$MINAE_DATA/<name>`` or the user cache. Returns one report per
    file; raises ``FetchError`` when a file cannot be had (nothing is left half-written).
    """
    dest = Path(dest) if dest is not None else data_root() / source.name
    if from_dir is not None and not Path(from_dir).is_dir():
        raise FetchError(f"the --from folder {from_dir} does not exist (or is not a folder)")
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    reports = []
    try:
        for split, kind, filename in source.files():
            if from_dir is None:
                reports.append(_download(source, split, kind, filename, dest, progress))
            else:
                reports.append(
                    _install(source, split, kind, filename, Path(from_dir), dest, strict)
                )
    except BaseException:
        if created and not any(dest.iterdir()):
            dest.rmdir()  # leave no empty folder behind
        raise
    return reports


def _download(source, split, kind, filename, dest: Path, progress) -> FileReport:
    target, md5 = dest / filename, source.md5[filename]
    if target.is_file() and md5sum(target) == md5:
        return FileReport(filename, "already present", True, validate(target, source, split, kind))
    failures = []
    for mirror in source.mirrors:
        url = mirror + filename
        try:
            with temporary_beside(target, ".part") as tmp:
                stream(url, tmp, progress, filename)
                got = md5sum(tmp)
                if got != md5:
                    raise FetchError(f"checksum {got} is not the published {md5}")
                detail = validate(tmp, source, split, kind)
                publish(tmp, target)
            return FileReport(filename, f"downloaded from {mirror}", True, detail)
        except (OSError, FetchError, IdxFormatError) as err:
            failures.append(f"{url}: {err}")
    raise FetchError(f"could not download {filename}:\n  " + "\n  ".join(failures))


def _install(source, split, kind, filename, from_dir: Path, dest: Path, strict) -> FileReport:
    """Install ``filename`` from ``from_dir``: the published .gz, or the uncompressed IDX
    file the loader reads as well (whose checksum cannot be compared with the .gz's)."""
    origin = from_dir / filename
    if not origin.is_file() and (from_dir / filename.removesuffix(".gz")).is_file():
        origin = from_dir / filename.removesuffix(".gz")
    if not origin.is_file():
        raise FetchError(f"neither {filename} nor {filename.removesuffix('.gz')} is in {from_dir}")
    detail = validate(origin, source, split, kind)
    got = md5sum(origin)
    published = source.md5[filename]
    compressed = origin.name == filename
    matches = compressed and got == published
    if not matches and strict:
        why = "checksum " + got if compressed else "an uncompressed copy, whose checksum"
        raise FetchError(f"{origin}: {why} is not the published {published} (--strict)")
    if not compressed:
        detail += " (uncompressed: the published MD5 is the .gz's, not compared)"
    elif not matches:
        detail += f" (MD5 {got}; published {published})"
    target = dest / origin.name
    if target.is_file() and md5sum(target) == got:
        return FileReport(origin.name, "already present", matches, detail)
    with temporary_beside(target, ".part") as tmp:
        shutil.copyfile(origin, tmp)
        publish(tmp, target)
    return FileReport(origin.name, f"installed from {from_dir}", matches, detail)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="fetch_data",
        description="Fetch MNIST or Fashion-MNIST as IDX files, or CIFAR-10's binary "
        "release, checked.",
    )
    parser.add_argument("dataset", choices=[*sorted(SOURCES), "cifar10"])
    parser.add_argument("--dest", help="folder to write to (default: $MINAE_DATA/<dataset>)")
    parser.add_argument("--from", dest="from_dir", help="install from this local folder")
    parser.add_argument("--strict", action="store_true", help="refuse checksum mismatches")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    printable_stdout()
    try:
        if args.dataset == "cifar10":
            reports = fetch_cifar10(
                args.dest, args.from_dir, strict=args.strict, progress=not args.quiet
            )
        else:
            reports = fetch(
                SOURCES[args.dataset],
                args.dest,
                args.from_dir,
                strict=args.strict,
                progress=not args.quiet,
            )
    except (FetchError, IdxFormatError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for report in reports:
        print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
