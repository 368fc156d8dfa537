"""Each speed device against the plain version it stands in for, in one process.

    python benchmarks/plain_vs_fast.py [--reps 5] [--threads 2]

What each module of ``minae/fast/`` buys, measured: the plain version (``minae.plain``, the
definition as the slides write it) and the fast one on the same inputs, alternately, each
timed ``reps`` times; medians in milliseconds, and their ratio. float32, as training runs.

- convolution by im2col products (``im2col.py``, ``conv2d_products.py``) against the loops
  of ``minae.plain.convolution``: a forward and a backward of Conv2d(16, 8, 3×3, padding 1)
  on a batch of 8 images 14×14, the middle layer of the Keras blog's model;
- the flipped-kernel path (``conv2d_flipped.py``) against the same products built from
  the input side: Conv2d(16, 1, 3×3, padding 1) on 128 images 28×28, forward and backward;
- one Adam step over the 2.8 million parameters of ``train_throughput.py``'s (b): the
  optimizer's flat buffer, updated in place on threads (``flat_parameters.py``,
  ``in_place.py``, ``parallel.py``) against ``minae.plain.optimizers.adam`` array by array.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from train_throughput import ARCHS

import minae
from minae.plain import convolution as plain
from minae.plain import optimizers as plain_optimizers


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1e3


def convolution_pair():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 16, 14, 14)).astype(np.float32)
    layer = minae.Conv2d(16, 8, 3, padding=1, rng=0)
    W, b = layer.W.value, layer.b.value
    dY = rng.standard_normal((8, 8, 14, 14)).astype(np.float32)

    def loops():
        plain.conv2d(x, W, b, (1, 1), (1, 1))
        plain.conv2d_backward(x, W, dY, (1, 1), (1, 1))

    def products():
        layer.forward(x)
        layer.backward(dY)
        layer.W.zero_grad()
        layer.b.zero_grad()

    return loops, products


def flipped_pair():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((128, 16, 28, 28)).astype(np.float32)
    dY = rng.standard_normal((128, 1, 28, 28)).astype(np.float32)
    flipped = minae.Conv2d(16, 1, 3, padding=1, rng=0)
    by_columns = minae.Conv2d(16, 1, 3, padding=1, rng=0)
    assert flipped.flipped
    by_columns.flipped = False  # the products from the input side: 144 rows of columns

    def run(layer):
        def step():
            layer.forward(x)
            layer.backward(dY)
            layer.W.zero_grad()
            layer.b.zero_grad()

        return step

    return run(by_columns), run(flipped)


def adam_pair(threads: int):
    widths, activation = ARCHS["b"]
    rng = np.random.default_rng(2)
    model = minae.Autoencoder(
        minae.mlp(widths, activation=activation, rng=rng),
        minae.mlp(widths[::-1], activation=activation, rng=rng),
        minae.MSE(),
    )
    params = model.parameters()
    for p in params:
        p.grad = rng.standard_normal(p.shape).astype(np.float32) * 1e-3
    arrays = [p.value.copy() for p in params]
    grads = [p.grad.copy() for p in params]
    m = [np.zeros_like(a) for a in arrays]
    v = [np.zeros_like(a) for a in arrays]
    optimizer = minae.Adam(params, lr=1e-3, threads=threads)
    t = [0]

    def array_by_array():  # the paper's lines, each a whole-array expression
        t[0] += 1
        for i, g in enumerate(grads):
            arrays[i], m[i], v[i] = plain_optimizers.adam(arrays[i], m[i], v[i], g, t[0], 1e-3)

    return array_by_array, optimizer.step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    minae.blas_threads(args.threads)
    pairs = {
        "Conv2d(16, 8) 14×14, batch 8: loops → im2col products": convolution_pair(),
        "Conv2d(16, 1) 28×28, batch 128: input-side columns → flipped kernel": flipped_pair(),
        "Adam step, 2.8M parameters: array by array → flat, in place, threads": adam_pair(
            args.threads
        ),
    }
    print(f"{args.threads} thread(s); medians of {args.reps} alternating runs, ms")
    print("| device | plain (ms) | fast (ms) | plain / fast |\n| --- | ---: | ---: | ---: |")
    for name, (slow, fast) in pairs.items():
        slow(), fast()  # warm up
        times = {"plain": [], "fast": []}
        for _ in range(args.reps):
            times["plain"].append(timed(slow))
            times["fast"].append(timed(fast))
        a, b = statistics.median(times["plain"]), statistics.median(times["fast"])
        print(f"| {name} | {a:.2f} | {b:.2f} | {a / b:.1f}x |")


if __name__ == "__main__":
    main()
