r"""2-D convolution: a Linear applied to every k×k patch of the image.

The three functions below are the convolution and its two gradients; ``Conv2d`` is them
plus a bias, and ``ConvTranspose2d`` (``conv_transpose2d.py``) is the same three with
the roles of forward and input gradient swapped.
"""

from __future__ import annotations

import numpy

from ..backend import resolve_dtype, to_device
from ..parameter import Parameter
from ..random_numbers import as_generator
from ..validation import check_batch, check_positive_int
from .im2col import as_columns_order, as_matrix, col2im, im2col, output_size
from .image_args import check_images, image_shape, options, pair_at_least, positive_pair, show
from .layer import Layer
from .linear import init_weights


def conv2d(x, W, stride, padding):
    """Y = W ⋆ x: x (B, C_in, H, W), W (C_out, C_in, kh, kw) → Y (B, C_out, Ho, Wo).

    Returns Y and the columns of x, which the weight gradient reuses.
    """
    B, C_out = x.shape[0], W.shape[0]
    cols = im2col(x, W.shape[2:], stride, padding)  # (C_in·kh·kw, Ho·Wo·B)
    Y = W.reshape(C_out, -1) @ cols  # (C_out, C_in·kh·kw) @ cols -> (C_out, Ho·Wo·B)
    Ho = output_size(x.shape[2], W.shape[2], stride[0], padding[0])
    Wo = output_size(x.shape[3], W.shape[3], stride[1], padding[1])
    return as_columns_order(Y, (B, C_out, Ho, Wo)), cols  # (B, C_out, Ho, Wo), a view


def conv2d_input_grad(dY, W, x_shape, stride, padding):
    """∂R̂/∂x = Wᵀ dY, each column sent back to its patch.

    dY (B, C_out, Ho, Wo), W (C_out, C_in, kh, kw) → (B, C_in, H, W) with x_shape's H, W.
    """
    C_out = W.shape[0]
    dcols = W.reshape(C_out, -1).T @ as_matrix(dY)  # (C_in·kh·kw, C_out) @ (C_out, Ho·Wo·B)
    return col2im(dcols, x_shape, W.shape[2:], stride, padding)


def conv2d_weight_grad(cols, dY):
    """∂R̂/∂W = dY Xᵀ over all patches: columns (C_in·kh·kw, Ho·Wo·B), dY (B, C_out, Ho, Wo)
    → (C_out, C_in·kh·kw); reshape to (C_out, C_in, kh, kw)."""
    return as_matrix(dY) @ cols.T  # (C_out, Ho·Wo·B) @ (Ho·Wo·B, C_in·kh·kw)


