"""Load MNIST and Fashion-MNIST as floats in [0, 1], validated, on the active backend."""

from __future__ import annotations

from pathlib import Path

import numpy

from ..backend import resolve_dtype, to_device
from .idx import IdxFormatError, read_idx
from .sources import FASHION_MNIST, MNIST, DataSource, dataset_dir

FETCH_HINT = "python data_scripts/fetch_data.py {name}  (or: python -m minae.datasets.fetch {name})"


def load_mnist(split: str = "train", root=None, *, flatten: bool = True, dtype=None):
    """MNIST images and labels for ``split`` ("train": 60,000, "test": 10,000).

    Returns ``(X, y)``: X of shape (B, 784) (or (B, 28, 28) with ``flatten=False``),
    pixels scaled to [0, 1] in ``dtype`` (the backend's default when None); y (B,)
    integer labels 0-9. Files are read from ``root``, ``$MINAE_DATA`` or the user cache.
    """
    return _load(MNIST, split, root, flatten, dtype)


def load_fashion_mnist(split: str = "train", root=None, *, flatten: bool = True, dtype=None):
    """Fashion-MNIST, as ``load_mnist``; labels index ``FASHION_MNIST.classes``."""
    return _load(FASHION_MNIST, split, root, flatten, dtype)


def _load(source: DataSource, split: str, root, flatten: bool, dtype):
    dtype = resolve_dtype(dtype)
    folder = dataset_dir(source, root)
    images = _read(folder, source, source.file(split, "images"))
    labels = _read(folder, source, source.file(split, "labels"))
    check_images_and_labels(images, labels, source.name)
    X = images.reshape(images.shape[0], -1) if flatten else images
    X = to_device(X, dtype) / 255  # bytes 0..255 -> [0, 1]
    return X, to_device(labels.astype(numpy.int64))


def _read(folder: Path, source: DataSource, filename: str) -> numpy.ndarray:
    for candidate in (folder / filename, folder / filename.removesuffix(".gz")):
        if candidate.is_file():
            return read_idx(candidate)
    raise FileNotFoundError(
        f"{source.name} file {filename} not found in {folder}. Fetch it with:\n    "
        + FETCH_HINT.format(name=source.name)
        + "\nor point MINAE_DATA at a folder that holds it."
    )


def check_images(images: numpy.ndarray, name: str) -> None:
    """Raise ``IdxFormatError`` unless ``images`` is a (count, 28, 28) byte array."""
    if images.ndim != 3 or images.shape[1:] != (28, 28) or images.dtype != numpy.uint8:
        raise IdxFormatError(f"{name}: images must be (count, 28, 28) bytes, got {images.shape}")


def check_labels(labels: numpy.ndarray, name: str) -> None:
    """Raise ``IdxFormatError`` unless ``labels`` is a 1-D byte array of digits 0-9."""
    if labels.ndim != 1 or labels.dtype != numpy.uint8:
        raise IdxFormatError(f"{name}: labels must be a 1-D byte array, got {labels.shape}")
    if labels.size and labels.max() > 9:
        raise IdxFormatError(f"{name}: labels must lie in 0-9, found {int(labels.max())}")


def check_images_and_labels(images: numpy.ndarray, labels: numpy.ndarray, name: str) -> None:
    """Both checks, and one label per image."""
    check_images(images, name)
    check_labels(labels, name)
    if labels.shape[0] != images.shape[0]:
        raise IdxFormatError(
            f"{name}: {images.shape[0]} images but {labels.shape[0]} labels: the counts differ"
        )
