"""Corruptions X → X̃ for denoising autoencoders (slides 001, "Training Denoising AEs").

Each takes the clean batch X (B, N) and a ``numpy.random.Generator`` and returns X̃ of
the same shape, so any of them (with its parameter bound by ``functools.partial``) can
be passed to ``train(..., corrupt=...)``. Random numbers are drawn on the host, so a seed
gives the same corruption on either backend.
"""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module, to_device
from ..infrastructure.random_numbers import require_generator
from ..infrastructure.validation import (
    check_batch,
    check_finite,
    check_float,
    check_positive_int,
    check_sizes,
)


def _image_shape(shape) -> tuple[int, int]:
    """(H, W) of flattened images: two positive ints."""
    sizes = check_sizes(shape, "shape", at_least=2)
    if len(sizes) != 2:
        raise ValueError(f"shape must be (H, W), got {shape!r}")
    return sizes[0], sizes[1]


def _fraction(value: float, name: str) -> float:
    return check_float(value, name, low=0.0, high=1.0)


def _uniform(rng: numpy.random.Generator, X, dtype=None):
    return to_device(rng.random(size=X.shape), dtype or X.dtype)


def gaussian_noise(X, rng, sigma: float = 0.3):
    """X̃ = clip(X + σ ε, 0, 1), ε ~ N(0, I): additive noise, pixels kept in [0, 1].

    Slides 001's "Training Denoising AEs" and slides 002's "Denoising Autoencoder" (X + 0.5
    N(0, 1), clipped); lessons 07 and 10. For ``train(corrupt=...)``.

    Parameters
    ----------
    X : array (B, ...)
        A batch, usually in [0, 1]; left unchanged.
    rng : numpy.random.Generator
        Draws the corruption (on the host).
    sigma : float
        σ ≥ 0 (default 0.3).

    Returns
    -------
    array shaped like X (B, ...)
    """
    check_batch(X)
    require_generator(rng)
    sigma = check_float(sigma, "sigma", low=0.0)
    noise = to_device(rng.normal(size=X.shape), X.dtype)
    return array_module().clip(X + sigma * noise, 0.0, 1.0)


def masking_noise(X, rng, nu: float = 0.3):
    """Each input set to 0 with probability ν, independently (Vincent et al. 2008).

    Slides 003's "Denoising Autoencoder" input x̃; lesson 07. For ``train(corrupt=...)``.

    Parameters
    ----------
    X : array (B, ...)
        A batch, usually in [0, 1]; left unchanged.
    rng : numpy.random.Generator
        Draws the corruption (on the host).
    nu : float
        ν in [0, 1] (default 0.3).

    Returns
    -------
    array shaped like X (B, ...)
    """
    check_batch(X)
    require_generator(rng)
    nu = _fraction(nu, "nu")
    return X * (_uniform(rng, X) >= nu)


def salt_and_pepper(X, rng, fraction: float = 0.2):
    """A ``fraction`` of the inputs, chosen at random, set to 0 or 1 with equal probability.

    Vincent et al. (2010)'s salt-and-pepper noise; lesson 07. For ``train(corrupt=...)``.

    Parameters
    ----------
    X : array (B, ...)
        A batch, usually in [0, 1]; left unchanged.
    rng : numpy.random.Generator
        Draws the corruption (on the host).
    fraction : float
        In [0, 1] (default 0.2).

    Returns
    -------
    array shaped like X (B, ...)
    """
    check_batch(X)
    require_generator(rng)
    fraction = _fraction(fraction, "fraction")
    xp = array_module()
    hit = _uniform(rng, X) < fraction
    salt = _uniform(rng, X) < 0.5
    return xp.where(hit, salt.astype(X.dtype), X)


