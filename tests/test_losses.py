"""Losses: hand-computed values that pin the reduction, gradients against finite differences."""

import numpy as np
import pytest
from helpers import TOLERANCE
from hypothesis import given
from hypothesis import strategies as st

from minae.losses import BCE, MSE, BCEWithLogits, SoftmaxCrossEntropy, softmax
from minae.teaching.gradcheck import numerical_gradient, scaled_error

shape = st.tuples(st.integers(1, 6), st.integers(1, 7))
seed = st.integers(0, 2**32 - 1)


def loss_error(loss, output, target):
    numeric = numerical_gradient(lambda: loss.value(output, target), output)
    return scaled_error(loss.grad(output, target), numeric)


def test_mse_on_a_2x2_example_sums_features_and_averages_examples(float64):
    X_hat = np.array([[1.0, 2.0], [3.0, 4.0]])
    X = np.array([[0.0, 2.0], [3.0, 2.0]])
    # per example: ||(1, 0)||² = 1 and ||(0, 2)||² = 4; averaged over 2 examples: 2.5
    assert MSE().value(X_hat, X) == 2.5
    np.testing.assert_array_equal(MSE().grad(X_hat, X), [[1.0, 0.0], [0.0, 2.0]])  # 2(X̂-X)/B


def test_bce_on_a_hand_example(float64):
    # -(log 0.8 + log(1 - 0.3)) / 1 example
    value = BCE().value(np.array([[0.8, 0.3]]), np.array([[1.0, 0.0]]))
    assert value == pytest.approx(0.5798184952529422, rel=1e-14)


@given(shape=shape, seed=seed)
def test_mse_gradient(float64, shape, seed):
    rng = np.random.default_rng(seed)
    assert loss_error(MSE(), rng.normal(size=shape), rng.normal(size=shape)) <= TOLERANCE


@given(shape=shape, seed=seed)
def test_bce_gradient(float64, shape, seed):
    rng = np.random.default_rng(seed)
    output, target = rng.uniform(0.05, 0.95, size=shape), rng.uniform(0, 1, size=shape)
    assert loss_error(BCE(), output, target) <= TOLERANCE


@given(shape=shape, seed=seed)
def test_bce_with_logits_gradient_and_agreement_with_bce(float64, shape, seed):
    rng = np.random.default_rng(seed)
    logits, target = rng.normal(0, 3, size=shape), rng.uniform(0, 1, size=shape)
    assert loss_error(BCEWithLogits(), logits, target) <= TOLERANCE
    probabilities = 1 / (1 + np.exp(-logits))
    assert BCEWithLogits().value(logits, target) == pytest.approx(
        BCE().value(probabilities, target), rel=1e-10
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_with_logits_is_finite_and_exact_at_huge_logits(dtype):
    logits = np.array([[1e4, -1e4, 1e4, -1e4]], dtype=dtype)
    target = np.array([[1.0, 0.0, 0.0, 1.0]], dtype=dtype)
    loss = BCEWithLogits()
    # right answers cost nothing, wrong ones cost |logit| each: 0 + 0 + 1e4 + 1e4
    assert loss.value(logits, target) == pytest.approx(2e4)
    grad = loss.grad(logits, target)
    assert np.all(np.isfinite(grad))
    np.testing.assert_array_equal(grad, [[0.0, 0.0, 1.0, -1.0]])


def test_bce_on_saturated_probabilities_stays_finite():
    output = np.array([[0.0, 1.0]], dtype=np.float32)
    target = np.array([[1.0, 0.0]], dtype=np.float32)
    assert np.isfinite(BCE().value(output, target))
    assert np.all(np.isfinite(BCE().grad(output, target)))


def test_reconstruction_from_logits_is_the_sigmoid(float64):
    np.testing.assert_allclose(
        BCEWithLogits().reconstruction(np.array([[0.0, 2.0]])), [[0.5, 1 / (1 + np.exp(-2.0))]]
    )


@pytest.mark.parametrize("loss", [MSE(), BCE(), BCEWithLogits()])
def test_shapes_that_differ_are_refused(loss):
    with pytest.raises(ValueError, match="shape"):
        loss.value(np.full((2, 3), 0.5, np.float32), np.full((2, 4), 0.5, np.float32))


def test_bce_refuses_values_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]"):
        BCE().value(np.full((1, 2), 0.5, np.float32), np.full((1, 2), 2.0, np.float32))
    with pytest.raises(ValueError, match=r"output must lie in \[0, 1\]"):
        BCE().value(np.full((1, 2), -0.5, np.float32), np.full((1, 2), 0.5, np.float32))


