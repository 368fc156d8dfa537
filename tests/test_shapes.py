"""The N-D contract: batches (B, *example_shape), Flatten/Unflatten, shape chains, and an
image autoencoder trained and gradient-checked end to end."""

import numpy as np
import pytest
from helpers import TOLERANCE, layer_errors, model_errors
from hypothesis import given
from hypothesis import strategies as st

from minae import (
    L1,
    MSE,
    SGD,
    Adam,
    Autoencoder,
    Flatten,
    Linear,
    Sequential,
    Sigmoid,
    Tanh,
    Unflatten,
    WeightDecay,
    evaluate,
    train,
)
from minae.losses import BCEWithLogits

seed = st.integers(0, 2**32 - 1)
image_shape = st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4))


@given(B=st.integers(1, 4), shape=image_shape, seed=seed)
def test_flatten_and_unflatten_are_each_others_inverse_and_gradient(float64, B, shape, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(B, *shape))
    n = int(np.prod(shape))
    flat = Flatten()
    Y = flat.forward(X)
    assert Y.shape == (B, n)
    np.testing.assert_array_equal(Y, X.reshape(B, -1))  # row-major, as NumPy and PyTorch
    np.testing.assert_array_equal(Unflatten(shape).forward(Y), X)
    assert layer_errors(Flatten(), X, rng.normal(size=(B, n)))["X"] <= TOLERANCE
    assert layer_errors(Unflatten(shape), Y, rng.normal(size=X.shape))["X"] <= TOLERANCE


@given(B=st.integers(1, 4), shape=image_shape, seed=seed)
def test_activations_keep_image_shapes(float64, B, shape, seed):
    rng = np.random.default_rng(seed)
    X, dout = rng.uniform(-3, 3, size=(B, *shape)), rng.normal(size=(B, *shape))
    for act in (Sigmoid(), Tanh()):
        assert act.forward(X).shape == X.shape
        assert layer_errors(act, X, dout)["X"] <= TOLERANCE


def test_shapes_chain_through_a_stack():
    net = Sequential(
        Flatten(), Linear(12, 5, rng=0), Sigmoid(), Linear(5, 12, rng=1), Unflatten((3, 2, 2))
    )
    assert net.in_shape is None  # Flatten takes any shape
    assert net.out_shape((3, 2, 2)) == (3, 2, 2)
    assert net.out_shape(None) == (3, 2, 2)
    assert Sequential(Sigmoid(), Linear(4, 2, rng=0)).in_shape == (4,)
    with pytest.raises(ValueError, match=r"layer 2 of the Sequential.*Linear\(12, 5\)"):
        Sequential(Tanh(), Flatten(), Linear(12, 5, rng=0)).out_shape((1, 3, 5))


@pytest.mark.parametrize(
    ("layers", "match"),
    [
        (lambda: [Linear(4, 6, rng=0), Unflatten((1, 2, 2))], r"layer 1 \(Unflatten"),
        (lambda: [Unflatten((1, 2, 2)), Linear(4, 3, rng=0)], r"Flatten\(\) before it"),
        (lambda: [Linear(4, 3, rng=0), Sigmoid(), Linear(2, 1, rng=0)], r"layer 2 \(Linear"),
    ],
)
def test_a_broken_chain_names_the_layer(layers, match):
    with pytest.raises(ValueError, match=match):
        Sequential(*layers())


def test_image_batches_of_the_wrong_shape_are_refused():
    model = image_autoencoder(np.random.default_rng(0), dtype=np.float32)
    with pytest.raises(ValueError, match=r"must be 4-D \(batch, 1, 4, 4\)"):
        train(
            model,
            SGD(model.parameters(), lr=0.1),
            np.zeros((3, 16), np.float32),
            epochs=1,
            batch_size=2,
            rng=0,
        )
    with pytest.raises(ValueError, match=r"examples of shape \(1, 4, 5\), expected \(1, 4, 4\)"):
        model.forward(np.zeros((3, 1, 4, 5), np.float32))


def image_autoencoder(rng, dtype=None, side=4, code=3):
    """Flatten → dense → code, and dense → Sigmoid → Unflatten, with L1 on the code and
    weight decay. The code is a sigmoid's, so L1's kink at 0 is never met."""
    n = side * side
    encoder = Sequential(
        Flatten(),
        Linear(n, 6, rng=rng, dtype=dtype),
        Tanh(),
        Linear(6, code, rng=rng, dtype=dtype),
        Sigmoid(),
    )
    decoder = Sequential(
        Linear(code, 6, rng=rng, dtype=dtype),
        Tanh(),
        Linear(6, n, rng=rng, dtype=dtype),
        Sigmoid(),
        Unflatten((1, side, side)),
    )
    model = Autoencoder(
        encoder,
        decoder,
        MSE(),
        penalty=L1(),
        lam=0.05,
        penalties={"weight_decay": (0.01, WeightDecay())},
    )
    model.in_shape = (1, side, side)  # the data's shape, checked by forward and train
    return model


