"""Figures of merit: PSNR for image-to-image autoencoders, AUROC for anomaly scores."""

from .psnr import LUMA_STUDIO, luminance, psnr, psnr_per_image
from .roc_auc import roc_auc, roc_curve, tied_ranks

__all__ = [
    "LUMA_STUDIO",
    "luminance",
    "psnr",
    "psnr_per_image",
    "roc_auc",
    "roc_curve",
    "tied_ranks",
]
