"""The element-wise passes that a loss makes, in float32, one batch at a time.

    python benchmarks/elementwise.py [--reps 5] [--number 50]

What two choices in the losses rest on, measured on the batches the lessons train on:
- ``log1p`` against ``log``: BCE's log(1 - x̂) on a batch of 128 MNIST images
  (128×1×28×28), and BCEWithLogits' log(1 + e^{-|a|}) on a batch of 256 (256×784);
- a product of two 128×1×28×28 batches laid out alike, and laid out differently (one
  row-major, one batch innermost as a conv decoder's output is stored,
  ``minae/fast/image_layout.py``).
Each the best of ``reps`` repeats of ``number`` calls, ms a call.
"""

from __future__ import annotations

import argparse
import timeit

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--number", type=int, default=50)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    p = rng.uniform(0.01, 0.99, size=(128, 1, 28, 28)).astype(np.float32)
    a = rng.normal(0.0, 3.0, size=(256, 784)).astype(np.float32)
    target = rng.uniform(size=(128, 1, 28, 28)).astype(np.float32)
    innermost = np.ascontiguousarray(p.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    cases = {
        "BCE, log1p(-p), 128x1x28x28": lambda: np.log1p(-p),
        "BCE, log(1 - p), 128x1x28x28": lambda: np.log(1.0 - p),
        "BCEWithLogits, log1p(exp(-|a|)), 256x784": lambda: np.log1p(np.exp(-np.abs(a))),
        "BCEWithLogits, log(1 + exp(-|a|)), 256x784": lambda: np.log(1.0 + np.exp(-np.abs(a))),
        "product, both row-major, 128x1x28x28": lambda: target * p,
        "product, row-major times batch-innermost": lambda: target * innermost,
    }
    print(f"numpy {np.__version__}; best of {args.reps} x {args.number} calls, ms a call")
    for name, fn in cases.items():
        best = min(timeit.repeat(fn, number=args.number, repeat=args.reps)) / args.number
        print(f"  {name}: {best * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
