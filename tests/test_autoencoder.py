"""The Autoencoder: whole-model gradient checks with each regulariser off and on, and the
slide's bottleneck gradient ∇_Z R̂ = (from the decoder) + λ ∇_Z S(Z) proven term by term."""

import numpy as np
import pytest
from helpers import MODEL_CHECK, TOLERANCE
from hypothesis import given
from hypothesis import strategies as st

from minae import L1, MSE, Autoencoder, BCEWithLogits, KLSparsity, Linear, WeightDecay, mlp
from minae.teaching.gradcheck import numerical_gradient, scaled_error

CASES = {
    "no penalty": {},
    "L1": {"penalty": L1(), "lam": 0.3},
    "KL": {"penalty": KLSparsity(0.2), "lam": 0.7},
    "weight decay": {"penalties": {"weight_decay": (0.05, WeightDecay())}},
    "KL and weight decay": {
        "penalty": KLSparsity(0.1),
        "lam": 0.5,
        "penalties": {"weight_decay": (0.01, WeightDecay())},
    },
    "L1, KL and two decays": {
        "penalties": {
            "l1": (0.3, L1()),
            "kl": (0.7, KLSparsity(0.2)),
            "decay": (0.05, WeightDecay()),
            "more decay": (0.02, WeightDecay()),
        }
    },
}


def make_model(rng, loss=None, **regularisers):
    encoder = mlp([6, 5, 3], activation="tanh", output_activation="sigmoid", rng=rng)
    decoder = mlp([3, 5, 6], activation="sigmoid", rng=rng)
    return Autoencoder(encoder, decoder, loss or MSE(), **regularisers)


def total_loss(model, X, target):
    model.forward(X)
    return model.loss(target).total


@pytest.mark.parametrize("case", list(CASES))
@given(seed=st.integers(0, 2**32 - 1), B=st.integers(1, 5))
def test_every_parameter_gradient(float64, case, seed, B):
    rng = np.random.default_rng(seed)
    model = make_model(rng, **CASES[case])
    X = rng.uniform(0, 1, size=(B, 6))
    target = rng.uniform(0, 1, size=(B, 6))  # a target unlike the input, as in denoising
    model.zero_grad()
    total_loss(model, X, target)
    grads = model.backward()
    for name, p in model.named_parameters().items():
        numeric = numerical_gradient(lambda: total_loss(model, X, target), p.value, **MODEL_CHECK)
        assert scaled_error(p.grad, numeric) <= TOLERANCE, name
    numeric_X = numerical_gradient(lambda: total_loss(model, X, target), X, **MODEL_CHECK)
    assert scaled_error(grads.dX, numeric_X) <= TOLERANCE


@pytest.mark.parametrize("case", ["no penalty", "L1", "KL", "L1, KL and two decays"])
@given(seed=st.integers(0, 2**32 - 1))
def test_bottleneck_gradient_term_by_term(float64, case, seed):
    rng = np.random.default_rng(seed)
    model = make_model(rng, **CASES[case])
    X, target = rng.uniform(0, 1, size=(4, 6)), rng.uniform(0, 1, size=(4, 6))
    model.forward(X)
    model.loss(target)
    grads = model.backward()
    Z = model.encode(X).copy()

    def reconstruction_of(Z):
        return model.reconstruction_loss.value(model.decoder.forward(Z), target)

    from_decoder = numerical_gradient(lambda: reconstruction_of(Z), Z, **MODEL_CHECK)
    assert scaled_error(grads.dZ_decoder, from_decoder) <= TOLERANCE
    if not model.code_penalties:
        assert not grads.dZ_penalty.any()
    assert set(grads.dZ_penalties) == set(model.code_penalties)
    for name, (lam, S) in model.code_penalties.items():  # each λ_k ∇_Z S_k(Z) on its own
        from_penalty = lam * numerical_gradient(lambda S=S: S.value(Z), Z, **MODEL_CHECK)
        assert scaled_error(grads.dZ_penalties[name], from_penalty) <= TOLERANCE, name
    np.testing.assert_array_equal(grads.dZ_penalty, sum(grads.dZ_penalties.values(), Z * 0))
    np.testing.assert_array_equal(grads.dZ, grads.dZ_decoder + grads.dZ_penalty)


def test_gradient_with_a_loss_on_logits(float64):
    rng = np.random.default_rng(5)
    model = make_model(rng, loss=BCEWithLogits(), penalty=L1(), lam=0.1)
    X = rng.uniform(0, 1, size=(3, 6))
    model.zero_grad()
    total_loss(model, X, X)
    model.backward()
    for name, p in model.named_parameters().items():
        numeric = numerical_gradient(lambda: total_loss(model, X, X), p.value, **MODEL_CHECK)
        assert scaled_error(p.grad, numeric) <= TOLERANCE, name


