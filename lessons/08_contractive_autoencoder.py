# %% [markdown]
# # Lesson 08: the contractive autoencoder, a code that resists small input changes
#
# Follows slides 003, "Contractive Autoencoder": "adds a regularization term to the loss
# function to encourage the latent space to be robust to small changes in the input",
#
# $$
# L_{\text{contractive}} = \lambda \lVert \nabla_x f(x) \rVert_F^2,
# $$
#
# the squared Frobenius norm of the encoder's Jacobian J_f(x) = ∂z/∂x. For a sigmoid
# encoder z = σ(x W + b) it has a closed form (Rifai et al. 2011). Derived: z_j = σ(a_j)
# with a_j = Σ_i x_i W_ij + b_j, so by the chain rule ∂z_j/∂x_i = σ'(a_j) ∂a_j/∂x_i
# = z_j (1 - z_j) W_ij, and squaring and summing over every (i, j),
# ||J_f(x)||_F² = Σ_j Σ_i (z_j (1 - z_j) W_ij)² = Σ_j (z_j (1 - z_j))² Σ_i W_ij²: the
# Jacobian is diag(z ∘ (1 - z)) Wᵀ (∘ elementwise). minae writes its gradient by hand
# (minae/penalties/contractive.py, checked in tests/test_contractive.py).
#
# We measure the effect: how far the code moves when the input moves a little, for a
# vanilla autoencoder and for contractive ones.
#
# **Run time** of the recorded run: under a minute (33 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.

# %%
import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import load_mnist
from minae.teaching.lesson import setup

lesson = setup("08_contractive_autoencoder")
X_train, _ = load_mnist("train", download=True)  # fetched on first use (11 MB)
X_test, _ = load_mnist("test", download=True)
if lesson.quick:
    X_train, X_test = X_train[:5000], X_test[:1000]
epochs = 1 if lesson.quick else 5
X_probe = X_test[:1000]

# %% [markdown]
# ## 1. Three models with the same layers
# Encoder 784 → 128 sigmoid units, a linear decoder back to 784 with a sigmoid output
# (binary cross-entropy from logits). Contraction weight λ = 0 (vanilla), 0.1 and 1.

# %%
models = {}
for lam in (0.0, 0.1, 1.0):
    rng = np.random.default_rng(0)
    encoder = minae.Sequential(minae.Linear(784, 128, rng=rng), minae.Sigmoid())
    decoder = minae.mlp([128, 784], activation="identity", rng=rng)
    model = minae.ContractiveAutoencoder(encoder, decoder, minae.BCEWithLogits(), lam=lam)
    minae.train(
        model,
        minae.Adam(model.parameters()),
        X_train,
        epochs=epochs,
        batch_size=128,
        rng=1,
        progress=lesson.progress,
    )
    models["vanilla" if lam == 0 else f"contractive, λ = {lam}"] = model

print(f"{'model':22} {'squared error':>14} {'mean ||J_f(x)||_F':>18}")
for name, model in models.items():
    error = minae.evaluate(model, X_test)["squared_error"]
    print(f"{name:22} {error:14.2f} {float(model.jacobian_norm(X_probe).mean()):18.3f}")

# %% [markdown]
# ## 2. Sensitivity to small perturbations, measured
# Move each test input by a small δ and see how far the code moves: ||f(x + δ) - f(x)|| / ||δ||.
# Two kinds of δ, both of length 0.5, small beside an image's own length:
# - random directions, δ ~ N(0, I) rescaled: almost all of them point off the digits;
# - towards another test digit, δ ∝ x' - x: a direction the data itself varies in.
# The contractive penalty shrinks the code's response in random directions most: it
# keeps sensitivity only where the data needs it, as Rifai et al. argue.

# %%
rng = np.random.default_rng(2)


def sensitivity(model, direction):
    delta = 0.5 * direction / np.linalg.norm(direction, axis=1, keepdims=True)
    moved = model.encode(X_probe + delta) - model.encode(X_probe)
    return float((np.linalg.norm(moved, axis=1) / 0.5).mean())


