"""The plain versions in ``minae.plain`` are what the fast code must equal: plain SGD,
and one round of training as the slide's ① to ⑥ against one step of ``train``.

(The convolution loops are tied to the image layers in test_conv.py, the optimizers'
lines to the optimizers in test_optim.py.)
"""

import numpy as np

import minae
from minae.plain import optimizers as plain
from minae.plain.training_step import sigmoid_autoencoder_step


def test_plain_sgd_steps_as_the_optimizer_steps():
    rng = np.random.default_rng(0)
    p = minae.Parameter(rng.normal(size=(3, 4)))
    theta = p.value.copy()
    optimizer = minae.SGD([p], lr=0.1)
    for _ in range(3):
        g = rng.normal(size=(3, 4))
        optimizer.zero_grad()
        p.grad = g
        optimizer.step()
        theta = plain.sgd(theta, g, 0.1)
    np.testing.assert_array_equal(p.value, theta)


def test_the_reference_functions_change_nothing_they_are_given():
    rng = np.random.default_rng(1)
    theta, m, v, g = (rng.normal(size=5) for _ in range(4))
    v = np.abs(v)
    kept = [a.copy() for a in (theta, m, v, g)]
    plain.adamw(theta, m, v, g, 3, 0.1, weight_decay=0.2)
    plain.nesterov(theta, m, g, 0.1, 0.9)
    for a, b in zip((theta, m, v, g), kept, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_slides_six_steps_are_one_step_of_train_in_float64():
    """The plain step (its own sums, its own order of operations) against ``step`` on the
    same batch, in float64 to 1e-12: tied by value, not by bits, so that neither has to
    copy the other's arithmetic. ∇_Z R̂ is compared by value with the model's backward."""
    widths = [20, 12, 6, 3]
    rng = np.random.default_rng(2)
    X = rng.uniform(0, 1, size=(16, 20))

    def fresh_model():
        r = np.random.default_rng(0)
        return minae.Autoencoder(
            minae.mlp(
                widths, activation="sigmoid", output_activation="sigmoid", rng=r, dtype="float64"
            ),
            minae.mlp(
                widths[::-1],
                activation="sigmoid",
                output_activation="sigmoid",
                rng=r,
                dtype="float64",
            ),
            minae.MSE(),
        )

    hand = fresh_model()
    weights = [p.value.copy() for p in hand.parameters()]
    by_hand, dZ = sigmoid_autoencoder_step(weights, X, 0.5, n_encoder=len(widths) - 1)
    library = fresh_model()
    minae.training.step(library, minae.SGD(library.parameters(), lr=0.5), X, X)
    for a, p in zip(by_hand, library.parameters(), strict=True):
        np.testing.assert_allclose(a, p.value, rtol=1e-12, atol=1e-15)
    # ∇_Z R̂ by value: the model's backward at the same weights, from the decoder alone
    check = fresh_model()
    check.forward(X)
    check.loss(X)
    np.testing.assert_allclose(dZ, check.backward().dZ_decoder, rtol=1e-12, atol=1e-15)
    # and it is a step: the weights moved
    assert any(not np.array_equal(a, w) for a, w in zip(by_hand, weights, strict=True))
