"""Convolution, transposed convolution, pooling and upsampling: gradients, the loop
reference, the adjoint identity, PyTorch, and bad input."""

import itertools

import numpy as np
import pytest
from helpers import TOLERANCE, layer_errors
from hypothesis import given
from hypothesis import strategies as st

import minae
from minae.fast.im2col import col2im, im2col
from minae.plain import convolution as plain

seed = st.integers(0, 2**32 - 1)


@st.composite
def geometry(draw, max_kernel=5, max_stride=3, max_padding=2):
    """A kernel (kh, kw), stride, padding and an image size (H, W) the kernel fits."""
    kh, kw = draw(st.integers(1, max_kernel)), draw(st.integers(1, max_kernel))
    if draw(st.booleans()):
        kw = kh  # square kernels half the time, the common case
    stride = (draw(st.integers(1, max_stride)), draw(st.integers(1, max_stride)))
    padding = (draw(st.integers(0, max_padding)), draw(st.integers(0, max_padding)))
    H = draw(st.integers(max(1, kh - 2 * padding[0]), kh + 5))
    W = draw(st.integers(max(1, kw - 2 * padding[1]), kw + 5))
    return (kh, kw), stride, padding, (H, W)


def values(rng, shape):
    return rng.standard_normal(shape)


# ---------------------------------------------------------------------------------------
# gradients against central differences (float64, TOLERANCE from helpers)


@given(
    geo=geometry(), C_in=st.integers(1, 2), C_out=st.integers(1, 3), B=st.integers(1, 2), seed=seed
)
def test_conv2d_gradients(float64, geo, C_in, C_out, B, seed):
    kernel, stride, padding, (H, W) = geo
    rng = np.random.default_rng(seed)
    layer = minae.Conv2d(C_in, C_out, kernel, stride=stride, padding=padding, rng=rng)
    X = values(rng, (B, C_in, H, W))
    dY = values(rng, (B, *layer.out_shape((C_in, H, W))))
    errors = layer_errors(layer, X, dY)
    assert max(errors.values()) < TOLERANCE, errors


@st.composite
def transpose_geometry(draw):
    kernel, stride, padding, _ = draw(geometry(max_padding=1))
    output_padding = tuple(draw(st.integers(0, s - 1)) for s in stride)
    H, W = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    sizes = [
        (n - 1) * s - 2 * p + k + op
        for n, s, p, k, op in zip((H, W), stride, padding, kernel, output_padding, strict=True)
    ]
    if min(sizes) < 1:  # padding larger than the stamp: grow the input until it fits
        H, W = H + 2, W + 2
    return kernel, stride, padding, output_padding, (H, W)


@given(
    geo=transpose_geometry(),
    C_in=st.integers(1, 3),
    C_out=st.integers(1, 2),
    B=st.integers(1, 2),
    seed=seed,
)
def test_conv_transpose2d_gradients(float64, geo, C_in, C_out, B, seed):
    kernel, stride, padding, output_padding, (H, W) = geo
    rng = np.random.default_rng(seed)
    layer = minae.ConvTranspose2d(
        C_in, C_out, kernel, stride=stride, padding=padding, output_padding=output_padding, rng=rng
    )
    X = values(rng, (B, C_in, H, W))
    dY = values(rng, (B, *layer.out_shape((C_in, H, W))))
    errors = layer_errors(layer, X, dY)
    assert max(errors.values()) < TOLERANCE, errors


