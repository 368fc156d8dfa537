"""Stochastic gradient descent, with optional (heavy-ball) momentum."""

from __future__ import annotations

from ..backend import array_module
from .optimizer import Optimizer


class SGD(Optimizer):
    r"""θ ← θ - η v, with v ← μ v + ∇θ R̂ (v = ∇θ R̂ when μ = 0).

    The same update as ``torch.optim.SGD(lr=η, momentum=μ)``, in place on the flat
    buffers (the velocity v is ``self.velocity``, flat like the parameters).
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, threads: int | None = None):
        super().__init__(params, lr, threads)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
        self.momentum = float(momentum)
        xp = array_module()
        self.velocity = xp.zeros_like(self.flat.values) if momentum else None

    def _update(self, sl: slice, scratch) -> None:
        xp = array_module()
        theta, direction = self.flat.values[sl], self.flat.grads[sl]
        if self.velocity is not None:
            v = self.velocity[sl]
            v *= self.momentum
            v += direction  # v ← μ v + ∇θ R̂
            direction = v
        theta -= xp.multiply(direction, self.lr, out=scratch)  # θ ← θ - η v
