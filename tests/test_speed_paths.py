"""Each speed device against its plain version, with either path forced, on the shapes
that trigger it, in float64: the flipped-kernel convolution (``conv2d_flipped.py``) against
the column products and against the loops of ``minae.plain.convolution``."""

from __future__ import annotations

import numpy as np
import pytest

import minae
from minae.fast import conv2d_flipped
from minae.plain import convolution as plain

# (in_channels, out_channels, kernel, padding): each reduces channels at stride 1, p < k
FLIPPED = [(16, 1, 3, 1), (4, 2, 3, 0), (3, 1, 5, 2), (6, 5, (3, 1), (1, 0))]


@pytest.mark.parametrize(("c_in", "c_out", "k", "p"), FLIPPED)
def test_the_flipped_path_runs_and_equals_the_products_and_the_loops(c_in, c_out, k, p):
    rng = np.random.default_rng(0)
    conv = minae.Conv2d(c_in, c_out, k, padding=p, rng=1, dtype="float64")
    assert conv.flipped, "these shapes must take the flipped path"
    X = rng.normal(size=(3, c_in, 9, 8))
    Y = conv.forward(X)
    dY = rng.normal(size=Y.shape)
    dX = conv.backward(dY)
    flipped = (Y.copy(), dX.copy(), conv.W.grad.copy(), conv.b.grad.copy())

    conv.flipped = False  # the plain path: columns of X, on the same weights
    conv.zero_grad()
    Y_plain = conv.forward(X)
    dX_plain = conv.backward(dY)
    products = (Y_plain, dX_plain, conv.W.grad, conv.b.grad)
    for fast, slow, name in zip(flipped, products, ("Y", "dX", "dW", "db"), strict=True):
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12, err_msg=name)

    stride, padding = (1, 1), conv.padding
    loops_Y = plain.conv2d(X, conv.W.value, conv.b.value, stride, padding)
    loops_dX, loops_dW, loops_db = plain.conv2d_backward(X, conv.W.value, dY, stride, padding)
    for fast, slow, name in zip(
        flipped, (loops_Y, loops_dX, loops_dW, loops_db), ("Y", "dX", "dW", "db"), strict=True
    ):
        np.testing.assert_allclose(fast, slow, rtol=1e-11, atol=1e-11, err_msg=name)


@pytest.mark.parametrize(
    ("c_in", "c_out", "stride", "k", "p", "flipped"),
    [
        (16, 1, 1, 3, 1, True),
        (1, 16, 1, 3, 1, False),
        (16, 1, 2, 3, 1, False),
        (16, 1, 1, 3, 3, False),
        (4, 4, 1, 3, 1, False),
    ],
)
def test_the_flipped_path_is_taken_exactly_where_it_pays(c_in, c_out, stride, k, p, flipped):
    conv = minae.Conv2d(c_in, c_out, k, stride=stride, padding=p, rng=0)
    assert conv.flipped is flipped
    assert conv2d_flipped.pays(conv.kernel_size, conv.stride, conv.padding, c_in, c_out) is flipped


def test_compare_raises_under_the_test_suite_where_it_would_print_not_close(capsys):
    """A lesson's ``compare`` that finds its two arrays apart stops the lesson when the
    suite runs it (MINAE_STRICT_COMPARE, set by tests/conftest.py), even without an
    ``assert`` in front of it."""
    from minae.teaching.lesson import compare

    with pytest.raises(AssertionError, match="not close"):
        compare("apart", np.zeros(3), np.ones(3))
    assert compare("together", np.zeros(3), np.zeros(3) + 1e-12)
