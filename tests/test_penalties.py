"""Penalties S(Z) and weight decay: values by hand, gradients against finite differences."""

import numpy as np
import pytest
from helpers import TOLERANCE, away_from_zero
from hypothesis import given
from hypothesis import strategies as st

from minae import Linear
from minae.penalties import L1, KLSparsity, WeightDecay, WeightL1
from minae.teaching.gradcheck import numerical_gradient, scaled_error

shape = st.tuples(st.integers(1, 6), st.integers(1, 7))
seed = st.integers(0, 2**32 - 1)


def penalty_error(penalty, Z):
    return scaled_error(penalty.grad(Z), numerical_gradient(lambda: penalty.value(Z), Z))


@given(shape=shape, seed=seed)
def test_l1_gradient_away_from_zero(float64, shape, seed):
    Z = away_from_zero(np.random.default_rng(seed), shape)
    assert penalty_error(L1(), Z) <= TOLERANCE


@given(shape=shape, seed=seed, rho=st.floats(0.01, 0.99))
def test_kl_gradient(float64, shape, seed, rho):
    # Z in [0.05, 0.95] keeps every ρ̂_j away from 0 and 1, where the KL is unbounded.
    # Where every ρ̂_j is near ρ the gradient vanishes, and an error relative to it means
    # nothing: there the error is measured absolutely. Central differences of S at
    # h = 1e-5 err by about 1e-16 |S| / h + h² |S‴| / 6, well under 1e-8 here.
    Z = np.random.default_rng(seed).uniform(0.05, 0.95, size=shape)
    penalty = KLSparsity(rho)
    analytic = penalty.grad(Z)
    numeric = numerical_gradient(lambda: penalty.value(Z), Z)
    absolute = float(np.abs(analytic - numeric).max())
    assert scaled_error(analytic, numeric) <= TOLERANCE or absolute <= 1e-8


def test_kl_gradient_where_it_vanishes(float64):
    # the case that made the purely relative check flaky: every ρ̂_j close to ρ = 0.8984
    Z = np.full((3, 2), 0.8984) + np.array([[1e-6, -2e-6], [0.0, 1e-6], [-1e-6, 1e-6]])
    penalty = KLSparsity(0.8984)
    numeric = numerical_gradient(lambda: penalty.value(Z), Z)
    assert np.abs(penalty.grad(Z) - numeric).max() <= 1e-8
    assert np.abs(penalty.grad(Z)).max() < 1e-4  # truly near zero: a relative error is noise


def test_l1_value_is_per_example(float64):
    assert L1().value(np.array([[1.0, -2.0], [0.0, 3.0]])) == 3.0  # (3 + 3) / 2 examples


def test_kl_on_a_hand_computed_value(float64):
    # ρ̂ = batch mean = (0.3, 0.3); KL(0.1 || 0.3) = 0.1 ln(1/3) + 0.9 ln(9/7) = 0.116321...
    # for each of the 2 units.
    Z = np.array([[0.2, 0.4], [0.4, 0.2]])
    assert KLSparsity(0.1).value(Z) == pytest.approx(0.2326435131720092, rel=1e-14)


def test_kl_is_zero_and_flat_at_the_target(float64):
    Z = np.full((4, 3), 0.05)
    assert KLSparsity(0.05).value(Z) == pytest.approx(0.0, abs=1e-15)
    np.testing.assert_allclose(KLSparsity(0.05).grad(Z), 0.0, atol=1e-12)


def test_kl_averages_over_the_batch_before_the_kl(float64):
    # Units that are 0.9 on one example and ~0 on nine others have ρ̂ = 0.09 + ...: the
    # penalty sees the average, not each example's activation.
    Z = np.full((10, 1), 1e-3)
    Z[0, 0] = 0.9
    rho_hat = Z.mean()
    expected = 0.1 * np.log(0.1 / rho_hat) + 0.9 * np.log(0.9 / (1 - rho_hat))
    assert KLSparsity(0.1).value(Z) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("rho", [0.0, 1.0, -0.1, 1.5])
def test_rho_outside_the_open_unit_interval_is_refused(rho):
    with pytest.raises(ValueError, match=r"rho must be a finite number in \(0.0, 1.0\)"):
        KLSparsity(rho)


def test_kl_refuses_codes_outside_the_unit_interval():
    with pytest.raises(ValueError, match=r"Z in \[0, 1\]"):
        KLSparsity(0.1).value(np.array([[-0.5, 0.5]], np.float32))
    with pytest.raises(ValueError, match="strictly inside"):
        KLSparsity(0.1).value(np.array([[0.0, 0.5]], np.float32))


