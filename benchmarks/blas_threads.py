"""BLAS threads: where one thread beats two, on an idle machine and beside a busy process.

    python benchmarks/blas_threads.py [--reps 5] [--threads 1 2] [--neighbour none busy]

The workloads, each the way minae or a lesson runs it:
- ``jacobian_svd``: lesson 08's Jacobian spectra, 200 SVDs of 128 x 784 float64 matrices
  (small LAPACK calls, many of them);
- ``train``: one epoch of 20,000 MNIST-shaped images through the 784-512-256-128-32
  autoencoder of ``train_throughput.py`` (a), batch 256, Adam (products of 256 x 784 and
  smaller, then the optimizer's own threads);
- ``lesson04``: one epoch of 20,000 images through lesson 04's 784-256-128-64-32-2
  sigmoid autoencoder, batch 128, Adam, as the lesson trains it;
- ``pca``: ``minae.PCA(30).fit`` on 60,000 x 784 float32 (one 784 x 784 product over
  60,000 rows, then an eigendecomposition).

Each (workload, BLAS threads, neighbour) runs in a fresh process with
``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS`` set before NumPy loads, ``reps`` times;
the table shows medians in seconds. The neighbour ``busy`` is a second process spinning
one core in pure Python, as a browser tab, an editor's indexer or a second notebook
would. With ``--threadpoolctl``, the two-thread runs also time the workload with
threadpoolctl limiting BLAS to one thread inside the process, to check that the limit
set at run time does what the environment variable does.
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

ROOT = Path(__file__).resolve().parent.parent
WORKLOADS = ("jacobian_svd", "jacobian_gram", "train", "lesson04", "pca")


def jacobian_svd() -> None:
    rng = np.random.default_rng(0)
    W = rng.standard_normal((784, 128)) * 0.05  # (784, 128)
    Z = rng.uniform(0.05, 0.95, size=(200, 128))  # (200, 128)
    for z in Z:
        np.linalg.svd((z * (1 - z))[:, None] * W.T, compute_uv=False)  # J: (128, 784)


def jacobian_gram() -> None:
    """The same spectra from the 128 x 128 Gram matrices J Jᵀ = D (Wᵀ W) D, in one batch."""
    rng = np.random.default_rng(0)
    W = rng.standard_normal((784, 128)) * 0.05  # (784, 128)
    Z = rng.uniform(0.05, 0.95, size=(200, 128))  # (200, 128)
    D = Z * (1 - Z)  # (200, 128), the diagonals
    G = W.T @ W  # (128, 128)
    eigenvalues = np.linalg.eigvalsh(D[:, :, None] * G * D[:, None, :])  # (200, 128), ascending
    np.sqrt(np.clip(eigenvalues[:, ::-1], 0, None))  # singular values, descending


def one_epoch(widths, activation: str, code_activation: str, batch_size: int) -> None:
    """One epoch of 20,000 MNIST-shaped images through an mlp autoencoder, MSE, Adam."""
    import minae

    rng = np.random.default_rng(0)
    encoder = minae.mlp(widths, activation=activation, output_activation=code_activation, rng=rng)
    decoder = minae.mlp(widths[::-1], activation=activation, output_activation="sigmoid", rng=rng)
    model = minae.Autoencoder(encoder, decoder, minae.MSE())
    X = rng.uniform(size=(20000, 784)).astype(np.float32)
    optimizer = minae.Adam(model.parameters(), lr=1e-3)
    minae.train(model, optimizer, X, epochs=1, batch_size=batch_size, rng=0, progress=False)


def train() -> None:
    """The autoencoder (a) of ``train_throughput.py``, batch 256."""
    one_epoch([784, 512, 256, 128, 32], "relu", "identity", 256)


def lesson04() -> None:
    """Lesson 04's deep autoencoder, as it trains: sigmoid units, batch 128."""
    one_epoch([784, 256, 128, 64, 32, 2], "sigmoid", "sigmoid", 128)


def pca() -> None:
    import minae

    X = np.random.default_rng(0).uniform(size=(60000, 784)).astype(np.float32)
    minae.PCA(30).fit(X)


def worker(workload: str, limit_in_process: bool) -> float:
    sys.path.insert(0, str(ROOT))
    run = globals()[workload]
    if limit_in_process:
        from threadpoolctl import threadpool_limits

        run()  # warm-up outside the limit, as a long session would be
        start = time.perf_counter()
        with threadpool_limits(limits=1, user_api="blas"):
            run()
        return time.perf_counter() - start
    run()  # warm-up: first calls load and page in the libraries
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(workload: str, threads: int, limit_in_process: bool = False) -> float:
    env = dict(
        os.environ,
        OPENBLAS_NUM_THREADS=str(threads),
        OMP_NUM_THREADS=str(threads),
        MKL_NUM_THREADS=str(threads),
    )
    out = subprocess.run(
        [sys.executable, __file__, "--worker", workload]
        + (["--limit"] if limit_in_process else []),
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def spinner() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--neighbour", nargs="+", default=["none", "busy"], choices=["none", "busy"]
    )
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument(
        "--threadpoolctl",
        action="store_true",
        help="also time two-thread runs limited to one thread by threadpoolctl",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--limit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.limit)))
        return

    print(f"{os.cpu_count()} cores; medians of {args.reps} runs, seconds")
    print(
        "| workload | neighbour | "
        + " | ".join(f"{t} thread(s)" for t in args.threads)
        + (" | 2 threads, limited to 1 by threadpoolctl" if args.threadpoolctl else "")
        + " |"
    )
    print("| --- | --- |" + " ---: |" * (len(args.threads) + args.threadpoolctl))
    for workload in args.workloads:
        for neighbour in args.neighbour:
            busy = spinner() if neighbour == "busy" else None
            try:
                time.sleep(0.2 if busy else 0)
                configs = [(t, False) for t in args.threads] + (
                    [(2, True)] if args.threadpoolctl else []
                )
                runs = {config: [] for config in configs}
                for _ in range(args.reps):  # interleaved, so drifts in the machine hit each alike
                    for config in configs:
                        runs[config].append(measure(workload, *config))
            finally:
                if busy:
                    busy.kill()
                    busy.wait()
            cells = [f"{statistics.median(runs[c]):.3f}" for c in configs]
            print(f"| {workload} | {neighbour} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
