"""The optimizers' speed devices keep their contracts: threads and blocks change no bit,
a step makes no full-size temporary, decaying buffers never linger in the subnormal range
and flushing them moves no parameter. (The updates' equations are in test_optim.py.)"""

import os
import tracemalloc

import numpy as np
import pytest
from test_optim import set_grads

from minae import SGD, Adam, Linear, Parameter
from minae.fast import BlockMap


def test_a_step_makes_no_full_size_temporary():
    layer = Linear(1000, 1000, rng=0)  # 4 MB of float32 parameters
    opt = Adam(layer.parameters())
    opt.step()  # the first step may warm caches
    tracemalloc.start()
    opt.step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < opt.flat.values.nbytes / 10, f"a step allocated {peak} bytes"


@pytest.mark.parametrize(
    "make", [lambda p, t: Adam(p, threads=t), lambda p, t: SGD(p, 0.1, 0.9, threads=t)]
)
def test_threaded_blocked_steps_equal_single_threaded_ones_bit_for_bit(make, monkeypatch):

    monkeypatch.setattr(BlockMap, "MIN_CHUNK", 4)  # split even a small buffer
    results = []
    for threads, block in ((1, 1 << 18), (3, 1 << 18), (1, 3), (3, 5)):
        monkeypatch.setattr(BlockMap, "BLOCK", block)
        layer = Linear(7, 5, rng=0)
        opt = make(layer.parameters(), threads)
        assert len(opt._map.chunks) == threads
        assert sum(c.stop - c.start for c in opt._map.chunks) == opt.flat.values.size
        rng = np.random.default_rng(1)
        for _ in range(3):
            set_grads(layer.parameters(), rng)
            opt.step()
        results.append(opt.flat.values.copy())
    for result in results[1:]:
        np.testing.assert_array_equal(results[0], result)


def test_block_map_visits_every_element_once_in_blocks(monkeypatch):

    monkeypatch.setattr(BlockMap, "MIN_CHUNK", 4)
    monkeypatch.setattr(BlockMap, "BLOCK", 3)
    block_map = BlockMap(40, np.float32, threads=3)
    visits = np.zeros(40, dtype=int)
    sizes = []

    def visit(sl, scratch):
        assert scratch.shape == (sl.stop - sl.start,)
        visits[sl] += 1
        sizes.append(sl.stop - sl.start)

    block_map(visit)
    np.testing.assert_array_equal(visits, 1)
    assert max(sizes) == 3


@pytest.mark.parametrize("threads", [0, -2, 1.5, True])
def test_bad_thread_counts_are_refused(threads):
    with pytest.raises((ValueError, TypeError), match="threads must be an integer >= 1"):
        Adam(Linear(2, 2, rng=0).parameters(), threads=threads)


def test_default_threads_without_sched_getaffinity(monkeypatch):
    # macOS and Windows have no os.sched_getaffinity: the default falls back to cpu_count

    from minae.fast.parallel import available_cores

    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert available_cores() == 3
    Adam(Linear(2, 2, rng=0).parameters()).step()


@pytest.mark.parametrize(
    "make",
    [
        lambda p: Adam(p, lr=1e-3),
        lambda p: SGD(p, lr=1e-3, momentum=0.9),
        lambda p: SGD(p, lr=1e-3, momentum=0.9, nesterov=True),
    ],
    ids=["adam", "momentum", "nesterov"],
)
def test_decaying_buffers_never_linger_in_the_subnormal_range(make):
    # a gradient that is exactly zero after the first step makes m and v (or the velocity)
    # decay geometrically; unflushed they would pass through the subnormal range, where
    # every multiply takes the CPU's slow path (see minae/fast/subnormals.py)
    tiny = np.finfo(np.float32).tiny
    p = Parameter(np.zeros(64, np.float32))
    optimizer = make([p])
    p.grad = np.logspace(-2, 2, 64).astype(np.float32)
    optimizer.step()
    values = p.value.copy()
    moved = []
    for _ in range(3000):
        optimizer.zero_grad()
        optimizer.step()
        for buffer in optimizer.buffers().values():
            magnitude = np.abs(buffer)
            assert not ((magnitude > 0) & (magnitude < tiny)).any()
        moved.append(float(np.abs(p.value - values).max()))
        values = p.value.copy()
    fastest = next(iter(optimizer.buffers().values()))  # m (β1 = 0.9) or the velocity
    assert fastest.max() == 0  # flushed, not just small
    assert moved[0] > 0  # the decaying momentum went on moving θ, as it should


def test_flushing_leaves_the_steps_as_the_equations_give_them():
    # with gradients of ordinary size nothing is below the threshold: the flushed run
    # equals a run that never flushes, bit for bit, over many flush periods
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(200, 50)).astype(np.float32)
    runs = []
    for flush in (True, False):
        p = Parameter(np.zeros(50, np.float32))
        optimizer = Adam([p], lr=1e-2)
        if not flush:
            optimizer._flush_buffers = lambda: None
        for g in grads:
            optimizer.zero_grad()
            p.grad = g
            optimizer.step()
        runs.append((p.value.copy(), optimizer.m.copy(), optimizer.v.copy()))
    for a, b in zip(*runs, strict=True):
        assert np.array_equal(a, b)
