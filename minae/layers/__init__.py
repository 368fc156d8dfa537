"""Layers: each a forward and its hand-written backward."""

from .activations import Activation, Identity, ReLU, Sigmoid, Tanh, activation, sigmoid
from .layer import Layer
from .linear import Linear
from .mlp import mlp
from .reshape import Flatten, Unflatten
from .sequential import Sequential

__all__ = [
    "Activation",
    "Flatten",
    "Identity",
    "Layer",
    "Linear",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "Unflatten",
    "activation",
    "mlp",
    "sigmoid",
]