def test_weight_decay_value_and_gradient(float64):
    rng = np.random.default_rng(0)
    layer = Linear(3, 2, rng=rng)
    layer.b.value[...] = 5.0  # biases are not decayed
    decay = WeightDecay()
    params = layer.parameters()
    assert decay.value(params) == pytest.approx(0.5 * (layer.W.value**2).sum(), rel=1e-14)
    layer.zero_grad()
    decay.accumulate_grad(params, 0.3)
    numeric = numerical_gradient(lambda: 0.3 * decay.value(params), layer.W.value)
    assert scaled_error(layer.W.grad, numeric) <= TOLERANCE
    assert not layer.b.grad.any()


def test_weight_l1_value_and_gradient_off_the_kink(float64):
    rng = np.random.default_rng(1)
    layer = Linear(4, 3, rng=rng)
    layer.W.value = rng.uniform(0.1, 1.0, size=(4, 3)) * rng.choice([-1.0, 1.0], size=(4, 3))
    layer.b.value[...] = -2.0  # biases are not penalised
    penalty = WeightL1()
    params = layer.parameters()
    assert penalty.value(params) == pytest.approx(np.abs(layer.W.value).sum(), rel=1e-14)
    layer.zero_grad()
    penalty.accumulate_grad(params, 0.2)
    numeric = numerical_gradient(lambda: 0.2 * penalty.value(params), layer.W.value)
    assert scaled_error(layer.W.grad, numeric) <= TOLERANCE
    np.testing.assert_array_equal(layer.W.grad, 0.2 * np.sign(layer.W.value))
    assert not layer.b.grad.any()


def test_negative_weight_decay_is_refused_and_there_is_one_way_to_give_it():
    from minae import MSE, Autoencoder, WeightDecay

    decay = {"weight_decay": (-1e-3, WeightDecay())}
    with pytest.raises(ValueError, match=">= 0"):
        Autoencoder(Linear(2, 1, rng=0), Linear(1, 2, rng=0), MSE(), penalties=decay)
    with pytest.raises(TypeError, match="weight_decay"):  # penalties={} is the way
        Autoencoder(Linear(2, 1, rng=0), Linear(1, 2, rng=0), MSE(), weight_decay=1e-3)


def test_kl_direction_is_rho_first_as_in_ufldl(float64):
    # S(Z) = Σ_j KL(ρ ‖ ρ̂_j), not the slide's KL(ρ̂_j ‖ ρ): pinned on numbers where the
    # two orders differ by a factor of about three.
    rho = 0.05
    Z = np.array([[0.4, 0.7], [0.6, 0.5]])  # ρ̂ = (0.5, 0.6)
    rho_hat = Z.mean(axis=0)
    ufldl = rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))
    slide = rho_hat * np.log(rho_hat / rho) + (1 - rho_hat) * np.log((1 - rho_hat) / (1 - rho))
    value = KLSparsity(rho).value(Z)
    assert value == pytest.approx(ufldl.sum(), rel=1e-14)
    assert abs(value - slide.sum()) > 0.5
    # and its gradient is the UFLDL one, (1/B)(-ρ/ρ̂ + (1-ρ)/(1-ρ̂)) for every example
    expected = (-rho / rho_hat + (1 - rho) / (1 - rho_hat)) / 2
    np.testing.assert_allclose(KLSparsity(rho).grad(Z), np.broadcast_to(expected, Z.shape))


def test_each_reduction_is_what_its_docstring_says(float64):
    # L1 and the losses: per example, averaged over the batch, so a batch of two copies of
    # the same examples gives the same value. KL: a quantity of the batch's mean, which the
    # copies leave unchanged too, but which is not the mean of per-example KLs. Weight decay:
    # a quantity of the model, whatever the batch.
    from minae import MSE

    rng = np.random.default_rng(0)
    Z = rng.uniform(0.1, 0.9, size=(3, 4))
    twice = np.concatenate([Z, Z])
    assert L1().value(twice) == pytest.approx(L1().value(Z), rel=1e-14)
    assert L1().value(Z) == pytest.approx(np.mean([np.abs(z).sum() for z in Z]), rel=1e-14)
    assert MSE().value(twice, twice * 0.5) == pytest.approx(MSE().value(Z, Z * 0.5), rel=1e-14)
    kl = KLSparsity(0.2)
    assert kl.value(twice) == pytest.approx(kl.value(Z), rel=1e-14)
    per_example = np.mean([kl.value(z[None]) for z in Z])
    assert abs(kl.value(Z) - per_example) > 1e-3  # a batch quantity, not an average
    layer = Linear(4, 2, rng=0)
    assert WeightDecay().value(layer.parameters()) == pytest.approx(
        0.5 * (layer.W.value**2).sum(), rel=1e-14
    )
