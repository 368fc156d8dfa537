"""log p(x) by importance sampling (minae.models.likelihood), against a VAE whose log p(x)
is known in closed form: probabilistic PCA (Tipping & Bishop 1999), a linear-Gaussian
VAE. x = W z + b + σ e with z, e ~ N(0, I) has p(x) = N(b, W Wᵀ + σ² I), and the exact
posterior q(z|x) = N(M⁻¹ Wᵀ (x − b), σ² M⁻¹), M = Wᵀ W + σ² I.

Tolerances: with the exact posterior as proposal every weight is p(x) itself, so the
estimate is exact to float64 rounding (1e-9 nats); with a worse proposal the k = 5,000
estimate is within 0.02 nats of log p(x) on these 5-pixel examples (the spread of the
estimate, measured over seeds, is below 0.005)."""

import math

import numpy as np
import pytest

from minae import MSE, VAE, BCEWithLogits, Linear
from minae.models import importance_log_weights, iwae_bound

N, L, NOISE = 5, 2, 0.5  # pixels, latent size, σ²


def ppca(rng):
    """W (N, L) with orthogonal columns (so that M, and the exact posterior's covariance,
    is diagonal, as the VAE's q is) and b (N,)."""
    Q, _ = np.linalg.qr(rng.normal(size=(N, L)))
    return Q * np.array([2.0, 1.0]), rng.normal(size=N)


def exact_log_p(X, W, b):
    C = W @ W.T + NOISE * np.eye(N)
    D = X - b
    _, logdet = np.linalg.slogdet(C)
    return -0.5 * (
        np.einsum("bi,ij,bj->b", D, np.linalg.inv(C), D) + logdet + N * math.log(2 * math.pi)
    )


def gaussian_log_likelihood(output, X):
    """log N(x; x̂, σ² I) per row."""
    return -0.5 * ((X - output) ** 2).sum(axis=1) / NOISE - 0.5 * N * math.log(2 * math.pi * NOISE)


def linear_vae(W, b, rng, mean_shift=0.0, variance_scale=1.0):
    """The PPCA model as a VAE: its decoder x̂ = z Wᵀ + b, its encoder the exact posterior
    (or, with a shift and a scale, a worse proposal)."""
    M = np.diag(W.T @ W) + NOISE  # diagonal
    encoder, decoder = Linear(N, 2 * L, rng=rng), Linear(L, N, rng=rng)
    A = W / M  # (N, L): μ = (x − b) W M⁻¹ in row form
    encoder.W.value[...] = np.concatenate([A, np.zeros((N, L))], axis=1)
    encoder.b.value[...] = np.concatenate([-b @ A + mean_shift, np.log(variance_scale * NOISE / M)])
    decoder.W.value[...] = W.T
    decoder.b.value[...] = b
    return VAE(encoder, decoder, MSE(), rng=rng)


def test_with_the_exact_posterior_every_weight_is_p_of_x(float64):
    rng = np.random.default_rng(0)
    W, b = ppca(rng)
    X = rng.normal(size=(20, N)) * 2
    vae = linear_vae(W, b, rng)
    log_w = importance_log_weights(vae, X, 7, rng=1, log_likelihood=gaussian_log_likelihood)
    assert log_w.shape == (20, 7)
    np.testing.assert_allclose(log_w, exact_log_p(X, W, b)[:, None] * np.ones(7), atol=1e-9)
    np.testing.assert_allclose(iwae_bound(log_w), exact_log_p(X, W, b), atol=1e-9)


