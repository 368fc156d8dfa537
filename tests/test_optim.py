"""Optimizers: the updates against textbook formulas, the flat buffer, and no temporaries."""

import numpy as np
import pytest

from minae import MSE, SGD, Adam, Autoencoder, Linear, Parameter, mlp
from minae.plain import optimizers as plain


def params_with_grads(rng, dtype=np.float64):
    params = [
        Parameter(rng.normal(size=(3, 2)).astype(dtype)),
        Parameter(rng.normal(size=4).astype(dtype)),
    ]
    return params


def set_grads(params, rng):
    grads = [rng.normal(size=p.shape) for p in params]
    for p, g in zip(params, grads, strict=True):
        p.grad[...] = g
    return grads


def test_sgd_with_momentum_matches_the_textbook_loop():
    rng = np.random.default_rng(0)
    params = params_with_grads(rng)
    expected = [p.value.copy() for p in params]
    velocity = [np.zeros_like(v) for v in expected]
    opt = SGD(params, lr=0.1, momentum=0.9)
    for _ in range(4):
        grads = set_grads(params, rng)
        opt.step()
        for i, g in enumerate(grads):
            expected[i], velocity[i] = plain.momentum(expected[i], velocity[i], g, 0.1, 0.9)
    for p, e in zip(params, expected, strict=True):
        np.testing.assert_allclose(p.value, e, rtol=1e-14)


def test_adam_matches_the_textbook_loop():
    # Kingma & Ba's Algorithm 1, written per parameter with bias-corrected moments.
    rng = np.random.default_rng(1)
    params = params_with_grads(rng)
    expected = [p.value.copy() for p in params]
    m = [np.zeros_like(v) for v in expected]
    v = [np.zeros_like(x) for x in expected]
    lr, b1, b2, eps = 0.01, 0.8, 0.99, 1e-6
    opt = Adam(params, lr=lr, betas=(b1, b2), eps=eps)
    for t in range(1, 6):
        grads = set_grads(params, rng)
        opt.step()
        for i, g in enumerate(grads):
            expected[i], m[i], v[i] = plain.adam(expected[i], m[i], v[i], g, t, lr, (b1, b2), eps)
    for p, e in zip(params, expected, strict=True):
        np.testing.assert_allclose(p.value, e, rtol=1e-12)


def test_packing_keeps_values_and_the_model_keeps_working():
    rng = np.random.default_rng(2)
    model = Autoencoder(
        mlp([4, 3], activation="identity", rng=rng),
        mlp([3, 4], activation="identity", rng=rng),
        MSE(),
    )
    X = rng.uniform(size=(5, 4)).astype(np.float32)
    before = model.forward(X).copy()
    opt = Adam(model.parameters())
    np.testing.assert_array_equal(model.forward(X), before)
    for p in model.parameters():
        assert np.shares_memory(p.value, opt.flat.values)
        assert np.shares_memory(p.grad, opt.flat.grads)
    opt.flat.grads[...] = 1.0
    assert all((p.grad == 1.0).all() for p in model.parameters())
    opt.zero_grad()
    assert not any(p.grad.any() for p in model.parameters())


def test_a_gradient_nothing_was_added_to_since_zero_grad_steps_as_zero():
    first, second = Parameter(np.ones(3)), Parameter(np.ones(2))
    opt = SGD([first, second], lr=0.5)
    opt.flat.grads[...] = 9.0  # old numbers that zero_grad clears lazily
    opt.zero_grad()
    first.accumulate(np.ones(3))
    opt.step()
    np.testing.assert_array_equal(first.value, 0.5)
    np.testing.assert_array_equal(second.value, 1.0)  # not moved by the stale 9s
    np.testing.assert_array_equal(opt.flat.grads, [1.0, 1.0, 1.0, 0.0, 0.0])


def test_a_stale_optimizer_refuses_to_step():
    layer = Linear(3, 2, rng=0)
    first = SGD(layer.parameters(), lr=0.1)
    SGD(layer.parameters(), lr=0.1)
    with pytest.raises(RuntimeError, match="another optimizer"):
        first.step()


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda p: SGD(p, lr=0), r"lr must be a finite number in \(0"),
        (lambda p: SGD(p, lr=-1), r"lr must be a finite number in \(0"),
        (lambda p: SGD(p, lr=0.1, momentum=1.0), "momentum"),
        (lambda p: Adam(p, betas=(0.9, 1.0)), "betas"),
        (lambda p: Adam(p, eps=0), "eps"),
        (lambda p: Adam([]), "at least one parameter"),
    ],
)
def test_bad_settings_are_refused(make, match):
    with pytest.raises(ValueError, match=match):
        make(Linear(2, 2, rng=0).parameters())


