"""The contract of an optimizer: it alone changes parameter values."""

from __future__ import annotations

from ..fast.flat_parameters import FlatParameters
from ..fast.folded_decay import FoldedDecay
from ..fast.parallel import BlockMap, check_threads
from ..fast.subnormals import FLUSH_EVERY, flush_small
from ..infrastructure.backend import array_module
from ..infrastructure.validation import check_float
from .schedules import Schedule


class Optimizer:
    """Holds the parameters (packed flat) and updates them from their gradients.

    ``zero_grad()`` clears every gradient; ``step()`` applies one update in place, at the
    rate ``lr`` = ``base_lr · schedule(t)`` for the t-th update when a ``schedule`` (see
    ``optim/schedules.py``) is given, ``base_lr`` otherwise.
    A subclass writes its update once, in ``_update(sl, scratch)``, as the textbook
    formula on the slice ``sl`` of the flat arrays (``self.flat.values``,
    ``self.flat.grads`` and its own state); ``BlockMap`` runs it over the whole buffer
    on ``threads`` threads (see ``minae/fast/parallel.py``).

    **Building an optimizer packs the parameters it is given into its own flat buffer:**
    each ``Parameter.value`` becomes a view into that buffer (the numbers are kept, the
    storage moves). A second optimizer over the same parameters packs them again, into
    its buffer, and the first one is then stale: its ``step()`` raises a RuntimeError
    that says so, rather than updating storage the model no longer reads. One optimizer
    per model at a time; build a new one to change settings (``train`` refuses an
    optimizer that does not hold exactly the model's parameters).

    ``state()`` and ``load_state(state)`` copy out and back what the next update reads
    besides the parameters and gradients (the step count and a subclass's ``buffers()``,
    such as Adam's m and v), so a run saved to a checkpoint resumes bit for bit.

    Step ⑥ of slides 001's "Training AEs for Compression" (update every weight from its
    gradient); lesson 04 writes the plain steps and compares them with this one.
    Shapes: each parameter keeps its own; the flat buffers are (P,), P the number of
    scalars over all parameters.

    Parameters
    ----------
    params : iterable of Parameter
        What to update, e.g. ``model.parameters()``; all of one dtype.
    lr : float
        η₀, the base learning rate, > 0.
    threads : int, optional
        Threads for the update on the CPU (default: the cores this process may use, at
        most 4); ignored on a GPU.
    schedule : callable, optional
        t ↦ factor, e.g. ``Cosine(total)``; the rate of update t is lr · schedule(t).
    """

    def __init__(self, params, lr: float, threads: int | None = None, schedule=None):
        # every argument checked before the parameters are packed into one buffer
        self.base_lr = check_float(lr, "lr", low=0.0, low_open=True)
        if schedule is not None and (not callable(schedule) or isinstance(schedule, type)):
            raise TypeError(f"schedule must be callable (see optim/schedules.py), got {schedule!r}")
        check_threads(threads)
        self.flat = FlatParameters(params)
        self.schedule = schedule
        self.lr = self.base_lr  # the rate of the coming update: base_lr · schedule(steps)
        self.steps = 0
        self._map = BlockMap(self.flat.values.size, self.flat.values.dtype, threads)
        self.folded: list[FoldedDecay] = []  # β θ added to g in the update's pass

    def fold_decay(self, beta: float, params) -> FoldedDecay:
        """From now on each ``step`` adds β θ into the gradient of each of ``params``
        before its update, in the same pass (``minae/fast/folded_decay.py``): weight decay's
        β ∇Ω, which the model then leaves out of its backward. ``unfold`` ends it.
        ``Autoencoder.folded(optimizer)`` calls both; ``params`` must be held here."""
        beta = check_float(beta, "beta", low=0.0)
        term = FoldedDecay(self.flat, list(params), beta)
        self.folded.append(term)
        return term

    def unfold(self, term: FoldedDecay) -> None:
        """Stop adding a term that ``fold_decay`` returned."""
        self.folded.remove(term)

    @property
    def params(self):
        """The parameters this optimizer updates, each once, in the order given."""
        return self.flat.params

    def zero_grad(self) -> None:
        """Clear every parameter's gradient before the next backward adds into it."""
        for p in self.flat.params:
            p.zero_grad()  # lazy: backward writes each gradient over the old numbers

    def step(self) -> None:
        """Apply one update in place to every parameter from its ``grad``.

        Raises ``RuntimeError`` when the parameters were since handed to a newer optimizer.
        """
        self.flat.check_current()
        for p in self.flat.params:
            p.realize_grad()  # a gradient nothing was added to since zero_grad is zero
        if self.schedule is not None:
            self.lr = self.base_lr * float(self.schedule(self.steps))  # η_t = η₀ · s(t)
        self.steps += 1
        self._map(self._fold_then_update if self.folded else self._update)
        if self.steps % FLUSH_EVERY == 0:  # see subnormals.py: a speed device, no change in θ
            self._flush_buffers()

    def _fold_then_update(self, sl: slice, scratch) -> None:
        for term in self.folded:
            term(sl, scratch)  # g ← g + β θ on this block, while it is in cache
        self._update(sl, scratch)

    def _flush_buffers(self) -> None:
        if self.buffers():
            self._map(self._flush)

    def _flush(self, sl: slice, scratch) -> None:
        for buffer in self.buffers().values():
            flush_small(buffer[sl], scratch)

    def _update(self, sl: slice, scratch) -> None:
        """Update ``values[sl]`` from ``grads[sl]`` (and the optimizer's state there), as
        the update's equations on that block, in place (``in_place.py``). ``scratch`` is
        a work array of the block's length that no other thread touches."""
        raise NotImplementedError

    # -- what a checkpoint keeps -------------------------------------------------------

    def buffers(self) -> dict:
        """The optimizer's own flat arrays, by name (none for plain SGD)."""
        return {}

    def hyperparameters(self) -> dict:
        """What fixes the update rule; a run resumed from a checkpoint must match it."""
        s = self.schedule
        named = repr(s) if s is None or isinstance(s, Schedule) else type(s).__qualname__
        return {"type": type(self).__name__, "lr": self.base_lr, "schedule": named}

    def state(self) -> dict:
        """The step count and copies of ``buffers()``: with the parameters, all a step reads."""
        return {"steps": self.steps, "buffers": {k: b.copy() for k, b in self.buffers().items()}}

    def load_state(self, state: dict) -> None:
        """Put back a ``state()``; the buffers must have the names and sizes of this one's."""
        own, given = self.buffers(), state["buffers"]
        if set(own) != set(given):
            raise ValueError(
                f"{type(self).__name__} keeps buffers {sorted(own)}, the state has {sorted(given)}"
            )
        for name, buffer in own.items():
            if tuple(given[name].shape) != tuple(buffer.shape):
                raise ValueError(
                    f"buffer {name!r} holds {buffer.size} numbers here, "
                    f"{given[name].size} in the state"
                )
        xp = array_module()
        for name, buffer in own.items():
            buffer[...] = xp.asarray(given[name], dtype=buffer.dtype)
        self.steps = int(state["steps"])
        if self.schedule is not None:  # the rate the last update used, as after that step
            self.lr = self.base_lr * float(self.schedule(max(self.steps - 1, 0)))
