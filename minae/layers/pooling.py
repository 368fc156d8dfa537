"""Pooling: the largest or the mean value of every k×k window, per channel."""

from __future__ import annotations

from ..fast.im2col import output_size, window
from ..fast.image_layout import image_buffer, pad
from ..infrastructure.backend import array_module
from ..infrastructure.image_args import (
    check_images,
    image_shape,
    pair_at_least,
    positive_pair,
    show,
)
from ..infrastructure.validation import check_batch, check_bool
from .layer import Layer


class _Pool2d(Layer):
    """Window geometry shared by the pooling layers."""

    ceil_mode = False

    def _geometry(self, kernel_size, stride, padding) -> None:
        self.kernel_size = positive_pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else positive_pair(stride, "stride")
        self.padding = pair_at_least(padding, "padding", 0)
        if any(2 * p > k for p, k in zip(self.padding, self.kernel_size, strict=True)):
            raise ValueError(
                f"padding {self.padding} must be at most half the kernel {self.kernel_size}"
            )

    def out_shape(self, in_shape):
        if in_shape is None:
            return None
        C, H, W = image_shape(self, in_shape, None)
        try:
            return (C, *self._out_hw(H, W))
        except ValueError as err:
            raise ValueError(f"{self!r} cannot take images of {H}x{W}: {err}") from None

    def _out_hw(self, H: int, W: int) -> tuple[int, int]:
        Ho, Wo = (
            output_size(n, k, s, p, ceil=self.ceil_mode)
            for n, k, s, p in zip((H, W), self.kernel_size, self.stride, self.padding, strict=True)
        )
        return Ho, Wo

    def _padded(self, X, value: float):
        """X padded each side by ``padding``, and at the bottom and right as far as the
        last (ceil_mode) window reaches: (B, C, H', W')."""
        (Ho, Wo), (kh, kw), (sh, sw), (ph, pw) = (
            self._out_hw(*X.shape[2:]),
            self.kernel_size,
            self.stride,
            self.padding,
        )
        bottom = max((Ho - 1) * sh + kh - X.shape[2] - ph, ph)
        right = max((Wo - 1) * sw + kw - X.shape[3] - pw, pw)
        if ph == pw == bottom == right == 0:
            return X, (Ho, Wo)  # every window lies inside X: no copy
        return pad(X, ph, pw, bottom, right, value), (Ho, Wo)

    def _repr_args(self) -> str:
        text = f"kernel_size={show(self.kernel_size)}"
        if self.stride != self.kernel_size:
            text += f", stride={show(self.stride)}"
        if self.padding != (0, 0):
            text += f", padding={show(self.padding)}"
        return text + (", ceil_mode=True" if self.ceil_mode else "")


