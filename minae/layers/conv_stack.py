"""Convolutional encoders and decoders, built: a strided encoder with the transposed-
convolution decoder that mirrors it, and the Keras blog's pooling autoencoder."""

from __future__ import annotations

import itertools
import math

from ..infrastructure.image_args import positive_pair
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_choice, check_positive_int, check_sizes
from .activations import ACTIVATIONS, ReLU, Sigmoid
from .activations import activation as make_activation
from .conv2d import Conv2d
from .conv_transpose2d import ConvTranspose2d
from .linear import Linear
from .pooling import MaxPool2d
from .reshape import Flatten, Unflatten
from .sequential import Sequential
from .upsample import Upsample2d


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
    drawn in order from the one Generator ``rng``: He's rule for a layer a ReLU follows,
    Xavier's for the others (the code layer, the output layer, and every layer when the
    activation is not ReLU), or ``init`` for all.

    Slides 002's "Convolutional Autoencoder" and slides 004's encoders "using ...
    Convolutional ... layers", with strided convolutions in place of pooling (Springenberg
    et al. 2015): lesson 13's convolutional autoencoder, and the model (s) of
    ``benchmarks/conv_throughput.py``.

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
        ``"he"``, ``"xavier"`` or ``"fan_in_uniform"`` for every layer; by default He
        before a ReLU, else Xavier.
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
    k = positive_pair(kernel_size, "kernel_size")
    padding = (k[0] // 2, k[1] // 2)

    def options(before_relu: bool) -> dict:
        rule = init or ("he" if before_relu and activation == "relu" else "xavier")
        return {"rng": rng, "init": rule, "dtype": dtype}

    encoder, sizes = [], [(H, W)]
    for c_in, c_out in itertools.pairwise(channels):
        conv = Conv2d(c_in, c_out, k, stride=2, padding=padding, **options(True))
        encoder += [conv, make_activation(activation)]
        sizes.append(conv.out_shape((c_in, *sizes[-1]))[1:])
    feature_shape = (channels[-1], *sizes[-1])
    decoder = []
    if code is not None:
        flat = math.prod(feature_shape)
        encoder += [Flatten(), Linear(flat, code, **options(False))]
        decoder += [
            Linear(code, flat, **options(True)),
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
        last = step == len(pairs) - 1
        decoder.append(
            ConvTranspose2d(
                c_in,
                c_out,
                k,
                stride=2,
                padding=padding,
                output_padding=output_padding,
                **options(not last),
            )
        )
        decoder.append(make_activation(output_activation if last else activation))
    return Sequential(*encoder, in_shape=(C, H, W)), Sequential(*decoder)


def keras_blog_encoder_decoder(*, rng, dtype=None) -> tuple[Sequential, Sequential]:
    """The Keras blog's convolutional autoencoder (Chollet 2016), for 28×28 images.

    encoder: Conv 1→16 3×3, ReLU, MaxPool 2 (28 → 14), Conv 16→8, ReLU, MaxPool 2
    (14 → 7), Conv 8→8, ReLU, MaxPool 2 rounding up (7 → 4): a code of 8×4×4 = 128.
    decoder: Conv 8→8, ReLU, Upsample 2 (4 → 8), Conv 8→8, ReLU, Upsample 2 (8 → 16),
    Conv 8→16 without padding (16 → 14), ReLU, Upsample 2 (14 → 28), Conv 16→1, sigmoid.
    Every convolution is 3×3 with padding 1 unless said otherwise; He's rule before a
    ReLU, Xavier's before the sigmoid, drawn in order from ``rng``.

    Slides 002's "Convolutional Autoencoder" with pooling and upsampling, as the Keras blog
    builds it: lesson 10's model, ``reproductions/keras_conv.py`` (0.094 BCE per pixel
    after 50 epochs) and the model (k) of ``benchmarks/conv_throughput.py``.

    Parameters
    ----------
    rng : numpy.random.Generator or int
        The initial weights' Generator or seed.
    dtype : float32 or float64, optional
        The backend's default when None.

    Returns
    -------
    encoder, decoder : Sequential
        The encoder maps (B, 1, 28, 28) to the code (B, 8, 4, 4); the decoder maps it back
        to (B, 1, 28, 28), each value in (0, 1).
    """
    rng = as_generator(rng)

    def conv(c_in, c_out, padding=1, init="he"):
        return Conv2d(c_in, c_out, 3, padding=padding, rng=rng, init=init, dtype=dtype)

    encoder = Sequential(
        conv(1, 16), ReLU(), MaxPool2d(2),
        conv(16, 8), ReLU(), MaxPool2d(2),
        conv(8, 8), ReLU(), MaxPool2d(2, ceil_mode=True),
        in_shape=(1, 28, 28),
    )  # fmt: skip
    decoder = Sequential(
        conv(8, 8), ReLU(), Upsample2d(2),
        conv(8, 8), ReLU(), Upsample2d(2),
        conv(8, 16, padding=0), ReLU(), Upsample2d(2),
        conv(16, 1, init="xavier"), Sigmoid(),
    )  # fmt: skip
    return encoder, decoder


def _image(image_shape) -> tuple[int, int, int]:
    shape = tuple(image_shape)
    if len(shape) != 3 or not all(isinstance(n, int) and n >= 1 for n in shape):
        raise ValueError(f"image_shape must be (C, H, W) of positive ints, got {image_shape!r}")
    return shape
