"""What ``train`` and ``evaluate`` need of a model: the protocol every minae model keeps."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..layers.parameter import Parameter
from .loss_terms import LossTerms


@runtime_checkable
class Model(Protocol):
    """A model that ``train`` and ``evaluate`` can drive.

    ``forward(X)`` runs a batch through the model and keeps what ``loss`` and ``backward``
    need; ``loss(target)`` scores that forward, returning ``LossTerms`` (named terms, the
    total R̂ and the squared error); ``backward(input_grad)`` adds ∂R̂/∂θ into every
    ``Parameter.grad``; ``parameters()`` lists them. ``in_shape`` is the example shape the
    model takes (None: any) and ``dtype`` the dtype it computes in, which the training
    loop checks the data against.

    The steps of slides 001's "Training AEs for Compression": ① forward, ② the loss and
    ∇_X̂ R̂, ③–⑤ back-propagation, ⑥ the update (the optimizer's); lesson 04 writes them
    by hand. A protocol: it takes no parameters.
    """

    in_shape: tuple[int, ...] | None

    @property
    def dtype(self):
        """The dtype the model computes in, float32 or float64 (None without parameters)."""

    def forward(self, X):
        """Run a batch X (B, *in_shape) through the model; return its output (B, ...)."""

    def loss(self, target) -> LossTerms:
        """Score the last forward against ``target`` (B, ...): the terms of R̂."""

    def backward(self, input_grad: bool = True):
        """Add ∂R̂/∂θ into every ``Parameter.grad``; ∂R̂/∂X only if ``input_grad``."""

    def parameters(self) -> list[Parameter]:
        """The parameters the optimizer updates."""
