"""The checks of exercises 1-9: PCA, activations, Linear, losses, optimizers, sparsity,
the bottleneck gradient, the contractive penalty, the VAE's pieces.

Each ``check_*`` takes the student's function and runs it on three random cases in
float64 (shapes and values drawn from a fixed seed, kept off kinks and ties), comparing
every output with minae's own implementation and every gradient with central differences
too (``compare.expect``). It returns nothing when all agree and raises ``Mismatch``
(what differs, and a hint) at the first case that does not.
"""

from __future__ import annotations

import numpy

from .. import layers, losses, penalties
from ..layers import Linear, Sequential, Sigmoid
from ..layers.parameter import Parameter
from ..models import Autoencoder
from ..models.vae import gaussian_kl, gaussian_kl_grad, reparameterisation_backward
from ..pca import PCA
from ..plain import optimizers
from ..teaching.gradcheck import numerical_gradient, numerical_vjp
from .compare import Mismatch, call, case, expect

SEEDS = (0, 1, 2)


def _bias(layer: Linear) -> Parameter:
    assert layer.b is not None  # every Linear here is built with a bias
    return layer.b


def _rng(seed: int) -> numpy.random.Generator:
    return numpy.random.default_rng(1000 + seed)


def _away_from_zero(rng, shape, low=0.2, high=2.0):
    """|values| in [low, high], random signs: off the kinks of ReLU and |z|."""
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def _case(what: str, **shapes) -> str:
    return f"{what} with " + ", ".join(f"{k} {tuple(v)}" for k, v in shapes.items())


# -- exercise 1: PCA ----------------------------------------------------------------------


def check_pca(pca) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        B, D, k = 40 + 10 * seed, 6 + seed, 2 + seed
        scales = numpy.linspace(3.0, 0.3, D)  # distinct variances: no ties among eigenvalues
        X = rng.normal(size=(B, D)) * scales @ _rotation(rng, D) + rng.normal(size=D) * 2
        reference = PCA(k).fit(X)

        with case(_case("pca(X, k)", X=X.shape) + f", k = {k}"):
            mean, components, variances = call(pca, X, k, returns=3)
            expect("mean", mean, reference.mean_)
            right = reference.components_
            # a component's sign is arbitrary: the student's, turned towards minae's
            components = _aligned(numpy.asarray(components, dtype=numpy.float64), right)
            eigenvalues, vectors = numpy.linalg.eigh(numpy.cov(X, rowvar=False))
            uncentred = numpy.linalg.eigh(X.T @ X / (B - 1))[1][:, ::-1][:, :k].T
            expect(
                "components",
                components,
                right,
                mistakes=[  # signs as the student's
                    (
                        "these are the eigenvectors as columns, not rows: take vectors[:, order].T",
                        _aligned(vectors[:, ::-1][:, :k].T, components.T).T,
                    ),
                    (
                        "these are the eigenvectors of the *smallest* eigenvalues: eigh sorts them "
                        "ascending, so reverse the order",
                        _aligned(vectors[:, :k].T, components),
                    ),
                    (
                        "these are the eigenvectors of Xᵀ X / (B - 1) without subtracting the "
                        "mean: centre X first",
                        _aligned(uncentred, components),
                    ),
                ],
            )
            expect(
                "variances",
                variances,
                reference.explained_variance_,
                mistakes=[
                    (
                        "the variances are divided by B, not B - 1",
                        eigenvalues[::-1][:k] * (B - 1) / B,
                    ),
                    (
                        "these are the smallest eigenvalues: eigh sorts them ascending",
                        eigenvalues[:k],
                    ),
                ],
            )


def _rotation(rng, D: int) -> numpy.ndarray:
    q, _ = numpy.linalg.qr(rng.normal(size=(D, D)))
    return q


