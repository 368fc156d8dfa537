"""The convolutional autoencoders' training step against their GEMM floor, alternating
batch by batch in one process.

    python benchmarks/conv_floor.py [--arch k s r] [--threads 2] [--epochs 1] [--images N]

(k), (s) and (r), lesson 11's residual super-resolution network, are described in
``conv_throughput.py``.

The floor of a step is its matrix products alone: for each convolution, the three
products of the im2col form (forward W_mat X_col, then dW_mat = dY_mat X_colᵀ and
dX_col = W_matᵀ dY_mat), on the side with fewer rows (C·kh·kw of the input or of the
output channels: what ``conv2d_flipped.py`` picks), and for each Linear its three
products; no column building, padding, pooling, upsampling, activation, loss or
optimizer. The arrays are made once; every batch runs minae's step (gather, forward,
loss, backward, Adam), then the floor's products, so both see the same machine state.
Reported: the median of each phase times the steps of an epoch, the ratio minae / floor,
and minae's step split by layer kind (``--layers`` of ``conv_throughput.py`` gives each
layer's own times).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conv_throughput import BATCH, data, minae_model  # the sibling script

IMAGES = 60_000


def products(model, batch: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The (m, k) and (k, n) operand shapes of every product of one training step."""
    import minae

    shapes: list[tuple[tuple[int, int], tuple[int, int]]] = []
    x_shape = (1, 28, 28)
    for layer in model.encoder.layers + model.decoder.layers:
        out_shape = layer.out_shape(x_shape)
        if isinstance(layer, minae.Linear):
            n_in, n_out = layer.W.shape
            shapes += [
                ((batch, n_in), (n_in, n_out)),  # Y = X W
                ((n_in, batch), (batch, n_out)),  # dW = Xᵀ dY
                ((batch, n_out), (n_out, n_in)),
            ]  # dX = dY Wᵀ
        elif isinstance(layer, (minae.Conv2d, minae.ConvTranspose2d)):
            kh, kw = layer.kernel_size
            small, large = sorted((layer.in_channels, layer.out_channels))
            # a transposed convolution is a convolution from its output back to its input
            pixels = out_shape[1] * out_shape[2]
            if isinstance(layer, minae.ConvTranspose2d):
                pixels = x_shape[1] * x_shape[2]
            K, cols = small * kh * kw, pixels * batch
            shapes += [
                ((large, K), (K, cols)),  # Y_mat = W_mat X_col
                ((large, cols), (cols, K)),  # dW_mat = dY_mat X_colᵀ
                ((K, large), (large, cols)),
            ]  # dX_col = W_matᵀ dY_mat
        x_shape = out_shape
    return shapes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", nargs="+", default=["k", "s"], choices=("k", "s", "r"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1, help="timed epochs")
    parser.add_argument("--images", type=int, default=IMAGES, help="images an epoch")
    args = parser.parse_args()
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads):
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # before NumPy loads its BLAS
        os.execv(sys.executable, [sys.executable, *sys.argv])
    for arch in args.arch:
        measure(arch, args.threads, args.epochs, args.images)


def measure(arch: str, threads: int, epochs: int, images: int = IMAGES) -> None:
    m, model = minae_model(arch)
    optimizer = m.Adam(model.parameters(), lr=1e-3, threads=threads)
    rng = np.random.default_rng(0)
    operands = [
        (rng.standard_normal(a).astype(np.float32), rng.standard_normal(b).astype(np.float32))
        for a, b in products(model, BATCH)
    ]
    outputs = [np.empty((a.shape[0], b.shape[1]), np.float32) for a, b in operands]
    X = data(images)
    times: dict[str, list[float]] = {
        "gather": [],
        "forward": [],
        "loss": [],
        "backward": [],
        "optimizer": [],
        "floor": [],
    }

    def one_epoch(X) -> None:
        order = rng.permutation(X.shape[0])
        for lo in range(0, X.shape[0], BATCH):
            t = [time.perf_counter()]
            batch = X[order[lo : lo + BATCH]]
            t.append(time.perf_counter())
            optimizer.zero_grad()
            model.forward(batch)
            t.append(time.perf_counter())
            model.loss(batch)
            t.append(time.perf_counter())
            model.backward(input_grad=False)
            t.append(time.perf_counter())
            optimizer.step()
            t.append(time.perf_counter())
            for (a, b), out in zip(operands, outputs, strict=True):
                np.matmul(a, b, out=out)
            t.append(time.perf_counter())
            for phase, seconds in zip(times, np.diff(t), strict=True):
                times[phase].append(seconds)

    one_epoch(X[: 16 * BATCH])  # warm-up
    for phase in times:
        times[phase].clear()
    for _ in range(epochs):
        one_epoch(X)
    steps = -(-images // BATCH)
    per_epoch = {phase: float(np.median(s)) * steps for phase, s in times.items()}
    step = sum(v for k, v in per_epoch.items() if k != "floor")
    flops = sum(2 * a.shape[0] * a.shape[1] * b.shape[1] for a, b in operands) * steps
    print(
        f"({arch}) {threads} thread(s), {epochs} epoch(s) of {images:,} images, batch "
        f"{BATCH}; medians x {steps} steps, s an epoch"
    )
    print("| phase | s an epoch |\n| --- | ---: |")
    for phase, seconds in per_epoch.items():
        print(f"| {phase} | {seconds:.2f} |")
    print(f"| minae's step, all phases | {step:.2f} |")
    print(
        f"minae / floor: {step:.2f} s / {per_epoch['floor']:.2f} s = "
        f"{step / per_epoch['floor']:.2f}x; the floor's products do "
        f"{flops / per_epoch['floor'] / 1e9:.1f} GFLOP/s"
    )


if __name__ == "__main__":
    main()
