"""The contract every layer keeps: forward keeps what backward needs; backward returns dX."""

from __future__ import annotations

from ..parameter import Parameter


class Layer:
    """Base class of minae's layers.

    ``forward(X) -> Y`` maps a batch X (B, *in_shape) to Y (B, *out_shape) and keeps, on
    the layer, what ``backward`` needs. ``backward(dY) -> dX`` takes ∂R̂/∂Y and returns
    ∂R̂/∂X, shaped like X; a layer with parameters also *adds* ∂R̂/∂θ into each
    ``Parameter.grad``. Backward never changes a parameter's value: the optimizer does
    that. ``backward(dY, input_grad=False)`` skips ∂R̂/∂X and returns None: training needs
    no gradient for the data, and for the first layer that product is a sizeable share of
    the step.

    Shapes are those of one example; the batch axis B comes first and is never named.
    ``in_shape`` is the example shape the layer takes (None: any, e.g. an activation);
    ``out_shape(in_shape)`` is the example shape it gives for that input (None when the
    input is unknown and the output depends on it), and raises ``ValueError`` for an input
    the layer cannot take. ``keeps_shape`` marks layers whose output is shaped like their
    input (activations). ``Sequential`` chains these to check a stack at construction.
    """

    in_shape: tuple[int, ...] | None = None
    keeps_shape: bool = False

    def out_shape(self, in_shape: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if self.keeps_shape:
            return in_shape
        raise NotImplementedError(f"{type(self).__name__} does not say its output shape")

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dY, input_grad: bool = True):
        raise NotImplementedError

    def __call__(self, X):
        return self.forward(X)

    def begin_training(self, rng) -> None:
        """Called by ``train`` before its batches: a layer that behaves differently while
        training (``Dropout``) switches here, drawing from the run's Generator ``rng``."""

    def end_training(self) -> None:
        """Called by ``train`` after its batches: back to the layer's test-time behaviour."""

    def named_parameters(self) -> dict[str, Parameter]:
        """The layer's parameters by name (empty for a layer without any)."""
        return {}

    def parameters(self) -> list[Parameter]:
        return list(self.named_parameters().values())

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()

    def _cached(self, value, what: str):
        """``value``, or a clear error when backward runs before forward kept it."""
        if value is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward ({what})")
        return value
