"""Exercise 8: the contractive penalty in closed form, and its gradient (lesson 08;
slides 003, "Contractive Autoencoder": L = λ ||∇_x f(x)||²_F).

The encoder is one layer, Z = f(X) = σ(X W + b), X (B, N), W (N, L), b (L,). The
penalty averages the squared Frobenius norm of the encoder's Jacobian J_ji = ∂z_j/∂x_i
over the batch: C = (1/B) Σ_b ||J_f(x_b)||²_F. Derive J for one example and a closed form
of its norm (no loop over i and j), then the gradient; fill in both functions and run
``python -m minae.exercises check . 8`` (``hint contractive_penalty`` if stuck).
<guided>
For one example J_ji = z_j (1 - z_j) W_ij, so

    ||J_f(x)||²_F = Σ_j (z_j (1 - z_j))² Σ_i W_ij²
</guided>
"""

import numpy as np


def contractive_penalty(X, W, b):
    """C, a float: the closed form above."""
    raise NotImplementedError("exercise 8: contractive_penalty")


def contractive_grad(X, W, b):
    """(∂C/∂W (N, L), ∂C/∂b (L,)).
    <guided>
    W reaches C twice: directly, through Σ_i W_ij², and through the code z = σ(x W + b).
    With s = z (1 - z) and w²_j = Σ_i W_ij²:

        ∂C/∂a_bj = (2/B) s_bj² (1 - 2 z_bj) w²_j          (through the code, a = x W + b)
        ∂C/∂W = Xᵀ (∂C/∂A) + (2/B) W diag(Σ_b s_bj²)      (the second term: directly)
        ∂C/∂b = 1ᵀ (∂C/∂A)
    </guided>
    """
    raise NotImplementedError("exercise 8: contractive_grad")
