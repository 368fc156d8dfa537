"""Exercise 1: PCA in closed form (lessons 01 and 02; slides 000, "PCA").

Fill in the function below, then run ``python -m minae.exercises check . pca``.
Arrays are NumPy arrays in float64; X holds one example per row.
"""

import numpy as np


def pca(X, k):
    """The first k principal components of X (B, D), by the eigendecomposition of the
    covariance.

        μ = (1/B) Σ_b x_b                      the mean, (D,)
        C = (X - μ)ᵀ (X - μ) / (B - 1)         the covariance, (D, D)
        C = V Λ Vᵀ                             eigenvalues λ_1 ≥ λ_2 ≥ ... ≥ λ_D

    Returns (mean (D,), components (k, D), variances (k,)): the mean μ; the eigenvectors
    of the k largest eigenvalues as *rows*, largest first; those eigenvalues (the
    variance of the data along each component). ``np.linalg.eigh`` returns eigenvalues
    in ascending order and eigenvectors as *columns*. A component's sign is arbitrary.
    """
    raise NotImplementedError("exercise 1: pca")
