"""The contract of a penalty S(Z) on the bottleneck code."""

from __future__ import annotations

from ..infrastructure.validation import check_batch


class CodePenalty:
    """A penalty S(Z) on the code Z (B, *code_shape) with its gradient ∇_Z S(Z), shaped like Z.

    A model adds λ S(Z) to the reconstruction loss, and λ ∇_Z S(Z) to the gradient that
    reaches Z from the decoder (slides 001, "Training Sparse AEs"):

        ∇_Z R̂ = (back-propagated from the decoder) + Σ_k λ_k ∇_Z S_k(Z).

    Each penalty's docstring states its reduction: most are a sum over the code units of
    one example, averaged over the batch (``L1``); some are a quantity of the whole batch
    (``KLSparsity`` compares each unit's batch-mean activation with ρ).

    A penalty that also reads parameters (``Contractive`` reads the encoder's weights)
    adds its direct gradient with respect to them in ``accumulate_parameter_grad``; the
    part that flows through Z reaches them by back-propagation, as every other term does.
    Lessons 06 (L1, KL) and 08 (contractive) use them.
    """

    def value(self, Z) -> float:
        """S(Z), a float, for a batch of codes Z of shape (B, *code_shape).

        Raises ``ValueError`` for a Z the penalty cannot take (not a batch, or outside the
        range it needs)."""
        raise NotImplementedError

    def grad(self, Z):
        """∇_Z S(Z), shaped like Z (B, *code_shape), the batch's 1/B included."""
        raise NotImplementedError

    def accumulate_parameter_grad(self, Z, lam: float) -> None:
        """Add λ ∂S/∂θ for parameters θ that S reads directly (none, by default)."""

    def _check(self, Z) -> None:
        check_batch(Z, "Z")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
