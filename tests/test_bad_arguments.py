"""Arguments that used to slip through or fail with an unhelpful message: each refused
up front, saying what was expected."""

import numpy as np
import pytest

import minae
from minae.images import resize


def test_numpy_integers_are_sizes_like_any_other():
    rng = np.random.default_rng(0)
    conv = minae.Conv2d(1, np.int64(8), np.int64(3), padding=np.int32(1), rng=rng)
    assert conv.W.value.shape == (8, 1, 3, 3)
    assert minae.Unflatten((np.int64(4), 2)).shape == (4, 2)
    assert resize(np.zeros((1, 1, 8, 8), np.float32), np.int64(4)).shape == (1, 1, 4, 4)


@pytest.mark.parametrize("shape", [(64, 28 / 8, 28 / 8), (4.0, 2), (True, 2)])
def test_a_shape_with_sizes_that_are_not_integers_is_refused(shape):
    with pytest.raises(TypeError, match="integers"):
        minae.Unflatten(shape)


@pytest.mark.parametrize("size", [16.5, "16", (16, 16.5)])
def test_resize_names_a_size_that_is_not_whole(size):
    with pytest.raises(TypeError, match="size must be an int or a pair of ints"):
        resize(np.zeros((1, 1, 8, 8), np.float32), size)


@pytest.mark.parametrize("betas", [0.9, (0.9,), "ab"])
def test_adam_names_betas_that_are_not_a_pair(betas):
    params = minae.Linear(2, 2, rng=np.random.default_rng(0)).parameters()
    with pytest.raises(TypeError, match=r"betas must be a pair \(β1, β2\)"):
        minae.Adam(params, betas=betas)
