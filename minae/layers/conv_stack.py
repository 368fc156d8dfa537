"""Build a strided convolutional encoder and the transposed-convolution decoder that mirrors it."""

from __future__ import annotations

import itertools
import math

from ..infrastructure.image_args import positive_pair
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_choice, check_positive_int, check_sizes
from .activations import ACTIVATIONS
from .activations import activation as make_activation
from .conv2d import Conv2d
from .conv_transpose2d import ConvTranspose2d
from .linear import Linear
from .reshape import Flatten, Unflatten
from .sequential import Sequential


def conv_encoder_decoder(
    image_shape,
    channels: list[int],
    *,
    kernel_size=3,
    code: int | None = None,
    activation: str = "relu",
    output_activation: str = "sigmoid",
    rng,
    init: str | None = None,
    dtype=None,
) -> tuple[Sequential, Sequential]:
    """An encoder of stride-2 convolutions and a decoder that undoes its sizes exactly.

    ``conv_encoder_decoder((1, 28, 28), [1, 32, 64], code=32, rng=0)`` gives
    encoder: Conv2d(1, 32, 3, stride 2, padding 1), ReLU, Conv2d(32, 64, ...), ReLU,
    Flatten, Linear(3136, 32) — images 28 → 14 → 7, then a 32-d code — and
    decoder: Linear(32, 3136), ReLU, Unflatten((64, 7, 7)), ConvTranspose2d(64, 32, ...),
    ReLU, ConvTranspose2d(32, 1, ...), sigmoid — 7 → 14 → 28.

    ``channels`` starts with the image's channel count. Each convolution halves the size
    (rounding up: 7 → 4); each transposed convolution takes it back to the size its
    encoder layer saw, its ``output_padding`` chosen to land exactly there (4 → 7 takes
    0, 7 → 14 takes 1). Without ``code`` the code is the last feature map. Weights are
    drawn in order from the one Generator ``rng``, He's rule for ReLU and Xavier's
    otherwise (or ``init``).

    Slides 002's "Convolutional Autoencoder" and slides 004's encoders "using ...
    Convolutional ... layers", with strided convolutions in place of pooling (Springenberg
    et al. 2015), the form of lesson 11's upsampling model, built for you: no lesson calls
    it, each lesson writes its stack out layer by layer.

    Parameters
    ----------
    image_shape : (int, int, int)
        (C, H, W) of one image.
    channels : list of int
        [C, c_1, ..., c_K]: the image's channels, then each convolution's.
    kernel_size : int or (int, int)
        k of every convolution (padding k // 2).
    code : int, optional
        A dense code of this width after the last feature map; None keeps the feature map.
    activation, output_activation : str
        After each hidden layer, and after the decoder's last (default ``"sigmoid"``).
    rng : numpy.random.Generator or int
        The initial weights' Generator or seed.
    init : str, optional
        ``"he"``, ``"xavier"`` or ``"fan_in_uniform"``; by default He for ReLU, else Xavier.
    dtype : float32 or float64, optional
        The backend's default when None.

    Returns
    -------
    encoder, decoder : Sequential
        The encoder maps (B, C, H, W) to (B, code) or (B, c_K, H_K, W_K); the decoder maps
        that back to (B, C, H, W).
    """
    C, H, W = _image(check_sizes(image_shape, "image_shape", at_least=3))
    channels = list(check_sizes(channels, "channels", at_least=0))
    if code is not None:
        code = check_positive_int(code, "code")
    if len(channels) < 2 or channels[0] != C:
        raise ValueError(
            f"channels must start with the image's {C} channel(s) and name at least one "
            f"more, got {channels}"
        )
    check_choice(activation, "activation", ACTIVATIONS)
    check_choice(output_activation, "output_activation", ACTIVATIONS)
    rng = as_generator(rng)
    init = init or ("he" if activation == "relu" else "xavier")
    k = positive_pair(kernel_size, "kernel_size")
    padding = (k[0] // 2, k[1] // 2)
    options = {"rng": rng, "init": init, "dtype": dtype}

    encoder, sizes = [], [(H, W)]
    for c_in, c_out in itertools.pairwise(channels):
        conv = Conv2d(c_in, c_out, k, stride=2, padding=padding, **options)
        encoder += [conv, make_activation(activation)]
        sizes.append(conv.out_shape((c_in, *sizes[-1]))[1:])
    feature_shape = (channels[-1], *sizes[-1])
    decoder = []
    if code is not None:
        flat = math.prod(feature_shape)
        encoder += [Flatten(), Linear(flat, code, **options)]
        decoder += [
            Linear(code, flat, **options),
            make_activation(activation),
            Unflatten(feature_shape),
        ]
    pairs = list(itertools.pairwise(channels))[::-1]
    for step, (c_out, c_in) in enumerate(pairs):
        (h, w), (H_out, W_out) = sizes[len(pairs) - step], sizes[len(pairs) - step - 1]
        output_padding = tuple(
            target - ((n - 1) * 2 - 2 * p + kk)
            for target, n, p, kk in zip((H_out, W_out), (h, w), padding, k, strict=True)
        )
        decoder.append(
            ConvTranspose2d(
                c_in, c_out, k, stride=2, padding=padding, output_padding=output_padding, **options
            )
        )
        last = step == len(pairs) - 1
        decoder.append(make_activation(output_activation if last else activation))
    return Sequential(*encoder, in_shape=(C, H, W)), Sequential(*decoder)


def _image(image_shape) -> tuple[int, int, int]:
    shape = tuple(image_shape)
    if len(shape) != 3 or not all(isinstance(n, int) and n >= 1 for n in shape):
        raise ValueError(f"image_shape must be (C, H, W) of positive ints, got {image_shape!r}")
    return shape
