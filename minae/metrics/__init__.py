"""Figures of merit: PSNR for image-to-image autoencoders, and anomaly scores with their
ROC curve and AUROC."""

from .anomaly_scores import anomaly_scores
from .psnr import LUMA_STUDIO, luminance, psnr, psnr_per_image
from .roc_auc import roc_auc, roc_curve, tied_ranks

__all__ = [
    "LUMA_STUDIO",
    "anomaly_scores",
    "luminance",
    "psnr",
    "psnr_per_image",
    "roc_auc",
    "roc_curve",
    "tied_ranks",
]