def _aligned(components: numpy.ndarray, right: numpy.ndarray) -> numpy.ndarray:
    if components.shape != right.shape:
        return components
    signs = numpy.sign((components * right).sum(axis=1, keepdims=True))
    return components * numpy.where(signs == 0, 1.0, signs)


# -- exercise 2: activations --------------------------------------------------------------


def _activation_check(student, layer, *, takes_input: bool, mistakes) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        shape = (3 + seed, 4 + 2 * seed)
        A = _away_from_zero(rng, shape, 0.1, 3.0)
        dY = rng.normal(size=shape)
        Y = layer.forward(A)
        expected = layer.backward(dY)
        numeric = numerical_vjp(lambda: layer.fn(A), A, dY)

        with case(_case(student.__name__, A=shape)):
            got = call(student, A if takes_input else Y, dY)
            expect("dA", got, expected, numeric=numeric, mistakes=mistakes(A, Y, dY))


def check_sigmoid_backward(sigmoid_backward) -> None:
    def mistakes(A, Y, dY):
        s = 1 / (1 + numpy.exp(-Y))
        return [
            ("σ was applied to Y again: Y is already σ(A), so σ'(A) = Y (1 - Y)", dY * s * (1 - s)),
            ("dY is not multiplied in: dA = dY ∘ σ'(A)", Y * (1 - Y)),
        ]

    _activation_check(sigmoid_backward, layers.Sigmoid(), takes_input=False, mistakes=mistakes)


def check_relu_backward(relu_backward) -> None:
    def mistakes(A, Y, dY):
        return [
            ("dY passes everywhere: it must stop where A ≤ 0", dY),
            ("this is 1[A > 0] alone: multiply by dY", (A > 0) * 1.0),
            ("the mask is taken from dY's sign, not A's", dY * (dY > 0)),
        ]

    _activation_check(relu_backward, layers.ReLU(), takes_input=True, mistakes=mistakes)


def check_tanh_backward(tanh_backward) -> None:
    def mistakes(A, Y, dY):
        return [
            ("tanh'(A) = 1 - Y², squared: this used 1 - Y", dY * (1 - Y)),
            ("tanh was applied to Y again: Y is already tanh(A)", dY * (1 - numpy.tanh(Y) ** 2)),
        ]

    _activation_check(tanh_backward, layers.Tanh(), takes_input=False, mistakes=mistakes)


# -- exercise 3: Linear -------------------------------------------------------------------


def check_linear_backward(linear_backward) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        B, D_in, D_out = 4 + seed, 3 + 2 * seed, 5 + seed
        layer = Linear(D_in, D_out, rng=rng, dtype="float64")
        _bias(layer).value = rng.normal(size=D_out)
        X, dY = rng.normal(size=(B, D_in)), rng.normal(size=(B, D_out))
        W = layer.W.value
        layer.zero_grad()
        layer.forward(X)
        dX = layer.backward(dY)
        forward = lambda: layer.forward(X)  # noqa: E731
        numeric = {
            "dX": numerical_vjp(forward, X, dY),
            "dW": numerical_vjp(forward, W, dY),
            "db": numerical_vjp(forward, _bias(layer).value, dY),
        }

        with case(_case("linear_backward", X=X.shape, W=W.shape)):
            got = call(linear_backward, X, W, dY, returns=3)
            expect("dX", got[0], dX, numeric=numeric["dX"], batch=B)
            expect("dW", got[1], layer.W.grad, numeric=numeric["dW"], batch=B)
            expect(
                "db",
                got[2],
                _bias(layer).grad,
                numeric=numeric["db"],
                batch=B,
                mistakes=[
                    (
                        "the bias gradient is missing: ∂R̂/∂b = 1ᵀ dY sums dY over the batch",
                        numpy.zeros(D_out),
                    ),
                    ("db is dY's first row: sum over all rows of the batch", dY[0]),
                ],
            )


# -- exercise 4: losses -------------------------------------------------------------------


