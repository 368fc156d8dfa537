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
against is ``minae.plain.convolution.im2col``.

The columns are (C·kh·kw, Ho·Wo·B): a row per weight of one output channel's filter, a
column per output pixel of the whole batch, so that W (C_out, C·kh·kw) @ columns is a
single product for the batch. Columns are ordered (Ho, Wo, B), batch last, as images
lie in memory (see ``image_layout.py``).

What it buys, measured by ``benchmarks/plain_vs_fast.py``: a forward and a backward of
Conv2d(16, 8) on 8 images 14×14 take 187.78 ms by the plain loops and 0.76 ms as products
over these columns (247.0x).
"""

from __future__ import annotations

from ..infrastructure.backend import array_module
from .image_layout import batch_view, pad, stored


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


def window(x, i: int, j: int, stride: tuple[int, int], out_hw: tuple[int, int]):
    """The pixels that kernel offset (i, j) meets in every window: (B, C, Ho, Wo), a view."""
    (sh, sw), (Ho, Wo) = stride, out_hw
    return x[:, :, i : i + sh * (Ho - 1) + 1 : sh, j : j + sw * (Wo - 1) + 1 : sw]


def im2col(x, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int]):
    """Patches of x (B, C, H, W) as columns: (C·kh·kw, Ho·Wo·B)."""
    B, C, H, W = x.shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    Ho, Wo = output_size(H, kh, sh, ph), output_size(W, kw, sw, pw)
    x = stored(pad(x, ph, pw))  # (C, H + 2ph, W + 2pw, B), contiguous
    cols = array_module().empty((C, kh, kw, Ho, Wo, B), dtype=x.dtype)
    fill_columns(cols, x, stride)
    return cols.reshape(C * kh * kw, Ho * Wo * B)  # (C, kh, kw, Ho, Wo, B) -> 2-D, no copy


def fill_columns(cols, xs, stride: tuple[int, int], first_row: int = 0) -> None:
    """Write into cols (C, kh, kw, n, Wo, B) the patches of output rows first_row to
    first_row + n - 1, taken from xs (C, H + 2ph, W + 2pw, B), the padded, stored input."""
    _, kh, kw, n, Wo, _ = cols.shape
    sh, sw = stride
    for i in range(kh):
        for j in range(kw):
            top = first_row * sh + i
            cols[:, i, j] = xs[:, top : top + sh * (n - 1) + 1 : sh, j : j + sw * (Wo - 1) + 1 : sw]


def col2im(
    cols, x_shape, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int]
):
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
    return batch_view(dx[:, ph : ph + H, pw : pw + W, :])  # (B, C, H, W), a view
