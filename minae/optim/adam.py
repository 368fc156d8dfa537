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

    computed on the scaled moments m' = m / (1-β₁) and v' = v / (1-β₂), which follow
    m' ← β₁ m' + g and v' ← β₂ v' + g² (two passes fewer a step), as
    θ -= η_t m' / (√v' + ε √((1-β₂ᵗ)/(1-β₂))) with η_t = η (1-β₁) √(1-β₂ᵗ) / ((1-β₁ᵗ) √(1-β₂)),
    which is the same number. m and v are allocated once; a step makes no temporary (it works
    in a block-sized scratch array per thread) and runs on ``threads`` threads over blocks of
    the flat buffer (``FlatParameters``).
    """

    def __init__(
        self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
        threads: int | None = None,
    ):  # fmt: skip
        super().__init__(params, lr, threads)
        b1, b2 = (float(b) for b in betas)
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must lie in [0, 1), got {betas}")
        if not eps > 0:
            raise ValueError(f"eps must be > 0, got {eps}")
        self.betas, self.eps = (b1, b2), float(eps)
        xp = array_module()
        self._m = xp.zeros_like(self.flat.values)
        self._v = xp.zeros_like(self.flat.values)

    def _update(self, chunk: slice, scratch) -> None:
        xp, s = array_module(), scratch
        (b1, b2), t = self.betas, self.steps
        g, values = self.flat.grads[chunk], self.flat.values[chunk]
        m, v = self._m[chunk], self._v[chunk]
        m *= b1
        m += g  # m' = β1 m' + g, with m = (1-β1) m'
        v *= b2
        xp.multiply(g, g, out=s)
        v += s  # v' = β2 v' + g², with v = (1-β2) v'
        bias2 = math.sqrt(1.0 - b2**t)
        scale2 = math.sqrt(1.0 - b2)  # √v = scale2 · √v'
        step_size = self.lr * (1.0 - b1) * bias2 / ((1.0 - b1**t) * scale2)
        xp.sqrt(v, out=s)
        s += self.eps * bias2 / scale2
        xp.divide(m, s, out=s)
        s *= step_size
        values -= s
