"""Each bad input that a sweep of the newer surface found slipping through, refused before
anything changes, with a message that names what is wrong; and the checkers, PCA's
likelihood and the lessons' helpers, honest where they were silently wrong."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import minae
from minae.datasets.corruptions import block_masking, gaussian_noise, masking_noise
from minae.pca import PCA
from minae.teaching.gradcheck import TOLERANCE, check_layer, check_loss, check_model, check_penalty
from minae.teaching.lesson import compare
from minae.training import Run, fit, predict, step
from minae.training.callbacks import BestEpoch, Validation


def _model(seed=0, dtype="float32", dropout=False):
    rng = np.random.default_rng(seed)
    layers = [minae.Linear(6, 3, rng=rng, dtype=dtype), minae.Sigmoid()]
    if dropout:
        layers.append(minae.Dropout(0.3))
    encoder = minae.Sequential(*layers)
    decoder = minae.Sequential(minae.Linear(3, 6, rng=rng, dtype=dtype), minae.Sigmoid())
    return minae.Autoencoder(encoder, decoder, minae.MSE())


def _data(n=40, dtype=np.float32):
    return np.random.default_rng(1).uniform(0.05, 0.95, size=(n, 6)).astype(dtype)


def _weights(model):
    return [p.value.copy() for p in model.parameters()]


def _unchanged(model, before):
    return all(np.array_equal(a, p.value) for a, p in zip(before, model.parameters(), strict=True))


def test_an_unknown_monitor_is_refused_before_the_first_batch():
    model, X = _model(), _data()
    before = _weights(model)
    with pytest.raises(ValueError, match="monitor 'nosuch' is not a loss term; the terms are"):
        minae.train(
            model,
            minae.Adam(model.parameters()),
            X,
            epochs=2,
            batch_size=8,
            rng=0,
            X_val=X[:8],
            keep_best=True,
            monitor="nosuch",
            progress=False,
        )
    assert _unchanged(model, before)


def test_validation_data_of_the_wrong_width_is_refused_before_the_first_batch():
    model, X = _model(), _data()
    before = _weights(model)
    optimizer = minae.Adam(model.parameters())
    run = Run(model, optimizer, X, X, 8, np.random.default_rng(0), None, 2)
    X_val = _data(8)[:, :5]
    with pytest.raises(ValueError, match=r"X_val's examples are \(5,\), the training data's"):
        fit(run, [Validation(X_val, X_val, 8), BestEpoch("total", True, None)])
    assert _unchanged(model, before) and run.epoch == 0


def test_probing_the_terms_leaves_a_vaes_randomness_where_it_was():
    """The monitor is checked on one validation example; the VAE's ε stream must not move,
    or a run with X_val would differ from one without it."""
    from minae.models import VAE

    def vae():
        rng = np.random.default_rng(3)
        return VAE(
            minae.mlp([6, 5, 4], activation="tanh", rng=rng),
            minae.mlp([2, 5, 6], activation="tanh", rng=rng),
            minae.BCEWithLogits(),
            rng=rng,
        )

    X = _data()
    runs = []
    for extra in ({}, {"X_val": X[:8], "keep_best": True, "monitor": "kl"}):
        model = vae()
        minae.train(
            model,
            minae.Adam(model.parameters()),
            X,
            epochs=1,
            batch_size=8,
            rng=0,
            progress=False,
            **extra,
        )
        runs.append(_weights(model))
    assert all(np.array_equal(a, b) for a, b in zip(*runs, strict=True))


def test_an_optimizer_of_another_model_is_refused_by_step_and_train():
    model, other, X = _model(0), _model(1), _data()
    before = _weights(model)
    foreign = minae.Adam(other.parameters())
    with pytest.raises(ValueError, match="not this model's"):
        step(model, foreign, X[:8], X[:8])
    with pytest.raises(ValueError, match="build it from this model"):
        minae.train(model, foreign, X, epochs=1, batch_size=8, rng=0, progress=False)
    assert _unchanged(model, before)


def test_a_checkpoint_holding_nan_is_refused_and_nothing_is_loaded(tmp_path):
    model, X = _model(), _data()
    path = tmp_path / "run.npz"
    minae.train(
        model,
        minae.Adam(model.parameters()),
        X,
        epochs=1,
        batch_size=8,
        rng=0,
        checkpoint=path,
        progress=False,
    )
    archive = dict(np.load(path))
    archive["parameters/encoder.0.W"] = archive["parameters/encoder.0.W"].copy()
    archive["parameters/encoder.0.W"][0, 0] = np.nan
    np.savez(path, **archive)
    fresh = _model(5)
    before = _weights(fresh)
    with pytest.raises(
        minae.infrastructure.serialization.DamagedFileError, match="holds NaN or inf"
    ):
        minae.train(
            fresh,
            minae.Adam(fresh.parameters()),
            X,
            epochs=2,
            batch_size=8,
            rng=0,
            checkpoint=path,
            progress=False,
        )
    assert _unchanged(fresh, before)


def test_a_denoising_checkpoint_does_not_resume_without_its_corruption(tmp_path):
    model, X = _model(), _data()
    path = tmp_path / "run.npz"
    noisy = functools.partial(masking_noise, nu=0.2)
    minae.train(
        model,
        minae.Adam(model.parameters()),
        X,
        epochs=1,
        batch_size=8,
        rng=0,
        corrupt=noisy,
        checkpoint=path,
        progress=False,
    )
    for corrupt in (None, functools.partial(masking_noise, nu=0.5)):
        again = _model()
        with pytest.raises(ValueError, match="corrupt: "):
            minae.train(
                again,
                minae.Adam(again.parameters()),
                X,
                epochs=2,
                batch_size=8,
                rng=0,
                corrupt=corrupt,
                checkpoint=path,
                progress=False,
            )


def test_a_dropout_rate_is_part_of_the_fingerprint(tmp_path):
    X, path = _data(), tmp_path / "run.npz"
    model = _model(dropout=True)
    minae.train(
        model,
        minae.Adam(model.parameters()),
        X,
        epochs=1,
        batch_size=8,
        rng=0,
        checkpoint=path,
        progress=False,
    )
    other = _model()
    other.encoder.layers.append(minae.Dropout(0.5))
    with pytest.raises(ValueError, match=r"Dropout\(p=0.3\)"):
        minae.train(
            other,
            minae.Adam(other.parameters()),
            X,
            epochs=2,
            batch_size=8,
            rng=0,
            checkpoint=path,
            progress=False,
        )


@pytest.mark.parametrize("bias", ["False", 0, None, "no"])
def test_linear_takes_only_true_or_false_for_bias(bias):
    with pytest.raises(TypeError, match="bias must be True or False"):
        minae.Linear(3, 2, bias=bias, rng=0)


def test_predict_refuses_outputs_without_a_batch_axis():
    X = _data()
    with pytest.raises(ValueError, match="one row per example"):
        predict(lambda batch: batch.sum(), X, batch_size=16)
    with pytest.raises(ValueError, match="one row per example"):
        predict(lambda batch: batch[:1], X, batch_size=16)


def test_compare_does_not_wrap_around_on_unsigned_integers(capsys, monkeypatch):
    monkeypatch.delenv("MINAE_STRICT_COMPARE")
    assert not compare("bytes", np.array([0], np.uint8), np.array([255], np.uint8))
    assert "largest difference: 2.6e+02" in capsys.readouterr().out
    with pytest.raises(TypeError, match="must hold numbers"):
        compare("words", np.array(["a"]), np.array(["a"]))


def test_block_masking_leaves_exact_zeros_in_the_hole_whatever_the_image_held():
    X = np.full((2, 784), np.nan, np.float32)
    masked = block_masking(X, np.random.default_rng(0), size=6)
    assert (np.sum(masked == 0, axis=1) == 36).all()  # 6 x 6 zeros, not NaN


@pytest.mark.parametrize("corrupt", [gaussian_noise, masking_noise, block_masking])
def test_a_corruption_wants_the_runs_generator_not_a_seed(corrupt):
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        corrupt(_data(), 0)


def test_check_model_fixes_a_vaes_epsilon_and_dropouts_masks_itself():
    from minae.models import VAE
    from minae.training.loop import training_mode

    X = _data(5, np.float64)
    rng = np.random.default_rng(2)
    vae = VAE(
        minae.mlp([6, 5, 4], activation="tanh", rng=rng, dtype="float64"),
        minae.mlp([2, 5, 6], activation="tanh", rng=rng, dtype="float64"),
        minae.BCEWithLogits(),
        rng=rng,
    )
    assert max(check_model(vae, X).values()) < TOLERANCE
    model = _model(dtype="float64", dropout=True)
    with training_mode(model, np.random.default_rng(5)):  # masks drawn, as in training
        assert max(check_model(model, X).values()) < TOLERANCE
    dropout = minae.Dropout(0.4)
    dropout.begin_training(np.random.default_rng(1))
    assert check_layer(dropout, X)["X"] < TOLERANCE


def test_the_checkers_refuse_non_finite_input():
    X = _data(4, np.float64)
    X[1, 2] = np.nan
    linear = minae.Linear(6, 3, rng=0, dtype="float64")
    for check in (
        lambda: check_layer(linear, X),
        lambda: check_model(_model(dtype="float64"), X),
        lambda: check_loss(minae.MSE(), X, X),
        lambda: check_penalty(minae.L1(), X),
    ):
        with pytest.raises(ValueError, match="NaN or inf"):
            check()


def test_pca_likelihood_is_refused_where_the_covariance_is_singular_to_rounding():
    X = np.random.default_rng(0).normal(size=(4, 10))
    with pytest.raises(ValueError, match=r"has rank 3 \(of 10 features\)"):
        PCA(3).fit(X).score(X)
    assert np.isfinite(PCA(2).fit(X).score(X))


@pytest.mark.parametrize("L", [1, 3, 7, 10])
def test_pca_likelihood_in_the_eigenbasis_is_the_dense_formula_and_scikit_learns(L):
    sklearn = pytest.importorskip("sklearn.decomposition", reason="scikit-learn: dev extra")
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 10)) @ rng.normal(size=(10, 10)) + rng.normal(size=10)
    pca = PCA(L).fit(X)
    C = pca.get_covariance()
    X_c = X - pca.mean_
    _, log_det = np.linalg.slogdet(C)
    dense = -0.5 * (X_c * np.linalg.solve(C, X_c.T).T).sum(1) - 0.5 * (
        10 * np.log(2 * np.pi) + log_det
    )
    np.testing.assert_allclose(pca.score_samples(X), dense, rtol=1e-10)
    np.testing.assert_allclose(pca.score(X), sklearn.PCA(L).fit(X).score(X), rtol=1e-9)


def test_pca_likelihood_stays_exact_with_a_tiny_noise_variance():
    """Data on a 2-D plane plus noise of 1e-7: σ² ~ 1e-14, far below the kept variances.
    The eigenbasis form agrees with exact rational arithmetic on the fitted model."""
    from fractions import Fraction

    rng = np.random.default_rng(7)
    X = rng.normal(size=(50, 2)) @ rng.normal(size=(2, 4)) + 1e-7 * rng.normal(size=(50, 4))
    pca = PCA(2).fit(X)
    x = X[:3]
    # exact: (x - μ)ᵀ C⁻¹ (x - μ) with C⁻¹ = V diag(1/λ) Vᵀ + (I - V Vᵀ)/σ², from the
    # fitted floats taken as exact rationals
    V = [[Fraction(float(v)) for v in row] for row in pca.components_]
    lam = [Fraction(float(v)) for v in pca.explained_variance_]
    s2 = Fraction(float(pca.noise_variance_))
    mu = [Fraction(float(v)) for v in pca.mean_]
    for row, score in zip(x, pca.score_samples(x), strict=True):
        d = [Fraction(float(v)) - m for v, m in zip(row, mu, strict=True)]
        along = [sum(vi * di for vi, di in zip(v, d, strict=True)) for v in V]
        residual = [d[j] - sum(a * V[i][j] for i, a in enumerate(along)) for j in range(4)]
        quadratic = (
            sum(a * a / li for a, li in zip(along, lam, strict=True))
            + sum(r * r for r in residual) / s2
        )
        log_det = sum(np.log(float(li)) for li in lam) + 2 * np.log(float(s2))
        exact = -0.5 * float(quadratic) - 0.5 * (4 * np.log(2 * np.pi) + log_det)
        assert abs(score - exact) <= 1e-9 * abs(exact)


def test_a_failed_download_says_what_to_do_first_naming_minae_data(tmp_path, monkeypatch):
    from minae.datasets import download, load_mnist

    def offline(*args, **kwargs):
        raise download.FetchError("could not download train-images-idx3-ubyte.gz: no route")

    monkeypatch.setattr("minae.datasets.mnist.fetch", offline)
    with pytest.raises(download.FetchError) as caught:
        load_mnist("train", root=tmp_path, download=True)
    message = str(caught.value)
    assert message.index("MINAE_DATA") < message.index("What was tried")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: minae.Dropout("half"), "p must be a number"),
        (lambda: minae.Dropout(True), "p must be a number"),
        (lambda: Run(_model(), None, _data(), None, 8, 0, None, 1), "optimizer must be a minae"),
        (
            lambda: Run(_m := _model(), minae.Adam(_m.parameters()), _data(), None, 0, 0, None, 1),
            "batch_size must be a positive integer",
        ),
        (
            lambda: Run(
                _m := _model(), minae.Adam(_m.parameters()), _data(), None, 8, "seed", None, 1
            ),
            "rng must be a numpy.random.Generator or an int seed",
        ),
        (
            lambda: fit(
                Run(_m := _model(), minae.Adam(_m.parameters()), _data(), None, 8, 0, None, 1),
                [lambda epoch, history: None],
            ),
            "callbacks\\[0\\] is a function",
        ),
        (
            lambda: minae.train(
                _m := _model(),
                minae.Adam(_m.parameters()),
                _data(),
                epochs=1,
                batch_size=8,
                rng=0,
                callback=BestEpoch("total", True, None),
            ),
            "callback \\(fn\\) must be a function",
        ),
        (lambda: BestEpoch("total", "yes", None), "keep_best must be True or False"),
    ],
)
def test_minaes_own_message_not_pythons(make, words):
    with pytest.raises((TypeError, ValueError), match=words):
        make()


def test_in_a_notebook_a_lessons_missing_data_shows_the_message_alone(capsys):
    interactive = pytest.importorskip(
        "IPython.core.interactiveshell", reason="IPython comes with the dev extra"
    )
    from minae.datasets.download import FetchError
    from minae.teaching import lesson

    shell = interactive.InteractiveShell.instance()
    try:
        lesson._data_errors_in_a_notebook()
        shell.user_ns["FetchError"] = FetchError
        shell.run_cell("raise FetchError('mnist could not be downloaded. point MINAE_DATA at it')")
        shown = capsys.readouterr()
        assert "MINAE_DATA" in shown.err and "Traceback" not in shown.out + shown.err
        shell.run_cell("raise ValueError('any other error')")  # keeps its traceback
        assert "Traceback" in (lambda o: o.out + o.err)(capsys.readouterr())
    finally:
        shell.set_custom_exc((), None)
        interactive.InteractiveShell.clear_instance()
