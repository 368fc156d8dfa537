"""Save and load a model's parameters as ``.npz``: no pickles, written atomically."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy

from .backend import to_device, to_host
from .files import write_atomically


class DamagedFileError(ValueError):
    """A file that ``load`` cannot read as a minae ``.npz`` archive (truncated, corrupted,
    or not an archive at all)."""


def save(model, path) -> Path:
    """Write every named parameter of ``model`` to ``path`` (an ``.npz`` archive).

    The archive is written to a temporary file beside ``path``, flushed to the disk
    (fsync) and renamed over it, so an interrupted save or a crash never leaves a
    half-written or empty file under the final name. The file gets the permissions a
    newly created file gets (0644 under the usual umask), as ``numpy.savez`` gives.
    """
    arrays = {name: to_host(p.value) for name, p in model.named_parameters().items()}
    return write_atomically(path, lambda f: numpy.savez(f, **arrays))  # type: ignore[arg-type]


def load(model, path) -> None:
    """Read parameters saved by ``save`` into ``model``, in place.

    Names and shapes must match the model's exactly; otherwise nothing is changed and
    the error lists what differs. Values are cast to each parameter's dtype. A file that
    is not a readable archive raises ``DamagedFileError`` naming it.
    """
    path = Path(path)
    params = model.named_parameters()
    arrays = read_archive(path, "a model saved by minae.save")
    check_parameters_fit(path, params, arrays)
    for name, p in params.items():
        p.value[...] = to_device(arrays[name], p.dtype)


def check_parameters_fit(path: Path, params: dict, arrays: dict) -> None:
    """Raise, naming what differs, unless ``arrays`` holds exactly ``params``' names and
    shapes, as numbers. ``load`` and ``load_checkpoint`` check with it before changing
    anything."""
    missing = sorted(set(params) - set(arrays))
    unexpected = sorted(set(arrays) - set(params))
    if missing or unexpected:
        raise ValueError(
            f"{path} does not match the model: missing {missing or 'none'}, "
            f"unexpected {unexpected or 'none'}"
        )
    wrong = [
        f"{name}: file {arrays[name].shape}, model {p.shape}"
        for name, p in params.items()
        if tuple(arrays[name].shape) != tuple(p.shape)
    ]
    if wrong:
        raise ValueError(f"{path} has parameters of the wrong shape: " + "; ".join(wrong))
    bad = [name for name, a in arrays.items() if a.dtype.kind not in "fiu"]
    if bad:
        raise DamagedFileError(f"{path} holds arrays that are not numbers: {bad}")


def read_archive(path: Path, what: str) -> dict[str, numpy.ndarray]:
    """Every array of the ``.npz`` archive ``path``, read without pickles; a file that is
    not one raises ``DamagedFileError`` saying it should be ``what``."""
    damaged = f"{path} is damaged or is not {what}"
    with open(path, "rb") as f:  # a missing file raises FileNotFoundError, as it should
        magic = f.read(6)
    if magic == b"\x93NUMPY":
        raise DamagedFileError(f"{damaged}: it holds one array, not an .npz archive")
    if not magic.startswith(b"PK"):
        raise DamagedFileError(f"{damaged}: it is not an .npz (zip) archive")
    try:
        with numpy.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as err:
        raise DamagedFileError(f"{damaged} ({type(err).__name__}: {err})") from err
