r"""RGB ↔ YCbCr (ITU-R BT.601, full range, as JPEG uses it), by hand.

A colour image splits into luminance Y, what a gray photograph keeps, and two chroma
channels Cb, Cr, what colourisation has to guess:

.. math::
    Y = 0.299 R + 0.587 G + 0.114 B, \qquad
    C_b = \frac{B - Y}{1.772}, \qquad C_r = \frac{R - Y}{1.402}

For RGB in [0, 1], Y lies in [0, 1] and Cb, Cr in [-½, ½] (centred on 0 here; JPEG adds
½ to store them as bytes). The map is a 3 × 3 matrix on each pixel's (R, G, B), and its
inverse gives RGB back.
"""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module, to_device
from ..infrastructure.validation import check_batch, check_finite

LUMA_BT601 = (0.299, 0.587, 0.114)  # the weights of R, G, B in Y


def _rgb_to_ycbcr_matrix() -> numpy.ndarray:
    kr, kg, kb = LUMA_BT601
    luma = numpy.array([kr, kg, kb])
    blue_minus_luma = numpy.array([0.0, 0.0, 1.0]) - luma  # B - Y
    red_minus_luma = numpy.array([1.0, 0.0, 0.0]) - luma  # R - Y
    return numpy.stack(
        [luma, blue_minus_luma / (2 * (1 - kb)), red_minus_luma / (2 * (1 - kr))]
    )  # rows Y, Cb, Cr; 2 (1 - kb) = 1.772, 2 (1 - kr) = 1.402


RGB_TO_YCBCR = _rgb_to_ycbcr_matrix()
YCBCR_TO_RGB = numpy.linalg.inv(RGB_TO_YCBCR)


def _check_three_channels(X, name: str) -> None:
    check_batch(X, name)
    if X.ndim != 4 or X.shape[1] != 3:
        raise ValueError(f"{name} must be images (B, 3, H, W), got shape {tuple(X.shape)}")
    check_finite(X, name)


def _per_pixel(M: numpy.ndarray, X):
    """The 3 × 3 matrix M applied to every pixel's channel vector of X (B, 3, H, W)."""
    M = to_device(M, X.dtype)
    return array_module().einsum("ij,bjhw->bihw", M, X)  # (3, 3) · (B, 3, H, W)


def rgb_to_ycbcr(X):
    """RGB images X (B, 3, H, W) as (B, 3, H, W) with channels Y, Cb, Cr.

    Slides 004's colorization ("grayscale, 1 channel in; RGB, 3 channels out"): lesson 12
    gives the model Y and has it predict Cb and Cr; lesson 11 super-resolves Y.

    Parameters
    ----------
    X : array (B, 3, H, W)
        RGB, usually in [0, 1].
    """
    _check_three_channels(X, "X")
    return _per_pixel(RGB_TO_YCBCR, X)


def ycbcr_to_rgb(X):
    """YCbCr images (B, 3, H, W) (channels Y, Cb, Cr) back to RGB; not clipped to [0, 1].

    The inverse of ``rgb_to_ycbcr``; lessons 11 and 12 turn their predictions back into
    colour images with it (slides 004, super-resolution and colorization).

    Parameters
    ----------
    X : array (B, 3, H, W)
        Channels Y, Cb, Cr.
    """
    _check_three_channels(X, "X")
    return _per_pixel(YCBCR_TO_RGB, X)
