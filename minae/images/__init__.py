"""Image operations for image-to-image autoencoders: resizing and colour spaces."""

from .colour import LUMA_BT601, rgb_to_ycbcr, ycbcr_to_rgb
from .resize import RESIZE_METHODS, downsample, resize, resize_weights, upsample

__all__ = [
    "LUMA_BT601",
    "RESIZE_METHODS",
    "downsample",
    "resize",
    "resize_weights",
    "rgb_to_ycbcr",
    "upsample",
    "ycbcr_to_rgb",
]
