"""A large batch through a wide convolution: whole columns against bands of output rows.

    python benchmarks/conv_bands.py [--reps 5] [--images 2000] [--batch 500]

``minae.predict`` of lesson 11's residual super-resolution network (``conv_throughput.py``'s
(r): Conv 1→32 5×5, ReLU, Conv 32→32 3×3, ReLU, Conv 32→1 3×3, on 28×28 images) at batch
500, as the lesson predicts its test set. Its Conv(32, 32) would build columns of
288 × 392,000 floats, 451 MB, at every batch. The two ways alternate in one process,
``reps`` times: "whole" builds every layer's columns whole (``conv2d_products.forward``),
"bands" lets ``Conv2d`` take ``forward_in_bands`` above ``WHOLE_COLUMNS_BYTES``. The table
gives the median time and the peak of memory the call allocated (tracemalloc, which sees
NumPy's arrays), and how far apart the two predictions are.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conv_throughput import minae_model

import minae
from minae.fast import conv2d_products

BANDS_ABOVE = conv2d_products.WHOLE_COLUMNS_BYTES


def predict(model, X, batch: int, bands: bool):
    conv2d_products.WHOLE_COLUMNS_BYTES = BANDS_ABOVE if bands else 1 << 62
    tracemalloc.start()
    start = time.perf_counter()
    X_hat = minae.predict(model.reconstruct, X, batch_size=batch)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return X_hat, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    _, model = minae_model("r")
    X = np.random.default_rng(1).uniform(size=(args.images, 1, 28, 28)).astype(np.float32)
    times, peaks, outputs = {"whole": [], "bands": []}, {}, {}
    predict(model, X[: args.batch], args.batch, True)  # warm up
    for _ in range(args.reps):
        for way in times:
            X_hat, seconds, peak = predict(model, X, args.batch, way == "bands")
            times[way].append(seconds)
            peaks[way], outputs[way] = peak, X_hat
    print(f"numpy {np.__version__}; {args.images} images, batch {args.batch}")
    print("| way | median ms | every run (ms) | peak MB |\n| --- | ---: | --- | ---: |")
    for way, runs in times.items():
        every = " ".join(f"{1e3 * s:.0f}" for s in runs)
        median = 1e3 * statistics.median(runs)
        print(f"| {way} | {median:,.0f} | {every} | {peaks[way] / 1e6:,.0f} |")
    ratio = statistics.median(times["whole"]) / statistics.median(times["bands"])
    apart = np.abs(outputs["bands"] - outputs["whole"]).max()
    print(f"bands are {ratio:.1f}x as fast; the predictions differ by at most {apart:.1e}")


if __name__ == "__main__":
    main()
