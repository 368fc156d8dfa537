r"""Learning-rate schedules: the factor by which step t scales the base rate η₀.

A schedule is a small object called with the step number t = 0, 1, 2, ... (the updates
done so far) and returning a factor; the optimizer takes η_t = η₀ · schedule(t) before
each update:

- ``Constant()``: 1;
- ``StepDecay(every, gamma)``: γ^⌊t / every⌋ (the rate drops by γ every ``every`` steps);
- ``Cosine(total, floor=0)``: floor + (1 - floor) · ½ (1 + cos(π t / total)), then floor
  (Loshchilov & Hutter 2017, without restarts);
- ``WarmUp(steps, then)``: (t + 1) / steps for the first ``steps`` steps, then
  ``then(t - steps)`` (Goyal et al. 2017's gradual warm-up).
"""

from __future__ import annotations

import math

from ..infrastructure.validation import check_float, check_positive_int


class Schedule:
    """A factor for each step t ≥ 0: the optimizer's rate at step t is η₀ · schedule(t).

    Not in the slides; the reproductions use them (Hinton & Salakhutdinov 2006 with
    ``WarmUp`` then ``Cosine``). A schedule is called with one int t and takes no
    parameters of its own.
    """

    def __call__(self, t: int) -> float:
        raise NotImplementedError


class Constant(Schedule):
    """1 at every step t: the base rate η₀ throughout (what an optimizer without a
    schedule does, as in every lesson, e.g. lesson 04)."""

    def __call__(self, t: int) -> float:
        return 1.0

    def __repr__(self) -> str:
        return "Constant()"


class StepDecay(Schedule):
    """γ^⌊t / every⌋: the rate divided by 1/γ every ``every`` steps (He et al. 2016's
    schedule, ÷10 at fixed steps).

    Parameters
    ----------
    every : int
        Steps between two decays, ≥ 1.
    gamma : float
        γ in (0, 1] (default 0.1).
    """

    def __init__(self, every: int, gamma: float = 0.1):
        self.every = check_positive_int(every, "every")
        self.gamma = check_float(gamma, "gamma", low=0.0, high=1.0, low_open=True)

    def __call__(self, t: int) -> float:
        return self.gamma ** (t // self.every)

    def __repr__(self) -> str:
        return f"StepDecay(every={self.every}, gamma={self.gamma})"


class Cosine(Schedule):
    """floor + (1 - floor) · ½ (1 + cos(π min(t, total) / total)) (Loshchilov & Hutter
    2017, one cycle without restarts); the Baldi & Hornik (1989) reproduction uses it.

    Parameters
    ----------
    total : int
        Steps from 1 down to ``floor``, ≥ 1; the factor stays at ``floor`` after.
    floor : float
        The last factor, in [0, 1] (default 0).
    """

    def __init__(self, total: int, floor: float = 0.0):
        self.total = check_positive_int(total, "total")
        self.floor = check_float(floor, "floor", low=0.0, high=1.0)

    def __call__(self, t: int) -> float:
        progress = min(t, self.total) / self.total
        return self.floor + (1.0 - self.floor) * 0.5 * (1.0 + math.cos(math.pi * progress))

    def __repr__(self) -> str:
        return f"Cosine(total={self.total}, floor={self.floor})"


class WarmUp(Schedule):
    """(t + 1) / steps while t < steps, then ``then(t - steps)`` (a linear warm-up, Goyal
    et al. 2017).

    Parameters
    ----------
    steps : int
        Steps of the warm-up, ≥ 1.
    then : Schedule, optional
        The schedule after it, started at 0 (default ``Constant()``).
    """

    def __init__(self, steps: int, then: Schedule | None = None):
        self.steps = check_positive_int(steps, "steps")
        self.then = Constant() if then is None else then
        if not callable(self.then) or isinstance(self.then, type):
            raise TypeError(f"then must be a schedule, got {type(then).__name__}")

    def __call__(self, t: int) -> float:
        if t < self.steps:
            return (t + 1) / self.steps
        return self.then(t - self.steps)

    def __repr__(self) -> str:
        return f"WarmUp(steps={self.steps}, then={self.then!r})"
