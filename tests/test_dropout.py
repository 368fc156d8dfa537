"""Dropout: Y = X ∘ M / (1 - p) while training, the identity otherwise; its backward
checked in float64 with a fixed mask; its masks drawn from the run's Generator."""

import numpy as np
import pytest
from helpers import TOLERANCE, layer_errors
from hypothesis import given
from hypothesis import strategies as st

import minae
from minae import MSE, Adam, Autoencoder, Dropout, Linear, Sequential, Tanh, train


@given(
    p=st.floats(0.0, 0.9), B=st.integers(1, 5), N=st.integers(1, 6), seed=st.integers(0, 2**32 - 1)
)
def test_dropout_backward_with_a_fixed_mask(float64, p, B, N, seed):
    rng = np.random.default_rng(seed)
    layer = Dropout(p)
    layer.training = True
    layer.fixed_mask = (rng.random((B, N)) >= p).astype(np.float64)
    X, dY = rng.normal(size=(B, N)), rng.normal(size=(B, N))
    np.testing.assert_allclose(layer.forward(X), X * layer.fixed_mask / (1 - p), rtol=1e-15)
    errors = layer_errors(layer, X, dY)
    assert errors["X"] <= TOLERANCE, errors
    np.testing.assert_allclose(layer.backward(dY), dY * layer.fixed_mask / (1 - p), rtol=1e-15)


def test_dropout_is_the_identity_outside_training():
    X = np.arange(12.0).reshape(3, 4)
    layer = Dropout(0.5)
    assert layer.forward(X) is X
    np.testing.assert_array_equal(layer.backward(np.ones((3, 4))), np.ones((3, 4)))


def test_inverted_dropout_keeps_the_expected_value_and_drops_a_fraction_p():
    layer = Dropout(0.3)
    layer.begin_training(np.random.default_rng(0))
    X = np.ones((400, 500))
    Y = layer.forward(X)
    dropped = float((Y == 0).mean())
    assert abs(dropped - 0.3) < 0.01  # 200,000 draws: the standard error is 0.001
    assert abs(float(Y.mean()) - 1.0) < 0.02
    assert set(np.unique(Y)) == {0.0, 1.0 / 0.7}
    layer.end_training()
    assert layer.forward(X) is X


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match=r"p must lie in \[0, 1\)"):
        Dropout(1.0)
    layer = Dropout(0.5)
    layer.training = True
    with pytest.raises(RuntimeError, match="no Generator"):
        layer.forward(np.ones((2, 3)))
    layer.fixed_mask = np.ones((2, 4))
    with pytest.raises(ValueError, match="fixed_mask"):
        layer.forward(np.ones((2, 3)))


def model_with_dropout(p, seed=0):
    rng = np.random.default_rng(seed)
    encoder = Sequential(Linear(8, 6, rng=rng), Tanh(), Dropout(p), Linear(6, 3, rng=rng))
    decoder = Sequential(Linear(3, 8, rng=rng))
    return Autoencoder(encoder, decoder, MSE())


def test_train_switches_dropout_on_for_its_batches_only_and_repeats_by_seed():
    X = np.random.default_rng(1).normal(size=(64, 8)).astype(np.float32)
    runs = []
    for p in (0.5, 0.5, 0.0):
        model = model_with_dropout(p)
        history = train(
            model,
            Adam(model.parameters(), lr=1e-2),
            X,
            epochs=3,
            batch_size=16,
            rng=2,
            X_val=X,
            progress=False,
        )
        runs.append((model, history))
    (a, ha), (b, _), (plain, _) = runs
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(pa.value, pb.value)  # the same seed, the same masks
    assert not np.array_equal(a.parameters()[0].value, plain.parameters()[0].value)
    dropout = a.encoder[2]
    assert not dropout.training and dropout.rng is None  # back to the identity after train
    # validation ran with dropout off: evaluating again gives the same numbers
    assert minae.evaluate(a, X, batch_size=16)["total"] == pytest.approx(ha.val["total"][-1])


def test_a_run_with_dropout_resumed_from_its_checkpoint_ends_with_the_same_bits(tmp_path):
    X = np.random.default_rng(1).normal(size=(64, 8)).astype(np.float32)
    straight = model_with_dropout(0.4)
    train(
        straight,
        Adam(straight.parameters(), lr=1e-2),
        X,
        epochs=4,
        batch_size=16,
        rng=2,
        progress=False,
    )
    first = model_with_dropout(0.4)
    path = tmp_path / "run.npz"
    train(
        first,
        Adam(first.parameters(), lr=1e-2),
        X,
        epochs=2,
        batch_size=16,
        rng=2,
        progress=False,
        checkpoint=path,
    )
    resumed = model_with_dropout(0.4, seed=9)
    train(
        resumed,
        Adam(resumed.parameters(), lr=1e-2),
        X,
        epochs=4,
        batch_size=16,
        rng=2,
        progress=False,
        checkpoint=path,
    )
    for a, b in zip(straight.parameters(), resumed.parameters(), strict=True):
        np.testing.assert_array_equal(a.value, b.value)
