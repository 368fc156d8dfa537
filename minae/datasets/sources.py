"""Where MNIST and Fashion-MNIST come from: file names, published checksums, mirrors."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataSource:
    """One IDX data set: its four files with their published MD5 sums, and its mirrors.

    ``counts`` is the number of examples in each split.

    MNIST (LeCun et al. 1998) and Fashion-MNIST (Xiao et al. 2017) are two of these.

    Attributes
    ----------
    name : str
        The folder minae installs it in.
    md5 : dict of str to str
        Each file's published MD5.
    mirrors : tuple of str
        Addresses to download from, tried in order.
    classes : tuple of str
        The label names, by label.
    counts : tuple of (str, int)
        Examples per split.
    """

    name: str
    md5: dict[str, str]
    mirrors: tuple[str, ...]
    classes: tuple[str, ...]
    counts: tuple[tuple[str, int], ...] = (("train", 60000), ("test", 10000))

    def files(self) -> list[tuple[str, str, str]]:
        """(split, kind, file name) for each of the four files."""
        return [
            (split, kind, self.file(split, kind))
            for split, _ in self.counts
            for kind in ("images", "labels")
        ]

    def file(self, split: str, kind: str) -> str:
        """The file name of ``kind`` ("images" or "labels") for ``split`` ("train" or "test")."""
        if split not in ("train", "test"):
            raise ValueError(f"split must be 'train' or 'test', got {split!r}")
        prefix = "train" if split == "train" else "t10k"
        dims = "idx3" if kind == "images" else "idx1"
        return f"{prefix}-{kind}-{dims}-ubyte.gz"


MNIST = DataSource(
    name="mnist",
    md5={
        "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    },
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ),
    classes=tuple(str(d) for d in range(10)),
)

FASHION_MNIST = DataSource(
    name="fashion-mnist",
    md5={
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
    },
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ),
    classes=(
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
)

SOURCES = {source.name: source for source in (MNIST, FASHION_MNIST)}


def data_root() -> Path:
    """``$MINAE_DATA`` if set, else the platform's per-user cache folder (``user_cache``).

    Where every loader, and the lessons from lesson 02 on, look for data.
    """
    if os.environ.get("MINAE_DATA"):
        return Path(os.environ["MINAE_DATA"]).expanduser()
    return user_cache()


def user_cache(platform: str | None = None) -> Path:
    """Where each system keeps a user's caches, with minae's folder in it.

    Windows: ``%LOCALAPPDATA%\\minae\\Cache``; macOS: ``~/Library/Caches/minae``; Linux
    and the rest: ``$XDG_CACHE_HOME/minae``, ``~/.cache/minae`` by default (the XDG rule).
    """
    platform = platform or sys.platform
    if platform.startswith("win"):
        local = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
        return Path(local) / "minae" / "Cache"
    if platform == "darwin":
        return Path.home() / "Library" / "Caches" / "minae"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "minae"


def dataset_dir(source: DataSource, root=None) -> Path:
    """The folder holding ``source``'s files under ``root``.

    ``root/<name>/`` (where the fetch script installs) when it exists, else ``root``
    itself, so ``MINAE_DATA`` may point at the data root or at the data set's own folder;
    but never at another data set's folder (``.../mnist`` does not hold Fashion-MNIST,
    whose files have the same names).
    """
    root = data_root() if root is None else Path(root)
    nested = root / source.name
    if nested.is_dir():
        return nested
    if root.name in SOURCES and root.name != source.name:
        return nested  # root is another data set's own folder: not this one's files
    return root