def distinct_values(rng, shape, gap=0.01):
    """Entries at least ``gap`` apart: a max pool's winners do not change under the
    1e-5 steps of the finite differences (off the kinks)."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * gap - n * gap / 2).reshape(shape)


@given(
    kernel=st.integers(1, 4),
    stride=st.integers(1, 3),
    padding=st.integers(0, 2),
    ceil_mode=st.booleans(),
    H=st.integers(4, 9),
    W=st.integers(4, 9),
    seed=seed,
)
def test_max_pool_gradient_and_loop_reference(
    float64, kernel, stride, padding, ceil_mode, H, W, seed
):
    padding = min(padding, kernel // 2)
    rng = np.random.default_rng(seed)
    layer = minae.MaxPool2d(kernel, stride, padding, ceil_mode=ceil_mode)
    X = distinct_values(rng, (2, 2, H, W))
    Y = layer.forward(X)
    expected, where = plain.max_pool2d(X, (kernel,) * 2, (stride,) * 2, (padding,) * 2, ceil_mode)
    np.testing.assert_array_equal(Y, expected)
    dY = values(rng, Y.shape)
    np.testing.assert_allclose(
        layer.backward(dY), plain.max_pool2d_backward(X.shape, where, dY), rtol=0, atol=1e-14
    )
    errors = layer_errors(layer, X, dY)
    assert max(errors.values()) < TOLERANCE, errors


def test_max_pool_sends_a_tie_to_the_first_maximum(float64):
    X = np.zeros((1, 1, 2, 2))  # four equal entries
    layer = minae.MaxPool2d(2)
    layer.forward(X)
    dX = layer.backward(np.ones((1, 1, 1, 1)))
    np.testing.assert_array_equal(dX[0, 0], [[1.0, 0.0], [0.0, 0.0]])


@given(
    kernel=st.integers(1, 3),
    stride=st.integers(1, 3),
    H=st.integers(3, 8),
    W=st.integers(3, 8),
    seed=seed,
)
def test_avg_pool_gradient_and_loop_reference(float64, kernel, stride, H, W, seed):
    rng = np.random.default_rng(seed)
    layer = minae.AvgPool2d(kernel, stride)
    X = values(rng, (2, 3, H, W))
    Y = layer.forward(X)
    k, s = (kernel,) * 2, (stride,) * 2
    np.testing.assert_allclose(Y, plain.avg_pool2d(X, k, s), rtol=0, atol=1e-14)
    dY = values(rng, Y.shape)
    want = plain.avg_pool2d_backward(X.shape, k, s, dY)
    np.testing.assert_allclose(layer.backward(dY), want, rtol=0, atol=1e-14)
    errors = layer_errors(layer, X, dY)
    assert max(errors.values()) < TOLERANCE, errors


@given(
    sh=st.integers(1, 3), sw=st.integers(1, 3), H=st.integers(1, 5), W=st.integers(1, 5), seed=seed
)
def test_upsample_gradient_and_values(float64, sh, sw, H, W, seed):
    rng = np.random.default_rng(seed)
    layer = minae.Upsample2d((sh, sw))
    X = values(rng, (2, 2, H, W))
    Y = layer.forward(X)
    np.testing.assert_array_equal(Y, np.repeat(np.repeat(X, sh, axis=2), sw, axis=3))
    errors = layer_errors(layer, X, values(rng, Y.shape))
    assert max(errors.values()) < TOLERANCE, errors


# ---------------------------------------------------------------------------------------
# the fast path against plain loops, and the adjoint identity


@given(geo=geometry(), C=st.integers(1, 3), B=st.integers(1, 3), seed=seed)
def test_im2col_equals_the_loop_and_col2im_is_its_adjoint(geo, C, B, seed):
    kernel, stride, padding, (H, W) = geo
    rng = np.random.default_rng(seed)
    x = values(rng, (B, C, H, W))
    cols = im2col(x, kernel, stride, padding)
    np.testing.assert_array_equal(cols, plain.im2col(x, kernel, stride, padding))
    c = values(rng, cols.shape)
    # ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩
    lhs, rhs = np.sum(cols * c), np.sum(x * col2im(c, x.shape, kernel, stride, padding))
    assert abs(lhs - rhs) <= 1e-12 * max(1.0, abs(lhs))


@given(geo=geometry(), C_in=st.integers(1, 3), C_out=st.integers(1, 3), seed=seed)
def test_conv2d_equals_the_loop_forward_and_backward(float64, geo, C_in, C_out, seed):
    kernel, stride, padding, (H, W) = geo
    rng = np.random.default_rng(seed)
    layer = minae.Conv2d(
        C_in, C_out, kernel, stride=stride, padding=padding, rng=rng, init="fan_in_uniform"
    )
    assert_conv2d_equals_the_loops(layer, values(rng, (2, C_in, H, W)), rng)


def assert_conv2d_equals_the_loops(layer, X, rng, kept=True):
    """Y, then dX, dW and db for a random dY, against the plain loops (float64)."""
    stride, padding = layer.stride, layer.padding
    Y = layer.forward(X)
    assert (layer._cols is not None) == kept or layer.flipped
    W_, b = layer.W.value, layer.b.value
    np.testing.assert_allclose(Y, plain.conv2d(X, W_, b, stride, padding), rtol=0, atol=1e-13)
    dY = values(rng, Y.shape)
    dX = layer.backward(dY)
    for got, want in zip(
        (dX, layer.W.grad, layer.b.grad),
        plain.conv2d_backward(X, W_, dY, stride, padding),
        strict=True,
    ):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@given(
    geo=geometry(),
    C_in=st.integers(1, 3),
    C_out=st.integers(1, 3),
    B=st.integers(1, 3),
    band=st.integers(1, 4000),
    seed=seed,
)
def test_conv2d_in_bands_equals_the_loop_forward_and_backward(
    float64, monkeypatch, geo, C_in, C_out, B, band, seed
):
    # Columns over WHOLE_COLUMNS_BYTES are built in bands of output rows (BAND_BYTES each,
    # or one row), none kept: forward by bands, backward by columns built again.
    from minae.fast import conv2d_products

    monkeypatch.setattr(conv2d_products, "WHOLE_COLUMNS_BYTES", 0)
    monkeypatch.setattr(conv2d_products, "BAND_BYTES", band)
    kernel, stride, padding, (H, W) = geo
    rng = np.random.default_rng(seed)
    layer = minae.Conv2d(
        C_in, C_out, kernel, stride=stride, padding=padding, rng=rng, init="fan_in_uniform"
    )
    layer.flipped = False  # the products' path, which the bands replace in forward
    assert_conv2d_equals_the_loops(layer, values(rng, (B, C_in, H, W)), rng, kept=False)


def test_a_batch_whose_columns_are_large_goes_by_bands_and_a_small_one_whole():
    # lesson 11's Conv(32, 32) at batch 500: 451 MB of columns whole, by bands instead
    from minae.fast import conv2d_products

    layer = minae.Conv2d(32, 32, 3, padding=1, rng=0)
    big = (500, 32, 28, 28)
    assert conv2d_products.columns_bytes(big, layer.W.shape, (1, 1), (1, 1), 4) == 451_584_000
    assert conv2d_products.columns_bytes(big, layer.W.shape, (1, 1), (1, 1), 4) > (
        conv2d_products.WHOLE_COLUMNS_BYTES
    )
    X = np.random.default_rng(1).standard_normal((64, 32, 28, 28)).astype(np.float32)
    layer.forward(X)
    assert layer._cols is not None  # 58 MB: under the threshold, kept for backward
    large = np.concatenate([X] * 2)  # 116 MB of columns
    Y = layer.forward(large)
    assert layer._cols is None
    np.testing.assert_allclose(Y[64:], layer.forward(X), rtol=0, atol=1e-5)
    layer.begin_training(np.random.default_rng(0))  # what train does: whole, kept
    layer.forward(large)
    assert layer._cols is not None
    layer.end_training()


def test_train_never_takes_the_bands_and_predict_does(monkeypatch):
    # with a threshold of 0, every forward outside train goes by bands; within train the
    # columns are built whole and kept for backward, so train's bits are what they were
    from minae.fast import conv2d_products

    calls = []
    by_bands = conv2d_products.forward_in_bands
    monkeypatch.setattr(
        conv2d_products, "forward_in_bands", lambda *a: calls.append(1) or by_bands(*a)
    )
    monkeypatch.setattr(conv2d_products, "WHOLE_COLUMNS_BYTES", 0)
    X = np.random.default_rng(2).uniform(size=(48, 1, 12, 12)).astype(np.float32)
    encoder, decoder = minae.conv_encoder_decoder((1, 12, 12), [1, 4, 8], code=6, rng=0)
    model = minae.Autoencoder(encoder, decoder, minae.BCE())
    optimizer = minae.Adam(model.parameters(), lr=1e-3)
    minae.train(model, optimizer, X, epochs=2, batch_size=16, rng=0, progress=False)
    assert calls == []
    assert not encoder.layers[0].training  # end_training ran
    minae.predict(model.reconstruct, X, batch_size=48)
    assert len(calls) == 2  # the encoder's two convolutions


@given(geo=transpose_geometry(), C_in=st.integers(1, 3), C_out=st.integers(1, 3), seed=seed)
def test_conv_transpose2d_equals_the_loop(float64, geo, C_in, C_out, seed):
    kernel, stride, padding, output_padding, (H, W) = geo
    rng = np.random.default_rng(seed)
    layer = minae.ConvTranspose2d(
        C_in,
        C_out,
        kernel,
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        rng=rng,
        init="fan_in_uniform",
    )
    X = values(rng, (2, C_in, H, W))
    expected = plain.conv_transpose2d(
        X, layer.W.value, layer.b.value, stride, padding, output_padding
    )
    np.testing.assert_allclose(layer.forward(X), expected, rtol=0, atol=1e-13)
    dY = values(rng, expected.shape)
    dX = layer.backward(dY)
    for got, want in zip(
        (dX, layer.W.grad, layer.b.grad),
        plain.conv_transpose2d_backward(X, layer.W.value, dY, stride, padding),
        strict=True,
    ):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@given(geo=geometry(), C_in=st.integers(1, 3), C_out=st.integers(1, 3), seed=seed)
def test_adjoint_identity(float64, geo, C_in, C_out, seed):
    """⟨conv(x), y⟩ = ⟨x, convT(y)⟩ for the same W, no bias: the transposed convolution
    is the convolution's adjoint (its transpose, as a matrix)."""
    kernel, stride, padding, (H, W) = geo
    rng = np.random.default_rng(seed)
    conv = minae.Conv2d(C_in, C_out, kernel, stride=stride, padding=padding, rng=rng)
    x = values(rng, (2, C_in, H, W))
    y_shape = (2, *conv.out_shape((C_in, H, W)))
    Ho, Wo = y_shape[2:]
    # the output_padding that takes (Ho, Wo) back to exactly (H, W)
    output_padding = tuple(
        n + 2 * p - k - (m - 1) * s
        for n, m, s, p, k in zip((H, W), (Ho, Wo), stride, padding, kernel, strict=True)
    )
    convT = minae.ConvTranspose2d(
        C_out, C_in, kernel, stride=stride, padding=padding, output_padding=output_padding, rng=rng
    )
    convT.W.value = conv.W.value  # (C_out, C_in, kh, kw): the same array, read the other way
    y = values(rng, y_shape)
    conv_x = conv.forward(x) - conv.b.value[:, None, None]
    lhs = np.sum(conv_x * y)
    rhs = np.sum(x * (convT.forward(y) - convT.b.value[:, None, None]))
    scale = np.sum(np.abs(conv_x * y))  # the size of the terms the two sums add up
    assert abs(lhs - rhs) <= 1e-12 * scale


