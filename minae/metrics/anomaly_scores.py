"""Anomaly scores: how badly a model trained on normal data reconstructs each example.

An autoencoder trained on normal data only reconstructs normal examples well and others
badly (slides 003 and 004: "anomaly detection"), so each example's reconstruction error is
its anomaly score: the higher, the more anomalous. ``roc_auc`` (``minae.metrics``) then
says how well the score separates normal from anomalous examples.
"""

from __future__ import annotations

import numpy

from ..infrastructure.validation import check_batch, check_finite, check_positive_int
from ..models.encoder_decoder import EncoderDecoder
from ..training.evaluation import predict

SCORES = ("squared_error", "loss")


def squared_error_per_example(model, X):
    """||X̂ - X||² of each example, summed over its entries, (B,)."""
    residual = model.reconstruct(X) - X
    return (residual * residual).reshape(X.shape[0], -1).sum(axis=1)  # (B, ...) -> (B,)


def anomaly_scores(model, X, *, score: str = "squared_error", batch_size: int = 1000):
    """One score per example of X (B, *in_shape), a host float64 array (B,).

    ``score`` is one of:

    - ``"squared_error"``: ||X̂ - X||², summed over the example's entries;
    - ``"loss"``: the model's own loss per example, ``model.per_example_loss`` (its
      reconstruction loss, such as BCE summed over pixels; for a ``VAE`` the negative
      ELBO, reconstruction plus KL, taken at z = μ so that the score is deterministic).

    Computed ``batch_size`` examples at a time (``minae.predict``), keeping no output
    beyond a batch; penalties on the code or the weights are not part of either score.
    Slides 003 and 004, "anomaly detection"; lesson 13.

    Parameters
    ----------
    model : EncoderDecoder
        A trained minae model (``Autoencoder``, ``VAE``), trained on normal data.
    X : array (B, *in_shape)
        The examples to score.
    score : str
        ``"squared_error"`` or ``"loss"``, as above.
    batch_size : int
        How many examples go through the model at a time.
    """
    if not isinstance(model, EncoderDecoder):
        raise TypeError(f"anomaly_scores needs a minae model, got {type(model).__name__}")
    if score not in SCORES:
        raise ValueError(f"score must be one of {SCORES}, got {score!r}")
    batch_size = check_positive_int(batch_size, "batch_size")
    check_batch(X)
    check_finite(X)
    if score == "squared_error":
        scores = predict(
            lambda batch: squared_error_per_example(model, batch), X, batch_size=batch_size
        )
    else:
        scores = predict(model.per_example_loss, X, batch_size=batch_size)
    return scores.astype(numpy.float64)
