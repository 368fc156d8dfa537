r"""2-D convolution: a Linear applied to every k×k patch of the image.

The convolution and its two gradients are three matrix products over the patches'
columns (``conv2d_products.py``); ``Conv2d`` is them plus a bias. The plain loops they
equal are ``minae.plain.convolution``.
"""

from __future__ import annotations

import numpy

from ..fast import conv2d_flipped
from ..fast import conv2d_products as products
from ..fast.im2col import im2col, output_size
from ..infrastructure.backend import resolve_dtype, to_device
from ..infrastructure.image_args import (
    check_images,
    image_shape,
    options,
    pair_at_least,
    positive_pair,
    show,
)
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_batch, check_positive_int
from .layer import Layer
from .linear import init_weights
from .parameter import Parameter


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

    A stride-1 layer that reduces channels computes the same three products from the
    side with fewer channels: a speed device, behind one seam (``conv2d_flipped.py``).
    Outside ``train``, a batch whose columns would pass 64 MiB (lesson 11 predicts 500
    images at a time) is computed a band of output rows at a time
    (``conv2d_products.forward_in_bands``), and a backward that follows builds the columns
    again; within ``train`` they are built whole and kept, as backward will need them.

    Slides 002's "Convolutional Autoencoder" and slides 004's "spatial pattern learning";
    lesson 10 derives it as loops, then im2col, then this layer, and compares the three.
    The im2col form is CS231n's (Karpathy et al. 2016) and Caffe's (Jia et al. 2014).

    Parameters
    ----------
    in_channels, out_channels : int
        C_in and C_out.
    kernel_size, stride, padding : int or (int, int)
        An int, or a pair (height, width). Padding adds zeros.
    rng : numpy.random.Generator or int
        The initial weights' Generator or seed.
    init : str
        ``"he"`` (default, for ReLU), ``"xavier"``, or ``"fan_in_uniform"`` (PyTorch's
        default, bias included), with fan_in = C_in·kh·kw and fan_out = C_out·kh·kw.
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
        rng,
        init: str = "he",
        dtype=None,
    ):
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = positive_pair(kernel_size, "kernel_size")
        self.stride = positive_pair(stride, "stride")
        self.padding = pair_at_least(padding, "padding", 0)
        shape = (self.out_channels, self.in_channels, *self.kernel_size)
        self.W, self.b = conv_parameters(shape, self.out_channels, init, rng, dtype)
        self.flipped = conv2d_flipped.pays(
            self.kernel_size, self.stride, self.padding, self.in_channels, self.out_channels
        )
        self._cols, self._X = None, None
        self.training = False  # within train: the columns are kept for backward, whole

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
        if self.flipped:  # the same product from the other side: conv2d_flipped.py
            Y = conv2d_flipped.forward(X, self.W.value, (X.shape[0], *out_shape), self.padding)
        elif not self.training and self._columns_bytes(X) > products.WHOLE_COLUMNS_BYTES:
            Y = products.forward_in_bands(X, self.W.value, self.stride, self.padding)
            self._cols = None  # built again if a backward follows
        else:
            Y, self._cols = products.forward(
                X, self.W.value, self.stride, self.padding
            )  # W_mat X_col
        Y += self.b.value[:, None, None]  # + b, (C_out, 1, 1) over batch and pixels
        return Y

    def begin_training(self, rng) -> None:
        self.training = True

    def end_training(self) -> None:
        self.training = False

    def _columns_bytes(self, X) -> int:
        return products.columns_bytes(
            X.shape, self.W.shape, self.stride, self.padding, X.dtype.itemsize
        )

    def backward(self, dY, input_grad: bool = True):
        X = self._cached(self._X, "its input X")
        check_batch(dY, "dY", self.out_shape(X.shape[1:]), self.W.dtype)
        self.b.accumulate(dY.sum(axis=(0, 2, 3)))  # ∂R̂/∂b = dY_mat 1: -> (C_out,)
        if self.flipped:  # the same two products from the other side: conv2d_flipped.py
            dX, dW = conv2d_flipped.backward(X, self.W.value, dY, self.padding)
            self.W.accumulate(dW)
            return dX if input_grad else None
        cols = self._cols  # None after a forward in bands: built now, as forward would
        if cols is None:
            cols = im2col(X, self.W.shape[2:], self.stride, self.padding)
        dW_mat = products.weight_grad(cols, dY)  # ∂R̂/∂W_mat = dY_mat X_colᵀ
        self.W.accumulate(dW_mat.reshape(self.W.shape))  # (C_out, C_in·kh·kw) -> W's shape
        if input_grad:  # col2im(W_matᵀ dY_mat)
            return products.input_grad(dY, self.W.value, X.shape, self.stride, self.padding)
        return None

    def named_parameters(self):
        return {"W": self.W, "b": self.b}

    def __repr__(self) -> str:
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, "
            f"kernel_size={show(self.kernel_size)}{options(self)})"
        )


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