def _loss_check(student, loss, mistakes) -> None:
    """∂R̂/∂X̂ of ``loss`` by ``student(X_hat, X)``; ``mistakes(X_hat, X, expected)``."""
    for seed in SEEDS:
        rng = _rng(seed)
        B, N = 3 + seed, 5 + 3 * seed
        X_hat, X = rng.uniform(0.05, 0.95, (B, N)), rng.uniform(0, 1, (B, N))
        expected = loss.grad(X_hat, X)
        numeric = numerical_gradient(lambda: loss.value(X_hat, X), X_hat)

        with case(_case(student.__name__, X_hat=X_hat.shape)):
            expect(
                "∂R̂/∂X̂",
                call(student, X_hat, X),
                expected,
                numeric=numeric,
                batch=B,
                mistakes=mistakes(X_hat, X, expected),
            )


def check_mse_grad(mse_grad) -> None:
    def mistakes(X_hat, X, expected):
        N = X.shape[1]
        return [
            ("the 2 from differentiating the square is missing", expected / 2),
            (
                f"this is the mean over all B·N entries: R̂ sums over an example's N = {N} "
                "entries and averages over B only",
                expected / N,
            ),
        ]

    _loss_check(mse_grad, losses.MSE(), mistakes)


def check_bce_grad(bce_grad) -> None:
    def mistakes(X_hat, X, expected):
        return [
            (
                "this is (X̂ - X) / B, the gradient with respect to the *logits* of a "
                "sigmoid; with respect to X̂ divide by X̂ (1 - X̂)",
                (X_hat - X) / len(X),
            )
        ]

    _loss_check(bce_grad, losses.BCE(), mistakes)


# -- exercise 5: optimizers ---------------------------------------------------------------


def check_momentum(momentum) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        shape, lr, mu = (4 + seed, 3), 0.1, 0.9
        theta, velocity, g = rng.normal(size=shape), rng.normal(size=shape), rng.normal(size=shape)
        theta_new, v_new = optimizers.momentum(theta, velocity, g, lr, mu)

        with case(_case("momentum", theta=shape) + f", η = {lr}, μ = {mu}"):
            got = call(momentum, theta, velocity, g, lr, mu, returns=2)
            v_other = mu * velocity - lr * g
            expect(
                "θ",
                got[0],
                theta_new,
                mistakes=[
                    (
                        "this is the form v ← μ v - η g, θ ← θ + v; minae and PyTorch keep η "
                        "out of the velocity: v ← μ v + g, θ ← θ - η v",
                        theta + v_other,
                    ),
                    ("the velocity is not used: θ ← θ - η v with v ← μ v + g", theta - lr * g),
                    ("θ moves uphill: θ ← θ - η v", theta + lr * v_new),
                ],
            )
            expect("v", got[1], v_new, mistakes=[("μ v is missing: v ← μ v + g", g)])


def check_adam(adam) -> None:
    for seed, t in zip(SEEDS, (1, 3, 10), strict=True):
        rng = _rng(seed)
        shape, lr, betas, eps = (3 + seed, 4), 0.1, (0.9, 0.999), 1e-8
        theta, g = rng.normal(size=shape), rng.normal(size=shape)
        m, v = rng.normal(size=shape) * 0.1, rng.uniform(0.01, 0.1, size=shape)
        theta_new, m_new, v_new = optimizers.adam(theta, m, v, g, t, lr, betas, eps)
        b1, b2 = betas

        with case(_case("adam", theta=shape) + f", step t = {t}"):
            got = call(adam, theta, m, v, g, t, lr, betas, eps, returns=3)
            expect(
                "m",
                got[1],
                m_new,
                mistakes=[
                    ("β1 and (1 - β1) are swapped: m ← β1 m + (1 - β1) g", (1 - b1) * m + b1 * g)
                ],
            )
            expect(
                "v",
                got[2],
                v_new,
                mistakes=[("the second moment averages g², not g", b2 * v + (1 - b2) * g)],
            )
            expect(
                "θ",
                got[0],
                theta_new,
                mistakes=[
                    (
                        "the bias correction is missing: m̂ = m / (1 - β1ᵗ), v̂ = v / (1 - β2ᵗ)",
                        theta - lr * m_new / (numpy.sqrt(v_new) + eps),
                    ),
                    (
                        "the step divides by v̂, not √v̂",
                        theta - lr * (m_new / (1 - b1**t)) / (v_new / (1 - b2**t) + eps),
                    ),
                    ("θ moves uphill: θ ← θ - η m̂ / (√v̂ + ε)", 2 * theta - theta_new),
                ],
            )


