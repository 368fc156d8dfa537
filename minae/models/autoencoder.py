"""The autoencoder: X → encoder → Z → decoder → X̂, trained on R̂ = L(X̂, X) + Σ λ_k S_k(Z).

Slides 001 ("Training Sparse AEs") writes the gradient at the bottleneck as

    ∇_Z R̂ = ∇_X̂ R̂ · ∇_Z X̂ + λ ∇_Z S(Z)
            (back-propagated from the decoder) + (from the penalty)

and ``Autoencoder.backward`` computes exactly these terms (one per penalty on the code),
adds them, and hands the sum to the encoder's backward. Every term is returned, so
lessons can show them.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from ..fast.image_layout import laid_out_like
from ..infrastructure.validation import check_non_negative
from ..layers.layer import Layer
from ..losses.loss import Loss
from ..penalties.code_penalty import CodePenalty
from ..penalties.parameter_penalty import ParameterPenalty
from .encoder_decoder import EncoderDecoder
from .loss_terms import LossTerms


@dataclass(frozen=True)
class Gradients:
    """What ``Autoencoder.backward`` returns; parameter gradients are in each ``Parameter.grad``.

    Lesson 06 prints both terms of the bottleneck gradient from these.

    Attributes
    ----------
    dZ_decoder : array shaped like Z, (B, L)
        ∇_X̂ R̂ · ∇_Z X̂, the gradient back-propagated from the decoder.
    dZ_penalty : array (B, L)
        Σ_k λ_k ∇_Z S_k(Z) (zeros without a penalty on the code).
    dZ : array (B, L)
        ∇_Z R̂ = dZ_decoder + dZ_penalty, the slide's bottleneck gradient (slides 001,
        "Training Sparse AEs").
    dX : array shaped like X, or None
        ∇_X R̂, the gradient with respect to the encoder's input; None when
        ``backward(input_grad=False)`` was asked (as training does).
    dZ_penalties : dict of str to array (B, L)
        λ_k ∇_Z S_k(Z) for each penalty on the code, by name.
    """

    dZ_decoder: object
    dZ_penalty: object
    dZ: object
    dX: object
    dZ_penalties: dict = field(default_factory=dict)


class Autoencoder(EncoderDecoder):
    """An encoder and a decoder trained to reconstruct their target.

    Parameters
    ----------
    encoder, decoder : Layer
        Typically ``Sequential``, mapping X (B, *in_shape) → Z (B, *code_shape) → output
        shaped like the target.
    loss : Loss
        The reconstruction loss L(X̂, X), e.g. ``MSE()`` or ``BCEWithLogits()``.
    penalty : CodePenalty, optional
        With ``lam``, the one shorthand: the slides' R̂ = L + λ S(Z) for a single penalty on
        the code, the same as ``penalties={"sparsity": (lam, penalty)}``.
    lam : float
        λ, the weight of ``penalty``.
    penalties : dict, optional
        The way to give penalties: ``{name: (weight, penalty)}``, any number on the code
        (``CodePenalty``: ``L1()``, ``KLSparsity(rho)``, ``Contractive(encoder)``), each
        adding λ S(Z), and on the parameters (``ParameterPenalty``: ``WeightDecay()``,
        ``WeightL1()``), each adding β Ω(θ): weight decay is
        ``penalties={"weight_decay": (beta, WeightDecay())}``. Every one is reported under
        its name in the loss terms.

    Notes
    -----
    The target may differ from the input: a denoising autoencoder is fed X̃ and scored
    against X (slides 001, "Training Denoising AEs").
    """

    def __init__(
        self,
        encoder: Layer,
        decoder: Layer,
        loss: Loss,
        penalty: CodePenalty | None = None,
        lam: float = 0.0,
        *,
        penalties: dict | None = None,
    ):
        super().__init__(encoder, decoder)
        if not isinstance(loss, Loss):
            raise TypeError(f"loss must be a minae Loss, got {type(loss).__name__}")
        code, decoder_in = self.code_shape, decoder.in_shape
        if None not in (code, decoder_in) and code != decoder_in:
            raise ValueError(
                f"the encoder gives codes of shape {code} but the decoder takes "
                f"{decoder_in}: the shapes do not chain"
            )
        self.reconstruction_loss = loss
        self.code_penalties, self.parameter_penalties = _split(_gather(penalties, penalty, lam))
        self._X = self._Z = self._output = self._target = None
        self._folded: set[str] = set()  # parameter penalties the optimizer adds (folded)

    # -- forward ---------------------------------------------------------------------

    def encode(self, X):
        """Z = encoder(X), (B, *in_shape) → (B, *code_shape)."""
        self._check_input(X, "X")
        return self.encoder.forward(X)

    def decode(self, Z):
        """X̂ = decoder(Z) as the loss reads it (probabilities, for a loss on logits):
        (B, *code_shape) → (B, *out_shape)."""
        self._check_code(Z, "Z")
        return self.reconstruction_loss.reconstruction(self.decoder.forward(Z))

    def reconstruct(self, X):
        """X̂ for input X (B, *in_shape): decode(encode(X)), shaped like the target."""
        return self.decode(self.encode(X))

    def forward(self, X):
        """① Run X through the encoder to Z, ② Z through the decoder; keep X, Z, output.

        X is (B, *in_shape). Returns the decoder's raw output (B, *out_shape) (logits for
        ``BCEWithLogits``).
        """
        self._check_input(X, "X")
        self._X = X
        self._Z = self.encoder.forward(X)
        self._output = self.decoder.forward(self._Z)
        self._target = None
        return self._output

    def loss(self, target) -> LossTerms:
        """Every term of R̂ for the last forward, scored against ``target``, shaped like the
        output (B, *out_shape): L(X̂, target) and each λ_k S_k(Z)'s S_k."""
        if self._output is None:
            raise RuntimeError("Autoencoder.loss called before forward")
        if target is not self._X:  # forward checked X; an autoencoder's target is often X
            self._check_target(target)
        target = laid_out_like(self._output, target)  # the same numbers, the output's layout
        self._target = target
        value = self.reconstruction_loss.value(self._output, target)
        terms, weights = {"reconstruction": value}, {}
        for name, (lam, S) in self.code_penalties.items():
            terms[name], weights[name] = S.value(self._Z), lam
        for name, (beta, Omega) in self.parameter_penalties.items():
            terms[name], weights[name] = Omega.value(self.parameters()), beta
        squared = self.reconstruction_loss.squared_error(self._output, target, value)
        return LossTerms(terms, weights, squared)

    def per_example_loss(self, X, target=None):
        """L(X̂, X) of each example on its own, (B,): the reconstruction loss, summed over
        an example's entries, without the penalties (anomaly scores read it)."""
        target = X if target is None else target
        return self.reconstruction_loss.per_example(self.forward(X), target)

    # -- backward --------------------------------------------------------------------

    def backward(self, input_grad: bool = True) -> Gradients:
        """Back-propagate R̂ of the last ``loss`` call; add into every ``Parameter.grad``.

        Gradients accumulate: call ``zero_grad()`` before each step. With
        ``input_grad=False`` the gradient with respect to X is not computed.
        """
        if self._target is None:
            raise RuntimeError("Autoencoder.backward called before loss(target)")
        Z = self._Z
        dX_hat = self.reconstruction_loss.grad(self._output, self._target)  # ③ ∇_X̂ R̂
        dZ_decoder = self.decoder.backward(dX_hat)  # ∇_X̂ R̂ · ∇_Z X̂
        dZ_penalties = {name: S.grad(Z) * lam for name, (lam, S) in self.code_penalties.items()}
        dZ_penalty = sum(dZ_penalties.values()) if dZ_penalties else Z * 0  # Σ λ_k ∇_Z S_k(Z)
        dZ = dZ_decoder + dZ_penalty  # ④ ∇_Z R̂, the slide's bottleneck gradient
        for lam, S in self.code_penalties.values():
            S.accumulate_parameter_grad(Z, lam)  # parameters a penalty reads directly
        dX = self.encoder.backward(dZ, input_grad)  # ⑤ from ∇_Z R̂ back through the encoder
        for name, (beta, Omega) in self.parameter_penalties.items():
            if name not in self._folded:  # folded: the optimizer adds β ∇_θ Ω in its pass
                Omega.accumulate_grad(self.parameters(), beta)  # β ∇_θ Ω(θ)
        return Gradients(dZ_decoder, dZ_penalty, dZ, dX, dZ_penalties)

    @contextlib.contextmanager
    def folded(self, optimizer):
        """Within the block, each parameter penalty that can (``WeightDecay``) hands its
        β ∇_θ Ω to ``optimizer``, which adds it block by block inside its update, and
        ``backward`` leaves it out: the same numbers, one pass over the weights fewer
        (``minae/fast/folded_decay.py``). ``train`` and ``step`` enter it; outside it,
        ``backward`` adds every penalty's gradient itself, as the slide writes."""
        if self._folded:  # already folded (a step inside train): fold nothing twice
            yield
            return
        terms = {}
        try:
            for name, (beta, Omega) in self.parameter_penalties.items():
                term = Omega.fold_into(optimizer, self.parameters(), beta)
                if term is not None:
                    terms[name] = term
            self._folded = set(terms)
            yield
        finally:
            self._folded = set()
            for term in terms.values():
                optimizer.unfold(term)

    def __repr__(self) -> str:
        shown = "".join(
            f", {name}=({weight}, {penalty!r})"
            for name, (weight, penalty) in {
                **self.code_penalties,
                **self.parameter_penalties,
            }.items()
        )
        return (
            f"Autoencoder(encoder={self.encoder!r}, decoder={self.decoder!r}, "
            f"loss={type(self.reconstruction_loss).__name__}(){shown})"
        )