def test_mixed_dtypes_are_refused():
    params = [Parameter(np.zeros(2, np.float32)), Parameter(np.zeros(2, np.float64))]
    with pytest.raises(TypeError, match="mix dtypes"):
        SGD(params, lr=0.1)


# -- parameters that cannot come loose ----------------------------------------------------


def test_a_parameter_gradient_starts_at_zero():
    p = Parameter(np.ones((2, 3)))
    np.testing.assert_array_equal(p.grad, 0.0)
    p.accumulate(np.ones((2, 3)))
    np.testing.assert_array_equal(p.grad, 1.0)


def test_assigning_value_and_grad_copies_into_the_optimizer_buffer():
    rng = np.random.default_rng(3)
    params = params_with_grads(rng)
    opt = SGD(params, lr=0.5)
    opt.zero_grad()
    W = params[0]
    W.grad = np.ones((3, 2))  # what a student writes in a new layer's backward
    W.value = np.full((3, 2), 2.0)
    assert np.shares_memory(W.grad, opt.flat.grads)
    assert np.shares_memory(W.value, opt.flat.values)
    opt.step()
    np.testing.assert_array_equal(W.value, 1.5)  # 2 - 0.5 * 1
    np.testing.assert_array_equal(W.grad, 1.0)


@pytest.mark.parametrize("what", ["value", "grad"])
def test_assigning_the_wrong_shape_is_refused(what):
    p = Parameter(np.zeros((3, 2)), "W")
    with pytest.raises(ValueError, match="shape"):
        setattr(p, what, np.zeros((2, 3)))
    np.testing.assert_array_equal(getattr(p, what), 0.0)


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "adamw"])
def test_assigned_parameters_step_as_pytorch_steps_them(optimizer):
    torch = pytest.importorskip("torch", reason="the comparison with PyTorch needs torch")
    from minae import AdamW

    rng = np.random.default_rng(4)
    params = params_with_grads(rng)
    values = [rng.normal(size=p.shape) for p in params]
    tensors = [torch.tensor(v, requires_grad=True) for v in values]
    opt, peer = {
        "sgd": lambda: (
            SGD(params, lr=0.1, momentum=0.9),
            torch.optim.SGD(tensors, lr=0.1, momentum=0.9),
        ),
        "adam": lambda: (Adam(params, lr=0.01), torch.optim.Adam(tensors, lr=0.01)),
        "adamw": lambda: (
            AdamW(params, lr=0.01, weight_decay=0.1),
            torch.optim.AdamW(tensors, lr=0.01, weight_decay=0.1),
        ),
    }[optimizer]()
    for p, v in zip(params, values, strict=True):
        p.value = v
    for _ in range(3):
        opt.zero_grad()
        for p, t in zip(params, tensors, strict=True):
            g = rng.normal(size=p.shape)
            p.grad = g
            t.grad = torch.tensor(g)
        opt.step()
        peer.step()
    for p, t in zip(params, tensors, strict=True):
        np.testing.assert_allclose(p.value, t.detach().numpy(), rtol=1e-12, atol=1e-15)


def test_schedules_give_their_formulas():
    from minae.optim import Constant, Cosine, StepDecay, WarmUp

    assert [Constant()(t) for t in (0, 5)] == [1.0, 1.0]
    assert [StepDecay(3, 0.5)(t) for t in range(7)] == [1, 1, 1, 0.5, 0.5, 0.5, 0.25]
    cosine = Cosine(4, floor=0.2)
    np.testing.assert_allclose(
        [cosine(t) for t in range(6)],
        [
            1.0,
            0.2 + 0.8 * (1 + np.cos(np.pi / 4)) / 2,
            0.6,
            0.2 + 0.8 * (1 + np.cos(3 * np.pi / 4)) / 2,
            0.2,
            0.2,
        ],
    )
    warm = WarmUp(4, then=StepDecay(2, 0.1))
    np.testing.assert_allclose(
        [warm(t) for t in range(8)], [0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 0.1, 0.1]
    )
    for bad in (lambda: StepDecay(0), lambda: StepDecay(2, 0.0), lambda: Cosine(3, floor=2)):
        with pytest.raises(ValueError):
            bad()


