"""Convolution, transposed convolution and pooling as their definitions: loops over pixels.

Slow and obvious on purpose (CS231n's ``conv_forward_naive``): every function is the
formula written out, one output pixel at a time, sharing nothing with the fast layers
(``minae/layers/``), which the tests check against these. Host NumPy arrays, float64:
a specification to read and to check with, not a path the models run.

Shapes in the layers' notation: x (B, C, H, W); a convolution's W (C_out, C_in, kh, kw);
a transposed convolution's W (C_in, C_out, kh, kw); stride (sh, sw), padding (ph, pw).
"""

from __future__ import annotations

import numpy as np


def padded(x, ph: int, pw: int, value: float = 0.0):
    """x (B, C, H, W) with ``value`` around it: (B, C, H + 2ph, W + 2pw).

    The zero padding of lesson 10's convolution (and -∞ for max pooling).

    Parameters
    ----------
    x : float64 array (B, C, H, W)
        Images.
    ph, pw : int
        Rows above and below, columns left and right.
    value : float
        What to pad with (default 0).
    """
    B, C, H, W = x.shape
    out = np.full((B, C, H + 2 * ph, W + 2 * pw), value, dtype=x.dtype)
    out[:, :, ph : ph + H, pw : pw + W] = x
    return out


def im2col(x, kernel, stride, padding):
    """Column (i, j, b) = the patch under output pixel (i, j) of image b, flattened as
    (C, kh, kw): (C·kh·kw, Ho·Wo·B), columns ordered (Ho, Wo, B) as minae lays them out.

    CS231n's im2col (Karpathy et al. 2016), which makes a convolution one matrix product;
    lesson 10 section 0 and the exercises (``e10_convolution``).

    Parameters
    ----------
    x : float64 array (B, C, H, W)
        Images.
    kernel, stride, padding : (int, int)
        (kh, kw), (sh, sw) and (ph, pw): the contract of ``minae.fast.im2col.im2col``, whose
        columns these equal.
    """
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    B, C, H, W = x.shape
    Ho, Wo = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1
    xp = padded(x, ph, pw)
    cols = np.zeros((C * kh * kw, Ho, Wo, B), dtype=x.dtype)
    for b in range(B):
        for i in range(Ho):
            for j in range(Wo):
                cols[:, i, j, b] = xp[b, :, i * sh : i * sh + kh, j * sw : j * sw + kw].ravel()
    return cols.reshape(C * kh * kw, Ho * Wo * B)  # (C·kh·kw, Ho, Wo, B) -> 2-D


def conv2d(x, W, b, stride, padding):
    """Y[n, o, i, j] = b[o] + Σ_c,u,v W[o, c, u, v] x_pad[n, c, i·s + u, j·s + v].

    Slides 002's "Convolutional Autoencoder"; lesson 10 section 0 derives it by loops.

    Parameters
    ----------
    x : float64 array (B, C, H, W)
        Images.
    W : float64 array (C_out, C_in, kh, kw)
        The kernels.
    b : float64 array (C_out,)
        The biases.
    stride, padding : (int, int)
        (sh, sw) and (ph, pw).

    Returns
    -------
    Y : array (B, C_out, Ho, Wo)
    """
    (sh, sw), (ph, pw) = stride, padding
    B, _, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    Ho, Wo = (H + 2 * ph - kh) // sh + 1, (Wd + 2 * pw - kw) // sw + 1
    xp = padded(x, ph, pw)
    Y = np.zeros((B, C_out, Ho, Wo))
    for n in range(B):
        for o in range(C_out):
            for i in range(Ho):
                for j in range(Wo):
                    patch = xp[n, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
                    Y[n, o, i, j] = b[o] + np.sum(W[o] * patch)
    return Y


def conv2d_backward(x, W, dY, stride, padding):
    """dx, dW, db of ``conv2d``, by the chain rule pixel by pixel: output pixel (i, j)
    read patch (i, j) through W[o], so it sends dY[n, o, i, j]·W[o] back to that patch
    and adds dY[n, o, i, j]·patch to dW[o].

    Slides 002's "Convolutional Autoencoder"; lesson 10 section 0 derives it by loops.

    Parameters
    ----------
    x : float64 array (B, C, H, W)
        Images.
    W : float64 array (C_out, C_in, kh, kw)
        The kernels.
    dY : float64 array (B, C_out, Ho, Wo)
        ∂R̂/∂Y.
    stride, padding : (int, int)
        (sh, sw) and (ph, pw).

    Returns
    -------
    dx, dW, db : arrays shaped like x, W and (C_out,)
    """
    (sh, sw), (ph, pw) = stride, padding
    B, _, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    xp = padded(x, ph, pw)
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for n in range(B):
        for o in range(C_out):
            for i in range(dY.shape[2]):
                for j in range(dY.shape[3]):
                    rows, cols = slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw)
                    dxp[n, :, rows, cols] += W[o] * dY[n, o, i, j]
                    dW[o] += xp[n, :, rows, cols] * dY[n, o, i, j]
    return dxp[:, :, ph : ph + H, pw : pw + Wd], dW, dY.sum(axis=(0, 2, 3))


