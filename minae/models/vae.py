"""The variational autoencoder: an encoder that outputs a distribution, sampled by a trick.

Conventions (stated once, tested in tests/test_vae.py):

- The encoder outputs 2L numbers per example: μ (the first L) and **log σ²** (the last L),
  the log-*variance*, never log σ or σ.
- Reparameterisation: z = μ + exp(½ log σ²) ∘ ε = μ + σ ∘ ε, with ε ~ N(0, I) drawn on the
  host from a Generator, or passed in (fixed ε makes the whole model gradient-checkable).
- Loss per example, averaged over the batch:
  R̂ = L(X̂, X) + KL(q(z|x) || N(0, I)), where L is summed over pixels (BCE for a
  Bernoulli decoder, squared error for a Gaussian one) and
  KL = -½ Σ_j (1 + log σ²_j - μ_j² - σ²_j), the closed form for two Gaussians.
- The sign: slides 003's L = E_q[log p(x|z)] - D_KL(q || p) is the evidence lower bound
  (ELBO), to maximise; R̂ is its negative, to minimise (-log p(x|z) is the BCE summed
  over pixels for a Bernoulli decoder). E_q is estimated from one sample of z per
  example and step; ``per_example_loss`` evaluates it at z = μ instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy

from ..infrastructure.backend import array_module, to_device
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_array, check_batch, check_finite, check_same_shape
from ..layers.layer import Layer
from ..losses.loss import Loss
from .encoder_decoder import EncoderDecoder
from .loss_terms import LossTerms


def gaussian_kl(mu, logvar) -> float:
    """KL(N(μ, σ²) || N(0, I)) = -½ Σ_j (1 + log σ²_j - μ_j² - σ²_j), averaged over the batch.

    The closed form for two Gaussians (Kingma & Welling 2014, appendix B), the D_KL(q ‖ p)
    of slides 003's VAE loss; lesson 09 derives it and checks it by Monte Carlo.

    Parameters
    ----------
    mu, logvar : arrays of shape (B, L)
        μ and log σ² of q(z|x) for each example.

    Returns
    -------
    float
        (1/B) Σ_b KL_b.
    """
    _check_code_arrays(mu=mu, logvar=logvar)
    xp = array_module()
    per_entry = 1.0 + logvar - mu * mu - xp.exp(logvar)
    return -0.5 * float(per_entry.sum()) / mu.shape[0]


def _check_code_arrays(**arrays) -> None:
    """Each array (B, L) of floats, shaped like the first; non-finite values pass (a
    diverging run's NaN is the training loop's guard's to catch)."""
    first_name, first = next(iter(arrays.items()))
    for name, array in arrays.items():
        like = None if array is first else first
        check_array(array, name, ndim=2, finite=False, like=like, like_name=f"{first_name}'s")


def gaussian_kl_per_example(mu, logvar):
    """KL(N(μ, σ²) || N(0, I)) of each example, (B,): -½ Σ_j (1 + log σ²_j - μ_j² - σ²_j)."""
    xp = array_module()
    return -0.5 * (1.0 + logvar - mu * mu - xp.exp(logvar)).sum(axis=1)  # (B, L) -> (B,)


def gaussian_kl_grad(mu, logvar):
    """(∂KL/∂μ, ∂KL/∂log σ²) = (μ / B, ½ (σ² - 1) / B), each (B, L).

    The gradient of ``gaussian_kl`` (slides 003's D_KL(q ‖ p); Kingma & Welling 2014),
    derived in lesson 09.

    Parameters
    ----------
    mu, logvar : arrays of shape (B, L)
        μ and log σ².

    Returns
    -------
    d_mu, d_logvar : arrays of shape (B, L)
    """
    _check_code_arrays(mu=mu, logvar=logvar)
    xp = array_module()
    B = mu.shape[0]
    return mu / B, 0.5 * (xp.exp(logvar) - 1.0) / B


def reparameterisation_backward(dZ, eps, logvar):
    """(∂R̂/∂μ, ∂R̂/∂log σ²) through z = μ + exp(½ log σ²) ∘ ε, given dZ = ∂R̂/∂z (B, L):
    ∂z/∂μ = 1 and ∂z/∂log σ² = ½ σ ∘ ε, so (dZ, dZ ∘ ε ∘ ½ σ), each (B, L).

    The reparameterisation trick (Kingma & Welling 2014; slides 002, "VAE outputs a
    distribution"), whose derivatives lesson 09 works out.

    Parameters
    ----------
    dZ : array (B, L)
        ∂R̂/∂z, back-propagated from the decoder.
    eps : array (B, L)
        The ε that drew z.
    logvar : array (B, L)
        log σ².

    Returns
    -------
    d_mu, d_logvar : arrays of shape (B, L)
        The path through z only; ``VAE.backward`` adds the KL's own gradient.
    """
    _check_code_arrays(dZ=dZ, eps=eps, logvar=logvar)
    std = array_module().exp(0.5 * logvar)  # σ = exp(½ log σ²)
    return dZ, dZ * eps * 0.5 * std


@dataclass(frozen=True)
class VAEGradients:
    """What ``VAE.backward`` returns; parameter gradients are in each ``Parameter.grad``.

    Lesson 09 checks each against central differences (slides 003's VAE loss; Kingma &
    Welling 2014).

    Attributes
    ----------
    dZ : array (B, L)
        ∂R̂/∂z from the decoder.
    d_mu, d_logvar : arrays (B, L)
        ∂R̂/∂μ and ∂R̂/∂log σ², each the path through z plus the KL's own term.
    dX : array shaped like X, or None
        ∂R̂/∂X; None after ``backward(input_grad=False)``.
    """

    dZ: object
    d_mu: object
    d_logvar: object
    dX: object


class VAE(EncoderDecoder):
    """A variational autoencoder (Kingma & Welling 2014).

    Slides 002's "VAE outputs a distribution" and slides 003's VAE loss, with the conventions
    above (μ and log σ², the reparameterisation, R̂ = L + KL per example); lesson 09.
    ``sample_z = False`` makes forward use z = μ (no noise), e.g. for evaluation.

    Parameters
    ----------
    encoder : Layer
        Mapping X (B, N) to (μ, log σ²) side by side, (B, 2L).
    decoder : Layer
        Mapping z (B, L) to the output the loss reads.
    loss : Loss
        ``BCEWithLogits()`` (Bernoulli decoder, outputs are logits) or ``MSE()``
        (Gaussian decoder with unit variance, up to constants and a factor ½).
    rng : numpy.random.Generator or int
        Draws ε when ``forward`` is not given one.
    """

    def __init__(self, encoder: Layer, decoder: Layer, loss: Loss, *, rng):
        super().__init__(encoder, decoder)
        if not isinstance(loss, Loss):
            raise TypeError(f"loss must be a minae Loss, got {type(loss).__name__}")
        code, decoder_in = self.code_shape, decoder.in_shape
        if code is None or decoder_in is None or len(code) != 1 or len(decoder_in) != 1:
            raise ValueError(
                "the VAE needs an encoder that gives vectors (B, 2L) and a decoder that takes "
                f"vectors (B, L); got shapes {code} and {decoder_in}"
            )
        if code[0] != 2 * decoder_in[0]:
            raise ValueError(
                f"the encoder gives {code[0]} numbers but (μ, log σ²) for a decoder "
                f"taking {decoder_in[0]} needs {2 * decoder_in[0]}"
            )
        self.reconstruction_loss = loss
        self.latent_dim = decoder_in[0]
        self.rng = as_generator(rng)
        self.sample_z = True
        self._cache: dict[str, object] = {}

    def generators(self) -> dict:
        return {"rng": self.rng}

    def __repr__(self) -> str:
        return (
            f"VAE(encoder={self.encoder!r}, decoder={self.decoder!r}, "
            f"loss={self.reconstruction_loss!r})"
        )

    # -- forward ---------------------------------------------------------------------

    def encode(self, X):
        """(μ, log σ²) of q(z|x), each (B, L)."""
        self._check_input(X, "X")
        H = self.encoder.forward(X)  # (B, 2L)
        return H[:, : self.latent_dim], H[:, self.latent_dim :]

    def decode(self, Z):
        """X̂ for codes Z (B, L): probabilities for a Bernoulli decoder."""
        self._check_code(Z, "Z")
        return self.reconstruction_loss.reconstruction(self.decoder.forward(Z))

    def sample_prior(self, n: int, rng):
        """n images decoded from z ~ N(0, I), (n, N): generation (slides 004, "Autoencoders
        as Generative Models"). ``rng`` (Generator or int) draws z on the host."""
        eps = as_generator(rng).standard_normal((n, self.latent_dim))
        return self.decode(to_device(eps, self.dtype))

    def forward(self, X, eps=None):
        """z = μ + exp(½ log σ²) ∘ ε, then the decoder's output (logits for BCEWithLogits).

        ε (B, L) is drawn from ``rng`` unless given; with ``sample_z = False``, ε = 0.
        A given ε must be finite, of the model's dtype, shaped like μ.
        """
        mu, logvar = self.encode(X)
        if eps is None:
            shape = (X.shape[0], self.latent_dim)
            draw = self.rng.standard_normal(shape) if self.sample_z else numpy.zeros(shape)
            eps = to_device(draw, self.dtype)
        else:
            check_batch(eps, "eps", dtype=self.dtype)
            check_same_shape(eps, mu, "eps", "mu")
            check_finite(eps, "eps")
        std = array_module().exp(0.5 * logvar)  # σ = exp(½ log σ²)
        Z = mu + std * eps
        output = self.decoder.forward(Z)
        self._cache = {"mu": mu, "logvar": logvar, "std": std, "eps": eps, "output": output}
        return output

    def reconstruct(self, X):
        """X̂ (B, N) for X (B, N) from z = μ (no sampling)."""
        mu, _ = self.encode(X)
        return self.decode(mu)

    def loss(self, target) -> LossTerms:
        """Reconstruction (summed over pixels) and KL, per example, for the last forward,
        against ``target`` (B, N)."""
        if "output" not in self._cache:
            raise RuntimeError("VAE.loss called before forward")
        self._check_target(target)
        self._cache["target"] = target
        output = self._cache["output"]
        reconstruction = self.reconstruction_loss.value(output, target)
        kl = gaussian_kl(self._cache["mu"], self._cache["logvar"])
        squared = self.reconstruction_loss.squared_error(output, target, reconstruction)
        return LossTerms({"reconstruction": reconstruction, "kl": kl}, {}, squared)

    def per_example_loss(self, X, target=None):
        """The negative ELBO of each example, (B,), at z = μ (no sampling, so the value is
        deterministic): L(X̂(μ), X) + KL(q(z|x) || N(0, I)). Anomaly scores read it."""
        target = X if target is None else target
        mu, logvar = self.encode(X)
        output = self.decoder.forward(mu)
        return self.reconstruction_loss.per_example(output, target) + gaussian_kl_per_example(
            mu, logvar
        )

    # -- backward --------------------------------------------------------------------

    def backward(self, input_grad: bool = True) -> VAEGradients:
        """Back-propagate R̂ through decoder, the reparameterisation and encoder.

        With ``input_grad=False`` the gradient with respect to X is not computed (None)."""
        if "target" not in self._cache:
            raise RuntimeError("VAE.backward called before loss(target)")
        c = self._cache
        xp = array_module()
        d_output = self.reconstruction_loss.grad(c["output"], c["target"])
        dZ = self.decoder.backward(d_output)  # ∂R̂/∂z
        kl_mu, kl_logvar = gaussian_kl_grad(c["mu"], c["logvar"])
        through_z = reparameterisation_backward(dZ, c["eps"], c["logvar"])  # ∂z/∂μ, ∂z/∂log σ²
        d_mu = through_z[0] + kl_mu
        d_logvar = through_z[1] + kl_logvar
        dX = self.encoder.backward(xp.concatenate([d_mu, d_logvar], axis=1), input_grad)  # (B, 2L)
        return VAEGradients(dZ=dZ, d_mu=d_mu, d_logvar=d_logvar, dX=dX)
