"""What every minae model shares: an encoder, a decoder, and their parameters."""

from __future__ import annotations

from .parameter import Parameter


class EncoderDecoder:
    """Parameter bookkeeping for a model with ``self.encoder`` and ``self.decoder``.

    Parameters are named ``encoder.<i>.<name>`` and ``decoder.<i>.<name>``; one shared by
    both parts (tied weights) is listed once, under its first name.
    """

    def named_parameters(self) -> dict[str, Parameter]:
        named: dict[str, Parameter] = {}
        seen: set[int] = set()
        for prefix, part in (("encoder", self.encoder), ("decoder", self.decoder)):
            for name, p in part.named_parameters().items():
                if id(p) not in seen:
                    seen.add(id(p))
                    named[f"{prefix}.{name}"] = p
        return named

    def parameters(self) -> list[Parameter]:
        return list(self.named_parameters().values())

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.zero_grad()

    @property
    def dtype(self):
        """The dtype of the parameters (None for a model without any)."""
        # read every batch, so it lists the encoder's parameters only (the decoder's if none)
        params = self.encoder.parameters() or self.decoder.parameters()
        return params[0].dtype if params else None
