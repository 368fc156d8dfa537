"""Training throughput: one epoch of minae against PyTorch CPU eager and the GEMM floor.

    python benchmarks/train_throughput.py [--reps 3] [--threads 2 1] [--arch a b]

An epoch is 60,000 MNIST-shaped float32 images (uniform noise in [0, 1]; the numbers do
not depend on the pixel values), batch 256, Adam at 1e-3, squared-error loss. Two
architectures, each mirrored: (a) 784-512-256-128-32 with ReLU and a sigmoid output;
(b) Hinton & Salakhutdinov's 784-1000-500-250-30 with sigmoid units and a linear code.

Each run is a separate process (so peak memory is its own, and no two BLAS thread pools
compete for the cores), with the thread count fixed through the environment and the
frameworks' own calls. Runs alternate minae / torch / torch fused Adam / floor, ``reps``
times; the table reports medians. PyTorch gets minae's initial weights. The floor does
the matrix products a training step needs (forward; dW for every layer; dX for every
layer but the first) and nothing else. PyTorch is optional: without it, its rows say so.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ARCHS = {"a": ([784, 512, 256, 128, 32], "relu"), "b": ([784, 1000, 500, 250, 30], "sigmoid")}
N, BATCH = 60000, 256
RUNNERS = ("minae", "torch", "torch_fused", "floor")


def rss_mb() -> float:
    """Current resident memory of this process, in MB (from /proc)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def minae_model(arch: str):
    sys.path.insert(0, str(ROOT))
    import minae

    widths, activation = ARCHS[arch]
    rng = np.random.default_rng(0)
    code_activation = "identity"
    encoder = minae.mlp(widths, activation=activation, output_activation=code_activation, rng=rng)
    decoder = minae.mlp(widths[::-1], activation=activation, output_activation="sigmoid", rng=rng)
    return minae, minae.Autoencoder(encoder, decoder, minae.MSE())


def data():
    return np.random.default_rng(1).uniform(size=(N, 784)).astype(np.float32)


def run_minae(arch: str, epochs: int) -> list[float]:
    minae, model = minae_model(arch)
    X = data()
    threads = int(os.environ["OMP_NUM_THREADS"])
    optimizer = minae.Adam(model.parameters(), lr=1e-3, threads=threads)
    minae.train(model, optimizer, X[:2048], epochs=1, batch_size=BATCH, rng=0, progress=False)
    history = minae.train(
        model, optimizer, X, epochs=epochs, batch_size=BATCH, rng=0, progress=False
    )
    return history.seconds


def run_torch(arch: str, epochs: int, fused: bool) -> list[float]:
    import torch

    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    _, model = minae_model(arch)
    modules = {"ReLU": torch.nn.ReLU, "Sigmoid": torch.nn.Sigmoid, "Identity": torch.nn.Identity}
    layers = []
    for part in (model.encoder, model.decoder):
        for layer in part.layers:
            if hasattr(layer, "W"):
                linear = torch.nn.Linear(layer.n_in, layer.n_out)
                with torch.no_grad():
                    linear.weight.copy_(torch.from_numpy(layer.W.value.T.copy()))
                    linear.bias.copy_(torch.from_numpy(layer.b.value.copy()))
                layers.append(linear)
            else:
                layers.append(modules[type(layer).__name__]())
    net = torch.nn.Sequential(*layers)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, fused=fused or None)
    X = torch.from_numpy(data())
    generator = torch.Generator().manual_seed(0)

    def epoch(X):
        order = torch.randperm(X.shape[0], generator=generator)
        start = time.perf_counter()
        for lo in range(0, X.shape[0], BATCH):
            batch = X[order[lo : lo + BATCH]]
            optimizer.zero_grad(set_to_none=True)
            loss = ((net(batch) - batch) ** 2).sum(dim=1).mean()
            loss.backward()
            optimizer.step()
        return time.perf_counter() - start

    epoch(X[:2048])
    return [epoch(X) for _ in range(epochs)]


def floor_weights(arch: str) -> list[np.ndarray]:
    """The weight matrices of the mirrored MLP, (n_in, n_out) each, float32."""
    widths, _ = ARCHS[arch]
    sizes = list(itertools.pairwise(widths))
    sizes += [(o, i) for i, o in reversed(sizes)]
    rng = np.random.default_rng(0)
    return [rng.standard_normal((i, o)).astype(np.float32) * 0.01 for i, o in sizes]


def floor_forward(W, batch) -> list[np.ndarray]:
    """The forward products of one step; returns every layer's input and the output."""
    activations = [batch]
    for w in W:
        activations.append(activations[-1] @ w)
    return activations