# ---------------------------------------------------------------------------------------
# PyTorch on identical weights (an optional test dependency)


def torch_or_skip():
    return pytest.importorskip("torch", reason="PyTorch is an optional test dependency")


CASES = [
    ("conv", dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding=1)),
    (
        "conv",
        dict(in_channels=2, out_channels=3, kernel_size=(2, 5), stride=(3, 1), padding=(0, 2)),
    ),
    (
        "convT",
        dict(in_channels=3, out_channels=2, kernel_size=3, stride=2, padding=1, output_padding=1),
    ),
    (
        "convT",
        dict(
            in_channels=2,
            out_channels=3,
            kernel_size=(4, 2),
            stride=(2, 3),
            padding=(1, 0),
            output_padding=(1, 2),
        ),
    ),
]


@pytest.mark.parametrize("kind, kwargs", CASES)
def test_against_pytorch(float64, kind, kwargs):
    torch = torch_or_skip()
    rng = np.random.default_rng(5)
    cls = minae.Conv2d if kind == "conv" else minae.ConvTranspose2d
    ours = cls(**kwargs, rng=rng, init="fan_in_uniform")
    theirs = (torch.nn.Conv2d if kind == "conv" else torch.nn.ConvTranspose2d)(**kwargs)
    theirs = theirs.double()
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(ours.W.value))
        theirs.bias.copy_(torch.from_numpy(ours.b.value))
    X = values(rng, (3, kwargs["in_channels"], 9, 8))
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = theirs(Xt)
    Y = ours.forward(X)
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=0, atol=1e-10)
    dY = values(rng, Y.shape)
    Yt.backward(torch.from_numpy(dY))
    dX = ours.backward(dY)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.W.grad, theirs.weight.grad.numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.b.grad, theirs.bias.grad.numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize(
    "ours, make_theirs",
    [
        (minae.MaxPool2d(2, ceil_mode=True), lambda nn: nn.MaxPool2d(2, ceil_mode=True)),
        (minae.MaxPool2d(3, 2, 1), lambda nn: nn.MaxPool2d(3, 2, 1)),
        (minae.AvgPool2d(2), lambda nn: nn.AvgPool2d(2)),
        (minae.Upsample2d(2), lambda nn: nn.Upsample(scale_factor=2)),
    ],
    ids=["max-ceil", "max-overlapping", "avg", "upsample"],
)
def test_pooling_against_pytorch(float64, ours, make_theirs):
    torch = torch_or_skip()
    rng = np.random.default_rng(6)
    X = distinct_values(rng, (2, 3, 7, 6))
    Xt = torch.from_numpy(X).requires_grad_()
    Yt = make_theirs(torch.nn)(Xt)
    Y = ours.forward(X)
    np.testing.assert_allclose(Y, Yt.detach().numpy(), rtol=0, atol=1e-12)
    dY = values(rng, Y.shape)
    Yt.backward(torch.from_numpy(dY))
    np.testing.assert_allclose(ours.backward(dY), Xt.grad.numpy(), rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------------------
# shapes and bad input


def test_the_keras_sizes_28_14_7_4_and_back():
    encoder, decoder = minae.keras_blog_encoder_decoder(rng=0)
    sizes = [np.zeros((2, 1, 28, 28), np.float32)]
    for layer in [*encoder.layers, *decoder.layers]:
        sizes.append(layer.forward(sizes[-1]))
    widths = [b.shape[-1] for a, b in itertools.pairwise(sizes) if a.shape[-1] != b.shape[-1]]
    assert widths == [14, 7, 4, 8, 16, 14, 28]  # pooled, pooled, rounded up; back, valid, back
    assert sizes[9].shape == (2, 8, 4, 4) and sizes[-1].shape == (2, 1, 28, 28)
    assert sum(p.value.size for p in encoder.parameters() + decoder.parameters()) == 4385


def test_wrong_channel_count_is_named():
    with pytest.raises(
        ValueError, match=r"takes 3 input channel\(s\), got images of shape \(1, 8, 8\)"
    ):
        minae.Conv2d(3, 4, 3, rng=0).forward(np.zeros((2, 1, 8, 8), np.float32))


def test_an_image_smaller_than_the_kernel_is_refused():
    with pytest.raises(ValueError, match=r"cannot take images of 2x2: the kernel \(3\) is larger"):
        minae.Conv2d(1, 1, 3, rng=0).forward(np.zeros((1, 1, 2, 2), np.float32))
    with pytest.raises(ValueError, match="cannot take images of 1x1"):
        minae.MaxPool2d(2).forward(np.zeros((1, 1, 1, 1), np.float32))


def test_vectors_are_refused_with_a_hint():
    with pytest.raises(ValueError, match=r"takes images \(C, H, W\).*Unflatten"):
        minae.Conv2d(1, 1, 3, rng=0).forward(np.zeros((2, 784), np.float32))


def test_a_chain_that_does_not_fit_is_refused_when_built():
    with pytest.raises(ValueError, match="Linear"):
        minae.Sequential(
            minae.Unflatten((1, 28, 28)),
            minae.Conv2d(1, 4, 3, stride=2, rng=0),
            minae.Flatten(),
            minae.Linear(4 * 14 * 14, 10, rng=0),
        )  # it gives 13x13


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: minae.Conv2d(1, 1, 0, rng=0), "kernel_size must be at least 1"),
        (lambda: minae.Conv2d(1, 1, 3, stride=0, rng=0), "stride must be at least 1"),
        (lambda: minae.Conv2d(1, 1, 3, padding=-1, rng=0), "padding must be at least 0"),
        (lambda: minae.Conv2d(1, 1, 2.5, rng=0), "kernel_size must be an int or a pair"),
        (lambda: minae.Conv2d(1, 1, (3, 3, 3), rng=0), "kernel_size must be an int or a pair"),
        (lambda: minae.Conv2d(0, 1, 3, rng=0), "in_channels"),
        (
            lambda: minae.ConvTranspose2d(1, 1, 3, stride=2, output_padding=2, rng=0),
            "output_padding .* must be smaller than the stride",
        ),
        (lambda: minae.MaxPool2d(2, padding=2), "padding .* at most half the kernel"),
        (lambda: minae.Upsample2d(0), "scale_factor must be at least 1"),
    ],
)
def test_bad_arguments_are_refused(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()


def test_backward_before_forward_is_an_error():
    for layer in (
        minae.Conv2d(1, 1, 3, rng=0),
        minae.ConvTranspose2d(1, 1, 3, rng=0),
        minae.MaxPool2d(2),
        minae.AvgPool2d(2),
        minae.Upsample2d(2),
    ):
        with pytest.raises(RuntimeError, match="before forward"):
            layer.backward(np.zeros((1, 1, 2, 2), np.float32))


def test_repr_shows_what_differs_from_the_defaults():
    assert (
        repr(minae.Conv2d(1, 16, 3, padding=1, rng=0)) == "Conv2d(1, 16, kernel_size=3, padding=1)"
    )
    convT = minae.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1, rng=0)
    assert (
        repr(convT)
        == "ConvTranspose2d(64, 32, kernel_size=3, stride=2, padding=1, output_padding=1)"
    )
    assert repr(minae.MaxPool2d(2, ceil_mode=True)) == "MaxPool2d(kernel_size=2, ceil_mode=True)"


