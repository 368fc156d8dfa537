"""Exercise 7: the bottleneck gradient inside an autoencoder's backward (lesson 06;
slides 001, "Training Sparse AEs": ∇_Z R̂ has a part from the decoder and a part from the
penalty on the code).

A sparse autoencoder with one layer on each side, every unit a sigmoid:

    Z = σ(X W1 + b1)          the code, (B, L)          X (B, N), W1 (N, L), b1 (L,)
    X̂ = σ(Z W2 + b2)          the reconstruction, (B, N)   W2 (L, N), b2 (N,)
    R̂ = (1/B) Σ_b ||x̂_b - x_b||² + λ S(Z),   S(Z) = (1/B) Σ_{b,j} |Z_bj|

Derive every gradient, fill in the functions, then run ``python -m minae.exercises check
. 7`` (``hint sparse_autoencoder_backward`` if stuck). You may use your functions of
exercises 2, 3, 4 and 6 (``from e03_linear import linear_backward``), or write the lines
out.
<guided>
The slide's bottleneck gradient: ∇_Z R̂ = ∇_X̂ R̂ · ∇_Z X̂ + λ ∇_Z S(Z), the decoder's part
back-propagated from X̂, the penalty's added at Z.
</guided>
"""

import numpy as np


def sigmoid(A):
    return 1.0 / (1.0 + np.exp(-A))


def sparse_autoencoder_backward(X, W1, b1, W2, b2, lam):
    """Every gradient of R̂, and the two parts of the bottleneck gradient ∇_Z R̂.

    Returns a dict with keys "W1", "b1", "W2", "b2" (shaped like each parameter),
    "dZ_decoder" (∇_X̂ R̂ back-propagated through the decoder to Z, (B, L)) and
    "dZ_penalty" (λ ∇_Z S(Z), (B, L)). Their sum is ∇_Z R̂, which goes on through the
    encoder.
    """
    Z = sigmoid(X @ W1 + b1)  # (B, N) @ (N, L) + (L,) -> (B, L)
    X_hat = sigmoid(Z @ W2 + b2)  # (B, L) @ (L, N) + (N,) -> (B, N)
    raise NotImplementedError("exercise 7: sparse_autoencoder_backward")


def tied_autoencoder_backward(X, W, b1, b2):
    """The gradients of a *tied-weights* autoencoder, whose decoder uses the encoder's
    weights transposed (W_dec = W_encᵀ = Wᵀ), with a linear output:

        Z = σ(X W + b1)       (B, L)       X (B, N), W (N, L), b1 (L,)
        X̂ = Z Wᵀ + b2         (B, N)       b2 (N,)
        R̂ = (1/B) Σ_b ||x̂_b - x_b||²

    Returns (dW (N, L), db1 (L,), db2 (N,)). (graded by central differences alone.)
    <guided>
    W is used twice, so its gradient is the sum of two paths: the encoder's, Xᵀ dA with
    dA = (dX̂ W) ∘ Z (1 - Z), and the decoder's, (Zᵀ dX̂)ᵀ = dX̂ᵀ Z, where dX̂ = (2/B)(X̂ - X).
    </guided>
    """
    raise NotImplementedError("exercise 7: tied_autoencoder_backward")
