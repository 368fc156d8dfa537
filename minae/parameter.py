"""A learnable array and the gradient that backward accumulates into it."""

from __future__ import annotations

from .backend import array_module


class Parameter:
    """A learnable array ``value`` with a gradient ``grad`` of the same shape.

    Backward passes *accumulate* into ``grad``, so a parameter used in two places
    receives both contributions, and calling backward twice adds twice. They do so through
    ``accumulate(value)`` and ``accumulate_matmul(A, B)``: after ``zero_grad()`` the
    latter writes the product straight into ``grad`` (no temporary, no extra pass).
    Code that writes ``grad`` by other means must call ``mark_written()``.

    Optimizers may move ``value`` and ``grad`` into one flat buffer (see
    ``ParameterGroup``); code must therefore update them in place (``p.value[...] = v``)
    and never rebind them.
    """

    def __init__(self, value, name: str = ""):
        xp = array_module()
        self.value = value
        self.grad = xp.zeros_like(value)
        self.name = name
        self.grad_is_zero = True

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.value.shape)

    @property
    def dtype(self):
        return self.value.dtype

    def zero_grad(self) -> None:
        self.grad[...] = 0
        self.grad_is_zero = True

    def accumulate(self, value) -> None:
        """grad += value."""
        self.grad += value
        self.grad_is_zero = False

    def accumulate_matmul(self, A, B) -> None:
        """grad += A @ B, written in place when grad is known to be zero."""
        if self.grad_is_zero:
            array_module().matmul(A, B, out=self.grad)
        else:
            self.grad += A @ B
        self.grad_is_zero = False

    def mark_written(self) -> None:
        """Say that ``grad`` was changed directly (so it is no longer known to be zero)."""
        self.grad_is_zero = False

    def __repr__(self) -> str:
        return f"Parameter({self.name!r}, shape={self.shape}, dtype={self.dtype})"
