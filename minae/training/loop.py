"""Minibatch training: the slide's round, one batch at a time, epoch after epoch.

``step`` is one round of slides 001's "Training AEs for Compression" (① X through the
encoder, ② Z through the decoder, ③ ∇_X̂ R̂ back through the decoder, ④ ∇_Z R̂, ⑤ back
through the encoder, ⑥ update all weights); ``fit`` runs it over shuffled minibatches
and calls the callbacks (``callbacks.py``) at its seams; ``train`` is the front that
turns keywords into callbacks. The plain version of one round, on bare arrays, is
``minae.plain.training_step``.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
import warnings
from collections.abc import Callable

from ..infrastructure.backend import to_device
from ..infrastructure.checkpoint import data_fingerprint, model_settings
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import (
    check_batch,
    check_bool,
    check_positive_int,
    check_same_shape,
)
from ..models.model import Model
from ..optim.optimizer import Optimizer
from ..optim.schedules import WarmUp
from . import guard
from .callbacks import BestEpoch, Callback, Checkpointing, EveryEpoch, Progress, Validation, no_best
from .evaluation import accumulate, batch_terms, checked_pair
from .guard import NonFiniteLossError
from .history import History


class LossNotFinite(Exception):
    """``step`` met a NaN or infinite loss, before any backward or update."""


def step(model: Model, optimizer: Optimizer, X_batch, target_batch) -> dict[str, float]:
    """One round on one batch; returns its loss terms (each times the batch size).

    Slides 001's "Training AEs for Compression", ① to ⑥, once; lesson 04 writes the same
    round by hand and compares it with this one, bit for bit.

    Parameters
    ----------
    model : Model
        The model to train.
    optimizer : Optimizer
        Holding the model's parameters.
    X_batch : array (B, *in_shape)
        The batch's input (X̃ for a denoiser).
    target_batch : array (B, ...)
        What the model should output (X for an autoencoder).

    Returns
    -------
    dict of str to float
        Each loss term summed over the batch (mean times B).

    Raises
    ------
    LossNotFinite
        On a NaN or infinite loss, before any backward or update.
    """
    check_optimizer_holds(model, optimizer)
    check_batch(X_batch, "X_batch", model.in_shape, model.dtype)
    check_batch(target_batch, "target_batch")
    if target_batch.shape[0] != X_batch.shape[0]:
        raise ValueError(
            f"target_batch has {target_batch.shape[0]} examples, X_batch {X_batch.shape[0]}"
        )
    with model.folded(optimizer):  # weight decay's β W added in the update's pass
        return _round(model, optimizer, X_batch, target_batch)


def _round(model: Model, optimizer: Optimizer, X_batch, target_batch) -> dict[str, float]:
    """``step`` without its checks: ``fit`` checked the run once, not on every batch."""
    optimizer.zero_grad()
    model.forward(X_batch)  # ① X → encoder → Z, ② Z → decoder → X̂
    terms = batch_terms(model, target_batch)  # R̂ = L(X̂, X) + Σ λ_k S_k(Z)
    if not math.isfinite(terms["total"]):
        raise LossNotFinite(terms)
    model.backward(input_grad=False)  # ③ ∇_X̂ R̂ through the decoder, ④ ∇_Z R̂, ⑤ the encoder
    optimizer.step()  # ⑥ update all weights
    return terms


def check_optimizer_holds(model, optimizer) -> None:
    """Refuse an optimizer that does not hold exactly the model's parameters (another
    model's, or some of them): it would train nothing, or not all, and say nothing."""
    if not isinstance(model, Model):
        raise TypeError(
            f"model must be a minae Model (subclass minae.Model: forward, loss, "
            f"backward, parameters), got {type(model).__name__}"
        )
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be a minae Optimizer (SGD, Adam, AdamW), got "
            f"{type(optimizer).__name__}"
        )
    held = {id(p) for p in optimizer.params}
    own = {id(p) for p in model.parameters()}
    if held != own:
        raise ValueError(
            f"the optimizer holds {len(held - own)} parameter(s) that are not this model's and "
            f"lacks {len(own - held)} of the model's: build it from this model, "
            "e.g. Adam(model.parameters())"
        )


