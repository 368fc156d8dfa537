"""Finished exercise files for the tests: each stub with a solution appended (a later
``def`` replaces the stub's), and a helper that writes a student's folder with some
functions replaced by wrong ones.

The solutions are written here in NumPy, as a student writes them; they call nothing of
minae's (the grader flags a task that does), and they are not in the package: a
student who has minae installed does not have them.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from minae.exercises.tasks import STUB_FILES

SOLUTIONS = {
    "e01_pca": """


def pca(X, k):
    mean = X.mean(axis=0)
    centred = X - mean
    values, vectors = np.linalg.eigh(centred.T @ centred / (len(X) - 1))
    order = np.argsort(values)[::-1][:k]
    return mean, vectors[:, order].T, values[order]
""",
    "e02_activations": """


def sigmoid_backward(Y, dY):
    return dY * Y * (1 - Y)


def relu_backward(A, dY):
    return dY * (A > 0)


def tanh_backward(Y, dY):
    return dY * (1 - Y**2)


def softplus_backward(A, dY):
    return dY / (1 + np.exp(-A))


def elu_backward(A, alpha, dY):
    return dY * np.where(A > 0, 1.0, alpha * np.exp(A))
""",
    "e03_linear": """
def linear_backward(X, W, dY):
    return dY @ W.T, X.T @ dY, dY.sum(axis=0)
""",
    "e04_losses": """


def mse_grad(X_hat, X):
    return 2 * (X_hat - X) / len(X)


def bce_grad(X_hat, X):
    return (X_hat - X) / (X_hat * (1 - X_hat)) / len(X)


def huber_grad(X_hat, X, delta):
    return np.clip(X_hat - X, -delta, delta) / len(X)
""",
    "e05_optimizers": """


def momentum(theta, velocity, g, lr, mu):
    velocity = mu * velocity + g
    return theta - lr * velocity, velocity


def adam(theta, m, v, g, t, lr, betas=(0.9, 0.999), eps=1e-8):
    b1, b2 = betas
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g**2
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
""",
    "e06_sparsity": """


def l1_grad(Z):
    return np.sign(Z) / len(Z)


def kl_sparsity_grad(Z, rho):
    rho_hat = Z.mean(axis=0)
    return np.broadcast_to((-rho / rho_hat + (1 - rho) / (1 - rho_hat)) / len(Z), Z.shape)


def cauchy_grad(Z):
    return 2 * Z / (1 + Z**2) / len(Z)
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


def tied_autoencoder_backward(X, W, b1, b2):
    Z = sigmoid(X @ W + b1)
    X_hat = Z @ W.T + b2
    dX_hat = 2 * (X_hat - X) / len(X)
    dA = (dX_hat @ W) * Z * (1 - Z)
    return X.T @ dA + dX_hat.T @ Z, dA.sum(axis=0), dX_hat.sum(axis=0)
""",
    "e08_contractive": """


def _code(X, W, b):
    return 1 / (1 + np.exp(-(X @ W + b)))


def contractive_penalty(X, W, b):
    Z = _code(X, W, b)
    return float(((Z * (1 - Z)) ** 2 @ (W**2).sum(axis=0)).sum() / len(X))


def contractive_grad(X, W, b):
    B = len(X)
    Z = _code(X, W, b)
    s = Z * (1 - Z)
    w2 = (W**2).sum(axis=0)
    dA = 2 / B * s**2 * (1 - 2 * Z) * w2
    dW = X.T @ dA + 2 / B * W * (s**2).sum(axis=0)
    return dW, dA.sum(axis=0)
""",
    "e09_vae": """


def reparameterisation_backward(dZ, eps, logvar):
    return dZ, dZ * 0.5 * np.exp(0.5 * logvar) * eps


def gaussian_kl_grad(mu, logvar):
    B = len(mu)
    return mu / B, 0.5 * (np.exp(logvar) - 1) / B


def kl_prior_grad(mu, logvar, s):
    B = len(mu)
    return mu / s**2 / B, 0.5 * (np.exp(logvar) / s**2 - 1) / B


def gaussian_nll_grad(X_hat, logvar, X):
    B = len(X)
    r = X_hat - X
    return r * np.exp(-logvar) / B, 0.5 * (1 - r**2 * np.exp(-logvar)) / B
""",
    "e10_convolution": """


def _pad(x, p):
    return np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))


def conv2d_loops(x, W, b, stride, padding):
    B, C, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (Wd + 2 * padding - kw) // stride + 1
    xp = _pad(x, padding)
    Y = np.zeros((B, C_out, Ho, Wo))
    for n in range(B):
        for o in range(C_out):
            for i in range(Ho):
                for j in range(Wo):
                    patch = xp[n, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
                    Y[n, o, i, j] = b[o] + (W[o] * patch).sum()
    return Y


def conv2d_backward_loops(x, W, dY, stride, padding):
    B, C, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    _, _, Ho, Wo = dY.shape
    xp = _pad(x, padding)
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for n in range(B):
        for o in range(C_out):
            for i in range(Ho):
                for j in range(Wo):
                    rows = slice(i * stride, i * stride + kh)
                    cols = slice(j * stride, j * stride + kw)
                    dxp[n, :, rows, cols] += dY[n, o, i, j] * W[o]
                    dW[o] += dY[n, o, i, j] * xp[n, :, rows, cols]
    return dxp[:, :, padding : padding + H, padding : padding + Wd], dW, dY.sum(axis=(0, 2, 3))


def im2col(x, kernel, stride, padding):
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    B, C, H, Wd = x.shape
    Ho, Wo = (H + 2 * ph - kh) // sh + 1, (Wd + 2 * pw - kw) // sw + 1
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    columns = np.zeros((C * kh * kw, Ho * Wo * B))
    for i in range(Ho):
        for j in range(Wo):
            for n in range(B):
                patch = xp[n, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
                columns[:, (i * Wo + j) * B + n] = patch.ravel()
    return columns


def dilated_conv2d_backward(x, W, dilation, dY):
    _, _, kh, kw = W.shape
    _, _, Ho, Wo = dY.shape
    dx, dW = np.zeros_like(x), np.zeros_like(W)
    for u in range(kh):
        for v in range(kw):
            window = (slice(None), slice(None), slice(u * dilation, u * dilation + Ho),
                      slice(v * dilation, v * dilation + Wo))
            dW[:, :, u, v] = np.einsum("noij,ncij->oc", dY, x[window])
            dx[window] += np.einsum("noij,oc->ncij", dY, W[:, :, u, v])
    return dx, dW


def conv2d_im2col(x, W, b, stride, padding):
    B, _, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (Wd + 2 * padding - kw) // stride + 1
    X_col = im2col(x, (kh, kw), (stride, stride), (padding, padding))
    Y = W.reshape(C_out, -1) @ X_col + b[:, None]
    return Y.reshape(C_out, Ho, Wo, B).transpose(3, 0, 1, 2)


def conv2d_backward_im2col(x, W, dY, stride, padding):
    B, C, H, Wd = x.shape
    C_out, _, kh, kw = W.shape
    _, _, Ho, Wo = dY.shape
    dY_mat = dY.transpose(1, 2, 3, 0).reshape(C_out, -1)
    dW = (dY_mat @ im2col(x, (kh, kw), (stride, stride), (padding, padding)).T).reshape(W.shape)
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
        shutil.copyfile(
            resources.files("minae.exercises.stubs").joinpath(f"{stem}.py"), folder / f"{stem}.py"
        )
    return folder
