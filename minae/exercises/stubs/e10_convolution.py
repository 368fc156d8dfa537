"""Exercise 10: the convolution, by loops and then by im2col, and the transposed
convolution (lesson 10; slides 002, "Convolutional Autoencoder").

Images are (B, C, H, W); a kernel W is (C_out, C_in, kh, kw) and b (C_out,). As in every
deep-learning library (and minae's ``Conv2d``) the "convolution" is a cross-correlation,
the kernel not flipped:

    Y[n, o, i, j] = b[o] + Σ_{c,u,v} W[o, c, u, v] · x_pad[n, c, i·s + u, j·s + v]

with x_pad the input padded by p zeros on every side and stride s, so the output is
Ho = (H + 2p - kh) // s + 1 by Wo = (W + 2p - kw) // s + 1. Fill in the functions in
order, then run ``python -m minae.exercises check . conv2d_loops`` and so on.
"""

import numpy as np


def conv2d_loops(x, W, b, stride, padding):
    """Y (B, C_out, Ho, Wo) by the definition above: loops over n, o, i, j."""
    raise NotImplementedError("exercise 10: conv2d_loops")


def conv2d_backward_loops(x, W, dY, stride, padding):
    """(dx, dW, db) of the convolution, by loops, given dY (B, C_out, Ho, Wo): shaped like
    x, W and b.
    <guided>
    Every product W[o,c,u,v] · x_pad[...] in the forward sends dY[n,o,i,j] · W[o,c,u,v]
    to x_pad and dY[n,o,i,j] · x_pad[...] to W; db[o] sums dY[:, o]. Crop the padding
    off dx_pad at the end.
    </guided>
    """
    raise NotImplementedError("exercise 10: conv2d_backward_loops")


def im2col(x, kernel, stride, padding):
    """The patches as columns, X_col (C·kh·kw, Ho·Wo·B): column (i, j, n), ordered with
    i slowest and n fastest, holds the patch under output pixel (i, j) of example n,
    flattened in the order (c, u, v):
    ``x_pad[n, :, i·sh : i·sh + kh, j·sw : j·sw + kw].ravel()``.

    ``kernel``, ``stride`` and ``padding`` are pairs, (kh, kw), (sh, sw) and (ph, pw), as
    minae's own ``im2col`` takes them: call it as ``im2col(x, W.shape[2:], (s, s), (p, p))``
    from the functions here, whose stride s and padding p are single numbers."""
    raise NotImplementedError("exercise 10: im2col")


def conv2d_im2col(x, W, b, stride, padding):
    """The same Y as ``conv2d_loops``, as one product: Y_mat = W_mat X_col + b, with
    W_mat = W.reshape(C_out, -1) (C_out, C·kh·kw); then Y_mat (C_out, Ho·Wo·B) back to
    (B, C_out, Ho, Wo)."""
    raise NotImplementedError("exercise 10: conv2d_im2col")


def conv2d_backward_im2col(x, W, dY, stride, padding):
    """(dx, dW, db) as matrix products of the im2col form, then col2im (each column back
    to the pixels of its patch).
    <guided>
    With dY_mat (C_out, Ho·Wo·B) laid out like Y_mat: dW_mat = dY_mat X_colᵀ,
    db = dY_mat 1, dX_col = W_matᵀ dY_mat; then col2im: a pixel under several patches
    receives the *sum* of their columns' entries.
    </guided>
    """
    raise NotImplementedError("exercise 10: conv2d_backward_im2col")


def conv_transpose2d(x, W, stride, padding):
    """The transposed convolution (a decoder's upsampling layer) of x (B, C_out, h, w) with
    the kernel W (C_out, C_in, kh, kw) of a convolution: that convolution's *input
    gradient* with dY = x. Its output is (B, C_in, Ho, Wo) with
    Ho = (h - 1)·s - 2p + kh, Wo = (w - 1)·s - 2p + kw. Use your
    ``conv2d_backward_loops`` or ``conv2d_backward_im2col`` on an input of that size."""
    raise NotImplementedError("exercise 10: conv_transpose2d")


def dilated_conv2d_backward(x, W, dilation, dY):
    """(dx, dW) of a *dilated* convolution (stride 1, no padding, no bias), whose kernel
    taps are d = ``dilation`` pixels apart:

        Y[n, o, i, j] = Σ_{c,u,v} W[o, c, u, v] · x[n, c, i + d·u, j + d·v]

    x (B, C, H, W), W (C_out, C, kh, kw), dY and Y (B, C_out, H - d (kh - 1),
    W - d (kw - 1)). Returns (dx, dW), shaped like x and W. (minae has no dilated
    convolution: graded by central differences alone.)
    <guided>
    Each tap (u, v) is a product of W[:, :, u, v] with the window x[:, :, d·u : d·u + Ho,
    d·v : d·v + Wo]: dW[:, :, u, v] = Σ_{n,i,j} dY[n, :, i, j] ⊗ window[n, :, i, j], and
    the window's gradient W[:, :, u, v]ᵀ dY is *added* into dx there (windows overlap).
    </guided>
    """
    raise NotImplementedError("exercise 10: dilated_conv2d_backward")