@given(seed=seed, B=st.integers(1, 4))
def test_the_image_autoencoder_passes_the_whole_model_gradient_check(float64, seed, B):
    rng = np.random.default_rng(seed)
    model = image_autoencoder(rng)
    X = rng.uniform(0, 1, size=(B, 1, 4, 4))
    target = rng.uniform(0, 1, size=(B, 1, 4, 4))  # apart from X, so dX is X's path alone
    errors, grads = model_errors(model, X, target)
    assert grads.dX.shape == X.shape and grads.dZ.shape == (B, 3)
    assert max(errors.values()) <= TOLERANCE, errors


def test_the_image_autoencoder_trains_with_l1_and_weight_decay():
    rng = np.random.default_rng(0)
    model = image_autoencoder(rng, dtype=np.float32)
    # images of a bright bar at a random row: 4 kinds of image
    X = np.zeros((64, 1, 4, 4), np.float32)
    X[np.arange(64), 0, rng.integers(0, 4, 64), :] = 1.0
    before = evaluate(model, X)
    history = train(
        model, Adam(model.parameters(), lr=0.02), X, epochs=40, batch_size=16, rng=1, progress=False
    )
    assert set(history.train) == {
        "reconstruction",
        "sparsity",
        "weight_decay",
        "total",
        "squared_error",
    }
    assert history.train["total"][-1] < 0.5 * before["total"]
    assert history.train["squared_error"][-1] < 0.5 * before["squared_error"]
    assert model.reconstruct(X).shape == X.shape


def test_losses_reduce_over_every_non_batch_axis(float64):
    rng = np.random.default_rng(0)
    output, target = rng.normal(size=(3, 2, 4, 5)), rng.uniform(size=(3, 2, 4, 5))
    flat_out, flat_target = output.reshape(3, -1), target.reshape(3, -1)
    for loss in (MSE(), BCEWithLogits()):
        assert loss.value(output, target) == pytest.approx(loss.value(flat_out, flat_target))
        np.testing.assert_allclose(
            loss.grad(output, target), loss.grad(flat_out, flat_target).reshape(output.shape)
        )
    assert L1().value(output) == pytest.approx(np.abs(output).sum() / 3)


def mnist_shaped_autoencoder(rng, dtype=None):
    """The shapes of MNIST: (B, 1, 28, 28) in, Flatten, 784 → 16 → 4, and back to images."""
    encoder = Sequential(
        Flatten(),
        Linear(784, 16, rng=rng, dtype=dtype),
        Tanh(),
        Linear(16, 4, rng=rng, dtype=dtype),
        Sigmoid(),
    )
    decoder = Sequential(
        Linear(4, 16, rng=rng, dtype=dtype),
        Tanh(),
        Linear(16, 784, rng=rng, dtype=dtype),
        Sigmoid(),
        Unflatten((1, 28, 28)),
    )
    return Autoencoder(
        encoder,
        decoder,
        MSE(),
        penalty=L1(),
        lam=0.01,
        penalties={"weight_decay": (1e-3, WeightDecay())},
    )


@given(seed=seed)
def test_the_mnist_shaped_model_passes_the_whole_model_gradient_check(float64, seed):
    # every parameter (and X) at 15 entries drawn at random: 784-wide arrays are too big
    # to difference in full; the error is measured against each array's largest entry
    rng = np.random.default_rng(seed)
    model = mnist_shaped_autoencoder(rng)
    X = rng.uniform(0, 1, size=(3, 1, 28, 28))
    target = rng.uniform(0, 1, size=(3, 1, 28, 28))
    errors, _ = model_errors(model, X, target, sampled=15, rng=rng)
    assert len(errors) == 9 and max(errors.values()) <= TOLERANCE, errors


def test_the_mnist_shaped_model_trains_with_l1_and_weight_decay():
    rng = np.random.default_rng(0)
    model = mnist_shaped_autoencoder(rng, dtype=np.float32)
    X = np.zeros((128, 1, 28, 28), np.float32)  # a bright 4-pixel bar at one of 7 rows
    X[np.arange(128), 0, 4 * rng.integers(0, 7, 128)] = 1.0
    history = train(
        model, Adam(model.parameters(), lr=0.01), X, epochs=15, batch_size=32, rng=1, progress=False
    )
    assert {"sparsity", "weight_decay"} <= set(history.train)
    assert history.train["squared_error"][-1] < 0.25 * history.train["squared_error"][0]


def test_a_conv_stack_refuses_images_of_another_size_by_their_size():
    import minae

    encoder, decoder = minae.conv_encoder_decoder((1, 28, 28), [1, 8, 8], code=16, rng=0)
    assert encoder.in_shape == (1, 28, 28)
    model = minae.Autoencoder(encoder, decoder, minae.MSE())
    with pytest.raises(ValueError, match=r"shape \(1, 32, 32\), expected \(1, 28, 28\)"):
        model.forward(np.zeros((2, 1, 32, 32), np.float32))


def test_a_stated_in_shape_must_chain():
    import minae

    with pytest.raises(ValueError, match="takes examples of shape"):
        minae.Sequential(minae.Flatten(), minae.Linear(784, 4, rng=0), in_shape=(1, 32, 32))
