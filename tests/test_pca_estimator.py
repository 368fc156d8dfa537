"""minae.PCA keeps scikit-learn's estimator contract: parameters, clone, Pipeline,
GridSearchCV, the learned attributes scikit-learn has, whitening and dtypes. The
comparisons with scikit-learn itself are skipped, saying why, where it is not installed."""

import numpy as np
import pytest

from minae import PCA


def data(B=60, N=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(B, N)) @ rng.normal(size=(N, N))  # correlated features


def test_parameters_are_stored_as_given_and_set_by_name():
    pca = PCA(3, whiten=True)
    assert pca.get_params() == {
        "n_components": 3,
        "solver": "auto",
        "whiten": True,
        "dtype": "float64",
    }
    assert pca.set_params(n_components=0.9, solver="svd") is pca
    assert pca.n_components == 0.9 and pca.solver == "svd"
    assert repr(pca) == "PCA(n_components=0.9, solver='svd', whiten=True)"
    assert repr(PCA()) == "PCA()"
    with pytest.raises(ValueError, match="no parameter 'components'"):
        pca.set_params(components=2)


@pytest.mark.parametrize("bad", [0, -1, 1.0, 1.5, True, "all"])
def test_bad_component_counts_are_refused_at_fit(bad):
    pca = PCA(bad)  # stored as given, as scikit-learn's constructors do
    with pytest.raises(ValueError, match="n_components must be"):
        pca.fit(data())


def test_n_components_as_a_fraction_and_as_none():
    X = data()
    full = PCA(None).fit(X)
    assert full.n_components_ == 6
    np.testing.assert_allclose(full.explained_variance_ratio_.sum(), 1.0, rtol=1e-12)
    cumulative = np.cumsum(full.explained_variance_ratio_)
    for fraction in (0.5, 0.9, 0.99):
        expected = int(np.argmax(cumulative >= fraction)) + 1  # the fewest that reach it
        pca = PCA(fraction).fit(X)
        assert pca.n_components_ == expected
        assert pca.explained_variance_ratio_.sum() >= fraction


def test_whitened_codes_have_unit_variance_and_invert():
    X = data(B=500)
    pca = PCA(3, whiten=True).fit(X)
    Z = pca.transform(X)
    np.testing.assert_allclose(Z.var(axis=0, ddof=1), 1.0, rtol=1e-10)
    plain = PCA(3).fit(X)
    expected = plain.inverse_transform(plain.transform(X))
    np.testing.assert_allclose(pca.inverse_transform(Z), expected, rtol=1e-10, atol=1e-10)


def test_float32_in_float32_out():
    X = data().astype(np.float32)
    pca = PCA(2).fit(X)
    assert pca.components_.dtype == np.float64  # computed in float64
    assert pca.transform(X).dtype == np.float32
    assert pca.inverse_transform(pca.transform(X)).dtype == np.float32
    assert pca.transform(X.astype(np.float64)).dtype == np.float64


def test_fit_takes_and_ignores_y():
    X, y = data(), np.arange(60)
    np.testing.assert_array_equal(PCA(2).fit(X, y).components_, PCA(2).fit(X).components_)
    np.testing.assert_array_equal(PCA(2).fit_transform(X, y), PCA(2).fit(X).transform(X))


def test_unfitted_use_is_a_value_and_attribute_error_too():
    for error in (RuntimeError, ValueError, AttributeError):
        with pytest.raises(error, match="not fitted"):
            PCA(1).transform(np.zeros((2, 3)))


# -- against scikit-learn ----------------------------------------------------------------


@pytest.mark.parametrize("whiten", [False, True])
@pytest.mark.parametrize("n_components", [2, 0.9, None])
def test_the_same_numbers_as_scikit_learn(n_components, whiten):
    decomposition = pytest.importorskip("sklearn.decomposition", reason="needs scikit-learn")
    X = data(B=40, N=8, seed=3)
    ours = PCA(n_components, whiten=whiten, solver="svd").fit(X)
    theirs = decomposition.PCA(n_components, whiten=whiten, svd_solver="full").fit(X)
    assert ours.n_components_ == theirs.n_components_
    for name in ("explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name), rtol=1e-10)
    np.testing.assert_allclose(ours.noise_variance_, theirs.noise_variance_, rtol=1e-9, atol=1e-12)
    signs = np.sign((ours.components_ * theirs.components_).sum(axis=1))  # each up to sign
    np.testing.assert_allclose(ours.components_ * signs[:, None], theirs.components_, atol=1e-10)
    np.testing.assert_allclose(ours.transform(X) * signs, theirs.transform(X), atol=1e-9)


def test_clone_pipeline_and_grid_search():
    pytest.importorskip("sklearn", reason="needs scikit-learn")
    from sklearn.base import clone
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    pca = PCA(2, whiten=True)
    copy = clone(pca)
    assert copy is not pca and copy.get_params() == pca.get_params()
    rng = np.random.default_rng(1)
    X = data(B=90)
    y = X @ rng.normal(size=6)
    pipe = make_pipeline(PCA(2), LinearRegression())
    search = GridSearchCV(pipe, {"pca__n_components": [1, 3, 6]}, cv=3).fit(X, y)
    assert search.best_params_ == {"pca__n_components": 6}  # y depends on every direction
    assert search.best_estimator_.score(X, y) > 0.999


@pytest.mark.parametrize("L", [2, 4, 6])
def test_the_likelihood_and_covariance_are_scikit_learns(L):
    decomposition = pytest.importorskip("sklearn.decomposition", reason="needs scikit-learn")
    X = data(B=80, N=6)
    ours, theirs = PCA(L).fit(X), decomposition.PCA(L, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.get_covariance(), theirs.get_covariance(), atol=1e-10)
    np.testing.assert_allclose(ours.get_precision(), theirs.get_precision(), rtol=1e-8, atol=1e-8)
    X_new = data(B=20, N=6, seed=1)
    np.testing.assert_allclose(ours.score_samples(X_new), theirs.score_samples(X_new), rtol=1e-10)
    assert ours.score(X_new) == pytest.approx(theirs.score(X_new), rel=1e-10)


def test_the_precision_inverts_the_covariance_and_scores_are_gaussian_log_densities():
    X = data(B=200, N=5)
    pca = PCA(2).fit(X)
    np.testing.assert_allclose(pca.get_precision() @ pca.get_covariance(), np.eye(5), atol=1e-10)
    C = pca.get_covariance()
    x = X[:3] - pca.mean_
    by_hand = -0.5 * np.einsum("bi,ij,bj->b", x, np.linalg.inv(C), x) - 0.5 * np.log(
        np.linalg.det(2 * np.pi * C)
    )  # log N(x | μ, C), written out
    np.testing.assert_allclose(pca.score_samples(X[:3]), by_hand, rtol=1e-10)


def test_grid_search_and_cross_validation_choose_by_the_likelihood():
    model_selection = pytest.importorskip("sklearn.model_selection", reason="needs scikit-learn")
    rng = np.random.default_rng(0)
    signal = rng.normal(size=(300, 3)) @ rng.normal(size=(3, 10))  # three directions
    X = signal + 0.1 * rng.normal(size=(300, 10))
    search = model_selection.GridSearchCV(PCA(), {"n_components": [1, 3, 8]}, cv=3).fit(X)
    assert search.best_params_ == {"n_components": 3}
    scores = model_selection.cross_val_score(PCA(3), X, cv=3)
    assert scores.shape == (3,) and np.all(np.isfinite(scores))
