"""The contract every layer keeps: forward keeps what backward needs; backward returns dX."""

from __future__ import annotations

from ..parameter import Parameter


class Layer:
    """Base class of minae's layers.

    ``forward(X) -> Y`` computes the output and keeps, on the layer, what ``backward``
    needs. ``backward(dY) -> dX`` takes ∂R̂/∂Y and returns ∂R̂/∂X; a layer with parameters
    also *adds* ∂R̂/∂θ into each ``Parameter.grad``. Backward never changes a parameter's
    value: the optimizer does that. ``backward(dY, input_grad=False)`` skips ∂R̂/∂X and
    returns None: training needs no gradient for the data, and for the first layer that
    product is a sizeable share of the step.

    ``n_in`` and ``n_out`` are the widths a layer takes and gives; ``None`` means the layer
    keeps the width of its input (activations).
    """

    n_in: int | None = None
    n_out: int | None = None

    def forward(self, X):
        raise NotImplementedError

    def backward(self, dY, input_grad: bool = True):
        raise NotImplementedError

    def __call__(self, X):
        return self.forward(X)

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
