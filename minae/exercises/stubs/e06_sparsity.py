"""Exercise 6: the sparsity penalties' gradients ∇_Z S(Z) (lesson 06; seed 001,
"Training Sparse AEs"; seed 003, "Sparse Autoencoder").

Z is the code, (B, L), one example per row. Both penalties are per example and averaged
over the batch, as minae's ``L1`` and ``KLSparsity``. Fill in both, then run
``python -m minae.exercises check . l1_grad kl_sparsity_grad``.
"""

import numpy as np


def l1_grad(Z):
    """∇_Z S for S(Z) = (1/B) Σ_b ||z_b||_1 = (1/B) Σ_{b,j} |Z_bj|: sign(Z) / B.
    (The checker keeps Z away from 0, where |z| has no derivative.)"""
    raise NotImplementedError("exercise 6: l1_grad")


def kl_sparsity_grad(Z, rho):
    """∇_Z S for S(Z) = Σ_j KL(ρ || ρ̂_j), where ρ̂_j = (1/B) Σ_b Z_bj is unit j's mean
    activation (Z in (0, 1), as after a sigmoid) and
    KL(ρ || ρ̂) = ρ log(ρ/ρ̂) + (1 - ρ) log((1 - ρ)/(1 - ρ̂)):

        ∂S/∂Z_bj = (1/B) (-ρ/ρ̂_j + (1 - ρ)/(1 - ρ̂_j))     the same for every b

    This is minae's order, KL(ρ || ρ̂), the UFLDL exercise's; lesson 06 shows the slide's.
    Returns an array shaped like Z.
    """
    raise NotImplementedError("exercise 6: kl_sparsity_grad")
