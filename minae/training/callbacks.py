"""What happens around the training loop, each a small object the loop calls at its seams.

``fit`` (``loop.py``) calls every callback's ``before_fit(run)`` once, ``before_epoch``,
``after_batch`` and ``after_epoch`` as it goes, ``after_fit`` at the end and ``close``
last, even after an exception; a callback
reads and changes the ``Run`` it is handed (``run.history``, ``run.request_stop()``).
``train``'s keywords choose which of these a run gets:

- ``Validation``: ``X_val`` — every loss term on validation data after each epoch;
- ``BestEpoch``: ``keep_best``, ``patience``, ``monitor`` — judge epochs on it, end with
  the best epoch's parameters, stop after k epochs without improvement;
- ``EveryEpoch``: ``callback`` — a function of (epoch, history) that may stop the run;
- ``Checkpointing``: ``checkpoint`` — write the run after every epoch, resume from it;
- ``Progress``: ``progress`` — progress bars.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from ..infrastructure.checkpoint import RunState, load_checkpoint, save_checkpoint
from ..infrastructure.validation import check_array, check_bool, check_positive_int
from . import guard
from .evaluation import evaluate

LONG_EPOCH = 100  # batches from which an epoch gets a progress bar of its own


def probe_terms(model, X, target) -> list[str]:
    """The names of the loss terms ``model`` reports, from its first example of X (in
    evaluation mode); the model's own Generators (a VAE's ε) are left as they were, so
    a run that probes gives the same bits as one that does not."""
    own = model.generators()
    saved = {name: g.bit_generator.state for name, g in own.items()}
    try:
        terms = evaluate(model, X[:1], None if target is None else target[:1], batch_size=1)
    finally:
        for name, g in own.items():
            g.bit_generator.state = saved[name]
    return sorted(terms)


class Callback:
    """Does nothing at every seam; a callback overrides the seams it needs.

    The seams of the loop of slides 001's "Training AEs for Compression" as every lesson
    runs it (lesson 04). Each seam is handed the ``Run``; a callback takes no parameters
    of its own here.
    """

    def before_fit(self, run) -> None:
        """Once, before the first epoch (after a checkpoint, before the first new one)."""

    def before_epoch(self, run) -> None:
        """Before each epoch; ``run.epoch`` is the epoch about to run (1-based)."""

    def after_batch(self, run, batch: int, seen: int, sums: dict) -> None:
        """After each step: ``batch`` (1-based) of ``run.batches``, ``seen`` examples so
        far this epoch, and ``sums``, each loss term summed over them."""

    def after_epoch(self, run) -> None:
        """After each epoch; its means are in ``run.history.train``."""

    def after_fit(self, run) -> None:
        """Once, after the last epoch (not after an exception: see ``close``)."""

    def close(self, run) -> None:
        """Called last, also when the run ends by an exception."""


class Validation(Callback):
    """After each epoch, every loss term's mean on (X_val, target_val) into history.val.

    Lesson 04's test curves (``X_val=X_test``); slides 004's regularisers "reduce
    overfitting and improve generalization", which a validation curve shows.

    Parameters
    ----------
    X_val : array (B, *in_shape)
        Validation inputs, on the device.
    target_val : array (B, ...) or None
        Their targets; None: each input is its own target.
    batch_size : int
        Examples per forward.
    """

    def __init__(self, X_val, target_val, batch_size: int):
        check_array(X_val, "X_val", min_ndim=1)
        if target_val is not None:
            check_array(target_val, "target_val", min_ndim=1)
        batch_size = check_positive_int(batch_size, "batch_size")
        self.X_val, self.target_val, self.batch_size = X_val, target_val, batch_size

    def before_fit(self, run) -> None:
        """Refuse validation data that does not fit the run, before the first batch; and
        learn the model's loss terms from one example (``run.validation_terms``), leaving
        the model's Generators as they were."""
        target, target_val = run.X if run.target is None else run.target, self.target_val
        pairs = [("X_val", self.X_val, run.X)]
        if target_val is not None:
            pairs.append(("target_val", target_val, target))
        for name, data, like in pairs:
            shape = getattr(data, "shape", None)
            if shape is None or len(shape) < 1 or shape[0] == 0:
                raise ValueError(
                    f"{name} must be a batch of examples (B, ...), got {type(data).__name__}"
                )
            if tuple(shape[1:]) != tuple(like.shape[1:]):
                raise ValueError(
                    f"{name}'s examples are {tuple(shape[1:])}, the training "
                    f"data's {tuple(like.shape[1:])}"
                )
        if target_val is not None and self.X_val.shape[0] != target_val.shape[0]:
            raise ValueError(
                f"target_val has {self.target_val.shape[0]} examples, X_val {self.X_val.shape[0]}"
            )
        run.validation_terms = probe_terms(run.model, self.X_val, self.target_val)

    def after_epoch(self, run) -> None:
        means = evaluate(run.model, self.X_val, self.target_val, batch_size=self.batch_size)
        run.history.append(run.history.val, means)


