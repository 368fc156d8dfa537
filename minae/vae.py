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
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy

from .backend import array_module, to_device
from .encoder_decoder import EncoderDecoder
from .layers.layer import Layer
from .layers.linear import as_generator
from .losses.loss import Loss
from .validation import check_batch, check_finite, check_same_shape


def gaussian_kl(mu, logvar) -> float:
    """KL(N(μ, σ²) || N(0, I)) = -½ Σ_j (1 + log σ²_j - μ_j² - σ²_j), averaged over the batch."""
    xp = array_module()
    per_entry = 1.0 + logvar - mu * mu - xp.exp(logvar)
    return -0.5 * float(per_entry.sum()) / mu.shape[0]


def gaussian_kl_grad(mu, logvar):
    """(∂KL/∂μ, ∂KL/∂log σ²) = (μ / B, ½ (σ² - 1) / B), each (B, L)."""
    xp = array_module()
    B = mu.shape[0]
    return mu / B, 0.5 * (xp.exp(logvar) - 1.0) / B


@dataclass(frozen=True)
class VAELossTerms:
    """R̂ = reconstruction + kl, each per example (summed over pixels or latent units)."""

    reconstruction: float
    kl: float
    total: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class VAEGradients:
    """What ``VAE.backward`` returns; parameter gradients are in each ``Parameter.grad``.

    Z : ∂R̂/∂z from the decoder, (B, L). mu, logvar : ∂R̂/∂μ and ∂R̂/∂log σ², (B, L),
    each the path through z plus the KL's own term. X : ∂R̂/∂X, (B, N), or None after
    ``backward(input_grad=False)``.
    """

    Z: object
    mu: object
    logvar: object
    X: object


class VAE(EncoderDecoder):
    """A variational autoencoder (Kingma & Welling 2014).

    Parameters
    ----------
    encoder : Layer mapping X (B, N) to (μ, log σ²) side by side, (B, 2L).
    decoder : Layer mapping z (B, L) to the output the loss reads.
    loss : ``BCEWithLogits()`` (Bernoulli decoder, outputs are logits) or ``MSE()``
        (Gaussian decoder with unit variance, up to constants and a factor ½).
    rng : Generator or int seed that draws ε when ``forward`` is not given one.

    ``sample_z = False`` makes forward use z = μ (no noise), e.g. for evaluation.
    """

    def __init__(self, encoder: Layer, decoder: Layer, loss: Loss, *, rng):
        if not isinstance(loss, Loss):
            raise TypeError(f"loss must be a minae Loss, got {type(loss).__name__}")
        if encoder.n_out is None or decoder.n_in is None:
            raise ValueError("the VAE needs an encoder and a decoder with known widths")
        if encoder.n_out != 2 * decoder.n_in:
            raise ValueError(
                f"the encoder gives {encoder.n_out} numbers but (μ, log σ²) for a decoder "
                f"taking {decoder.n_in} needs {2 * decoder.n_in}"
            )
        self.encoder, self.decoder = encoder, decoder
        self.reconstruction_loss = loss
        self.latent_dim = decoder.n_in
        self.rng = as_generator(rng)
        self.sample_z = True
        self._cache: dict[str, object] = {}

    # -- forward ---------------------------------------------------------------------

    def encode(self, X):
        """(μ, log σ²) of q(z|x), each (B, L)."""
        check_batch(X, "X", self.encoder.n_in, self.dtype)
        check_finite(X, "X")
        H = self.encoder.forward(X)  # (B, 2L)
        return H[:, : self.latent_dim], H[:, self.latent_dim :]

    def decode(self, Z):
        """X̂ for codes Z (B, L): probabilities for a Bernoulli decoder."""
        check_batch(Z, "Z", self.latent_dim, self.dtype)
        return self.reconstruction_loss.reconstruction(self.decoder.forward(Z))

    def sample_prior(self, n: int, rng):
        """n images decoded from z ~ N(0, I): generation."""
        eps = as_generator(rng).standard_normal((n, self.latent_dim))
        return self.decode(to_device(eps, self.dtype))

    def forward(self, X, eps=None):
        """z = μ + exp(½ log σ²) ∘ ε, then the decoder's output (logits for BCEWithLogits).

        ε (B, L) is drawn from ``rng`` unless given; with ``sample_z = False``, ε = 0.
        """
        mu, logvar = self.encode(X)
        if eps is None:
            shape = (X.shape[0], self.latent_dim)
            draw = self.rng.standard_normal(shape) if self.sample_z else numpy.zeros(shape)
            eps = to_device(draw, self.dtype)
        check_same_shape(eps, mu, "eps", "mu")
        std = array_module().exp(0.5 * logvar)  # σ = exp(½ log σ²)
        Z = mu + std * eps
        output = self.decoder.forward(Z)
        self._cache = {"mu": mu, "logvar": logvar, "std": std, "eps": eps, "output": output}
        return output

    def reconstruct(self, X):
        """X̂ from z = μ (no sampling)."""
        mu, _ = self.encode(X)
        return self.decode(mu)

    def loss(self, target) -> VAELossTerms:
        """Reconstruction (summed over pixels) and KL, per example, for the last forward."""
        if "output" not in self._cache:
            raise RuntimeError("VAE.loss called before forward")
        check_batch(target, "target", dtype=self.dtype)
        self._cache["target"] = target
        reconstruction = self.reconstruction_loss.value(self._cache["output"], target)
        kl = gaussian_kl(self._cache["mu"], self._cache["logvar"])
        return VAELossTerms(reconstruction, kl, reconstruction + kl)

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
        d_mu = dZ + kl_mu  # ∂z/∂μ = 1
        d_logvar = dZ * c["eps"] * 0.5 * c["std"] + kl_logvar  # ∂z/∂log σ² = ½ σ ε
        dX = self.encoder.backward(xp.concatenate([d_mu, d_logvar], axis=1), input_grad)  # (B, 2L)
        return VAEGradients(Z=dZ, mu=d_mu, logvar=d_logvar, X=dX)
