"""Slides 000's linear encoder-decoder: PCA's minimum-error problem, solved by SGD."""

from __future__ import annotations

from ..infrastructure.backend import resolve_dtype
from ..infrastructure.random_numbers import as_generator
from ..infrastructure.validation import check_positive_int
from ..layers.linear import Linear
from ..layers.sequential import Sequential
from ..losses.mse import MSE
from .autoencoder import Autoencoder


def linear_autoencoder(
    n_features: int, n_components: int, *, rng, dtype=None, bias: bool = True
) -> Autoencoder:
    """Z = X W + b, X̂ = Z Ŵ + b̂, trained on R̂ = (1/B) Σ_b ||x̂_b - x_b||².

    W is (N, L) and Ŵ is (L, N), no activations. With ``bias=False``, Z = X W and
    X̂ = Z Ŵ: slides 000's network exactly, 2·N·L parameters (its two vectors w and ŵ
    for N = 2, L = 1), for data whose mean is zero. R̂ is per example, the slide's
    ||ŵ wᵀ X - X||² divided by the batch size B. Its squared error has a unique minimum
    value, reached when the rows of Ŵ span the L leading principal directions; W and Ŵ
    themselves are determined only up to an invertible L x L map (Baldi & Hornik 1989).
    Compare with PCA through ``subspace_angles(model.decoder[0].W.value.T,
    pca.components_.T)``; lessons 01, 02 and 05.

    Parameters
    ----------
    n_features : int
        N, the width of x.
    n_components : int
        L, the width of the code z.
    rng : numpy.random.Generator or int
        The initial weights' Generator or seed.
    dtype : float32 or float64, optional
        The backend's default when None.
    bias : bool
        False drops b and b̂ (slides 000's network).

    Returns
    -------
    Autoencoder
        Mapping X (B, N) to Z (B, L) to X̂ (B, N), with loss ``MSE()``.
    """
    n_features = check_positive_int(n_features, "n_features")
    n_components = check_positive_int(n_components, "n_components")
    dtype = resolve_dtype(dtype)
    rng = as_generator(rng)
    encoder = Sequential(Linear(n_features, n_components, rng=rng, dtype=dtype, bias=bias))
    decoder = Sequential(Linear(n_components, n_features, rng=rng, dtype=dtype, bias=bias))
    return Autoencoder(encoder, decoder, MSE())
