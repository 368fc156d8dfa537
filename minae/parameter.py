"""A learnable array and the gradient that backward accumulates into it."""

from __future__ import annotations

from .backend import array_module


class Parameter:
    """A learnable array ``value`` with a gradient ``grad`` of the same shape.

    Backward passes *accumulate* into ``grad``, so a parameter used in two places
    receives both contributions, and calling backward twice adds twice. They do so through
    ``accumulate(value)`` and ``accumulate_matmul(A, B)``.

    ``zero_grad()`` clears the gradient lazily: it only records that ``grad`` is zero.
    The first ``accumulate`` after it then *writes* its contribution (``accumulate_matmul``
    writes the product straight into ``grad``: no temporary, and no pass to clear memory
    that is about to be overwritten); reading ``grad`` before any write fills it with zeros.
    So ``grad`` always reads as the true sum of what was accumulated since ``zero_grad``.

    Optimizers may move ``value`` and ``grad`` into one flat buffer (see
    ``FlatParameters``); code must therefore update them in place (``p.value[...] = v``)
    and never rebind them.
    """

    def __init__(self, value, name: str = ""):
        xp = array_module()
        self.value = value
        self._grad = xp.empty_like(value)
        self._grad_pending_zero = True
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.value.shape)

    @property
    def dtype(self):
        return self.value.dtype

    @property
    def grad(self):
        """∂R̂/∂θ accumulated since the last ``zero_grad()`` (zeros if nothing was added)."""
        self.realize_grad()
        return self._grad

    @grad.setter
    def grad(self, array) -> None:
        """Rebind the gradient's storage (packing into a flat buffer); keeps its numbers."""
        self._grad = array

    def zero_grad(self) -> None:
        self._grad_pending_zero = True

    def realize_grad(self) -> None:
        """Write the zeros of a lazily cleared gradient into memory (optimizers read it raw)."""
        if self._grad_pending_zero:
            self._grad.fill(0)
            self._grad_pending_zero = False

    def accumulate(self, value) -> None:
        """grad += value."""
        if self._grad_pending_zero:
            self._grad[...] = value
            self._grad_pending_zero = False
        else:
            self._grad += value

    def accumulate_matmul(self, A, B) -> None:
        """grad += A @ B, written straight into grad when it is (lazily) zero."""
        if self._grad_pending_zero:
            array_module().matmul(A, B, out=self._grad)
            self._grad_pending_zero = False
        else:
            self._grad += A @ B

    def __repr__(self) -> str:
        return f"Parameter({self.name!r}, shape={self.shape}, dtype={self.dtype})"
