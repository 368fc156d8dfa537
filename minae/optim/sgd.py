"""Stochastic gradient descent, with optional (heavy-ball) momentum."""

from __future__ import annotations

from ..backend import array_module
from .optimizer import Optimizer


class SGD(Optimizer):
    r"""θ ← θ - η v, with v ← μ v + ∇θ R̂ (v = ∇θ R̂ when μ = 0).

    The same update as ``torch.optim.SGD(lr=η, momentum=μ)``. All arithmetic is in place
    on the flat buffers, with a block-sized scratch array per thread (``FlatParameters``).
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, threads: int | None = None):
        super().__init__(params, lr, threads)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum}")
        self.momentum = float(momentum)
        xp = array_module()
        self._velocity = xp.zeros_like(self.flat.values) if momentum else None

    def _update(self, chunk: slice, scratch) -> None:
        xp = array_module()
        values, direction = self.flat.values[chunk], self.flat.grads[chunk]
        if self._velocity is not None:
            velocity = self._velocity[chunk]
            velocity *= self.momentum
            velocity += direction
            direction = velocity
        xp.multiply(direction, self.lr, out=scratch)
        values -= scratch
