"""CIFAR-10's binary release: what its files hold, and reading one file, checked.

The binary release (``cifar-10-binary.tar.gz``) holds six files, ``data_batch_1.bin`` to
``data_batch_5.bin`` (training) and ``test_batch.bin``, each 10,000 records of
1 label byte followed by 3,072 pixel bytes: the red plane, then green, then blue, each
32 × 32 in row order. Reading it needs no pickle (the Python version of the release is
pickled, and unpickling runs code from the file).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

from ..infrastructure.validation import check_path
from .idx import IdxFormatError


class CifarFormatError(IdxFormatError):
    """A CIFAR-10 file is damaged: wrong size, or a label outside 0-9.

    A file of n records holds n·3,073 bytes (Krizhevsky 2009's binary version); the
    message names the file and the fault.
    """


@dataclass(frozen=True)
class CifarSource:
    """Where CIFAR-10's binary release comes from, and what its files hold.

    Krizhevsky (2009)'s binary version: each record is one label byte, then a (3, 32, 32)
    image as bytes.

    Attributes
    ----------
    name : str
        The folder minae installs it in.
    archive, archive_bytes, md5, url : str, int, str, str
        The archive's name, size, published MD5 and address.
    folder_in_archive : str
        Where the .bin files sit in the archive.
    records_per_file : int
        Images per .bin file.
    image_shape : (int, int, int)
        (3, 32, 32).
    classes : tuple of str
        The label names, by label.
    """

    name: str = "cifar10"
    archive: str = "cifar-10-binary.tar.gz"
    archive_bytes: int = 170_052_171
    md5: str = "c32a1d4ab5d03f1284b67883e8d87530"
    url: str = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    folder_in_archive: str = "cifar-10-batches-bin"
    records_per_file: int = 10_000
    image_shape: tuple[int, int, int] = (3, 32, 32)
    classes: tuple[str, ...] = (
        "airplane",
        "automobile",
        "bird",
        "cat",
        "deer",
        "dog",
        "frog",
        "horse",
        "ship",
        "truck",
    )

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
        """The six .bin files, train's then test's."""
        return self.files("train") + self.files("test")


CIFAR10 = CifarSource()


def read_cifar_file(path, source: CifarSource = CIFAR10) -> tuple[numpy.ndarray, numpy.ndarray]:
    """One .bin file as (images (n, 3, 32, 32) bytes, labels (n,) bytes), checked.

    Krizhevsky (2009)'s binary format.

    Parameters
    ----------
    path : str or path
        A .bin file.
    source : CifarSource
        What it should hold (default ``CIFAR10``).

    Raises
    ------
    CifarFormatError
        For a file of the wrong size or a label outside the classes.
    """
    path = check_path(path, "path")
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
