"""Weight decay folded into the optimizer's pass (``minae/fast/folded_decay.py``) against
the slide's way, β W added by the model's backward: the same bits, in float32 and float64,
for every optimizer, with blocks small enough that a weight spans several of them."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

import minae
from minae.fast import BlockMap
from minae.training.loop import step

BETA = 0.03


def model(dtype, beta=BETA):
    rng = np.random.default_rng(0)
    penalties = {"weight_decay": (beta, minae.WeightDecay())} if beta else None
    return minae.Autoencoder(
        minae.mlp([20, 16, 4], activation="sigmoid", rng=rng, dtype=dtype),
        minae.mlp([4, 16, 20], activation="sigmoid", rng=rng, dtype=dtype),
        minae.MSE(),
        penalties=penalties,
    )


OPTIMIZERS = {
    "SGD": lambda params, threads: minae.SGD(params, lr=0.1, momentum=0.9, threads=threads),
    "Adam": lambda params, threads: minae.Adam(params, lr=1e-2, threads=threads),
    "AdamW": lambda params, threads: minae.AdamW(params, lr=1e-2, threads=threads),
}


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 37 numbers in chunks of at least 16: every weight spans several blocks,
    and some blocks hold the end of one weight, a bias and the start of the next."""
    monkeypatch.setattr(BlockMap, "BLOCK", 37)
    monkeypatch.setattr(BlockMap, "MIN_CHUNK", 16)


def batches(dtype):
    return np.random.default_rng(1).uniform(size=(6, 8, 20)).astype(dtype)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("threads", [1, 2])
def test_train_with_the_fold_gives_the_bits_of_the_slides_pass(
    name, dtype, threads, small_blocks, monkeypatch
):
    X = batches(dtype).reshape(-1, 20)
    runs = []
    for fold in (True, False):
        if not fold:  # the slide's way: the model's backward adds β W itself
            monkeypatch.setattr(
                minae.Autoencoder, "folded", lambda self, opt: contextlib.nullcontext()
            )
        m = model(dtype)
        optimizer = OPTIMIZERS[name](m.parameters(), threads)
        minae.train(
            m, optimizer, X, epochs=2, batch_size=8, rng=np.random.default_rng(2), progress=False
        )
        runs.append([p.value.copy() for p in m.parameters()])
    for folded, plain in zip(*runs, strict=True):
        np.testing.assert_array_equal(folded, plain)


def test_train_takes_the_folded_path(small_blocks, monkeypatch):
    """Were ``backward`` to add β W inside ``train``, the step would be counted twice; here
    the model's own pass is made to fail, and training runs."""

    def refused(self, params, beta):
        raise AssertionError("backward added β W although the optimizer folds it")

    monkeypatch.setattr(minae.WeightDecay, "accumulate_grad", refused)
    m = model(np.float64)
    minae.train(
        m,
        minae.Adam(m.parameters()),
        batches(np.float64).reshape(-1, 20),
        epochs=1,
        batch_size=8,
        rng=np.random.default_rng(2),
        progress=False,
    )


def test_inside_the_fold_backward_leaves_beta_w_to_the_optimizer():
    X = batches(np.float64)[0]
    m, bare = model(np.float64), model(np.float64, beta=0.0)
    optimizer = minae.Adam(m.parameters())

    def grads(net):
        for p in net.parameters():
            p.zero_grad()
        net.forward(X)
        net.loss(X)
        net.backward()
        return [p.grad.copy() for p in net.parameters()]

    without = grads(bare)
    with m.folded(optimizer):
        assert len(optimizer.folded) == 1
        for inside, none in zip(grads(m), without, strict=True):
            np.testing.assert_array_equal(inside, none)
    assert optimizer.folded == [] and not m._folded
    for outside, none, p in zip(grads(m), without, m.parameters(), strict=True):
        expected = none + BETA * p.value if p.value.ndim >= 2 else none
        np.testing.assert_allclose(outside, expected, rtol=1e-12, atol=0)


def test_a_step_inside_the_fold_folds_nothing_twice(small_blocks):
    X = batches(np.float64)
    a, b = model(np.float64), model(np.float64)
    oa, ob = minae.SGD(a.parameters(), lr=0.1), minae.SGD(b.parameters(), lr=0.1)
    with a.folded(oa):
        for batch in X:
            step(a, oa, batch, batch)
        assert len(oa.folded) == 1
    for batch in X:
        step(b, ob, batch, batch)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.value, q.value)


def test_the_fold_is_taken_back_when_the_block_raises():
    m = model(np.float64)
    optimizer = minae.Adam(m.parameters())
    with pytest.raises(KeyError), m.folded(optimizer):
        raise KeyError("inside")
    assert optimizer.folded == [] and not m._folded


def test_only_held_parameters_fold_and_beta_is_not_negative():
    m, other = model(np.float64), model(np.float64)
    optimizer = minae.Adam(m.parameters())
    with pytest.raises(ValueError, match="not among the parameters this optimizer holds"):
        optimizer.fold_decay(0.1, other.parameters())
    with pytest.raises(ValueError, match="beta"):
        optimizer.fold_decay(-0.1, m.parameters())
    assert optimizer.folded == []
