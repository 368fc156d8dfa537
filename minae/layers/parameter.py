"""A learnable array and the gradient that backward accumulates into it."""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module, to_device
from ..infrastructure.validation import check_array


class Parameter:
    """A learnable array ``value`` with a gradient ``grad`` of the same shape.

    Backward passes *accumulate* into ``grad``, so a parameter used in two places
    receives both contributions, and calling backward twice adds twice. They do so through
    ``accumulate(value)`` and ``accumulate_matmul(A, B)``. The gradient starts at zero.

    ``value`` and ``grad`` may be assigned: ``p.grad = dW`` and ``p.value = W`` *copy* the
    numbers into the parameter's own storage (a shape that differs is refused; a NumPy
    array is moved to the backend's device first), so an optimizer that holds that storage
    (see ``FlatParameters``) sees the new numbers. The storage itself only moves through
    ``_bind``, which the optimizers call.

    ``zero_grad()`` clears the gradient lazily: it only records that ``grad`` is zero.
    The first ``accumulate`` after it then *writes* its contribution (``accumulate_matmul``
    writes the product straight into ``grad``: no temporary, and no pass to clear memory
    that is about to be overwritten); reading ``grad`` before any write fills it with zeros.
    So ``grad`` always reads as the true sum of what was accumulated since ``zero_grad``.

    θ and ∂R̂/∂θ of slides 001's update ⑥, θ ← θ - η ∂R̂/∂θ; lesson 04 writes them by hand.

    Parameters
    ----------
    value : array (any shape)
        The initial numbers; the parameter keeps this array as its storage.
    name : str
        A label for messages ("W", "b").
    """

    def __init__(self, value, name: str = ""):
        check_array(value, "a Parameter's value", nonempty=False)  # finite floats
        if not isinstance(name, str):
            raise TypeError(f"a Parameter's name must be a str, got {type(name).__name__}")
        xp = array_module()
        self._value = value
        self._grad = xp.zeros_like(value)
        self._grad_pending_zero = False
        self._owner = None
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``value`` (and of ``grad``)."""
        return tuple(self._value.shape)

    @property
    def dtype(self):
        """The dtype of ``value`` (and of ``grad``)."""
        return self._value.dtype

    @property
    def value(self):
        """θ, the parameter's numbers (update in place, or assign to copy new numbers in)."""
        return self._value

    @value.setter
    def value(self, array) -> None:
        self._copy_into(self._value, array, "value")

    @property
    def grad(self):
        """∂R̂/∂θ accumulated since the last ``zero_grad()`` (zeros if nothing was added)."""
        self.realize_grad()
        return self._grad

    @grad.setter
    def grad(self, array) -> None:
        self._copy_into(self._grad, array, "grad")
        self._grad_pending_zero = False

    def zero_grad(self) -> None:
        """Set ``grad`` to zero, lazily: the next ``accumulate`` writes instead of adding."""
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

    @property
    def owner(self):
        """The flat buffer (``FlatParameters``) that holds value and grad, or None."""
        return self._owner

    def _bind(self, value, grad, owner) -> None:
        """Move ``value`` and ``grad`` into the given arrays (views of ``owner``'s flat
        buffers), keeping their numbers. Only optimizers call this."""
        self._copy_into(value, self._value, "value")
        self._copy_into(grad, self.grad, "grad")
        self._value, self._grad, self._owner = value, grad, owner

    def _copy_into(self, storage, array, what: str) -> None:
        shape = tuple(numpy.shape(array))
        if shape != tuple(storage.shape):
            raise ValueError(
                f"cannot assign an array of shape {shape} to the {what} of {self!r}: "
                f"the shapes must match"
            )
        storage[...] = to_device(array)  # numbers from the host move to the device

    def __repr__(self) -> str:
        return f"Parameter({self.name!r}, shape={self.shape}, dtype={self.dtype})"
