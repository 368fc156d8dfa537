"""The convolution and its two gradients as matrix products over columns (``im2col``).

``Conv2d`` is these three plus a bias; ``ConvTranspose2d`` is the same three with the
roles of forward and input gradient swapped. Named ``forward``, ``input_grad`` and
``weight_grad`` and called through the module (``products.forward``), so that none is
mistaken for the plain ``minae.plain.convolution.conv2d``, which takes a bias and returns Y
alone. Shapes: x (B, C_in, H, W), W (C_out, C_in, kh, kw), Y and dY (B, C_out, Ho, Wo).

What the three products buy over the plain loops (``minae.plain.convolution``), measured
by ``benchmarks/plain_vs_fast.py``: Conv2d(16, 8) on 8 images 14×14, forward and backward,
187.78 ms by loops, 0.76 ms by products (247.0x).

What building the columns in bands buys where they are large (``forward_in_bands``),
measured by ``benchmarks/conv_bands.py``: ``minae.predict`` of lesson 11's network on
2,000 images at batch 500, 7,144 ms with whole columns, 1,099 ms by bands (6.5x), its
peak of memory 1,131 MB against 296 MB.
"""

from __future__ import annotations

from ..infrastructure.backend import array_module
from .im2col import col2im, fill_columns, im2col, output_size
from .image_layout import as_images, as_matrix, pad, stored


def forward(x, W, stride, padding):
    """Y = W ⋆ x, as Y_mat = W_mat X_col. Returns Y and X_col, which ∂R̂/∂W reuses."""
    B, C_out = x.shape[0], W.shape[0]
    cols = im2col(x, W.shape[2:], stride, padding)  # X_col (C_in·kh·kw, Ho·Wo·B)
    Y = W.reshape(C_out, -1) @ cols  # (C_out, C_in·kh·kw) @ X_col -> (C_out, Ho·Wo·B)
    Ho = output_size(x.shape[2], W.shape[2], stride[0], padding[0])
    Wo = output_size(x.shape[3], W.shape[3], stride[1], padding[1])
    return as_images(Y, (B, C_out, Ho, Wo)), cols  # (B, C_out, Ho, Wo), a view


def input_grad(dY, W, x_shape, stride, padding):
    """∂R̂/∂x: ∂R̂/∂X_col = W_matᵀ dY_mat, each column sent back to its patch (``col2im``).

    dY (B, C_out, Ho, Wo), W (C_out, C_in, kh, kw) → (B, C_in, H, W) with x_shape's H, W.
    """
    C_out = W.shape[0]
    dcols = W.reshape(C_out, -1).T @ as_matrix(dY)  # (C_in·kh·kw, C_out) @ (C_out, Ho·Wo·B)
    return col2im(dcols, x_shape, W.shape[2:], stride, padding)


def weight_grad(cols, dY):
    """∂R̂/∂W_mat = dY_mat X_colᵀ over all patches: X_col (C_in·kh·kw, Ho·Wo·B),
    dY (B, C_out, Ho, Wo) → (C_out, C_in·kh·kw); reshape to (C_out, C_in, kh, kw)."""
    return as_matrix(dY) @ cols.T  # (C_out, Ho·Wo·B) @ (Ho·Wo·B, C_in·kh·kw)


# Columns of more bytes than this are not built whole: ``Conv2d`` calls ``forward_in_bands``.
WHOLE_COLUMNS_BYTES = 1 << 26
BAND_BYTES = 1 << 22  # the columns of one band, at most (or of one output row, if larger)


def columns_bytes(x_shape, W_shape, stride, padding, itemsize: int) -> int:
    """The size of ``forward``'s columns X_col (C_in·kh·kw, Ho·Wo·B), in bytes."""
    B, C, H, Wd = x_shape
    Ho = output_size(H, W_shape[2], stride[0], padding[0])
    Wo = output_size(Wd, W_shape[3], stride[1], padding[1])
    return C * W_shape[2] * W_shape[3] * Ho * Wo * B * itemsize


def forward_in_bands(x, W, stride, padding):
    """Y = W ⋆ x as ``forward`` computes it, a band of output rows at a time: each band's
    columns (at most ``BAND_BYTES``) are built into one buffer, used, and written over.

    For a large batch through a wide layer, whole columns are huge: lesson 11's
    Conv(32, 32) on 500 images 28×28 would build 288 × 392,000 floats, 451 MB, which the
    system maps and zeroes afresh at every call. Each output column is the same dot
    product of the same numbers as ``forward``'s, to the rounding of the BLAS's blocking.
    x (B, C_in, H, W), W (C_out, C_in, kh, kw) → Y (B, C_out, Ho, Wo); no columns kept.
    """
    xp = array_module()
    B, C, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    (sh, sw), (ph, pw) = stride, padding
    Ho, Wo = output_size(H, kh, sh, ph), output_size(Wd, kw, sw, pw)
    xs = stored(pad(x, ph, pw))  # (C, H + 2ph, W + 2pw, B), contiguous
    per_row = C * kh * kw * Wo * B  # column entries of one output row
    rows = max(1, min(Ho, BAND_BYTES // (per_row * x.dtype.itemsize)))
    band = xp.empty(per_row * rows, dtype=x.dtype)
    Y = xp.empty((C_out, Ho * Wo * B), dtype=x.dtype)
    W_mat = W.reshape(C_out, -1)
    for h0 in range(0, Ho, rows):
        n = min(rows, Ho - h0)  # output rows h0 .. h0 + n - 1
        cols = band[: per_row * n].reshape(C, kh, kw, n, Wo, B)
        fill_columns(cols, xs, stride, first_row=h0)
        Y[:, h0 * Wo * B : (h0 + n) * Wo * B] = W_mat @ cols.reshape(-1, n * Wo * B)
    return as_images(Y, (B, C_out, Ho, Wo))  # (B, C_out, Ho, Wo), a view
