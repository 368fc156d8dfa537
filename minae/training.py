"""Minibatch training: shuffle, (corrupt,) forward, loss, backward, step; a history per epoch."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm.auto import tqdm

from .backend import to_device
from .checkpoint import RunState, data_fingerprint, load_checkpoint, save_checkpoint
from .models.model import Model
from .optim.optimizer import Optimizer
from .random_numbers import as_generator
from .validation import check_batch, check_finite, check_positive_int, check_same_shape

LONG_EPOCH = 100  # batches from which an epoch gets a progress bar of its own


class NonFiniteLossError(FloatingPointError):
    """Training met a NaN or infinite loss, or parameters that turned NaN or infinite.

    The model is left with finite parameters: those that produced the loss when they are
    finite, else the last finite ones (those at the start of the epoch); the message says
    which.
    """

    def __init__(self, epoch: int, batch: int, terms: dict[str, float], restored: str):
        self.epoch, self.batch, self.terms = epoch, batch, terms
        if terms:
            shown = ", ".join(f"{k}={v:.4g}" for k, v in terms.items())
            what = f"non-finite loss at epoch {epoch}, batch {batch} ({shown})"
        else:
            what = f"the parameters turned non-finite in epoch {epoch} (by batch {batch})"
        super().__init__(
            f"{what}; {restored}. "
            "Try a smaller learning rate, or check the data and the loss's input range"
        )


@dataclass
class History:
    """Per-epoch means of every loss term, on the training data and on validation data.

    Keys: those of the model's ``LossTerms.as_dict()``: ``reconstruction``, each penalty
    by its name (``sparsity``, ``weight_decay``, ``contractive`` for an autoencoder;
    ``kl`` for the VAE), ``total``, and ``squared_error``: ||X̂ - X||² summed over an
    example's entries and averaged over examples, the figure minae reports whatever the
    training loss (Hinton & Salakhutdinov 2006).


    ``best_epoch`` is the epoch whose parameters a run with ``keep_best`` ended with, and
    ``stopped_early`` says whether ``patience`` or the callback ended it before ``epochs``.
    """

    train: dict[str, list[float]] = field(default_factory=dict)
    val: dict[str, list[float]] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        return len(self.seconds)

    def as_dict(self) -> dict:
        """Plain lists and numbers (JSON), for a checkpoint."""
        return {"train": self.train, "val": self.val, "seconds": self.seconds,
                "best_epoch": self.best_epoch, "stopped_early": self.stopped_early}  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict) -> History:
        return cls(
            train={k: list(v) for k, v in d["train"].items()},
            val={k: list(v) for k, v in d["val"].items()},
            seconds=list(d["seconds"]),
            best_epoch=d["best_epoch"],
            stopped_early=bool(d["stopped_early"]),
        )


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

    ``progress`` shows a bar per epoch with the loss, and one per batch, with the running
    loss, when an epoch has ``LONG_EPOCH`` batches or more (hide both with
    ``progress=False`` or the environment variable ``TQDM_DISABLE=1``).
    ``target`` defaults to X. ``corrupt(X_batch, rng) -> X̃_batch``, when given, is
    applied to each batch's input only, so the model learns X̃ → X (denoising). The
    Generator ``rng`` (or int seed) drives the shuffling and the corruption: the same seed
    gives the same parameters, bit for bit. Raises ``NonFiniteLossError`` on a NaN or
    infinite loss, or when a step leaves a parameter NaN or infinite (checked after every
    epoch's last step), leaving the model with finite parameters.

    Judged on validation data (``X_val``), by the mean of the loss term ``monitor``
    (``"total"``, ``"squared_error"``, ...; lower is better):

    - ``keep_best=True`` ends the run with the parameters of its best epoch
      (``history.best_epoch``), not its last;
    - ``patience=k`` stops once k epochs in a row have not improved on the best.

    ``callback(epoch, history)``, when given, is called after each epoch (and its
    validation); a true return value stops the run there, as ``patience`` does.

    ``checkpoint=path`` writes the whole run to ``path`` after every epoch, atomically
    (see ``minae/checkpoint.py``), and, when ``path`` exists, resumes from it: parameters,
    optimizer state, the epoch reached, the state of ``rng`` (set in place) and of the
    model's Generators, the history and the best parameters so far. An interrupted run
    started again with the same arguments ends with the same bits as one never
    interrupted. A checkpoint written with other data, batch size or optimizer settings is
    refused; one that already ran ``epochs`` epochs (or stopped early) is not trained
    further, and the history it holds is returned.
    """
    if not isinstance(model, Model):
        raise TypeError(
            f"train needs a minae Model (forward, loss, backward, parameters), "
            f"got {type(model).__name__}"
        )
    if not optimizer.parameters_finite():
        raise ValueError("the parameters hold NaN or inf before training; rebuild the model")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    rng = as_generator(rng)
    X, target = _checked_pair(model, X, target, "X", "target")
    if X_val is not None:
        X_val, target_val = _checked_pair(model, X_val, target_val, "X_val", "target_val")
    judged = keep_best or patience is not None
    if judged and X_val is None:
        raise ValueError("keep_best and patience judge epochs on validation data: pass X_val")
    if patience is not None:
        patience = check_positive_int(patience, "patience")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got {type(callback).__name__}")
    run = RunState(epoch=0, history={}, fingerprint={}, best_info={})
    if checkpoint is not None:
        checkpoint = Path(checkpoint)
        run.fingerprint = _fingerprint(optimizer, X, target, X_val, target_val, batch_size,
                                       keep_best, monitor)  # fmt: skip
        if checkpoint.exists():
            run = load_checkpoint(checkpoint, model, optimizer, rng, run.fingerprint)
    history = History.from_dict(run.history) if run.history else History()
    if run.epoch > epochs:
        raise ValueError(
            f"the checkpoint {checkpoint} has already run {run.epoch} epochs, more than "
            f"epochs={epochs}"
        )
    best = run.best
    best_value = run.best_info.get("value", math.inf)
    since_best = run.best_info.get("since", 0)
    hidden = os.environ.get("TQDM_DISABLE", "").strip().lower() in ("1", "true", "yes")
    shown = {"disable": True} if hidden or not progress else {}
    first = epochs + 1 if history.stopped_early else run.epoch + 1
    bar = tqdm(range(first, epochs + 1), desc="training", unit="epoch", initial=first - 1,
               total=epochs, **shown)  # fmt: skip
    batches = -(-X.shape[0] // batch_size)
    for epoch in bar:
        start = time.perf_counter()
        # an inner bar per batch, with the running loss, where an epoch is long
        inner = tqdm(total=batches, desc=f"epoch {epoch}", unit="batch", leave=False,
                     **(shown if batches >= LONG_EPOCH else {"disable": True}))  # fmt: skip
        with inner:
            means = _train_epoch(
                model, optimizer, X, target, batch_size, rng, corrupt, epoch, inner
            )
        history.seconds.append(time.perf_counter() - start)
        _append(history.train, means)
        if X_val is not None:
            _append(history.val, evaluate(model, X_val, target_val, batch_size=batch_size))
        if judged:
            value = _monitored(history, monitor)
            if value < best_value:  # a NaN is never better
                best_value, since_best, history.best_epoch = value, 0, epoch
                best = optimizer.snapshot() if keep_best else None
            else:
                since_best += 1
        stop = patience is not None and since_best >= patience
        if callback is not None and callback(epoch, history):
            stop = True
        history.stopped_early = stop and epoch < epochs
        if checkpoint is not None:
            run = RunState(epoch, history.as_dict(), run.fingerprint, best,
                           {"value": best_value, "since": since_best})  # fmt: skip
            save_checkpoint(checkpoint, model, optimizer, rng, run)
        bar.set_postfix(total=f"{means['total']:.4g}")
        if stop:
            break
    if keep_best and best is not None:
        optimizer.restore(best)  # the parameters of history.best_epoch
    return history


def _monitored(history: History, monitor: str) -> float:
    if monitor not in history.val:
        raise ValueError(
            f"monitor {monitor!r} is not a loss term; the terms are {sorted(history.val)}"
        )
    return history.val[monitor][-1]


def _fingerprint(optimizer, X, target, X_val, target_val, batch_size, keep_best, monitor) -> dict:
    """What a resumed run must share with the one that wrote the checkpoint."""
    return {
        "X": data_fingerprint(X),
        "target": None if target is X else data_fingerprint(target),
        "X_val": None if X_val is None else data_fingerprint(X_val),
        "target_val": None if target_val is X_val else data_fingerprint(target_val),
        "batch_size": batch_size,
        "optimizer": optimizer.hyperparameters(),
        "keep_best": bool(keep_best),
        "monitor": monitor,
    }


def evaluate(model: Model, X, target=None, *, batch_size: int = 1024) -> dict[str, float]:
    """Every loss term, and the squared error, averaged over all examples of X (no update)."""
    batch_size = check_positive_int(batch_size, "batch_size")
    X, target = _checked_pair(model, X, target, "X", "target")
    sums: dict[str, float] = {}
    for lo in range(0, X.shape[0], batch_size):
        model.forward(X[lo : lo + batch_size])
        _accumulate(sums, _batch_terms(model, target[lo : lo + batch_size]))
    return {k: v / X.shape[0] for k, v in sums.items()}


def _train_epoch(model, optimizer, X, target, batch_size, rng, corrupt, epoch, bar):
    order = to_device(rng.permutation(X.shape[0]))
    snapshot = optimizer.snapshot()  # finite: checked before training and after each epoch
    sums: dict[str, float] = {}
    batch = 0
    for batch, lo in enumerate(range(0, X.shape[0], batch_size), start=1):
        idx = order[lo : lo + batch_size]
        X_batch = X[idx]
        target_batch = X_batch if target is X else target[idx]
        if corrupt is not None:
            X_batch = _corrupted(corrupt, X_batch, rng)
        optimizer.zero_grad()
        model.forward(X_batch)
        terms = _batch_terms(model, target_batch)
        if not math.isfinite(terms["total"]):
            raise NonFiniteLossError(epoch, batch, terms, _keep_finite(optimizer, snapshot))
        model.backward(input_grad=False)  # nothing needs ∂R̂/∂X when training
        optimizer.step()
        _accumulate(sums, terms)
        if not bar.disable:
            bar.update()
            if batch % 20 == 0:
                bar.set_postfix(total=f"{sums['total'] / min(lo + batch_size, X.shape[0]):.4g}")
    if not optimizer.parameters_finite():  # the last step is checked here, not by a loss
        raise NonFiniteLossError(epoch, batch, {}, _keep_finite(optimizer, snapshot))
    return {k: v / X.shape[0] for k, v in sums.items()}


def _batch_terms(model: Model, target) -> dict[str, float]:
    """Loss terms of the last forward, each times the batch size (to average over examples)."""
    terms = model.loss(target).as_dict()
    return {k: v * target.shape[0] for k, v in terms.items()}


def _keep_finite(optimizer: Optimizer, snapshot) -> str:
    if optimizer.parameters_finite():
        return "the parameters that produced it are finite and were kept"
    optimizer.restore(snapshot)
    return "the parameters had turned non-finite and were restored to the start of the epoch"


def _corrupted(corrupt: Callable, X_batch, rng):
    X_tilde = corrupt(X_batch, rng)
    check_same_shape(X_tilde, X_batch, "corrupt(X_batch)", "X_batch")
    return X_tilde


def _checked_pair(model: Model, X, target, name: str, target_name: str):
    X = to_device(X)
    check_batch(X, name, model.in_shape, model.dtype)
    check_finite(X, name)
    if target is None:
        return X, X
    target = to_device(target)
    check_batch(target, target_name, dtype=model.dtype)
    check_finite(target, target_name)
    if target.shape[0] != X.shape[0]:
        raise ValueError(
            f"{name} has {X.shape[0]} examples but {target_name} has {target.shape[0]}"
        )
    return X, target


def _accumulate(sums: dict[str, float], terms: dict[str, float]) -> None:
    for k, v in terms.items():
        sums[k] = sums.get(k, 0.0) + v


def _append(log: dict[str, list[float]], means: dict[str, float]) -> None:
    for k, v in means.items():
        log.setdefault(k, []).append(v)
