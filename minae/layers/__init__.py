"""Layers: each a forward and its hand-written backward."""

from .activations import Activation, Identity, ReLU, Sigmoid, Tanh, activation, sigmoid
from .conv2d import Conv2d
from .conv_stack import conv_encoder_decoder
from .conv_transpose2d import ConvTranspose2d
from .dropout import Dropout
from .layer import Layer
from .linear import Linear
from .mlp import mlp
from .pooling import AvgPool2d, MaxPool2d
from .reshape import Flatten, Unflatten
from .sequential import Sequential
from .upsample import Upsample2d

__all__ = [
    "Activation",
    "AvgPool2d",
    "Conv2d",
    "ConvTranspose2d",
    "Dropout",
    "Flatten",
    "Identity",
    "Layer",
    "Linear",
    "MaxPool2d",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "Unflatten",
    "Upsample2d",
    "activation",
    "conv_encoder_decoder",
    "mlp",
    "sigmoid",
]
