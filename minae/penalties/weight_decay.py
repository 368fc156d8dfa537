"""L2 weight decay on the weight matrices."""

from __future__ import annotations

from ..parameter import Parameter
from ..validation import check_non_negative


class WeightDecay:
    r"""Ω(θ) = (β/2) Σ_W ||W||_F², over the weight matrices only (biases are not decayed).

    ∇_W Ω = β W. A weight is a parameter with two or more dimensions; biases are 1-D.
    This is the UFLDL sparse autoencoder's weight-decay term with β its λ.
    """

    def __init__(self, beta: float):
        self.beta = check_non_negative(beta, "weight decay beta")

    @staticmethod
    def weights(params: list[Parameter]) -> list[Parameter]:
        return [p for p in params if p.value.ndim >= 2]

    def value(self, params: list[Parameter]) -> float:
        if self.beta == 0.0:
            return 0.0
        total = sum(float((p.value * p.value).sum()) for p in self.weights(params))
        return 0.5 * self.beta * total

    def accumulate_grad(self, params: list[Parameter]) -> None:
        """Add β W into each weight's gradient."""
        if self.beta == 0.0:
            return
        for p in self.weights(params):
            p.accumulate(self.beta * p.value)
