"""Resizing against Pillow, colour spaces by round trip and known values, PSNR by hand."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from minae.images import (
    RESIZE_METHODS,
    downsample,
    resize,
    resize_weights,
    rgb_to_ycbcr,
    upsample,
    ycbcr_to_rgb,
)
from minae.metrics import luminance, psnr, psnr_per_image

PIL = pytest.importorskip("PIL.Image", reason="Pillow comes with matplotlib")
PILLOW_FILTERS = {
    "nearest": PIL.NEAREST,
    "box": PIL.BOX,
    "bilinear": PIL.BILINEAR,
    "bicubic": PIL.BICUBIC,
}


def pillow_resize(image: np.ndarray, size, method: str) -> np.ndarray:
    """One (H, W) float32 image resized by Pillow in its 32-bit float mode."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # mode= is deprecated in Pillow 11
        pil = PIL.fromarray(image, mode="F")
    return np.asarray(pil.resize((size[1], size[0]), PILLOW_FILTERS[method]))


@given(
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(1, 30),
    st.integers(1, 30),
    st.sampled_from(RESIZE_METHODS),
    st.integers(0, 2**31 - 1),
)
def test_resize_matches_pillow(H, W, Ho, Wo, method, seed):
    """Every method, enlarging and shrinking, odd and unequal sizes: Pillow computes in
    float32 with float64 weights, so the two agree to float32 rounding. Nearest is compared
    at whole enlargement factors: where an output centre falls exactly on a pixel edge
    (6 -> 9 pixels, centre 4.5 · 2/3 = 3) Pillow's fixed-point arithmetic may take the
    pixel before it, minae the pixel the edge begins."""
    assume(method != "nearest" or (Ho % H == 0 and Wo % W == 0))
    image = np.random.default_rng(seed).random((H, W)).astype(np.float32)
    ours = resize(image.astype(np.float64)[None, None], (Ho, Wo), method)[0, 0]
    np.testing.assert_allclose(ours, pillow_resize(image, (Ho, Wo), method), atol=2e-6)


def test_box_downsampling_is_the_block_mean_and_nearest_upsampling_repeats():
    X = np.random.default_rng(0).random((2, 3, 8, 12))
    blocks = X.reshape(2, 3, 2, 4, 3, 4).mean(axis=(3, 5))  # 4 x 4 block means
    np.testing.assert_allclose(downsample(X, 4), blocks, rtol=1e-14)
    repeated = np.repeat(np.repeat(X, 3, axis=2), 3, axis=3)
    np.testing.assert_array_equal(upsample(X, 3, "nearest"), repeated)


@pytest.mark.parametrize("method", RESIZE_METHODS)
def test_every_weight_row_sums_to_one_and_constants_survive(method):
    for n_in, n_out in ((5, 17), (17, 5), (8, 8)):
        np.testing.assert_allclose(resize_weights(n_in, n_out, method).sum(axis=1), 1.0)
    X = np.full((1, 1, 6, 9), 0.3)
    np.testing.assert_allclose(resize(X, (13, 4), method), 0.3, rtol=1e-14)


