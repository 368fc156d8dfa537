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

The column layout is (C, kh, kw, B, Ho, Wo), reshaped to (C·kh·kw, B·Ho·Wo): a row per
weight of one output channel's filter, a column per output pixel of the whole batch, so
that W (C_out, C·kh·kw) @ columns is a single product for the batch.
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


def pad(x, top: int, left: int, bottom: int | None = None, right: int | None = None,
        value: float = 0.0):  # fmt: skip
    """x (B, C, H, W) with ``value`` around it: (B, C, top + H + bottom, left + W + right)."""
    bottom = top if bottom is None else bottom
    right = left if right is None else right
    if top == left == bottom == right == 0:
        return x
    B, C, H, W = x.shape
    xp = array_module()
    out = xp.full((B, C, top + H + bottom, left + W + right), value, dtype=x.dtype)
    out[:, :, top : top + H, left : left + W] = x
    return out


def window(x, i: int, j: int, stride: tuple[int, int], out_hw: tuple[int, int]):
    """The pixels that kernel offset (i, j) meets in every window: (B, C, Ho, Wo), a view."""
    (sh, sw), (Ho, Wo) = stride, out_hw
    return x[:, :, i : i + sh * (Ho - 1) + 1 : sh, j : j + sw * (Wo - 1) + 1 : sw]


def im2col(x, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int]):
    """Patches of x (B, C, H, W) as columns: (C·kh·kw, B·Ho·Wo)."""
    B, C, H, W = x.shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    Ho, Wo = output_size(H, kh, sh, ph), output_size(W, kw, sw, pw)
    x = pad(x, ph, pw)  # (B, C, H + 2ph, W + 2pw)
    cols = array_module().empty((C, kh, kw, B, Ho, Wo), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            # (B, C, Ho, Wo) -> (C, B, Ho, Wo)
            cols[:, i, j] = window(x, i, j, stride, (Ho, Wo)).transpose(1, 0, 2, 3)
    return cols.reshape(C * kh * kw, B * Ho * Wo)  # (C, kh, kw, B, Ho, Wo) -> 2-D, no copy


def col2im(cols, x_shape, kernel: tuple[int, int], stride: tuple[int, int],
           padding: tuple[int, int]):  # fmt: skip
    """The adjoint of ``im2col``: columns (C·kh·kw, B·Ho·Wo) summed back to (B, C, H, W)."""
    B, C, H, W = x_shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    Ho, Wo = output_size(H, kh, sh, ph), output_size(W, kw, sw, pw)
    cols = cols.reshape(C, kh, kw, B, Ho, Wo)  # (C·kh·kw, B·Ho·Wo) -> 6-D, no copy
    xp = array_module()
    dx = xp.zeros((B, C, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            # (C, B, Ho, Wo) -> (B, C, Ho, Wo), added where offset (i, j) took its pixels
            window(dx, i, j, stride, (Ho, Wo))[...] += cols[:, i, j].transpose(1, 0, 2, 3)
    return dx[:, :, ph : ph + H, pw : pw + W]  # (B, C, H, W), the padding dropped
