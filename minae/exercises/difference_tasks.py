"""The tasks whose answers minae does not contain: each is a forward function and the
wrong answers students often give; the grader checks the student's backward against
central differences of the forward alone (``gradient_task``).

Each forward follows the slides' notation (X, X̂, Z, μ, log σ²) and averages over the
batch as minae's losses and penalties do; the inputs are drawn off the kinks (ELU's and
Huber's) so that central differences are exact to rounding there.
"""

from __future__ import annotations

import numpy

from .gradient_task import gradient_task

S004_ACTIVATIONS = 'slides 004, "Activation functions"'
S001_TRAINING = 'slides 001, "Training AEs for Compression" ③'
S001_SPARSE = 'slides 001, "Training Sparse AEs"'
S003_VAE = "slides 003, the VAE loss"
S002_CONV = 'slides 002, "Convolutional Autoencoder"'


def _off_zero(rng, dims, drawn, low=0.1, high=3.0, shape=("B", "N")):
    size = tuple(dims[d] for d in shape)
    return rng.uniform(low, high, size=size) * rng.choice([-1.0, 1.0], size=size)


def _sigmoid(A):
    return 1 / (1 + numpy.exp(-A))


# -- activations: Y = f(A), element-wise ----------------------------------------------------


def softplus(A):
    """Y = log(1 + e^A), a smooth ReLU."""
    return numpy.logaddexp(0.0, A)


def elu(A, alpha):
    """Y = A where A > 0, α (e^A - 1) elsewhere (Clevert et al. 2016)."""
    return numpy.where(A > 0, A, alpha * numpy.expm1(numpy.minimum(A, 0)))


# -- a loss: R̂ = (1/B) Σ_{b,j} h_δ(x̂_bj - x_bj) ------------------------------------------


def huber(X_hat, X, delta):
    """The Huber loss: ½ r² where |r| ≤ δ, δ (|r| - ½ δ) beyond, averaged over the batch."""
    r = numpy.abs(X_hat - X)
    return float(numpy.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)).sum() / len(X))


def _huber_residuals(rng, dims):
    """r = X̂ - X with |r| in (0.1, 0.9) or (1.1, 3): off the kinks at ±δ = ±1."""
    size = (dims["B"], dims["N"])
    r = numpy.where(rng.random(size) < 0.5, rng.uniform(0.1, 0.9, size), rng.uniform(1.1, 3, size))
    return r * rng.choice([-1.0, 1.0], size=size)


# -- a penalty on the code: S(Z) = (1/B) Σ_{b,j} log(1 + Z_bj²) ------------------------------


def cauchy(Z):
    """The Cauchy (log(1 + z²)) sparsity penalty, averaged over the batch."""
    return float(numpy.log1p(Z**2).sum() / len(Z))


# -- a tied-weights autoencoder: W_dec = W_encᵀ -------------------------------------------


def tied_autoencoder(X, W, b1, b2):
    """R̂ = (1/B) Σ_b ||x̂_b - x_b||² with Z = σ(X W + b1) and X̂ = Z Wᵀ + b2: one W for
    both sides, so its gradient is the sum of the encoder's path and the decoder's."""
    Z = _sigmoid(X @ W + b1)
    return float(((Z @ W.T + b2 - X) ** 2).sum() / len(X))


# -- the VAE: a prior N(0, s²I), and a Gaussian decoder with a learned variance ------------


def kl_prior(mu, logvar, s):
    """KL(N(μ, σ²) || N(0, s² I)), summed over the code and averaged over the batch:
    (1/B) Σ ½ [(σ² + μ²)/s² - 1 - log σ² + log s²]."""
    var = numpy.exp(logvar)
    return float(0.5 * ((var + mu**2) / s**2 - 1 - logvar + numpy.log(s**2)).sum() / len(mu))


def gaussian_nll(X_hat, logvar, X):
    """-log N(x; x̂, σ²), the decoder giving x̂ and log σ² for every pixel, averaged over
    the batch: (1/B) Σ ½ [log 2π + log σ² + (x - x̂)²/σ²]."""
    terms = numpy.log(2 * numpy.pi) + logvar + (X - X_hat) ** 2 * numpy.exp(-logvar)
    return float(0.5 * terms.sum() / len(X))


# -- a dilated convolution: Y[n,o,i,j] = Σ_{c,u,v} W[o,c,u,v] x[n,c,i + d·u, j + d·v] -------


def dilated_conv2d(x, W, dilation):
    """Stride 1, no padding, the kernel's taps d pixels apart: Ho = H - d (kh - 1)."""
    _, _, kh, kw = W.shape
    B, _, H, Wd = x.shape
    Ho, Wo = H - dilation * (kh - 1), Wd - dilation * (kw - 1)
    Y = numpy.zeros((B, W.shape[0], Ho, Wo))
    for u in range(kh):
        for v in range(kw):
            window = x[:, :, u * dilation : u * dilation + Ho, v * dilation : v * dilation + Wo]
            Y += numpy.einsum("ncij,oc->noij", window, W[:, :, u, v])
    return Y


