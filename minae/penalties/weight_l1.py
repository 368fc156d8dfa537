"""L1 on the weight matrices: a pull of constant size towards zero, which zeroes weights."""

from __future__ import annotations

from ..infrastructure.backend import array_module
from ..layers.parameter import Parameter
from .parameter_penalty import ParameterPenalty
from .weight_decay import WeightDecay


class WeightL1(ParameterPenalty):
    r"""Ω(θ) = Σ_W ||W||₁ = Σ_W Σ_ij |W_ij|, over the weight arrays only (no biases).

    ∇_W Ω = sign(W) (0 at W_ij = 0, the subgradient minae takes), so a model weighting
    it by β adds β sign(W) to each weight's gradient: every weight is pulled towards 0
    by the same amount whatever its size, where ``WeightDecay``'s pull β W fades as W
    shrinks. Slides 004 lists both, "weight decay (L1/L2)", among the regularisers.
    Shapes: each W (any shape of two or more axes) and its gradient alike. Lesson 14
    measures its train-test gap.
    """

    def value(self, params: list[Parameter]) -> float:
        xp = array_module()
        return sum(float(xp.abs(p.value).sum()) for p in WeightDecay.weights(params))

    def accumulate_grad(self, params: list[Parameter], beta: float) -> None:
        """Add β sign(W) into each weight's gradient."""
        xp = array_module()
        for p in WeightDecay.weights(params):
            p.accumulate(beta * xp.sign(p.value))

    def __repr__(self) -> str:
        return "WeightL1()"
