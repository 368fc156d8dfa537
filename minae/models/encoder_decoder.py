"""What every minae model shares: an encoder, a decoder, their parameters and input checks."""

from __future__ import annotations

from ..infrastructure.validation import check_batch, check_finite
from ..layers.layer import Layer
from ..layers.parameter import Parameter
from .model import Model


class EncoderDecoder(Model):
    """Parameter bookkeeping and input checks for a model with an encoder and a decoder.

    Parameters are named ``encoder.<i>.<name>`` and ``decoder.<i>.<name>``; one shared by
    both parts (tied weights) is listed once, under its first name. ``in_shape`` is the
    example shape the encoder takes (None when it accepts any, e.g. after a ``Flatten``).

    X (B, *in_shape) → encoder → Z (B, *code_shape) → decoder → X̂: slides 003's
    "Architecture" (encoder f, code h, decoder g) and slides 001's "Example: Compressing
    MNIST"; the base of ``Autoencoder`` and ``VAE``.

    Parameters
    ----------
    encoder, decoder : Layer
        The two halves, usually ``Sequential`` stacks.
    """

    def __init__(self, encoder: Layer, decoder: Layer):
        for name, part in (("encoder", encoder), ("decoder", decoder)):
            if not isinstance(part, Layer):
                raise TypeError(f"{name} must be a minae Layer, got {type(part).__name__}")
        self.encoder, self.decoder = encoder, decoder
        self.in_shape = encoder.in_shape
        self.code_shape = encoder.out_shape(encoder.in_shape)  # None when not known yet

    def named_parameters(self) -> dict[str, Parameter]:
        """Every parameter once, as ``encoder.<i>.<name>`` or ``decoder.<i>.<name>``."""
        named: dict[str, Parameter] = {}
        seen: set[int] = set()
        for prefix, part in (("encoder", self.encoder), ("decoder", self.decoder)):
            for name, p in part.named_parameters().items():
                if id(p) not in seen:
                    seen.add(id(p))
                    named[f"{prefix}.{name}"] = p
        return named

    def parameters(self) -> list[Parameter]:
        """The parameters in ``named_parameters``' order: what an optimizer updates."""
        return list(self.named_parameters().values())

    def begin_training(self, rng) -> None:
        """Layers that behave differently while training (``Dropout``) switch on, drawing
        from the run's Generator; ``train`` calls this before its batches."""
        self.encoder.begin_training(rng)
        self.decoder.begin_training(rng)

    def end_training(self) -> None:
        """Back to test-time behaviour (``train`` calls this after its batches)."""
        self.encoder.end_training()
        self.decoder.end_training()

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to zero (backward adds into it)."""
        for p in self.parameters():
            p.zero_grad()

    @property
    def dtype(self):
        """The dtype of the parameters (None for a model without any)."""
        # read every batch, so it lists the encoder's parameters only (the decoder's if none)
        params = self.encoder.parameters() or self.decoder.parameters()
        return params[0].dtype if params else None

    def _check_input(self, X, name: str = "X") -> None:
        check_batch(X, name, self.in_shape, self.dtype)
        check_finite(X, name)

    def _check_code(self, Z, name: str = "Z") -> None:
        check_batch(Z, name, self.decoder.in_shape, self.dtype)
        check_finite(Z, name)

    def _check_target(self, target, name: str = "target") -> None:
        check_batch(target, name, dtype=self.dtype)
        check_finite(target, name)
