"""Keep an optimizer's decaying buffers out of the subnormal range, where CPUs crawl.

A speed device, kept apart so that the updates read as their equations. Adam's
m ← β1 m + (1 - β1) g and a momentum velocity v ← μ v + g shrink geometrically wherever
the gradient is exactly zero: weights from pixels that are blank in every image of a
batch, or into a ReLU unit that no image of the batch switches on. After a few hundred
such steps the numbers fall below the smallest normal float (``finfo.tiny``, 1.2e-38 in
float32), and there x86 processors take a slow path for every multiply, some 30 times
slower. Measured by ``python benchmarks/subnormals.py`` on a 2-core Intel machine: an
Adam step over the 2.8 million parameters of the 784-1000-500-250-30 autoencoder took
7.76 ms with the flush and 17.89 ms without it, once a fifth of m was subnormal, as it is
a few epochs into training; the network's epochs grew from 12-13 s to 20-24 s.

So every ``FLUSH_EVERY`` steps the optimizer sets to zero the entries of its buffers
smaller in size than ``finfo.tiny · 2^20`` (1.2e-32 in float32). Such an entry moves no
parameter: Adam's step is at most η m̂ / ε, about 1e-27 for η = 1e-3, ε = 1e-8, and a
velocity's η v is as small. And a buffer that decays by a factor of 0.65 or more per
step (β1 = 0.9, β2 = 0.999, μ ≥ 0.65) cannot pass from above that threshold to below
``finfo.tiny`` in ``FLUSH_EVERY`` = 32 steps (0.65³² ≈ 2^-20), so it never lingers in
the subnormal range. The flush is deterministic: seeded runs stay bit for bit repeatable.
"""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module

FLUSH_EVERY = 32


def threshold(dtype) -> float:
    """finfo.tiny · 2^20: 1.2e-32 for float32, 2.3e-302 for float64."""
    return float(numpy.finfo(dtype).tiny) * 2.0**20


def flush_small(buffer, scratch) -> None:
    """Set the entries of ``buffer`` with |x| < ``threshold`` to 0, in place.

    ``scratch`` is a work array of ``buffer``'s shape and dtype (the optimizer runs this
    block by block through ``BlockMap``, as its update).
    """
    xp = array_module()
    xp.abs(buffer, out=scratch)
    xp.copyto(buffer, 0, where=scratch < threshold(buffer.dtype))
