"""Adam (Kingma & Ba 2015), in place over one flat buffer."""

from __future__ import annotations

from ..fast.in_place import moving_average_, scaled_
from ..infrastructure.backend import array_module
from ..infrastructure.validation import check_float, check_number
from .optimizer import Optimizer


class Adam(Optimizer):
    r"""Adam with bias correction (Kingma & Ba 2015, Algorithm 1), as ``torch.optim.Adam``.

    .. math::
        m \leftarrow \beta_1 m + (1-\beta_1) g, \quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \quad
        \hat m = \frac{m}{1-\beta_1^t}, \quad \hat v = \frac{v}{1-\beta_2^t}, \quad
        \theta \leftarrow \theta - \eta \frac{\hat m}{\sqrt{\hat v} + \epsilon}

    g is ∂R̂/∂θ, t the step count. m and v are the paper's first and second moment
    estimates, allocated once (``self.m``, ``self.v``, flat like the parameters).
    ``_update`` writes these lines on one block ``sl`` of the flat arrays (see
    ``Optimizer``), in place (see ``in_place.py``); ``minae.plain.optimizers.adam``
    is the same on whole arrays. Shapes: θ, g, m and v are flat (P,) over all parameters.
    Lessons 02 to 14 train with it; the exercises (``e05``) have the student write its step.

    Parameters
    ----------
    params : iterable of Parameter
        What to update, e.g. ``model.parameters()``.
    lr : float
        η (default 1e-3).
    betas : (float, float)
        (β1, β2), each in [0, 1) (default (0.9, 0.999)).
    eps : float
        ε > 0 (default 1e-8).
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
        threads: int | None = None,
        schedule=None,
    ):
        try:
            b1, b2 = (check_number(b, "betas") for b in betas)
        except (TypeError, ValueError):
            raise TypeError(
                f"betas must be a pair (β1, β2), e.g. (0.9, 0.999), got {betas!r}"
            ) from None
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must lie in [0, 1), got {betas}")
        eps = check_float(eps, "eps", low=0.0, low_open=True)
        super().__init__(params, lr, threads, schedule)
        self.betas, self.eps = (b1, b2), eps
        xp = array_module()
        self.m = xp.zeros_like(self.flat.values)
        self.v = xp.zeros_like(self.flat.values)

    def buffers(self) -> dict:
        return {"m": self.m, "v": self.v}

    def hyperparameters(self) -> dict:
        return {**super().hyperparameters(), "betas": list(self.betas), "eps": self.eps}

    def _update(self, sl: slice, scratch) -> None:
        xp, s = array_module(), scratch
        (b1, b2), t = self.betas, self.steps
        g, theta, m, v = self.flat.grads[sl], self.flat.values[sl], self.m[sl], self.v[sl]
        moving_average_(m, g, b1, s)  # m ← β1 m + (1 - β1) g
        moving_average_(v, xp.multiply(g, g, out=s), b2, s)  # v ← β2 v + (1 - β2) g²
        # θ ← θ - η m̂ / (√v̂ + ε), with m̂ = m / (1 - β1ᵗ) and √v̂ = √v / √(1 - β2ᵗ):
        sqrt_v_hat = xp.divide(xp.sqrt(v, out=s), (1.0 - b2**t) ** 0.5, out=s)
        ratio = xp.divide(m, xp.add(sqrt_v_hat, self.eps, out=s), out=s)  # m / (√v̂ + ε)
        theta -= scaled_(ratio, self.lr / (1.0 - b1**t), s)
