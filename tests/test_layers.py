"""Layers: float64 finite-difference checks of every backward, accumulation, and bad input."""

import numpy as np
import pytest
from helpers import TOLERANCE, away_from_zero, layer_errors
from hypothesis import assume, given
from hypothesis import strategies as st

import minae
from minae.layers import Identity, Linear, ReLU, Sequential, Sigmoid, Tanh, mlp
from minae.teaching.gradcheck import scaled_error

batch = st.integers(1, 6)
width = st.integers(1, 7)
seed = st.integers(0, 2**32 - 1)


@given(B=batch, n_in=width, n_out=width, seed=seed, init=st.sampled_from(["xavier", "he"]))
def test_linear_gradients(float64, B, n_in, n_out, seed, init):
    rng = np.random.default_rng(seed)
    layer = Linear(n_in, n_out, rng=rng, init=init)
    layer.b.value[...] = rng.normal(size=n_out)
    X, dout = rng.normal(size=(B, n_in)), rng.normal(size=(B, n_out))
    errors = layer_errors(layer, X, dout)
    assert set(errors) == {"X", "W", "b"}
    assert max(errors.values()) <= TOLERANCE, errors


@given(B=batch, n_in=width, n_out=width, seed=seed)
def test_linear_without_bias_is_x_w_and_checks(float64, B, n_in, n_out, seed):
    rng = np.random.default_rng(seed)
    layer = Linear(n_in, n_out, rng=rng, bias=False)
    X, dout = rng.normal(size=(B, n_in)), rng.normal(size=(B, n_out))
    np.testing.assert_array_equal(layer.forward(X), X @ layer.W.value)
    errors = layer_errors(layer, X, dout)
    assert set(errors) == {"X", "W"}
    assert max(errors.values()) <= TOLERANCE, errors
    assert repr(layer) == f"Linear({n_in}, {n_out}, bias=False)"


def test_the_slides_toy_network_has_two_vectors_and_no_bias():
    model = minae.linear_autoencoder(2, 1, rng=0, bias=False)
    assert [p.shape for p in model.parameters()] == [(2, 1), (1, 2)]
    assert (
        sum(p.value.size for p in minae.linear_autoencoder(784, 30, rng=0, bias=False).parameters())
        == 2 * 784 * 30
    )


@given(B=batch, N=width, seed=seed, cls=st.sampled_from([Sigmoid, Tanh, Identity]))
def test_smooth_activation_gradients(float64, B, N, seed, cls):
    rng = np.random.default_rng(seed)
    X, dout = rng.uniform(-4, 4, size=(B, N)), rng.normal(size=(B, N))
    assert layer_errors(cls(), X, dout)["X"] <= TOLERANCE


@given(B=batch, N=width, seed=seed)
def test_relu_gradient_away_from_the_kink(float64, B, N, seed):
    rng = np.random.default_rng(seed)
    X, dout = away_from_zero(rng, (B, N)), rng.normal(size=(B, N))
    assert layer_errors(ReLU(), X, dout)["X"] <= TOLERANCE


@given(B=batch, seed=seed, act=st.sampled_from(["sigmoid", "tanh", "relu"]))
def test_sequential_mlp_gradients(float64, B, seed, act):
    rng = np.random.default_rng(seed)
    net = mlp([5, 4, 3], activation=act, output_activation="sigmoid", rng=rng)
    X, dout = rng.normal(size=(B, 5)), rng.normal(size=(B, 3))
    if act == "relu":  # keep the hidden pre-activations off the kink (h = 1e-5 moves them less)
        assume(np.abs(net[0].forward(X)).min() > 1e-3)
    errors = layer_errors(net, X, dout)
    assert len(errors) == 5  # X and 0.W, 0.b, 2.W, 2.b
    assert max(errors.values()) <= TOLERANCE, errors


def test_sigmoid_is_stable_and_exact_far_out(float64):
    X = np.array([[-1000.0, -40.0, 0.0, 40.0, 1000.0]])
    Y = Sigmoid().forward(X)
    assert np.all(np.isfinite(Y))
    np.testing.assert_allclose(Y[0, 1], np.exp(-40.0) / (1 + np.exp(-40.0)), rtol=1e-15)
    np.testing.assert_array_equal(Y[0, [0, 2, 4]], [0.0, 0.5, 1.0])


