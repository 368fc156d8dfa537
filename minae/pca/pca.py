"""Principal component analysis in closed form: the linear autoencoder's optimum.

Slides 000 ("PCA: Minimum Error Formulation") asks for the W ∈ R^{L×N} whose code
z = W x reconstructs x with minimum squared error. The answer is the L leading
eigenvectors of the data's covariance: the top right-singular vectors of the centred
data matrix. A linear autoencoder trained by SGD reaches the same subspace (Baldi &
Hornik 1989), which lesson 02 shows.
"""

from __future__ import annotations

import numbers

import numpy

from ..infrastructure.backend import array_module, to_device, to_host
from ..infrastructure.validation import check_batch, check_bool, check_choice, check_finite

_SOLVERS = ("auto", "svd", "eigh")


class NotFittedError(RuntimeError, ValueError, AttributeError):
    """A PCA used before ``fit``; a ValueError and AttributeError too, as scikit-learn's."""


class PCA:
    """PCA with scikit-learn's estimator contract: ``fit``, ``transform``, ``inverse_transform``.

    Parameters
    ----------
    n_components : int, float or None
        L, the number of components kept: an int ≥ 1; a float in (0, 1), the
        fraction of the variance to keep (the fewest components that explain it); or
        None, every component (min(examples, features)).
    solver : str
        ``"svd"``, the SVD of the centred data X_c = U S Vᵀ (the slides' route);
        ``"eigh"``, the eigendecomposition of the covariance C = X_cᵀ X_c / (B - 1),
        about ten times faster when examples far outnumber features, as on MNIST; or
        ``"auto"`` (default), which takes ``"eigh"`` when B ≥ 10 N and N ≤ 1000 (as
        scikit-learn does) and ``"svd"`` otherwise. Both give the same subspace.
    whiten : bool
        When True, ``transform`` divides each component by its standard deviation
        √λ_l, so the codes have unit variance (``inverse_transform`` undoes it).
    dtype : str or numpy.dtype
        The dtype the fit computes in (float64 by default, for accurate eigenvalues).
        ``transform`` and ``inverse_transform`` return the dtype of their input
        (float32 in, float32 out).

    Notes
    -----
    After ``fit``: ``mean_`` (N,); ``components_`` (L, N), orthonormal rows sorted by
    variance; ``explained_variance_``, ``explained_variance_ratio_`` and
    ``singular_values_``, each (L,); ``noise_variance_`` (the mean of the discarded
    eigenvalues; 0 when none is discarded); ``n_components_``, ``n_features_in_``,
    ``n_samples_``, ``solver_``. Each component's sign is fixed so that its
    largest-magnitude entry is positive, so both solvers give the same arrays.

    Following scikit-learn, the constructor stores its arguments as given and ``fit``
    checks them, so ``get_params``, ``set_params``, ``clone``, ``Pipeline`` and
    ``GridSearchCV`` work (scikit-learn itself is not needed); ``score``,
    ``score_samples``, ``get_covariance`` and ``get_precision`` are probabilistic PCA's
    (Tipping & Bishop 1999), as scikit-learn's are.
    """

    def __init__(
        self, n_components=None, *, solver: str = "auto", whiten: bool = False, dtype="float64"
    ):
        self.n_components = n_components
        self.solver = solver
        self.whiten = whiten
        self.dtype = dtype

    # -- scikit-learn's estimator protocol ---------------------------------------------

    _PARAMS = ("n_components", "solver", "whiten", "dtype")

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's arguments, by name."""
        return {name: getattr(self, name) for name in self._PARAMS}

    def set_params(self, **params) -> PCA:
        """Set constructor arguments by name; returns self. Unknown names raise."""
        for name, value in params.items():
            if name not in self._PARAMS:
                raise ValueError(f"PCA has no parameter {name!r}; it has {list(self._PARAMS)}")
            setattr(self, name, value)
        return self

    def __sklearn_tags__(self):
        """What scikit-learn (1.6 and later) asks of an estimator it searches over: an
        unsupervised transformer. scikit-learn is imported only when it asks."""
        from sklearn.utils import Tags, TargetTags, TransformerTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            transformer_tags=TransformerTags(),
        )

    def __repr__(self) -> str:
        defaults = {"n_components": None, "solver": "auto", "whiten": False, "dtype": "float64"}
        shown = [f"{k}={v!r}" for k, v in self.get_params().items() if v != defaults[k]]
        return f"PCA({', '.join(shown)})"

    # -- fit and use -------------------------------------------------------------------

    def fit(self, X, y=None) -> PCA:
        """Fit the components to X (B, N). ``y`` is ignored (scikit-learn's signature)."""
        self._check_params()
        X = self._validated(X)
        B, N = X.shape
        if B < 2:
            raise ValueError("PCA needs at least 2 examples to estimate a covariance")
        dtype = numpy.dtype(self.dtype)
        self.mean_ = X.mean(axis=0, dtype=dtype)  # (B, N) -> (N,)
        X_c = X.astype(dtype, copy=True)  # one copy, centred in place
        X_c -= self.mean_  # (B, N) - (N,)
        self.solver_ = self._choose_solver(B, N)
        variances, vectors = (self._eigh if self.solver_ == "eigh" else self._svd)(X_c)
        variances = array_module().maximum(variances, 0)  # eigh's rounding can dip below 0
        total = float(variances.sum())  # the whole spectrum: the covariance's trace
        ratio = variances / total if total > 0 else variances * 0
        L = self._count(ratio, min(B, N))
        self.components_ = _fix_signs(vectors[:L])  # (L, N)
        self.explained_variance_ = variances[:L]
        self.explained_variance_ratio_ = ratio[:L]
        self.singular_values_ = (variances[:L] * (B - 1)) ** 0.5  # of the centred data
        rest = variances[L : min(B, N)]
        self.noise_variance_ = float(rest.mean()) if rest.size else 0.0
        self.n_components_ = L
        self.n_features_in_ = N
        self.n_samples_ = B
        return self

    def transform(self, X):
        """Z = (X - mean) Vᵀ: the code, (B, N) → (B, L); divided by √λ when whitening."""
        X = self._validated(X, fitted=True)
        Z = (X.astype(self.dtype, copy=False) - self.mean_) @ self.components_.T  # (B, L)
        if self.whiten:
            Z /= self.explained_variance_**0.5  # (B, L) / (L,)
        return Z.astype(X.dtype, copy=False)

    def inverse_transform(self, Z):
        """X̂ = Z V + mean: the reconstruction, (B, L) → (B, N)."""
        self._check_fitted()
        Z = to_device(Z)
        check_batch(Z, "Z", self.n_components_)
        check_finite(Z, "Z")
        Z_c = Z.astype(self.dtype, copy=True)
        if self.whiten:
            Z_c *= self.explained_variance_**0.5  # (B, L) * (L,)
        X_hat = Z_c @ self.components_ + self.mean_  # (B, L) @ (L, N) + (N,) -> (B, N)
        return X_hat.astype(Z.dtype, copy=False)

    def fit_transform(self, X, y=None):
        """``fit(X)``, then the codes of X, (B, L); ``y`` is ignored (scikit-learn's form)."""
        return self.fit(X).transform(X)

    # -- the probabilistic view (Tipping & Bishop 1999), as scikit-learn scores PCA ----

    def get_covariance(self):
        """C = Vᵀ diag(λ - σ²) V + σ² I (N, N): the covariance of probabilistic PCA,
        σ² the ``noise_variance_``. It does not depend on ``whiten``."""
        self._check_fitted()
        xp = array_module()
        V = self.components_  # (L, N)
        excess = xp.maximum(self.explained_variance_ - self.noise_variance_, 0)  # (L,)
        C = (V.T * excess) @ V  # (N, L) * (L,) @ (L, N) -> (N, N)
        C[xp.diag_indices(C.shape[0])] += self.noise_variance_
        return C

    def get_precision(self):
        """C⁻¹ (N, N), by the matrix inversion lemma when σ² > 0:
        C⁻¹ = (I - Vᵀ diag((λ - σ²) / λ) V) / σ²."""
        self._check_fitted()
        xp = array_module()
        if self.noise_variance_ == 0:  # every direction kept: invert C itself
            return xp.linalg.inv(self.get_covariance())
        V = self.components_  # (L, N)
        shrink = xp.maximum(self.explained_variance_ - self.noise_variance_, 0)
        shrink = shrink / (shrink + self.noise_variance_)  # (λ - σ²) / λ, (L,)
        P = -(V.T * shrink) @ V  # (N, N)
        P[xp.diag_indices(P.shape[0])] += 1.0
        return P / self.noise_variance_

    def score_samples(self, X):
        """log N(x | mean, C) per example (B,): the log-likelihood of each row of X under
        probabilistic PCA (Tipping & Bishop 1999), C = V_L diag(λ) V_Lᵀ + σ² (I - V_L V_Lᵀ),
        computed in the eigenbasis, where it stays accurate however small σ² is:

            (x - μ)ᵀ C⁻¹ (x - μ) = Σ_i (v_iᵀ (x - μ))² / λ_i + ||r||² / σ²,
            log det C = Σ_i log λ_i + (N - L) log σ²,

        with r the part of x - μ outside the kept components. A model whose covariance
        is singular to rounding (data of rank L or less, so σ² is rounding noise; or a
        kept λ_i at rounding level) defines no likelihood, and is refused with its rank.
        """
        X = self._validated(X, fitted=True)
        xp = array_module()
        lam = self.explained_variance_.astype(numpy.float64)  # (L,)
        V = self.components_.astype(numpy.float64)  # (L, N)
        noise = float(self.noise_variance_)
        L, N = V.shape
        floor = numpy.finfo(numpy.float64).eps * N * float(to_host(lam[0]))
        rank = int(to_host((lam > floor).sum()))
        if rank < L or (L < N and noise <= floor):
            raise ValueError(
                f"the fitted covariance is singular to rounding: the data it was fitted on "
                f"has rank {rank} (of {N} features), so with {L} component(s) kept "
                f"{'a kept variance' if rank < L else 'the noise variance σ²'} is rounding "
                f"noise and the likelihood is not defined. Keep fewer than {rank} components, "
                f"or fit on more examples than features"
            )
        X_c = X.astype(numpy.float64) - self.mean_.astype(numpy.float64)  # (B, N)
        along = X_c @ V.T  # (B, L): coordinates in the eigenbasis
        quadratic = (along * along / lam).sum(axis=1)  # (B,)
        log_det = float(to_host(xp.log(lam).sum()))
        if L < N:
            residual = X_c - along @ V  # (B, N): the part outside the kept components
            quadratic = quadratic + (residual * residual).sum(axis=1) / noise
            log_det += (N - L) * numpy.log(noise)
        scores = -0.5 * quadratic - 0.5 * (N * numpy.log(2 * numpy.pi) + log_det)
        return scores.astype(self.dtype, copy=False)

    def score(self, X, y=None) -> float:
        """The mean log-likelihood of X's rows, X (B, N) (``score_samples``): larger is better, so
        scikit-learn's ``GridSearchCV`` and ``cross_val_score`` can choose L by it."""
        return float(self.score_samples(X).mean())

    # -- the two routes ----------------------------------------------------------------

    def _svd(self, X_c):
        xp = array_module()
        _, S, Vt = xp.linalg.svd(X_c, full_matrices=False)  # X_c = U S Vᵀ, Vt (min(B,N), N)
        # S * S, not S**2: NumPy 1.26 rounds x**2 on an ndarray and through a ufunc (as on a
        # device) differently, and both backends must give the same bits
        return S * S / (X_c.shape[0] - 1), Vt

    def _eigh(self, X_c):
        xp = array_module()
        C = X_c.T @ X_c / (X_c.shape[0] - 1)  # (N, B) @ (B, N) -> (N, N)
        w, V = xp.linalg.eigh(C)  # ascending eigenvalues, eigenvectors in columns
        return w[::-1], V[:, ::-1].T  # descending; rows are eigenvectors

    def _choose_solver(self, B: int, N: int) -> str:
        if self.solver != "auto":
            return self.solver
        return "eigh" if B >= 10 * N and N <= 1000 else "svd"

    def _count(self, ratio, most: int) -> int:
        """How many components to keep, from ``n_components`` and the variance ratios."""
        n = self.n_components
        if n is None:
            return most
        if isinstance(n, numbers.Integral):
            if not 1 <= int(n) <= most:
                raise ValueError(
                    f"n_components={n} must lie between 1 and min(examples, features) = {most}"
                )
            return int(n)
        cumulative = numpy.cumsum(numpy.asarray(ratio, dtype=numpy.float64))  # on the host
        return min(int(numpy.searchsorted(cumulative, float(n), side="right")) + 1, most)

    # -- checks ------------------------------------------------------------------------

    def _check_params(self) -> None:
        n = self.n_components
        if isinstance(n, bool) or not (
            n is None
            or (isinstance(n, numbers.Integral) and int(n) >= 1)
            or (isinstance(n, numbers.Real) and 0 < float(n) < 1)
        ):
            raise ValueError(
                "n_components must be a positive integer, a fraction of the variance in "
                f"(0, 1), or None; got {n!r}"
            )
        check_choice(self.solver, "solver", _SOLVERS)
        check_bool(self.whiten, "whiten")
        if self.dtype is None or isinstance(self.dtype, (bool, int, float, list, tuple)):
            raise TypeError(f"dtype must be float32 or float64, got {self.dtype!r}")
        try:
            dtype = numpy.dtype(self.dtype)
        except TypeError:
            raise TypeError(f"dtype must be float32 or float64, got {self.dtype!r}") from None
        if dtype not in (numpy.float32, numpy.float64):
            raise TypeError(f"dtype must be float32 or float64, got {self.dtype!r}")

    def _validated(self, X, fitted: bool = False):
        if fitted:
            self._check_fitted()
        X = to_device(X)
        check_batch(X, "X", self.n_features_in_ if fitted else None)
        if X.ndim != 2:
            raise ValueError(f"PCA needs X 2-D (examples, features), got shape {X.shape}")
        check_finite(X, "X")
        return X

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            raise NotFittedError("this PCA is not fitted yet: call fit(X) first")


def _fix_signs(vectors):
    """Flip each row so that its largest-magnitude entry is positive."""
    xp = array_module()
    largest = xp.argmax(xp.abs(vectors), axis=1)  # (L,)
    signs = xp.sign(vectors[xp.arange(vectors.shape[0]), largest])  # (L,)
    return vectors * signs[:, None]  # (L, N) * (L, 1)