def conv_transpose2d(x, W, b, stride, padding, output_padding):
    """Every input pixel stamps x[n, c, i, j] · W[c] at (i·s - p, j·s - p) of the output.

    The decoder's upsampling (Dumoulin & Visin 2016); lesson 10 section 0 shows it is the
    convolution's input gradient.

    Parameters
    ----------
    x : float64 array (B, C_in, H, W)
        Images.
    W : float64 array (C_in, C_out, kh, kw)
        The kernels.
    b : float64 array (C_out,)
        The biases.
    stride, padding, output_padding : (int, int)
        (sh, sw), (ph, pw) and the rows and columns added at the bottom and right.

    Returns
    -------
    Y : array (B, C_out, Ho, Wo)
        Ho = (H - 1)·sh - 2ph + kh + output_padding (and Wo alike).
    """
    (sh, sw), (ph, pw), (oh, ow) = stride, padding, output_padding
    B, C, H, Wd = x.shape
    _, C_out, kh, kw = W.shape
    Ho, Wo = (H - 1) * sh - 2 * ph + kh + oh, (Wd - 1) * sw - 2 * pw + kw + ow
    big = np.zeros((B, C_out, Ho + 2 * ph + kh, Wo + 2 * pw + kw))
    for n in range(B):
        for c in range(C):
            for i in range(H):
                for j in range(Wd):
                    big[n, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += x[n, c, i, j] * W[c]
    return big[:, :, ph : ph + Ho, pw : pw + Wo] + b[:, None, None]


def conv_transpose2d_backward(x, W, dY, stride, padding):
    """dx, dW, db of ``conv_transpose2d``: the stamp of input pixel (i, j) covered an
    output window, so x[n, c, i, j] receives Σ W[c] · dY over that window and W[c] the sum
    of x[n, c, i, j] · that window of dY (output rows and columns past the stamps, and
    the cropped padding, received nothing).

    Lesson 10 section 0 (Dumoulin & Visin 2016).

    Parameters
    ----------
    x : float64 array (B, C_in, H, W)
        Images.
    W : float64 array (C_in, C_out, kh, kw)
        The kernels.
    dY : float64 array (B, C_out, Ho, Wo)
        ∂R̂/∂Y.
    stride, padding : (int, int)
        (sh, sw) and (ph, pw).

    Returns
    -------
    dx, dW, db : arrays shaped like x, W and (C_out,)
    """
    (sh, sw), (ph, pw) = stride, padding
    B, C, H, Wd = x.shape
    _, C_out, kh, kw = W.shape
    big = np.zeros((B, C_out, (H - 1) * sh + kh + 2 * ph, (Wd - 1) * sw + kw + 2 * pw))
    rows, cols = min(dY.shape[2], big.shape[2] - ph), min(dY.shape[3], big.shape[3] - pw)
    big[:, :, ph : ph + rows, pw : pw + cols] = dY[:, :, :rows, :cols]
    dx, dW = np.zeros_like(x), np.zeros_like(W)
    for n in range(B):
        for c in range(C):
            for i in range(H):
                for j in range(Wd):
                    window = big[n, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
                    dx[n, c, i, j] = np.sum(W[c] * window)
                    dW[c] += x[n, c, i, j] * window
    return dx, dW, dY.sum(axis=(0, 2, 3))


def pooled_size(n: int, k: int, s: int, p: int, ceil_mode: bool) -> int:
    """Windows of k with stride s over n pixels padded by p; with ``ceil_mode`` a last,
    partial window is kept when it starts inside the input or its left padding.

    The output size of slides 002's pooling (the Keras blog's ``padding="same"``, Chollet
    2016), lesson 10.

    Parameters
    ----------
    n : int
        Pixels along one side.
    k, s, p : int
        Window, stride and padding along it.
    ceil_mode : bool
        Keep the last partial window.
    """
    if not ceil_mode:
        return (n + 2 * p - k) // s + 1
    count = -(-(n + 2 * p - k) // s) + 1
    return count - 1 if (count - 1) * s >= n + p else count


def max_pool2d(x, kernel, stride, padding, ceil_mode):
    """Y = the largest entry of each window, and where it sits (the first one, row-major,
    where several tie): Y (B, C, Ho, Wo), where (B, C, Ho, Wo, 2) in x's coordinates.

    Slides 002's max pooling, lesson 10.

    Parameters
    ----------
    x : float64 array (B, C, H, W)
        Images.
    kernel, stride, padding : (int, int)
        The window, its stride and the -∞ padding.
    ceil_mode : bool
        Keep a last window that hangs over the edge.
    """
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    B, C, H, W = x.shape
    Ho, Wo = pooled_size(H, kh, sh, ph, ceil_mode), pooled_size(W, kw, sw, pw, ceil_mode)
    xp = np.full((B, C, H + 2 * ph + kh + sh, W + 2 * pw + kw + sw), -np.inf)
    xp[:, :, ph : ph + H, pw : pw + W] = x
    Y = np.zeros((B, C, Ho, Wo))
    where = np.zeros((B, C, Ho, Wo, 2), dtype=int)
    for n in range(B):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    win = xp[n, c, i * sh : i * sh + kh, j * sw : j * sw + kw]
                    u, v = np.unravel_index(np.argmax(win), win.shape)  # the first maximum
                    Y[n, c, i, j] = win[u, v]
                    where[n, c, i, j] = (i * sh + u - ph, j * sw + v - pw)
    return Y, where


def max_pool2d_backward(x_shape, where, dY):
    """dY[n, c, i, j] goes to the entry that won window (i, j); the others get nothing.

    Slides 002's max pooling, backward; lesson 10.

    Parameters
    ----------
    x_shape : (int, int, int, int)
        (B, C, H, W) of the pooled input.
    where : int array (B, C, Ho, Wo, 2)
        From ``max_pool2d``.
    dY : float64 array (B, C, Ho, Wo)
        ∂R̂/∂Y.
    """
    dx = np.zeros(x_shape)
    B, C, Ho, Wo = dY.shape
    for n in range(B):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    u, v = where[n, c, i, j]
                    dx[n, c, u, v] += dY[n, c, i, j]
    return dx


def avg_pool2d(x, kernel, stride):
    """Y[n, c, i, j] = the mean of window (i, j) of x[n, c].

    Mean pooling (LeCun et al. 1998's subsampling).

    Parameters
    ----------
    x : float64 array (B, C, H, W)
        Images.
    kernel, stride : (int, int)
        The window and its stride.

    Returns
    -------
    Y : array (B, C, Ho, Wo)
    """
    (kh, kw), (sh, sw) = kernel, stride
    B, C, H, W = x.shape
    Ho, Wo = (H - kh) // sh + 1, (W - kw) // sw + 1
    Y = np.zeros((B, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            Y[:, :, i, j] = x[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].mean(axis=(2, 3))
    return Y


def avg_pool2d_backward(x_shape, kernel, stride, dY):
    """Each entry of window (i, j) receives dY[n, c, i, j] / (kh·kw).

    Mean pooling's backward (LeCun et al. 1998).

    Parameters
    ----------
    x_shape : (int, int, int, int)
        (B, C, H, W) of the pooled input.
    kernel, stride : (int, int)
        The window and its stride.
    dY : float64 array (B, C, Ho, Wo)
        ∂R̂/∂Y.
    """
    (kh, kw), (sh, sw) = kernel, stride
    dx = np.zeros(x_shape)
    for i in range(dY.shape[2]):
        for j in range(dY.shape[3]):
            dx[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += dY[:, :, i, j, None, None] / (
                kh * kw
            )
    return dx
