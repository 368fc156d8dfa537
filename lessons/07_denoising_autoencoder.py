# %% [markdown]
# # Lesson 07: the denoising autoencoder, X̃ in, X out
#
# Follows slides 001, "Using AE for Noise Removal" and "Training Denoising AEs", and seed
# 003's L(x, x̂) = ||x - g(f(x̃))||²: for each training image we make a degraded copy X̃,
# give X̃ to the encoder, and score the output against the clean X (X̃ is slides 003's
# corrupted input; slides 002 uses x̃ for a reconstruction, see lesson 02). Slides 002's
# denoising slides show images (slides 004 names denoising among the uses); MNIST here.
#
# Three corruptions (minae.datasets): additive Gaussian noise clipped to [0, 1];
# masking noise, zeroing a fraction ν of the pixels (Vincent et al. 2008); and
# salt-and-pepper noise. For each, one denoising autoencoder is trained, and compared
# with a vanilla autoencoder (trained on clean images) that is fed the same noisy input.
#
# $$
# \hat R = \frac{1}{B} \sum_b L\big(g(f(\tilde x_b)), x_b\big), \qquad \tilde x_b \text{ a
# corrupted copy of } x_b
# $$
#
# **Run time** of the recorded run: about 6 minutes (6 min 21 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.

# %%
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import gaussian_noise, load_mnist, masking_noise, salt_and_pepper
from minae.teaching.lesson import setup

lesson = setup("07_denoising_autoencoder")
X_train, _ = load_mnist("train", download=True)  # fetched on first use (11 MB)
X_test, _ = load_mnist("test", download=True)
if lesson.quick:
    X_train, X_test = X_train[:5000], X_test[:1000]
epochs = 2 if lesson.quick else 10

corruptions = {
    "Gaussian, σ = 0.4": partial(gaussian_noise, sigma=0.4),
    "masking, ν = 0.5": partial(masking_noise, nu=0.5),
    "salt and pepper, 30%": partial(salt_and_pepper, fraction=0.3),
}


def autoencoder(seed, output_activation="identity", loss=None, **penalties):
    """784-512-128-512-784, ReLU; by default logits out, trained on BCE from logits."""
    rng = np.random.default_rng(seed)
    widths = [784, 512, 128]
    return minae.Autoencoder(
        minae.mlp(widths, activation="relu", output_activation="relu", rng=rng),
        minae.mlp(widths[::-1], activation="relu", output_activation=output_activation, rng=rng),
        minae.BCEWithLogits() if loss is None else loss,
        **penalties,
    )


def squared_error(X_hat, X):
    return float(((X_hat - X) ** 2).sum(axis=1).mean())


# %% [markdown]
# ## 1. Training: the corruption is applied to each batch's input only
# `minae.train(..., corrupt=...)` draws a fresh X̃ for every batch (a new noise sample
# each epoch) and keeps the clean batch as the target. The architecture is the same
# for all four models: 784-512-128-512-784, ReLU, a sigmoid output trained on binary
# cross-entropy from logits.
#
# **Not the slide's loss.** Slides 003 writes L = ||x - g(f(x̃))||², the squared error;
# these models train on the binary cross-entropy instead, -Σ_j [x_j log x̂_j +
# (1 - x_j) log(1 - x̂_j)] with x̂ = σ(logits), the usual choice for pixels in [0, 1]
# (Vincent et al. 2008 used it for such inputs): its gradient at the logits is
# x̂ - x, which does not vanish when a sigmoid saturates, so training starts faster.
# Either loss is minimised by x̂ = x; every table below reports the slide's squared
# error ||x̂ - x||² per image, whatever the loss trained on. Section 4 trains one model
# on the slide's squared error and compares.

# %%
vanilla = autoencoder(0)
minae.train(
    vanilla,
    minae.Adam(vanilla.parameters()),
    X_train,
    epochs=epochs,
    batch_size=128,
    rng=1,
    progress=lesson.progress,
)
denoisers = {}
for i, (name, corrupt) in enumerate(corruptions.items()):
    denoisers[name] = autoencoder(10 + i)
    minae.train(
        denoisers[name],
        minae.Adam(denoisers[name].parameters()),
        X_train,
        epochs=epochs,
        batch_size=128,
        rng=2 + i,
        corrupt=corrupt,
        progress=lesson.progress,
    )
    print(f"trained the denoising autoencoder for {name}")

# %% [markdown]
# ## 2. The error table
# Squared error per test image against the clean X, for: the noisy input itself, the
# vanilla autoencoder fed X̃, and the denoising autoencoder fed X̃. The test noise is
# drawn from a seed the training never used.

