"""Stochastic gradient descent, with optional heavy-ball or Nesterov momentum."""

from __future__ import annotations

from ..fast.in_place import scaled_
from ..infrastructure.backend import array_module
from ..infrastructure.validation import check_bool, check_float
from .optimizer import Optimizer


class SGD(Optimizer):
    r"""θ ← θ - η v, with v ← μ v + ∇θ R̂ (v = ∇θ R̂ when μ = 0).

    With ``nesterov=True`` the step looks ahead along the velocity (Sutskever et al.
    2013, in the form deep-learning libraries use): v ← μ v + g, θ ← θ - η (g + μ v).

    The same updates as ``torch.optim.SGD(lr=η, momentum=μ, nesterov=...)``, in place on
    the flat buffers (the velocity v is ``self.velocity``, flat like the parameters).

    Slides 001's "Training AEs for Compression" ⑥ and slides 000's NN view of PCA, "learn w,
    ŵ by SGD" (lesson 01); momentum as in Polyak (1964). Shapes: θ, v and ∇θ R̂ are flat
    (P,) over all parameters (see ``Optimizer``).

    Parameters
    ----------
    params : iterable of Parameter
        What to update, e.g. ``model.parameters()``.
    lr : float
        η, > 0.
    momentum : float
        μ in [0, 1); 0 for plain gradient descent.
    threads : int, optional
        Threads for the update on the CPU.
    nesterov : bool
        Look ahead along the velocity (needs momentum > 0).
    schedule : callable, optional
        t ↦ factor of lr (``optim.schedules``).
    """

    def __init__(
        self,
        params,
        lr: float,
        momentum: float = 0.0,
        threads: int | None = None,
        *,
        nesterov: bool = False,
        schedule=None,
    ):
        momentum = check_float(momentum, "momentum", low=0.0, high=1.0, high_open=True)
        nesterov = check_bool(nesterov, "nesterov")
        if nesterov and momentum == 0:
            raise ValueError("nesterov needs a momentum > 0")
        super().__init__(params, lr, threads, schedule)
        self.momentum = momentum
        self.nesterov = nesterov
        xp = array_module()
        self.velocity = xp.zeros_like(self.flat.values) if momentum else None

    def buffers(self) -> dict:
        return {} if self.velocity is None else {"velocity": self.velocity}

    def hyperparameters(self) -> dict:
        return {**super().hyperparameters(), "momentum": self.momentum, "nesterov": self.nesterov}

    def _update(self, sl: slice, scratch) -> None:
        theta, g, lr, mu = self.flat.values[sl], self.flat.grads[sl], self.lr, self.momentum
        if self.velocity is None:
            theta -= scaled_(g, lr, scratch)  # θ ← θ - η g
            return
        v = self.velocity[sl]
        v *= mu
        v += g  # v ← μ v + g
        if self.nesterov:
            ahead = scaled_(v, mu, scratch)
            ahead += g
            theta -= scaled_(ahead, lr, scratch)  # θ ← θ - η (g + μ v)
        else:
            theta -= scaled_(v, lr, scratch)  # θ ← θ - η v
