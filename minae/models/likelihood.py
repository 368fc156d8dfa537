"""log p(x) of a VAE, estimated by importance sampling with the encoder as the proposal.

A VAE's decoder defines p(x) = ∫ p(x|z) p(z) dz, which no one can integrate in closed
form; training maximises the ELBO, a lower bound. Importance sampling with q(z|x) as the
proposal (Burda, Grosse & Salakhutdinov 2016, "Importance Weighted Autoencoders", eq. 8)
gives, for k draws z_i ~ q(z|x),

    w_i = p(x|z_i) p(z_i) / q(z_i|x),        log p̂_k(x) = log (1/k) Σ_i w_i,

whose expectation L_k = E[log p̂_k(x)] rises with k, from L_1 = ELBO, towards log p(x)
(their Theorem 1). The mean of the log w_i is the ELBO itself (one draw each, averaged).

This is a likelihood only where p(x|z) is a density or a probability of x: a Bernoulli
decoder's on binary x, a Gaussian's with its variance stated. On grey-level images a
Bernoulli decoder's BCE is a reconstruction loss, not a log-probability, so the default
refuses x that is not 0 or 1. Lesson 09 estimates log p(x) of a VAE trained on binarised
MNIST with k up to 5,000; ``tests/test_likelihood.py`` checks the estimate against the
closed form of probabilistic PCA, a VAE whose log p(x) is known.
"""

from __future__ import annotations

import math

import numpy

from ..infrastructure.backend import array_module, to_device, to_host
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_array, check_finite, check_positive_int
from ..losses.bce import BCEWithLogits


def bernoulli_log_likelihood(logits, X):
    """log p(x|z) = Σ_j [x_j log σ(a_j) + (1 − x_j) log(1 − σ(a_j))], the negative BCE
    summed over pixels: logits a (k, N), binary x (k, N) -> (k,) (Kingma & Welling 2014,
    appendix C.1)."""
    return -BCEWithLogits().per_example(logits, X)


def importance_log_weights(vae, X, k: int, *, rng, log_likelihood=None):
    """log w_i = log p(x|z_i) + log p(z_i) − log q(z_i|x), z_i ~ q(z|x), for each row of X.

    The importance weights of Burda, Grosse & Salakhutdinov 2016 (eq. 8), with the
    encoder's q(z|x) as the proposal; lesson 09 estimates log p(x) from them.

    Parameters
    ----------
    vae : VAE
        The model: its encoder gives q(z|x) = N(μ, diag σ²), its decoder p(x|z).
    X : array (B, N)
        The examples.
    k : int
        Draws of z per example.
    rng : numpy.random.Generator or int
        Draws ε on the host (z_i = μ + σ ∘ ε_i), so one seed gives one estimate.
    log_likelihood : callable or None
        ``log_likelihood(output, X_rows)`` -> (k,): log p(x|z) from the decoder's output
        (k, N) for k copies of one example. None: the Bernoulli log-likelihood, for a VAE
        trained with ``BCEWithLogits`` on binary X (anything else is refused).

    Returns
    -------
    array (B, k), float64 on the host
        The log importance weights; ``iwae_bound`` turns them into log p̂_k(x), their mean
        over k is an estimate of the ELBO.
    """
    from .vae import VAE

    if not isinstance(vae, VAE):
        raise TypeError(f"vae must be a minae VAE, got {type(vae).__name__}")
    k = check_positive_int(k, "k")
    generator = as_generator(rng)
    if log_likelihood is not None and not callable(log_likelihood):
        raise TypeError(
            f"log_likelihood must be a function (output, X_rows) -> log p(x|z), "
            f"got {type(log_likelihood).__name__}"
        )
    vae._check_input(X, "X")
    check_finite(X, "X")
    if log_likelihood is None:
        if not isinstance(vae.reconstruction_loss, BCEWithLogits):
            raise ValueError(
                "without log_likelihood= the decoder is taken as Bernoulli, which needs a "
                f"VAE trained with BCEWithLogits; this one has {vae.reconstruction_loss!r}: "
                "pass log_likelihood(output, X_rows) -> log p(x|z)"
            )
        values = numpy.unique(to_host(X))
        if not set(values.tolist()) <= {0.0, 1.0}:
            raise ValueError(
                "a Bernoulli decoder gives a probability only to binary x (0 or 1); X has "
                f"other values ({values[(values != 0) & (values != 1)][:3]} ...): binarise "
                "it, or pass the log_likelihood of a decoder that is a density on X"
            )
        log_likelihood = bernoulli_log_likelihood
    xp = array_module()
    L = vae.latent_dim
    half_log_2pi = 0.5 * math.log(2 * math.pi)
    mu, logvar = vae.encode(X)  # (B, L) each
    weights = numpy.empty((X.shape[0], k))
    for b in range(X.shape[0]):
        eps = to_device(generator.standard_normal((k, L)), vae.dtype)  # (k, L)
        z = mu[b] + xp.exp(0.5 * logvar[b]) * eps  # (k, L), z_i ~ q(z|x_b)
        rows = xp.broadcast_to(X[b], (k, *X.shape[1:]))
        log_p_x_given_z = log_likelihood(vae.decoder.forward(z), rows)  # (k,)
        log_p_z = -0.5 * (z * z).sum(axis=1) - L * half_log_2pi  # N(0, I)
        log_q_z = -0.5 * (eps * eps + logvar[b]).sum(axis=1) - L * half_log_2pi  # N(μ, σ²)
        weights[b] = to_host(log_p_x_given_z + log_p_z - log_q_z)
    return weights


def iwae_bound(log_weights):
    """log p̂_k(x) = log (1/k) Σ_i w_i, the importance-weighted bound (Burda et al. 2016).

    Computed as m + log Σ_i exp(log w_i − m) − log k, with m each row's largest, so that
    weights of e^(−100) and less do not round to zero. Lesson 09 prints it for k up to
    5,000.

    Parameters
    ----------
    log_weights : array (B, k)
        log w_i for each example, as ``importance_log_weights`` gives them.

    Returns
    -------
    array (B,), float64
        log p̂_k(x) of each example.
    """
    check_array(log_weights, "log_weights", ndim=2, finite=False)
    log_weights = to_host(log_weights).astype(numpy.float64)
    if numpy.isnan(log_weights).any() or numpy.isposinf(log_weights).any():
        raise ValueError(
            "log_weights holds NaN or +inf: the bound of such a row would be too "
            "(a weight of 0 is a log weight of -inf, which is fine)"
        )
    top = log_weights.max(axis=1, keepdims=True)
    total = numpy.exp(log_weights - top).sum(axis=1)
    return top[:, 0] + numpy.log(total) - math.log(log_weights.shape[1])
