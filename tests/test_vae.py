"""The VAE: whole-model gradient checks with a fixed ε, the KL, and its conventions."""

import numpy as np
import pytest
from helpers import MODEL_CHECK, TOLERANCE
from hypothesis import given
from hypothesis import strategies as st

import minae
from minae import MSE, VAE, BCEWithLogits, Linear, gaussian_kl, mlp
from minae.models.vae import gaussian_kl_grad
from minae.teaching.gradcheck import numerical_gradient, scaled_error


def make_vae(rng, loss=None, latent=2):
    encoder = mlp([6, 5, 2 * latent], activation="tanh", rng=rng)
    decoder = mlp([latent, 5, 6], activation="tanh", rng=rng)
    return VAE(encoder, decoder, loss or BCEWithLogits(), rng=rng)


def total_loss(vae, X, eps, target):
    vae.forward(X, eps)
    return vae.loss(target).total


@pytest.mark.parametrize("loss", [BCEWithLogits(), MSE()], ids=["Bernoulli", "Gaussian"])
@given(seed=st.integers(0, 2**32 - 1), B=st.integers(1, 5))
def test_every_gradient_with_a_fixed_eps(float64, loss, seed, B):
    rng = np.random.default_rng(seed)
    vae = make_vae(rng, loss)
    X, eps = rng.uniform(0, 1, size=(B, 6)), rng.normal(size=(B, 2))
    target = X.copy()  # held fixed, so ∂/∂X is the input's path alone

    def f():
        return total_loss(vae, X, eps, target)

    vae.zero_grad()
    f()
    grads = vae.backward()
    for name, p in vae.named_parameters().items():
        assert scaled_error(p.grad, numerical_gradient(f, p.value, **MODEL_CHECK)) <= TOLERANCE, (
            name
        )
    numeric_X = numerical_gradient(f, X, **MODEL_CHECK)
    assert scaled_error(grads.dX, numeric_X) <= TOLERANCE


@given(seed=st.integers(0, 2**32 - 1))
def test_kl_gradient_and_closed_form(float64, seed):
    rng = np.random.default_rng(seed)
    mu, logvar = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    d_mu, d_logvar = gaussian_kl_grad(mu, logvar)
    assert scaled_error(d_mu, numerical_gradient(lambda: gaussian_kl(mu, logvar), mu)) <= TOLERANCE
    numeric = numerical_gradient(lambda: gaussian_kl(mu, logvar), logvar)
    assert scaled_error(d_logvar, numeric) <= TOLERANCE
    # The closed form, written out per unit: KL = ½ (σ² + μ² - 1 - log σ²), summed, batch mean.
    by_hand = 0.5 * (np.exp(logvar) + mu**2 - 1 - logvar).sum() / 4
    assert gaussian_kl(mu, logvar) == pytest.approx(by_hand, rel=1e-14)


def test_kl_against_a_monte_carlo_estimate(float64):
    # KL(q || p) = E_q[log q(z) - log p(z)], estimated from 400,000 draws of z ~ q. The
    # estimator's standard error is computed from the draws and bounds the tolerance.
    rng = np.random.default_rng(0)
    mu, logvar = np.array([[0.5, -1.0, 2.0]]), np.array([[0.3, -0.7, 1.1]])
    sigma = np.exp(0.5 * logvar)
    z = mu + sigma * rng.standard_normal((400_000, 3))
    log_q = (-0.5 * ((z - mu) / sigma) ** 2 - np.log(sigma)).sum(axis=1)
    log_p = (-0.5 * z**2).sum(axis=1)
    samples = log_q - log_p
    standard_error = samples.std() / np.sqrt(samples.size)
    assert abs(samples.mean() - gaussian_kl(mu, logvar)) < 4 * standard_error


