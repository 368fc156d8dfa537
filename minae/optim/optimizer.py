"""The contract of an optimizer: it alone changes parameter values."""

from __future__ import annotations

from ..backend import array_module
from ..validation import check_non_negative
from .flat_parameters import FlatParameters
from .parallel import BlockMap


class Optimizer:
    """Holds the parameters (packed flat) and updates them from their gradients.

    ``zero_grad()`` clears every gradient; ``step()`` applies one update in place, at the
    rate ``lr`` = ``base_lr · schedule(t)`` for the t-th update when a ``schedule`` (see
    ``optim/schedules.py``) is given, ``base_lr`` otherwise.
    A subclass writes its update once, in ``_update(sl, scratch)``, as the textbook
    formula on the slice ``sl`` of the flat arrays (``self.flat.values``,
    ``self.flat.grads`` and its own state); ``BlockMap`` runs it over the whole buffer
    on ``threads`` threads (see ``optim/parallel.py``).

    ``snapshot()`` and ``restore(snapshot)`` copy the parameters out and back, and
    ``parameters_finite()`` says whether every parameter is finite: the training loop's
    guard against a step that diverges.
    """

    def __init__(self, params, lr: float, threads: int | None = None, schedule=None):
        self.flat = FlatParameters(list(params))
        self.base_lr = check_non_negative(lr, "lr")
        if self.base_lr == 0:
            raise ValueError("lr must be > 0")
        if schedule is not None and not callable(schedule):
            raise TypeError(f"schedule must be callable (see optim/schedules.py), got {schedule!r}")
        self.schedule = schedule
        self.lr = self.base_lr  # the rate of the coming update: base_lr · schedule(steps)
        self.steps = 0
        self._map = BlockMap(self.flat.values.size, self.flat.values.dtype, threads)

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
        if self.schedule is not None:
            self.lr = self.base_lr * float(self.schedule(self.steps))  # η_t = η₀ · s(t)
        self.steps += 1
        self._map(self._update)

    def _update(self, sl: slice, scratch) -> None:
        """Update ``values[sl]`` from ``grads[sl]`` (and the optimizer's state there).

        ``scratch`` is a work array of the slice's length that no other thread touches.
        """
        raise NotImplementedError

    # -- the training loop's guard -----------------------------------------------------

    def snapshot(self):
        """A copy of every parameter's value, for ``restore``."""
        return self.flat.values.copy()

    def restore(self, snapshot) -> None:
        """Put back the values of a ``snapshot()``."""
        self.flat.values[...] = snapshot

    def parameters_finite(self) -> bool:
        """True when no parameter holds NaN or infinity."""
        return bool(array_module().isfinite(self.flat.values).all())