class BestEpoch(Callback):
    """Judge each epoch by the validation mean of ``monitor`` (lower is better).

    ``keep_best``: end with the parameters of the best epoch (``history.best_epoch``);
    ``patience`` k: stop once k epochs in a row have not improved on the best. The best
    so far lives on ``run.best`` (value, epochs since, parameters), which a checkpoint
    keeps. Early stopping (Prechelt 1998); the Hinton & Salakhutdinov (2006)
    reproduction keeps its best epoch. Shapes: the parameters are kept as one flat copy
    (P,).

    Parameters
    ----------
    monitor : str
        The validation term to judge by, e.g. ``"total"`` or ``"squared_error"``.
    keep_best : bool
        End with the best epoch's parameters.
    patience : int or None
        Stop after this many epochs without improvement; None never stops.
    """

    def __init__(self, monitor: str, keep_best: bool, patience: int | None):
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be a loss term's name, got {monitor!r}")
        if not isinstance(keep_best, bool):
            raise TypeError(f"keep_best must be True or False, got {keep_best!r}")
        if patience is not None and (
            isinstance(patience, bool) or not isinstance(patience, int) or patience < 1
        ):
            raise ValueError(f"patience must be a positive integer or None, got {patience!r}")
        self.monitor, self.keep_best, self.patience = monitor, keep_best, patience

    def before_fit(self, run) -> None:
        """Refuse a ``monitor`` that is not one of the model's loss terms, before the
        first batch (a ``Validation`` callback before this one names them)."""
        terms = getattr(run, "validation_terms", None)
        if terms is None:
            raise ValueError(
                "BestEpoch judges the validation terms: put a Validation "
                "callback before it (train(..., X_val=...) does)"
            )
        if self.monitor not in terms:
            raise ValueError(f"monitor {self.monitor!r} is not a loss term; the terms are {terms}")

    def after_epoch(self, run) -> None:
        val = run.history.val
        if self.monitor not in val:
            raise ValueError(
                f"monitor {self.monitor!r} is not a loss term; the terms are {sorted(val)}"
            )
        value, best = val[self.monitor][-1], run.best
        if value < best["value"]:  # a NaN is never better
            best["value"], best["since"], run.history.best_epoch = value, 0, run.epoch
            best["parameters"] = guard.snapshot(run.optimizer) if self.keep_best else None
        else:
            best["since"] += 1
        if self.patience is not None and best["since"] >= self.patience:
            run.request_stop()

    def after_fit(self, run) -> None:
        if self.keep_best and run.best["parameters"] is not None:
            guard.restore(run.optimizer, run.best["parameters"])  # history.best_epoch's


