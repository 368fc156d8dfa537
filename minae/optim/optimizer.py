"""The contract of an optimizer: it alone changes parameter values."""

from __future__ import annotations

from ..validation import check_non_negative
from .flat_parameters import FlatParameters


class Optimizer:
    """Holds the parameters (packed flat) and updates them from their gradients.

    ``zero_grad()`` clears every gradient; ``step()`` applies one update in place, split
    across ``threads`` threads over the flat buffer (see ``FlatParameters``).
    """

    def __init__(self, params, lr: float, threads: int | None = None):
        self.flat = FlatParameters(list(params), threads)
        self.lr = check_non_negative(lr, "lr")
        if self.lr == 0:
            raise ValueError("lr must be > 0")
        self.steps = 0

    @property
    def params(self):
        return self.flat.params

    def zero_grad(self) -> None:
        for p in self.flat.params:
            p.zero_grad()  # lazy: backward writes each gradient over the old numbers

    def step(self) -> None:
        self.flat.check_current()
        for p in self.flat.params:
            p.realize_grad()  # a gradient nothing was added to since zero_grad is zero
        self.steps += 1
        self.flat.map_chunks(self._update)

    def _update(self, chunk: slice, scratch) -> None:
        """Update ``values[chunk]`` from ``grads[chunk]`` (and the optimizer's state there).

        ``scratch`` is a work array of the slice's length that no other thread touches.
        """
        raise NotImplementedError
