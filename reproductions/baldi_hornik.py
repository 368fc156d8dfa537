"""Baldi & Hornik (1989): a linear autoencoder trained by SGD finds PCA's subspace.

A 784-30-784 linear autoencoder, squared error per image, trained by minibatch SGD with
Nesterov momentum and a cosine schedule. Its error should come within 0.5% of PCA-30's,
and the principal angles between its decoder's row space and PCA's 30 components should
have a median under 1° (the last few angles may stay larger: eigenvalues 30 and 31 differ
by about 5%, so the error barely changes as the subspace tilts between them).
"""

from __future__ import annotations

import numpy as np
from common import Clock, Result, mnist

import minae
from minae.optim.schedules import Cosine

NAME = "baldi-hornik"
EPOCHS, BATCH, LR = 40, 128, 2e-3


def run(quick: bool = False) -> Result:
    X_train, X_test = mnist(quick)
    epochs = 2 if quick else EPOCHS
    clock = Clock()
    pca = minae.PCA(30).fit(X_train)
    pca_error = float(((pca.inverse_transform(pca.transform(X_test)) - X_test) ** 2).sum(1).mean())
    model = minae.linear_autoencoder(784, 30, rng=np.random.default_rng(0))
    steps = epochs * -(-X_train.shape[0] // BATCH)
    optimizer = minae.SGD(
        model.parameters(), lr=LR, momentum=0.9, nesterov=True, schedule=Cosine(steps)
    )
    minae.train(model, optimizer, X_train, epochs=epochs, batch_size=BATCH, rng=1, progress=False)
    error = minae.evaluate(model, X_test)["squared_error"]
    W_hat = model.decoder[0].W.value.astype(np.float64)  # (30, 784): rows span the image space
    angles = np.degrees(minae.subspace_angles(W_hat.T, pca.components_.T))
    gap = 100 * (error / pca_error - 1)
    median = float(np.median(angles))
    wall, cpu = clock.seconds()
    return Result(
        NAME,
        "Linear AE 784-30 by SGD vs PCA-30 (Baldi & Hornik 1989)",
        "same minimum and subspace",
        f"{gap:+.2f}% error, median angle {median:.2f}°",
        None if quick else abs(gap) < 0.5 and median < 1.0,
        wall,
        cpu,
        {
            "error": error,
            "pca_error": pca_error,
            "gap_percent": gap,
            "median_angle": median,
            "max_angle": float(angles.max()),
            "epochs": epochs,
        },
    )