def test_bicubic_reproduces_a_linear_ramp_away_from_the_border():
    """Keys's kernel with a = -0.5 is exact on straight lines where its window fits."""
    ramp = np.arange(16.0)[None, None, None, :].repeat(4, axis=2)  # (1, 1, 4, 16)
    up = upsample(ramp, 2, "bicubic")[0, 0, 0]  # 32 samples at (i + 0.5) / 2 - 0.5
    centres = (np.arange(32) + 0.5) / 2 - 0.5
    np.testing.assert_allclose(up[4:-4], centres[4:-4], atol=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: resize(np.zeros((2, 8, 8)), 4), "B, C, H, W"),
        (lambda: resize(np.zeros((1, 1, 8, 8)), 4, "lanczos"), "method must be one of"),
        (lambda: downsample(np.zeros((1, 1, 9, 8)), 2), "do not split"),
        (lambda: upsample(np.zeros((1, 1, 4, 4)), 0), "factor"),
        (lambda: resize(np.zeros((1, 1, 8, 8), dtype=np.uint8), 4), "dtype"),
    ],
)
def test_bad_resize_input_is_refused(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_ycbcr_round_trip_and_known_colours():
    rng = np.random.default_rng(0)
    X = rng.random((3, 3, 5, 4))
    np.testing.assert_allclose(ycbcr_to_rgb(rgb_to_ycbcr(X)), X, atol=1e-14)
    # white: Y = 1, no chroma; pure red: Cr = 1/2; pure blue: Cb = 1/2 (JPEG's definitions)
    colours = np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    ycc = rgb_to_ycbcr(colours.reshape(3, 3, 1, 1))[:, :, 0, 0]
    np.testing.assert_allclose(ycc[0], [1.0, 0.0, 0.0], atol=1e-14)
    np.testing.assert_allclose(ycc[1], [0.299, -0.168736, 0.5], atol=1e-6)
    np.testing.assert_allclose(ycc[2], [0.114, 0.5, -0.081312], atol=1e-6)


def test_ycbcr_agrees_with_pillows_jpeg_conversion():
    """Pillow's RGB -> YCbCr works in bytes (chroma offset by 128): within rounding."""
    rgb = np.random.default_rng(1).integers(0, 256, size=(6, 7, 3), dtype=np.uint8)
    theirs = np.asarray(PIL.fromarray(rgb, "RGB").convert("YCbCr")).astype(float)
    ours = rgb_to_ycbcr(rgb.transpose(2, 0, 1)[None] / 255.0)[0].transpose(1, 2, 0) * 255
    ours[..., 1:] += 128
    np.testing.assert_allclose(ours, theirs, atol=1.01)


def test_bad_colour_input_is_refused():
    with pytest.raises(ValueError, match="B, 3, H, W"):
        rgb_to_ycbcr(np.zeros((2, 1, 4, 4)))


def test_psnr_by_hand():
    rng = np.random.default_rng(0)
    X = rng.random((4, 3, 6, 5))
    X_hat = X + 0.05 * rng.standard_normal(X.shape)
    by_hand = [10 * math.log10(1.0 / float(np.mean((X_hat[b] - X[b]) ** 2))) for b in range(4)]
    np.testing.assert_allclose(psnr_per_image(X_hat, X), by_hand, rtol=1e-12)
    assert psnr(X_hat, X) == pytest.approx(np.mean(by_hand), rel=1e-12)
    # peak 255 on byte-scaled images gives the same figure
    assert psnr(255 * X_hat, 255 * X, peak=255.0) == pytest.approx(np.mean(by_hand), rel=1e-12)


def test_psnr_on_luminance_uses_the_studio_range_luma():
    rng = np.random.default_rng(1)
    X, X_hat = rng.random((2, 3, 4, 4)), rng.random((2, 3, 4, 4))

    def luma(rgb):  # MATLAB's rgb2ycbcr Y, in [16/255, 235/255]
        return (16 + 65.481 * rgb[:, 0] + 128.553 * rgb[:, 1] + 24.966 * rgb[:, 2]) / 255

    np.testing.assert_allclose(luminance(X)[:, 0], luma(X), rtol=1e-14)
    by_hand = [10 * math.log10(1 / np.mean((luma(X_hat)[b] - luma(X)[b]) ** 2)) for b in (0, 1)]
    np.testing.assert_allclose(psnr_per_image(X_hat, X, luminance_only=True), by_hand)
    assert luminance(np.ones((1, 3, 1, 1)))[0, 0, 0, 0] == pytest.approx(235 / 255)


def test_an_exact_image_has_infinite_psnr_without_a_warning():
    X = np.random.default_rng(2).random((3, 1, 4, 4))
    X_hat = X.copy()
    X_hat[1] += 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = psnr_per_image(X_hat, X)
    assert values[0] == values[2] == math.inf and values[1] == pytest.approx(20.0)
    assert psnr(X_hat, X) == math.inf


@pytest.mark.parametrize(
    ("X_hat", "X", "match"),
    [
        (np.zeros((2, 4)), np.zeros((2, 5)), "shape"),
        (np.full((2, 4), np.nan), np.zeros((2, 4)), "NaN"),
        (np.zeros((2, 4)), np.zeros((2, 4), dtype=np.uint8), "dtype"),
    ],
)
def test_psnr_refuses_bad_input(X_hat, X, match):
    with pytest.raises((ValueError, TypeError), match=match):
        psnr(X_hat, X)
