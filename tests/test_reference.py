"""The plain versions in ``minae.reference`` are what the fast code must equal: plain SGD,
and one round of training as the slide's ① to ⑥ against one step of ``train``.

(The convolution loops are tied to the image layers in test_conv.py, the optimizers'
lines to the optimizers in test_optim.py.)
"""

import numpy as np

import minae
from minae.reference import optimizers as plain
from minae.reference.training_step import sigmoid_autoencoder_step


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


def test_the_slides_six_steps_equal_one_step_of_train_bit_for_bit():
    widths = [20, 12, 6, 3]
    rng = np.random.default_rng(2)
    X = rng.uniform(0, 1, size=(16, 20)).astype(np.float32)

    def fresh_model():
        r = np.random.default_rng(0)
        return minae.Autoencoder(
            minae.mlp(widths, activation="sigmoid", output_activation="sigmoid", rng=r),
            minae.mlp(widths[::-1], activation="sigmoid", output_activation="sigmoid", rng=r),
            minae.MSE(),
        )

    hand = fresh_model()
    weights = [p.value.copy() for p in hand.parameters()]
    order = np.random.default_rng(7).permutation(16)  # the shuffle train draws with rng=7
    by_hand, dZ = sigmoid_autoencoder_step(weights, X[order], 0.5, n_encoder=len(widths) - 1)
    library = fresh_model()
    minae.train(library, minae.SGD(library.parameters(), lr=0.5), X, epochs=1, batch_size=16,
                rng=7, progress=False)  # fmt: skip
    assert dZ.shape == (16, 3)
    for a, p in zip(by_hand, library.parameters(), strict=True):
        assert a.dtype == p.value.dtype
        np.testing.assert_array_equal(a, p.value)
    # and it is a step: the weights moved
    assert any(not np.array_equal(a, w) for a, w in zip(by_hand, weights, strict=True))