@pytest.mark.parametrize(
    "make",
    [
        lambda p, s: SGD(p, lr=0.2, momentum=0.5, schedule=s),
        lambda p, s: Adam(p, lr=0.2, schedule=s),
    ],
)
def test_a_schedule_scales_each_update(make):
    """Step t with a schedule equals step t of the plain optimizer at lr · s(t)."""
    from minae.optim import StepDecay

    rng = np.random.default_rng(5)
    scheduled, plain = params_with_grads(rng), params_with_grads(rng)
    for a, b in zip(scheduled, plain, strict=True):
        b.value = a.value.copy()
    schedule = StepDecay(2, 0.5)
    opt, ref = make(scheduled, schedule), make(plain, None)
    for t in range(5):
        grads = [rng.normal(size=p.shape) for p in scheduled]
        for a, b, g in zip(scheduled, plain, grads, strict=True):
            a.grad, b.grad = g, g
        ref.lr = 0.2 * schedule(t)
        opt.step()
        ref.step()
        assert opt.lr == pytest.approx(0.2 * schedule(t))
    for a, b in zip(scheduled, plain, strict=True):
        np.testing.assert_array_equal(a.value, b.value)


def nesterov_steps(rng):
    """Four Nesterov steps; returns the parameters, their start and the gradients."""
    params = params_with_grads(rng)
    start = [p.value.copy() for p in params]
    opt = SGD(params, lr=0.1, momentum=0.9, nesterov=True)
    history = []
    for _ in range(4):
        history.append(set_grads(params, rng))
        opt.step()
    return params, start, history


def test_nesterov_momentum_matches_pytorch():
    torch = pytest.importorskip("torch", reason="the comparison with PyTorch needs torch")
    params, start, history = nesterov_steps(np.random.default_rng(7))
    tensors = [torch.tensor(v, requires_grad=True) for v in start]
    peer = torch.optim.SGD(tensors, lr=0.1, momentum=0.9, nesterov=True)
    for grads in history:
        for t, g in zip(tensors, grads, strict=True):
            t.grad = torch.tensor(g)
        peer.step()
    for p, t in zip(params, tensors, strict=True):
        np.testing.assert_allclose(p.value, t.detach().numpy(), rtol=1e-12, atol=1e-15)


def test_nesterov_momentum_matches_the_textbook_loop():
    rng = np.random.default_rng(6)
    params = params_with_grads(rng)
    expected = [p.value.copy() for p in params]
    velocity = [np.zeros_like(v) for v in expected]
    opt = SGD(params, lr=0.1, momentum=0.9, nesterov=True)
    for _ in range(4):
        grads = set_grads(params, rng)
        opt.step()
        for i, g in enumerate(grads):
            expected[i], velocity[i] = plain.nesterov(expected[i], velocity[i], g, 0.1, 0.9)
    for p, e in zip(params, expected, strict=True):
        np.testing.assert_allclose(p.value, e, rtol=1e-14)
    with pytest.raises(ValueError, match="nesterov needs a momentum"):
        SGD(params, lr=0.1, nesterov=True)


def test_adamw_matches_the_textbook_loop():
    from minae import AdamW

    rng = np.random.default_rng(6)
    theta0 = rng.normal(size=5)
    grads = rng.normal(size=(4, 5))
    p = Parameter(theta0.copy())
    opt = AdamW([p], lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.3)
    theta, m, v = theta0.copy(), np.zeros(5), np.zeros(5)
    for t, g in enumerate(grads, start=1):
        opt.zero_grad()
        p.grad = g
        opt.step()
        theta, m, v = plain.adamw(theta, m, v, g, t, 0.05, (0.8, 0.9), 1e-6, weight_decay=0.3)
    np.testing.assert_allclose(p.value, theta, rtol=1e-12)


def test_adamw_refuses_a_negative_decay():
    from minae import AdamW

    with pytest.raises(ValueError, match="weight_decay"):
        AdamW([Parameter(np.zeros(3))], weight_decay=-1.0)
