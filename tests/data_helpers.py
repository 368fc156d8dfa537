"""Small IDX data sets written by the tests themselves, and the shared MNIST location."""

import gzip
import os
from pathlib import Path

import numpy as np
import pytest

from minae.datasets import DataSource, encode_idx


def shared_mnist() -> Path:
    """The MNIST folder named by MINAE_DATA (set by .ci/run); skip the test if there is none."""
    root = os.environ.get("MINAE_DATA")
    if not root:
        pytest.skip("MINAE_DATA is not set: the shared MNIST files are not available here")
    path = Path(root)
    folder = path / "mnist" if (path / "mnist").is_dir() else path
    if not (folder / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"MINAE_DATA={root} holds no MNIST files")
    return folder


def shared_photos() -> Path:
    """The photo folder named by MINAE_PHOTOS (set by .ci/run); skip the test if there is none."""
    root = os.environ.get("MINAE_PHOTOS")
    if not root:
        pytest.skip("MINAE_PHOTOS is not set: the shared photographs are not available here")
    if not any(Path(root).glob("*.png")):
        pytest.skip(f"MINAE_PHOTOS={root} holds no PNG photographs")
    return Path(root)


def write_tiny_dataset(folder: Path, counts=(("train", 12), ("test", 5)), seed=0) -> DataSource:
    """Write four gzipped IDX files of random 28x28 images and labels; return their source."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    md5 = {}
    source = DataSource("tiny", md5, mirrors=(), classes=tuple("0123456789"), counts=counts)
    for split, count in counts:
        arrays = {
            "images": rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8),
            "labels": rng.integers(0, 10, size=count, dtype=np.uint8),
        }
        for kind, array in arrays.items():
            name = source.file(split, kind)
            (folder / name).write_bytes(gzip.compress(encode_idx(array), mtime=0))
    from minae.datasets.fetch import md5sum

    md5.update({name: md5sum(folder / name) for _, _, name in source.files()})
    return source
