"""minae's training step against the GEMM floor, alternating step by step in one process.

    OPENBLAS_THREAD_TIMEOUT=18 python benchmarks/step_vs_floor.py [--arch a] [--threads 2]

``train_throughput.py`` times whole epochs, each runner in its own process; on a shared
machine a process can land in a slow mode that slows memory-bound passes (minae's
element-wise work) but hardly the compute-bound matrix products, which moves the ratio to
the floor from pass to pass. Here every batch is run twice, once through minae's training
step (gather, forward, loss, backward, Adam) and once through the floor's products, so
both see the same machine state. Reported: the median time of each phase times the steps
of an epoch, and the ratio minae / floor, from medians and from the totals. OpenBLAS reads
its settings when NumPy loads: set ``OPENBLAS_THREAD_TIMEOUT`` in the environment.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_throughput as tt  # the sibling script, on the path set above

MINAE_PHASES = ("gather", "forward", "loss", "backward", "optimizer")
FLOOR_PHASES = ("floor forward", "floor backward")


def minae_step(model, optimizer, X, idx, times: dict) -> None:
    """One training step of minae, as ``minae.train`` runs it, each phase timed."""
    t0 = time.perf_counter()
    batch = X[idx]
    t1 = time.perf_counter()
    optimizer.zero_grad()
    model.forward(batch)
    t2 = time.perf_counter()
    model.loss(batch)
    t3 = time.perf_counter()
    model.backward(input_grad=False)
    t4 = time.perf_counter()
    optimizer.step()
    t5 = time.perf_counter()
    for phase, seconds in zip(MINAE_PHASES, np.diff([t0, t1, t2, t3, t4, t5]), strict=True):
        times[phase].append(seconds)


def floor_step(W, batch, times: dict) -> None:
    t0 = time.perf_counter()
    activations = tt.floor_forward(W, batch)
    t1 = time.perf_counter()
    tt.floor_backward(W, activations)
    t2 = time.perf_counter()
    times["floor forward"].append(t1 - t0)
    times["floor backward"].append(t2 - t1)


def epoch(model, optimizer, W, X, rng, times: dict) -> None:
    order = rng.permutation(X.shape[0])
    for lo in range(0, X.shape[0], tt.BATCH):
        minae_step(model, optimizer, X, order[lo : lo + tt.BATCH], times)
        floor_step(W, X[lo : lo + tt.BATCH], times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="a", choices=("a", "b"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs")
    args = parser.parse_args()
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads):
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # before minae loads NumPy's BLAS
        os.execv(sys.executable, [sys.executable, *sys.argv])
    minae, model = tt.minae_model(args.arch)
    optimizer = minae.Adam(model.parameters(), lr=1e-3, threads=args.threads)
    W, X, rng = tt.floor_weights(args.arch), tt.data(), np.random.default_rng(0)
    times = {phase: [] for phase in MINAE_PHASES + FLOOR_PHASES}
    epoch(model, optimizer, W, X[:2048], rng, times)  # warm-up
    times = {phase: [] for phase in times}
    for _ in range(args.epochs):
        epoch(model, optimizer, W, X, rng, times)
    report(args, times)


def report(args, times: dict) -> None:
    steps = -(-tt.N // tt.BATCH)  # steps per epoch
    timeout = os.environ.get("OPENBLAS_THREAD_TIMEOUT", "unset (2^28 cycles)")
    print(f"({args.arch}), {args.threads} thread(s), OPENBLAS_THREAD_TIMEOUT {timeout}")
    print(f"{'phase':16} {'median x steps (s)':>19} {'total / epochs (s)':>19}")
    per_epoch = {}
    for phase, seconds in times.items():
        per_epoch[phase] = (np.median(seconds) * steps, np.sum(seconds) / args.epochs)
        print(f"{phase:16} {per_epoch[phase][0]:19.3f} {per_epoch[phase][1]:19.3f}")
    for how, k in (("medians", 0), ("totals", 1)):
        minae_s = sum(per_epoch[p][k] for p in MINAE_PHASES)
        floor_s = sum(per_epoch[p][k] for p in FLOOR_PHASES)
        print(
            f"minae / floor from {how}: {minae_s:.2f} s / {floor_s:.2f} s = "
            f"{minae_s / floor_s:.2f}x"
        )


if __name__ == "__main__":
    main()
