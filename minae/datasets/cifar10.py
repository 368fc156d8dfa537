"""CIFAR-10 from its binary version: 60,000 colour images 32 × 32 in ten classes.

The binary release (``cifar-10-binary.tar.gz``) holds six files, ``data_batch_1.bin`` to
``data_batch_5.bin`` (training) and ``test_batch.bin``, each 10,000 records of
1 label byte followed by 3,072 pixel bytes: the red plane, then green, then blue, each
32 × 32 in row order. Reading it needs no pickle (the Python version of the release is
pickled, and unpickling runs code from the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy

from ..backend import resolve_dtype, to_device
from .idx import IdxFormatError
from .sources import data_root

CIFAR10_FETCH_HINT = (
    "python data_scripts/fetch_data.py cifar10  (or: python -m minae.datasets.fetch cifar10)"
)


class CifarFormatError(IdxFormatError):
    """A CIFAR-10 file is damaged: wrong size, or a label outside 0-9."""


@dataclass(frozen=True)
class CifarSource:
    """Where CIFAR-10's binary release comes from, and what its files hold."""

    name: str = "cifar10"
    archive: str = "cifar-10-binary.tar.gz"
    archive_bytes: int = 170_052_171
    md5: str = "c32a1d4ab5d03f1284b67883e8d87530"
    url: str = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    folder_in_archive: str = "cifar-10-batches-bin"
    records_per_file: int = 10_000
    image_shape: tuple[int, int, int] = (3, 32, 32)
    classes: tuple[str, ...] = (
        "airplane", "automobile", "bird", "cat", "deer",
        "dog", "frog", "horse", "ship", "truck",
    )  # fmt: skip

    @property
    def record_bytes(self) -> int:
        """1 label byte + 3 × 32 × 32 pixel bytes = 3,073."""
        return 1 + int(numpy.prod(self.image_shape))

    def files(self, split: str) -> list[str]:
        """The .bin files of ``split`` ("train": five, "test": one)."""
        if split == "train":
            return [f"data_batch_{i}.bin" for i in range(1, 6)]
        if split == "test":
            return ["test_batch.bin"]
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")

    def all_files(self) -> list[str]:
        return self.files("train") + self.files("test")


CIFAR10 = CifarSource()


def cifar10_dir(root=None, source: CifarSource = CIFAR10) -> Path:
    """The folder holding the .bin files: ``root/cifar10`` (where the fetch script
    installs them), ``root/cifar-10-batches-bin`` (the extracted archive), or ``root``."""
    root = data_root() if root is None else Path(root)
    for folder in (root / source.name, root / source.folder_in_archive):
        if folder.is_dir():
            return folder
    return root


def read_cifar_file(path, source: CifarSource = CIFAR10) -> tuple[numpy.ndarray, numpy.ndarray]:
    """One .bin file as (images (n, 3, 32, 32) bytes, labels (n,) bytes), checked."""
    path = Path(path)
    raw = numpy.fromfile(path, dtype=numpy.uint8)
    expected = source.records_per_file * source.record_bytes
    if raw.size != expected:
        raise CifarFormatError(
            f"{path.name}: {raw.size:,} bytes, expected {expected:,} "
            f"({source.records_per_file:,} records of {source.record_bytes:,} bytes): "
            "the file is damaged or truncated; fetch it again"
        )
    records = raw.reshape(source.records_per_file, source.record_bytes)  # (n, 3073)
    labels = records[:, 0]  # (n,)
    if labels.max() > 9:
        raise CifarFormatError(f"{path.name}: a label of {int(labels.max())}; labels are 0-9")
    images = records[:, 1:].reshape(-1, *source.image_shape)  # (n, 3072) -> (n, 3, 32, 32)
    return images, labels


def load_cifar10(split: str = "train", root=None, *, dtype=None, source: CifarSource = CIFAR10):
    """CIFAR-10 images and labels for ``split`` ("train": 50,000, "test": 10,000).

    Returns ``(X, y)``: X (B, 3, 32, 32) in [0, 1] in ``dtype`` (the backend's default
    when None), y (B,) integer labels 0-9 indexing ``CIFAR10.classes``. The .bin files
    are read from ``root``, ``$MINAE_DATA`` or the user cache (see ``cifar10_dir``).
    """
    dtype = resolve_dtype(dtype)
    folder = cifar10_dir(root, source)
    images, labels = [], []
    for name in source.files(split):
        if not (folder / name).is_file():
            raise FileNotFoundError(
                f"cifar10 file {name} not found in {folder}. Fetch it with:\n    "
                + CIFAR10_FETCH_HINT
                + "\nor point MINAE_DATA at a folder that holds it."
            )
        X, y = read_cifar_file(folder / name, source)
        images.append(X)
        labels.append(y)
    X = to_device(numpy.concatenate(images), dtype) / 255  # bytes 0..255 -> [0, 1]
    return X, to_device(numpy.concatenate(labels).astype(numpy.int64))
