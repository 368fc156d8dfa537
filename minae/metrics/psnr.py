r"""Peak signal-to-noise ratio, the figure of super-resolution and colourisation.

For one image X̂ against its reference X, with N entries and peak value P (1.0 for
images in [0, 1]):

.. math::
    \mathrm{MSE} = \frac1N \sum_j (\hat x_j - x_j)^2, \qquad
    \mathrm{PSNR} = 10 \log_{10} \frac{P^2}{\mathrm{MSE}} \ \text{dB}

Higher is better; +3 dB halves the squared error. A set's PSNR is the **mean of the
per-image values** (as the super-resolution literature reports it), not the PSNR of the
pooled error. An exact reconstruction has MSE = 0 and PSNR = +inf, and so has a mean
containing one: ``psnr_per_image`` shows which images those are (flat patches are
reproduced exactly by any interpolation, which is why ``image_patches`` can skip them).

For RGB images the literature measures PSNR on luminance only (SRCNN, and most papers
since): ``luminance_only=True`` takes Y = 16/255 + (65.481 R + 128.553 G + 24.966 B)/255, the
BT.601 studio-range luma of MATLAB's ``rgb2ycbcr``, on both images first.
"""

from __future__ import annotations

import math

import numpy

from ..infrastructure.backend import array_module, to_device, to_host
from ..infrastructure.validation import (
    check_batch,
    check_bool,
    check_finite,
    check_float,
    check_same_shape,
)

LUMA_STUDIO = (65.481 / 255, 128.553 / 255, 24.966 / 255)  # BT.601 luma, studio range
_LUMA_OFFSET = 16 / 255


def luminance(X):
    """Studio-range BT.601 luma Y (B, 1, H, W) of RGB images X (B, 3, H, W) in [0, 1].

    What super-resolution papers measure PSNR on (Dong et al. 2016, SRCNN); lesson 11.

    Parameters
    ----------
    X : array (B, 3, H, W)
        RGB images in [0, 1].
    """
    check_batch(X)
    if X.ndim != 4 or X.shape[1] != 3:
        raise ValueError(f"X must be RGB images (B, 3, H, W) for luminance, got {tuple(X.shape)}")
    check_finite(X, "X")
    weights = to_device(numpy.array(LUMA_STUDIO), X.dtype)
    Y = array_module().einsum("c,bchw->bhw", weights, X) + _LUMA_OFFSET  # (B, H, W)
    return Y[:, None]  # (B, H, W) -> (B, 1, H, W)


def psnr_per_image(X_hat, X, *, peak: float = 1.0, luminance_only: bool = False):
    """PSNR of each image of X_hat against X (both (B, ...)), a host array (B,) in dB.

    Lesson 11 (slides 004's super-resolution) writes each image's PSNR under it.

    Parameters
    ----------
    X_hat, X : arrays of the same shape (B, ...)
        Reconstructions and references.
    peak : float
        P, the largest value an entry can take (default 1.0).
    luminance_only : bool
        Measure RGB images (B, 3, H, W) on their luma (``luminance``) only.
    """
    check_batch(X_hat, "X_hat")
    check_batch(X, "X")
    check_same_shape(X_hat, X, "X_hat", "X")
    peak = check_float(peak, "peak", low=0.0, low_open=True)
    if check_bool(luminance_only, "luminance_only"):
        X_hat, X = luminance(X_hat), luminance(X)
    B = X.shape[0]
    residual = (X_hat.astype("float64") - X.astype("float64")).reshape(B, -1)  # (B, N)
    mse = to_host((residual * residual).mean(axis=1))  # (B,)
    if not numpy.all(numpy.isfinite(mse)):
        raise ValueError("X_hat or X holds NaN or inf")
    with numpy.errstate(divide="ignore"):  # MSE = 0: an exact image, PSNR = +inf
        return 10 * numpy.log10(peak**2 / mse)


def psnr(X_hat, X, *, peak: float = 1.0, luminance_only: bool = False) -> float:
    """The mean over images of their PSNR in dB (+inf if one image is reproduced exactly).

    ``luminance_only`` measures RGB images on their studio-range luma, as the
    super-resolution literature does (Dong et al. 2016). The figure of lessons 11 and 12
    (slides 004's super-resolution and colorization).

    Parameters
    ----------
    X_hat, X : arrays of the same shape (B, ...)
        Reconstructions and references.
    peak : float
        P (default 1.0).
    luminance_only : bool
        Measure RGB images (B, 3, H, W) on their luma only.

    Returns
    -------
    float
        The mean of ``psnr_per_image``, in dB.
    """
    values = psnr_per_image(X_hat, X, peak=peak, luminance_only=luminance_only)
    return float(values.mean()) if numpy.all(values < math.inf) else math.inf
