# %% [markdown]
# # Lesson 03: points on a circle need a nonlinear autoencoder
#
# Follows slides 000, "Nonlinear Compression" and "Nonlinear PCA": points
# x = [sin θ, cos θ] are one number θ in disguise, but "PCA fails to compress x
# error-less into one dimension": no line holds a circle. "We can however do this by a
# nonlinear representation: we just need to know the angle θ."
#
# We show both, and then the catch the slides leave out: a *continuous* encoder from the
# circle to a line cannot be one-to-one, so somewhere it must tear the circle open. That
# seam is where the reconstruction fails.
#
# $$
# x = (\sin\theta, \cos\theta), \qquad z = f(x) \in \mathbb{R}, \qquad \hat x = g(z)
# $$
#
# **Run time** of the recorded run: under a minute (13 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.

# %%
import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import circle
from minae.teaching.lesson import setup

lesson = setup("03_nonlinear_circle")
X, theta = circle(2000, np.random.default_rng(0))

# %% [markdown]
# ## 1. PCA's best line fails
# For θ uniform on the circle each coordinate has variance 1/2, in every direction, so
# the best line keeps half the variance and loses the other half: 0.5 per point.

# %%
pca = minae.PCA(1).fit(X)
X_pca = pca.inverse_transform(pca.transform(X))
pca_error = float(((X_pca - X) ** 2).sum(axis=1).mean())
print(f"PCA-1 squared error per point: {pca_error:.3f} (theory: 0.5)")

# %% [markdown]
# ## 2. A small nonlinear autoencoder with a one-number code
# Encoder 2 → 64 → 64 → 1 and decoder 1 → 64 → 64 → 2, ReLU hidden units, a linear
# code and output, trained on ||x̂ - x||² with Adam. The same network with tanh units
# is trained beside it, from the same seed: it stalls at PCA's error, 0.5 per point
# (the run below prints both). The same error as PCA suggests the tanh network sits where
# z is, in effect, a linear projection; the lesson shows the plateau, not that reading.


# %%
def circle_autoencoder(activation):
    rng = np.random.default_rng(0)
    encoder = minae.mlp([2, 64, 64, 1], activation=activation, rng=rng)
    decoder = minae.mlp([1, 64, 64, 2], activation=activation, rng=rng)
    return minae.Autoencoder(encoder, decoder, minae.MSE())


epochs = 60 if lesson.quick else 400
model, tanh_model = circle_autoencoder("relu"), circle_autoencoder("tanh")
history, tanh_history = (
    minae.train(
        net,
        minae.Adam(net.parameters(), lr=1e-3),
        X,
        epochs=epochs,
        batch_size=64,
        rng=1,
        progress=lesson.progress,
    )
    for net in (model, tanh_model)
)
X_hat = model.reconstruct(X)
per_point = to_host(((X_hat - X) ** 2).sum(axis=1))  # (B,), on the host for NumPy and plots
tanh_error = float(((tanh_model.reconstruct(X) - X) ** 2).sum(axis=1).mean())
print(
    f"autoencoder squared error per point: {per_point.mean():.4f} "
    f"(median {np.median(per_point):.5f}), PCA-1: {pca_error:.3f}"
)
print(f"the same network with tanh units: {tanh_error:.3f} per point, PCA's answer")

# %% [markdown]
# ## 3. The code recovers θ, up to a seam
# Plot the learned code z against the true angle θ. Away from one angle, z is a
# monotonic function of θ: the network has "learned the angle". But z is continuous
# and the circle is closed, so going once around, z must come back to where it started.
# It cannot do so one-to-one: it either jumps (a seam, where neighbouring points on the
# circle get far-apart codes) or folds back (two points share a code, and the decoder can
# return only one of them). Either way the reconstruction fails near that angle.

# %%
z = to_host(model.encode(X))[:, 0]
theta = to_host(theta)
order = np.argsort(theta)
worst = theta[np.argmax(per_point)]
print(f"largest error {per_point.max():.3f} at θ = {np.degrees(worst):.0f}°")

fig, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 3.8))
left.scatter(np.degrees(theta), z, s=3)
left.set_xlabel("θ (degrees)")
left.set_ylabel("code z")
left.set_title("The learned code against θ")
middle.semilogy(np.degrees(theta[order]), per_point[order])
middle.axvline(np.degrees(worst), color="C3", ls="--", label="worst point")
middle.set_xlabel("θ (degrees)")
middle.set_ylabel("||x̂ - x||²")
middle.legend(fontsize=8)
middle.set_title("Reconstruction error around the circle")
codes = np.linspace(z.min(), z.max(), 400, dtype=X.dtype)[:, None]  # (400, 1)
curve = to_host(model.decode(minae.to_device(codes)))  # (400, 2): the code line, decoded
X_host, X_pca_host = to_host(X), to_host(X_pca)
right.plot(X_host[:, 0], X_host[:, 1], ".", ms=2, color="0.7", label="data")
right.plot(X_pca_host[:, 0], X_pca_host[:, 1], "C1-", lw=2, label="PCA-1: a line")
right.plot(curve[:, 0], curve[:, 1], "C0-", lw=2, label="decoder(z), z over its range")
right.scatter(np.sin(worst), np.cos(worst), c="C3", zorder=3, label="the seam")
right.set_aspect("equal")
right.legend(fontsize=7, loc="center")
right.set_title("What each model can output")
lesson.save(fig, "1_code_seam_and_curve.png")

fig, ax = plt.subplots(figsize=(4.5, 3.2))
ax.semilogy(range(1, epochs + 1), history.train["squared_error"], label="autoencoder, ReLU")
ax.semilogy(range(1, epochs + 1), tanh_history.train["squared_error"], label="the same, tanh")
ax.axhline(pca_error, color="C1", ls="--", label="PCA-1")
ax.set_xlabel("epoch")
ax.set_ylabel("squared error per point")
ax.legend()
lesson.save(fig, "2_training.png")
