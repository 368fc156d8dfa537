"""Arguments and input checks shared by the image layers (convolution, pooling, upsampling)."""

from __future__ import annotations

from .validation import check_batch, pair


def positive_pair(value, name: str) -> tuple[int, int]:
    return pair_at_least(value, name, 1)


def pair_at_least(value, name: str, least: int) -> tuple[int, int]:
    result = pair(value, name)
    if min(result) < least:
        raise ValueError(f"{name} must be at least {least}, got {value!r}")
    return result


def image_shape(layer, in_shape, channels: int | None):
    """(C, H, W) from an example shape, or a clear error naming the layer."""
    if len(in_shape) != 3:
        raise ValueError(
            f"{layer!r} takes images (C, H, W), got examples of shape {tuple(in_shape)}"
            + (": put an Unflatten((C, H, W)) before it" if len(in_shape) == 1 else "")
        )
    if channels is not None and in_shape[0] != channels:
        raise ValueError(
            f"{layer!r} takes {channels} input channel(s), got images of shape {tuple(in_shape)}"
        )
    return tuple(in_shape)


def check_images(layer, X, channels: int | None, dtype) -> None:
    check_batch(X, "X", None, dtype)
    image_shape(layer, tuple(X.shape[1:]), channels)


def show(p: tuple[int, int]):
    return p[0] if p[0] == p[1] else p


def options(layer) -> str:
    parts = []
    for name, default in (("stride", (1, 1)), ("padding", (0, 0)), ("output_padding", (0, 0))):
        value = getattr(layer, name, default)
        if value != default:
            parts.append(f", {name}={show(value)}")
    return "".join(parts)
