"""Per-example losses add up to the batch loss; anomaly scores per example, in batches."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minae
from minae.losses import BCE, MSE, BCEWithLogits, SoftmaxCrossEntropy


@given(st.integers(1, 5), st.integers(0, 2**31 - 1))
@pytest.mark.parametrize("loss", [MSE(), BCE(), BCEWithLogits(), SoftmaxCrossEntropy()])
def test_per_example_losses_average_to_the_batch_loss(float64, loss, B, seed):
    rng = np.random.default_rng(seed)
    output = rng.uniform(0.05, 0.95, size=(B, 3, 2, 2))
    target = rng.uniform(0.0, 1.0, size=(B, 3, 2, 2))
    if isinstance(loss, SoftmaxCrossEntropy):
        target /= target.sum(axis=1, keepdims=True)
    per_example = loss.per_example(output, target)
    assert per_example.shape == (B,)
    assert per_example.mean() == pytest.approx(loss.value(output, target), rel=1e-12)
    single = [loss.value(output[b : b + 1], target[b : b + 1]) for b in range(B)]
    np.testing.assert_allclose(per_example, single, rtol=1e-12)


def small_autoencoder(loss):
    rng = np.random.default_rng(0)
    encoder = minae.mlp([6, 3], activation="tanh", output_activation="tanh", rng=rng)
    decoder = minae.mlp([3, 6], activation="tanh", output_activation="sigmoid", rng=rng)
    return minae.Autoencoder(encoder, decoder, loss)


def test_scores_are_each_examples_error_whatever_the_batch_size(float64):
    X = np.random.default_rng(1).random((23, 6))
    model = small_autoencoder(BCE())
    errors = ((model.reconstruct(X) - X) ** 2).sum(axis=1)
    for batch_size in (1, 5, 100):
        scores = minae.anomaly_scores(model, X, batch_size=batch_size)
        np.testing.assert_allclose(scores, errors, rtol=1e-12)
        losses = minae.anomaly_scores(model, X, score="loss", batch_size=batch_size)
        np.testing.assert_allclose(losses, BCE().per_example(model.reconstruct(X), X), rtol=1e-12)


def test_vae_scores_are_the_negative_elbo_at_the_mean(float64):
    rng = np.random.default_rng(2)
    X = rng.random((9, 6))
    encoder = minae.mlp([6, 4], activation="tanh", output_activation="identity", rng=rng)
    decoder = minae.mlp([2, 6], activation="tanh", output_activation="identity", rng=rng)
    vae = minae.VAE(encoder, decoder, BCEWithLogits(), rng=3)
    scores = minae.anomaly_scores(vae, X, score="loss", batch_size=4)
    for b in range(9):  # one example at a time, through the model's own loss with ε = 0
        vae.forward(X[b : b + 1], eps=np.zeros((1, 2)))
        terms = vae.loss(X[b : b + 1])
        assert scores[b] == pytest.approx(terms.as_dict()["total"], rel=1e-12)


def test_bad_requests_are_refused():
    model = small_autoencoder(MSE())
    X = np.zeros((4, 6), np.float32)
    with pytest.raises(ValueError, match="score must be one of"):
        minae.anomaly_scores(model, X, score="psnr")
    with pytest.raises(TypeError, match="minae model"):
        minae.anomaly_scores(minae.PCA(2), X)
    with pytest.raises(ValueError, match="non-finite"):
        minae.anomaly_scores(model, np.full((4, 6), np.nan, np.float32))
