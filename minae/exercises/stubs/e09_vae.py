"""Exercise 9: the variational autoencoder's reparameterisation and KL term (lesson 09;
seed 002, "VAE outputs a distribution"; seed 003, L = E_q[log p(x|z)] - D_KL(q || p)).

The encoder gives μ and log σ² (the log-*variance*), each (B, L); the code is

    z = μ + σ ∘ ε,   σ = exp(½ log σ²),   ε ~ N(0, I)

and the loss adds KL(N(μ, σ²) || N(0, I)) = -½ Σ_j (1 + log σ²_j - μ_j² - σ²_j),
averaged over the batch. Fill in both, then run
``python -m minae.exercises check . reparameterisation_backward gaussian_kl_grad``.
"""

import numpy as np


def reparameterisation_backward(dZ, eps, logvar):
    """(∂R̂/∂μ, ∂R̂/∂log σ²) through z = μ + exp(½ log σ²) ∘ ε, given dZ = ∂R̂/∂z (B, L):

        ∂z/∂μ = 1,     ∂z/∂log σ² = ½ σ ∘ ε

    Returns (d_mu, d_logvar), each (B, L).
    """
    raise NotImplementedError("exercise 9: reparameterisation_backward")


def gaussian_kl_grad(mu, logvar):
    """(∂KL/∂μ, ∂KL/∂log σ²) of KL = -(1/2B) Σ_{b,j} (1 + log σ²_bj - μ_bj² - σ²_bj):

        ∂KL/∂μ = μ / B,     ∂KL/∂log σ² = ½ (σ² - 1) / B

    Returns (d_mu, d_logvar), each (B, L).
    """
    raise NotImplementedError("exercise 9: gaussian_kl_grad")
