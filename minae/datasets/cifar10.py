"""Load CIFAR-10 (60,000 colour images 32 × 32 in ten classes) as floats in [0, 1].

The format of its binary release, and the check of each file, are in ``cifar10_format.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy

from ..infrastructure.backend import resolve_dtype, to_device
from ..infrastructure.validation import check_bool
from .cifar10_format import CIFAR10, CifarSource, read_cifar_file
from .download import FetchError, offline_help
from .fetch_cifar10 import fetch_cifar10
from .sources import data_root

CIFAR10_FETCH_HINT = (
    "python data_scripts/fetch_data.py cifar10  (or: python -m minae.datasets.fetch cifar10)"
)


def cifar10_dir(root=None, source: CifarSource = CIFAR10) -> Path:
    """The folder holding the .bin files: ``root/cifar10`` (where the fetch script
    installs them), ``root/cifar-10-batches-bin`` (the extracted archive), or ``root``."""
    root = data_root() if root is None else Path(root)
    for folder in (root / source.name, root / source.folder_in_archive):
        if folder.is_dir():
            return folder
    return root


def load_cifar10(
    split: str = "train",
    root=None,
    *,
    dtype=None,
    source: CifarSource = CIFAR10,
    download: bool = False,
):
    """CIFAR-10 images and labels for ``split`` ("train": 50,000, "test": 10,000).

    Returns ``(X, y)``: X (B, 3, 32, 32) in [0, 1] in ``dtype`` (the backend's default
    when None), y (B,) integer labels 0-9 indexing ``CIFAR10.classes``. The .bin files
    are read from ``root``, ``$MINAE_DATA`` or the user cache (see ``cifar10_dir``).
    With ``download=True``, missing files are fetched first into ``root/cifar10`` (the
    archive's MD5 verified, each file written whole or not at all), as torchvision's
    loader does: the way to get the data from a notebook's first cell.

    Krizhevsky (2009)'s colour images; lessons 11 and 12 use them when no photographs are
    at hand (slides 004's super-resolution and colorization).

    Parameters
    ----------
    split : str
        ``"train"`` or ``"test"``.
    root : str or path, optional
        The data folder; ``$MINAE_DATA`` or the user cache when None.
    dtype : float32 or float64, optional
        The backend's default when None.
    source : CifarSource
        What the files hold (default ``CIFAR10``).
    download : bool
        Fetch missing files first.
    """
    dtype = resolve_dtype(dtype)
    download = check_bool(download, "download")
    folder = cifar10_dir(root, source)
    names = source.files(split)
    if download and not all((folder / name).is_file() for name in names):
        folder = (data_root() if root is None else Path(root)) / source.name
        try:
            fetch_cifar10(folder, source=source)
        except FetchError as err:
            raise offline_help(err, source.name) from None
    images, labels = [], []
    for name in names:
        if not (folder / name).is_file():
            raise FileNotFoundError(
                f"cifar10 file {name} not found in {folder}. Fetch it with:\n    "
                + CIFAR10_FETCH_HINT
                + "\nor point MINAE_DATA at a folder that holds it, or pass download=True."
            )
        X, y = read_cifar_file(folder / name, source)
        images.append(X)
        labels.append(y)
    X = to_device(numpy.concatenate(images), dtype) / 255  # bytes 0..255 -> [0, 1]
    return X, to_device(numpy.concatenate(labels).astype(numpy.int64))