random_direction = minae.to_device(rng.standard_normal(X_probe.shape), X_probe.dtype)
data_direction = np.roll(X_probe, 1, axis=0) - X_probe  # towards the next test digit
table = {
    name: (sensitivity(m, random_direction), sensitivity(m, data_direction))
    for name, m in models.items()
}
print(f"{'model':22} {'random δ':>10} {'towards a digit':>16} {'ratio':>7}")
for name, (off, on) in table.items():
    print(f"{name:22} {off:10.3f} {on:16.3f} {on / off:7.1f}")

fig, ax = plt.subplots(figsize=(6, 3.5))
positions = np.arange(len(table))
ax.bar(positions - 0.2, [v[0] for v in table.values()], width=0.4, label="random δ")
ax.bar(positions + 0.2, [v[1] for v in table.values()], width=0.4, label="δ towards a digit")
ax.set_xticks(positions, list(table), fontsize=8)
ax.set_ylabel("||f(x + δ) - f(x)|| / ||δ||")
ax.legend()
ax.set_title("How far the code moves per unit of input change")
lesson.save(fig, "1_sensitivity.png")

# %% [markdown]
# ## 3. The spectrum of the Jacobian
# J_f(x) = diag(z ∘ (1 - z)) Wᵀ is 128 x 784; its singular values say how much the code
# stretches each input direction. Averaged over test images, the contractive encoders'
# singular values are smaller and fall off sooner: fewer directions move the code by 0.1
# or more per unit of input change (each encoder's count is printed), so the code follows
# fewer input directions and ignores the rest.
#
# Two hundred SVDs of 128 x 784 matrices are many small LAPACK calls, slow with several
# BLAS threads (and far slower beside a busy process: `benchmarks/blas_threads.py`).
# The same singular values come from the 128 x 128 Gram matrices
# J Jᵀ = D (Wᵀ W) D, D = diag(z ∘ (1 - z)): σ_i(J) = √λ_i(J Jᵀ), all 200 in one batched
# `eigvalsh`, about ten times faster. The cell checks the two routes agree.


# %%
def jacobian_spectra(W, Z):
    """Singular values of J_f(x) = diag(z ∘ (1 - z)) Wᵀ for every code z, descending."""
    D = Z * (1 - Z)  # (B, 128): the diagonals
    gram = D[:, :, None] * (W.T @ W) * D[:, None, :]  # (B, 128, 128): J Jᵀ
    eigenvalues = np.linalg.eigvalsh(gram)[:, ::-1]  # (B, 128), descending
    return np.sqrt(np.clip(eigenvalues, 0, None))


fig, ax = plt.subplots(figsize=(6, 3.5))
for name, model in models.items():
    W = to_host(model.encoder[0].W.value).astype(np.float64)  # (784, 128), on the host
    Z = to_host(model.encode(X_probe[:200])).astype(np.float64)  # (200, 128)
    spectra = jacobian_spectra(W, Z)  # (200, 128)
    J = (Z[:3] * (1 - Z[:3]))[:, :, None] * W.T  # (3, 128, 784): three Jacobians
    by_svd = np.linalg.svd(J, compute_uv=False)  # (3, 128)
    gap = np.abs(spectra[:3] - by_svd).max() / by_svd.max()
    print(
        f"{name}: Gram route vs SVD on 3 images, largest difference {gap:.1e} of σ_max; "
        f"{int((spectra.mean(axis=0) >= 0.1).sum())} mean singular values ≥ 0.1"
    )
    ax.semilogy(spectra.mean(axis=0), label=name)
ax.set_xlabel("singular value index")
ax.set_ylabel("singular value of J_f(x)")
ax.legend()
ax.set_title("Jacobian spectrum, averaged over 200 test images")
lesson.save(fig, "2_jacobian_spectrum.png")

# %% [markdown]
# ## 4. The filters
# Columns of W: what each code unit looks at.

# %%
fig, axes = plt.subplots(len(models), 10, figsize=(10, 1.1 * len(models)))
for r, (name, model) in enumerate(models.items()):
    W = to_host(model.encoder[0].W.value)  # (784, 128), for matplotlib
    for c in range(10):
        limit = float(np.abs(W[:, c]).max())
        axes[r, c].imshow(W[:, c].reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[r, c].axis("off")
    axes[r, 0].set_title(name, loc="left", fontsize=8)
lesson.save(fig, "3_filters.png")
