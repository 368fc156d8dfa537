"""Principal component analysis in closed form: the linear autoencoder's optimum.

Seed 000 ("PCA: Minimum Error Formulation") asks for the W ∈ R^{L×N} whose code
z = W x reconstructs x with minimum squared error. The answer is the L leading
eigenvectors of the data's covariance: the top right-singular vectors of the centred
data matrix. A linear autoencoder trained by SGD reaches the same subspace (Baldi &
Hornik 1989), which lesson 02 shows.
"""

from __future__ import annotations

from ..backend import array_module, to_device
from ..validation import check_batch, check_finite, check_positive_int

_SOLVERS = ("auto", "svd", "eigh")


class PCA:
    """PCA with scikit-learn's conventions: ``fit``, ``transform``, ``inverse_transform``.

    Parameters
    ----------
    n_components : L, the number of components kept.
    solver : ``"svd"``, the SVD of the centred data X_c = U S Vᵀ (the slides' route);
        ``"eigh"``, the eigendecomposition of the covariance C = X_cᵀ X_c / (B - 1),
        about ten times faster when examples far outnumber features, as on MNIST; or
        ``"auto"`` (default), which takes ``"eigh"`` when B ≥ 10 N and N ≤ 1000 (as
        scikit-learn does) and ``"svd"`` otherwise. Both give the same subspace.
    dtype : the dtype the fit computes in (float64 by default, for accurate eigenvalues).

    Attributes (after ``fit``)
    --------------------------
    mean_ (N,), components_ (L, N) with orthonormal rows sorted by variance,
    explained_variance_ (L,), explained_variance_ratio_ (L,), n_components_, solver_.
    Each component's sign is fixed so that its largest-magnitude entry is positive, so
    both solvers give the same arrays.
    """

    def __init__(self, n_components: int, *, solver: str = "auto", dtype="float64"):
        self.n_components = check_positive_int(n_components, "n_components")
        if solver not in _SOLVERS:
            raise ValueError(f"unknown solver {solver!r}; choose one of {_SOLVERS}")
        self.solver = solver
        self.dtype = dtype

    def fit(self, X) -> PCA:
        """Fit the components to X (B, N)."""
        X = self._validated(X, cast=False)
        B, N = X.shape
        if not 1 <= self.n_components <= min(B, N):
            raise ValueError(
                f"n_components={self.n_components} must lie between 1 and "
                f"min(examples, features) = {min(B, N)}"
            )
        if B < 2:
            raise ValueError("PCA needs at least 2 examples to estimate a covariance")
        self.mean_ = X.mean(axis=0, dtype=self.dtype)  # (B, N) -> (N,)
        X_c = X.astype(self.dtype, copy=True)  # one copy, centred in place
        X_c -= self.mean_  # (B, N) - (N,)
        self.solver_ = self._choose_solver(B, N)
        variances, vectors = (self._eigh if self.solver_ == "eigh" else self._svd)(X_c)
        total = float(variances.sum())  # the whole spectrum: the covariance's trace
        self.components_ = _fix_signs(vectors[: self.n_components])  # (L, N)
        self.explained_variance_ = variances[: self.n_components]
        self.explained_variance_ratio_ = self.explained_variance_ / total
        self.n_components_ = self.n_components
        self.n_features_in_ = N
        return self

    def transform(self, X):
        """Z = (X - mean) Vᵀ: the code, (B, N) → (B, L)."""
        X = self._validated(X, fitted=True)
        return (X - self.mean_) @ self.components_.T  # (B, N) @ (N, L) -> (B, L)

    def inverse_transform(self, Z):
        """X̂ = Z V + mean: the reconstruction, (B, L) → (B, N)."""
        self._check_fitted()
        Z = to_device(Z, self.dtype)
        check_batch(Z, "Z", self.n_components_)
        check_finite(Z, "Z")
        return Z @ self.components_ + self.mean_  # (B, L) @ (L, N) + (N,) -> (B, N)

    def fit_transform(self, X):
        return self.fit(X).transform(X)

    # -- the two routes ----------------------------------------------------------------

    def _svd(self, X_c):
        xp = array_module()
        _, S, Vt = xp.linalg.svd(X_c, full_matrices=False)  # X_c = U S Vᵀ, Vt (min(B,N), N)
        return S**2 / (X_c.shape[0] - 1), Vt

    def _eigh(self, X_c):
        xp = array_module()
        C = X_c.T @ X_c / (X_c.shape[0] - 1)  # (N, B) @ (B, N) -> (N, N)
        w, V = xp.linalg.eigh(C)  # ascending eigenvalues, eigenvectors in columns
        return w[::-1], V[:, ::-1].T  # descending; rows are eigenvectors

    def _choose_solver(self, B: int, N: int) -> str:
        if self.solver != "auto":
            return self.solver
        return "eigh" if B >= 10 * N and N <= 1000 else "svd"

    # -- checks ------------------------------------------------------------------------

    def _validated(self, X, fitted: bool = False, cast: bool = True):
        if fitted:
            self._check_fitted()
        X = to_device(X)
        check_batch(X, "X", self.n_features_in_ if fitted else None)
        check_finite(X, "X")
        return X.astype(self.dtype, copy=False) if cast else X

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            raise RuntimeError("this PCA is not fitted yet: call fit(X) first")


def _fix_signs(vectors):
    """Flip each row so that its largest-magnitude entry is positive."""
    xp = array_module()
    largest = xp.argmax(xp.abs(vectors), axis=1)  # (L,)
    signs = xp.sign(vectors[xp.arange(vectors.shape[0]), largest])  # (L,)
    return vectors * signs[:, None]  # (L, N) * (L, 1)