# -- exercise 6: sparsity -----------------------------------------------------------------


def check_l1_grad(l1_grad) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        Z = _away_from_zero(rng, (3 + seed, 4 + seed))
        penalty = penalties.L1()
        expected = penalty.grad(Z)
        numeric = numerical_gradient(lambda: penalty.value(Z), Z)

        with case(_case("l1_grad", Z=Z.shape)):
            expect(
                "∇_Z S",
                call(l1_grad, Z),
                expected,
                numeric=numeric,
                batch=Z.shape[0],
                mistakes=[("this is Z / B: the derivative of |z| is sign(z)", Z / Z.shape[0])],
            )


def check_kl_sparsity_grad(kl_sparsity_grad) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        B, L = 5 + seed, 3 + seed
        Z, rho = rng.uniform(0.05, 0.6, (B, L)), (0.05, 0.1, 0.2)[seed]
        penalty = penalties.KLSparsity(rho)
        expected = penalty.grad(Z)
        numeric = numerical_gradient(lambda: penalty.value(Z), Z)
        rho_hat = Z.mean(axis=0)
        slide_order = numpy.log(rho_hat * (1 - rho) / (rho * (1 - rho_hat))) / B

        with case(_case("kl_sparsity_grad", Z=Z.shape) + f", ρ = {rho}"):
            expect(
                "∇_Z S",
                call(kl_sparsity_grad, Z, rho),
                expected,
                numeric=numeric,
                batch=B,
                mistakes=[
                    (
                        "this is the gradient of the slide's order KL(ρ̂ || ρ); minae's is "
                        "KL(ρ || ρ̂)",
                        numpy.broadcast_to(slide_order, (B, L)),
                    )
                ],
            )


# -- exercise 7: the bottleneck gradient ---------------------------------------------------


def _sparse_autoencoder(rng, N: int, L: int, lam: float):
    """The exercise's model, and the same layers without the penalty (for the hint)."""
    first = Linear(N, L, rng=rng, dtype="float64")
    second = Linear(L, N, rng=rng, dtype="float64")
    for layer in (first, second):
        _bias(layer).value = rng.normal(size=_bias(layer).shape) * 0.1
    encoder, decoder = Sequential(first, Sigmoid()), Sequential(second, Sigmoid())
    model = Autoencoder(encoder, decoder, losses.MSE(), penalty=penalties.L1(), lam=lam)
    return model, Autoencoder(encoder, decoder, losses.MSE()), first, second


def _bottleneck_gradients(model, first, second, X) -> dict:
    model.zero_grad()
    model.forward(X)
    model.loss(X)
    grads = model.backward()
    return {
        "W1": first.W.grad.copy(),
        "b1": _bias(first).grad.copy(),
        "W2": second.W.grad.copy(),
        "b2": _bias(second).grad.copy(),
        "dZ_decoder": grads.dZ_decoder,
        "dZ_penalty": grads.dZ_penalty,
    }


