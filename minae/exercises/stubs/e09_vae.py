"""Exercise 9: the variational autoencoder's reparameterisation and KL term (lesson 09;
slides 002, "VAE outputs a distribution"; slides 003, L = E_q[log p(x|z)] - D_KL(q || p)).

The encoder gives μ and log σ² (the log-*variance*), each (B, L); the code is

    z = μ + σ ∘ ε,   σ = exp(½ log σ²),   ε ~ N(0, I)

and the loss adds KL(N(μ, σ²) || N(0, I)) = -½ Σ_j (1 + log σ²_j - μ_j² - σ²_j),
averaged over the batch. Derive each gradient, fill the functions in, then run
``python -m minae.exercises check . 9`` (``hint reparameterisation_backward`` if stuck).
"""

import numpy as np


def reparameterisation_backward(dZ, eps, logvar):
    """(∂R̂/∂μ, ∂R̂/∂log σ²) through z = μ + exp(½ log σ²) ∘ ε, given dZ = ∂R̂/∂z (B, L).
    <guided>

        ∂z/∂μ = 1,     ∂z/∂log σ² = ½ σ ∘ ε
    </guided>

    Returns (d_mu, d_logvar), each (B, L).
    """
    raise NotImplementedError("exercise 9: reparameterisation_backward")


def gaussian_kl_grad(mu, logvar):
    """(∂KL/∂μ, ∂KL/∂log σ²) of KL = -(1/2B) Σ_{b,j} (1 + log σ²_bj - μ_bj² - σ²_bj).
    <guided>

        ∂KL/∂μ = μ / B,     ∂KL/∂log σ² = ½ (σ² - 1) / B
    </guided>

    Returns (d_mu, d_logvar), each (B, L).
    """
    raise NotImplementedError("exercise 9: gaussian_kl_grad")


def kl_prior_grad(mu, logvar, s):
    """(∂KL/∂μ, ∂KL/∂log σ²) of the KL to a wider (or narrower) prior N(0, s² I), s > 0
    a number: KL = (1/B) Σ_{b,j} ½ [(σ²_bj + μ_bj²)/s² - 1 - log σ²_bj + log s²].
    (graded by central differences alone.)
    <guided>

        ∂KL/∂μ = μ / (s² B),     ∂KL/∂log σ² = ½ (σ²/s² - 1) / B
    </guided>

    Returns (d_mu, d_logvar), each (B, L).
    """
    raise NotImplementedError("exercise 9: kl_prior_grad")


def gaussian_nll_grad(X_hat, logvar, X):
    """(∂R̂/∂X̂, ∂R̂/∂log σ²) of a Gaussian decoder that gives a mean x̂ and a log-variance
    log σ² for every pixel, all (B, N):
    R̂ = -(1/B) Σ_b log N(x_b; x̂_b, diag σ²_b) = (1/B) Σ_{b,j} ½ [log 2π + log σ²_bj
    + (x_bj - x̂_bj)² / σ²_bj].  (graded by central differences alone.)
    <guided>

        ∂R̂/∂x̂ = (x̂ - x) / (σ² B),     ∂R̂/∂log σ² = ½ (1 - (x - x̂)²/σ²) / B
    </guided>

    Returns (d_X_hat, d_logvar), each (B, N).
    """
    raise NotImplementedError("exercise 9: gaussian_nll_grad")
