"""Parameters and gradients packed into two flat buffers, so an update is a few ufunc calls."""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor

import numpy

from ..backend import array_module
from ..parameter import Parameter


class FlatParameters:
    """Moves each parameter's ``value`` and ``grad`` into one contiguous buffer each.

    After packing, ``p.value`` and ``p.grad`` are views into ``values`` and ``grads``
    (shape (P,), P the total number of scalars), holding the same numbers as before.
    An optimizer then updates every parameter with one pass over ``values``.

    Packing the same parameters again (a second optimizer) moves them to the new
    buffers; the older ``FlatParameters`` is then stale and ``check_current`` says so.

    ``map_chunks(fn)`` calls ``fn(sl, scratch)`` for contiguous slices ``sl`` that split the
    buffer across ``threads`` threads (default: the cores this process may use, at most
    4); NumPy releases the GIL inside ufuncs, so an element-wise update runs on all cores.
    Each thread walks its chunk in blocks of ``BLOCK`` elements, so the several passes of
    an update (Adam makes ten) find that block of every array still in cache instead of
    streaming each whole array from memory ten times. ``scratch`` is a work array of the
    block's length, the thread's own, allocated once here.
    Buffers under ``MIN_CHUNK`` elements per thread, and GPU arrays, are not split.
    """

    MIN_CHUNK = 1 << 16
    BLOCK = 1 << 18

    def __init__(self, params: list[Parameter], threads: int | None = None):
        params = _unique(params)
        if not params:
            raise ValueError("an optimizer needs at least one parameter")
        dtypes = {numpy.dtype(p.dtype) for p in params}
        if len(dtypes) > 1:
            raise TypeError(f"parameters mix dtypes {sorted(map(str, dtypes))}; use one")
        xp = array_module()
        dtype = dtypes.pop()
        total = sum(int(p.value.size) for p in params)
        self.params = params
        self.values = xp.empty(total, dtype=dtype)
        self.grads = xp.empty(total, dtype=dtype)
        offset = 0
        for p in params:
            size, shape = int(p.value.size), p.value.shape
            value = self.values[offset : offset + size].reshape(shape)  # (P,) slice -> p's shape
            grad = self.grads[offset : offset + size].reshape(shape)
            value[...], grad[...] = p.value, p.grad
            p.value, p.grad = value, grad
            p._flat_owner = self
            offset += size
        on_host = xp is numpy
        self.chunks = _chunks(total, _threads(threads) if on_host else 1, self.MIN_CHUNK)
        self._pool = ThreadPoolExecutor(len(self.chunks)) if len(self.chunks) > 1 else None
        self._block = self.BLOCK if on_host else total  # a GPU takes the whole buffer at once
        longest = max(c.stop - c.start for c in self.chunks)
        self._scratch = xp.empty((len(self.chunks), min(self._block, longest)), dtype=dtype)

    def map_chunks(self, fn) -> None:
        """Run ``fn(slice, scratch)`` over the buffer, block by block, one thread per chunk."""
        if self._pool is None:
            _in_blocks(fn, self.chunks[0], self._block, self._scratch[0])
            return
        futures = [
            self._pool.submit(_in_blocks, fn, chunk, self._block, scratch)
            for chunk, scratch in zip(self.chunks, self._scratch, strict=True)
        ]
        for future in futures:
            future.result()

    def check_current(self) -> None:
        """Raise if the parameters were since packed elsewhere (this buffer is stale)."""
        if any(getattr(p, "_flat_owner", None) is not self for p in self.params):
            raise RuntimeError(
                "these parameters were handed to another optimizer since this one was built; "
                "step the newest optimizer only"
            )


def _in_blocks(fn, chunk: slice, block: int, scratch) -> None:
    for lo in range(chunk.start, chunk.stop, block):
        hi = min(lo + block, chunk.stop)
        fn(slice(lo, hi), scratch[: hi - lo])


def _threads(threads: int | None) -> int:
    if threads is None:
        threads = min(len(os.sched_getaffinity(0)), 4)
    if threads < 1:
        raise ValueError(f"threads must be >= 1, got {threads}")
    return threads


def _chunks(total: int, threads: int, min_chunk: int) -> list[slice]:
    """Split range(total) into at most ``threads`` contiguous slices of >= min_chunk each."""
    count = max(1, min(threads, total // min_chunk))
    bounds = [total * k // count for k in range(count + 1)]
    return [slice(lo, hi) for lo, hi in itertools.pairwise(bounds)]


def _unique(params) -> list[Parameter]:
    unique, seen = [], set()
    for p in params:
        if not isinstance(p, Parameter):
            raise TypeError(f"expected minae Parameters, got {type(p).__name__}")
        if id(p) not in seen:
            seen.add(id(p))
            unique.append(p)
    return unique
