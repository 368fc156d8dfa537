"""One Adam step over the parameters of an MNIST autoencoder, by thread count.

    python benchmarks/optimizer_step.py [--arch b] [--threads 1 2] [--steps 200]

The optimizer's share of a training step, alone: ``Adam.step()`` on the parameters of
``train_throughput.py``'s architecture (b) (2.8 million float32 numbers) with random
gradients, timed over ``steps`` steps for each thread count in turn, and the same with
``BlockMap.BLOCK`` set to the whole buffer (threads, no blocks). Medians of 5 rounds.
This is what decides ``BlockMap``'s defaults (``minae/fast/parallel.py``).
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
from minae.fast import BlockMap


def parameters(arch: str):
    widths, activation = ARCHS[arch]
    rng = np.random.default_rng(0)
    encoder = minae.mlp(widths, activation=activation, rng=rng)
    decoder = minae.mlp(widths[::-1], activation=activation, rng=rng)
    return minae.Autoencoder(encoder, decoder, minae.MSE()).parameters()


def time_steps(arch: str, threads: int, steps: int, block: int | None) -> float:
    previous = BlockMap.BLOCK
    if block is not None:
        BlockMap.BLOCK = block
    try:
        params = parameters(arch)
        opt = minae.Adam(params, threads=threads)
    finally:
        BlockMap.BLOCK = previous
    opt.flat.grads[...] = np.random.default_rng(1).normal(size=opt.flat.grads.size)
    opt.step()
    start = time.perf_counter()
    for _ in range(steps):
        opt.step()
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="b", choices=sorted(ARCHS))
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    size = sum(int(np.prod(p.shape)) for p in parameters(args.arch))
    print(f"Adam.step over {size:,} float32 parameters ({args.arch}), ms per step, median of 5")
    for label, block in (("blocks of 2^18", None), ("no blocks", 1 << 40)):
        for threads in args.threads:
            rounds = [time_steps(args.arch, threads, args.steps, block) for _ in range(5)]
            shown = " ".join(f"{1e3 * r:.2f}" for r in rounds)
            print(
                f"  {label:15} threads={threads}: {1e3 * statistics.median(rounds):6.2f}  ({shown})"
            )


if __name__ == "__main__":
    main()
