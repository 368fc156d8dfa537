"""What ``train`` and ``evaluate`` need of a model: the protocol every minae model keeps."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ..parameter import Parameter
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
    """

    in_shape: tuple[int, ...] | None

    @property
    def dtype(self): ...

    def forward(self, X): ...

    def loss(self, target) -> LossTerms: ...

    def backward(self, input_grad: bool = True): ...

    def parameters(self) -> list[Parameter]: ...
