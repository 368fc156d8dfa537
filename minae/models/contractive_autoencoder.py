"""The contractive autoencoder: R̂ = L(X̂, X) + λ ||J_f(X)||_F² (slides 003)."""

from __future__ import annotations

from ..infrastructure.validation import check_non_negative
from ..layers.layer import Layer
from ..losses.loss import Loss
from ..penalties.contractive import Contractive
from .autoencoder import Autoencoder


class ContractiveAutoencoder(Autoencoder):
    """An autoencoder whose loss also penalises the encoder's sensitivity to its input.

    R̂ = L(X̂, X) + λ (1/B) Σ_b ||J_f(x_b)||_F² (+ weight decay), where J_f is the Jacobian
    of the code with respect to the input (slides 003, "Contractive Autoencoder"; Rifai et
    al. 2011). The same as ``Autoencoder(..., penalties={"contractive": (lam,
    Contractive(encoder))})``; the encoder must be ``Sequential(Linear, activation)``.
    Lesson 08.

    Parameters
    ----------
    encoder : Layer
        ``Sequential(Linear(N, L), activation)``, mapping X (B, N) to Z (B, L).
    decoder : Layer
        Mapping Z (B, L) to the output (B, N) the loss reads.
    loss : Loss
        L(X̂, X), e.g. ``MSE()`` or ``BCEWithLogits()``.
    lam : float
        λ, the weight of the contractive penalty.
    weight_decay : float
        The weight of ½ Σ ||W||² over the weight matrices (0: none).
    """

    def __init__(
        self, encoder: Layer, decoder: Layer, loss: Loss, lam: float, weight_decay: float = 0.0
    ):
        lam = check_non_negative(lam, "lam")
        self.contractive = Contractive(encoder)
        super().__init__(
            encoder, decoder, loss, weight_decay=weight_decay,
            penalties={"contractive": (lam, self.contractive)},
        )  # fmt: skip
        self.lam = self.code_penalties["contractive"][0]

    def jacobian_norm(self, X):
        """||J_f(x)||_F for each example of X, (B,): how much the code moves per unit of input."""
        return self.contractive.jacobian_norm(self.encode(X))
