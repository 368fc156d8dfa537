"""Load MNIST and Fashion-MNIST as floats in [0, 1], validated, on the active backend."""

from __future__ import annotations

from pathlib import Path

import numpy

from ..infrastructure.backend import resolve_dtype, to_device
from ..infrastructure.validation import check_bool
from .download import FetchError, offline_help
from .fetch import fetch
from .idx import read_idx
from .mnist_format import check_images_and_labels
from .sources import FASHION_MNIST, MNIST, DataSource, data_root, dataset_dir

FETCH_HINT = "python data_scripts/fetch_data.py {name}  (or: python -m minae.datasets.fetch {name})"


def load_mnist(
    split: str = "train", root=None, *, flatten: bool = True, dtype=None, download: bool = False
):
    """MNIST images and labels for ``split`` ("train": 60,000, "test": 10,000).

    Returns ``(X, y)``: X of shape (B, 784) (or (B, 28, 28) with ``flatten=False``),
    pixels scaled to [0, 1] in ``dtype`` (the backend's default when None); y (B,)
    integer labels 0-9. Files are read from ``root``, ``$MINAE_DATA`` or the user cache.
    With ``download=True``, files that are missing there are downloaded first (checksums
    verified, each file written whole or not at all), as torchvision's loaders do: the
    way to get the data from a notebook's first cell.

    LeCun et al. (1998)'s digits, the data of slides 001's "Example: Compressing MNIST"
    and of lessons 02, 04 to 11, 13 and 14.

    Parameters
    ----------
    split : str
        ``"train"`` or ``"test"``.
    root : str or path, optional
        The data folder; ``$MINAE_DATA`` or the user cache when None.
    flatten : bool
        Rows (B, 784) when True, images (B, 28, 28) when False.
    dtype : float32 or float64, optional
        The backend's default when None.
    download : bool
        Fetch missing files first.

    Raises
    ------
    FileNotFoundError
        When the files are missing and ``download`` is False, saying how to get them.
    IdxFormatError
        For a damaged file.
    """
    return _load(MNIST, split, root, flatten, dtype, download)


def load_fashion_mnist(
    split: str = "train", root=None, *, flatten: bool = True, dtype=None, download: bool = False
):
    """Fashion-MNIST, as ``load_mnist``; labels index ``FASHION_MNIST.classes``.

    Xiao et al. (2017)'s clothing images, MNIST's shapes: X (B, 784) or (B, 28, 28) in
    [0, 1], y (B,). A harder set for any lesson that reads MNIST.

    Parameters
    ----------
    split : str
        ``"train"`` or ``"test"``.
    root : str or path, optional
        The data folder; ``$MINAE_DATA`` or the user cache when None.
    flatten : bool
        Rows (B, 784) when True, images (B, 28, 28) when False.
    dtype : float32 or float64, optional
        The backend's default when None.
    download : bool
        Fetch missing files first.
    """
    return _load(FASHION_MNIST, split, root, flatten, dtype, download)


def _load(source: DataSource, split: str, root, flatten: bool, dtype, download: bool = False):
    dtype = resolve_dtype(dtype)
    flatten = check_bool(flatten, "flatten")
    download = check_bool(download, "download")
    folder = dataset_dir(source, root)
    if download and not _has(folder, source, split):
        folder = _download_into((data_root() if root is None else Path(root)) / source.name, source)
    images = _read(folder, source, source.file(split, "images"))
    labels = _read(folder, source, source.file(split, "labels"))
    check_images_and_labels(images, labels, source.name)
    X = images.reshape(images.shape[0], -1) if flatten else images
    X = to_device(X, dtype) / 255  # bytes 0..255 -> [0, 1]
    return X, to_device(labels.astype(numpy.int64))


def _has(folder: Path, source: DataSource, split: str) -> bool:
    """Whether ``folder`` holds ``split``'s two files (compressed or not)."""
    names = (source.file(split, "images"), source.file(split, "labels"))
    return all((folder / n).is_file() or (folder / n.removesuffix(".gz")).is_file() for n in names)


def _download_into(dest: Path, source: DataSource) -> Path:
    """Download ``source``'s files into ``dest``; say how to install them offline if not."""
    try:
        fetch(source, dest)
    except FetchError as err:
        raise offline_help(err, source.name) from None
    return dest


def _read(folder: Path, source: DataSource, filename: str) -> numpy.ndarray:
    for candidate in (folder / filename, folder / filename.removesuffix(".gz")):
        if candidate.is_file():
            return read_idx(candidate)
    raise FileNotFoundError(
        f"{source.name} file {filename} not found in {folder}. Fetch it with:\n    "
        + FETCH_HINT.format(name=source.name)
        + "\nor point MINAE_DATA at a folder that holds it, or pass download=True."
    )
