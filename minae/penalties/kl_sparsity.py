"""The KL sparsity penalty: each code unit's mean activation ρ̂_j pulled towards ρ."""

from __future__ import annotations

from ..infrastructure.backend import array_module
from ..infrastructure.validation import check_float
from .code_penalty import CodePenalty


class KLSparsity(CodePenalty):
    r"""S(Z) = Σ_j KL(ρ || ρ̂_j), where ρ̂_j = (1/B) Σ_b Z_bj is unit j's mean activation.

    .. math::
        \mathrm{KL}(\rho \,\|\, \hat\rho_j)
            = \rho \log\frac{\rho}{\hat\rho_j} + (1-\rho)\log\frac{1-\rho}{1-\hat\rho_j},
        \qquad
        \frac{\partial S}{\partial Z_{bj}}
            = \frac{1}{B}\Big(-\frac{\rho}{\hat\rho_j} + \frac{1-\rho}{1-\hat\rho_j}\Big)

    ρ is the target probability that a unit is *active* (e.g. 0.05) and ρ̂_j the batch's
    empirical one. ρ̂ is averaged over the batch *before* the KL is taken, so S is a
    quantity of the whole batch, not a per-example sum; the 1/B in the gradient comes
    from ρ̂. Z may have any code shape (B, *code_shape): ρ̂ then has that shape.

    **Direction.** Slides 001 writes S(Z) = KL(p_Z ‖ Ber_ρ): the empirical distribution
    first. minae takes the other order, KL(Ber_ρ ‖ p_Z) = KL(ρ ‖ ρ̂_j), the form of the
    UFLDL sparse autoencoder exercise (Ng's notes) that courses and papers follow. Both
    are zero exactly at ρ̂ = ρ and convex in ρ̂; the difference is how hard they push. In
    minae's order the gradient grows like ρ/ρ̂ as a unit falls silent and like
    (1-ρ)/(1-ρ̂) as it saturates, so a penalised unit cannot hide at either end; the
    slide's order

    .. math::
        \mathrm{KL}(\hat\rho_j \,\|\, \rho)
            = \hat\rho_j \log\frac{\hat\rho_j}{\rho}
              + (1-\hat\rho_j)\log\frac{1-\hat\rho_j}{1-\rho}, \qquad
        \frac{\partial S}{\partial Z_{bj}}
            = \frac{1}{B}\log\frac{\hat\rho_j (1-\rho)}{\rho\,(1-\hat\rho_j)}

    grows only logarithmically there. ``tests/test_penalties.py`` pins the direction;
    lesson 06 shows both.

    **What ρ and ρ̂ mean.** The slide's p_Z is "the empirical distribution of the support
    of Z": the fraction of code entries that are nonzero. A sigmoid unit is never
    exactly zero, so minae uses its soft version, the mean activation ρ̂_j, read as the
    probability that unit j is active. And the slide's Ber_ρ has "probability of zero
    being ρ", where minae's ρ is the probability of being *active*: the two swap, so
    **minae's ρ = 0.05 (active 5% of the time) is the slide's ρ = 0.95 (zero 95% of the
    time)**. The KL between two Bernoullis is the same whichever outcome is named, so
    only the number changes, not the penalty.

    Z must lie in [0, 1], as after a sigmoid, and every ρ̂_j strictly inside (0, 1).

    Parameters
    ----------
    rho : float
        ρ, the target probability that a unit is active, strictly between 0 and 1.
    """

    def __init__(self, rho: float):
        rho = check_float(rho, "rho", low=0.0, high=1.0, low_open=True, high_open=True)
        self.rho = rho

    def __repr__(self) -> str:
        return f"KLSparsity(rho={self.rho})"

    def mean_activation(self, Z):
        """ρ̂ (L,): each unit's activation averaged over the batch, checked to lie in (0, 1)."""
        self._check(Z)
        if float(Z.min()) < 0 or float(Z.max()) > 1:
            raise ValueError(
                "KLSparsity needs Z in [0, 1] (e.g. a sigmoid code), found values in "
                f"[{float(Z.min()):.4g}, {float(Z.max()):.4g}]"
            )
        rho_hat = Z.mean(axis=0)  # (B, L) -> (L,)
        if float(rho_hat.min()) <= 0 or float(rho_hat.max()) >= 1:
            raise ValueError(
                "KLSparsity needs every unit's mean activation strictly inside (0, 1), found "
                f"[{float(rho_hat.min()):.4g}, {float(rho_hat.max()):.4g}]"
            )
        return rho_hat

    def value(self, Z) -> float:
        xp = array_module()
        rho, rho_hat = self.rho, self.mean_activation(Z)
        kl = rho * xp.log(rho / rho_hat) + (1 - rho) * xp.log((1 - rho) / (1 - rho_hat))
        return float(kl.sum())

    def grad(self, Z):
        xp = array_module()
        rho, rho_hat = self.rho, self.mean_activation(Z)
        per_unit = (-rho / rho_hat + (1 - rho) / (1 - rho_hat)) / Z.shape[0]  # (L,)
        return xp.broadcast_to(per_unit, Z.shape).copy()  # (L,) -> (B, L)
