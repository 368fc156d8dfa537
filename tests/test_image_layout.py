"""The batch-innermost layout (minae/fast/image_layout.py) is a speed device: it changes where
numbers lie in memory, never which numbers. The layers after a convolution keep it."""

import numpy as np
import pytest

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


def test_a_target_is_laid_out_like_the_output_with_the_same_numbers():
    """``laid_out_like`` returns the array itself when the layouts agree, and otherwise a
    copy in the reference's layout; an autoencoder's loss and gradient are the same either
    way, and its target for backward takes the output's layout."""
    import minae
    from minae.fast.image_layout import image_buffer, laid_out_like

    rng = np.random.default_rng(0)
    out = image_buffer((5, 2, 4, 3), np.float64)
    out[...] = rng.uniform(size=out.shape)
    target = rng.uniform(size=out.shape)  # row-major (B, C, H, W)
    moved = laid_out_like(out, target)
    assert moved.strides == out.strides and moved is not target
    np.testing.assert_array_equal(moved, target)
    assert laid_out_like(out, moved) is moved

    encoder, decoder = minae.keras_blog_encoder_decoder(
        rng=np.random.default_rng(1), dtype=np.float64
    )
    model = minae.Autoencoder(encoder, decoder, minae.BCE())
    X = rng.uniform(size=(4, 1, 28, 28))
    model.forward(X)
    value = model.loss(X)["reconstruction"]
    assert model._target.strides == model._output.strides
    grad = model.reconstruction_loss.grad(model._output, model._target)
    expected = minae.BCE().grad(np.ascontiguousarray(model._output), X)
    np.testing.assert_allclose(grad, expected, rtol=1e-15, atol=0)
    assert value == pytest.approx(
        minae.BCE().value(np.ascontiguousarray(model._output), X), rel=1e-13
    )
