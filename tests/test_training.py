"""The training loop: it learns, it repeats bit for bit, and it stops cleanly on NaN."""

import numpy as np
import pytest

from minae import MSE, SGD, Adam, Autoencoder, NonFiniteLossError, evaluate, mlp, train


def line_data(n=512, seed=0):
    """Slides 000's data set: every point is x = [2α, α]."""
    alpha = np.random.default_rng(seed).normal(size=(n, 1))
    return np.hstack([2 * alpha, alpha]).astype(np.float32)


def linear_autoencoder(seed, n=2, code=1):
    rng = np.random.default_rng(seed)
    encoder = mlp([n, code], activation="identity", rng=rng)
    decoder = mlp([code, n], activation="identity", rng=rng)
    return Autoencoder(encoder, decoder, MSE())


def test_a_one_unit_linear_bottleneck_learns_the_line():
    # x = [2α, α] lies on one line, so a one-unit linear code reconstructs it exactly
    # (slides 000's w = [1, -1], ŵ = [2, 1] is one such solution).
    X = line_data()
    model = linear_autoencoder(seed=0)
    history = train(
        model, Adam(model.parameters(), lr=0.02), X, epochs=60, batch_size=32, rng=1, progress=False
    )
    start, end = history.train["squared_error"][0], history.train["squared_error"][-1]
    assert start > 1.0  # E||x||² = 5 for α ~ N(0, 1)
    assert end < 1e-5
    # The decoder's column spans the data's line; its sign and length are free (Baldi & Hornik).
    w_hat = model.decoder[0].W.value[0]
    assert abs(w_hat @ np.array([2, 1]) / np.sqrt(5)) / np.linalg.norm(w_hat) > 1 - 1e-6


def train_once(seed):
    X = np.random.default_rng(5).uniform(size=(200, 6)).astype(np.float32)
    rng = np.random.default_rng(seed)
    model = Autoencoder(
        mlp([6, 4, 2], activation="relu", rng=rng),
        mlp([2, 4, 6], activation="relu", rng=rng),
        MSE(),
    )
    history = train(
        model, Adam(model.parameters()), X, epochs=3, batch_size=16, rng=seed, progress=False
    )
    return [p.value.copy() for p in model.parameters()], history


def test_the_same_seed_gives_bit_identical_parameters():
    first, history_1 = train_once(seed=3)
    second, history_2 = train_once(seed=3)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert history_1.train == history_2.train
    other, _ = train_once(seed=4)
    assert any(not np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_history_has_every_term_per_epoch_and_validation():
    X = line_data(128)
    model = linear_autoencoder(seed=0)
    history = train(
        model,
        SGD(model.parameters(), lr=0.01),
        X,
        epochs=4,
        batch_size=30,
        rng=0,
        X_val=X[:50],
        progress=False,
    )
    keys = {"reconstruction", "total", "squared_error"}  # no penalty: no penalty term
    assert set(history.train) == keys and set(history.val) == keys
    assert history.epochs == 4 and all(len(v) == 4 for v in history.val.values())
    assert (
        history.train["squared_error"] == history.train["reconstruction"]
    )  # MSE is the squared error
    assert history.val["total"][-1] == pytest.approx(evaluate(model, X[:50])["total"], rel=1e-6)


def test_corruption_is_applied_to_the_input_only():
    X = line_data(64)
    seen = []

    def corrupt(batch, rng):
        assert isinstance(rng, np.random.Generator)
        seen.append(batch.shape)
        return np.zeros_like(batch)  # the model sees nothing of its input

    model = linear_autoencoder(seed=0)
    history = train(
        model,
        Adam(model.parameters()),
        X,
        epochs=2,
        batch_size=16,
        rng=0,
        corrupt=corrupt,
        progress=False,
    )
    assert seen == [(16, 2)] * 8
    # The target stayed clean, so the loss is at least the data's spread around the bias.
    assert history.train["reconstruction"][-1] > 1.0


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_a_non_finite_loss_stops_training_and_keeps_finite_parameters():
    X = line_data(256) * 100
    model = linear_autoencoder(seed=0)
    with pytest.raises(NonFiniteLossError, match=r"non-finite loss at epoch 1, batch \d+"):
        train(
            model,
            SGD(model.parameters(), lr=10.0),
            X,
            epochs=3,
            batch_size=8,
            rng=0,
            progress=False,
        )
    assert all(np.isfinite(p.value).all() for p in model.parameters())


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "epochs must be a positive integer"),
        ({"batch_size": 0}, ValueError, "batch_size must be a positive integer"),
        (
            {"target": np.zeros((3, 2), np.float32)},
            ValueError,
            "X has 16 examples but target has 3",
        ),
        ({"X_val": np.zeros((3, 5), np.float32)}, ValueError, "X_val has 5 features"),
        ({"rng": None}, TypeError, "Generator or an int seed"),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, match):
    model = linear_autoencoder(seed=0)
    arguments = {"epochs": 1, "batch_size": 4, "rng": 0, "progress": False, **kwargs}
    with pytest.raises(error, match=match):
        train(model, SGD(model.parameters(), lr=0.1), line_data(16), **arguments)


