"""Models: the protocol ``train`` drives (``Model``), the named loss terms, the shared
encoder-decoder base, the autoencoder with the slides' bottleneck gradient, and the linear,
contractive and variational autoencoders."""

from .autoencoder import Autoencoder, Gradients
from .contractive_autoencoder import ContractiveAutoencoder
from .encoder_decoder import EncoderDecoder
from .likelihood import importance_log_weights, iwae_bound
from .linear_autoencoder import linear_autoencoder
from .loss_terms import LossTerms
from .model import Model
from .vae import VAE, VAEGradients, gaussian_kl, gaussian_kl_grad, reparameterisation_backward

__all__ = [
    "VAE",
    "Autoencoder",
    "ContractiveAutoencoder",
    "EncoderDecoder",
    "Gradients",
    "LossTerms",
    "Model",
    "VAEGradients",
    "gaussian_kl",
    "gaussian_kl_grad",
    "importance_log_weights",
    "iwae_bound",
    "linear_autoencoder",
    "reparameterisation_backward",
]
