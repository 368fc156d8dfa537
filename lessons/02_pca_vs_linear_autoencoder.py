# %% [markdown]
# # Lesson 02: closed-form PCA and a linear autoencoder find the same subspace
#
# Follows slides 000, "PCA: Minimum Error Formulation" and the NN that "describes more
# generic PCA setting" (N inputs, L latent variables, trained on R̂ = L(x, x̂)), and
# slides 002's "PCA is linear: x̃ = V Vᵀ x". Two notes on that formula. Slides 002's x̃ is the
# *reconstruction*; from lesson 07 on, following slides 003, X̃ is the *corrupted input* of
# a denoising autoencoder, and these lessons write the reconstruction x̂ throughout. And
# x̃ = V Vᵀ x holds for centred data: PCA subtracts the mean first, x̂ = x̄ + V Vᵀ (x − x̄),
# which is what minae computes (below).
#
# Baldi & Hornik (1989): the squared error of a linear autoencoder has a unique minimum
# value, reached when the decoder spans the top-L principal subspace; the weights
# themselves are fixed only up to an invertible L x L map. We check both halves on MNIST:
# the errors match, and the principal angles between the two subspaces are near zero.
#
# Numbers to reproduce: PCA-30 fitted on the 60,000 training images has an average squared
# error of 13.87 per test image (pixels in [0, 1], summed over 784 pixels), the figure of
# Hinton & Salakhutdinov (2006), Science 313:504, Fig. 2B caption.
#
# $$
# \hat x = \bar x + V V^\top (x - \bar x), \qquad V \in \mathbb{R}^{N \times L} \text{ the leading
# eigenvectors of the covariance}
# $$
#
# **Run time** of the recorded run: under a minute (58 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import load_mnist
from minae.teaching.lesson import setup

lesson = setup("02_pca_vs_linear_autoencoder")
X_train, _ = load_mnist("train", download=True)  # fetched on first use (11 MB)
X_test, _ = load_mnist("test", download=True)
if lesson.quick:
    X_train, X_test = X_train[:5000], X_test[:1000]
print(f"{len(X_train)} training and {len(X_test)} test images, {X_train.dtype}")


def squared_error(X_hat, X):
    """||x̂ - x||² summed over pixels, averaged over images (minae's reported error)."""
    return float(((X_hat - X) ** 2).sum(axis=1).mean())


# %% [markdown]
# ## 1. PCA in closed form
# `minae.PCA` takes the L leading eigenvectors of the training covariance (the "eigh"
# route: 784 x 784, much cheaper than an SVD of the 60000 x 784 data, same subspace).
# Code: z = Vᵀ(x - mean); reconstruction: x̂ = V z + mean.

# %%
ks = [2, 10, 30, 50]
pcas, pca_error = {}, {}
for k in ks:
    start = time.perf_counter()
    pcas[k] = minae.PCA(k).fit(X_train)
    X_hat = pcas[k].inverse_transform(pcas[k].transform(X_test))
    pca_error[k] = squared_error(X_hat, X_test.astype(np.float64))
    print(
        f"PCA-{k:<2}: {pca_error[k]:6.2f} per test image  (fit {time.perf_counter() - start:.1f} s)"
    )
print("Hinton & Salakhutdinov (2006) report 13.87 for PCA-30.")

# %% [markdown]
# ## 2. The same problem, trained: a linear autoencoder
# Encoder z = x W + b, decoder x̂ = z Ŵ + b̂, no activations, loss ||x̂ - x||² per
# image: slides 000's network, trained by minibatch Adam with minae's hand-written
# backward. Twenty epochs at a step of 1e-3, then ten at 1e-4 to settle.

