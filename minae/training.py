"""Minibatch training: shuffle, (corrupt,) forward, loss, backward, step; a history per epoch."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tqdm.auto import tqdm

from .backend import to_device
from .layers.linear import as_generator
from .models.model import Model
from .optim.optimizer import Optimizer
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
    """

    train: dict[str, list[float]] = field(default_factory=dict)
    val: dict[str, list[float]] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        return len(self.seconds)


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
    history = History()
    hidden = os.environ.get("TQDM_DISABLE", "").strip().lower() in ("1", "true", "yes")
    shown = {"disable": True} if hidden or not progress else {}
    bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", **shown)
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
        bar.set_postfix(total=f"{means['total']:.4g}")
    return history


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