def test_the_encoder_outputs_log_variance_and_z_is_reparameterised(float64):
    # Encoder output (μ, log σ²) = (3, log 4) for every input: σ must be 2, not 4 or e^4.
    encoder = Linear(2, 2, rng=0)
    encoder.W.value[...] = 0.0
    encoder.b.value[...] = [3.0, np.log(4.0)]
    vae = VAE(minae.Sequential(encoder), minae.Sequential(Linear(1, 2, rng=1)), MSE(), rng=2)
    X = np.zeros((200_000, 2))
    eps = np.random.default_rng(3).standard_normal((200_000, 1))
    vae.forward(X, eps)
    mu, logvar = vae.encode(X)
    np.testing.assert_array_equal(mu[:, 0], 3.0)
    z = 3.0 + np.exp(0.5 * logvar) * eps  # the stated z = μ + exp(½ log σ²) ε
    np.testing.assert_allclose(vae.decoder[0]._X, z, rtol=1e-15)
    vae.forward(X)  # ε drawn by the VAE's own Generator
    assert vae.decoder[0]._X.std() == pytest.approx(2.0, rel=0.01)


def test_sample_z_false_uses_the_mean(float64):
    rng = np.random.default_rng(0)
    vae = make_vae(rng)
    X = rng.uniform(size=(3, 6))
    vae.sample_z = False
    np.testing.assert_array_equal(vae.forward(X), vae.decoder.forward(vae.encode(X)[0]))
    np.testing.assert_allclose(vae.reconstruct(X), 1 / (1 + np.exp(-vae.forward(X))))


def test_the_same_rng_draws_the_same_eps():
    X = np.random.default_rng(0).uniform(size=(4, 6)).astype(np.float32)
    a = make_vae(np.random.default_rng(1)).forward(X)
    b = make_vae(np.random.default_rng(1)).forward(X)
    np.testing.assert_array_equal(a, b)


def test_training_lowers_the_loss_and_reports_both_terms():
    X = np.random.default_rng(0).uniform(size=(256, 6)).round().astype(np.float32)
    vae = make_vae(np.random.default_rng(1))
    history = minae.train(
        vae,
        minae.Adam(vae.parameters(), lr=1e-2),
        X,
        epochs=15,
        batch_size=32,
        rng=2,
        progress=False,
    )
    assert {"reconstruction", "kl", "total", "squared_error"} <= set(history.train)
    assert history.train["total"][-1] < history.train["total"][0]
    assert vae.sample_prior(5, 0).shape == (5, 6)


def test_widths_that_do_not_fit_are_refused():
    with pytest.raises(ValueError, match=r"\(μ, log σ²\) for a decoder taking 3 needs 6"):
        VAE(Linear(6, 4, rng=0), Linear(3, 6, rng=0), MSE(), rng=0)


def test_eps_of_the_wrong_shape_is_refused():
    vae = make_vae(np.random.default_rng(0))
    with pytest.raises(ValueError, match="eps has shape"):
        vae.forward(np.zeros((2, 6), np.float32), np.zeros((2, 3), np.float32))


def test_backward_needs_a_loss_first():
    vae = make_vae(np.random.default_rng(0))
    vae.forward(np.zeros((2, 6), np.float32))
    with pytest.raises(RuntimeError, match="before loss"):
        vae.backward()


def test_a_non_finite_target_is_refused():
    vae = make_vae(np.random.default_rng(0))
    X = np.full((2, 6), 0.5, np.float32)
    vae.forward(X)
    target = X.copy()
    target[1, 3] = np.nan
    with pytest.raises(ValueError, match=r"target holds 1 non-finite value.*first at \(1, 3\)"):
        vae.loss(target)


@pytest.mark.parametrize(
    ("eps", "error", "match"),
    [
        (np.array([[0.0, np.nan], [0.0, 0.0]], np.float32), ValueError, "eps holds 1 non-finite"),
        (np.zeros((2, 2), np.float64), TypeError, "eps is float64"),
        (np.zeros((2, 2), np.int32), TypeError, "dtype int32"),
    ],
)
def test_bad_eps_is_refused(eps, error, match):
    vae = make_vae(np.random.default_rng(0))
    with pytest.raises(error, match=match):
        vae.forward(np.zeros((2, 6), np.float32), eps)


def test_nan_codes_are_refused_by_decode():
    vae = make_vae(np.random.default_rng(0))
    with pytest.raises(ValueError, match="Z holds 1 non-finite"):
        vae.decode(np.array([[0.0, np.inf]], np.float32))
