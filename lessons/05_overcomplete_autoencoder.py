# %% [markdown]
# # Lesson 05: the overcomplete trap, and two ways out
#
# Follows slides 001, "Obvious Compression via Vanilla AE": "If we set [the latent
# representation] larger or equal to the input size, we end up with an obvious solution,
# Decoder(Encoder(·)) = Identity(·) ... This is however useless since we do not compress."
# Slides 003 calls it the overcomplete autoencoder and names the cure: regularisation.
#
# We train a linear autoencoder with a 1024-number code on 784-pixel MNIST and show that
# it has learned (nearly) the identity: it reconstructs shapes it never saw with a
# relative error under 2%, and even uniform noise far better than PCA does (section 2
# prints the errors). Then the same network trained as a denoising autoencoder, and with an L1
# penalty on the code, stops copying.
#
# $$
# \hat X = X W \hat W, \qquad M = W \hat W \to I \text{ when } L \ge N
# $$
#
# **Run time** of the recorded run: about 3 minutes (2 min 47 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.

# %%
import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import load_mnist, masking_noise, shapes
from minae.teaching.lesson import setup

lesson = setup("05_overcomplete_autoencoder")
X_train, _ = load_mnist("train", download=True)  # fetched on first use (11 MB)
X_test, _ = load_mnist("test", download=True)
if lesson.quick:
    X_train, X_test = X_train[:5000], X_test[:1000]
epochs = 2 if lesson.quick else 8
rng = np.random.default_rng(0)
inputs = {
    "MNIST test digits": X_test[:2000],
    "uniform noise": minae.to_device(rng.uniform(size=(2000, 784)), np.float32),
    "shapes (never seen)": shapes(2000, rng)[0],
}

# %% [markdown]
# ## 1. Three linear models: undercomplete, overcomplete, overcomplete + regulariser
# - PCA-30, the best a 30-number linear code can do (lesson 02);
# - a linear autoencoder 784 → 1024 → 784: more code than input;
# - the same, trained as a denoising autoencoder (masking noise, ν = 0.3);
# - the same, with an L1 penalty on the code (λ = 0.05).

# %%
pca = minae.PCA(30).fit(X_train)


def overcomplete(seed, **regularisers):
    model = minae.linear_autoencoder(784, 1024, rng=seed)
    if regularisers:
        model = minae.Autoencoder(model.encoder, model.decoder, minae.MSE(), **regularisers)
    return model


models = {
    "overcomplete": (overcomplete(1), None),
    "overcomplete, denoising": (overcomplete(1), lambda X, r: masking_noise(X, r, nu=0.3)),
    "overcomplete, L1 code": (overcomplete(1, penalty=minae.L1(), lam=0.05), None),
}
for name, (model, corrupt) in models.items():
    minae.train(
        model,
        minae.Adam(model.parameters(), lr=1e-3),
        X_train,
        epochs=epochs,
        batch_size=128,
        rng=2,
        corrupt=corrupt,
        progress=lesson.progress,
    )
    print(f"trained: {name}")

reconstruct = {"PCA-30": lambda X: pca.inverse_transform(pca.transform(X)).astype(np.float32)}
reconstruct.update({name: model.reconstruct for name, (model, _) in models.items()})

# %% [markdown]
# ## 2. It copies anything: relative error ||x̂ - x||² / ||x||² by kind of input
# A code that compresses (PCA-30) reconstructs digits far better than noise, because it
# kept only what digits have in common. The overcomplete autoencoder reconstructs noise
# far better than PCA-30 does, and shapes it never saw almost as well as digits: it has
# learned to copy. Not perfectly: directions in which the training digits barely vary
# are learned slowly, and MNIST's border pixels, 0 in every training image, never; on the
# pixels that are lit in training, the copy of noise is closer still (printed below).

# %%
table = {}
print(f"{'model':26}" + "".join(f"{kind:>22}" for kind in inputs))
for name, fn in reconstruct.items():
    table[name] = [float(((fn(X) - X) ** 2).sum() / (X**2).sum()) for X in inputs.values()]
    print(f"{name:26}" + "".join(f"{v:22.3f}" for v in table[name]))

lit = (X_train > 0).mean(axis=0) > 0.01  # pixels lit in more than 1% of training images
noise = inputs["uniform noise"]
for name in ("PCA-30", "overcomplete"):
    residual = (reconstruct[name](noise) - noise)[:, lit]
    print(
        f"{name}: relative error on noise over the {int(lit.sum())} pixels lit in >1% of training "
        f"images: {float((residual**2).sum() / (noise[:, lit] ** 2).sum()):.3f}"
    )