# ---------------------------------------------------------------------------------------
# the builder, and a whole convolutional autoencoder


@given(
    H=st.integers(5, 30),
    W=st.integers(5, 30),
    depth=st.integers(1, 3),
    k=st.sampled_from([3, 4, 5]),
)
def test_the_builder_mirrors_any_size_exactly(H, W, depth, k):
    channels = [2] + [3] * depth
    encoder, decoder = minae.conv_encoder_decoder((2, H, W), channels, kernel_size=k, rng=0)
    X = np.zeros((1, 2, H, W), np.float32)
    assert decoder.forward(encoder.forward(X)).shape == X.shape


def test_the_builder_gives_the_strided_model():
    encoder, decoder = minae.conv_encoder_decoder((1, 28, 28), [1, 32, 64], code=32, rng=0)
    assert [repr(layer) for layer in encoder.layers] == [
        "Conv2d(1, 32, kernel_size=3, stride=2, padding=1)",
        "ReLU()",
        "Conv2d(32, 64, kernel_size=3, stride=2, padding=1)",
        "ReLU()",
        "Flatten()",
        "Linear(3136, 32)",
    ]
    assert repr(decoder.layers[3]) == (
        "ConvTranspose2d(64, 32, kernel_size=3, stride=2, padding=1, output_padding=1)"
    )


