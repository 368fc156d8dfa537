"""The batch-innermost layout (minae/fast/image_layout.py) is a speed device: it changes where
numbers lie in memory, never which numbers. The layers after a convolution keep it."""

import numpy as np

from minae.layers import Linear, ReLU, Sequential


def test_linear_and_relu_keep_a_batch_innermost_layout(float64):
    """After a convolution a batch lies batch-innermost in memory (X.T contiguous); Linear
    and ReLU keep that layout in Y and dX, with the same numbers as the row-major batch."""
    rng = np.random.default_rng(0)
    X_rows = rng.standard_normal((6, 5))
    X_cols = np.asfortranarray(X_rows)  # same numbers, batch innermost
    dY = rng.standard_normal((6, 3))
    results = {}
    for name, X in (("rows", X_rows), ("cols", X_cols)):
        net = Sequential(Linear(5, 3, rng=1), ReLU())
        Y = net.forward(X)
        dX = net.backward(dY)
        assert Y.flags.f_contiguous == dX.flags.f_contiguous == (name == "cols")
        results[name] = (Y, dX, net.layers[0].W.grad.copy())
    for rows, cols in zip(results["rows"], results["cols"], strict=True):
        np.testing.assert_allclose(cols, rows, rtol=1e-14, atol=1e-14)
