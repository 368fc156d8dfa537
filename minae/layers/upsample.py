"""Nearest-neighbour upsampling: every pixel repeated into an s×s block."""

from __future__ import annotations

from ..fast.image_layout import image_buffer
from ..infrastructure.image_args import check_images, image_shape, positive_pair, show
from ..infrastructure.validation import check_batch
from .layer import Layer


class Upsample2d(Layer):
    """Y[b, c, i, j] = X[b, c, ⌊i / s_h⌋, ⌊j / s_w⌋]: (B, C, H, W) → (B, C, s_h·H, s_w·W).

    PyTorch's ``Upsample(scale_factor=s, mode="nearest")``, Keras's ``UpSampling2D``.
    Backward: each input pixel fed an s×s block, so it receives the block's sum of dY.
    The decoder's upsampling of slides 002's "Convolutional Autoencoder" (the Keras blog's
    model, Chollet 2016), lesson 10.

    Parameters
    ----------
    scale_factor : int or (int, int)
        s, or (s_h, s_w): how many times each pixel is repeated down and across.
    """

    def __init__(self, scale_factor):
        self.scale_factor = positive_pair(scale_factor, "scale_factor")
        self._x_shape = None

    def out_shape(self, in_shape):
        if in_shape is None:
            return None
        C, H, W = image_shape(self, in_shape, None)
        sh, sw = self.scale_factor
        return (C, sh * H, sw * W)

    def forward(self, X):
        check_images(self, X, None, None)
        B, C, H, W = X.shape
        sh, sw = self.scale_factor
        self._x_shape = tuple(X.shape)
        Y = image_buffer((B, C, sh * H, sw * W), X.dtype)
        for i in range(sh):
            for j in range(sw):
                Y[:, :, i::sh, j::sw] = X  # block offset (i, j) of every block
        return Y

    def backward(self, dY, input_grad: bool = True):
        x_shape = self._cached(self._x_shape, "its input's shape")
        check_batch(dY, "dY", self.out_shape(x_shape[1:]))
        if not input_grad:
            return None
        sh, sw = self.scale_factor
        dX = image_buffer(x_shape, dY.dtype)  # (B, C, H, W)
        dX[...] = dY[:, :, 0::sh, 0::sw]
        for i in range(sh):
            for j in range(sw):
                if i or j:
                    dX += dY[:, :, i::sh, j::sw]  # the block's other entries
        return dX

    def __repr__(self) -> str:
        return f"Upsample2d(scale_factor={show(self.scale_factor)})"
