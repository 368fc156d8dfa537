"""Exercise 4: the losses' gradients ∇_X̂ R̂ (lesson 04; seed 001, "Training AEs for
Compression", step ③; seed 003, the reconstruction loss).

Both losses sum over an example's entries and average over the B examples of the batch,
as minae's ``MSE`` and ``BCE`` do. X̂ and X are (B, N). Fill in the two functions, then
run ``python -m minae.exercises check . mse_grad bce_grad``.
"""

import numpy as np


def mse_grad(X_hat, X):
    """∂R̂/∂X̂ for R̂ = (1/B) Σ_b ||x̂_b - x_b||²: (2/B) (X̂ - X), shaped like X̂."""
    raise NotImplementedError("exercise 4: mse_grad")


def bce_grad(X_hat, X):
    """∂R̂/∂X̂ for the binary cross-entropy
    R̂ = -(1/B) Σ_{b,j} [x_bj log x̂_bj + (1 - x_bj) log(1 - x̂_bj)], X̂ in (0, 1):

        ∂R̂/∂x̂_bj = (1/B) (x̂_bj - x_bj) / (x̂_bj (1 - x̂_bj))
    """
    raise NotImplementedError("exercise 4: bce_grad")