def check_sparse_autoencoder_backward(sparse_autoencoder_backward) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        B, N, L, lam = 4 + seed, 6 + seed, 3 + seed, (0.5, 0.1, 2.0)[seed]
        model, plain, first, second = _sparse_autoencoder(rng, N, L, lam)
        X = rng.uniform(0, 1, (B, N))
        without_penalty = _bottleneck_gradients(plain, first, second, X)
        expected = _bottleneck_gradients(model, first, second, X)

        def total():
            model.forward(X)
            return model.loss(X).total

        params = {"W1": first.W, "b1": first.b, "W2": second.W, "b2": second.b}
        numeric = {k: numerical_gradient(total, p.value) for k, p in params.items()}

        with case(_case("sparse_autoencoder_backward", X=X.shape, W1=(N, L)) + f", λ = {lam}"):
            got = call(
                sparse_autoencoder_backward,
                X,
                first.W.value,
                _bias(first).value,
                second.W.value,
                _bias(second).value,
                lam,
            )
            if not isinstance(got, dict):
                raise Mismatch(
                    f"sparse_autoencoder_backward should return a dict, got {type(got).__name__}"
                )
            missing = sorted(set(expected) - set(got))
            if missing:
                raise Mismatch(f"the returned dict lacks {', '.join(missing)}")
            expect("dZ_decoder", got["dZ_decoder"], expected["dZ_decoder"], batch=B)
            expect(
                "dZ_penalty",
                got["dZ_penalty"],
                expected["dZ_penalty"],
                batch=B,
                mistakes=[
                    ("λ is missing: the penalty's part is λ ∇_Z S(Z)", expected["dZ_penalty"] / lam)
                ],
            )
            for name in ("W2", "b2", "W1", "b1"):
                expect(
                    name,
                    got[name],
                    expected[name],
                    numeric=numeric[name],
                    batch=B,
                    mistakes=[
                        (
                            "the gradient ignores the penalty: ∇_Z R̂ = (back-propagated "
                            "from the decoder) + λ ∇_Z S(Z) must go on through the "
                            "encoder",
                            without_penalty[name],
                        )
                    ],
                )


# -- exercise 8: the contractive penalty ---------------------------------------------------


def _contractive(rng, N: int, L: int):
    linear = Linear(N, L, rng=rng, dtype="float64")
    _bias(linear).value = rng.normal(size=L) * 0.5
    encoder = Sequential(linear, Sigmoid())
    return encoder, linear, penalties.Contractive(encoder)


def _contractive_case(seed: int):
    rng = _rng(seed)
    B, N, L = 4 + seed, 5 + seed, 3 + seed
    encoder, linear, penalty = _contractive(rng, N, L)
    X = rng.normal(size=(B, N))
    return X, encoder, linear, penalty


def check_contractive_penalty(contractive_penalty) -> None:
    for seed in SEEDS:
        X, encoder, linear, penalty = _contractive_case(seed)
        Z = encoder.forward(X)
        expected = penalty.value(Z)
        s = Z * (1 - Z)
        w2 = (linear.W.value**2).sum(axis=0)

        with case(_case("contractive_penalty", X=X.shape, W=linear.W.shape)):
            got = call(contractive_penalty, X, linear.W.value, _bias(linear).value)
            expect(
                "C",
                numpy.atleast_1d(numpy.asarray(got, dtype=float)),
                numpy.atleast_1d(expected),
                batch=X.shape[0],
                mistakes=[
                    (
                        "z (1 - z) is not squared: ||J||² sums (z_j (1 - z_j))² Σ_i W_ij²",
                        [float((s * w2).sum()) / X.shape[0]],
                    ),
                    (
                        "Σ_i W_ij² is missing: the Jacobian's entries are z_j (1 - z_j) W_ij",
                        [float((s * s).sum()) / X.shape[0]],
                    ),
                ],
            )


