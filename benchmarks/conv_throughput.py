"""Convolutional autoencoders: one training epoch of minae against PyTorch CPU eager.

    python benchmarks/conv_throughput.py [--reps 3] [--threads 2 1] [--arch k s] [--images N]
    python benchmarks/conv_throughput.py --layers --arch k     # where minae's step goes

An epoch is 60,000 MNIST-shaped float32 images (uniform noise in [0, 1]; the times do not
depend on the pixel values), batch 128, Adam at 1e-3, binary cross-entropy summed over
pixels and averaged over the batch. Two models:
(k) the Keras blog's (Chollet 2016): Conv 1→16 3×3 ReLU, MaxPool 2, Conv 16→8, MaxPool 2,
    Conv 8→8, MaxPool 2 (ceil: 7 → 4), code 8×4×4; Conv 8→8, Up 2, Conv 8→8, Up 2,
    Conv 8→16 (valid: 16 → 14), Up 2, Conv 16→1, sigmoid. Every conv 3×3, padding 1
    unless "valid".
(s) strided: Conv 1→32 3×3 stride 2 pad 1, ReLU, Conv 32→64 (same), ReLU, Flatten,
    Linear 3136→32, Linear 32→3136, ReLU, Unflatten, ConvTranspose 64→32 3×3 stride 2
    pad 1 output_padding 1, ReLU, ConvTranspose 32→1 (same), sigmoid.
(r) lesson 11's residual super-resolution network, 28×28 throughout, with the mean squared
    error: Conv 1→32 5×5 pad 2, ReLU, Conv 32→32 3×3 pad 1, ReLU, Conv 32→1 3×3 pad 1.

Each run is a separate process (its peak memory is its own; no two BLAS pools compete),
with the thread count fixed through the environment and torch.set_num_threads; runs
alternate minae / torch, ``reps`` times, and the table reports medians. PyTorch gets
minae's initial weights.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from train_throughput import peak_mb, rss_mb

ROOT = Path(__file__).resolve().parent.parent
BATCH = 128
RUNNERS = ("minae", "torch")


def minae_model(arch: str):
    sys.path.insert(0, str(ROOT))
    import minae as m

    if arch == "k":
        encoder, decoder = m.keras_blog_encoder_decoder(rng=0)
    elif arch == "r":  # lesson 11's residual super-resolution network: 28×28 throughout
        rng = np.random.default_rng(0)
        encoder = m.Sequential(
            m.Conv2d(1, 32, 5, padding=2, rng=rng, init="he"),
            m.ReLU(),
            m.Conv2d(32, 32, 3, padding=1, rng=rng, init="he"),
            m.ReLU(),
        )
        decoder = m.Sequential(m.Conv2d(32, 1, 3, padding=1, rng=rng))
        return m, m.Autoencoder(encoder, decoder, m.MSE())
    else:
        encoder, decoder = m.conv_encoder_decoder((1, 28, 28), [1, 32, 64], code=32, rng=0)
    return m, m.Autoencoder(encoder, decoder, m.BCE())


def data(n: int) -> np.ndarray:
    return np.random.default_rng(1).uniform(size=(n, 1, 28, 28)).astype(np.float32)


def run_minae(arch: str, images: int, epochs: int) -> list[float]:
    m, model = minae_model(arch)
    X = data(images)
    optimizer = m.Adam(model.parameters(), lr=1e-3)
    m.train(model, optimizer, X[: 8 * BATCH], epochs=1, batch_size=BATCH, rng=0, progress=False)
    history = m.train(model, optimizer, X, epochs=epochs, batch_size=BATCH, rng=0, progress=False)
    return history.seconds


def torch_twin(model):
    """The same network in PyTorch, with minae's initial weights."""
    import torch

    return torch.nn.Sequential(
        *(torch_layer(layer) for layer in model.encoder.layers + model.decoder.layers)
    )


def torch_layer(layer):
    """One of minae's layers as PyTorch's, with the same weights."""
    import torch

    nn = torch.nn
    kind = type(layer).__name__
    if kind in ("Conv2d", "ConvTranspose2d"):
        cls = nn.Conv2d if kind == "Conv2d" else nn.ConvTranspose2d
        extra = {"output_padding": layer.output_padding} if kind != "Conv2d" else {}
        twin = cls(
            layer.in_channels,
            layer.out_channels,
            layer.kernel_size,
            stride=layer.stride,
            padding=layer.padding,
            **extra,
        )
        with torch.no_grad():
            twin.weight.copy_(torch.from_numpy(layer.W.value))
            twin.bias.copy_(torch.from_numpy(layer.b.value))
        return twin
    if kind == "Linear":
        twin = nn.Linear(layer.n_in, layer.n_out)
        with torch.no_grad():
            twin.weight.copy_(torch.from_numpy(layer.W.value.T.copy()))
            twin.bias.copy_(torch.from_numpy(layer.b.value))
        return twin
    if kind == "MaxPool2d":
        return nn.MaxPool2d(layer.kernel_size, layer.stride, ceil_mode=layer.ceil_mode)
    if kind == "Upsample2d":
        return nn.Upsample(scale_factor=layer.scale_factor)
    if kind == "Unflatten":
        return nn.Unflatten(1, layer.shape)
    names = {"ReLU": nn.ReLU, "Sigmoid": nn.Sigmoid, "Flatten": nn.Flatten, "Identity": nn.Identity}
    return names[kind]()


