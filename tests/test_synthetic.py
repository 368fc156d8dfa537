"""Synthetic data sets and corruptions: their defining properties, and determinism."""

from functools import partial

import numpy as np
import pytest

from minae.datasets import (
    SHAPE_KINDS,
    block_masking,
    circle,
    downsample_upsample,
    gaussian_noise,
    line,
    masking_noise,
    rgb_to_gray,
    salt_and_pepper,
    shapes,
    stretched_gaussian,
)


def test_line_points_are_2_alpha_alpha():
    X, alpha = line(100, 0)
    np.testing.assert_allclose(X, np.stack([2 * alpha, alpha], axis=1), rtol=1e-6)
    assert X.dtype == np.float32
    noisy, _ = line(100, 0, noise=0.1)
    assert 0.05 < np.abs(noisy - X).std() < 0.15


def test_circle_points_have_unit_norm_and_match_theta():
    X, theta = circle(200, 1, dtype="float64")
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.arctan2(X[:, 0], X[:, 1]) % (2 * np.pi), theta, rtol=1e-9)


def test_stretched_gaussian_has_its_stated_axes():
    X, axes = stretched_gaussian(20000, 2, angle=0.7, stds=(2.0, 0.3), dtype="float64")
    variances = np.linalg.eigvalsh(np.cov(X.T))
    np.testing.assert_allclose(np.sqrt(variances), [0.3, 2.0], rtol=0.03)
    assert abs(np.linalg.eigh(np.cov(X.T))[1][:, 1] @ axes[0]) > 0.999


def test_shapes_match_their_factors():
    X, f = shapes(300, 3)
    assert X.shape == (300, 784) and set(np.unique(X)) <= {0.0, 1.0}
    area = X.sum(axis=1)
    r = f["radius"]
    squares, discs = f["kind"] == 0, f["kind"] == 1
    np.testing.assert_allclose(area[squares], (2 * r[squares]) ** 2, rtol=0.2)
    np.testing.assert_allclose(area[discs], np.pi * r[discs] ** 2, rtol=0.2)
    assert set(f["kind"]) == set(range(len(SHAPE_KINDS)))


@pytest.mark.parametrize("make", [partial(line, 10), partial(circle, 10), partial(shapes, 10)])
def test_the_same_seed_gives_the_same_data(make):
    np.testing.assert_array_equal(make(7)[0], make(7)[0])
    assert not np.array_equal(make(7)[0], make(8)[0])


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="n must be a positive integer"):
        line(0, 0)
    with pytest.raises(ValueError, match="noise must be"):
        circle(5, 0, noise=-1)


# -- corruptions ---------------------------------------------------------------------------

X = np.random.default_rng(0).uniform(size=(200, 784)).astype(np.float32)


def test_masking_zeroes_a_fraction_close_to_nu():
    X_tilde = masking_noise(X, np.random.default_rng(1), nu=0.3)
    zeroed = (X_tilde == 0).mean()
    # 156,800 independent Bernoulli(0.3): the standard deviation of the fraction is 0.0012
    assert zeroed == pytest.approx(0.3, abs=0.006)
    kept = X_tilde != 0
    np.testing.assert_array_equal(X_tilde[kept], X[kept])


def test_gaussian_noise_is_clipped_to_the_unit_interval():
    X_tilde = gaussian_noise(X, np.random.default_rng(2), sigma=0.5)
    assert X_tilde.min() == 0.0 and X_tilde.max() == 1.0  # noise this large hits both bounds
    assert X_tilde.dtype == np.float32
    # Away from the bounds nothing is clipped, and the noise has the stated σ.
    middle = np.full((100, 784), 0.5, np.float32)
    noise = gaussian_noise(middle, np.random.default_rng(2), sigma=0.05) - middle
    assert noise.std() == pytest.approx(0.05, rel=0.01) and abs(noise.mean()) < 1e-3


