"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019)."""

from __future__ import annotations

from ..infrastructure.validation import check_float
from .adam import Adam


class AdamW(Adam):
    r"""Adam whose step first shrinks every parameter: θ ← θ (1 - η β), then Adam's update.

    .. math::
        \theta \leftarrow \theta - \eta \beta \theta, \quad
        \theta \leftarrow \theta - \eta \frac{\hat m}{\sqrt{\hat v} + \epsilon}

    Unlike a penalty (β/2)||W||² added to R̂ (``WeightDecay``), whose gradient β W
    Adam would divide by √v̂ like any other, the decay here is applied to θ directly, at
    the same relative rate η β for every parameter (Loshchilov & Hutter 2019, Algorithm
    2). It applies to every parameter the optimizer holds, biases included, as
    ``torch.optim.AdamW`` does with one parameter group; the same updates as
    ``torch.optim.AdamW(lr=η, betas, eps, weight_decay=β)``.

    The decay rate is β, ``weight_decay``, as for every weight on the parameters in minae
    (``WeightDecay``'s β Ω(θ)); λ, ``lam``, weighs penalties on the code. The paper calls
    this rate λ. Shapes: θ flat (P,) over all parameters. The Hinton & Salakhutdinov
    (2006) reproduction trains with it (``reproductions/``).

    Parameters
    ----------
    params : iterable of Parameter
        What to update.
    lr, betas, eps : float, (float, float), float
        As ``Adam``'s.
    weight_decay : float
        β ≥ 0 (default 1e-2).
    threads : int, optional
        Threads for the update on the CPU.
    schedule : callable, optional
        t ↦ factor of lr (``optim.schedules``).
    """

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas=(0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        threads: int | None = None,
        schedule=None,
    ):
        weight_decay = check_float(weight_decay, "weight_decay", low=0.0)
        super().__init__(params, lr, betas, eps, threads, schedule)
        self.weight_decay = weight_decay

    def hyperparameters(self) -> dict:
        return {**super().hyperparameters(), "weight_decay": self.weight_decay}

    def _update(self, sl: slice, scratch) -> None:
        self.flat.values[sl] *= 1.0 - self.lr * self.weight_decay  # θ ← θ (1 - η β)
        super()._update(sl, scratch)  # then Adam's step
