"""What an MNIST-shaped data set must be: 28x28 byte images, byte labels 0-9, one per
image. Checked when files are installed (``fetch.py``) and when they are loaded
(``mnist.py``)."""

from __future__ import annotations

import numpy

from .idx import IdxFormatError


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
