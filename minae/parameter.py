"""A learnable array and the gradient that backward accumulates into it."""

from __future__ import annotations

from .backend import array_module


class Parameter:
    """A learnable array ``value`` with a gradient ``grad`` of the same shape.

    Backward passes *accumulate* into ``grad`` (``+=``), so a parameter used in two
    places receives both contributions, and calling backward twice adds twice.
    ``zero_grad()`` clears it; the training loop calls it before every step.

    Optimizers may move ``value`` and ``grad`` into one flat buffer (see
    ``ParameterGroup``); code must therefore update them in place (``p.value[...] = v``)
    and never rebind them.
    """

    def __init__(self, value, name: str = ""):
        xp = array_module()
        self.value = value
        self.grad = xp.zeros_like(value)
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.value.shape)

    @property
    def dtype(self):
        return self.value.dtype

    def zero_grad(self) -> None:
        self.grad[...] = 0

    def __repr__(self) -> str:
        return f"Parameter({self.name!r}, shape={self.shape}, dtype={self.dtype})"
