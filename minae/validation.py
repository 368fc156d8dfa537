"""Input checks shared by layers, losses and models: clear errors, raised early."""

from __future__ import annotations

import numpy

from .backend import array_module


def is_whole(value) -> bool:
    """Whether ``value`` is an integer (Python's or NumPy's), and not a bool."""
    return isinstance(value, (int, numpy.integer)) and not isinstance(value, (bool, numpy.bool_))


def pair(value, name: str) -> tuple[int, int]:
    """``value`` as (height, width): an int for both, or a pair (NumPy integers too)."""
    if is_whole(value):
        return (int(value), int(value))
    try:
        first, second = value
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}") from None
    if not (is_whole(first) and is_whole(second)):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    return (int(first), int(second))


def as_shape(shape) -> tuple[int, ...] | None:
    """An example shape as a tuple of ints: ``784`` → (784,), ``(1, 28, 28)`` stays.

    Sizes must be integers: ``(64, 28 / 8, 28 / 8)`` is refused rather than cut to 3.
    """
    if shape is None:
        return None
    if is_whole(shape):
        return (int(shape),)
    try:
        sizes = tuple(shape)
    except TypeError:
        raise TypeError(f"a shape must be an int or a tuple of ints, got {shape!r}") from None
    if not all(is_whole(n) for n in sizes):
        raise TypeError(f"a shape's sizes must be integers, got {shape!r}")
    return tuple(int(n) for n in sizes)


def check_batch(X, name: str = "X", example_shape=None, dtype=None) -> None:
    """Raise if ``X`` is not a non-empty float batch (B, *example_shape) of the given dtype.

    A batch holds B examples along its first axis; each example is a vector (B, N) or an
    image (B, C, H, W), or any shape. ``example_shape`` (an int N for vectors, or a tuple)
    is the shape one example must have; None accepts any.
    """
    if not hasattr(X, "ndim") or not hasattr(X, "dtype"):
        raise TypeError(f"{name} must be an array, got {type(X).__name__}")
    expected = as_shape(example_shape)
    if expected is not None and X.ndim != 1 + len(expected):
        layout = "features" if len(expected) == 1 else ", ".join(map(str, expected))
        raise ValueError(
            f"{name} must be {1 + len(expected)}-D (batch, {layout}), got shape {tuple(X.shape)}"
        )
    if X.ndim < 2:
        raise ValueError(
            f"{name} must be 2-D (batch, features) or more (batch, *example_shape), "
            f"got shape {tuple(X.shape)}"
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} is an empty batch (shape {tuple(X.shape)})")
    if X.dtype.kind != "f":  # float16/32/64; a cheap test, this runs for every layer
        raise TypeError(
            f"{name} has dtype {X.dtype}; minae needs floats (scale integer images to [0, 1] "
            f"first, e.g. X.astype('float32') / 255)"
        )
    if expected is not None and tuple(X.shape[1:]) != expected:
        if len(expected) == 1:
            raise ValueError(
                f"{name} has {X.shape[1]} features per example, expected {expected[0]}"
            )
        raise ValueError(
            f"{name} has examples of shape {tuple(X.shape[1:])}, expected {expected} "
            f"(batch shape {tuple(X.shape)})"
        )
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


def check_bool(value, name: str) -> bool:
    """``value`` if it is True or False (NumPy's bools too); a TypeError naming ``name``
    otherwise: a string "False" is true in Python, and would silently mean the opposite."""
    if isinstance(value, (bool, numpy.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r}")


def check_number(value, name: str) -> float:
    """``value`` as a float, if it is a real number (not a bool, a string or an array)."""
    if isinstance(value, (bool, numpy.bool_)) or not isinstance(
            value, (int, float, numpy.integer, numpy.floating)):  # fmt: skip
        raise TypeError(f"{name} must be a number, got {value!r}")
    return float(value)


def check_non_negative(value, name: str) -> float:
    value = check_number(value, name)
    if not numpy.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value
