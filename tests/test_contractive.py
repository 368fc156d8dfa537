"""The contractive penalty: its closed form against the Jacobian, and every gradient."""

import numpy as np
import pytest
from helpers import TOLERANCE, model_errors
from hypothesis import given
from hypothesis import strategies as st

from minae import (
    L1,
    MSE,
    Autoencoder,
    ContractiveAutoencoder,
    Linear,
    Sequential,
    Sigmoid,
    Tanh,
    WeightDecay,
    mlp,
)
from minae.penalties import Contractive
from minae.teaching.gradcheck import numerical_gradient, numerical_vjp, scaled_error

seed = st.integers(0, 2**32 - 1)


ACTIVATIONS = {"sigmoid": Sigmoid, "tanh": Tanh}


def encoder(rng, n=5, L=3, activation="sigmoid"):
    layer = Linear(n, L, rng=rng)
    layer.b.value[...] = rng.normal(size=L)
    return Sequential(layer, ACTIVATIONS[activation]())


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@given(seed=seed, B=st.integers(1, 4))
def test_closed_form_is_the_squared_jacobian_norm(float64, activation, seed, B):
    rng = np.random.default_rng(seed)
    f = encoder(rng, activation=activation)
    X = rng.normal(size=(B, 5))
    penalty = Contractive(f)
    squared_norms = []
    for b in range(B):
        x = X[b : b + 1].copy()
        # Column i of J is ∂h/∂x_i, from central differences of the encoder.
        J = np.stack([numerical_vjp(lambda x=x: f.forward(x), x, e[None])[0] for e in np.eye(3)])
        squared_norms.append((J**2).sum())
    Z = f.forward(X)
    assert penalty.value(Z) == pytest.approx(np.mean(squared_norms), rel=1e-8)
    np.testing.assert_allclose(penalty.jacobian_norm(Z) ** 2, squared_norms, rtol=1e-8)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@given(seed=seed, B=st.integers(1, 4), lam=st.floats(0.1, 3.0))
def test_penalty_gradients_through_the_code_and_direct(float64, activation, seed, B, lam):
    # λ C(X) as a function of W, b and X: back-propagating λ ∂C/∂Z through the encoder, plus
    # the direct part λ ∂C/∂W, must give every gradient of the composite.
    rng = np.random.default_rng(seed)
    f = encoder(rng, activation=activation)
    penalty = Contractive(f)
    X = rng.normal(size=(B, 5))

    def C():
        return lam * penalty.value(f.forward(X))

    Z = f.forward(X)
    numeric_Z = numerical_gradient(lambda: lam * penalty.value(Z), Z)
    assert scaled_error(lam * penalty.grad(Z), numeric_Z) <= TOLERANCE
    f.zero_grad()
    Z = f.forward(X)
    penalty.accumulate_parameter_grad(Z, lam)
    dX = f.backward(lam * penalty.grad(Z))
    linear = f[0]
    assert scaled_error(linear.W.grad, numerical_gradient(C, linear.W.value)) <= TOLERANCE
    assert scaled_error(linear.b.grad, numerical_gradient(C, linear.b.value)) <= TOLERANCE
    assert scaled_error(dX, numerical_gradient(C, X)) <= TOLERANCE


@pytest.mark.parametrize(("decay", "activation"), [(0.0, "sigmoid"), (0.05, "tanh")])
@given(seed=seed)
def test_every_gradient_of_the_contractive_autoencoder(float64, decay, activation, seed):
    rng = np.random.default_rng(seed)
    model = ContractiveAutoencoder(
        encoder(rng, 6, 4, activation),
        mlp([4, 6], activation="identity", rng=rng),
        MSE(),
        lam=0.7,
        penalties={"weight_decay": (decay, WeightDecay())},
    )
    X, target = rng.uniform(size=(3, 6)), rng.uniform(size=(3, 6))
    errors, _ = model_errors(model, X, target)
    assert max(errors.values()) <= TOLERANCE, errors


def test_loss_terms_and_jacobian_norm(float64):
    rng = np.random.default_rng(0)
    model = ContractiveAutoencoder(
        encoder(rng), mlp([3, 5], activation="identity", rng=rng), MSE(), lam=2.0
    )
    X = rng.normal(size=(4, 5))
    model.forward(X)
    terms = model.loss(X)
    assert terms.total == pytest.approx(terms.reconstruction + 2.0 * terms.contractive, rel=1e-14)
    assert "contractive" in terms.as_dict()
    norms = model.jacobian_norm(X)
    assert (norms**2).mean() == pytest.approx(terms.contractive, rel=1e-12)


@pytest.mark.parametrize(
    "make",
    [
        lambda: mlp([5, 4, 3], activation="sigmoid", output_activation="sigmoid", rng=0),
        lambda: Linear(5, 3, rng=0),
    ],
)
def test_unsupported_encoders_are_refused(make):
    with pytest.raises(ValueError, match=r"needs an encoder Sequential\(Linear, activation\)"):
        Contractive(make())


@given(seed=seed)
def test_contractive_composes_with_a_sparsity_penalty(float64, seed):
    # any number of penalties on the code: contractive and L1 on the same Z
    rng = np.random.default_rng(seed)
    f = encoder(rng, 6, 4)
    model = Autoencoder(
        f,
        mlp([4, 6], activation="identity", rng=rng),
        MSE(),
        penalties={"contractive": (0.7, Contractive(f)), "l1": (0.2, L1())},
    )
    X, target = rng.uniform(size=(3, 6)), rng.uniform(size=(3, 6))
    errors, _ = model_errors(model, X, target)
    assert max(errors.values()) <= TOLERANCE, errors