def check_contractive_grad(contractive_grad) -> None:
    for seed in SEEDS:
        X, encoder, linear, penalty = _contractive_case(seed)
        encoder.zero_grad()
        Z = encoder.forward(X)
        encoder.backward(penalty.grad(Z))  # through the code
        through_code = {"dW": linear.W.grad.copy(), "db": _bias(linear).grad.copy()}
        penalty.accumulate_parameter_grad(Z, 1.0)  # and directly
        expected = {"dW": linear.W.grad.copy(), "db": _bias(linear).grad.copy()}
        direct = expected["dW"] - through_code["dW"]

        def value():
            return penalty.value(encoder.forward(X))

        numeric = {
            "dW": numerical_gradient(value, linear.W.value),
            "db": numerical_gradient(value, _bias(linear).value),
        }

        with case(_case("contractive_grad", X=X.shape, W=linear.W.shape)):
            got = call(contractive_grad, X, linear.W.value, _bias(linear).value, returns=2)
            expect(
                "∂C/∂W",
                got[0],
                expected["dW"],
                numeric=numeric["dW"],
                batch=X.shape[0],
                mistakes=[
                    (
                        "only the path through the code: W also enters C directly, "
                        "through Σ_i W_ij²",
                        through_code["dW"],
                    ),
                    (
                        "only the direct term: W also enters C through the code z = σ(x W + b)",
                        direct,
                    ),
                ],
            )
            expect("∂C/∂b", got[1], expected["db"], numeric=numeric["db"], batch=X.shape[0])


# -- exercise 9: the VAE ------------------------------------------------------------------


def check_reparameterisation_backward(reparameterisation_backward_) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        shape = (3 + seed, 2 + seed)
        mu, logvar = rng.normal(size=shape), rng.normal(size=shape) * 0.5
        eps, dZ = rng.normal(size=shape), rng.normal(size=shape)
        d_mu, d_logvar = reparameterisation_backward(dZ, eps, logvar)
        std = numpy.exp(0.5 * logvar)

        def z():
            return mu + numpy.exp(0.5 * logvar) * eps

        numeric = numerical_vjp(z, logvar, dZ)

        with case(_case("reparameterisation_backward", dZ=shape)):
            got = call(reparameterisation_backward_, dZ, eps, logvar, returns=2)
            expect("d_mu", got[0], d_mu)
            expect(
                "d_logvar",
                got[1],
                d_logvar,
                numeric=numeric,
                mistakes=[
                    ("the ½ is missing: σ = exp(½ log σ²), so ∂σ/∂log σ² = ½ σ", dZ * eps * std),
                    (
                        "this used σ² = exp(log σ²) where z has σ = exp(½ log σ²)",
                        0.5 * dZ * eps * numpy.exp(logvar),
                    ),
                    ("ε is missing: ∂z/∂log σ² = ½ σ ∘ ε", 0.5 * dZ * std),
                ],
            )


def check_gaussian_kl_grad(gaussian_kl_grad_) -> None:
    for seed in SEEDS:
        rng = _rng(seed)
        shape = (3 + seed, 2 + seed)
        B = shape[0]
        mu, logvar = rng.normal(size=shape), rng.normal(size=shape) * 0.5
        d_mu, d_logvar = gaussian_kl_grad(mu, logvar)
        numeric_mu = numerical_gradient(lambda: gaussian_kl(mu, logvar), mu)
        numeric_logvar = numerical_gradient(lambda: gaussian_kl(mu, logvar), logvar)

        with case(_case("gaussian_kl_grad", mu=shape)):
            got = call(gaussian_kl_grad_, mu, logvar, returns=2)
            expect("∂KL/∂μ", got[0], d_mu, numeric=numeric_mu, batch=B)
            expect(
                "∂KL/∂log σ²",
                got[1],
                d_logvar,
                numeric=numeric_logvar,
                batch=B,
                mistakes=[
                    ("the ½ of the KL is missing: ∂KL/∂log σ² = ½ (σ² - 1) / B", 2 * d_logvar),
                    (
                        "this is the gradient with respect to σ², not log σ²",
                        0.5 * (1 - numpy.exp(-logvar)) / B,
                    ),
                ],
            )
