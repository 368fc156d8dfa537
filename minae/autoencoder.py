"""The autoencoder: X → encoder → Z → decoder → X̂, trained on R̂ = L(X̂, X) + λ S(Z).

Seed 001 ("Training Sparse AEs") writes the gradient at the bottleneck as

    ∇_Z R̂ = ∇_X̂ R̂ ∘ ∇_Z X̂ + λ ∇_Z S(Z)
            (back-propagated from the decoder) + (from the penalty)

and ``Autoencoder.backward`` computes exactly these two terms, adds them, and hands the
sum to the encoder's backward. Both terms are returned, so lessons can show them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .encoder_decoder import EncoderDecoder
from .layers.layer import Layer
from .losses.loss import Loss
from .penalties.penalty import Penalty
from .penalties.weight_decay import WeightDecay
from .validation import check_batch, check_finite, check_non_negative


@dataclass(frozen=True)
class LossTerms:
    """Every term of R̂ = L(X̂, X) + λ S(Z) + (β/2) Σ ||W||², each per example.

    ``sparsity`` is S(Z) itself (0 without a penalty); ``total`` weights it by λ.
    """

    reconstruction: float
    sparsity: float
    weight_decay: float
    total: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class Gradients:
    """What ``Autoencoder.backward`` returns; parameter gradients are in each ``Parameter.grad``.

    Z_decoder : ∇_X̂ R̂ ∘ ∇_Z X̂, the gradient back-propagated from the decoder, (B, L).
    Z_penalty : λ ∇_Z S(Z), the penalty's gradient, (B, L) (zeros without a penalty).
    Z : ∇_Z R̂ = Z_decoder + Z_penalty, (B, L).
    X : ∇_X R̂, the gradient with respect to the encoder's input, (B, N); None when
        ``backward(input_grad=False)`` was asked (as training does).
    """

    Z_decoder: object
    Z_penalty: object
    Z: object
    X: object


class Autoencoder(EncoderDecoder):
    """An encoder and a decoder trained to reconstruct their target.

    Parameters
    ----------
    encoder, decoder : Layer (typically ``Sequential``) mapping X (B, N) → Z (B, L) → output.
    loss : the reconstruction loss L(X̂, X), e.g. ``MSE()`` or ``BCEWithLogits()``.
    penalty : a sparsity penalty S(Z) on the code (``L1()``, ``KLSparsity(rho)``), or None.
    lam : λ ≥ 0, the weight of S(Z) in R̂.
    weight_decay : β ≥ 0, adds (β/2) Σ ||W||_F² over the weight matrices.

    The target may differ from the input: a denoising autoencoder is fed X̃ and scored
    against X (seed 001, "Training Denoising AEs").
    """

    def __init__(
        self,
        encoder: Layer,
        decoder: Layer,
        loss: Loss,
        penalty: Penalty | None = None,
        lam: float = 0.0,
        weight_decay: float = 0.0,
    ):
        for name, part in (("encoder", encoder), ("decoder", decoder)):
            if not isinstance(part, Layer):
                raise TypeError(f"{name} must be a minae Layer, got {type(part).__name__}")
        if not isinstance(loss, Loss):
            raise TypeError(f"loss must be a minae Loss, got {type(loss).__name__}")
        if penalty is not None and not isinstance(penalty, Penalty):
            raise TypeError(f"penalty must be a minae Penalty, got {type(penalty).__name__}")
        if None not in (encoder.n_out, decoder.n_in) and encoder.n_out != decoder.n_in:
            raise ValueError(
                f"the encoder gives a code of width {encoder.n_out} but the decoder takes "
                f"{decoder.n_in}: the sizes do not chain"
            )
        self.lam = check_non_negative(lam, "lam")
        if self.lam > 0 and penalty is None:
            raise ValueError(f"lam = {self.lam} weights a penalty, but no penalty was given")
        self.encoder, self.decoder = encoder, decoder
        self.reconstruction_loss = loss
        self.penalty = penalty
        self.weight_decay = WeightDecay(weight_decay)
        self._X = self._Z = self._output = self._target = None

    # -- forward ---------------------------------------------------------------------

    def encode(self, X):
        """Z = encoder(X), (B, N) → (B, L)."""
        self._check_input(X, "X")
        return self.encoder.forward(X)

    def decode(self, Z):
        """X̂ = decoder(Z) as the loss reads it (probabilities, for a loss on logits)."""
        check_batch(Z, "Z", self.decoder.n_in, self.dtype)
        return self.reconstruction_loss.reconstruction(self.decoder.forward(Z))

    def reconstruct(self, X):
        """X̂ for input X: decode(encode(X))."""
        return self.decode(self.encode(X))

    def forward(self, X):
        """Run X through encoder and decoder, keeping X, Z and the decoder's output.

        Returns the decoder's raw output (logits for ``BCEWithLogits``).
        """
        self._check_input(X, "X")
        self._X = X
        self._Z = self.encoder.forward(X)
        self._output = self.decoder.forward(self._Z)
        self._target = None
        return self._output

    def loss(self, target) -> LossTerms:
        """Every term of R̂ for the last forward, scored against ``target`` (B, N_out)."""
        if self._output is None:
            raise RuntimeError("Autoencoder.loss called before forward")
        if target is not self._X:  # forward checked X; an autoencoder's target is often X
            check_batch(target, "target", dtype=self.dtype)
            check_finite(target, "target")
        self._target = target
        reconstruction = self.reconstruction_loss.value(self._output, target)
        sparsity = 0.0 if self.penalty is None else self.penalty.value(self._Z)
        decay = self.weight_decay.value(self.parameters()) if self.weight_decay.beta else 0.0
        total = reconstruction + self.lam * sparsity + decay
        return LossTerms(reconstruction, sparsity, decay, total)

    # -- backward --------------------------------------------------------------------

    def backward(self, input_grad: bool = True) -> Gradients:
        """Back-propagate R̂ of the last ``loss`` call; add into every ``Parameter.grad``.

        Gradients accumulate: call ``zero_grad()`` before each step. With
        ``input_grad=False`` the gradient with respect to X is not computed.
        """
        if self._target is None:
            raise RuntimeError("Autoencoder.backward called before loss(target)")
        dX_hat = self.reconstruction_loss.grad(self._output, self._target)  # ∇_X̂ R̂
        dZ_decoder = self.decoder.backward(dX_hat)  # ∇_X̂ R̂ ∘ ∇_Z X̂
        dZ_penalty = self._penalty_grad()  # λ ∇_Z S(Z)
        dZ = dZ_decoder + dZ_penalty  # ∇_Z R̂, the slide's bottleneck gradient
        dX = self.encoder.backward(dZ, input_grad)
        if self.weight_decay.beta:
            self.weight_decay.accumulate_grad(self.parameters())
        return Gradients(Z_decoder=dZ_decoder, Z_penalty=dZ_penalty, Z=dZ, X=dX)

    def _penalty_grad(self):
        if self.penalty is None:
            return self._Z * 0
        return self.penalty.grad(self._Z) * self.lam

    def _check_input(self, X, name: str) -> None:
        check_batch(X, name, self.encoder.n_in, self.dtype)
        check_finite(X, name)

    def __repr__(self) -> str:
        penalty = "" if self.penalty is None else f", penalty={type(self.penalty).__name__}"
        return (
            f"Autoencoder(encoder={self.encoder!r}, decoder={self.decoder!r}, "
            f"loss={type(self.reconstruction_loss).__name__}{penalty}, lam={self.lam})"
        )