class Conv2d(Layer):
    r"""2-D convolution ``Y = W ⋆ X + b``, in PyTorch's layout (NCHW).

    Shapes: X (B, C_in, H, W), W (C_out, C_in, kh, kw), b (C_out,), Y (B, C_out, Ho, Wo)
    with Ho = ⌊(H + 2p - kh) / s⌋ + 1 (and Wo alike).

    Every output pixel is a ``Linear`` applied to one patch: flatten the patch under the
    kernel to a vector x_p of C_in·kh·kw entries, then Y[:, :, p] = W_mat x_p + b with
    W_mat = W reshaped to (C_out, C_in·kh·kw). Laying the B·Ho·Wo patches side by side
    as columns X_col (C_in·kh·kw, Ho·Wo·B) (``im2col``) makes the layer one product,
    Y_mat = W_mat X_col + b, and ``Linear``'s three backward formulas carry over, written
    for patches (dY_mat: dY as (C_out, Ho·Wo·B)):

    .. math::
        \partial\hat R/\partial X_{col} = W_{mat}^\top dY_{mat}, \quad
        \partial\hat R/\partial W_{mat} = dY_{mat} X_{col}^\top, \quad
        \partial\hat R/\partial b = dY_{mat}\,\mathbf 1

    The first is returned to the image by ``col2im``: a pixel under several patches
    receives the sum of their gradients.

    **Columns from the side with fewer channels.** X_col has C_in·kh·kw rows, one per
    input channel and kernel offset. A layer that reduces channels (Conv 16 → 1 on 28×28:
    144 rows of 100,352 columns for a batch of 128, 58 MB, to compute one channel) is
    cheaper the other way round. With stride 1, a convolution equals a transposed
    convolution of the same input with the kernel turned 180° and its channel axes
    swapped, padded by k - 1 - p:

    .. math::
        Y = W \star X = \mathrm{conv}^\top_{\,turn(W),\; k-1-p}(X), \qquad
        turn(W)[c, o, i, j] = W[o, c, k_h-1-i, k_w-1-j]

    and a transposed convolution builds its columns from its *output* side (C_out·kh·kw
    rows: 9 instead of 144 above). So a stride-1 layer with C_out < C_in runs as that
    transposed convolution (``ConvTranspose2d``'s three products), and turns the weight
    gradient back. Same numbers (to rounding), checked against the loops in the tests.

    Parameters
    ----------
    in_channels, out_channels : C_in and C_out.
    kernel_size, stride, padding : an int, or a pair (height, width). Padding adds zeros.
    rng : numpy.random.Generator or int seed, for the initial weights.
    init : ``"he"`` (default, for ReLU), ``"xavier"``, or ``"fan_in_uniform"`` (PyTorch's
        default, bias included), with fan_in = C_in·kh·kw and fan_out = C_out·kh·kw.
    dtype : float32 or float64; the backend's default when None.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, *, stride=1,
                 padding=0, rng, init: str = "he", dtype=None):  # fmt: skip
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = positive_pair(kernel_size, "kernel_size")
        self.stride = positive_pair(stride, "stride")
        self.padding = pair_at_least(padding, "padding", 0)
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.W, self.b = conv_parameters(shape, self.out_channels, init, rng, dtype)
        padding_fits = all(p < k for p, k in zip(self.padding, self.kernel_size, strict=True))
        self.turned = self.stride == (1, 1) and out_channels < in_channels and padding_fits
        self._cols, self._X = None, None

    def out_shape(self, in_shape):
        if in_shape is None:
            return None
        _, H, W = image_shape(self, in_shape, self.in_channels)
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
        try:
            return (self.out_channels, output_size(H, kh, sh, ph), output_size(W, kw, sw, pw))
        except ValueError as err:
            raise ValueError(f"{self!r} cannot take images of {H}x{W}: {err}") from None

    def forward(self, X):
        check_images(self, X, self.in_channels, self.W.dtype)
        out_shape = self.out_shape(tuple(X.shape[1:]))  # the kernel fits the image
        self._X = X
        if self.turned:
            Y = conv2d_input_grad(X, turn(self.W.value), (X.shape[0], *out_shape), (1, 1),
                                  self._turned_padding())  # fmt: skip
        else:
            Y, self._cols = conv2d(X, self.W.value, self.stride, self.padding)
        Y += self.b.value[:, None, None]  # + (C_out, 1, 1), over batch and pixels
        return Y

    def backward(self, dY, input_grad: bool = True):
        X = self._cached(self._X, "its input X")
        check_batch(dY, "dY", self.out_shape(X.shape[1:]), self.W.dtype)
        self.b.accumulate(dY.sum(axis=(0, 2, 3)))  # dY_mat 1: (B, C_out, Ho, Wo) -> (C_out,)
        if self.turned:  # ConvTranspose2d's backward with turn(W), then turned back
            dX, cols = conv2d(dY, turn(self.W.value), (1, 1), self._turned_padding())
            dV = conv2d_weight_grad(cols, X)  # (C_in, C_out·kh·kw), turn(W)'s gradient
            self.W.accumulate(
                turn(dV.reshape(self.in_channels, self.out_channels, *self.kernel_size))
            )
            return dX if input_grad else None
        self.W.accumulate(conv2d_weight_grad(self._cols, dY).reshape(self.W.shape))
        if input_grad:
            return conv2d_input_grad(dY, self.W.value, X.shape, self.stride, self.padding)
        return None

    def _turned_padding(self) -> tuple[int, int]:
        return tuple(k - 1 - p for k, p in zip(self.kernel_size, self.padding, strict=True))

    def named_parameters(self):
        return {"W": self.W, "b": self.b}

    def __repr__(self) -> str:
        return (f"Conv2d({self.in_channels}, {self.out_channels}, "
                f"kernel_size={show(self.kernel_size)}{options(self)})")  # fmt: skip


def turn(W):
    """W (a, b, kh, kw) turned 180° with its channel axes swapped: (b, a, kh, kw), a view."""
    return W.transpose(1, 0, 2, 3)[:, :, ::-1, ::-1]


def conv_parameters(shape, bias_size: int, init: str, rng, dtype):
    """W of ``shape`` (a, b, kh, kw) and b of ``bias_size``, as PyTorch counts fans:
    fan_in = b·kh·kw, fan_out = a·kh·kw. b starts at zero, unless init is PyTorch's
    (``"fan_in_uniform"``), which draws b like W."""
    dtype = resolve_dtype(dtype)
    rng = as_generator(rng)
    fan_in, fan_out = shape[1] * shape[2] * shape[3], shape[0] * shape[2] * shape[3]
    W = init_weights(fan_in, fan_out, init, rng, shape=shape)
    b = numpy.zeros(bias_size)
    if init == "fan_in_uniform":
        b = rng.uniform(-1.0, 1.0, size=bias_size) / numpy.sqrt(fan_in)
    return Parameter(to_device(W, dtype), "W"), Parameter(to_device(b, dtype), "b")
