"""minae: autoencoders in pure NumPy, every backward written by hand and gradient-checked.

X → encoder → Z → decoder → X̂, trained on R̂ = L(X̂, X) + λ S(Z), with the bottleneck
gradient of the slides: ∇_Z R̂ = (back-propagated from the decoder) + λ ∇_Z S(Z).
A batch is (B, *example_shape): vectors (B, N) or images (B, C, H, W).
"""

from . import images, metrics, teaching
from .infrastructure.backend import (
    array_module,
    default_dtype,
    get_backend,
    get_default_dtype,
    set_backend,
    set_default_dtype,
    to_device,
    to_host,
)
from .infrastructure.blas_threads import blas_threads
from .infrastructure.serialization import DamagedFileError, load, save
from .layers import (
    Activation,
    AvgPool2d,
    Conv2d,
    ConvTranspose2d,
    Dropout,
    Flatten,
    Identity,
    Layer,
    Linear,
    MaxPool2d,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    Unflatten,
    Upsample2d,
    conv_encoder_decoder,
    keras_blog_encoder_decoder,
    mlp,
)
from .layers.parameter import Parameter
from .losses import BCE, MSE, BCEWithLogits, Loss, SoftmaxCrossEntropy
from .metrics.anomaly_scores import anomaly_scores
from .models import (
    VAE,
    Autoencoder,
    ContractiveAutoencoder,
    Gradients,
    LossTerms,
    Model,
    VAEGradients,
    gaussian_kl,
    linear_autoencoder,
)
from .optim import SGD, Adam, AdamW, Optimizer
from .pca import PCA, subspace_angles
from .penalties import (
    L1,
    CodePenalty,
    Contractive,
    KLSparsity,
    ParameterPenalty,
    WeightDecay,
    WeightL1,
)
from .training import History, NonFiniteLossError, evaluate, predict, train

__version__ = "0.1.0"

__all__ = [
    "BCE",
    "L1",
    "MSE",
    "PCA",
    "SGD",
    "VAE",
    "Activation",
    "Adam",
    "AdamW",
    "Autoencoder",
    "AvgPool2d",
    "BCEWithLogits",
    "CodePenalty",
    "Contractive",
    "ContractiveAutoencoder",
    "Conv2d",
    "ConvTranspose2d",
    "DamagedFileError",
    "Dropout",
    "Flatten",
    "Gradients",
    "History",
    "Identity",
    "KLSparsity",
    "Layer",
    "Linear",
    "Loss",
    "LossTerms",
    "MaxPool2d",
    "Model",
    "NonFiniteLossError",
    "Optimizer",
    "Parameter",
    "ParameterPenalty",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "SoftmaxCrossEntropy",
    "Tanh",
    "Unflatten",
    "Upsample2d",
    "VAEGradients",
    "WeightDecay",
    "WeightL1",
    "anomaly_scores",
    "array_module",
    "blas_threads",
    "conv_encoder_decoder",
    "default_dtype",
    "evaluate",
    "gaussian_kl",
    "get_backend",
    "get_default_dtype",
    "images",
    "keras_blog_encoder_decoder",
    "linear_autoencoder",
    "load",
    "metrics",
    "mlp",
    "predict",
    "save",
    "set_backend",
    "set_default_dtype",
    "subspace_angles",
    "teaching",
    "to_device",
    "to_host",
    "train",
]
