"""Weight decay's gradient β W added inside the optimizer's blocked pass, not in a pass of
its own.

A speed device. The slide's way (``WeightDecay.accumulate_grad``) adds β W into every
weight's gradient after back-propagation: one more pass over all the weights and their
gradients, streamed from memory, before the optimizer streams them again. Folded, the
same β W is added block by block inside the optimizer's update (``parallel.py``), where
the block of θ and g is already in cache: the same float operations on the same numbers,
so the same bits. Measured by ``python benchmarks/weight_decay.py`` on Hinton &
Salakhutdinov's network (2.8 million parameters, batches of 256, two threads): weight
decay's share of a step was 6.4% not folded and 2.8% folded (one run of three; all
three in ``benchmarks/README.md``), what it adds 1.23 ms of a 42.18 ms step: Ω's value,
0.30 ms, and 0.93 ms more in Adam's step (5.33 ms against 4.40 ms).

``Autoencoder.folded(optimizer)`` asks for it (``train`` and ``step`` enter it); outside
it, ``backward`` adds β W itself, as the slide writes.
"""

from __future__ import annotations

from ..infrastructure.backend import array_module
from ..layers.parameter import Parameter
from .flat_parameters import FlatParameters


class FoldedDecay:
    """Adds β θ into g on the stretches of the flat buffers that hold ``weights``.

    Called by the optimizer on each block ``sl`` of its flat arrays before its update,
    with the block's scratch array. Shapes: θ and g are the optimizer's flat (P,) buffers;
    each weight is a stretch of them (``FlatParameters.span``).

    Parameters
    ----------
    flat : FlatParameters
        The optimizer's buffers.
    weights : list of Parameter
        The parameters to decay, each held in ``flat``.
    beta : float
        β, the decay's weight.
    """

    def __init__(self, flat: FlatParameters, weights: list[Parameter], beta: float):
        self.flat, self.beta = flat, float(beta)
        self.spans = _merged(sorted(flat.span(p) for p in weights))

    def __call__(self, sl: slice, scratch) -> None:
        xp = array_module()
        theta, g = self.flat.values, self.flat.grads
        for start, stop in self.spans:
            lo, hi = max(start, sl.start), min(stop, sl.stop)
            if lo < hi:  # g ← g + β θ where this block holds weights
                g[lo:hi] += xp.multiply(theta[lo:hi], self.beta, out=scratch[: hi - lo])


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent stretches as one: fewer calls on each block."""
    merged: list[tuple[int, int]] = []
    for start, stop in spans:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return merged