TASKS = (
    gradient_task(
        "softplus_backward",
        softplus,
        {"A": ("B", "N")},
        file="e02_activations",
        slide=S004_ACTIVATIONS,
        lesson="03",
        points=2,
        mistakes=lambda c: [
            (
                "A",
                "this is softplus itself, not its derivative: d/dA log(1 + e^A) = σ(A)",
                c["dY"] * softplus(c["A"]),
            ),
            (
                "A",
                "σ(-A): the derivative of log(1 + e^A) is e^A / (1 + e^A) = σ(+A)",
                c["dY"] * _sigmoid(-c["A"]),
            ),
            ("A", "dY is not multiplied in: dA = dY ∘ σ(A)", _sigmoid(c["A"])),
        ],
    ),
    gradient_task(
        "elu_backward",
        elu,
        {"A": _off_zero},
        constants={"alpha": 0.7},
        file="e02_activations",
        slide=S004_ACTIVATIONS,
        lesson="03",
        points=2,
        mistakes=lambda c: [
            (
                "A",
                "the slope for A ≤ 0 is α e^A, not α: the derivative of α (e^A - 1)",
                c["dY"] * numpy.where(c["A"] > 0, 1.0, c["alpha"]),
            ),
            (
                "A",
                "the slope for A ≤ 0 is α e^A; this used α (e^A - 1), the function",
                c["dY"] * numpy.where(c["A"] > 0, 1.0, c["alpha"] * numpy.expm1(c["A"])),
            ),
        ],
    ),
    gradient_task(
        "huber_grad",
        huber,
        {
            "X_hat": ("B", "N"),
            "X": lambda rng, dims, drawn: drawn["X_hat"] - _huber_residuals(rng, dims),
        },
        wrt=["X_hat"],
        constants={"delta": 1.0},
        file="e04_losses",
        slide=S001_TRAINING,
        lesson="04",
        points=3,
    ),
    gradient_task(
        "cauchy_grad",
        cauchy,
        {"Z": ("B", "L")},
        file="e06_sparsity",
        slide=S001_SPARSE,
        lesson="06",
        points=2,
        mistakes=lambda c: [
            (
                "Z",
                "d/dz log(1 + z²) = 2z / (1 + z²): the factor 2 from z² is missing",
                c["Z"] / (1 + c["Z"] ** 2) / len(c["Z"]),
            ),
            (
                "Z",
                "this is 2z, the gradient of z² alone: the chain rule through log(1 + ·) "
                "divides by 1 + z²",
                2 * c["Z"] / len(c["Z"]),
            ),
        ],
    ),
    gradient_task(
        "tied_autoencoder_backward",
        tied_autoencoder,
        {"X": ("B", "N"), "W": ("N", "L"), "b1": ("L",), "b2": ("N",)},
        wrt=["W", "b1", "b2"],
        file="e07_bottleneck",
        slide=S001_SPARSE + ", ∇_Z R̂",
        lesson="06",
        points=5,
    ),
    gradient_task(
        "kl_prior_grad",
        kl_prior,
        {"mu": ("B", "L"), "logvar": ("B", "L")},
        constants={"s": 2.0},
        file="e09_vae",
        slide=S003_VAE,
        lesson="09",
        points=3,
        mistakes=lambda c: [
            (
                "mu",
                "this is the gradient for the prior N(0, I): divide by s² for N(0, s² I)",
                c["mu"] / len(c["mu"]),
            ),
            (
                "logvar",
                "this is the gradient for the prior N(0, I): σ²/s², not σ²",
                0.5 * (numpy.exp(c["logvar"]) - 1) / len(c["mu"]),
            ),
        ],
    ),
    gradient_task(
        "gaussian_nll_grad",
        gaussian_nll,
        {"X_hat": ("B", "N"), "logvar": ("B", "N"), "X": ("B", "N")},
        wrt=["X_hat", "logvar"],
        file="e09_vae",
        slide=S003_VAE,
        lesson="09",
        points=3,
        mistakes=lambda c: [
            (
                "X_hat",
                "the residual is not divided by σ²: with a learned variance, "
                "∂/∂x̂ ½ (x - x̂)²/σ² = (x̂ - x)/σ²",
                (c["X_hat"] - c["X"]) / len(c["X"]),
            )
        ],
    ),
    gradient_task(
        "dilated_conv2d_backward",
        dilated_conv2d,
        {"x": ("B", "C", "H", "Wd"), "W": (3, "C", 2, 2)},
        constants={"dilation": 2},
        dimensions={"B": 2, "C": 2, "H": 7, "Wd": 6},
        file="e10_convolution",
        slide=S002_CONV,
        lesson="10",
        points=4,
    ),
)