def block_masking(X, rng, size: int = 12, shape=(28, 28)):
    """One ``size`` x ``size`` square of each image set to 0, at a random place: the input
    of image completion (inpainting; slides 004, "image completion").

    X is (B, H·W) with ``shape`` = (H, W), or images (B, C, H, W), whose own H, W are used
    and whose channels lose the same square. The corners are drawn on the host.
    Lesson 10's image completion.

    Parameters
    ----------
    X : array (B, H·W) or (B, C, H, W)
        A batch; left unchanged.
    rng : numpy.random.Generator
        Draws each square's corner.
    size : int
        The square's side in pixels (default 12).
    shape : (int, int)
        (H, W) of flattened rows (default (28, 28)); ignored for (B, C, H, W).

    Returns
    -------
    array shaped like X
    """
    check_batch(X)
    require_generator(rng)
    size = check_positive_int(size, "size")
    height, width = X.shape[-2:] if X.ndim == 4 else _image_shape(shape)
    if X.ndim == 2 and height * width != X.shape[1]:
        raise ValueError(f"X: cannot read {X.shape[1]} features as {shape} images")
    if X.ndim not in (2, 4):
        raise ValueError(f"X must be (B, H*W) or (B, C, H, W), got shape {tuple(X.shape)}")
    if size > min(height, width):
        raise ValueError(f"a {size}x{size} block does not fit in {height}x{width} images")
    B = X.shape[0]
    top = rng.integers(0, height - size + 1, size=B)[:, None]  # (B, 1)
    left = rng.integers(0, width - size + 1, size=B)[:, None]  # (B, 1)
    rows, cols = numpy.arange(height), numpy.arange(width)
    in_rows = (rows >= top) & (rows < top + size)  # (B, H)
    in_cols = (cols >= left) & (cols < left + size)  # (B, W)
    hole = in_rows[:, :, None] & in_cols[:, None, :]  # (B, H, W)
    keep = to_device(~hole)  # (B, H, W), False in the square
    xp = array_module()
    zero = xp.zeros((), dtype=X.dtype)
    if X.ndim == 4:  # the same square in every channel; exactly 0 there, whatever X held
        return xp.where(keep[:, None], X, zero)
    return xp.where(keep.reshape(B, height * width), X, zero)  # (B, H, W) -> (B, H·W)


def downsample_upsample(X, rng=None, *, factor: int = 2, shape=(28, 28)):
    """Average ``factor`` x ``factor`` blocks, then repeat each block mean: a blurred image
    at the original size, the input of a super-resolution autoencoder. ``rng`` is unused.

    Slides 001's DAE that can "increase the resolution" and slides 004's super-resolution, on
    flattened rows for ``train(corrupt=...)``; lesson 11 uses ``minae.images`` on
    (B, C, H, W) images instead.

    Parameters
    ----------
    X : array (B, H·W)
        Flattened gray images.
    rng : ignored
        There for ``corrupt(X_batch, rng)``'s signature.
    factor : int
        The block side (default 2); H and W must be multiples of it.
    shape : (int, int)
        (H, W) (default (28, 28)).

    Returns
    -------
    array (B, H·W)
    """
    check_batch(X)
    factor = check_positive_int(factor, "factor")
    height, width = _image_shape(shape)
    if X.ndim != 2:
        raise ValueError(f"X must be flattened images (B, H·W), got shape {tuple(X.shape)}")
    if height * width != X.shape[1] or height % factor or width % factor:
        raise ValueError(
            f"X: cannot split {X.shape[1]} features into {shape} images of {factor}x{factor} blocks"
        )
    B = X.shape[0]
    blocks = X.reshape(B, height // factor, factor, width // factor, factor)
    means = blocks.mean(axis=(2, 4))  # (B, h/f, f, w/f, f) -> (B, h/f, w/f)
    xp = array_module()
    up = xp.repeat(xp.repeat(means, factor, axis=1), factor, axis=2)  # -> (B, h, w)
    return up.reshape(B, height * width)


LUMA = (0.299, 0.587, 0.114)  # ITU-R BT.601 weights of R, G, B


def rgb_to_gray(X, rng=None):
    """Gray level 0.299 R + 0.587 G + 0.114 B of channels-last RGB images, flattened.

    X is (B, 3P), the P pixels' (R, G, B) triples in a row; X̃ is (B, P), the input of
    a dense colourisation autoencoder. ``rng`` is unused. For images (B, 3, H, W), as
    convolutional models take them, ``minae.images.rgb_to_ycbcr`` gives the same gray
    level as its Y channel (lesson 12). Slides 001's DAE that can "color a gray image",
    on flattened rows for ``train(corrupt=..., target=...)``.

    Parameters
    ----------
    X : array (B, 3P)
        Channels-last RGB rows.
    rng : ignored
        There for ``corrupt(X_batch, rng)``'s signature.
    """
    check_batch(X)
    check_finite(X, "X")
    if X.shape[1] % 3:
        raise ValueError(f"RGB images need a multiple of 3 features, got {X.shape[1]}")
    pixels = X.reshape(X.shape[0], -1, 3)  # (B, 3P) -> (B, P, 3)
    return pixels @ to_device(numpy.array(LUMA), X.dtype)  # (B, P, 3) @ (3,) -> (B, P)
