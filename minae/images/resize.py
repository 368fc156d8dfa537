r"""Resizing images by separable interpolation: nearest, box, bilinear and bicubic.

Resizing an image X (H × W) to Ho × Wo is two matrix products,

.. math::
    Y = M_h \, X \, M_w^\top, \qquad M_h \in \mathbb R^{H_o \times H},\;
    M_w \in \mathbb R^{W_o \times W},

where row i of M holds the interpolation weights of output pixel i. Pixels are squares:
output pixel i covers input coordinates [i s, (i + 1) s) with s = n_in / n_out, so its
centre is (i + ½) s and the input pixel j sits at centre j + ½. Each weight is a kernel
k(·) of the distance between the two centres:

- ``"nearest"``: the input pixel under the output pixel's centre, j = ⌊(i + ½) s⌋;
- ``"box"``: k(t) = 1 on (-½, ½]: averages the pixels an output pixel covers (an exact
  block mean when shrinking by a whole factor; the downsampling of super-resolution);
- ``"bilinear"``: k(t) = 1 - |t| on |t| < 1;
- ``"bicubic"``: Keys's cubic convolution with a = -0.5 on |t| < 2.

When shrinking (s > 1) the kernel is stretched by s, so it averages rather than skips
pixels (anti-aliasing). Near the border the window is cut at the image's edge and the
weights that remain are rescaled to sum to 1. These are Pillow's conventions
(``Image.resize``), against which the tests check every method.
"""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module, to_device
from ..infrastructure.validation import (
    check_batch,
    check_choice,
    check_finite,
    check_positive_int,
    pair,
)


def _box(t):
    return ((t > -0.5) & (t <= 0.5)).astype(float)


def _triangle(t):
    return numpy.maximum(1.0 - numpy.abs(t), 0.0)


def _keys_cubic(t, a: float = -0.5):
    """Keys (1981): (a+2)|t|³ - (a+3)|t|² + 1 on |t| < 1, a(|t|³ - 5|t|² + 8|t| - 4) on
    1 ≤ |t| < 2, 0 beyond; a = -0.5 makes it third-order accurate."""
    t = numpy.abs(t)
    near = ((a + 2) * t - (a + 3)) * t * t + 1
    far = a * (((t - 5) * t + 8) * t - 4)
    return numpy.where(t < 1, near, numpy.where(t < 2, far, 0.0))


# method -> (kernel, its support: the half-width of the window, in input pixels)
_KERNELS = {"box": (_box, 0.5), "bilinear": (_triangle, 1.0), "bicubic": (_keys_cubic, 2.0)}
RESIZE_METHODS = ("nearest", *_KERNELS)


def resize_weights(n_in: int, n_out: int, method: str) -> numpy.ndarray:
    """The (n_out, n_in) matrix M whose row i interpolates output pixel i (host, float64).

    Slides 004's super-resolution baselines: lesson 11 writes Keys (1981)'s bicubic kernel
    as this matrix by hand and compares it with this one.

    Parameters
    ----------
    n_in, n_out : int
        Pixels along one side before and after.
    method : str
        ``"nearest"``, ``"box"``, ``"bilinear"`` or ``"bicubic"``.

    Returns
    -------
    numpy.ndarray (n_out, n_in)
        Each row sums to 1.
    """
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    check_choice(method, "method", RESIZE_METHODS)
    scale = n_in / n_out  # input pixels per output pixel
    centres = (numpy.arange(n_out) + 0.5) * scale  # output pixel centres, in input coordinates
    M = numpy.zeros((n_out, n_in))
    if method == "nearest":
        M[numpy.arange(n_out), numpy.minimum(centres.astype(int), n_in - 1)] = 1.0
        return M
    kernel, support = _KERNELS[method]
    stretch = max(scale, 1.0)  # shrinking widens the kernel: it averages, not skips
    support *= stretch
    for i, centre in enumerate(centres):
        lo = max(int(centre - support + 0.5), 0)  # the window, cut at the image's edge
        hi = min(int(centre + support + 0.5), n_in)
        j = numpy.arange(lo, hi)
        w = kernel((j + 0.5 - centre) / stretch)
        M[i, lo:hi] = w / w.sum()  # weights that remain sum to 1
    return M


def resize(X, size, method: str = "bicubic"):
    """Images X (B, C, H, W) resized to (B, C, Ho, Wo), ``size`` = (Ho, Wo) or an int.

    Y = M_h X M_w^T, the two weight matrices from ``resize_weights``. Values are not
    clipped: bicubic interpolation may overshoot [0, 1] near edges (clip if you need to).
    The interpolation of slides 004's super-resolution ("low-resolution image in,
    high-resolution image out"), lesson 11.

    Parameters
    ----------
    X : array (B, C, H, W)
        Images.
    size : int or (int, int)
        (Ho, Wo), or one int for both.
    method : str
        ``"nearest"``, ``"box"``, ``"bilinear"`` or ``"bicubic"`` (default).

    Returns
    -------
    array (B, C, Ho, Wo)
        In X's dtype, on X's device.
    """
    check_batch(X)
    if X.ndim != 4:
        raise ValueError(f"X must be images (B, C, H, W), got shape {tuple(X.shape)}")
    check_finite(X, "X")
    Ho, Wo = pair(size, "size")  # an int for both sides, or (Ho, Wo)
    if Ho < 1 or Wo < 1:
        raise ValueError(f"size must be positive, got {size!r}")
    check_choice(method, "method", RESIZE_METHODS)
    Mh = to_device(resize_weights(X.shape[2], Ho, method), X.dtype)  # (Ho, H)
    Mw = to_device(resize_weights(X.shape[3], Wo, method), X.dtype)  # (Wo, W)
    rows = X @ Mw.T  # (B, C, H, W) @ (W, Wo) -> (B, C, H, Wo)
    return array_module().matmul(Mh, rows)  # (Ho, H) @ (B, C, H, Wo) -> (B, C, Ho, Wo)


def _check_factor(X, factor) -> int:
    factor = check_positive_int(factor, "factor")
    check_batch(X)
    if X.ndim != 4:
        raise ValueError(f"X must be images (B, C, H, W), got shape {tuple(X.shape)}")
    check_finite(X, "X")
    return factor


def downsample(X, factor: int):
    """Each ``factor`` × ``factor`` block of X (B, C, H, W) replaced by its mean: the
    low-resolution image of super-resolution, (B, C, H / factor, W / factor).

    Slides 004's "low-resolution image in"; lesson 11 makes its inputs with it.

    Parameters
    ----------
    X : array (B, C, H, W)
        Images whose H and W are multiples of ``factor``.
    factor : int
        The block side, ≥ 1.
    """
    factor = _check_factor(X, factor)
    H, W = X.shape[2:]
    if H % factor or W % factor:
        raise ValueError(f"{H}×{W} images do not split into {factor}×{factor} blocks")
    return resize(X, (H // factor, W // factor), "box")


def upsample(X, factor: int, method: str = "bicubic"):
    """X (B, C, h, w) enlarged to (B, C, h · factor, w · factor) by ``method``.

    The interpolation baselines of slides 004's super-resolution, lesson 11 (bicubic:
    Keys 1981).

    Parameters
    ----------
    X : array (B, C, h, w)
        Images.
    factor : int
        The enlargement, ≥ 1.
    method : str
        ``"nearest"``, ``"box"``, ``"bilinear"`` or ``"bicubic"`` (default).
    """
    factor = _check_factor(X, factor)
    h, w = X.shape[2:]
    return resize(X, (h * factor, w * factor), method)
