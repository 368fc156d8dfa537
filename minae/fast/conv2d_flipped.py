r"""A speed device for Conv2d: a channel-reducing stride-1 convolution built from the side
with fewer channels. The layer's equations are in ``conv2d.py``; this computes the same
numbers (to rounding), checked against the loops of ``minae.plain.convolution``.

X_col has C_in·kh·kw rows, one per input channel and kernel offset. A layer that
reduces channels (Conv 16 → 1 on 28×28: 144 rows of 100,352 columns for a batch of 128,
58 MB, to compute one channel) is cheaper the other way round. With stride 1, a
convolution equals a transposed convolution of the same input with the kernel flipped
180° and its channel axes swapped, padded by k - 1 - p:

.. math::
    Y = W \star X = \mathrm{conv}^\top_{\,flip(W),\; k-1-p}(X), \qquad
    flip(W)[c, o, i, j] = W[o, c, k_h-1-i, k_w-1-j]

and a transposed convolution builds its columns from its *output* side (C_out·kh·kw
rows: 9 instead of 144 above). So such a layer runs as that transposed convolution
(``ConvTranspose2d``'s three products), and flips the weight gradient back. Measured
by ``benchmarks/plain_vs_fast.py`` on Conv 16 → 1 on 28×28 at batch 128, forward and
backward: 55.85 ms by columns of X, 8.22 ms flipped (6.8x).
"""

from __future__ import annotations

from . import conv2d_products as products


def pays(kernel_size, stride, padding, in_channels: int, out_channels: int) -> bool:
    """Whether a Conv2d of these settings runs flipped: stride 1, fewer output channels
    than input ones, and a padding the flipped kernel can take (p < k)."""
    fits = all(p < k for p, k in zip(padding, kernel_size, strict=True))
    return stride == (1, 1) and out_channels < in_channels and fits


def flip(W):
    """W (a, b, kh, kw) flipped (turned 180° in its two spatial axes) with its channel axes
    swapped: (b, a, kh, kw), a view."""
    return W.transpose(1, 0, 2, 3)[:, :, ::-1, ::-1]  # (a, b, kh, kw) -> (b, a, kh, kw)


def flipped_padding(kernel_size, padding) -> tuple[int, int]:
    return tuple(k - 1 - p for k, p in zip(kernel_size, padding, strict=True))


def forward(X, W, y_shape, padding):
    """W ⋆ X (no bias) for stride 1, as the transposed convolution of X by flip(W)."""
    return products.input_grad(X, flip(W), y_shape, (1, 1), flipped_padding(W.shape[2:], padding))


def backward(X, W, dY, padding):
    """(∂R̂/∂X, ∂R̂/∂W): the transposed convolution's backward with flip(W), its weight
    gradient flipped back."""
    dX, cols = products.forward(dY, flip(W), (1, 1), flipped_padding(W.shape[2:], padding))
    C_out, C_in, kh, kw = W.shape
    dV = products.weight_grad(cols, X)  # (C_in, C_out·kh·kw), flip(W)'s gradient
    return dX, flip(dV.reshape(C_in, C_out, kh, kw))  # -> (C_out, C_in, kh, kw)
