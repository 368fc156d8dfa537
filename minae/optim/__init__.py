"""Optimizers: the only code that changes parameter values.

``sgd.py``, ``adam.py`` and ``adamw.py`` hold the textbook updates, ``schedules.py``
the learning-rate schedules they read each step; ``flat_parameters.py`` packs the
parameters into one buffer; ``parallel.py`` runs an update over that buffer on threads;
``subnormals.py`` keeps decaying buffers out of the range where CPUs slow down.
"""

from .adam import Adam
from .adamw import AdamW
from .flat_parameters import FlatParameters
from .optimizer import Optimizer
from .parallel import BlockMap
from .schedules import Constant, Cosine, Schedule, StepDecay, WarmUp
from .sgd import SGD

__all__ = [
    "SGD",
    "Adam",
    "AdamW",
    "BlockMap",
    "Constant",
    "Cosine",
    "FlatParameters",
    "Optimizer",
    "Schedule",
    "StepDecay",
    "WarmUp",
]
