"""Adam (Kingma & Ba 2015), in place over one flat buffer."""

from __future__ import annotations

import math

from ..backend import array_module
from .optimizer import Optimizer


class Adam(Optimizer):
    r"""Adam with bias correction, the update of ``torch.optim.Adam``.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \theta \leftarrow \theta
            - \eta \frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}

    computed as θ -= η_t m / (√v + ε √(1-β₂ᵗ)) with η_t = η √(1-β₂ᵗ) / (1-β₁ᵗ), which is the
    same number. m, v and one scratch array are allocated once; a step makes no other
    full-size temporary.
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8):
        super().__init__(params, lr)
        b1, b2 = (float(b) for b in betas)
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must lie in [0, 1), got {betas}")
        if not eps > 0:
            raise ValueError(f"eps must be > 0, got {eps}")
        self.betas, self.eps = (b1, b2), float(eps)
        xp = array_module()
        self._m = xp.zeros_like(self.flat.values)
        self._v = xp.zeros_like(self.flat.values)
        self._scratch = xp.empty_like(self.flat.values)

    def _update(self, values, grads) -> None:
        xp = array_module()
        (b1, b2), t, s = self.betas, self.steps, self._scratch
        self._m *= b1
        xp.multiply(grads, 1.0 - b1, out=s)
        self._m += s  # m = β1 m + (1-β1) g
        self._v *= b2
        xp.multiply(grads, grads, out=s)
        s *= 1.0 - b2
        self._v += s  # v = β2 v + (1-β2) g²
        correction2 = math.sqrt(1.0 - b2**t)
        step_size = self.lr * correction2 / (1.0 - b1**t)
        xp.sqrt(self._v, out=s)
        s += self.eps * correction2
        xp.divide(self._m, s, out=s)
        s *= step_size
        values -= s
