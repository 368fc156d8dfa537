"""Print the worst error of every gradient check over many random draws.

    python tests/report_gradient_errors.py [--draws 200]

The test suite asserts each check below ``helpers.TOLERANCE``; this script reports how
far below, for both measures: ``scaled_error`` (what the tests assert) and CS231n's
element-wise ``rel_error`` (for comparison; it exaggerates tiny entries).
"""

import argparse
from functools import partial

import numpy as np
from helpers import MODEL_CHECK, away_from_zero
from test_autoencoder import CASES, make_model, total_loss

import minae
from minae.layers import Identity, Linear, ReLU, Sigmoid, Tanh, mlp
from minae.losses import BCE, MSE, BCEWithLogits
from minae.models.vae import gaussian_kl, gaussian_kl_grad
from minae.penalties import L1, Contractive, KLSparsity
from minae.teaching.gradcheck import numerical_gradient, numerical_vjp, rel_error, scaled_error


def layer_pairs(layer, X, dout):
    layer.zero_grad()
    layer.forward(X)
    pairs = [(layer.backward(dout), numerical_vjp(lambda: layer.forward(X), X, dout))]
    for p in layer.parameters():
        pairs.append((p.grad, numerical_vjp(lambda: layer.forward(X), p.value, dout)))
    return pairs


def scalar_pairs(fn, grad, x):
    return [(grad, numerical_gradient(fn, x))]


def model_pairs(case, rng):
    model = make_model(rng, **CASES[case])
    X, target = rng.uniform(0, 1, size=(4, 6)), rng.uniform(0, 1, size=(4, 6))
    model.zero_grad()
    total_loss(model, X, target)
    grads = model.backward()
    pairs = [
        (p.grad, numerical_gradient(lambda: total_loss(model, X, target), p.value, **MODEL_CHECK))
        for p in model.parameters()
    ]
    pairs.append(
        (grads.dX, numerical_gradient(lambda: total_loss(model, X, target), X, **MODEL_CHECK))
    )
    Z = model.encode(X).copy()
    decoder_term = numerical_gradient(
        lambda: model.reconstruction_loss.value(model.decoder.forward(Z), target), Z, **MODEL_CHECK
    )
    pairs.append((grads.dZ_decoder, decoder_term))
    for name, (lam, S) in model.code_penalties.items():
        penalty_term = lam * numerical_gradient(lambda S=S: S.value(Z), Z, **MODEL_CHECK)
        pairs.append((grads.dZ_penalties[name], penalty_term))
    return pairs


def checks():
    def shape(rng):
        return int(rng.integers(1, 7)), int(rng.integers(1, 8))

    def linear(rng):
        B, n = shape(rng)
        m = int(rng.integers(1, 8))
        layer = Linear(n, m, rng=rng)
        layer.b.value[...] = rng.normal(size=m)
        return layer_pairs(layer, rng.normal(size=(B, n)), rng.normal(size=(B, m)))

    def activation(cls, kink=False):
        def check(rng):
            s = shape(rng)
            X = away_from_zero(rng, s) if kink else rng.uniform(-4, 4, size=s)
            return layer_pairs(cls(), X, rng.normal(size=s))

        return check

    def sequential(rng):
        net = mlp([5, 4, 3], activation="tanh", output_activation="sigmoid", rng=rng)
        return layer_pairs(net, rng.normal(size=(4, 5)), rng.normal(size=(4, 3)))

    def loss(make, low, high):
        def check(rng):
            s = shape(rng)
            out, target = rng.uniform(low, high, size=s), rng.uniform(0, 1, size=s)
            fn = make()
            return scalar_pairs(lambda: fn.value(out, target), fn.grad(out, target), out)

        return check

    def penalty(make, sample):
        def check(rng):
            Z = sample(rng, shape(rng))
            p = make(rng)
            return scalar_pairs(lambda: p.value(Z), p.grad(Z), Z)

        return check

    yield "Linear (dX, dW, db)", linear
    yield "Sigmoid", activation(Sigmoid)
    yield "Tanh", activation(Tanh)
    yield "Identity", activation(Identity)
    yield "ReLU (inputs off the kink)", activation(ReLU, kink=True)
    yield "Sequential mlp 5-4-3 (dX and all parameters)", sequential
    yield "MSE", loss(MSE, -3, 3)
    yield "BCE", loss(BCE, 0.05, 0.95)
    yield "BCEWithLogits", loss(BCEWithLogits, -6, 6)
    yield "L1", penalty(lambda rng: L1(), away_from_zero)
    yield (
        "KLSparsity",
        penalty(
            lambda rng: KLSparsity(rng.uniform(0.01, 0.99)),
            lambda rng, s: rng.uniform(0.05, 0.95, s),
        ),
    )
    for case in CASES:
        yield f"Autoencoder, {case} (all parameters, dX, Z terms)", partial(model_pairs, case)
    yield "Contractive penalty (dW, db, dX)", contractive_pairs
    yield "ContractiveAutoencoder (all parameters, dX)", contractive_model_pairs
    yield "Gaussian KL (dmu, dlogvar)", kl_pairs
    for loss in (BCEWithLogits, MSE):
        yield f"VAE, {loss.__name__}, fixed eps (all parameters, dX)", partial(vae_pairs, loss)


