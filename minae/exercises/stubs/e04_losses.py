"""Exercise 4: the losses' gradients ∇_X̂ R̂ (lesson 04; slides 001, "Training AEs for
Compression", step ③; slides 003, the reconstruction loss).

Each loss sums over an example's entries and averages over the B examples of the batch,
as minae's ``MSE`` and ``BCE`` do. X̂ and X are (B, N); each function returns ∂R̂/∂X̂,
shaped like X̂. Derive each, fill them in, then run ``python -m minae.exercises check .
4`` (``hint mse_grad`` if stuck).
"""

import numpy as np


def mse_grad(X_hat, X):
    """∂R̂/∂X̂ for R̂ = (1/B) Σ_b ||x̂_b - x_b||².
    <guided>
    ∂R̂/∂X̂ = (2/B) (X̂ - X).
    </guided>
    """
    raise NotImplementedError("exercise 4: mse_grad")


def bce_grad(X_hat, X):
    """∂R̂/∂X̂ for the binary cross-entropy, X̂ in (0, 1):
    R̂ = -(1/B) Σ_{b,j} [x_bj log x̂_bj + (1 - x_bj) log(1 - x̂_bj)].
    <guided>

        ∂R̂/∂x̂_bj = (1/B) (x̂_bj - x_bj) / (x̂_bj (1 - x̂_bj))
    </guided>
    """
    raise NotImplementedError("exercise 4: bce_grad")


def huber_grad(X_hat, X, delta):
    """∂R̂/∂X̂ for the Huber loss, with r = x̂ - x and δ > 0 a number:
    R̂ = (1/B) Σ_{b,j} h(r_bj),  h(r) = ½ r² where |r| ≤ δ,  δ (|r| - ½ δ) beyond.
    Quadratic near 0, linear beyond δ: an outlier pixel pulls with a force of at most δ.
    (The checker keeps |r| away from δ. minae has no Huber loss: graded by central
    differences alone.)
    <guided>
    h'(r) = r where |r| ≤ δ and δ sign(r) beyond, i.e. clip(r, -δ, δ): ∂R̂/∂X̂ = h'(X̂ - X) / B.
    </guided>
    """
    raise NotImplementedError("exercise 4: huber_grad")
