r"""The transposed convolution: a convolution's backward, run forward."""

from __future__ import annotations

from ..fast import conv2d_products as products
from ..infrastructure.image_args import (
    check_images,
    image_shape,
    options,
    pair_at_least,
    positive_pair,
    show,
)
from ..infrastructure.validation import check_batch, check_positive_int
from .conv2d import conv_parameters
from .layer import Layer


class ConvTranspose2d(Layer):
    r"""Transposed 2-D convolution ``Y = Wᵀ ⋆ X + b``, in PyTorch's layout (NCHW).

    Shapes: X (B, C_in, H, W), W (C_in, C_out, kh, kw), b (C_out,), Y (B, C_out, Ho, Wo)
    with Ho = (H - 1)·s - 2p + kh + output_padding (and Wo alike).

    Take the ``Conv2d`` that maps C_out channels of Ho×Wo to C_in channels of H×W with
    this same W (C_in is its output, C_out its input). That convolution's input gradient,
    which spreads each output pixel's value back over the k×k patch it came from, is this
    layer's forward; its forward is this layer's input gradient; its weight gradient,
    with the roles of input and output swapped, is this layer's weight gradient:

    .. math::
        Y = \mathrm{conv}^\top(X), \quad
        \partial\hat R/\partial X = \mathrm{conv}(dY), \quad
        \partial\hat R/\partial W = X_{mat}\, dY_{col}^\top

    (X_mat: X as (C_in, H·W·B); dY_col: the columns of dY, (C_out·kh·kw, H·W·B), which the
    convolution of dY builds anyway.)

    The code below is exactly that: ``products.input_grad`` forward, ``products.forward`` backward,
    sharing the columns of dY with the weight gradient. With stride s each input pixel
    becomes a k×k stamp placed s pixels from its neighbour's: the layer upsamples.
    ``output_padding`` (less than the stride) adds rows and columns at the bottom and
    right, to reach sizes a stride-s convolution maps to the same H (14 → 28 with k 3,
    s 2, p 1 needs output_padding 1).

    The decoder's upsampling layer (Dumoulin & Visin 2016 derive its sizes); slides 004's
    super-resolution, lesson 11, and lesson 10's section 0, where it is shown to be the
    convolution's input gradient.

    Parameters
    ----------
    in_channels, out_channels : int
        C_in and C_out.
    kernel_size, stride, padding : int or (int, int)
        As ``Conv2d``'s: the convolution this layer transposes.
    output_padding : int or (int, int)
        Rows and columns added at the bottom and right, less than the stride.
    rng : numpy.random.Generator or int
        The initial weights' Generator or seed.
    init : str
        ``"he"`` (default), ``"xavier"`` or ``"fan_in_uniform"``, with fans counted as
        PyTorch does for this layer (fan_in = C_out·kh·kw).
    dtype : float32 or float64, optional
        The backend's default when None.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size,
        *,
        stride=1,
        padding=0,
        output_padding=0,
        rng,
        init: str = "he",
        dtype=None,
    ):
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = positive_pair(kernel_size, "kernel_size")
        self.stride = positive_pair(stride, "stride")
        self.padding = pair_at_least(padding, "padding", 0)
        self.output_padding = pair_at_least(output_padding, "output_padding", 0)
        if any(op >= s for op, s in zip(self.output_padding, self.stride, strict=True)):
            raise ValueError(
                f"output_padding {self.output_padding} must be smaller than the stride "
                f"{self.stride}"
            )
        shape = (self.in_channels, self.out_channels, *self.kernel_size)
        self.W, self.b = conv_parameters(shape, self.out_channels, init, rng, dtype)
        self._X, self._out_hw = None, None

    def out_shape(self, in_shape):
        if in_shape is None:
            return None
        _, H, W = image_shape(self, in_shape, self.in_channels)
        sizes = [
            (n - 1) * s - 2 * p + k + op
            for n, s, p, k, op in zip(
                (H, W),
                self.stride,
                self.padding,
                self.kernel_size,
                self.output_padding,
                strict=True,
            )
        ]
        if min(sizes) < 1:
            raise ValueError(f"{self!r} maps images of {H}x{W} to {sizes[0]}x{sizes[1]}")
        return (self.out_channels, *sizes)

    def forward(self, X):
        check_images(self, X, self.in_channels, self.W.dtype)
        out_shape = (X.shape[0], *self.out_shape(tuple(X.shape[1:])))  # (B, C_out, Ho, Wo)
        self._X = X
        Y = products.input_grad(X, self.W.value, out_shape, self.stride, self.padding)
        Y += self.b.value[:, None, None]  # + (C_out, 1, 1), over batch and pixels
        return Y

    def backward(self, dY, input_grad: bool = True):
        X = self._cached(self._X, "its input X")
        check_batch(dY, "dY", self.out_shape(tuple(X.shape[1:])), self.W.dtype)
        dX, cols = products.forward(dY, self.W.value, self.stride, self.padding)  # cols of dY
        self.W.accumulate(products.weight_grad(cols, X).reshape(self.W.shape))
        self.b.accumulate(dY.sum(axis=(0, 2, 3)))  # (B, C_out, Ho, Wo) -> (C_out,)
        return dX if input_grad else None

    def named_parameters(self):
        return {"W": self.W, "b": self.b}

    def __repr__(self) -> str:
        return (
            f"ConvTranspose2d({self.in_channels}, {self.out_channels}, "
            f"kernel_size={show(self.kernel_size)}{options(self)})"
        )
