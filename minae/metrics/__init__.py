"""Figures of merit for reconstructions: PSNR for image-to-image autoencoders."""

from .psnr import LUMA_STUDIO, luminance, psnr, psnr_per_image

__all__ = ["LUMA_STUDIO", "luminance", "psnr", "psnr_per_image"]