class EveryEpoch(Callback):
    """Call ``fn(epoch, history)`` after each epoch; a true return value stops the run.

    The Hinton & Salakhutdinov (2006) reproduction stops on a time budget with it.

    Parameters
    ----------
    fn : callable
        ``fn(epoch, history) -> bool``.
    """

    def __init__(self, fn: Callable):
        if not callable(fn) or isinstance(fn, (Callback, type)):
            raise TypeError(
                f"callback (fn) must be a function (epoch, history) -> stop?, got "
                f"{type(fn).__name__}"
            )
        self.fn = fn

    def after_epoch(self, run) -> None:
        if self.fn(run.epoch, run.history):
            run.request_stop()


class Checkpointing(Callback):
    """Write the whole run to ``path`` after every epoch; resume from it when it exists.

    ``fingerprint`` is what the run was started with (data, batch size, optimizer, the
    model's settings): a checkpoint written by another run is refused, naming what
    differs, before anything changes (see ``minae/infrastructure/checkpoint.py``). The long
    run of the Hinton & Salakhutdinov (2006) reproduction resumes through it.

    Parameters
    ----------
    path : str or path
        The checkpoint file.
    fingerprint : dict
        What the run was started with, which a resumed run must share.
    """

    def __init__(self, path, fingerprint: dict):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a file's path, got {type(path).__name__}")
        if not isinstance(fingerprint, dict):
            raise TypeError(
                f"fingerprint must be a dict (train's settings), got {type(fingerprint).__name__}"
            )
        self.path, self.fingerprint = Path(path), fingerprint

    def before_fit(self, run) -> None:
        if not self.path.exists():
            return
        state = load_checkpoint(
            self.path, run.model, run.optimizer, run.rng, self.fingerprint, max_epoch=run.epochs
        )
        run.resume(state)

    def after_epoch(self, run) -> None:
        best = {"value": run.best["value"], "since": run.best["since"]}
        state = RunState(
            run.epoch, run.history.as_dict(), self.fingerprint, run.best["parameters"], best
        )
        save_checkpoint(self.path, run.model, run.optimizer, run.rng, state)


class Progress(Callback):
    """A bar over the epochs with the loss, and one per batch, with the running loss, when
    an epoch has ``LONG_EPOCH`` batches or more. Hidden with ``TQDM_DISABLE=1``.

    What a lesson's full run shows while it trains (lessons 01 to 14).

    Parameters
    ----------
    shown : bool
        False hides the bars.
    """

    def __init__(self, shown: bool):
        shown = check_bool(shown, "shown")
        hidden = os.environ.get("TQDM_DISABLE", "").strip().lower() in ("1", "true", "yes")
        self.options = {"disable": True} if hidden or not shown else {}
        self.bar: Any = None  # tqdm bars, made when the run begins
        self.inner: Any = None

    def before_fit(self, run) -> None:
        self.bar = tqdm(
            desc="training", unit="epoch", initial=run.epoch, total=run.epochs, **self.options
        )

    def before_epoch(self, run) -> None:
        long = run.batches >= LONG_EPOCH
        self.inner = tqdm(
            total=run.batches,
            desc=f"epoch {run.epoch}",
            unit="batch",
            leave=False,
            **(self.options if long else {"disable": True}),
        )

    def after_batch(self, run, batch: int, seen: int, sums: dict) -> None:
        if not self.inner.disable:
            self.inner.update()
            if batch % 20 == 0:
                self.inner.set_postfix(total=f"{sums['total'] / seen:.4g}")

    def after_epoch(self, run) -> None:
        self.inner.close()
        self.bar.update()
        self.bar.set_postfix(total=f"{run.history.train['total'][-1]:.4g}")

    def close(self, run) -> None:
        if self.inner is not None:
            self.inner.close()
        if self.bar is not None:
            self.bar.close()


def no_best() -> dict:
    """The best epoch of a run that has none yet."""
    return {"value": math.inf, "since": 0, "parameters": None}