def floor_backward(W, activations) -> None:
    """The backward products of one step: dW for every layer, dX for all but the first."""
    d = activations[-1]
    for k in range(len(W) - 1, -1, -1):
        activations[k].T @ d  # dW
        if k:
            d = d @ W[k].T  # dX, not needed for the first layer


def run_floor(arch: str, epochs: int) -> list[float]:
    W, X = floor_weights(arch), data()

    def epoch():
        start = time.perf_counter()
        for lo in range(0, N, BATCH):
            floor_backward(W, floor_forward(W, X[lo : lo + BATCH]))
        return time.perf_counter() - start

    epoch()
    return [epoch() for _ in range(epochs)]


def worker(runner: str, arch: str, epochs: int) -> None:
    baseline = rss_mb()
    if runner == "minae":
        seconds = run_minae(arch, epochs)
    elif runner == "floor":
        seconds = run_floor(arch, epochs)
    else:
        seconds = run_torch(arch, epochs, fused=runner == "torch_fused")
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "baseline_mb": baseline}))


def spawn(runner: str, arch: str, threads: int, epochs: int, blas_timeout: int | None):
    env = dict(
        os.environ,
        OMP_NUM_THREADS=str(threads),
        OPENBLAS_NUM_THREADS=str(threads),
        MKL_NUM_THREADS=str(threads),
    )
    env.pop("OPENBLAS_THREAD_TIMEOUT", None)
    if blas_timeout is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = str(blas_timeout)
    command = [
        sys.executable,
        __file__,
        "--worker",
        runner,
        "--arch",
        arch,
        "--epochs",
        str(epochs),
    ]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        return None, result.stderr.strip().splitlines()[-1] if result.stderr else "failed"
    return json.loads(result.stdout.strip().splitlines()[-1]), None


def blas() -> str:
    config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return f"{config.get('name')} {config.get('version')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1, help="timed epochs per run")
    parser.add_argument("--threads", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--arch", nargs="+", default=["a", "b"], choices=sorted(ARCHS))
    parser.add_argument(
        "--openblas-thread-timeout",
        type=int,
        metavar="N",
        help="OpenBLAS's idle workers sleep after 2^N cycles (4-30) instead of its default 2^28: "
        "set for every runner, it stops them spinning while minae's optimizer threads work",
    )
    parser.add_argument("--worker", choices=RUNNERS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.arch[0], args.epochs)
        return
    python = sys.version.split()[0]
    print(f"numpy {np.__version__}, BLAS {blas()}, {os.cpu_count()} cores, python {python}")
    timeout = args.openblas_thread_timeout
    print(f"OPENBLAS_THREAD_TIMEOUT: {'unset (2^28 cycles)' if timeout is None else timeout}")
    for threads in args.threads:
        for arch in args.arch:
            results = {r: [] for r in RUNNERS}
            notes = {}
            for _ in range(args.reps):
                for runner in RUNNERS:
                    out, error = spawn(
                        runner, arch, threads, args.epochs, args.openblas_thread_timeout
                    )
                    if out is None:
                        notes[runner] = error
                    else:
                        results[runner].append(out)
            report(arch, threads, results, notes)


def report(arch, threads, results, notes) -> None:
    widths, activation = ARCHS[arch]
    print(f"\n({arch}) {'-'.join(map(str, widths))} mirrored, {activation}; {threads} thread(s)")
    median = {
        r: statistics.median(s for o in v for s in o["seconds"]) for r, v in results.items() if v
    }
    peak = {r: max(o["peak_mb"] - o["baseline_mb"] for o in v) for r, v in results.items() if v}
    print(f"{'runner':12} {'epoch (s)':>10} {'peak MB':>9}  every run (s)")
    for runner in RUNNERS:
        if runner in median:
            runs = " ".join(f"{s:.2f}" for o in results[runner] for s in o["seconds"])
            print(f"{runner:12} {median[runner]:10.2f} {peak[runner]:9.0f}  {runs}")
        else:
            print(f"{runner:12} {'absent: ' + notes.get(runner, 'no runs')[:60]}")
    if "minae" in median:
        for peer in ("torch", "torch_fused", "floor"):
            if peer in median:
                print(
                    f"minae / {peer:12} time {median['minae'] / median[peer]:.2f}x"
                    + (
                        f", peak memory {peak['minae'] / peak[peer]:.2f}x"
                        if peer != "floor"
                        else ""
                    )
                )


if __name__ == "__main__":
    main()