def test_loss_terms_add_up(float64):
    rng = np.random.default_rng(0)
    model = make_model(
        rng, penalty=KLSparsity(0.1), lam=0.5, penalties={"weight_decay": (0.01, WeightDecay())}
    )
    X = rng.uniform(0, 1, size=(4, 6))
    model.forward(X)
    terms = model.loss(X)
    Z = model.encode(X)
    assert terms.sparsity == KLSparsity(0.1).value(Z)
    assert terms["weight_decay"] == WeightDecay().value(model.parameters())  # unweighted
    assert terms.weights == {"sparsity": 0.5, "weight_decay": 0.01}
    assert terms.total == pytest.approx(
        terms.reconstruction + 0.5 * terms.sparsity + 0.01 * terms.weight_decay, rel=1e-15
    )
    assert list(terms.as_dict()) == [
        "reconstruction",
        "sparsity",
        "weight_decay",
        "total",
        "squared_error",
    ]
    np.testing.assert_array_equal(model.reconstruct(X), model.forward(X))


def test_parameters_are_named_by_part():
    model = make_model(np.random.default_rng(0))
    assert list(model.named_parameters())[:2] == ["encoder.0.W", "encoder.0.b"]
    assert "decoder.2.W" in model.named_parameters()


# -- bad input ----------------------------------------------------------------------------


def test_negative_lambda_is_refused():
    with pytest.raises(ValueError, match="lam must be a finite number >= 0"):
        make_model(np.random.default_rng(0), penalty=L1(), lam=-0.1)


def test_lambda_without_a_penalty_is_refused():
    with pytest.raises(ValueError, match="no penalty was given"):
        make_model(np.random.default_rng(0), lam=0.1)


def test_code_widths_that_do_not_chain_are_refused():
    with pytest.raises(ValueError, match=r"codes of shape \(3,\) but the decoder takes \(4,\)"):
        Autoencoder(Linear(6, 3, rng=0), Linear(4, 6, rng=0), MSE())


def test_nan_in_the_data_is_refused():
    X = np.full((2, 6), 0.5, np.float32)
    X[1, 4] = np.nan
    with pytest.raises(ValueError, match=r"1 non-finite value.*first at \(1, 4\)"):
        make_model(np.random.default_rng(0)).forward(X)


def test_a_non_finite_target_other_than_the_input_is_refused():
    model = make_model(np.random.default_rng(0))
    X = np.full((2, 6), 0.5, np.float32)
    model.forward(X)
    target = X.copy()
    target[0, 2] = np.inf
    with pytest.raises(ValueError, match=r"target holds 1 non-finite value.*first at \(0, 2\)"):
        model.loss(target)


def test_a_float64_target_for_a_float32_model_is_refused():
    model = make_model(np.random.default_rng(0))
    X = np.full((2, 6), 0.5, np.float32)
    model.forward(X)
    with pytest.raises(TypeError, match="target is float64"):
        model.loss(X.astype(np.float64))


def test_integer_images_are_refused_with_a_hint():
    with pytest.raises(TypeError, match="scale integer images"):
        make_model(np.random.default_rng(0)).forward(np.zeros((2, 6), np.uint8))


def test_empty_batch_is_refused():
    with pytest.raises(ValueError, match="empty batch"):
        make_model(np.random.default_rng(0)).forward(np.zeros((0, 6), np.float32))


def test_backward_needs_a_loss_first():
    model = make_model(np.random.default_rng(0))
    model.forward(np.zeros((2, 6), np.float32))
    with pytest.raises(RuntimeError, match="before loss"):
        model.backward()


def test_target_of_the_wrong_shape_is_refused():
    model = make_model(np.random.default_rng(0))
    model.forward(np.zeros((2, 6), np.float32))
    with pytest.raises(ValueError, match="shape"):
        model.loss(np.zeros((2, 5), np.float32))


def test_nan_codes_are_refused_by_decode():
    model = make_model(np.random.default_rng(0))
    Z = np.full((2, 3), 0.5, np.float32)
    Z[0, 1] = np.nan
    with pytest.raises(ValueError, match=r"Z holds 1 non-finite value"):
        model.decode(Z)


@pytest.mark.parametrize(
    ("penalties", "error", "match"),
    [
        ({"l1": L1()}, TypeError, "a \\(weight, penalty\\) pair"),
        ({"l1": (0.1, "L1")}, TypeError, "CodePenalty .* or a ParameterPenalty"),
        ({"l1": (-0.1, L1())}, ValueError, "weight of penalty 'l1'"),
        ({"total": (0.1, L1())}, ValueError, "names a term of every model"),
    ],
)
def test_bad_penalties_are_refused(penalties, error, match):
    with pytest.raises(error, match=match):
        make_model(np.random.default_rng(0), penalties=penalties)


def test_each_penalty_is_reported_by_name_in_the_history():
    from minae import Adam, train

    rng = np.random.default_rng(1)
    model = make_model(
        rng, penalties={"l1": (0.3, L1()), "kl": (0.7, KLSparsity(0.2)), "wd": (0.1, WeightDecay())}
    )
    X = rng.uniform(0.2, 0.8, size=(16, 6)).astype(np.float32)
    history = train(
        model, Adam(model.parameters()), X, epochs=2, batch_size=8, rng=0, progress=False
    )
    assert set(history.train) == {"reconstruction", "l1", "kl", "wd", "total", "squared_error"}
    assert len(history.train["kl"]) == 2