def test_linear_computes_xw_plus_b(float64):
    layer = Linear(2, 3, rng=0)
    layer.W.value[...] = [[1, 2, 3], [4, 5, 6]]
    layer.b.value[...] = [1, 0, -1]
    Y = layer.forward(np.array([[1.0, 1.0]]))
    np.testing.assert_array_equal(Y, [[6.0, 7.0, 8.0]])


def test_fan_in_uniform_is_pytorchs_default(float64):
    layer = Linear(400, 300, rng=0, init="fan_in_uniform")
    a = 1 / np.sqrt(400)
    for values in (layer.W.value, layer.b.value):
        assert np.abs(values).max() <= a and values.std() == pytest.approx(a / np.sqrt(3), rel=0.05)
    assert mlp([4, 3, 2], activation="relu", init="fan_in_uniform", rng=0)[0].b.value.any()


def test_initialisation_scales(float64):
    xavier = Linear(400, 600, rng=0, init="xavier").W.value
    he = Linear(400, 600, rng=0, init="he").W.value
    assert np.abs(xavier).max() <= np.sqrt(6 / 1000)
    assert xavier.std() == pytest.approx(np.sqrt(2 / 1000), rel=0.02)
    assert he.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)


# -- accumulation: explicit, and tested ---------------------------------------------------


def test_backward_twice_accumulates_and_zero_grad_clears(float64):
    rng = np.random.default_rng(0)
    layer = Linear(3, 2, rng=rng)
    X, dout = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer.forward(X)
    layer.backward(dout)
    once = layer.W.grad.copy()
    layer.backward(dout)
    np.testing.assert_allclose(layer.W.grad, 2 * once, rtol=1e-15)
    layer.zero_grad()
    assert not layer.W.grad.any() and not layer.b.grad.any()


def test_a_parameter_shared_by_two_layers_receives_both_gradients(float64):
    # Tied weights: two Linear layers hold the same Parameter W. The gradient of
    # f(X) = X W W + ... must be the sum of both uses, which finite differences confirm.
    rng = np.random.default_rng(1)
    first, second = Linear(3, 3, rng=rng), Linear(3, 3, rng=rng)
    second.W = first.W
    net = Sequential(first, Tanh(), second)
    assert len(net.parameters()) == 3  # W once, two biases
    X, dout = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    errors = layer_errors(net, X, dout)
    assert max(errors.values()) <= TOLERANCE, errors


def test_an_input_feeding_two_places_sums_both_gradients(float64):
    # Y = A(X) + B(X): dX is A's backward plus B's backward.
    rng = np.random.default_rng(2)
    a, b = Linear(3, 2, rng=rng), Linear(3, 2, rng=rng)
    X, dout = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    a.forward(X), b.forward(X)
    dX = a.backward(dout) + b.backward(dout)
    numeric = minae.teaching.gradcheck.numerical_vjp(lambda: a.forward(X) + b.forward(X), X, dout)
    assert minae.teaching.gradcheck.scaled_error(dX, numeric) <= TOLERANCE


# -- bad input ----------------------------------------------------------------------------


def test_sizes_that_do_not_chain_are_refused():
    with pytest.raises(ValueError, match="do not chain"):
        Sequential(Linear(4, 3, rng=0), ReLU(), Linear(2, 1, rng=0))


def test_a_layer_used_twice_is_refused():
    act = ReLU()
    with pytest.raises(ValueError, match="twice"):
        Sequential(Linear(2, 2, rng=0), act, Linear(2, 2, rng=1), act)


@pytest.mark.parametrize(
    ("X", "error", "match"),
    [
        (np.ones((2, 5), np.float32), ValueError, "5 features per example, expected 3"),
        (np.ones(3, np.float32), ValueError, "must be 2-D"),
        (np.ones((0, 3), np.float32), ValueError, "empty batch"),
        (np.ones((2, 3), np.uint8), TypeError, "dtype uint8"),
        (np.ones((2, 3), np.float64), TypeError, "model computes in float32"),
        ([[1.0, 2.0, 3.0]], TypeError, "must be an array"),
    ],
)
def test_linear_rejects_bad_input(X, error, match):
    with pytest.raises(error, match=match):
        Linear(3, 2, rng=0).forward(X)


