"""Optimizers: the only code that changes parameter values."""

from .adam import Adam
from .flat_parameters import FlatParameters
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "FlatParameters", "Optimizer"]
