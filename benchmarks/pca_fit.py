"""PCA fit on 60000 x 784: minae.PCA against NumPy's SVD and eigh routes (and scikit-learn).

    MINAE_DATA=../shared/data/mnist python benchmarks/pca_fit.py [--reps 3] [--k 30]

Every route starts from the same float32 MNIST training images, centres them in float64
and returns k components; times are medians over ``reps`` runs, and each route's
subspace is compared with the SVD's by its largest principal angle.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import minae
from minae.datasets import load_mnist


def svd_route(X, k):
    X_c = X.astype(np.float64) - X.mean(axis=0, dtype=np.float64)
    return np.linalg.svd(X_c, full_matrices=False)[2][:k]


def eigh_route(X, k):
    X_c = X.astype(np.float64) - X.mean(axis=0, dtype=np.float64)
    _, V = np.linalg.eigh(X_c.T @ X_c / (X.shape[0] - 1))
    return V[:, ::-1][:, :k].T


def minae_route(X, k):
    return minae.PCA(k).fit(X).components_


def sklearn_route(X, k):
    from sklearn.decomposition import PCA

    return PCA(k).fit(X.astype(np.float64)).components_


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--k", type=int, default=30)
    args = parser.parse_args()
    X, _ = load_mnist("train")
    routes = {
        "minae.PCA (auto)": minae_route,
        "numpy SVD of X_c": svd_route,
        "numpy eigh of cov": eigh_route,
        "scikit-learn PCA": sklearn_route,
    }
    reference = svd_route(X, args.k)
    times, angles = {}, {}
    for name, route in routes.items():
        try:
            runs = []
            for _ in range(args.reps):
                start = time.perf_counter()
                components = route(X, args.k)
                runs.append(time.perf_counter() - start)
        except ImportError:
            print(f"{name}: absent (not installed)")
            continue
        times[name] = statistics.median(runs)
        angles[name] = np.degrees(minae.subspace_angles(components.T, reference.T).max())
    fastest = min(times.values())
    print(f"PCA-{args.k} fit on {X.shape[0]}x{X.shape[1]}, numpy {np.__version__}")
    print(f"{'route':20} {'seconds':>8} {'vs fastest':>11} {'max angle to SVD (deg)':>23}")
    for name in times:
        print(f"{name:20} {times[name]:8.2f} {times[name] / fastest:10.2f}x {angles[name]:23.2e}")


if __name__ == "__main__":
    main()
