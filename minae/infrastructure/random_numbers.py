"""Random numbers: every draw comes from a ``numpy.random.Generator`` on the host.

Layers draw their initial weights, datasets their samples, ``train`` its shuffles and
corruptions, the VAE its ε: all from Generators passed in, so one seed gives the same
numbers bit for bit, on NumPy and on CuPy alike (draws are made on the host and then
moved to the device).
"""

from __future__ import annotations

import numpy


def as_generator(rng) -> numpy.random.Generator:
    """``rng`` as a ``numpy.random.Generator``: pass a Generator, or an int seed."""
    if isinstance(rng, numpy.random.Generator):
        return rng
    if isinstance(rng, (int, numpy.integer)) and not isinstance(rng, bool):
        return numpy.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be a numpy.random.Generator or an int seed, got {type(rng).__name__}"
    )


def require_generator(rng, name: str = "rng") -> numpy.random.Generator:
    """``rng`` itself, if it is a ``numpy.random.Generator``; a TypeError otherwise.

    For functions called again and again with the run's Generator (a corruption, once
    per batch; a Dropout's masks): an int seed there would make a fresh Generator each
    call and draw the same noise every batch, so it is refused rather than converted.
    """
    if isinstance(rng, numpy.random.Generator):
        return rng
    raise TypeError(
        f"{name} must be a numpy.random.Generator (the run's, so that each call draws anew), "
        f"got {type(rng).__name__}; for a seed, pass numpy.random.default_rng(seed)"
    )
