"""Hinton & Salakhutdinov (2006), Fig. 2B: PCA with 30 components, 13.87 per test image."""

from __future__ import annotations

from common import Clock, Result, mnist

import minae

NAME = "pca-30"
PUBLISHED = 13.87


def run(quick: bool = False) -> Result:
    X_train, X_test = mnist(quick)
    clock = Clock()
    pca = minae.PCA(30).fit(X_train)
    X_hat = pca.inverse_transform(pca.transform(X_test))
    error = float(((X_hat - X_test) ** 2).sum(axis=1).mean())  # ||x̂ - x||² per test image
    wall, cpu = clock.seconds()
    return Result(
        NAME,
        "PCA-30 on MNIST, squared error per test image (Hinton & Salakhutdinov 2006)",
        f"{PUBLISHED:.2f}",
        f"{error:.2f}",
        None if quick else abs(error - PUBLISHED) < 0.01 * PUBLISHED,
        wall,
        cpu,
        {"error": error},
    )
