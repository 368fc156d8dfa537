"""Parameters and gradients packed into two flat buffers, so an update is a few ufunc calls.

With the updates in place (``in_place.py``) and on threads (``parallel.py``), one Adam step
over the 2.8 million parameters of Hinton & Salakhutdinov's network takes 8.88 ms, where
the paper's lines array by array (``minae.plain.optimizers.adam``) take 16.01 ms (1.8x),
measured by ``benchmarks/plain_vs_fast.py``.
"""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module
from ..layers.parameter import Parameter


class FlatParameters:
    """Moves each parameter's ``value`` and ``grad`` into one contiguous buffer each.

    After packing, ``p.value`` and ``p.grad`` are views into ``values`` and ``grads``
    (shape (P,), P the total number of scalars), holding the same numbers as before.
    An optimizer then updates every parameter with one pass over ``values``. Packing goes
    through ``Parameter._bind``; assigning ``p.value = ...`` or ``p.grad = ...`` later
    copies into these buffers, so nothing comes loose.

    Packing the same parameters again (a second optimizer) moves them to the new
    buffers; the older ``FlatParameters`` is then stale and ``check_current`` says so.

    θ as one vector, as slides 001's update ⑥ treats "the weights"; a speed device (one pass
    over memory), whose plain counterpart updates array by array
    (``minae.plain.optimizers``, which the tests compare with it).

    Parameters
    ----------
    params : list of Parameter
        The parameters, each of any shape, all of one dtype; one listed twice is packed once.
    """

    def __init__(self, params: list[Parameter]):
        params = _unique(params)
        if not params:
            raise ValueError("params is empty: an optimizer needs at least one parameter")
        dtypes = {numpy.dtype(p.dtype) for p in params}
        if len(dtypes) > 1:
            raise TypeError(f"parameters mix dtypes {sorted(map(str, dtypes))}; use one")
        xp = array_module()
        dtype = dtypes.pop()
        total = sum(int(p.value.size) for p in params)
        self.params = params
        self.values = xp.empty(total, dtype=dtype)
        self.grads = xp.empty(total, dtype=dtype)
        self._spans = {}
        offset = 0
        for p in params:
            size, shape = int(p.value.size), p.shape
            value = self.values[offset : offset + size].reshape(shape)  # (P,) slice -> p's shape
            grad = self.grads[offset : offset + size].reshape(shape)
            p._bind(value, grad, self)
            self._spans[id(p)] = (offset, offset + size)
            offset += size

    def span(self, p: Parameter) -> tuple[int, int]:
        """Where ``p`` lies in the flat buffers: (start, stop), ``values[start:stop]`` its
        numbers. A parameter this buffer does not hold is refused."""
        if id(p) not in self._spans:
            raise ValueError(f"{p!r} is not among the parameters this optimizer holds")
        return self._spans[id(p)]

    def check_current(self) -> None:
        """Raise if the parameters were since packed elsewhere (this buffer is stale)."""
        if any(p.owner is not self for p in self.params):
            raise RuntimeError(
                "this optimizer is stale: its parameters were packed into another optimizer "
                "built since (each optimizer moves the parameters into its own buffer); "
                "step the newest optimizer only"
            )


def _unique(params) -> list[Parameter]:
    if isinstance(params, (str, bytes)) or not hasattr(params, "__iter__"):
        raise TypeError(
            f"params must be a list of minae Parameters (model.parameters()), "
            f"got {type(params).__name__}"
        )
    unique, seen = [], set()
    for p in params:
        if not isinstance(p, Parameter):
            raise TypeError(
                f"params must hold minae Parameters (model.parameters()), got a {type(p).__name__}"
            )
        if id(p) not in seen:
            seen.add(id(p))
            unique.append(p)
    return unique
