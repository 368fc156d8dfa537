"""Data: MNIST and Fashion-MNIST from IDX files, synthetic sets, and corruptions."""

from .corruptions import (
    downsample_upsample,
    gaussian_noise,
    masking_noise,
    rgb_to_gray,
    salt_and_pepper,
)
from .idx import IdxFormatError, encode_idx, parse_idx, read_idx
from .mnist import load_fashion_mnist, load_mnist
from .sources import FASHION_MNIST, MNIST, DataSource, data_root
from .synthetic import SHAPE_KINDS, circle, line, shapes, stretched_gaussian

__all__ = [
    "FASHION_MNIST",
    "MNIST",
    "SHAPE_KINDS",
    "DataSource",
    "IdxFormatError",
    "circle",
    "data_root",
    "downsample_upsample",
    "encode_idx",
    "gaussian_noise",
    "line",
    "load_fashion_mnist",
    "load_mnist",
    "masking_noise",
    "parse_idx",
    "read_idx",
    "rgb_to_gray",
    "salt_and_pepper",
    "shapes",
    "stretched_gaussian",
]
