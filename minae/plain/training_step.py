"""One round of training as the slide lists it, written out on plain arrays.

Slides 001, "Training AEs for Compression": ① pass X forward through the encoder,
② pass Z forward through the decoder, ③ compute ∇_X̂ R̂ and back-propagate through the
decoder, ④ compute ∇_Z R̂ from the gradient at the first layer of the decoder, ⑤ from
∇_Z R̂ back-propagate through the encoder, ⑥ update all weights.

Here for the autoencoder of that slide: every layer a = h W + b, h = σ(a) (sigmoid, the
output too), R̂ = (1/B) Σ_b ||x̂_b - x_b||², plain SGD. ``train`` with ``minae.mlp``,
``MSE`` and ``SGD`` takes the same step, to rounding: in float64 the two agree to a
relative 1e-12 (tests/test_plain.py), and lesson 04 derives it cell by cell.
"""

from __future__ import annotations

from ..infrastructure.backend import array_module


def sigmoid_autoencoder_step(weights: list, X, lr: float, n_encoder: int):
    """One SGD step on a batch X (B, N) for the layers ``weights`` = [W0, b0, W1, b1, ...],
    the first ``n_encoder`` layers the encoder. Returns (new weights, ∇_Z R̂).

    Slides 001's "Training AEs for Compression", ① to ⑥; lesson 04.

    Parameters
    ----------
    weights : list of arrays
        [W0 (n_0, n_1), b0 (n_1,), W1 (n_1, n_2), b1 (n_2,), ...].
    X : array (B, N)
        The batch, also the target.
    lr : float
        η.
    n_encoder : int
        How many of the layers form the encoder.

    Returns
    -------
    weights : list of arrays
        The updated weights, shaped as given.
    dZ : array (B, L)
        ∇_Z R̂.
    """
    xp = array_module()
    Ws, bs = weights[0::2], weights[1::2]
    B = X.shape[0]

    def sigma(a):
        return 1.0 / (1.0 + xp.exp(-a))

    h = [X]  # every layer's output, for the backward pass
    for k in range(n_encoder):  # ① X through the encoder; the last output is Z
        h.append(sigma(h[-1] @ Ws[k] + bs[k]))  # (B, n_k) @ (n_k, n_k+1) + (n_k+1,)
    for k in range(n_encoder, len(Ws)):  # ② Z through the decoder to X̂
        h.append(sigma(h[-1] @ Ws[k] + bs[k]))
    dH = (h[-1] - X) * (2.0 / B)  # ③ ∇_X̂ R̂ for the squared error per example
    grads: list = [None] * len(weights)  # filled from the last layer back
    dZ = None
    for k in reversed(range(len(Ws))):  # ③ back through the decoder, ⑤ the encoder
        if k == n_encoder - 1:
            dZ = dH  # ④ ∇_Z R̂, from the decoder's first layer
        dA = (1.0 - h[k + 1]) * h[k + 1] * dH  # dH ∘ σ'(a), σ' = h(1 - h)
        grads[2 * k] = h[k].T @ dA  # ∇_W R̂ = hᵀ dA: (n_k, B) @ (B, n_k+1)
        grads[2 * k + 1] = dA.sum(axis=0)  # ∇_b R̂ = 1ᵀ dA: summed over the batch, (n_k+1,)
        dH = dA @ Ws[k].T  # on towards the input: (B, n_k+1) @ (n_k+1, n_k)
    return [w - lr * g for w, g in zip(weights, grads, strict=True)], dZ  # ⑥ update
