"""Finished exercise files for the tests: each stub with minae's own implementation of its
functions appended (a later ``def`` replaces the stub's), and a helper that writes a
student's folder with some functions replaced by wrong ones.

The solutions are minae's code: its layers, losses, penalties and plain reference
versions, called with the stubs' signatures.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from minae.exercises.tasks import STUB_FILES

SOLUTIONS = {
    "e01_pca": """
import minae


def pca(X, k):
    fitted = minae.PCA(k).fit(X)
    return fitted.mean_, fitted.components_, fitted.explained_variance_
""",
    "e02_activations": """
import minae


def sigmoid_backward(Y, dY):
    return dY * minae.Sigmoid().grad_from_output(Y)


def relu_backward(A, dY):
    return dY * minae.ReLU().grad(A)


def tanh_backward(Y, dY):
    return dY * minae.Tanh().grad_from_output(Y)
""",
    "e03_linear": """
def linear_backward(X, W, dY):
    return dY @ W.T, X.T @ dY, dY.sum(axis=0)
""",
    "e04_losses": """
import minae


def mse_grad(X_hat, X):
    return minae.MSE().grad(X_hat, X)


def bce_grad(X_hat, X):
    return minae.BCE().grad(X_hat, X)
""",
    "e05_optimizers": """
from minae.reference import optimizers


def momentum(theta, velocity, g, lr, mu):
    return optimizers.momentum(theta, velocity, g, lr, mu)


def adam(theta, m, v, g, t, lr, betas=(0.9, 0.999), eps=1e-8):
    return optimizers.adam(theta, m, v, g, t, lr, betas, eps)
""",
    "e06_sparsity": """
import minae


def l1_grad(Z):
    return minae.L1().grad(Z)


def kl_sparsity_grad(Z, rho):
    return minae.KLSparsity(rho).grad(Z)
""",
    "e07_bottleneck": """
from e02_activations import sigmoid_backward
from e03_linear import linear_backward
from e04_losses import mse_grad
from e06_sparsity import l1_grad


def sparse_autoencoder_backward(X, W1, b1, W2, b2, lam):
    Z = sigmoid(X @ W1 + b1)
    X_hat = sigmoid(Z @ W2 + b2)
    dA2 = sigmoid_backward(X_hat, mse_grad(X_hat, X))
    dZ_decoder, dW2, db2 = linear_backward(Z, W2, dA2)
    dZ_penalty = lam * l1_grad(Z)
    dA1 = sigmoid_backward(Z, dZ_decoder + dZ_penalty)
    _, dW1, db1 = linear_backward(X, W1, dA1)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "dZ_decoder": dZ_decoder,
            "dZ_penalty": dZ_penalty}
""",
    "e08_contractive": """
import minae


def _encoder(W, b):
    linear = minae.Linear(*W.shape, rng=0, dtype="float64")
    linear.W.value, linear.b.value = W, b
    encoder = minae.Sequential(linear, minae.Sigmoid())
    return encoder, linear, minae.penalties.Contractive(encoder)


def contractive_penalty(X, W, b):
    encoder, _, penalty = _encoder(W, b)
    return penalty.value(encoder.forward(X))


def contractive_grad(X, W, b):
    encoder, linear, penalty = _encoder(W, b)
    Z = encoder.forward(X)
    encoder.backward(penalty.grad(Z))
    penalty.accumulate_parameter_grad(Z, 1.0)
    return linear.W.grad, linear.b.grad
""",
    "e09_vae": """
from minae.models.vae import gaussian_kl_grad, reparameterisation_backward
""",
    "e10_convolution": """
from minae.reference import convolution as plain


def conv2d_loops(x, W, b, stride, padding):
    return plain.conv2d(x, W, b, (stride, stride), (padding, padding))


def conv2d_backward_loops(x, W, dY, stride, padding):
    return plain.conv2d_backward(x, W, dY, (stride, stride), (padding, padding))


def im2col(x, kh, kw, stride, padding):
    return plain.im2col(x, kh, kw, stride, stride, padding, padding)


def conv2d_im2col(x, W, b, stride, padding):
    B, _, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (Wd + 2 * padding - kw) // stride + 1
    Y = W.reshape(C_out, -1) @ im2col(x, kh, kw, stride, padding) + b[:, None]
    return Y.reshape(C_out, Ho, Wo, B).transpose(3, 0, 1, 2)


def conv2d_backward_im2col(x, W, dY, stride, padding):
    B, C, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    _, _, Ho, Wo = dY.shape
    dY_mat = dY.transpose(1, 2, 3, 0).reshape(C_out, -1)
    dW = (dY_mat @ im2col(x, kh, kw, stride, padding).T).reshape(W.shape)
    patches = (W.reshape(C_out, -1).T @ dY_mat).reshape(C, kh, kw, Ho, Wo, B)
    dxp = np.zeros((B, C, H + 2 * padding, Wd + 2 * padding))
    for i in range(Ho):
        for j in range(Wo):
            rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
            dxp[:, :, rows, cols] += patches[:, :, :, i, j, :].transpose(3, 0, 1, 2)
    return dxp[:, :, padding : padding + H, padding : padding + Wd], dW, dY_mat.sum(axis=1)


def conv_transpose2d(x, W, stride, padding):
    B, _, h, w = x.shape
    _, C_in, kh, kw = W.shape
    Ho, Wo = (h - 1) * stride - 2 * padding + kh, (w - 1) * stride - 2 * padding + kw
    dx, _, _ = conv2d_backward_loops(np.zeros((B, C_in, Ho, Wo)), W, x, stride, padding)
    return dx
""",
    "e11_train": "",
}


def stub_text(stem: str) -> str:
    return (
        resources.files("minae.exercises.stubs").joinpath(f"{stem}.py").read_text(encoding="utf-8")
    )


def write_solutions(folder: Path, replace: dict | None = None) -> Path:
    """A student's folder with every exercise solved, then ``replace`` (stem -> code
    appended after the solution, so its defs win) applied."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem in STUB_FILES:
        text = stub_text(stem) + SOLUTIONS[stem] + (replace or {}).get(stem, "")
        (folder / f"{stem}.py").write_text(text, encoding="utf-8")
    return folder


def write_stubs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem in STUB_FILES:
        shutil.copyfile(resources.files("minae.exercises.stubs").joinpath(f"{stem}.py"),
                        folder / f"{stem}.py")  # fmt: skip
    return folder
