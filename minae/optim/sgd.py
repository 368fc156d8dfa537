"""Stochastic gradient descent, with optional (heavy-ball) momentum."""

from __future__ import annotations

from ..backend import array_module
from .optimizer import Optimizer


class SGD(Optimizer):
    r"""θ ← θ - η v, with v ← μ v + ∇θ R̂ (v = ∇θ R̂ when μ = 0).

    The same update as ``torch.optim.SGD(lr=η, momentum=μ)``. All arithmetic is in place
    on the flat buffers, with one preallocated scratch array.
    """

    def __init__(self, params, lr: float, momentum: float = 0.0):
        super().__init__(params, lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
        self.momentum = float(momentum)
        xp = array_module()
        self._scratch = xp.empty_like(self.flat.values)
        self._velocity = xp.zeros_like(self.flat.values) if momentum else None

    def _update(self, values, grads) -> None:
        xp = array_module()
        direction = grads
        if self._velocity is not None:
            self._velocity *= self.momentum
            self._velocity += grads
            direction = self._velocity
        xp.multiply(direction, self.lr, out=self._scratch)
        values -= self._scratch
