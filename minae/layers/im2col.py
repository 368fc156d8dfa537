"""The index arithmetic of 2-D convolution and pooling: output sizes, padding, columns.

A convolution is a ``Linear`` applied to every kh×kw patch of the input. ``im2col``
lays the patches out as columns, so that the whole convolution is one matrix product;
``col2im`` is its adjoint, adding each column back onto the pixels it came from
(where patches overlap, their contributions add).

Both loop over the kh·kw kernel offsets (i, j), not over patches: for one offset, the
pixels every patch takes from it form a strided slice of the padded input,
``x[:, :, i : i + s·Ho : s, j : j + s·Wo : s]`` (B, C, Ho, Wo). So ``im2col`` is kh·kw
strided copies and ``col2im`` kh·kw strided adds, whatever the batch and image size
(Chainer and DeZero do the same). The plain loop over patches that these are checked
against lives in ``tests/conv_reference.py``.

The column layout is (C, kh, kw, Ho, Wo, B), reshaped to (C·kh·kw, Ho·Wo·B): a row per
weight of one output channel's filter, a column per output pixel of the whole batch, so
that W (C_out, C·kh·kw) @ columns is a single product for the batch. The batch axis is
last, and the images are padded into a (C, H, W, B) buffer: every strided slice then has
the batch as its innermost, contiguous axis, so the copies and adds run over long rows
(B = 128 floats, or Wo·B at stride 1) instead of rows of Wo pixels (7 at the Keras
model's smallest). The products give their output in the same order, (C_out, Ho, Wo,
B), which the layers hand on as a (B, C_out, Ho, Wo) view: the next layer reads it
back without a copy.
"""

from __future__ import annotations

from ..backend import array_module


def output_size(size: int, kernel: int, stride: int, padding: int, ceil: bool = False) -> int:
    """Positions of a kernel sliding over ``size`` pixels padded by ``padding`` each side.

    ⌊(size + 2p - k) / s⌋ + 1, or with ``ceil`` the ceiling (pooling's ``ceil_mode``): a
    last, partial window is kept when it starts inside the input or its left padding.
    """
    span = size + 2 * padding - kernel
    if span < 0:
        raise ValueError(
            f"the kernel ({kernel}) is larger than the input ({size}) plus its padding "
            f"({padding} each side)"
        )
    if not ceil:
        return span // stride + 1
    count = -(-span // stride) + 1
    if (count - 1) * stride >= size + padding:
        count -= 1  # that window would start in the right padding
    return count


def image_buffer(shape, dtype, fill: float | None = None):
    """A new batch of images (B, C, H, W), stored batch innermost as (C, H, W, B), as the
    layers' outputs are: a view. ``fill`` None leaves it uninitialised."""
    B, C, H, W = shape
    xp = array_module()
    if fill is None:
        buffer = xp.empty((C, H, W, B), dtype=dtype)
    else:
        buffer = xp.full((C, H, W, B), fill, dtype=dtype)
    return buffer.transpose(3, 0, 1, 2)


def pad(x, top: int, left: int, bottom: int | None = None, right: int | None = None,
        value: float = 0.0):  # fmt: skip
    """x (B, C, H, W) with ``value`` around it: (B, C, top + H + bottom, left + W + right).

    The result is a (B, C, ...) view of a (C, H', W', B) buffer (batch innermost).
    """
    bottom = top if bottom is None else bottom
    right = left if right is None else right
    B, C, H, W = x.shape
    out = image_buffer((B, C, top + H + bottom, left + W + right), x.dtype, value)
    out[:, :, top : top + H, left : left + W] = x
    return out


def window(x, i: int, j: int, stride: tuple[int, int], out_hw: tuple[int, int]):
    """The pixels that kernel offset (i, j) meets in every window: (B, C, Ho, Wo), a view."""
    (sh, sw), (Ho, Wo) = stride, out_hw
    return x[:, :, i : i + sh * (Ho - 1) + 1 : sh, j : j + sw * (Wo - 1) + 1 : sw]


def im2col(x, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int]):
    """Patches of x (B, C, H, W) as columns: (C·kh·kw, Ho·Wo·B)."""
    B, C, H, W = x.shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    Ho, Wo = output_size(H, kh, sh, ph), output_size(W, kw, sw, pw)
    x = pad(x, ph, pw).transpose(1, 2, 3, 0)  # (C, H + 2ph, W + 2pw, B), contiguous
    cols = array_module().empty((C, kh, kw, Ho, Wo, B), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, i, j] = x[:, i : i + sh * (Ho - 1) + 1 : sh, j : j + sw * (Wo - 1) + 1 : sw]
    return cols.reshape(C * kh * kw, Ho * Wo * B)  # (C, kh, kw, Ho, Wo, B) -> 2-D, no copy


def col2im(cols, x_shape, kernel: tuple[int, int], stride: tuple[int, int],
           padding: tuple[int, int]):  # fmt: skip
    """The adjoint of ``im2col``: columns (C·kh·kw, Ho·Wo·B) summed back to (B, C, H, W)."""
    B, C, H, W = x_shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    Ho, Wo = output_size(H, kh, sh, ph), output_size(W, kw, sw, pw)
    cols = cols.reshape(C, kh, kw, Ho, Wo, B)  # (C·kh·kw, Ho·Wo·B) -> 6-D, no copy
    dx = array_module().zeros((C, H + 2 * ph, W + 2 * pw, B), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            # added where offset (i, j) took its pixels: (C, Ho, Wo, B)
            dx[:, i : i + sh * (Ho - 1) + 1 : sh, j : j + sw * (Wo - 1) + 1 : sw] += cols[:, i, j]
    return dx[:, ph : ph + H, pw : pw + W, :].transpose(3, 0, 1, 2)  # (B, C, H, W), a view


def as_columns_order(Y_mat, out_shape):
    """A product's output (C_out, Ho·Wo·B) as the batch (B, C_out, Ho, Wo), a view."""
    B, C_out, Ho, Wo = out_shape
    return Y_mat.reshape(C_out, Ho, Wo, B).transpose(3, 0, 1, 2)


def as_matrix(dY):
    """A batch (B, C, Ho, Wo) as the products take it, (C, Ho·Wo·B): free when dY is a
    view of a (C, Ho, Wo, B) buffer, as the layers' outputs are."""
    return dY.transpose(1, 2, 3, 0).reshape(dY.shape[1], -1)
