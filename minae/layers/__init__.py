"""Layers, each a forward beside its hand-written backward: the contract (``Layer``),
``Parameter`` (a value and its gradient), ``Linear``, the activations, ``Dropout``,
``Flatten`` / ``Unflatten``, ``Sequential`` and ``mlp``; for images ``Conv2d``,
``ConvTranspose2d``, ``MaxPool2d`` / ``AvgPool2d`` and ``Upsample2d``."""

from .activations import Activation, Identity, ReLU, Sigmoid, Tanh, activation, sigmoid
from .conv2d import Conv2d
from .conv_stack import conv_encoder_decoder, keras_blog_encoder_decoder
from .conv_transpose2d import ConvTranspose2d
from .dropout import Dropout
from .layer import Layer
from .linear import Linear
from .mlp import mlp
from .parameter import Parameter
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
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "Unflatten",
    "Upsample2d",
    "activation",
    "conv_encoder_decoder",
    "keras_blog_encoder_decoder",
    "mlp",
    "sigmoid",
]