def expected_bound(log_w, k: int) -> float:
    """E[log p̂_k(x)], averaged over the examples, from disjoint blocks of k weights."""
    B, K = log_w.shape
    return float(iwae_bound(log_w.reshape(B * (K // k), k)).mean())


def test_with_a_worse_proposal_the_bound_rises_with_k_towards_log_p_of_x(float64):
    rng = np.random.default_rng(1)
    W, b = ppca(rng)
    X = rng.normal(size=(10, N)) * 2
    exact = exact_log_p(X, W, b)
    vae = linear_vae(W, b, rng, mean_shift=0.4, variance_scale=2.0)
    log_w = importance_log_weights(vae, X, 5000, rng=2, log_likelihood=gaussian_log_likelihood)
    gap = {k: exact.mean() - expected_bound(log_w, k) for k in (1, 10, 100)}
    assert gap[1] > 0.5  # the ELBO (k = 1) is a loose bound with this proposal
    assert gap[1] > gap[10] > gap[100] > 0  # Burda et al.'s Theorem 1: L_k rises with k
    assert abs(iwae_bound(log_w).mean() - exact.mean()) < 0.01  # k = 5,000
    np.testing.assert_allclose(iwae_bound(log_w), exact, atol=0.1)


def test_the_bound_survives_weights_that_underflow():
    log_w = np.array([[-2000.0, -2000.0 + math.log(3.0)]])
    np.testing.assert_allclose(iwae_bound(log_w), [-2000.0 + math.log(2.0)], rtol=1e-12)
    with pytest.raises(ValueError, match="NaN"):
        iwae_bound(np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match=r"log_weights must be 2-D"):
        iwae_bound(np.zeros(3))


def test_a_bernoulli_decoder_is_a_likelihood_only_on_binary_x(float64):
    rng = np.random.default_rng(0)
    vae = VAE(Linear(4, 4, rng=rng), Linear(2, 4, rng=rng), BCEWithLogits(), rng=rng)
    binary = (rng.uniform(size=(3, 4)) > 0.5).astype(np.float64)
    log_w = importance_log_weights(vae, binary, 50, rng=0)
    # every log w is finite and p(x) of binary x is a probability: log p̂ < 0
    assert np.isfinite(log_w).all() and (iwae_bound(log_w) < 0).all()
    with pytest.raises(ValueError, match="binary"):
        importance_log_weights(vae, binary * 0.9, 5, rng=0)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        importance_log_weights(vae, binary, 0, rng=0)
    gaussian = VAE(Linear(4, 4, rng=rng), Linear(2, 4, rng=rng), MSE(), rng=rng)
    with pytest.raises(ValueError, match="log_likelihood"):
        importance_log_weights(gaussian, binary, 5, rng=0)


def test_a_bernoulli_vae_s_estimate_matches_quadrature_and_sums_to_one(float64):
    # one latent dimension: p(x) = ∫ p(x|z) N(z; 0, 1) dz by the trapezoid rule on a grid,
    # over all 2^4 binary images of 4 pixels; the quadrature's p(x) sum to 1
    # (the proposal q = N(0.3, 1.5) is wider than the posterior: a narrower one, whose tails
    # fall faster than p(x|z) p(z), gives weights of infinite variance, and estimates off by
    # tenths of a nat even at k = 20,000)
    rng = np.random.default_rng(3)
    vae = VAE(Linear(4, 2, rng=rng), Linear(1, 4, rng=rng), BCEWithLogits(), rng=rng)
    vae.encoder.W.value[...] = 0.0
    vae.encoder.b.value[...] = [0.3, math.log(1.5)]
    images = np.array([[(i >> j) & 1 for j in range(4)] for i in range(16)], dtype=np.float64)
    z = np.linspace(-10, 10, 20001)[:, None]  # (G, 1)
    logits = vae.decoder.forward(z)  # (G, 4)
    prior = np.exp(-0.5 * z[:, 0] ** 2) / math.sqrt(2 * math.pi)
    p_x_given_z = np.exp(
        -np.logaddexp(0, -logits) @ images.T - np.logaddexp(0, logits) @ (1 - images).T
    )  # (G, 16)
    f = p_x_given_z * prior[:, None]  # (G, 16), integrated over z by the trapezoid rule
    exact = ((f[1:] + f[:-1]) / 2 * np.diff(z[:, 0])[:, None]).sum(axis=0)
    assert abs(exact.sum() - 1) < 1e-9
    estimate = iwae_bound(importance_log_weights(vae, images, 20000, rng=4))
    np.testing.assert_allclose(estimate, np.log(exact), atol=0.02)
