"""Adam's step when a fifth of m has decayed into the subnormal range, flushed or not.

    python benchmarks/subnormals.py [--steps 256] [--fraction 0.2]

Where a gradient is exactly zero step after step (blank pixels, silent ReLU units), Adam's
m decays by β1 = 0.9 a step and, after about 830 steps, enters the subnormal range
(below 1.2e-38 in float32), where x86 processors multiply on a slow path. This times
``Adam.step()`` over the 2.8 million parameters of the 784-1000-500-250-30 autoencoder
with a ``fraction`` of the gradient exactly zero and the matching part of m just above
the subnormal range, so that it decays through it during the timed steps: once as minae
runs (flushing every ``FLUSH_EVERY`` steps, ``minae/fast/subnormals.py``) and once with
the flush turned off. Medians of 3 rounds; the ratio is what the flush buys.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import minae

WIDTHS = [784, 1000, 500, 250, 30]


def time_steps(steps: int, fraction: float, flush: bool) -> float:
    rng = np.random.default_rng(0)
    model = minae.Autoencoder(
        minae.mlp(WIDTHS, activation="relu", rng=rng),
        minae.mlp(WIDTHS[::-1], activation="relu", rng=rng),
        minae.MSE(),
    )
    optimizer = minae.Adam(model.parameters(), lr=1e-3)
    n = optimizer.flat.values.size
    zero = int(fraction * n)
    gradient = rng.normal(size=n).astype(np.float32)
    gradient[:zero] = 0.0
    optimizer.m[:] = rng.normal(size=n).astype(np.float32) * 1e-3
    optimizer.m[:zero] = 1e-36  # reaches 1.2e-38 after 44 steps at β1 = 0.9
    optimizer.v[:] = 1.0
    if not flush:
        optimizer._flush_buffers = lambda: None
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.flat.grads[:] = gradient
        optimizer.step()
    return (time.perf_counter() - start) / steps


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=256)
    parser.add_argument("--fraction", type=float, default=0.2)
    args = parser.parse_args(argv)
    times = {}
    for flush in (True, False):
        rounds = [time_steps(args.steps, args.fraction, flush) for _ in range(3)]
        times[flush] = statistics.median(rounds)
        print(f"flush {'on ' if flush else 'off'}: {1000 * times[flush]:.2f} ms per Adam step")
    print(f"without the flush a step takes {times[False] / times[True]:.2f}x as long")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