fig, ax = plt.subplots(figsize=(7, 3.5))
positions = np.arange(len(inputs))
for k, (name, values) in enumerate(table.items()):
    ax.bar(positions + 0.2 * (k - 1.5), values, width=0.2, label=name)
ax.set_xticks(positions, list(inputs))
ax.set_ylabel("||x̂ - x||² / ||x||²")
ax.legend(fontsize=8)
ax.set_title("What each model reconstructs")
lesson.save(fig, "1_relative_error_by_input.png")

# %% [markdown]
# ## 3. In the linear case, decoder after encoder is close to I
# A linear autoencoder computes x̂ = x M + c with M = W Ŵ (784 x 784). PCA-30's M is a
# projection: 30 eigenvalues 1, the rest 0. The overcomplete autoencoder's M has most
# eigenvalues near 1: close to the identity. The exceptions belong to the pixels that
# training images never or rarely light (the border, and corners of the frame): their
# weights get little gradient, and the border pixels that are never lit account for only
# part of them. Denoising pulls them down: copying a masked pixel is now wrong, so the network
# must fill it in from its neighbours instead.

# %%
V = minae.to_host(pca.components_).astype(np.float64)  # (30, 784), orthonormal rows
maps = {"PCA-30": V.T @ V}  # x̂ = (x - mean) VᵀV + mean: M = VᵀV, (784, 30) @ (30, 784)
for name, (model, _) in models.items():
    W, W_hat = model.encoder[0].W.value, model.decoder[0].W.value  # (784, 1024), (1024, 784)
    maps[name] = minae.to_host(W @ W_hat).astype(np.float64)  # (784, 784)
spectra = {}
for name, M in maps.items():
    spectra[name] = np.sort(np.abs(np.linalg.eigvals(M)))[::-1]
    print(
        f"{name:26} ||M - I||_F / ||I||_F = "
        f"{np.linalg.norm(M - np.eye(784)) / np.sqrt(784):.3f}, "
        f"eigenvalues |λ| > 0.9: {(spectra[name] > 0.9).sum()}"
    )

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, values in spectra.items():
    ax.plot(values, label=name)
ax.set_xlabel("index (sorted)")
ax.set_ylabel("|eigenvalue| of M = W Ŵ")
ax.legend(fontsize=8)
ax.set_title("The linear map x → x̂")
lesson.save(fig, "2_spectrum_of_the_linear_map.png")

# %% [markdown]
# ## 4. Pictures: noise in, noise out
# Top row: noise and shapes. Below: each model's reconstruction.

# %%
examples = np.concatenate([inputs["uniform noise"][:4], inputs["shapes (never seen)"][:4]])
fig, axes = plt.subplots(1 + len(reconstruct), 8, figsize=(8, 1.1 * (1 + len(reconstruct))))
rows = {"input": to_host(examples)}  # (8, 784) each, on the host for matplotlib
rows.update({name: to_host(fn(examples)) for name, fn in reconstruct.items()})
for r, (name, images) in enumerate(rows.items()):
    for c in range(8):
        axes[r, c].imshow(np.clip(images[c], 0, 1).reshape(28, 28), cmap="gray", vmin=0, vmax=1)
        axes[r, c].axis("off")
    axes[r, 0].set_title(name, loc="left", fontsize=8)
fig.tight_layout()
lesson.save(fig, "3_noise_in_noise_out.png")

# %% [markdown]
# ## 5. How sparse is the L1 code? (slides 001: a 100-dimensional code, mostly zeros)
# Slides 001 pictures a 100-number code of a 100-number input, whose entries are mostly
# zero: a complete code (L = N), which the slide's own "larger or equal" rule says can
# already copy; its zeros are what stops it. Measured here on
# the test digits: the fraction of code entries that are (nearly) zero, |z| < 0.01 times
# the largest |z| of that image, for the plain overcomplete model and the L1 one, and how
# many units each image uses. The default run measures 23% of the L1 code's entries near
# zero against 4% without the penalty, a median digit using about 800 of the 1024
# units: sparser, but nowhere near slides 001's "mostly zero" code. Under Adam the L1
# subgradient makes a linear code hover around zero rather than sit on it; a larger λ,
# or a code that can be exactly zero (a ReLU code), goes further: lesson 07's section 5
# reaches a code mostly zero, with a large λ.

# %%
for name in ("overcomplete", "overcomplete, L1 code"):
    Z = minae.predict(models[name][0].encode, X_test[:2000])  # (2000, 1024)
    small = np.abs(Z) < 0.01 * np.abs(Z).max(axis=1, keepdims=True)
    print(
        f"{name:24}: {100 * small.mean():5.1f}% of the 1024 entries near zero; "
        f"a median image uses {int(np.median((~small).sum(axis=1)))} units"
    )
