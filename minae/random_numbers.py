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