def test_backward_before_forward_is_an_error():
    with pytest.raises(RuntimeError, match="before forward"):
        Linear(3, 2, rng=0).backward(np.ones((1, 2), np.float32))
    with pytest.raises(RuntimeError, match="before forward"):
        Sigmoid().backward(np.ones((1, 2), np.float32))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_in": 0, "n_out": 2, "rng": 0}, "n_in must be a positive integer"),
        ({"n_in": 2, "n_out": 2.5, "rng": 0}, "n_out must be a positive integer"),
        ({"n_in": 2, "n_out": 2, "rng": 0, "init": "lecun"}, "unknown init"),
        ({"n_in": 2, "n_out": 2, "rng": 0, "dtype": "int32"}, "float32 or float64"),
    ],
)
def test_linear_rejects_bad_arguments(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        Linear(**kwargs)


def test_rng_must_be_a_generator_or_seed():
    with pytest.raises(TypeError, match="Generator or an int seed"):
        Linear(2, 2, rng=None)


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="must be one of"):
        mlp([2, 2], activation="swish", rng=0)


def test_without_input_grad_the_parameter_gradients_are_the_same(float64):
    rng = np.random.default_rng(3)
    net = mlp([5, 4, 3], activation="tanh", output_activation="sigmoid", rng=rng)
    X, dout = rng.normal(size=(6, 5)), rng.normal(size=(6, 3))
    net.forward(X)
    assert net.backward(dout) is not None
    with_input = [p.grad.copy() for p in net.parameters()]
    net.zero_grad()
    assert net.backward(dout, input_grad=False) is None
    for a, p in zip(with_input, net.parameters(), strict=True):
        np.testing.assert_array_equal(a, p.grad)


def test_accumulate_matmul_writes_in_place_after_zero_grad_and_adds_otherwise(float64):
    p = minae.Parameter(np.zeros((2, 2)))
    A, B = np.eye(2), np.array([[1.0, 2.0], [3.0, 4.0]])
    storage = p.grad
    p.accumulate(np.full((2, 2), 7.0))
    p.zero_grad()  # lazy: the 7s stay in memory until something is written
    p.accumulate_matmul(A, B)  # overwrites them, in place
    assert p.grad is storage
    np.testing.assert_array_equal(p.grad, B)
    p.accumulate_matmul(A, B)
    np.testing.assert_array_equal(p.grad, 2 * B)
    p.zero_grad()
    p.accumulate(np.ones((2, 2)))
    p.accumulate_matmul(A, B)  # not zero any more: must add, not overwrite
    np.testing.assert_array_equal(p.grad, B + 1)


def test_a_lazily_cleared_gradient_reads_as_zeros(float64):
    p = minae.Parameter(np.zeros(3))
    p.accumulate(np.arange(3.0))
    p.zero_grad()
    np.testing.assert_array_equal(p.grad, 0.0)
    p.accumulate(np.ones(3))
    np.testing.assert_array_equal(p.grad, 1.0)


@given(seed=seed, cls=st.sampled_from([Sigmoid, Tanh, Identity]))
def test_activation_derivatives_as_functions(float64, seed, cls):
    # grad and grad2 against central differences of fn and grad; the *_from_output forms
    # against them, through Y = fn(X)
    from minae.teaching.gradcheck import numerical_vjp

    rng = np.random.default_rng(seed)
    act = cls()
    X = rng.uniform(-3, 3, size=(3, 4))
    ones = np.ones_like(X)
    assert scaled_error(act.grad(X), numerical_vjp(lambda: act.fn(X), X, ones)) <= TOLERANCE
    assert scaled_error(act.grad2(X), numerical_vjp(lambda: act.grad(X), X, ones)) <= 1e-6 or (
        not act.grad2(X).any() and not numerical_vjp(lambda: act.grad(X), X, ones).any()
    )
    Y = act.fn(X)
    np.testing.assert_allclose(act.grad_from_output(Y), act.grad(X), rtol=1e-12)
    np.testing.assert_allclose(act.grad2_from_output(Y), act.grad2(X), rtol=1e-12)


def test_relu_derivatives_off_the_kink(float64):
    X = np.array([[-2.0, -0.5, 0.5, 2.0]])
    np.testing.assert_array_equal(ReLU().fn(X), [[0.0, 0.0, 0.5, 2.0]])
    np.testing.assert_array_equal(ReLU().grad(X), [[0.0, 0.0, 1.0, 1.0]])
    np.testing.assert_array_equal(ReLU().grad2(X), 0.0)
