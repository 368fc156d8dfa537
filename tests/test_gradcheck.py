"""The gradient checker is itself checked first, on functions whose gradients are known."""

import numpy as np
import pytest

from minae.teaching.gradcheck import (
    numerical_gradient,
    numerical_vjp,
    rel_error,
    sampled_scaled_error,
    scaled_error,
)


def test_numerical_gradient_of_a_quadratic_form():
    # f(x) = xᵀ A x has gradient (A + Aᵀ) x; central differences are exact for quadratics
    # up to rounding, so the bound is tight.
    rng = np.random.default_rng(0)
    A = rng.normal(size=(5, 5))
    x = rng.normal(size=5)
    numeric = numerical_gradient(lambda: x @ A @ x, x)
    assert rel_error(numeric, (A + A.T) @ x) < 1e-9


def test_numerical_gradient_of_a_non_polynomial_on_a_matrix():
    # f(X) = Σ sin(X) exp(X) has ∂f/∂X = (cos X + sin X) exp X; truncation error O(h²).
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3, 4))
    numeric = numerical_gradient(lambda: (np.sin(X) * np.exp(X)).sum(), X)
    assert rel_error(numeric, (np.cos(X) + np.sin(X)) * np.exp(X)) < 1e-8


def test_numerical_vjp_of_a_linear_map_is_the_transpose_product():
    # f(x) = A x, so (∂f/∂x)ᵀ dout = Aᵀ dout.
    rng = np.random.default_rng(2)
    A, x, dout = rng.normal(size=(4, 3)), rng.normal(size=3), rng.normal(size=4)
    assert rel_error(numerical_vjp(lambda: A @ x, x, dout), A.T @ dout) < 1e-9


def test_the_checker_restores_x_exactly():
    x = np.array([0.1, 0.2, 0.3])
    before = x.copy()
    numerical_gradient(lambda: (x**3).sum(), x)
    np.testing.assert_array_equal(x, before)


def test_the_checker_catches_a_wrong_gradient():
    x = np.array([1.0, 2.0, 3.0])
    numeric = numerical_gradient(lambda: (x**2).sum(), x)
    assert rel_error(numeric, 2 * x) < 1e-9
    assert rel_error(numeric, 2.01 * x) > 1e-3  # a 0.5% error is seen


def test_sampled_check_agrees_with_full_check():
    rng = np.random.default_rng(3)
    X, dout = rng.normal(size=(20, 30)), rng.normal(size=(20, 30))
    # Vector-Jacobian form: entries other than the perturbed one cancel exactly, and the
    # central difference of x³ is off by exactly h² |dout|, tiny against the array's scale.
    good = sampled_scaled_error(lambda: X**3, X, 3 * X**2 * dout, n=25, rng=rng, dout=dout)
    bad = sampled_scaled_error(lambda: X**3, X, 3.1 * X**2 * dout, n=25, rng=rng, dout=dout)
    assert good < 1e-9
    assert bad > 1e-3


def test_rel_error_properties():
    a = np.array([1.0, -2.0, 0.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(a, -a) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="b has shape"):
        rel_error(a, a[:2])


def test_float32_is_refused():
    x = np.ones(3, dtype=np.float32)
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: x.sum(), x)


def test_five_point_stencil_is_fourth_order():
    # f(x) = Σ x⁵: the three-point rule is off by exactly 10 x² h² + h⁴, the five-point
    # rule by exactly -4 h⁴ (= -h⁴ f⁽⁵⁾ / 30): at h = 1e-2, ~1e-4 against 4e-8.
    x = np.array([0.7, 1.3, -0.9])
    exact = 5 * x**4
    three = numerical_gradient(lambda: (x**5).sum(), x, h=1e-2)
    five = numerical_gradient(lambda: (x**5).sum(), x, h=1e-2, order=4)
    np.testing.assert_allclose(three - exact, 10 * x**2 * 1e-4 + 1e-8, rtol=1e-6)
    np.testing.assert_allclose(five - exact, -4e-8, rtol=1e-4)


def test_unknown_order_is_refused():
    x = np.ones(2)
    with pytest.raises(ValueError, match=r"order must be 2 .* or 4"):
        numerical_gradient(lambda: x.sum(), x, order=3)


def test_scaled_error_judges_each_entry_against_the_largest():
    analytic = np.array([1.0, 1e-7])
    numeric = np.array([1.0 + 1e-12, 1e-7 + 1e-12])  # the same absolute error in both
    assert rel_error(analytic, numeric) > 1e-6  # the tiny entry dominates element-wise
    assert scaled_error(analytic, numeric) < 1e-11
    assert scaled_error(analytic, np.array([1.0, 0.5])) > 0.2  # 0.5 / (1 + 1): still seen
    assert scaled_error(np.zeros(3), np.zeros(3)) == 0.0


# -- the one-call checkers that tests and exercises share ----------------------------------


def test_check_layer_passes_minaes_layer_and_catches_a_wrong_weight_gradient(float64):
    import minae
    from minae.teaching.gradcheck import TOLERANCE, check_layer

    rng = np.random.default_rng(3)
    X = rng.normal(size=(4, 3))
    errors = check_layer(minae.Linear(3, 5, rng=0), X)
    assert set(errors) == {"X", "W", "b"} and max(errors.values()) < TOLERANCE

    class DoubledWeightGradient(minae.Linear):
        def backward(self, dY, input_grad=True):
            dX = super().backward(dY, input_grad)
            self.W.grad = 2 * self.W.grad  # a factor 2 too many on ∂R̂/∂W
            return dX

    errors = check_layer(DoubledWeightGradient(3, 5, rng=0), X)
    assert errors["W"] > 0.1 and errors["X"] < TOLERANCE and errors["b"] < TOLERANCE


def test_check_loss_and_check_penalty(float64):
    import minae
    from minae.teaching.gradcheck import TOLERANCE, check_loss, check_penalty

    rng = np.random.default_rng(4)
    X_hat, X = rng.uniform(0.1, 0.9, (3, 4)), rng.uniform(0, 1, (3, 4))
    assert check_loss(minae.BCE(), X_hat, X) < TOLERANCE

    class HalfMSE(minae.MSE):
        def grad(self, output, target):
            return super().grad(output, target) / 2  # the 2 of the square forgotten

    assert check_loss(HalfMSE(), X_hat, X) > 0.1
    Z = rng.uniform(0.1, 0.9, (5, 3))
    assert check_penalty(minae.KLSparsity(0.2), Z) < TOLERANCE


def test_check_model_names_every_parameter(float64):
    import minae
    from minae.teaching.gradcheck import TOLERANCE, check_model

    rng = np.random.default_rng(5)
    encoder = minae.mlp([6, 3], activation="tanh", rng=rng)
    decoder = minae.mlp([3, 6], activation="tanh", output_activation="sigmoid", rng=rng)
    model = minae.Autoencoder(encoder, decoder, minae.MSE(), penalty=minae.L1(), lam=0.1)
    errors = check_model(model, rng.uniform(0.1, 0.9, (4, 6)))
    assert len(errors) == len(model.named_parameters()) + 1
    assert max(errors.values()) < TOLERANCE
