"""PCA in closed form, principal angles, and a linear autoencoder reaching PCA's subspace."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minae import PCA, Adam, linear_autoencoder, subspace_angles, train
from minae.datasets import stretched_gaussian


def direct_pca(X, k):
    X_c = X - X.mean(axis=0)
    _, S, Vt = np.linalg.svd(X_c, full_matrices=False)
    return Vt[:k], S[:k] ** 2 / (X.shape[0] - 1)


@pytest.mark.parametrize("solver", ["svd", "eigh", "auto"])
@given(seed=st.integers(0, 2**32 - 1), B=st.integers(8, 60), N=st.integers(2, 8))
def test_components_and_variances_match_a_direct_svd(solver, seed, B, N):
    X = np.random.default_rng(seed).normal(size=(B, N)) * np.arange(1, N + 1)
    k = min(B, N) - 1 or 1
    pca = PCA(k, solver=solver).fit(X)
    components, variances = direct_pca(X, k)
    np.testing.assert_allclose(pca.explained_variance_, variances, rtol=1e-9, atol=1e-12)
    # Each component up to sign (eigenvalues of random data are distinct almost surely).
    overlap = np.abs(np.sum(pca.components_ * components, axis=1))
    gaps = np.abs(np.diff(variances)) / variances[0]
    if gaps.size == 0 or gaps.min() > 1e-6:
        np.testing.assert_allclose(overlap, 1.0, atol=1e-6)
    np.testing.assert_allclose(pca.components_ @ pca.components_.T, np.eye(k), atol=1e-10)


def test_both_solvers_give_the_same_arrays():
    X = np.random.default_rng(1).normal(size=(500, 6)) @ np.diag([5, 4, 3, 2, 1, 0.5])
    svd, eigh = PCA(4, solver="svd").fit(X), PCA(4, solver="eigh").fit(X)
    np.testing.assert_allclose(svd.components_, eigh.components_, atol=1e-10)
    np.testing.assert_allclose(svd.explained_variance_, eigh.explained_variance_, rtol=1e-10)
    assert PCA(4).fit(X).solver_ == "eigh" and PCA(4).fit(X[:50]).solver_ == "svd"


def test_inverse_transform_after_transform_is_the_projection():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 5))
    pca = PCA(3).fit(X)
    X_hat = pca.inverse_transform(pca.transform(X))
    V = pca.components_
    np.testing.assert_allclose(X_hat, pca.mean_ + (X - pca.mean_) @ V.T @ V, atol=1e-12)
    np.testing.assert_allclose(pca.inverse_transform(pca.transform(X_hat)), X_hat, atol=1e-12)
    full = PCA(5).fit(X)
    np.testing.assert_allclose(full.inverse_transform(full.transform(X)), X, atol=1e-12)
    assert full.explained_variance_ratio_.sum() == pytest.approx(1.0, rel=1e-12)


def test_the_stretched_cloud_gives_its_long_axis():
    X, axes = stretched_gaussian(5000, 0, angle=1.0, stds=(3.0, 0.5), dtype="float64")
    pca = PCA(1).fit(X)
    assert abs(pca.components_[0] @ axes[0]) > 0.9999
    assert pca.explained_variance_ratio_[0] == pytest.approx(9 / 9.25, abs=0.01)


@pytest.mark.parametrize(
    ("make", "X", "error", "match"),
    [
        (
            lambda: PCA(5),
            np.zeros((10, 3)),
            ValueError,
            r"between 1 and min\(examples, features\) = 3",
        ),
        (lambda: PCA(1), np.zeros((1, 3)), ValueError, "at least 2 examples"),
        (lambda: PCA(1), np.zeros(3), ValueError, "2-D"),
        (lambda: PCA(1), np.array([[1.0, np.nan], [0.0, 1.0]]), ValueError, "non-finite"),
        (lambda: PCA(1), np.zeros((4, 3), np.uint8), TypeError, "dtype uint8"),
        (lambda: PCA(0), None, ValueError, "n_components must be a positive integer"),
        (lambda: PCA(1, solver="arpack"), None, ValueError, "solver must be one of"),
    ],
)
def test_bad_input_is_refused(make, X, error, match):
    with pytest.raises(error, match=match):
        make().fit(X)


def test_transform_checks_fit_and_width():
    with pytest.raises(RuntimeError, match="not fitted"):
        PCA(1).transform(np.zeros((2, 3)))
    pca = PCA(1).fit(np.random.default_rng(0).normal(size=(5, 3)))
    with pytest.raises(ValueError, match="2 features per example, expected 3"):
        pca.transform(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="2 features per example, expected 1"):
        pca.inverse_transform(np.zeros((2, 2)))


def test_subspace_angles_known_cases():
    e = np.eye(4)
    np.testing.assert_allclose(subspace_angles(e[:, :2], e[:, [1, 0]]), 0.0, atol=1e-15)
    np.testing.assert_allclose(subspace_angles(e[:, :1], e[:, 1:2]), [np.pi / 2])
    tilted = np.array([[1.0], [np.tan(0.3)], [0.0], [0.0]])
    np.testing.assert_allclose(subspace_angles(e[:, :1], tilted), [0.3], rtol=1e-12)
    tiny = np.array([[1.0], [1e-13], [0.0], [0.0]])
    np.testing.assert_allclose(subspace_angles(e[:, :1], tiny), [1e-13], rtol=1e-6)
    with pytest.raises(ValueError, match="same number of rows"):
        subspace_angles(np.zeros((3, 1)), np.zeros((4, 1)))


def test_a_linear_autoencoder_finds_the_pca_subspace():
    # 10-D data whose variance is 9, 4, 1 along three directions and 0.01 elsewhere: a
    # clear gap after the third eigenvalue, so SGD's subspace must match PCA-3's.
    rng = np.random.default_rng(0)
    basis, _ = np.linalg.qr(rng.normal(size=(10, 10)))
    X = (rng.normal(size=(2000, 10)) * np.r_[3.0, 2.0, 1.0, [0.1] * 7]) @ basis.T + 0.5
    X = X.astype(np.float32)
    pca = PCA(3).fit(X)
    model = linear_autoencoder(10, 3, rng=1)
    optimizer = Adam(model.parameters(), lr=1e-2)
    train(model, optimizer, X, epochs=20, batch_size=64, rng=2, progress=False)
    optimizer.lr = 1e-3  # a smaller step lets Adam's minibatch jitter settle (~0.4° left)
    train(model, optimizer, X, epochs=10, batch_size=64, rng=3, progress=False)
    angles = np.degrees(subspace_angles(model.decoder[0].W.value.T, pca.components_.T))
    assert angles.max() < 1.0, angles


def test_inverse_transform_refuses_nan_codes():
    from minae import PCA

    pca = PCA(1).fit(np.random.default_rng(0).normal(size=(10, 3)))
    with pytest.raises(ValueError, match="Z holds 1 non-finite"):
        pca.inverse_transform(np.array([[np.nan]]))