def test_mixed_dtypes_are_refused():
    with pytest.raises(TypeError, match="float64"):
        MSE().value(np.zeros((1, 2), np.float32), np.zeros((1, 2), np.float64))


@given(st.integers(1, 4), st.integers(2, 6), st.integers(1, 3), st.integers(1, 3), seed)
def test_softmax_cross_entropy_gradient_per_pixel(float64, B, Q, H, W, seed):
    """Soft targets over Q classes at every pixel, logits of either sign."""
    rng = np.random.default_rng(seed)
    logits = 2.0 * rng.standard_normal((B, Q, H, W))
    target = rng.random((B, Q, H, W)) + 0.01
    target /= target.sum(axis=1, keepdims=True)
    assert loss_error(SoftmaxCrossEntropy(), logits, target) < TOLERANCE


def test_softmax_cross_entropy_by_hand_and_stable_at_huge_logits(float64):
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    target = np.array([[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])
    p = np.exp(logits[0]) / np.exp(logits[0]).sum()
    by_hand = (-np.log(p[2]) - 0.5 * np.log(1 / 3) * 2) / 2  # summed per example, batch mean
    loss = SoftmaxCrossEntropy()
    assert loss.value(logits, target) == pytest.approx(by_hand, rel=1e-14)
    np.testing.assert_allclose(loss.reconstruction(logits)[0], p, rtol=1e-14)
    huge = np.array([[1e4, -1e4, 0.0]])
    assert loss.value(huge, np.array([[0.0, 1.0, 0.0]])) == pytest.approx(2e4)
    assert np.isfinite(loss.grad(huge, np.array([[0.0, 1.0, 0.0]]))).all()
    np.testing.assert_allclose(softmax(huge).sum(), 1.0)


def test_softmax_cross_entropy_refuses_targets_that_are_not_distributions():
    loss = SoftmaxCrossEntropy()
    logits = np.zeros((2, 3), dtype=np.float32)
    with pytest.raises(ValueError, match="sum to 1"):
        loss.value(logits, np.full((2, 3), 0.5, dtype=np.float32))
    with pytest.raises(ValueError, match="negative"):
        loss.grad(logits, np.array([[1.5, -0.5, 0.0]] * 2, dtype=np.float32))
    with pytest.raises(ValueError, match="2 classes"):
        loss.value(np.zeros((2, 1), np.float32), np.ones((2, 1), np.float32))
    nan_target = np.array([[np.nan, 0.5, 0.5], [1, 0, 0]], dtype=np.float32)
    with pytest.raises(ValueError, match="NaN"):
        loss.value(logits, nan_target)  # NaN would pass the sums and the sign checks


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_logs_written_as_the_slide_stay_within_an_epsilon_of_log1p(dtype):
    """BCE's log(1 - x̂) and BCEWithLogits' log(1 + e^{-|a|}) are computed with ``log``,
    not ``log1p`` (the docstrings give the timings): every entry stays within two machine
    epsilons (times the entry where it exceeds 1) of the same formula with ``log1p``,
    logits far past the point where 1 + e^{-|a|} rounds to 1 included."""
    eps = np.finfo(dtype).eps
    rng = np.random.default_rng(0)
    logits = np.concatenate([rng.uniform(-60, 60, 4000), [-40.0, -17.0, 0.0, 17.0, 40.0]])
    logits = logits.astype(dtype).reshape(1, -1)
    target = rng.uniform(size=logits.shape).astype(dtype)

    def within(ours, exact):
        return np.all(np.abs(ours - exact) <= 2 * eps * np.maximum(1.0, np.abs(exact)))

    exact = np.maximum(logits, 0) - target * logits + np.log1p(np.exp(-np.abs(logits)))
    assert within(BCEWithLogits().elementwise(logits, target), exact)
    p = BCE._clip(1 / (1 + np.exp(-logits)))
    exact = -(target * np.log(p) + (1 - target) * np.log1p(-p))
    assert within(BCE().elementwise(p, target), exact)
