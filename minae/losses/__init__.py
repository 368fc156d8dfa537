"""Reconstruction losses L(X̂, X), each with its gradient; summed per example, batch-averaged."""

from .bce import BCE, BCEWithLogits
from .loss import Loss
from .mse import MSE
from .softmax_cross_entropy import SoftmaxCrossEntropy, log_softmax, softmax

__all__ = ["BCE", "MSE", "BCEWithLogits", "Loss", "SoftmaxCrossEntropy", "log_softmax", "softmax"]
