"""Anomaly scores: how badly a model trained on normal data reconstructs each example.

An autoencoder trained on normal data only reconstructs normal examples well and others
badly (seeds 003 and 004: "anomaly detection"), so each example's reconstruction error is
its anomaly score: the higher, the more anomalous. ``roc_auc`` (``minae.metrics``) then
says how well the score separates normal from anomalous examples.
"""

from __future__ import annotations

import numpy

from .backend import array_module, to_host
from .models.encoder_decoder import EncoderDecoder
from .models.vae import VAE
from .validation import check_batch, check_finite, check_positive_int

SCORES = ("squared_error", "loss")


def _vae_negative_elbo(model: VAE, X):
    """-ELBO per example with z = μ: L(X̂(μ), X) + KL(q(z|x) || N(0, I)), (B,)."""
    mu, logvar = model.encode(X)
    output = model.decoder.forward(mu)
    kl = -0.5 * (1.0 + logvar - mu * mu - array_module().exp(logvar)).sum(axis=1)  # (B,)
    return model.reconstruction_loss.per_example(output, X) + kl


def anomaly_scores(model, X, *, score: str = "squared_error", batch_size: int = 1000):
    """One score per example of X (B, *in_shape), a host float64 array (B,).

    ``score``:
    - ``"squared_error"``: ||X̂ - X||², summed over the example's entries;
    - ``"loss"``: the model's own training loss per example (its reconstruction loss, such
      as BCE summed over pixels; for a ``VAE`` the negative ELBO, reconstruction plus KL,
      taken at z = μ so that the score is deterministic).

    Computed ``batch_size`` examples at a time, keeping no output beyond a batch; penalties
    on the code or the weights are not part of either score.
    """
    if not isinstance(model, EncoderDecoder):
        raise TypeError(f"anomaly_scores needs a minae model, got {type(model).__name__}")
    if score not in SCORES:
        raise ValueError(f"score must be one of {SCORES}, got {score!r}")
    batch_size = check_positive_int(batch_size, "batch_size")
    check_batch(X)
    check_finite(X)
    parts = []
    for lo in range(0, X.shape[0], batch_size):
        batch = X[lo : lo + batch_size]
        if score == "squared_error":
            residual = model.reconstruct(batch) - batch
            values = (residual * residual).reshape(batch.shape[0], -1).sum(axis=1)  # (b,)
        elif isinstance(model, VAE):
            values = _vae_negative_elbo(model, batch)
        else:
            values = model.reconstruction_loss.per_example(model.forward(batch), batch)
        parts.append(to_host(values).astype(numpy.float64))
    return numpy.concatenate(parts)
