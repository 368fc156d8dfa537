"""The L1 sparsity penalty ||Z||_1."""

from __future__ import annotations

from ..infrastructure.backend import array_module
from .code_penalty import CodePenalty


class L1(CodePenalty):
    r"""S(Z) = (1/B) Σ_b ||z_b||_1 = (1/B) Σ_{b,j} |Z_bj|; ∇_Z S = sign(Z) / B.

    Slides 001's convex choice S(Z) = ||Z||_1, per example and averaged over the batch.
    At Z_bj = 0 the subgradient 0 is used. Shapes: Z and ∇_Z S (B, *code_shape).
    Lessons 05, 06 and 07; slides 003's L_sparse = Σ_i |z_i|.
    """

    def value(self, Z) -> float:
        self._check(Z)
        return float(array_module().abs(Z).sum()) / Z.shape[0]

    def grad(self, Z):
        self._check(Z)
        return array_module().sign(Z) * (1.0 / Z.shape[0])
