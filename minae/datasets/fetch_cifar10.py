"""Fetch CIFAR-10's binary release: download the archive with its checksum, or install
from a local folder holding the archive or the extracted .bin files.

    python -m minae.datasets.fetch cifar10                   # download into $MINAE_DATA/cifar10
    python -m minae.datasets.fetch cifar10 --from ~/copies   # the .tar.gz or the .bin files

Only the six .bin files are taken out of the archive, by their expected names (nothing
else in it is extracted, and no path in it can point outside the target folder). Each is
checked (size, labels), written beside its target and renamed into place whole.
"""

from __future__ import annotations

import shutil
import tarfile
import zlib
from pathlib import Path

from ..infrastructure.files import publish, temporary_beside
from .cifar10_format import CIFAR10, CifarSource, read_cifar_file
from .download import FetchError, FileReport, md5sum, stream
from .sources import data_root


def _describe(path, source: CifarSource) -> str:
    images, _ = read_cifar_file(path, source)
    return f"valid: {images.shape[0]:,} images of {'x'.join(map(str, images.shape[1:]))}"


def _present(target: Path, source: CifarSource) -> bool:
    try:
        read_cifar_file(target, source)
    except (OSError, ValueError):
        return False
    return True


def fetch_cifar10(
    dest=None,
    from_dir=None,
    *,
    strict: bool = False,
    progress: bool = True,
    source: CifarSource = CIFAR10,
) -> list[FileReport]:
    """Install the six .bin files into ``dest`` (default ``$MINAE_DATA/cifar10``).

    Downloads the archive (MD5 checked) unless ``from_dir`` is given; there the archive
    is used if present (its MD5 reported, and with ``strict`` required to match), else the
    .bin files in ``from_dir`` or ``from_dir/cifar-10-batches-bin`` (which have no
    published checksum: their sizes and labels are checked). Raises ``FetchError``.
    """
    dest = Path(dest) if dest is not None else data_root() / source.name
    if from_dir is not None and not Path(from_dir).is_dir():
        raise FetchError(f"the --from folder {from_dir} does not exist (or is not a folder)")
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        if from_dir is None:
            return _download(source, dest, progress)
        from_dir = Path(from_dir)
        if (from_dir / source.archive).is_file():
            return _from_archive(source, from_dir / source.archive, dest, strict, from_dir)
        return _from_bin_files(source, from_dir, dest)
    except BaseException:
        if created and not any(dest.iterdir()):
            dest.rmdir()  # leave no empty folder behind
        raise


def _download(source: CifarSource, dest: Path, progress: bool) -> list[FileReport]:
    if all(_present(dest / name, source) for name in source.all_files()):
        return [
            FileReport(name, "already present", None, _describe(dest / name, source))
            for name in source.all_files()
        ]
    with temporary_beside(dest / source.archive, ".part") as tmp:
        try:
            stream(source.url, tmp, progress, source.archive)
        except OSError as err:
            raise FetchError(f"could not download {source.url}: {err}") from err
        got = md5sum(tmp)
        if got != source.md5:
            raise FetchError(f"{source.archive}: checksum {got} is not the published {source.md5}")
        return _extract(source, tmp, dest, f"downloaded from {source.url}", True)


def _from_archive(source, archive: Path, dest: Path, strict: bool, from_dir) -> list[FileReport]:
    got = md5sum(archive)
    matches = got == source.md5
    if not matches and strict:
        raise FetchError(f"{archive}: checksum {got} is not the published {source.md5} (--strict)")
    return _extract(source, archive, dest, f"installed from {from_dir}", matches)


def _extract(source, archive: Path, dest: Path, action: str, matches: bool) -> list[FileReport]:
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as err:
        raise FetchError(f"{archive.name}: not a readable .tar.gz ({err})") from err
    reports: list[FileReport] = []
    try:
        with tar:
            _extract_members(source, tar, archive, dest, action, matches, reports)
    except (EOFError, tarfile.TarError, zlib.error) as err:
        raise FetchError(
            f"{archive.name} is truncated or damaged ({type(err).__name__}: {err}); "
            f"{len(reports)} of its {len(source.all_files())} files were installed whole "
            "before it ended. Download the archive again"
        ) from err
    return reports


def _extract_members(
    source, tar, archive: Path, dest: Path, action: str, matches: bool, reports: list
) -> None:
    """Copy each .bin file out of ``tar``, whole or not at all, appending its report."""
    for name in source.all_files():
        member = f"{source.folder_in_archive}/{name}"
        try:
            member_file = tar.extractfile(member)
        except KeyError:
            member_file = None
        if member_file is None:
            raise FetchError(f"{archive.name} holds no file {member}")
        target = dest / name
        with temporary_beside(target, ".part") as tmp, member_file:
            with open(tmp, "wb") as out:
                shutil.copyfileobj(member_file, out)
            detail = _describe(tmp, source)
            publish(tmp, target)
        reports.append(FileReport(name, f"{action}, out of the archive", matches, detail))


def _from_bin_files(source: CifarSource, from_dir: Path, dest: Path) -> list[FileReport]:
    folder = from_dir
    if not (folder / source.all_files()[0]).is_file():
        folder = from_dir / source.folder_in_archive
    missing = [name for name in source.all_files() if not (folder / name).is_file()]
    if missing:
        raise FetchError(
            f"{from_dir} holds neither {source.archive} nor the .bin files "
            f"(missing: {', '.join(missing)})"
        )
    reports = []
    for name in source.all_files():
        detail = _describe(folder / name, source)
        with temporary_beside(dest / name, ".part") as tmp:
            shutil.copyfile(folder / name, tmp)
            publish(tmp, dest / name)
        reports.append(FileReport(name, f"installed from {folder}", None, detail))
    return reports
