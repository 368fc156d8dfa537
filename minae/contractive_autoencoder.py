"""The contractive autoencoder: R̂ = L(X̂, X) + λ_c ||J_f(X)||_F² (seed 003)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .autoencoder import Autoencoder, Gradients, LossTerms
from .layers.layer import Layer
from .losses.loss import Loss
from .penalties.contractive import Contractive
from .validation import check_non_negative


@dataclass(frozen=True)
class ContractiveLossTerms(LossTerms):
    """``LossTerms`` plus ``contractive``: C(X) = mean ||J_f(x)||_F², unweighted."""

    contractive: float = 0.0


class ContractiveAutoencoder(Autoencoder):
    """An autoencoder whose loss also penalises the encoder's sensitivity to its input.

    R̂ = L(X̂, X) + contraction · (1/B) Σ_b ||J_f(x_b)||_F² (+ weight decay), where J_f is
    the Jacobian of the code with respect to the input (seed 003, "Contractive
    Autoencoder"; Rifai et al. 2011). The encoder must be ``Sequential(Linear, Sigmoid)``.
    """

    def __init__(
        self,
        encoder: Layer,
        decoder: Layer,
        loss: Loss,
        contraction: float,
        weight_decay: float = 0.0,
    ):
        super().__init__(encoder, decoder, loss, weight_decay=weight_decay)
        self.contractive = Contractive(encoder)
        self.contraction = check_non_negative(contraction, "contraction")

    def loss(self, target) -> ContractiveLossTerms:
        terms = super().loss(target)
        c = self.contractive.value()
        return ContractiveLossTerms(
            terms.reconstruction, terms.sparsity, terms.weight_decay,
            terms.total + self.contraction * c, contractive=c,
        )  # fmt: skip

    def backward(self, input_grad: bool = True) -> Gradients:
        """The autoencoder's backward, plus the contractive term's gradients."""
        grads = super().backward(input_grad)
        dX = self.contractive.accumulate_grad(self._X, self.contraction, input_grad)
        return replace(grads, X=grads.X + dX) if input_grad else grads

    def jacobian_norm(self, X):
        """||J_f(x)||_F for each row of X, (B,): how much the code moves per unit of input."""
        self.encode(X)
        _, _, s, w2 = self.contractive._parts()
        return ((s * s * w2).sum(axis=1)) ** 0.5
