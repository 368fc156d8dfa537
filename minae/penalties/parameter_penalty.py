"""The contract of a penalty Ω(θ) on the model's parameters."""

from __future__ import annotations

from ..layers.parameter import Parameter


class ParameterPenalty:
    """A penalty Ω(θ) on the parameters, with its gradient ∇_θ Ω added into each ``grad``.

    A model adds β Ω(θ) to R̂ and β ∇_θ Ω to the gradients after back-propagation. Ω is a
    property of the model, not of the batch: it is neither summed over examples nor
    averaged over them.

    Slides 004's "weight decay (L1/L2)" among the regularisers (lesson 14); the UFLDL sparse
    autoencoder's weight-decay term, checked in lesson 06. Shapes: each parameter keeps
    its own shape, and so does its gradient. A penalty takes no parameters.
    """

    def value(self, params: list[Parameter]) -> float:
        """Ω(θ), a float, over ``params`` (the model's parameters, each of any shape)."""
        raise NotImplementedError

    def accumulate_grad(self, params: list[Parameter], beta: float) -> None:
        """Add β ∇_θ Ω into each parameter's gradient."""
        raise NotImplementedError

    def fold_into(self, optimizer, params: list[Parameter], beta: float):
        """Hand β ∇_θ Ω to ``optimizer``, to add in its own pass over the parameters (a
        speed device, ``minae/fast/folded_decay.py``), and return what ``optimizer.unfold``
        takes back; None where this penalty cannot be folded (the default), and the model
        adds ``accumulate_grad`` in its backward as before."""
        return None