class Run:
    """Everything a training run reads and changes, handed to each callback.

    ``train`` builds it; ``fit`` runs it (the loop of slides 001's "Training AEs for
    Compression", lesson 04).

    Parameters
    ----------
    model : Model
        The model to train.
    optimizer : Optimizer
        Holding the model's parameters.
    X : array (B, *in_shape)
        The training inputs, on the device.
    target : array (B, ...) or None
        Their targets; None for an autoencoder of X itself (each batch its own target).
    batch_size : int
        Examples per minibatch.
    rng : numpy.random.Generator
        Shuffles the batches and draws corruptions and dropout masks.
    corrupt : callable or None
        ``corrupt(X_batch, rng) -> X̃_batch`` (denoising), or None.
    epochs : int
        The epoch to stop after.
    """

    def __init__(self, model, optimizer, X, target, batch_size, rng, corrupt, epochs):
        if not isinstance(model, Model):
            raise TypeError(
                f"model must be a minae Model (subclass minae.Model: forward, "
                f"loss, backward, parameters), got {type(model).__name__}"
            )
        check_optimizer_holds(model, optimizer)
        batch_size = check_positive_int(batch_size, "batch_size")
        epochs = check_positive_int(epochs, "epochs")
        rng = as_generator(rng)
        if corrupt is not None and (not callable(corrupt) or isinstance(corrupt, type)):
            raise TypeError(
                f"corrupt must be a function (X_batch, rng) -> X̃_batch, got "
                f"{type(corrupt).__name__}"
            )
        X, target = checked_pair(model, X, target)
        self.model, self.optimizer = model, optimizer
        self.X, self.target, self.batch_size = X, target, batch_size
        self.rng, self.corrupt, self.epochs = rng, corrupt, epochs
        self.epoch = 0  # epochs finished (the one running, inside an epoch)
        self.batches = -(-X.shape[0] // batch_size)
        self.history = History()
        self.best = no_best()
        self.stop = False

    def request_stop(self) -> None:
        """End the run after this epoch (``history.stopped_early`` if epochs remain)."""
        self.stop = True
        self.history.stopped_early = self.epoch < self.epochs

    def resume(self, state) -> None:
        """Continue from a checkpoint's ``RunState``."""
        self.epoch = state.epoch
        self.history = History.from_dict(state.history) if state.history else History()
        info = state.best_info
        self.best = {
            "value": info.get("value", math.inf),
            "since": info.get("since", 0),
            "parameters": state.best,
        }
        if self.history.stopped_early:
            self.epoch = self.epochs  # a run that stopped early is over


def fit(run: Run, callbacks: list[Callback]) -> History:
    """Train ``run.model`` from epoch ``run.epoch + 1`` to ``run.epochs``, calling the
    callbacks at each seam; returns the history.

    Epochs of ``step`` over shuffled minibatches of ``run.X`` (B, *in_shape): slides 001's
    "Training AEs for Compression" repeated, as lesson 04 runs it.

    Parameters
    ----------
    run : Run
        The model, optimizer, data and where the run stands.
    callbacks : list of Callback
        Called before and after the run, each epoch and each batch, in order.
    """
    if not isinstance(run, Run):
        raise TypeError(f"run must be a Run (see train), got {type(run).__name__}")
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks must be a list of Callback, got {type(callbacks).__name__}")
    callbacks = list(callbacks)
    for i, cb in enumerate(callbacks):
        if not isinstance(cb, Callback):
            raise TypeError(
                f"callbacks[{i}] is a {type(cb).__name__}, not a Callback "
                "(a function of (epoch, history) goes to train(callback=...))"
            )
    try:
        for cb in callbacks:
            cb.before_fit(run)
        while run.epoch < run.epochs and not run.stop:
            run.epoch += 1
            for cb in callbacks:
                cb.before_epoch(run)
            start = time.perf_counter()
            means = train_epoch(run, callbacks)
            run.history.seconds.append(time.perf_counter() - start)
            run.history.append(run.history.train, means)
            for cb in callbacks:
                cb.after_epoch(run)
        for cb in callbacks:
            cb.after_fit(run)
    finally:
        for cb in callbacks:
            cb.close(run)
    return run.history


def train_epoch(run: Run, callbacks: list[Callback]) -> dict[str, float]:
    """One pass over X in shuffled minibatches; the mean of every loss term."""
    X, target, size = run.X, run.target, run.batch_size
    order = to_device(run.rng.permutation(X.shape[0]))
    start_of_epoch = guard.snapshot(run.optimizer)  # finite: checked before and after each
    sums: dict[str, float] = {}
    batch = 0
    with training_mode(run.model, run.rng), run.model.folded(run.optimizer):
        for batch, lo in enumerate(range(0, X.shape[0], size), start=1):
            idx = order[lo : lo + size]
            X_batch = X[idx]
            target_batch = X_batch if target is None else target[idx]  # None: X is the target
            if run.corrupt is not None:  # the model learns X̃ → X (denoising)
                X_batch = corrupted(run.corrupt, X_batch, run.rng)
            try:
                terms = _round(run.model, run.optimizer, X_batch, target_batch)
            except LossNotFinite as err:  # before backward and the update
                kept = guard.keep_finite(run.optimizer, start_of_epoch)
                raise NonFiniteLossError(run.epoch, batch, err.args[0], kept) from None
            accumulate(sums, terms)
            for cb in callbacks:
                cb.after_batch(run, batch, min(lo + size, X.shape[0]), sums)
    if not guard.parameters_finite(run.optimizer):  # the last step, which no loss checked
        kept = guard.keep_finite(run.optimizer, start_of_epoch)
        raise NonFiniteLossError(run.epoch, batch, {}, kept)
    return {k: v / X.shape[0] for k, v in sums.items()}


@contextlib.contextmanager
def training_mode(model, rng):
    """Within the block, layers that train differently (``Dropout``) do so, drawing from
    the run's Generator ``rng``; after it, they are back to their test-time selves."""
    model.begin_training(rng)
    try:
        yield
    finally:
        model.end_training()


def corrupted(corrupt: Callable, X_batch, rng):
    X_tilde = corrupt(X_batch, rng)
    check_same_shape(X_tilde, X_batch, "corrupt(X_batch)", "X_batch")
    return X_tilde


def train(
    model: Model,
    optimizer: Optimizer,
    X,
    *,
    epochs: int,
    batch_size: int,
    rng,
    target=None,
    X_val=None,
    target_val=None,
    corrupt: Callable | None = None,
    progress: bool = True,
    keep_best: bool = False,
    patience: int | None = None,
    monitor: str = "total",
    checkpoint=None,
    callback: Callable | None = None,
) -> History:
    """Train ``model`` for ``epochs`` passes over X (B, *in_shape) in shuffled minibatches.

    ``model`` is any ``Model``: forward, loss(target) giving ``LossTerms``, backward,
    parameters (every minae model is one).

    ``target`` defaults to X. ``corrupt(X_batch, rng) -> X̃_batch``, when given, is
    applied to each batch's input only, so the model learns X̃ → X (denoising). The
    Generator ``rng`` (or int seed) drives the shuffling and the corruption: the same seed
    gives the same parameters, bit for bit. Raises ``NonFiniteLossError`` on a NaN or
    infinite loss, or when a step leaves a parameter NaN or infinite (checked after every
    epoch's last step), leaving the model with finite parameters.

    Slides 001's "Training AEs for Compression" (① to ⑥ per batch); every lesson trains
    through it, and lesson 04 shows one round by hand gives the same bits.

    The other keywords each add a callback (``callbacks.py``):

    - ``progress``: a bar per epoch with the loss, and one per batch when an epoch has
      ``LONG_EPOCH`` batches or more (hidden by ``progress=False`` or ``TQDM_DISABLE=1``);
    - ``X_val`` (``target_val``): every loss term on validation data after each epoch;
    - ``keep_best=True``: end with the parameters of the epoch whose validation mean of
      ``monitor`` (``"total"``, ``"squared_error"``, ...; lower is better) was lowest
      (``history.best_epoch``); ``patience=k``: stop once k epochs in a row have not
      improved on the best;
    - ``callback(epoch, history)``: called after each epoch (and its validation); a true
      return value stops the run there, as ``patience`` does;
    - ``checkpoint=path``: write the whole run to ``path`` after every epoch, atomically
      (see ``minae/infrastructure/checkpoint.py``), and, when ``path`` exists, resume from it:
      parameters, optimizer state, the epoch reached, the state of ``rng`` (set in place)
      and of the model's Generators, the history and the best parameters so far. An
      interrupted run started again with the same arguments ends with the same bits as
      one never interrupted. A checkpoint written with other data, batch size, optimizer
      or model settings is refused, and so is one that ran more than ``epochs``, before
      anything changes; one that already ran ``epochs`` epochs (or stopped early) is not
      trained further, and the history it holds is returned.

    Parameters
    ----------
    model : Model
        The model to train.
    optimizer : Optimizer
        Holding the model's parameters.
    X : array (B, *in_shape)
        Training inputs, in the model's dtype (host arrays move to the device).
    epochs : int
        Passes over X.
    batch_size : int
        Examples per minibatch (the last may be smaller).
    rng : numpy.random.Generator or int
        The run's Generator or seed.
    target : array (B, ...), optional
        Targets; X when None.
    X_val, target_val : arrays, optional
        Validation inputs and targets (X_val when None).
    corrupt : callable, optional
        ``corrupt(X_batch, rng) -> X̃_batch``, shaped like X_batch.
    progress : bool
        Progress bars.
    keep_best : bool
        End with the best validation epoch's parameters.
    patience : int, optional
        Stop after this many epochs without a better validation ``monitor``.
    monitor : str
        The validation term ``keep_best`` and ``patience`` judge (default ``"total"``).
    checkpoint : str or path, optional
        A file to write after every epoch and resume from.
    callback : callable, optional
        ``callback(epoch, history)``, after each epoch; a true return value stops.

    Returns
    -------
    History
        Every loss term's mean per epoch.
    """
    check_optimizer_holds(model, optimizer)
    if not guard.parameters_finite(optimizer):
        raise ValueError("the parameters hold NaN or inf before training; rebuild the model")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    rng = as_generator(rng)
    progress = check_bool(progress, "progress")
    keep_best = check_bool(keep_best, "keep_best")
    if not isinstance(monitor, str):
        raise TypeError(f"monitor must be a loss term's name, got {monitor!r}")
    X, target = checked_pair(model, X, target, "X", "target")
    callbacks: list[Callback] = []
    if X_val is not None:
        X_val, target_val = checked_pair(model, X_val, target_val, "X_val", "target_val")
        callbacks.append(Validation(X_val, target_val, batch_size))
    if keep_best or patience is not None:
        if X_val is None:
            raise ValueError("keep_best and patience judge epochs on validation data: pass X_val")
        if patience is not None:
            patience = check_positive_int(patience, "patience")
        callbacks.append(BestEpoch(monitor, keep_best, patience))
    if callback is not None:
        callbacks.append(EveryEpoch(callback))
    if checkpoint is not None:
        settings = fingerprint(
            model, optimizer, X, target, X_val, target_val, batch_size, keep_best, monitor, corrupt
        )
        callbacks.append(Checkpointing(checkpoint, settings))
    callbacks.append(Progress(progress))
    warn_if_warm_up_outlasts(optimizer, epochs, math.ceil(X.shape[0] / batch_size))
    run = Run(model, optimizer, X, target, batch_size, rng, corrupt, epochs)
    return fit(run, callbacks)


def corruption_name(corrupt) -> str | None:
    """The corruption a run applies, named well enough to tell two apart: its function's
    module and name, and a ``functools.partial``'s arguments."""
    if corrupt is None:
        return None
    arguments = ""
    if isinstance(corrupt, functools.partial):
        shown = [repr(a) for a in corrupt.args] + [
            f"{k}={v!r}" for k, v in sorted(corrupt.keywords.items())
        ]
        arguments = f"({', '.join(shown)})"
        corrupt = corrupt.func
    name = getattr(corrupt, "__qualname__", type(corrupt).__qualname__)
    return f"{getattr(corrupt, '__module__', '?')}.{name}{arguments}"


def warn_if_warm_up_outlasts(optimizer, epochs: int, batches: int) -> None:
    """Say so when the schedule's warm-up is longer than the run: the last update would
    use a fraction of the learning rate, and nothing else would tell."""
    schedule = getattr(optimizer, "schedule", None)
    updates = epochs * batches
    if isinstance(schedule, WarmUp) and schedule.steps > updates:
        warnings.warn(
            f"the learning-rate warm-up lasts {schedule.steps} updates, but this run makes "
            f"{updates} ({epochs} epoch(s) of {batches} batches): its last update uses "
            f"{updates / schedule.steps:.0%} of the rate. Shorten the warm-up or train longer",
            UserWarning,
            stacklevel=3,
        )


def fingerprint(
    model, optimizer, X, target, X_val, target_val, batch_size, keep_best, monitor, corrupt=None
) -> dict:
    """What a resumed run must share with the one that wrote the checkpoint: the model's
    settings (its layers, Dropout's rate, its loss, penalties and their weights, as its
    repr says), the data, the batch size, the optimizer and the corruption."""
    return {
        "corrupt": corruption_name(corrupt),
        "model": model_settings(model),
        "X": data_fingerprint(X),
        "target": None if target is None else data_fingerprint(target),
        "X_val": None if X_val is None else data_fingerprint(X_val),
        "target_val": None if target_val is None else data_fingerprint(target_val),
        "batch_size": batch_size,
        "optimizer": optimizer.hyperparameters(),
        "keep_best": bool(keep_best),
        "monitor": monitor,
    }