# %%
rows, noisy_sets = [], {}
print(f"{'corruption':22} {'noisy input':>12} {'vanilla AE':>11} {'denoising AE':>13}")
for name, corrupt in corruptions.items():
    X_noisy = corrupt(X_test, np.random.default_rng(1234))
    noisy_sets[name] = X_noisy
    errors = (
        squared_error(X_noisy, X_test),
        squared_error(vanilla.reconstruct(X_noisy), X_test),
        squared_error(denoisers[name].reconstruct(X_noisy), X_test),
    )
    rows.append(errors)
    print(f"{name:22} {errors[0]:12.2f} {errors[1]:11.2f} {errors[2]:13.2f}")
print(
    f"(the vanilla autoencoder on clean test images: "
    f"{squared_error(vanilla.reconstruct(X_test), X_test):.2f})"
)

# %% [markdown]
# ## 3. Noisy input, outputs and clean image, side by side

# %%
fig, axes = plt.subplots(len(corruptions) * 4, 8, figsize=(8, 4.4 * len(corruptions)))
for block, name in enumerate(corruptions):
    images = {
        "X̃ (noisy input)": noisy_sets[name][:8],
        "vanilla AE(X̃)": vanilla.reconstruct(noisy_sets[name][:8]),
        "denoising AE(X̃)": denoisers[name].reconstruct(noisy_sets[name][:8]),
        "X (clean)": X_test[:8],
    }
    for r, (label, batch) in enumerate(images.items()):
        row = 4 * block + r
        for c in range(8):
            axes[row, c].imshow(to_host(batch[c]).reshape(28, 28), cmap="gray", vmin=0, vmax=1)
            axes[row, c].axis("off")
        axes[row, 0].set_title(f"{name}: {label}" if r == 0 else label, loc="left", fontsize=8)
fig.tight_layout()
lesson.save(fig, "1_denoising_side_by_side.png")

fig, ax = plt.subplots(figsize=(6, 3.5))
positions = np.arange(len(corruptions))
for k, label in enumerate(["noisy input", "vanilla AE(X̃)", "denoising AE(X̃)"]):
    ax.bar(positions + 0.27 * (k - 1), [r[k] for r in rows], width=0.27, label=label)
ax.set_xticks(positions, list(corruptions), fontsize=8)
ax.set_ylabel("squared error per test image vs clean X")
ax.legend()
lesson.save(fig, "2_error_table.png")

# %% [markdown]
# ## 4. The slide's loss: ||x - g(f(x̃))||²
# The same network and masking noise, trained on slides 003's squared error (`MSE`, with a
# sigmoid output so that x̂ stays in [0, 1]), against the binary cross-entropy model
# above. Both are scored by the squared error on the same noisy test images.


# %%
masking = "masking, ν = 0.5"
# the seed the masking denoiser above drew from; a sigmoid output for the squared error
slide_model = autoencoder(11, output_activation="sigmoid", loss=minae.MSE())
minae.train(
    slide_model,
    minae.Adam(slide_model.parameters()),
    X_train,
    epochs=epochs,
    batch_size=128,
    rng=3,
    corrupt=corruptions[masking],
    progress=lesson.progress,
)
contenders = {"trained on BCE": denoisers[masking], "trained on ||x - x̂||²": slide_model}
for label, model in contenders.items():
    error = squared_error(model.reconstruct(noisy_sets[masking]), X_test)
    print(f"{masking}, denoising AE {label:24}: {error:6.2f} per test image")

# %% [markdown]
# ## 5. Denoising and sparsity together (slides 001)
# Slides 001 combines the two: R̂ = L(X̂, X) + λ S(Z) with X̃ as the input. The masking
# denoiser of section 1 again, now with an L1 penalty on its 128-number ReLU code, at
# λ = 1e-3 and at a hundred times that. The table says how many code entries each model sets
# exactly to zero (as ReLU units can, without any penalty), and what the penalty costs
# in reconstruction error: slides 001's "mostly zeros" code is a matter of λ, bought with
# error.

# %%
sparse_denoisers = {}
for lam in (1e-3, 1e-1):
    sparse_denoisers[f"+ L1, λ = {lam:g}"] = model = autoencoder(11, penalty=minae.L1(), lam=lam)
    minae.train(
        model,
        minae.Adam(model.parameters()),
        X_train,
        epochs=epochs,
        batch_size=128,
        rng=3,
        corrupt=corruptions[masking],
        progress=lesson.progress,
    )
for label, model in (("denoising AE", denoisers[masking]), *sparse_denoisers.items()):
    Z = minae.predict(model.encode, noisy_sets[masking])  # (B, 128)
    error = squared_error(model.reconstruct(noisy_sets[masking]), X_test)
    print(
        f"{masking}, {label:17}: squared error {error:6.2f}, "
        f"{100 * float((Z == 0).mean()):4.1f}% of the code exactly zero"
    )
