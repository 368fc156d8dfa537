"""Data: MNIST and Fashion-MNIST from IDX files, CIFAR-10, photo patches, synthetic sets,
and corruptions."""

from .cifar10 import load_cifar10
from .cifar10_format import CIFAR10, CifarFormatError, CifarSource, read_cifar_file
from .corruptions import (
    block_masking,
    downsample_upsample,
    gaussian_noise,
    masking_noise,
    rgb_to_gray,
    salt_and_pepper,
)
from .idx import IdxFormatError, encode_idx, parse_idx, read_idx
from .mnist import load_fashion_mnist, load_mnist
from .photos import image_patches, photos_dir, read_photo, read_photos
from .sources import FASHION_MNIST, MNIST, DataSource, data_root
from .synthetic import SHAPE_KINDS, circle, line, shapes, stretched_gaussian

__all__ = [
    "CIFAR10",
    "FASHION_MNIST",
    "MNIST",
    "SHAPE_KINDS",
    "CifarFormatError",
    "CifarSource",
    "DataSource",
    "IdxFormatError",
    "block_masking",
    "circle",
    "data_root",
    "downsample_upsample",
    "encode_idx",
    "gaussian_noise",
    "image_patches",
    "line",
    "load_cifar10",
    "load_fashion_mnist",
    "load_mnist",
    "masking_noise",
    "parse_idx",
    "photos_dir",
    "read_cifar_file",
    "read_idx",
    "read_photo",
    "read_photos",
    "rgb_to_gray",
    "salt_and_pepper",
    "shapes",
    "stretched_gaussian",
]
