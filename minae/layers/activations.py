"""Element-wise activations: each forward beside the local derivative that backward uses.

All keep the shape (B, N) of their input. Backward multiplies dY element-wise by the
local derivative, computed from what forward kept (the output for sigmoid and tanh, the
sign mask for ReLU), as in the slides' chain rule ∂R̂/∂X = ∂R̂/∂Y ∘ f'(X).
"""

from __future__ import annotations

import contextlib

import numpy

from ..backend import array_module
from ..validation import check_batch
from .layer import Layer


def sigmoid(X):
    """σ(x) = 1 / (1 + e^(-x)), computed in place in one new array.

    Where e^(-x) overflows (x below about -88 in float32, -709 in float64) it becomes
    inf and σ exactly 0, the correct limit; elsewhere the result has full relative
    precision, tiny values included (σ(-40) = 4.2e-18, not 0).
    """
    xp = array_module()
    Y = xp.negative(X)
    with numpy.errstate(over="ignore") if xp is numpy else contextlib.nullcontext():
        xp.exp(Y, out=Y)
    Y += 1.0
    return xp.divide(1.0, Y, out=Y)  # 1 / Y (NumPy's float32 reciprocal is slower)


class Sigmoid(Layer):
    """Y = σ(X) = 1 / (1 + e^(-X)); backward: dX = dY ∘ Y ∘ (1 - Y)."""

    def __init__(self):
        self._Y = None

    def forward(self, X):
        check_batch(X)
        self._Y = sigmoid(X)
        return self._Y

    def backward(self, dY, input_grad: bool = True):
        Y = self._cached(self._Y, "its output Y")
        if not input_grad:
            return None
        dX = 1.0 - Y
        dX *= Y
        dX *= dY
        return dX


class Tanh(Layer):
    """Y = tanh(X); backward: dX = dY ∘ (1 - Y²)."""

    def __init__(self):
        self._Y = None

    def forward(self, X):
        check_batch(X)
        self._Y = array_module().tanh(X)
        return self._Y

    def backward(self, dY, input_grad: bool = True):
        Y = self._cached(self._Y, "its output Y")
        if not input_grad:
            return None
        dX = Y * Y
        dX -= 1.0
        dX *= -dY
        return dX


class ReLU(Layer):
    """Y = max(X, 0); backward: dX = dY ∘ [X > 0] (the derivative at the kink 0 is taken as 0)."""

    def __init__(self):
        self._slope = None

    def forward(self, X):
        check_batch(X)
        self._slope = (X > 0).astype(X.dtype)  # f'(X) = [X > 0] as 0s and 1s, (B, N)
        return X * self._slope

    def backward(self, dY, input_grad: bool = True):
        slope = self._cached(self._slope, "its input's sign")
        return dY * slope if input_grad else None


class Identity(Layer):
    """Y = X; backward: dX = dY. The activation of a linear layer (PCA-like autoencoders)."""

    def forward(self, X):
        check_batch(X)
        return X

    def backward(self, dY, input_grad: bool = True):
        return dY if input_grad else None


ACTIVATIONS: dict[str, type[Layer]] = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "identity": Identity,
}


def activation(name: str) -> Layer:
    """A new activation layer by name: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]()