class MaxPool2d(_Pool2d):
    """Y[b, c, i, j] = the largest X[b, c] in window (i, j): (B, C, H, W) → (B, C, Ho, Wo).

    Ho = ⌊(H + 2p - k) / s⌋ + 1, or with ``ceil_mode`` the ceiling, keeping a last window
    that hangs over the bottom or right edge (PyTorch's name; Keras's ``padding="same"``
    gives the same sizes: 7 → 4 with k = s = 2). Padding is -∞: it never wins.

    Backward: the gradient of a max is 1 for the entry that won and 0 for the others,
    so dY[b, c, i, j] goes to the position of window (i, j)'s maximum (the first one, in
    row-major order, where several entries tie, as after a ReLU that gave zeros); a pixel
    that wins several overlapping windows receives the sum.

    The windows are visited offset by offset (k·k strided slices): forward keeps the
    running maximum, backward finds, offset by offset, the windows whose maximum sits
    there and that no earlier offset has claimed. Where windows do not overlap (stride ≥
    k, the usual s = k), backward writes each offset's share straight into dX, without
    zeroing it first when the windows tile the input.

    The pooling of slides 002's "Convolutional Autoencoder" (the Keras blog's model,
    Chollet 2016, with ``ceil_mode=True``), lesson 10.

    Parameters
    ----------
    kernel_size : int or (int, int)
        k, or (k_h, k_w): the window.
    stride : int or (int, int), optional
        s; the kernel size when None.
    padding : int or (int, int)
        -∞ added each side, at most half the kernel.
    ceil_mode : bool
        Round the output size up, keeping a last window that hangs over the edge.
    """

    def __init__(self, kernel_size, stride=None, padding=0, *, ceil_mode: bool = False):
        self._geometry(kernel_size, stride, padding)
        self.ceil_mode = check_bool(ceil_mode, "ceil_mode")
        self._X_pad, self._x_shape, self._Y = None, None, None

    def forward(self, X):
        check_images(self, X, None, None)
        self.out_shape(tuple(X.shape[1:]))
        xp = array_module()
        X_pad, out_hw = self._padded(X, -xp.inf)  # (B, C, H', W')
        kh, kw = self.kernel_size
        Y = image_buffer((*X.shape[:2], *out_hw), X.dtype)  # (B, C, Ho, Wo)
        Y[...] = window(X_pad, 0, 0, self.stride, out_hw)
        for i in range(kh):
            for j in range(kw):
                if i or j:
                    xp.maximum(Y, window(X_pad, i, j, self.stride, out_hw), out=Y)
        self._X_pad, self._x_shape, self._Y = X_pad, tuple(X.shape), Y
        return Y

    def backward(self, dY, input_grad: bool = True):
        X_pad = self._cached(self._X_pad, "its padded input")
        Y = self._cached(self._Y, "its output")
        check_batch(dY, "dY", Y.shape[1:])
        if not input_grad:
            return None
        H, W = self._cached(self._x_shape, "its input's shape")[2:]
        (ph, pw), (kh, kw), stride = self.padding, self.kernel_size, self.stride
        out_hw, xp = Y.shape[2:], array_module()
        overlap = stride[0] < kh or stride[1] < kw  # may a pixel sit in several windows?
        tiled = stride == self.kernel_size and X_pad.shape[2:] == (out_hw[0] * kh, out_hw[1] * kw)
        dX_pad = image_buffer(X_pad.shape, dY.dtype, None if tiled else 0.0)  # (B, C, H', W')
        unclaimed = image_buffer(Y.shape, bool, True)  # windows whose maximum is not yet found
        here = image_buffer(Y.shape, bool)
        for i in range(kh):
            for j in range(kw):
                xp.equal(window(X_pad, i, j, stride, out_hw), Y, out=here)  # (B, C, Ho, Wo)
                here &= unclaimed  # the first maximum only
                unclaimed ^= here
                patch = window(dX_pad, i, j, stride, out_hw)  # a view
                if overlap:
                    patch += dY * here  # a pixel in several windows receives the sum
                else:  # each pixel lies in one window at most: written, not added
                    xp.multiply(dY, here, out=patch)
        return dX_pad[:, :, ph : ph + H, pw : pw + W]  # (B, C, H, W)

    def __repr__(self) -> str:
        return f"MaxPool2d({self._repr_args()})"


class AvgPool2d(_Pool2d):
    """Y[b, c, i, j] = the mean of X[b, c] over window (i, j): (B, C, H, W) → (B, C, Ho, Wo).

    Ho = ⌊(H - k) / s⌋ + 1. Backward: each entry of a window receives dY / (kh·kw), and
    a pixel in several windows the sum. The mean-pooling alternative to slides 002's max
    pooling (LeCun et al. 1998's subsampling); no lesson uses it, and the tests check it
    against PyTorch's.

    Parameters
    ----------
    kernel_size : int or (int, int)
        k, or (k_h, k_w): the window.
    stride : int or (int, int), optional
        s; the kernel size when None.
    """

    def __init__(self, kernel_size, stride=None):
        self._geometry(kernel_size, stride, 0)
        self._x_shape = None

    def forward(self, X):
        check_images(self, X, None, None)
        out_hw = self.out_shape(tuple(X.shape[1:]))[1:]
        kh, kw = self.kernel_size
        Y = image_buffer((*X.shape[:2], *out_hw), X.dtype)  # (B, C, Ho, Wo)
        Y[...] = window(X, 0, 0, self.stride, out_hw)
        for i in range(kh):
            for j in range(kw):
                if i or j:
                    Y += window(X, i, j, self.stride, out_hw)
        Y *= 1.0 / (kh * kw)
        self._x_shape = tuple(X.shape)
        return Y

    def backward(self, dY, input_grad: bool = True):
        x_shape = self._cached(self._x_shape, "its input's shape")
        check_batch(dY, "dY", self.out_shape(x_shape[1:]))
        if not input_grad:
            return None
        kh, kw = self.kernel_size
        share = dY * (1.0 / (kh * kw))  # (B, C, Ho, Wo)
        dX = image_buffer(x_shape, dY.dtype, 0.0)
        for i in range(kh):
            for j in range(kw):
                patch = window(dX, i, j, self.stride, dY.shape[2:])  # a view
                patch += share
        return dX

    def __repr__(self) -> str:
        return f"AvgPool2d({self._repr_args()})"
