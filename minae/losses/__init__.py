"""Reconstruction losses L(X̂, X), each with its gradient; summed per example, batch-averaged."""

from .bce import BCE, BCEWithLogits
from .loss import Loss
from .mse import MSE

__all__ = ["BCE", "MSE", "BCEWithLogits", "Loss"]
