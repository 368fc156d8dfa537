"""The contract of a sparsity penalty S(Z) on the bottleneck code."""

from __future__ import annotations

from ..validation import check_batch


class Penalty:
    """A penalty S(Z) on the code Z (B, L) with its gradient ∇_Z S(Z) (B, L).

    The autoencoder adds λ S(Z) to the reconstruction loss, and λ ∇_Z S(Z) to the gradient
    that reaches Z from the decoder (seed 001, "Training Sparse AEs"). Like the losses,
    S is a per-example quantity: a sum over the code units of one example, averaged
    over the batch.
    """

    def value(self, Z) -> float:
        raise NotImplementedError

    def grad(self, Z):
        raise NotImplementedError

    def _check(self, Z) -> None:
        check_batch(Z, "Z")