def scalar_model_pairs(model, f, X):
    model.zero_grad()
    f()
    grads = model.backward()
    pairs = [(p.grad, numerical_gradient(f, p.value, **MODEL_CHECK)) for p in model.parameters()]
    return [*pairs, (grads.dX, numerical_gradient(f, X, **MODEL_CHECK))]


def contractive_pairs(rng):
    f = minae.Sequential(Linear(5, 3, rng=rng), Sigmoid())
    f[0].b.value[...] = rng.normal(size=3)
    penalty, X = Contractive(f), rng.normal(size=(3, 5))

    def C():
        return penalty.value(f.forward(X))

    f.zero_grad()
    Z = f.forward(X)
    penalty.accumulate_parameter_grad(Z, 1.0)
    dX = f.backward(penalty.grad(Z))
    return [
        (f[0].W.grad, numerical_gradient(C, f[0].W.value)),
        (f[0].b.grad, numerical_gradient(C, f[0].b.value)),
        (dX, numerical_gradient(C, X)),
    ]


def contractive_model_pairs(rng):
    encoder = minae.Sequential(Linear(6, 4, rng=rng), Sigmoid())
    decoder = mlp([4, 6], activation="identity", rng=rng)
    model = minae.ContractiveAutoencoder(encoder, decoder, MSE(), lam=0.7)
    X, target = rng.uniform(size=(3, 6)), rng.uniform(size=(3, 6))

    def f():
        model.forward(X)
        return model.loss(target).total

    return scalar_model_pairs(model, f, X)


def kl_pairs(rng):
    mu, logvar = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    d_mu, d_logvar = gaussian_kl_grad(mu, logvar)
    return [
        (d_mu, numerical_gradient(lambda: gaussian_kl(mu, logvar), mu)),
        (d_logvar, numerical_gradient(lambda: gaussian_kl(mu, logvar), logvar)),
    ]


def vae_pairs(loss, rng):
    vae = minae.VAE(
        mlp([6, 5, 4], activation="tanh", rng=rng),
        mlp([2, 5, 6], activation="tanh", rng=rng),
        loss(),
        rng=rng,
    )
    X, eps, target = rng.uniform(size=(3, 6)), rng.normal(size=(3, 2)), rng.uniform(size=(3, 6))

    def f():
        vae.forward(X, eps)
        return vae.loss(target).total

    return scalar_model_pairs(vae, f, X)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=200)
    args = parser.parse_args()
    print(f"worst over {args.draws} random draws each (float64)")
    print(f"{'check':56} {'scaled_error':>12} {'rel_error':>10}")
    with minae.default_dtype("float64"):
        for name, check in checks():
            worst_scaled = worst_rel = 0.0
            for seed in range(args.draws):
                for analytic, numeric in check(np.random.default_rng(seed)):
                    worst_scaled = max(worst_scaled, scaled_error(analytic, numeric))
                    worst_rel = max(worst_rel, rel_error(analytic, numeric))
            print(f"{name:56} {worst_scaled:12.1e} {worst_rel:10.1e}")


if __name__ == "__main__":
    main()
