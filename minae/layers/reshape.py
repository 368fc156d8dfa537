"""Flatten and Unflatten: the bridges between image batches and dense layers."""

from __future__ import annotations

import math

from ..infrastructure.validation import as_shape, check_batch
from .layer import Layer


class Flatten(Layer):
    """Y = X with each example laid out as one vector: (B, *shape) → (B, prod(shape)).

    Row-major (C order), as NumPy's and PyTorch's ``flatten`` are, so a (1, 28, 28) MNIST
    image becomes the usual 784-vector. Backward reshapes dY back: dX = dY, (B, *shape).
    Takes no parameters. The bridge from a convolutional encoder to a dense code (seed
    002, "Convolutional Autoencoder"), as in lesson 13's conv AE.
    """

    def __init__(self):
        self._shape = None

    def out_shape(self, in_shape):
        return None if in_shape is None else (math.prod(in_shape),)

    def forward(self, X):
        check_batch(X)
        self._shape = tuple(X.shape)
        return X.reshape(X.shape[0], -1)  # (B, *shape) -> (B, prod(shape))

    def backward(self, dY, input_grad: bool = True):
        shape = self._cached(self._shape, "its input's shape")
        return dY.reshape(shape) if input_grad else None  # (B, prod(shape)) -> (B, *shape)

    def __repr__(self) -> str:
        return "Flatten()"


class Unflatten(Layer):
    """Y = X with each example's vector laid out as ``shape``: (B, prod(shape)) → (B, *shape).

    ``Unflatten((1, 28, 28))`` turns a decoder's 784 outputs into images. Backward
    flattens dY back: dX = dY, (B, prod(shape)). Slides 001's decoder: "We finally sort the
    output into a 28×28 matrix"; lesson 13's conv AE.

    Parameters
    ----------
    shape : tuple of int
        One example's shape after the layer, e.g. (1, 28, 28).
    """

    def __init__(self, shape):
        self.shape = as_shape(shape)
        if not self.shape or any(n < 1 for n in self.shape):
            raise ValueError(f"Unflatten needs a shape of positive sizes, got {shape!r}")
        self.in_shape = (math.prod(self.shape),)
        self._B = None

    def out_shape(self, in_shape):
        if in_shape is not None and in_shape != self.in_shape:
            raise ValueError(f"{self!r} takes examples of shape {self.in_shape}, got {in_shape}")
        return self.shape

    def forward(self, X):
        check_batch(X, "X", self.in_shape)
        self._B = X.shape[0]
        return X.reshape(X.shape[0], *self.shape)  # (B, prod(shape)) -> (B, *shape)

    def backward(self, dY, input_grad: bool = True):
        B = self._cached(self._B, "its batch size")
        n = math.prod(self.shape)
        return dY.reshape(B, n) if input_grad else None  # (B, *shape) -> (B, n)

    def __repr__(self) -> str:
        return f"Unflatten({self.shape})"