def run_torch(arch: str, images: int, epochs: int) -> list[float]:
    import torch

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    _, model = minae_model(arch)
    net = torch_twin(model)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    X = torch.from_numpy(data(images))
    generator = torch.Generator().manual_seed(0)

    def epoch(X):
        order = torch.randperm(X.shape[0], generator=generator)
        start = time.perf_counter()
        for lo in range(0, X.shape[0], BATCH):
            batch = X[order[lo : lo + BATCH]]
            optimizer.zero_grad(set_to_none=True)
            out = net(batch)
            loss = torch.nn.functional.binary_cross_entropy(out, batch, reduction="sum")
            (loss / batch.shape[0]).backward()
            optimizer.step()
        return time.perf_counter() - start

    epoch(X[: 8 * BATCH])
    return [epoch(X) for _ in range(epochs)]


def worker(runner: str, arch: str, images: int, epochs: int) -> None:
    baseline = rss_mb()
    run = run_minae if runner == "minae" else run_torch
    seconds = run(arch, images, epochs)
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "baseline_mb": baseline}))


def spawn(runner: str, arch: str, threads: int, images: int, epochs: int):
    env = dict(
        os.environ,
        OMP_NUM_THREADS=str(threads),
        OPENBLAS_NUM_THREADS=str(threads),
        MKL_NUM_THREADS=str(threads),
    )
    command = [
        sys.executable,
        __file__,
        "--worker",
        runner,
        "--arch",
        arch,
        "--images",
        str(images),
        "--epochs",
        str(epochs),
    ]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        return None, (result.stderr.strip().splitlines() or ["failed"])[-1]
    return json.loads(result.stdout.strip().splitlines()[-1]), None


def layer_times(arch: str, reps: int = 20) -> None:
    """Median forward and backward time of each of minae's layers in a training step."""
    _, model = minae_model(arch)
    layers = model.encoder.layers + model.decoder.layers
    X = data(BATCH)
    forward = {i: [] for i in range(len(layers))}
    backward = {i: [] for i in range(len(layers))}
    for _ in range(reps):
        h = X
        for i, layer in enumerate(layers):
            start = time.perf_counter()
            h = layer.forward(h)
            forward[i].append(time.perf_counter() - start)
        d = np.full_like(h, 0.01)
        for i in range(len(layers) - 1, -1, -1):
            start = time.perf_counter()
            d = layers[i].backward(d, input_grad=i > 0)
            backward[i].append(time.perf_counter() - start)
    print(f"({arch}), batch {BATCH}, ms, medians of {reps} (the first two dropped)")
    print("| layer | forward | backward |\n| --- | ---: | ---: |")
    totals = [0.0, 0.0]
    for i, layer in enumerate(layers):
        f, b = (1e3 * statistics.median(t[i][2:]) for t in (forward, backward))
        totals[0] += f
        totals[1] += b
        print(f"| {layer!r} | {f:.2f} | {b:.2f} |")
    print(f"| all layers | {totals[0]:.1f} | {totals[1]:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1, help="timed epochs per run")
    parser.add_argument("--images", type=int, default=60000, help="images in an epoch")
    parser.add_argument("--threads", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--arch", nargs="+", default=["k", "s"], choices=["k", "s", "r"])
    parser.add_argument("--layers", action="store_true", help="minae's time layer by layer")
    parser.add_argument("--worker", choices=RUNNERS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.arch[0], args.images, args.epochs)
        return
    if args.layers:
        for arch in args.arch:
            layer_times(arch)
        return
    print(f"numpy {np.__version__}, {os.cpu_count()} cores, {args.images} images an epoch")
    for threads in args.threads:
        for arch in args.arch:
            results = {r: [] for r in RUNNERS}
            notes = {}
            for _ in range(args.reps):
                for runner in RUNNERS:
                    out, error = spawn(runner, arch, threads, args.images, args.epochs)
                    if out is None:
                        notes[runner] = error
                    else:
                        results[runner].append(out)
            report(arch, threads, results, notes)


def report(arch, threads, results, notes) -> None:
    print(f"\n({arch}), {threads} thread(s)")
    median = {
        r: statistics.median(s for o in v for s in o["seconds"]) for r, v in results.items() if v
    }
    peak = {r: max(o["peak_mb"] - o["baseline_mb"] for o in v) for r, v in results.items() if v}
    print(f"{'runner':8} {'epoch (s)':>10} {'peak MB':>9}  every run (s)")
    for runner in RUNNERS:
        if runner in median:
            runs = " ".join(f"{s:.2f}" for o in results[runner] for s in o["seconds"])
            print(f"{runner:8} {median[runner]:10.2f} {peak[runner]:9.0f}  {runs}")
        else:
            print(f"{runner:8} {'-':>10} {'-':>9}  {notes.get(runner, 'no run')}")
    if "minae" in median and "torch" in median:
        print(
            f"minae / torch: time {median['minae'] / median['torch']:.2f}x, "
            f"peak memory {peak['minae'] / peak['torch']:.2f}x"
        )


if __name__ == "__main__":
    main()