def test_nan_in_the_training_data_is_refused_before_any_step():
    X = line_data(16)
    X[3, 1] = np.nan
    model = linear_autoencoder(seed=0)
    before = [p.value.copy() for p in model.parameters()]
    with pytest.raises(ValueError, match="non-finite"):
        train(
            model, SGD(model.parameters(), lr=0.1), X, epochs=1, batch_size=4, rng=0, progress=False
        )
    for a, p in zip(before, model.parameters(), strict=True):
        np.testing.assert_array_equal(a, p.value)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("epochs", [1, 3])
def test_a_last_step_that_diverges_is_caught_and_restored(epochs):
    # one batch per epoch: the step that makes the parameters inf is the epoch's last, and
    # no loss is computed after it; the check after the epoch restores the start values
    X = line_data(8)
    model = linear_autoencoder(seed=0)
    before = [p.value.copy() for p in model.parameters()]
    with pytest.raises(NonFiniteLossError, match="restored to the start of the epoch"):
        train(
            model,
            SGD(model.parameters(), lr=1e39),
            X,
            epochs=epochs,
            batch_size=8,
            rng=0,
            progress=False,
        )
    for a, p in zip(before, model.parameters(), strict=True):
        assert np.isfinite(p.value).all()
        np.testing.assert_array_equal(a, p.value)  # the first epoch's start values


