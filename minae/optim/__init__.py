"""Optimizers, the only code that changes parameter values: SGD (with momentum and
Nesterov's), Adam and AdamW, each update its paper's equations line by line, and the
learning-rate schedules they read each step.

``optimizer.py`` is the contract (state for checkpoints); ``sgd.py``, ``adam.py`` and
``adamw.py`` the updates; ``schedules.py`` the schedules. What makes an update fast (one
flat buffer, no temporaries, threads, no subnormals) is in ``minae.fast``.
"""

from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .schedules import Constant, Cosine, Schedule, StepDecay, WarmUp
from .sgd import SGD

__all__ = [
    "SGD",
    "Adam",
    "AdamW",
    "Constant",
    "Cosine",
    "Optimizer",
    "Schedule",
    "StepDecay",
    "WarmUp",
]
