"""The contract of an optimizer: it alone changes parameter values."""

from __future__ import annotations

from ..validation import check_non_negative
from .flat_parameters import FlatParameters


class Optimizer:
    """Holds the parameters (packed flat) and updates them from their gradients.

    ``zero_grad()`` clears every gradient; ``step()`` applies one update in place.
    """

    def __init__(self, params, lr: float):
        self.flat = FlatParameters(list(params))
        self.lr = check_non_negative(lr, "lr")
        if self.lr == 0:
            raise ValueError("lr must be > 0")
        self.steps = 0

    @property
    def params(self):
        return self.flat.params

    def zero_grad(self) -> None:
        self.flat.grads.fill(0)

    def step(self) -> None:
        self.flat.check_current()
        self.steps += 1
        self._update(self.flat.values, self.flat.grads)

    def _update(self, values, grads) -> None:
        raise NotImplementedError
