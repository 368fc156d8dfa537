"""Running a trained model over many examples, a batch at a time: losses and outputs."""

from __future__ import annotations

import numpy

from ..infrastructure.backend import to_device, to_host
from ..infrastructure.validation import check_batch, check_finite, check_positive_int
from ..models.model import Model


def checked_pair(model: Model, X, target, name: str = "X", target_name: str = "target"):
    """X and its target on the device, checked against the model. A target of None stays
    None: it says the model reconstructs its input, and every batch's target is then the
    batch itself (stated, never guessed from which array is which)."""
    X = to_device(X)
    check_batch(X, name, model.in_shape, model.dtype)
    check_finite(X, name)
    if target is None:
        return X, None
    target = to_device(target)
    check_batch(target, target_name, dtype=model.dtype)
    check_finite(target, target_name)
    if target.shape[0] != X.shape[0]:
        raise ValueError(
            f"{name} has {X.shape[0]} examples but {target_name} has {target.shape[0]}"
        )
    return X, target


def batch_terms(model: Model, target) -> dict[str, float]:
    """Loss terms of the last forward, each times the batch size (to average over examples)."""
    terms = model.loss(target).as_dict()
    return {k: v * target.shape[0] for k, v in terms.items()}


def accumulate(sums: dict[str, float], terms: dict[str, float]) -> None:
    for k, v in terms.items():
        sums[k] = sums.get(k, 0.0) + v


def evaluate(model: Model, X, target=None, *, batch_size: int = 1024) -> dict[str, float]:
    """Every loss term, and the squared error, averaged over all examples of X (no update).

    The test errors lessons 02, 06 and 08 report, among them the squared error per image
    of Hinton & Salakhutdinov (2006).

    Parameters
    ----------
    model : Model
        A model, trained or not.
    X : array (B, *in_shape)
        Inputs.
    target : array (B, ...), optional
        Targets; X when None.
    batch_size : int
        Examples per forward (default 1024).

    Returns
    -------
    dict of str to float
        Each term of ``LossTerms.as_dict()``, averaged over the B examples.
    """
    if not isinstance(model, Model):
        raise TypeError(f"model must be a minae Model, got {type(model).__name__}")
    batch_size = check_positive_int(batch_size, "batch_size")
    X, target = checked_pair(model, X, target)
    sums: dict[str, float] = {}
    for lo in range(0, X.shape[0], batch_size):
        X_batch = X[lo : lo + batch_size]
        model.forward(X_batch)
        accumulate(
            sums, batch_terms(model, X_batch if target is None else target[lo : lo + batch_size])
        )
    return {k: v / X.shape[0] for k, v in sums.items()}


def predict(fn, X, *, batch_size: int = 1000):
    """``fn`` applied to X (B, ...) ``batch_size`` examples at a time, the results joined
    along the batch axis into one host array (B, ...).

    ``fn`` is any function of a batch: ``model.reconstruct`` for X̂, ``model.encode`` for
    the codes, ``model.per_example_loss`` for anomaly scores. At most one batch's
    activations are alive at a time, so 10,000 test images do not hold gigabytes.
    Lessons 04 to 14 read codes and reconstructions through it (slides 004's "PCA vs
    Autoencoders" codes, lesson 04).

    Parameters
    ----------
    fn : callable
        A function of a batch (b, ...) returning an array whose first axis is b.
    X : array (B, ...)
        The examples, host or device.
    batch_size : int
        Examples per call (default 1000).

    Returns
    -------
    numpy.ndarray (B, ...)
        On the host.
    """
    batch_size = check_positive_int(batch_size, "batch_size")
    if not callable(fn):
        raise TypeError(f"fn must be a function of a batch, got {type(fn).__name__}")
    check_batch(X)
    parts = []
    for lo in range(0, X.shape[0], batch_size):
        batch = X[lo : lo + batch_size]
        out = fn(to_device(batch))
        if getattr(out, "ndim", 0) < 1 or out.shape[0] != batch.shape[0]:
            raise ValueError(
                f"predict joins the outputs along the batch axis, but fn gave "
                f"{type(out).__name__} of shape {getattr(out, 'shape', ())} for a batch of "
                f"{batch.shape[0]}: fn must return one row per example (a per-batch number "
                "belongs in evaluate)"
            )
        parts.append(to_host(out))
    return numpy.concatenate(parts)