def _gather(penalties, penalty, lam) -> dict:
    """One ``{name: (weight, penalty)}`` from the mapping and the one shorthand."""
    if penalties is not None and not isinstance(penalties, dict):
        raise TypeError(
            f"penalties must be a dict {{name: (weight, penalty)}}, got {type(penalties).__name__}"
        )
    gathered = dict(penalties or {})
    lam = check_non_negative(lam, "lam")
    if penalty is not None or lam > 0:
        if penalty is None:
            raise ValueError(f"lam = {lam} weights a penalty, but no penalty was given")
        if "sparsity" in gathered:
            raise ValueError("penalty= names the term 'sparsity', which penalties= has too")
        gathered["sparsity"] = (lam, penalty)
    return gathered


def _split(penalties: dict) -> tuple[dict, dict]:
    """The penalties on the code and those on the parameters, each {name: (weight, penalty)}."""
    code, parameter = {}, {}
    for name, entry in penalties.items():
        if name in ("reconstruction", "total", "squared_error"):
            raise ValueError(f"{name!r} names a term of every model; call the penalty otherwise")
        if not (isinstance(entry, tuple) and len(entry) == 2):
            raise TypeError(f"penalties[{name!r}] must be a (weight, penalty) pair, got {entry!r}")
        weight, penalty = entry
        weight = check_non_negative(weight, f"the weight of penalty {name!r}")
        if isinstance(penalty, CodePenalty):
            code[name] = (weight, penalty)
        elif isinstance(penalty, ParameterPenalty):
            parameter[name] = (weight, penalty)
        else:
            raise TypeError(
                f"penalties[{name!r}] is a {type(penalty).__name__}; a penalty is a "
                "CodePenalty (on Z) or a ParameterPenalty (on the parameters)"
            )
    return code, parameter