def test_salt_and_pepper_sets_a_fraction_to_0_or_1():
    X_tilde = salt_and_pepper(X, np.random.default_rng(3), fraction=0.2)
    changed = X_tilde != X
    assert changed.mean() == pytest.approx(0.2, abs=0.006)
    assert set(np.unique(X_tilde[changed])) == {0.0, 1.0}
    assert (X_tilde[changed] == 1).mean() == pytest.approx(0.5, abs=0.02)


@pytest.mark.parametrize(
    "corrupt",
    [
        partial(masking_noise, nu=0.5),
        partial(gaussian_noise, sigma=0.2),
        salt_and_pepper,
        block_masking,
    ],
)
def test_corruptions_repeat_for_a_seed(corrupt):
    a = corrupt(X, np.random.default_rng(9))
    b = corrupt(X, np.random.default_rng(9))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, corrupt(X, np.random.default_rng(10)))


def test_block_masking_zeroes_one_square_per_image_and_keeps_the_rest():
    X_tilde = block_masking(X + 0.5, np.random.default_rng(4), size=5)  # no pixel 0 before
    holes = (X_tilde == 0).reshape(-1, 28, 28)
    for hole in holes:
        rows, cols = np.nonzero(hole)
        assert hole.sum() == 25
        assert rows.max() - rows.min() == 4 and cols.max() - cols.min() == 4  # one square
    np.testing.assert_array_equal(X_tilde[X_tilde != 0], (X + 0.5)[X_tilde != 0])
    corners = [tuple(np.argwhere(hole)[0]) for hole in holes]
    assert len(set(corners)) > len(corners) // 2  # placed at random, not in one spot


def test_block_masking_cuts_the_same_square_from_every_channel():
    images = np.ones((6, 3, 8, 10))
    X_tilde = block_masking(images, np.random.default_rng(1), size=3)
    assert X_tilde.shape == images.shape
    np.testing.assert_array_equal((X_tilde == 0).sum(axis=(2, 3)), 9)
    np.testing.assert_array_equal(X_tilde[:, 0], X_tilde[:, 2])


def test_block_masking_refuses_blocks_that_do_not_fit():
    with pytest.raises(ValueError, match="does not fit"):
        block_masking(X, np.random.default_rng(0), size=29)
    with pytest.raises(ValueError, match="as"):
        block_masking(X, np.random.default_rng(0), shape=(20, 20))


def test_downsample_upsample_averages_blocks():
    image = np.arange(16, dtype=np.float32).reshape(1, 16)  # a 4x4 ramp
    blurred = downsample_upsample(image, factor=2, shape=(4, 4)).reshape(4, 4)
    np.testing.assert_array_equal(blurred[:2, :2], 2.5)  # mean of 0, 1, 4, 5
    np.testing.assert_array_equal(blurred[2:, 2:], 12.5)  # mean of 10, 11, 14, 15
    assert downsample_upsample(X, factor=4).shape == X.shape
    with pytest.raises(ValueError, match="blocks"):
        downsample_upsample(X, factor=5)


def test_rgb_to_gray_uses_luma_weights():
    rgb = np.array([[1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]], dtype=np.float32)  # R, G, B, white
    np.testing.assert_allclose(rgb_to_gray(rgb), [[0.299, 0.587, 0.114, 1.0]], rtol=1e-6)
    with pytest.raises(ValueError, match="multiple of 3"):
        rgb_to_gray(np.zeros((1, 4), np.float32))


def test_rgb_to_gray_is_the_y_of_rgb_to_ycbcr_on_channels_last_rows():
    from minae.images import rgb_to_ycbcr

    images = np.random.default_rng(0).random((2, 3, 4, 5))  # (B, 3, H, W)
    rows = images.transpose(0, 2, 3, 1).reshape(2, -1)  # channels last: (B, H·W·3)
    np.testing.assert_allclose(
        rgb_to_gray(rows).reshape(2, 4, 5), rgb_to_ycbcr(images)[:, 0], atol=1e-15
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"nu": 1.5}, r"nu must be a finite number in \[0.0, 1.0\]"), ({"nu": -0.1}, "nu")],
)
def test_bad_fractions_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        masking_noise(X, np.random.default_rng(0), **kwargs)
