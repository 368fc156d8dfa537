"""Plain loops over every output pixel: the definitions the fast image layers must equal.

Slow and obvious on purpose (CS231n's naive/fast split): each function is the formula
written out, with nothing shared with ``minae.layers.im2col``.
"""

import numpy as np


def padded(x, ph, pw, value=0.0):
    B, C, H, W = x.shape
    out = np.full((B, C, H + 2 * ph, W + 2 * pw), value, dtype=x.dtype)
    out[:, :, ph : ph + H, pw : pw + W] = x
    return out


def im2col_loop(x, kh, kw, sh, sw, ph, pw):
    """Column (i, j, b) = the patch under output pixel (i, j) of image b, flattened as
    (C, kh, kw); columns ordered (Ho, Wo, B), as minae lays them out."""
    B, C, H, W = x.shape
    Ho, Wo = (H + 2 * ph - kh) // sh + 1, (W + 2 * pw - kw) // sw + 1
    xp = padded(x, ph, pw)
    cols = np.zeros((C * kh * kw, Ho, Wo, B), dtype=x.dtype)
    for b in range(B):
        for i in range(Ho):
            for j in range(Wo):
                cols[:, i, j, b] = xp[b, :, i * sh : i * sh + kh, j * sw : j * sw + kw].ravel()
    return cols.reshape(C * kh * kw, Ho * Wo * B)


def conv2d_loop(x, W, b, stride, padding):
    """Y[n, o, i, j] = b[o] + Σ_c,u,v W[o, c, u, v] x_pad[n, c, i·s + u, j·s + v]."""
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


def conv2d_loop_backward(x, W, dY, stride, padding):
    """dx, dW, db of conv2d_loop, by the chain rule pixel by pixel."""
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


def conv_transpose2d_loop(x, W, b, stride, padding, output_padding):
    """Every input pixel stamps x[n, c, i, j] · W[c] at (i·s - p, j·s - p) of the output."""
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


def max_pool_loop(x, kernel, stride, padding, ceil_mode):
    """Y = the largest entry of each window; dY goes to the first largest entry."""
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    B, C, H, W = x.shape

    def count(n, k, s, p):
        if not ceil_mode:
            return (n + 2 * p - k) // s + 1
        c = -(-(n + 2 * p - k) // s) + 1
        return c - 1 if (c - 1) * s >= n + p else c

    Ho, Wo = count(H, kh, sh, ph), count(W, kw, sw, pw)
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


def max_pool_loop_backward(x_shape, where, dY):
    dx = np.zeros(x_shape)
    B, C, Ho, Wo = dY.shape
    for n in range(B):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    u, v = where[n, c, i, j]
                    dx[n, c, u, v] += dY[n, c, i, j]
    return dx
