"""Layers: each a forward and its hand-written backward."""

from .activations import Identity, ReLU, Sigmoid, Tanh, activation, sigmoid
from .layer import Layer
from .linear import Linear
from .mlp import mlp
from .sequential import Sequential

__all__ = [
    "Identity",
    "Layer",
    "Linear",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "activation",
    "mlp",
    "sigmoid",
]
