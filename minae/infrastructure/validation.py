"""Input checks shared by layers, losses and models: clear errors, raised early."""

from __future__ import annotations

import os

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


def check_array(
    value,
    name: str,
    *,
    floats: bool = True,
    finite: bool = True,
    ndim: int | tuple[int, ...] | None = None,
    min_ndim: int = 0,
    nonempty: bool = True,
    like=None,
    like_name: str = "",
) -> None:
    """Refuse, naming ``name``, what is not an array fit for minae's arithmetic: not an
    array (None, a string, a list), of a non-numeric dtype (or a non-float one where
    ``floats``), not ``ndim``-D (or below ``min_ndim``), empty where ``nonempty``, holding
    NaN or inf where ``finite``, or not shaped like ``like`` (``like_name``'s shape)."""
    if not hasattr(value, "ndim") or not hasattr(value, "dtype") or not hasattr(value, "shape"):
        raise TypeError(f"{name} must be an array, got {type(value).__name__}")
    kind = value.dtype.kind
    if kind not in "biuf" or (floats and kind != "f"):
        wanted = "floats" if floats else "numbers"
        raise TypeError(f"{name} must hold {wanted}, got dtype {value.dtype}")
    if ndim is not None and value.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        raise ValueError(f"{name} must be {ndim}-D, got shape {tuple(value.shape)}")
    if value.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} axes, got shape {tuple(value.shape)}"
        )
    if nonempty and value.size == 0:
        raise ValueError(f"{name} is empty (shape {tuple(value.shape)})")
    if like is not None and tuple(value.shape) != tuple(like.shape):
        raise ValueError(
            f"{name} has shape {tuple(value.shape)}, {like_name or 'expected'} {tuple(like.shape)}"
        )
    if finite and value.size and kind == "f":
        check_finite(value, name)


def check_choice(value, name: str, choices) -> str:
    """``value`` if it is one of the words ``choices``; a TypeError or ValueError naming
    ``name`` and the words otherwise."""
    words = sorted(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {words}, got {value!r}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {words}, got {value!r}")
    return value


def check_sizes(value, name: str, *, at_least: int = 1) -> tuple[int, ...]:
    """``value`` as a tuple of positive ints (a shape, or a list of widths), at least
    ``at_least`` of them; a TypeError or ValueError naming ``name`` otherwise."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a list of positive integers, got {value!r}")
    sizes = tuple(value)
    if not all(is_whole(n) for n in sizes):
        raise TypeError(f"{name} must hold integers, got {value!r}")
    if len(sizes) < at_least or any(int(n) < 1 for n in sizes):
        raise ValueError(f"{name} must be at least {at_least} positive integer(s), got {value!r}")
    return tuple(int(n) for n in sizes)


def check_path(value, name: str):
    """``value`` as a ``pathlib.Path``, if it is a str or a path; a TypeError naming
    ``name`` otherwise."""
    from pathlib import Path

    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file or folder path, got {type(value).__name__}")
    return Path(value)


def check_finite(X, name: str = "X") -> None:
    """Raise if ``X`` holds NaN or infinity, saying how many entries and where the first is.
    A host array is checked on the host, a device array on the device."""
    xp = numpy if isinstance(X, numpy.ndarray) else array_module()
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
    """``value`` as an int, if it is an integer >= 1 (NumPy's too; not a bool or a float);
    a TypeError or ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, numpy.integer)):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
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
        value, (int, float, numpy.integer, numpy.floating)
    ):
        raise TypeError(f"{name} must be a number, got {value!r}")
    return float(value)


def check_float(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a float: a finite real number (not a bool, a string or an array) in
    [low, high], an end excluded where ``low_open`` / ``high_open``; a TypeError or
    ValueError naming ``name`` otherwise."""
    value = check_number(value, name)
    below = low is not None and (value <= low if low_open else value < low)
    above = high is not None and (value >= high if high_open else value > high)
    if not numpy.isfinite(value) or below or above:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        span = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
        raise ValueError(f"{name} must be a finite number in {span}, got {value!r}")
    return value


def check_optional_positive_int(value, name: str) -> int | None:
    """None, or a positive integer (``check_positive_int``)."""
    return None if value is None else check_positive_int(value, name)


def check_non_negative(value, name: str) -> float:
    value = check_number(value, name)
    if not numpy.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def check_protocol_names(cls: type, protocol: tuple[str, ...]) -> None:
    """Refuse a class that defines a method one letter or so away from a protocol name
    (``generator`` for ``generators``): the base class's default would run in its place
    and nothing would say so. Called from ``__init_subclass__`` of ``Model`` and ``Layer``.
    """
    import difflib

    for name, value in vars(cls).items():
        if name.startswith("_") or name in protocol or not callable(value):
            continue
        near = difflib.get_close_matches(name, protocol, n=1, cutoff=0.85)
        if near:
            raise TypeError(
                f"{cls.__qualname__}.{name} is not part of the protocol: did you mean "
                f"{near[0]}? (the default {near[0]} would run in its place)"
            )
