"""The contractive penalty: its closed form against the Jacobian, and every gradient."""

import numpy as np
import pytest
from helpers import MODEL_CHECK, TOLERANCE
from hypothesis import given
from hypothesis import strategies as st

from minae import MSE, ContractiveAutoencoder, Linear, Sequential, Sigmoid, mlp
from minae.gradcheck import numerical_gradient, numerical_vjp, scaled_error
from minae.penalties import Contractive

seed = st.integers(0, 2**32 - 1)


def encoder(rng, n=5, L=3):
    layer = Linear(n, L, rng=rng)
    layer.b.value[...] = rng.normal(size=L)
    return Sequential(layer, Sigmoid())


@given(seed=seed, B=st.integers(1, 4))
def test_closed_form_is_the_squared_jacobian_norm(float64, seed, B):
    rng = np.random.default_rng(seed)
    f = encoder(rng)
    X = rng.normal(size=(B, 5))
    for b in range(B):
        x = X[b : b + 1].copy()
        # Column i of J is ∂h/∂x_i, from central differences of the encoder.
        J = np.stack([numerical_vjp(lambda x=x: f.forward(x), x, e[None])[0] for e in np.eye(3)])
        f.forward(x)
        assert Contractive(f).value() == pytest.approx((J**2).sum(), rel=1e-8)


@given(seed=seed, B=st.integers(1, 4), lam=st.floats(0.1, 3.0))
def test_penalty_gradients(float64, seed, B, lam):
    rng = np.random.default_rng(seed)
    f = encoder(rng)
    penalty = Contractive(f)
    X = rng.normal(size=(B, 5))

    def C():
        f.forward(X)
        return lam * penalty.value()

    f.zero_grad()
    f.forward(X)
    dX = penalty.accumulate_grad(X, lam)
    linear = f[0]
    assert scaled_error(linear.W.grad, numerical_gradient(C, linear.W.value)) <= TOLERANCE
    assert scaled_error(linear.b.grad, numerical_gradient(C, linear.b.value)) <= TOLERANCE
    assert scaled_error(dX, numerical_gradient(C, X)) <= TOLERANCE


@pytest.mark.parametrize("decay", [0.0, 0.05])
@given(seed=seed)
def test_every_gradient_of_the_contractive_autoencoder(float64, decay, seed):
    rng = np.random.default_rng(seed)
    model = ContractiveAutoencoder(
        encoder(rng, 6, 4), mlp([4, 6], activation="identity", rng=rng), MSE(),
        contraction=0.7, weight_decay=decay,
    )  # fmt: skip
    X, target = rng.uniform(size=(3, 6)), rng.uniform(size=(3, 6))

    def total():
        model.forward(X)
        return model.loss(target).total

    model.zero_grad()
    total()
    grads = model.backward()
    for name, p in model.named_parameters().items():
        numeric = numerical_gradient(total, p.value, **MODEL_CHECK)
        assert scaled_error(p.grad, numeric) <= TOLERANCE, name
    assert scaled_error(grads.X, numerical_gradient(total, X, **MODEL_CHECK)) <= TOLERANCE


def test_loss_terms_and_jacobian_norm(float64):
    rng = np.random.default_rng(0)
    model = ContractiveAutoencoder(encoder(rng), mlp([3, 5], activation="identity", rng=rng),
                                   MSE(), contraction=2.0)  # fmt: skip
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
        lambda: mlp([5, 3], activation="relu", output_activation="relu", rng=0),
        lambda: Linear(5, 3, rng=0),
    ],
)
def test_unsupported_encoders_are_refused(make):
    with pytest.raises(ValueError, match=r"needs an encoder Sequential\(Linear, Sigmoid\)"):
        Contractive(make())