def test_non_finite_parameters_before_training_are_refused():
    model = linear_autoencoder(seed=0)
    model.encoder[0].W.value[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or inf before training"):
        train(
            model,
            SGD(model.parameters(), lr=0.1),
            line_data(8),
            epochs=1,
            batch_size=4,
            rng=0,
            progress=False,
        )


@pytest.mark.parametrize("batch_size", [0, -1, 2.5])
def test_evaluate_refuses_a_batch_size_that_is_not_positive(batch_size):
    with pytest.raises((ValueError, TypeError), match="batch_size must be a positive integer"):
        evaluate(linear_autoencoder(seed=0), line_data(8), batch_size=batch_size)


def test_train_refuses_what_is_not_a_model():
    model = linear_autoencoder(seed=0)
    with pytest.raises(TypeError, match="model must be a minae Model"):
        train(
            object(), SGD(model.parameters(), lr=0.1), line_data(8), epochs=1, batch_size=4, rng=0
        )


def test_train_drives_any_subclass_of_model_that_writes_the_four_methods():
    # a model written outside minae: a bare linear map scored by MSE, with its own backward
    from minae import Linear, LossTerms, Model

    class Affine(Model):
        in_shape = (2,)

        def __init__(self):
            self.layer = Linear(2, 2, rng=0)  # dtype: Model's default, the parameters'

        def forward(self, X):
            self._out = self.layer.forward(X)
            return self._out

        def loss(self, target):
            self._target = target
            value = MSE().value(self._out, target)
            return LossTerms({"reconstruction": value}, {}, value)

        def backward(self, input_grad=True):
            return self.layer.backward(MSE().grad(self._out, self._target), input_grad)

        def parameters(self):
            return self.layer.parameters()

    model = Affine()
    X = line_data(64)
    history = train(
        model, Adam(model.parameters(), lr=0.05), X, epochs=30, batch_size=16, rng=0, progress=False
    )
    assert history.train["total"][-1] < 0.01 * history.train["total"][0]


def test_progress_shows_epochs_and_long_epochs_batch_by_batch(capsys, monkeypatch):
    import minae.training.callbacks

    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    monkeypatch.setattr(minae.training.callbacks, "LONG_EPOCH", 4)  # 8 batches count as long here
    model = linear_autoencoder(seed=0)
    train(
        model,
        SGD(model.parameters(), lr=0.01),
        line_data(64),
        epochs=2,
        batch_size=8,
        rng=0,
        progress=True,
    )
    shown = capsys.readouterr().err
    assert "training" in shown and "epoch 1" in shown and "batch" in shown


def test_tqdm_disable_in_the_environment_hides_progress(capsys, monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")
    model = linear_autoencoder(seed=0)
    train(
        model,
        SGD(model.parameters(), lr=0.01),
        line_data(64),
        epochs=2,
        batch_size=8,
        rng=0,
        progress=True,
    )
    assert capsys.readouterr().err == ""


def test_predict_runs_a_function_batch_by_batch_and_joins_the_results():
    import minae

    model = linear_autoencoder(seed=0)
    X = line_data(50)
    whole = model.reconstruct(X)
    calls = []

    def reconstruct(batch):
        calls.append(batch.shape[0])
        return model.reconstruct(batch)

    np.testing.assert_array_equal(minae.predict(reconstruct, X, batch_size=16), whole)
    assert calls == [16, 16, 16, 2]
    with pytest.raises(TypeError, match="function of a batch"):
        minae.predict(model, X)
    with pytest.raises(ValueError, match="batch_size"):
        minae.predict(model.reconstruct, X, batch_size=0)


def test_a_warm_up_longer_than_the_run_is_named_and_one_that_fits_is_not():
    import warnings

    from minae.optim import WarmUp

    X = line_data(n=64)  # 4 batches of 16 per epoch
    model = linear_autoencoder(0)
    long = Adam(model.parameters(), lr=1e-2, schedule=WarmUp(20))
    with pytest.warns(UserWarning, match=r"warm-up lasts 20 updates, but this run makes 8"):
        train(model, long, X, epochs=2, batch_size=16, rng=0)
    fitting = Adam(model.parameters(), lr=1e-2, schedule=WarmUp(8))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        train(model, fitting, X, epochs=2, batch_size=16, rng=0)


def test_a_model_or_layer_that_misspells_a_protocol_method_is_refused_when_defined():
    """A misspelt optional method would leave the default to run in its place, silently:
    a VAE whose ``generator()`` a checkpoint never saw, a Dropout never switched on."""
    from minae import Layer, Model

    with pytest.raises(TypeError, match="did you mean generators"):

        class Forgets(Model):
            def generator(self):
                return {}

    with pytest.raises(TypeError, match="did you mean begin_training"):

        class NeverTrains(Layer):
            def begin_trainig(self, rng):
                pass

    with pytest.raises(TypeError, match="did you mean per_example_loss"):

        class Plural(Model):
            def per_example_losses(self, X, target=None):
                return X

    class Fine(Model):  # names of its own, far from the protocol's, are the model's business
        def reconstruct(self, X):
            return X

    assert Fine().generators() == {} and Fine().begin_training(None) is None
    for missing in ("forward", "parameters"):
        with pytest.raises(NotImplementedError, match=f"Fine must define {missing}"):
            getattr(Fine(), missing)() if missing == "parameters" else Fine().forward(None)


def test_no_target_and_the_inputs_as_target_train_the_same_bits():
    """target=None says the model reconstructs its input; a target equal to X, given as
    another array, is the same run: nothing is decided by which array is which."""
    runs = []
    for target in (None, "copy"):
        model = linear_autoencoder(seed=0)
        X = line_data(64)
        train(
            model,
            Adam(model.parameters(), lr=0.01),
            X,
            target=None if target is None else X.copy(),
            epochs=2,
            batch_size=16,
            rng=0,
            X_val=X[:8],
            progress=False,
        )
        runs.append([p.value.copy() for p in model.parameters()])
    for a, b in zip(*runs, strict=True):
        np.testing.assert_array_equal(a, b)
