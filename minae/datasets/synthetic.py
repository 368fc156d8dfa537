"""Data sets built in code, for lessons and tests that need no download.

Each draws from a ``numpy.random.Generator`` (or int seed) on the host and returns the
data as a backend array in the default float dtype (or ``dtype``), plus the generating
factors as NumPy arrays, so a lesson can compare a learned code with the truth.
"""

from __future__ import annotations

import numpy

from ..infrastructure.backend import resolve_dtype, to_device
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_float, check_non_negative, check_positive_int


def line(n: int, rng, *, noise: float = 0.0, dtype=None):
    """Slides 000's points x = [2α, α] with α ~ N(0, 1), plus N(0, noise²) per coordinate.

    Returns (X (n, 2), α (n,)). With noise = 0 every point lies on the line through
    [2, 1], which a one-unit linear code holds without loss. Lesson 01.

    Parameters
    ----------
    n : int
        Points.
    rng : numpy.random.Generator or int
        Draws α and the noise.
    noise : float
        The noise's standard deviation (default 0).
    dtype : float32 or float64, optional
        The backend's default when None.
    """
    n, rng = check_positive_int(n, "n"), as_generator(rng)
    alpha = rng.normal(size=n)
    X = numpy.outer(alpha, [2.0, 1.0])  # (n,) x (2,) -> (n, 2)
    X += check_non_negative(noise, "noise") * rng.normal(size=X.shape)
    return to_device(X, resolve_dtype(dtype)), alpha


def circle(n: int, rng, *, noise: float = 0.0, dtype=None):
    """Slides 000's nonlinear example x = [sin θ, cos θ], θ ~ U[0, 2π).

    Returns (X (n, 2), θ (n,)). No line holds these points, but the one number θ does.
    Lesson 03 (slides 000, "Nonlinear Compression").

    Parameters
    ----------
    n : int
        Points.
    rng : numpy.random.Generator or int
        Draws θ and the noise.
    noise : float
        The noise's standard deviation (default 0).
    dtype : float32 or float64, optional
        The backend's default when None.
    """
    n, rng = check_positive_int(n, "n"), as_generator(rng)
    theta = rng.uniform(0.0, 2 * numpy.pi, size=n)
    X = numpy.stack([numpy.sin(theta), numpy.cos(theta)], axis=1)  # (n, 2)
    X += check_non_negative(noise, "noise") * rng.normal(size=X.shape)
    return to_device(X, resolve_dtype(dtype)), theta


def stretched_gaussian(n: int, rng, *, angle: float = 0.5, stds=(2.0, 0.3), dtype=None):
    """A 2-D Gaussian cloud with standard deviations ``stds`` along axes rotated by ``angle``.

    Returns (X (n, 2), axes (2, 2)): the rows of ``axes`` are the unit directions of the
    long and the short axis, the principal components PCA should find. Slides 000's
    "Principle Component" cloud, lesson 01.

    Parameters
    ----------
    n : int
        Points.
    rng : numpy.random.Generator or int
        Draws the points.
    angle : float
        The long axis's angle to the first coordinate, in radians (default 0.5).
    stds : (float, float)
        Standard deviations along the long and the short axis.
    dtype : float32 or float64, optional
        The backend's default when None.
    """
    n, rng = check_positive_int(n, "n"), as_generator(rng)
    angle = check_float(angle, "angle")
    try:
        stds = tuple(check_float(v, "stds", low=0.0) for v in stds)
    except TypeError:
        raise TypeError(f"stds must be two standard deviations, got {stds!r}") from None
    if len(stds) != 2:
        raise ValueError(f"stds must be two standard deviations, got {stds!r}")
    c, s = numpy.cos(angle), numpy.sin(angle)
    axes = numpy.array([[c, s], [-s, c]])
    X = (rng.normal(size=(n, 2)) * numpy.asarray(stds)) @ axes  # (n, 2) @ (2, 2) -> (n, 2)
    return to_device(X, resolve_dtype(dtype)), axes


SHAPE_KINDS = ("square", "disc", "triangle")


def shapes(n: int, rng, *, size: int = 28, dtype=None):
    """``n`` images of one white shape (square, disc or triangle) on black, ``size`` x ``size``.

    Each shape has a random centre and radius. Returns (X (n, size²) in [0, 1], factors),
    where ``factors`` holds NumPy arrays ``kind`` (index into ``SHAPE_KINDS``), ``x``,
    ``y`` (centre, pixels) and ``radius``. What ``python -m minae`` (the README's first
    model) trains on when MNIST is not installed, in place of slides 001's "Example:
    Compressing MNIST".

    Parameters
    ----------
    n : int
        Images.
    rng : numpy.random.Generator or int
        Draws the kinds, centres and radii.
    size : int
        The side in pixels (default 28).
    dtype : float32 or float64, optional
        The backend's default when None.
    """
    n, rng = check_positive_int(n, "n"), as_generator(rng)
    size = check_positive_int(size, "size")
    kind = rng.integers(0, len(SHAPE_KINDS), size=n)
    radius = rng.uniform(0.15, 0.3, size=n) * size
    x = rng.uniform(radius, size - radius)
    y = rng.uniform(radius, size - radius)
    rows, cols = numpy.mgrid[0:size, 0:size] + 0.5  # pixel centres, (size, size) each
    dx = cols[None] - x[:, None, None]  # (1, s, s) - (n, 1, 1) -> (n, s, s)
    dy = rows[None] - y[:, None, None]
    r = radius[:, None, None]
    masks = numpy.stack(
        [
            (numpy.abs(dx) <= r) & (numpy.abs(dy) <= r),  # square
            dx**2 + dy**2 <= r**2,  # disc
            (dy <= r) & (dy >= numpy.abs(dx) * 2 - r),  # triangle, apex up
        ]
    )  # (3, n, s, s)
    images = masks[kind, numpy.arange(n)].reshape(n, size * size)
    factors = {"kind": kind, "x": x, "y": y, "radius": radius}
    return to_device(images, resolve_dtype(dtype)), factors
