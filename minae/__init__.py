"""minae: autoencoders in pure NumPy, every backward written by hand and gradient-checked.

X → encoder → Z → decoder → X̂, trained on R̂ = L(X̂, X) + λ S(Z), with the bottleneck
gradient of the slides: ∇_Z R̂ = (back-propagated from the decoder) + λ ∇_Z S(Z).
"""

from . import gradcheck
from .autoencoder import Autoencoder, Gradients, LossTerms
from .backend import (
    array_module,
    default_dtype,
    get_backend,
    get_default_dtype,
    set_backend,
    set_default_dtype,
    to_device,
    to_host,
)
from .contractive_autoencoder import ContractiveAutoencoder
from .layers import Identity, Layer, Linear, ReLU, Sequential, Sigmoid, Tanh, mlp
from .linear_autoencoder import linear_autoencoder
from .losses import BCE, MSE, BCEWithLogits
from .optim import SGD, Adam
from .parameter import Parameter
from .pca import PCA
from .penalties import L1, KLSparsity, WeightDecay
from .serialization import load, save
from .subspace import subspace_angles
from .training import History, NonFiniteLossError, evaluate, train
from .vae import VAE, gaussian_kl

__version__ = "0.1.0"

__all__ = [
    "BCE",
    "L1",
    "MSE",
    "PCA",
    "SGD",
    "VAE",
    "Adam",
    "Autoencoder",
    "BCEWithLogits",
    "ContractiveAutoencoder",
    "Gradients",
    "History",
    "Identity",
    "KLSparsity",
    "Layer",
    "Linear",
    "LossTerms",
    "NonFiniteLossError",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "WeightDecay",
    "array_module",
    "default_dtype",
    "evaluate",
    "gaussian_kl",
    "get_backend",
    "get_default_dtype",
    "gradcheck",
    "linear_autoencoder",
    "load",
    "mlp",
    "save",
    "set_backend",
    "set_default_dtype",
    "subspace_angles",
    "to_device",
    "to_host",
    "train",
]
