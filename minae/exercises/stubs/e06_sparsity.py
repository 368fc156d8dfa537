"""Exercise 6: the sparsity penalties' gradients ∇_Z S(Z) (lesson 06; slides 001,
"Training Sparse AEs"; slides 003, "Sparse Autoencoder").

Z is the code, (B, L), one example per row. Each penalty is per example and averaged
over the batch, as minae's ``L1`` and ``KLSparsity``; each function returns ∇_Z S,
shaped like Z. Derive each, fill them in, then run ``python -m minae.exercises check .
6`` (``hint l1_grad`` if stuck).
"""

import numpy as np


def l1_grad(Z):
    """∇_Z S for S(Z) = (1/B) Σ_b ||z_b||_1 = (1/B) Σ_{b,j} |Z_bj|.
    (The checker keeps Z away from 0, where |z| has no derivative.)
    <guided>
    ∇_Z S = sign(Z) / B.
    </guided>
    """
    raise NotImplementedError("exercise 6: l1_grad")


def kl_sparsity_grad(Z, rho):
    """∇_Z S for S(Z) = Σ_j KL(ρ || ρ̂_j), where ρ̂_j = (1/B) Σ_b Z_bj is unit j's mean
    activation (Z in (0, 1), as after a sigmoid) and
    KL(ρ || ρ̂) = ρ log(ρ/ρ̂) + (1 - ρ) log((1 - ρ)/(1 - ρ̂)).
    This is minae's order, KL(ρ || ρ̂), the UFLDL exercise's; lesson 06 shows the slide's.
    Returns an array shaped like Z.
    <guided>

        ∂S/∂Z_bj = (1/B) (-ρ/ρ̂_j + (1 - ρ)/(1 - ρ̂_j))     the same for every b
    </guided>
    """
    raise NotImplementedError("exercise 6: kl_sparsity_grad")


def cauchy_grad(Z):
    """∇_Z S for the Cauchy penalty S(Z) = (1/B) Σ_{b,j} log(1 + Z_bj²), a sparsity
    penalty that, unlike |z|, is smooth at 0 and grows slowly for large codes. (minae has
    no such penalty: graded by central differences alone.)
    <guided>
    ∂S/∂Z_bj = (1/B) 2 Z_bj / (1 + Z_bj²).
    </guided>
    """
    raise NotImplementedError("exercise 6: cauchy_grad")