# %%
epochs = (3, 2) if lesson.quick else (20, 10)
autoencoders, ae_error, ae_seconds = {}, {}, {}
for k in ks:
    model = minae.linear_autoencoder(784, k, rng=np.random.default_rng(k))
    optimizer = minae.Adam(model.parameters(), lr=1e-3)
    start = time.perf_counter()
    minae.train(
        model, optimizer, X_train, epochs=epochs[0], batch_size=256, rng=1, progress=lesson.progress
    )
    optimizer.lr = 1e-4
    minae.train(
        model, optimizer, X_train, epochs=epochs[1], batch_size=256, rng=2, progress=lesson.progress
    )
    ae_seconds[k] = time.perf_counter() - start
    autoencoders[k] = model
    ae_error[k] = minae.evaluate(model, X_test)["squared_error"]
    gap = 100 * (ae_error[k] / pca_error[k] - 1)
    print(
        f"linear AE-{k:<2}: {ae_error[k]:6.2f} per test image, {gap:+.2f}% from PCA "
        f"({ae_seconds[k]:.0f} s)"
    )

fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(ks, [pca_error[k] for k in ks], "o-", label="PCA (closed form)")
ax.plot(ks, [ae_error[k] for k in ks], "x--", ms=9, label="linear autoencoder (Adam)")
ax.scatter([30], [13.87], marker="*", s=150, c="C3", zorder=3, label="paper: PCA-30 = 13.87")
ax.set_xlabel("code size L")
ax.set_ylabel("squared error per test image")
ax.legend()
ax.set_title("Same error, two routes")
lesson.save(fig, "1_error_per_image.png")

# %% [markdown]
# ## 3. The same subspace
# The decoder's rows span the autoencoder's L-dimensional image space. The principal
# angles between that span and PCA's (`minae.subspace_angles`) are all near 0. The
# largest can be a few degrees: eigenvalues 30 and 31 differ by only about 5%, so the
# error barely changes when the subspace tilts between those two directions.

# %%
W_hat = to_host(autoencoders[30].decoder[0].W.value).astype(np.float64)  # (30, 784)
V = to_host(pcas[30].components_)  # (30, 784), orthonormal rows
angles = np.degrees(to_host(minae.subspace_angles(W_hat.T, V.T)))
print(
    f"principal angles, PCA-30 vs linear AE-30: median {np.median(angles):.2f}°, "
    f"max {angles.max():.2f}°"
)
eigen = to_host(minae.PCA(31).fit(X_train).explained_variance_)
print(
    f"eigenvalues 30 and 31: {eigen[29]:.4f}, {eigen[30]:.4f} "
    f"({100 * (1 - eigen[30] / eigen[29]):.1f}% apart)"
)

fig, ax = plt.subplots(figsize=(5, 3))
ax.bar(range(1, 31), angles)
ax.set_xlabel("principal angle (ascending)")
ax.set_ylabel("degrees")
ax.set_title("PCA-30 and linear AE-30: angles between subspaces")
lesson.save(fig, "2_principal_angles.png")

# %% [markdown]
# ## 4. The components as pictures
# Top: PCA's first ten components. Middle: each of them projected onto the autoencoder's
# subspace: the same pictures, since the subspace is the same. Bottom: the decoder's
# rows as they are: a mixed basis of that subspace (the invertible map of Baldi & Hornik),
# which is why a linear autoencoder's weights do not look like PCA's components.

# %%
Q, _ = np.linalg.qr(W_hat.T)  # (784, 30): orthonormal basis of the AE's subspace
projected = (V[:10] @ Q) @ Q.T  # (10, 784) -> (10, 30) -> (10, 784)
rows = {"PCA components": V[:10], "projected on AE": projected, "AE decoder rows": W_hat[:10]}
fig, axes = plt.subplots(3, 10, figsize=(12, 4))
for r, (title, images) in enumerate(rows.items()):
    for c in range(10):
        image = images[c].reshape(28, 28)
        limit = np.abs(image).max()
        axes[r, c].imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[r, c].axis("off")
    axes[r, 0].set_title(title, loc="left", fontsize=9)
lesson.save(fig, "3_components.png")

# %% [markdown]
# Next: lesson 03, where no line (or subspace) is good enough and the autoencoder must
# be nonlinear.