@pytest.mark.parametrize("channels", [[3, 8], [1], []])
def test_the_builder_checks_the_channels(channels):
    with pytest.raises(ValueError, match="channels must start with the image's 1 channel"):
        minae.conv_encoder_decoder((1, 28, 28), channels, rng=0)


@pytest.mark.parametrize("kind", ["strided", "pooled"])
def test_a_convolutional_autoencoder_gradient(float64, kind):
    """Whole models, BCE on a sigmoid output, checked at sampled entries (fixed seed)."""
    from helpers import model_errors

    rng = np.random.default_rng(0)
    if kind == "strided":
        encoder, decoder = minae.conv_encoder_decoder(
            (1, 9, 8), [1, 3, 4], code=5, activation="tanh", rng=rng
        )
    else:  # 9x8 -> pool (ceil) 5x4 -> up 10x8 -> valid (2, 1) conv 9x8
        encoder = minae.Sequential(
            minae.Conv2d(1, 2, 3, padding=1, rng=rng),
            minae.Tanh(),
            minae.MaxPool2d(2, ceil_mode=True),
        )
        decoder = minae.Sequential(
            minae.Upsample2d(2), minae.Conv2d(2, 1, (2, 1), rng=rng), minae.Sigmoid()
        )
    model = minae.Autoencoder(encoder, decoder, minae.BCE())
    X = rng.uniform(0.1, 0.9, size=(3, 1, 9, 8))
    if kind == "strided":
        errors, _ = model_errors(model, X, X.copy(), sampled=40, rng=rng)
    else:  # the max pool's kinks: the five-point rule's h = 1e-3 steps across near-ties
        errors = pooled_model_errors(model, X, X.copy())
    assert max(errors.values()) < TOLERANCE, errors


def pooled_model_errors(model, X, target):
    """Three-point differences with h = 1e-5, small enough that no pooling window's winner
    changes (with h = 1e-3 this model's first weights err by 6e-3; with 1e-5, 1e-10)."""
    from minae.teaching.gradcheck import numerical_gradient, scaled_error

    def total():
        model.forward(X)
        return model.loss(target).total

    model.zero_grad()
    total()
    grads = model.backward()
    errors = {
        name: scaled_error(p.grad.copy(), numerical_gradient(total, p.value, h=1e-5))
        for name, p in model.named_parameters().items()
    }
    errors["X"] = scaled_error(grads.dX, numerical_gradient(total, X, h=1e-5))
    return errors
