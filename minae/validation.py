"""Input checks shared by layers, losses and models: clear errors, raised early."""

from __future__ import annotations

import numpy

from .backend import array_module


def check_batch(X, name: str = "X", n_features: int | None = None, dtype=None) -> None:
    """Raise if ``X`` is not a non-empty 2-D float array of the expected width and dtype.

    ``X`` has shape (B, N): B examples in rows, N features in columns.
    """
    if not hasattr(X, "ndim") or not hasattr(X, "dtype"):
        raise TypeError(f"{name} must be an array, got {type(X).__name__}")
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D (batch, features), got shape {tuple(X.shape)}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} is an empty batch (shape {tuple(X.shape)})")
    if X.dtype.kind != "f":  # float16/32/64; a cheap test, this runs for every layer
        raise TypeError(
            f"{name} has dtype {X.dtype}; minae needs floats (scale integer images to [0, 1] "
            f"first, e.g. X.astype('float32') / 255)"
        )
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} features per example, expected {n_features}")
    if dtype is not None and X.dtype != dtype:
        raise TypeError(
            f"{name} is {X.dtype} but the model computes in {numpy.dtype(dtype)}; "
            f"convert with {name}.astype('{numpy.dtype(dtype)}')"
        )


def check_finite(X, name: str = "X") -> None:
    """Raise if ``X`` holds NaN or infinity, saying how many entries and where the first is."""
    xp = array_module()
    finite = xp.isfinite(X)
    if not bool(finite.all()):
        bad = int((~finite).sum())
        first = tuple(int(i) for i in xp.argwhere(~finite)[0])
        raise ValueError(f"{name} holds {bad} non-finite value(s) (NaN or inf), first at {first}")


def check_same_shape(a, b, name_a: str, name_b: str) -> None:
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            f"{name_a} has shape {tuple(a.shape)} but {name_b} has shape {tuple(b.shape)}"
        )


def check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, numpy.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_non_negative(value, name: str) -> float:
    value = float(value)
    if not numpy.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value
