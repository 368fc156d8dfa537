"""What weight decay costs a training step of Hinton & Salakhutdinov's network.

    python benchmarks/weight_decay.py [--reps 5] [--steps 40] [--threads 2]

The network (b) of ``train_throughput.py`` (784-1000-500-250-30 and back, 2.8 million
parameters), MSE, Adam, batches of 256 MNIST-like images: steps of the model without a
penalty, with ``penalties={"weight_decay": (1e-4, WeightDecay())}`` (β W folded into
Adam's pass, ``minae/fast/folded_decay.py``), with the same penalty not folded (β W added
by the model's backward, in a pass of its own), and with the plain ``WeightDecay``
(``(W * W).sum()`` and ``p.accumulate(beta * W)``, a fresh array each, not folded),
timed in turn (``steps`` steps a round, ``reps`` rounds), medians in ms a step; a
penalty's share is (with - without) / with. Then Ω's two pieces alone, on the same
parameters: ``value`` (½ Σ ||W||², which the loss reports every step) and
``accumulate_grad`` (β W added into each weight's gradient), and Adam's step alone with
and without β W folded into it.
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
from minae.training import step


class UnfoldedWeightDecay(minae.WeightDecay):
    """``WeightDecay`` whose β W the model's backward adds, in a pass of its own."""

    def fold_into(self, optimizer, params, beta):
        return None


class PlainWeightDecay(UnfoldedWeightDecay):
    """The penalty as the slide writes it, a fresh array for W ∘ W and for β W."""

    def value(self, params):
        return 0.5 * sum(float((p.value * p.value).sum()) for p in self.weights(params))

    def accumulate_grad(self, params, beta):
        for p in self.weights(params):
            p.accumulate(beta * p.value)


def model(decay):
    """The network without a penalty (None), or with the weight-decay penalty ``decay``."""
    widths, activation = ARCHS["b"]
    rng = np.random.default_rng(0)
    penalties = {"weight_decay": (1e-4, decay)} if decay else None
    return minae.Autoencoder(
        minae.mlp(widths, activation=activation, rng=rng),
        minae.mlp(widths[::-1], activation=activation, rng=rng),
        minae.MSE(),
        penalties=penalties,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    minae.blas_threads(args.threads)
    X = np.random.default_rng(1).uniform(size=(args.steps, 256, 784)).astype(np.float32)
    variants = {
        "none": None,
        "WeightDecay": minae.WeightDecay(),
        "not folded": UnfoldedWeightDecay(),
        "plain": PlainWeightDecay(),
    }
    runs = {}
    for name, decay in variants.items():
        m = model(decay)
        runs[name] = (m, minae.Adam(m.parameters(), lr=1e-3, threads=args.threads))
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for r in range(args.reps + 1):  # the first round warms up; each round starts elsewhere
        for name in names[r % len(names) :] + names[: r % len(names)]:
            m, optimizer = runs[name]
            start = time.perf_counter()
            for batch in X:
                step(m, optimizer, batch, batch)
            times[name].append((time.perf_counter() - start) * 1e3 / args.steps)
    medians = {name: statistics.median(times[name][1:]) for name in runs}
    print(
        f"{args.threads} thread(s), batch 256, medians of {args.reps} rounds of {args.steps} steps"
    )
    without = medians["none"]
    print(f"  no penalty: {without:.2f} ms a step")
    for name in ("WeightDecay", "not folded", "plain"):
        share = 100 * (medians[name] - without) / medians[name]
        print(f"  {name}: {medians[name]:.2f} ms a step, weight decay {share:.1f}% of it")
    m, _ = runs["WeightDecay"]
    params = m.parameters()
    for Omega in (minae.WeightDecay(), PlainWeightDecay()):
        pieces = {
            "value": lambda Omega=Omega: Omega.value(params),
            "accumulate_grad": lambda Omega=Omega: Omega.accumulate_grad(params, 1e-4),
        }
        for piece, fn in pieces.items():
            samples = []
            for _ in range(args.reps):
                start = time.perf_counter()
                for _ in range(args.steps):
                    fn()
                samples.append((time.perf_counter() - start) * 1e3 / args.steps)
            ms = statistics.median(samples)
            share = f"{100 * ms / without:.1f}% of a step without the penalty"
            print(f"  {type(Omega).__name__}.{piece} alone: {ms:.2f} ms, {share}")
    m, optimizer = runs["none"]  # Adam's step alone, with β W folded into it and without
    steps = {"Adam's step": [], "Adam's step with β W folded in": []}
    for _ in range(args.reps):
        for name in steps:
            term = (
                minae.WeightDecay().fold_into(optimizer, m.parameters(), 1e-4)
                if "folded" in name
                else None
            )
            start = time.perf_counter()
            for _ in range(args.steps):
                optimizer.step()
            steps[name].append((time.perf_counter() - start) * 1e3 / args.steps)
            if term is not None:
                optimizer.unfold(term)
    for name, samples in steps.items():
        print(f"  {name} alone: {statistics.median(samples):.2f} ms")


if __name__ == "__main__":
    main()
