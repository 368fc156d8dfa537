# %% [markdown]
# # Lesson 14: designing an autoencoder — shapes, depth and width, code size, regularisers
#
# Follows slides 004's design slides ("DUL: Autoencoders"): the shapes of a small network
# written out layer by layer; "depth and width" trade-offs; the size of the latent code
# (too small loses information, too large learns little); a decoder that need not mirror
# the encoder ("symmetry is optional"); regularisation by "dropout, weight decay (L1/L2),
# sparsity"; and encoders "using layers such as Dense, Convolutional, or Recurrent".
# minae has dense and convolutional layers (lesson 10) and **no recurrent layer**: its
# lessons' data are images, which dense and convolutional layers serve; sequences (text,
# audio, time series) are where a recurrent encoder belongs, and minae has none of them.
#
# Every comparison trains small dense autoencoders on MNIST with Adam, scored by the
# squared error per test image ||x̂ - x||² (what lessons 02 and 04 report).
#
# The default run trains 10 models on 20,000 images for 10 epochs and 5 on 2,000 images
# for 60. `--quick` (what the test suite runs) takes seconds on 2,000 images and 2 epochs,
# and its numbers do not bear out the text.
# $$
# z = x W_{\text{minae}} + b = W_{\text{slide}}\, x + b, \qquad W_{\text{minae}} =
# W_{\text{slide}}^\top \in \mathbb{R}^{784 \times 100}
# $$
#
# **Run time** of the recorded run: about 2 minutes (2 min 29 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import load_mnist
from minae.teaching.lesson import compare, setup

lesson = setup("14_designing_an_autoencoder")
X_train, _ = load_mnist("train", download=True)  # fetched on first use (11 MB)
X_test, _ = load_mnist("test", download=True)
n_train = 2000 if lesson.quick else 20000
X_train, X_test = X_train[:n_train], X_test[: 500 if lesson.quick else 5000]
epochs = 2 if lesson.quick else 10


def autoencoder(encoder_widths, decoder_widths, seed=0, **penalties):
    """ReLU hidden layers, a linear code, a sigmoid output trained on BCE from logits."""
    rng = np.random.default_rng(seed)
    encoder = minae.mlp(
        encoder_widths, activation="relu", output_activation="identity", init="he", rng=rng
    )
    decoder = minae.mlp(
        decoder_widths, activation="relu", output_activation="identity", init="he", rng=rng
    )
    return minae.Autoencoder(encoder, decoder, minae.BCEWithLogits(), **penalties)


def parameter_count(model):
    return sum(p.value.size for p in model.parameters())


def squared_error(model, X):
    X_hat = minae.predict(model.reconstruct, X, batch_size=1000)  # on the host, batch by batch
    return float(((X_hat - to_host(X)) ** 2).sum(axis=1).mean())


def fit(model, X=None, epochs=epochs, seed=1):
    """Adam at 1e-3, batch 128; returns (train error, test error, seconds)."""
    X = X_train if X is None else X
    start = time.perf_counter()
    minae.train(
        model,
        minae.Adam(model.parameters(), lr=1e-3),
        X,
        epochs=epochs,
        batch_size=128,
        rng=seed,
        progress=lesson.progress,
    )
    seconds = time.perf_counter() - start
    return squared_error(model, X), squared_error(model, X_test), seconds


# %% [markdown]
# ## 1. The shapes, written out (slides 004)
# The slide's network is 784 → 100 → 10 → 100 → 784, in the column form of linear
# algebra: z¹ = W x + b with s(W) = (100 × 784) and b (100 × 1), then the code, then the
# decoder's U¹, d¹ and U², d². minae, like the deep-learning libraries, writes each
# example as a row: z = xᵀW + b with W (784 × 100), so every W here is the slide's
# transposed. Same map, same numbers:

# %%
shapes_model = autoencoder([784, 100, 10], [10, 100, 784])
names = ["W, b", "W², b²", "U¹, d¹", "U², d²"]
linears = [
    layer
    for part in (shapes_model.encoder, shapes_model.decoder)
    for layer in part.layers
    if isinstance(layer, minae.Linear)
]
print(f"{'layer':8} {'minae (row form)':>22} {'slide (column form)':>24}")
for name, layer in zip(names, linears, strict=True):
    n_in, n_out = layer.W.shape
    print(
        f"{name:8} W {layer.W.shape!s:>10}, b {layer.b.shape!s:>7}"
        f"   W {(n_out, n_in)!s:>10}, b {(n_out, 1)!s:>8}"
    )
print(f"parameters: {parameter_count(shapes_model):,}")
x = X_test[:1]  # one example, (1, 784)
first = linears[0]
row_form = x @ first.W.value + first.b.value  # xᵀW + b: (1, 784) @ (784, 100)
column_form = first.W.value.T @ x.T + first.b.value[:, None]  # W x + b: (100, 784) @ (784, 1)
assert compare("row form vs column form", row_form, column_form.T)

# %% [markdown]
# The slides draw such a network as an hourglass: a bar per layer, as tall as its width,
# and between two bars the weight matrix that maps one to the next. Drawn from the model
# itself (the Linear layers' shapes), so the figure cannot disagree with the code. Each
# band is labelled as the slide sizes it, s(W) = out×in (W₁ is 100×784, z = W₁x): minae
# stores the transpose, `W.shape` = (in, out), and the labels turn it round.


# %%
def draw_hourglass(ax, linears, n_encoder):
    """One bar per layer width (height ∝ √width) and a band per weight matrix, labelled
    with the slide's s(W) = out×in."""
    widths = [linears[0].W.shape[0]] + [layer.W.shape[1] for layer in linears]
    heights = np.sqrt(widths)
    for i, layer in enumerate(linears):
        colour = "C0" if i < n_encoder else "C1"
        ax.fill(
            [i, i + 1, i + 1, i],
            [-heights[i] / 2, -heights[i + 1] / 2, heights[i + 1] / 2, heights[i] / 2],
            color=colour,
            alpha=0.25,
        )
        n_in, n_out = layer.W.shape  # minae's row form; the slide's s(W) is n_out × n_in
        ax.text(i + 0.5, 0, f"W{i + 1}\n{n_out}×{n_in}", ha="center", va="center", fontsize=8)
    for i, (width, height) in enumerate(zip(widths, heights, strict=True)):
        code = i == n_encoder
        ax.bar(i, height, bottom=-height / 2, width=0.08, color="C3" if code else "0.3")
        ax.text(i, height / 2 + 0.6, f"{width}" + (" (Z)" if code else ""), ha="center", fontsize=8)
    ax.set_xticks([0, n_encoder, len(widths) - 1], ["X", "Z", "X̂"])
    ax.set_yticks([])
    ax.spines[["left", "right", "top"]].set_visible(False)


fig, ax = plt.subplots(figsize=(6, 3))
draw_hourglass(ax, linears, n_encoder=2)
ax.set_title("784 → 100 → 10 → 100 → 784: encoder (blue), decoder (orange)", fontsize=9, pad=12)
lesson.save(fig, "0_architecture.png")

# %% [markdown]
# ## 2. Depth and width at a fixed budget
# Three encoders with about the same number of parameters (187,920 to 205,856 in the whole
# model) and the same 16-number code: one wide hidden layer, two, and four narrower ones, each
# with the mirrored decoder. Deeper nets can compose features; narrower layers hold less
# each. This is one seed and 10 epochs, and the three models' sizes differ by up to 9%,
# so the table is a single comparison, not a verdict on depth.

# %%
designs = {
    "1 hidden layer, 128 wide": [784, 128, 16],
    "2 hidden layers, 116-64": [784, 116, 64, 16],
    "4 hidden layers, 104-64-48-32": [784, 104, 64, 48, 32, 16],
}
depth_rows = []
for name, widths in designs.items():
    model = autoencoder(widths, widths[::-1])
    train_error, test_error, seconds = fit(model)
    depth_rows.append((name, parameter_count(model), train_error, test_error, seconds))
print(f"{'encoder':32} {'parameters':>10} {'train':>7} {'test':>7} {'time':>7}")
for name, count, train_error, test_error, seconds in depth_rows:
    print(f"{name:32} {count:10,} {train_error:7.2f} {test_error:7.2f} {seconds:5.1f} s")

# %% [markdown]
# ## 3. The size of the code: too small, too large
# One architecture, 784-256-L-256-784, with L from 2 to 256. A tiny code cannot hold a
# digit; past a point, a larger code buys little, and the codes themselves show why:
# the number of directions the test codes really use (how many singular values it takes
# to hold 99% of their energy) grows ever more slowly than L.

# %%
latent_sizes = [2, 8, 32, 128, 256]
latent_models, latent_rows = {}, []
for L in latent_sizes:
    model = autoencoder([784, 256, L], [L, 256, 784])
    train_error, test_error, _ = fit(model)
    Z = minae.predict(model.encode, X_test, batch_size=1000)  # (B, L)
    energy = np.linalg.svd(Z - Z.mean(axis=0), compute_uv=False) ** 2
    used = int(np.searchsorted(np.cumsum(energy) / energy.sum(), 0.99) + 1)
    latent_models[L] = model
    latent_rows.append((L, train_error, test_error, used))
print(f"{'L':>4} {'train':>7} {'test':>7} {'directions for 99% of the codes':>33}")
for L, train_error, test_error, used in latent_rows:
    print(f"{L:4d} {train_error:7.2f} {test_error:7.2f} {used:33d}")

fig, axes = plt.subplots(len(latent_sizes) + 1, 8, figsize=(8, 1.1 * (len(latent_sizes) + 1)))
rows = {"X (test)": X_test[:8]}
rows.update({f"L = {L}": latent_models[L].reconstruct(X_test[:8]) for L in latent_sizes})
for r, (label, images) in enumerate(rows.items()):
    for c in range(8):
        axes[r, c].imshow(to_host(images[c]).reshape(28, 28), cmap="gray", vmin=0, vmax=1)
        axes[r, c].axis("off")
    axes[r, 0].set_title(label, loc="left", fontsize=8)
fig.tight_layout()
lesson.save(fig, "1_code_size.png")

# %% [markdown]
# ## 4. Symmetry is optional
# The same encoder 784-256-32, with the mirrored decoder 32-256-784 and with a decoder
# that is a single layer 32-784: it decodes, but with no hidden layer it can only add
# up 32 fixed images, weighted by the code. Slides 004 adds that "asymmetrical designs may
# be better suited for specific tasks": here the lighter decoder loses, but lessons 11
# and 12 show asymmetric models doing their task (an upsampling decoder that outputs
# more pixels than its encoder takes in; an encoder with a 1×1 head that outputs chroma
# classes, not the image it read).

# %%
symmetric = autoencoder([784, 256, 32], [32, 256, 784])
asymmetric = autoencoder([784, 256, 32], [32, 784])
for name, model in (("symmetric 32-256-784", symmetric), ("asymmetric 32-784", asymmetric)):
    train_error, test_error, _ = fit(model)
    print(
        f"decoder {name:22}: {parameter_count(model):7,} parameters, test error {test_error:6.2f}"
    )

# %% [markdown]
# ## 5. Regularisers: weight decay L2 and L1, sparsity, dropout
# Regularisers matter when a model can memorise, so here a roomy autoencoder
# (784-512-64-512-784) trains on only a tenth of the images, for six times as many
# epochs, and each regulariser is judged by the gap between training and test error.
# Dropout (`minae.Dropout`, new in this lesson) zeroes each hidden unit with
# probability p while training and scales the others by 1/(1 - p); at test time it is
# the identity. Its backward is dY ∘ M / (1 - p) (∘ elementwise, M the 0/1 mask):
# each output is x ∘ M / (1 - p), linear in x for a fixed mask, so its derivative is
# the same mask and scale. `tests/test_dropout.py` checks it against central differences
# in float64 with a fixed mask.


# %%
def roomy(dropout=0.0, **penalties):
    rng = np.random.default_rng(0)
    encoder = minae.Sequential(
        minae.Linear(784, 512, rng=rng, init="he"),
        minae.ReLU(),
        minae.Dropout(dropout),
        minae.Linear(512, 64, rng=rng),
    )
    decoder = minae.Sequential(
        minae.Linear(64, 512, rng=rng, init="he"),
        minae.ReLU(),
        minae.Dropout(dropout),
        minae.Linear(512, 784, rng=rng),
    )
    return minae.Autoencoder(encoder, decoder, minae.BCEWithLogits(), **penalties)


few = X_train[: n_train // 10]
regularised = {
    "none": roomy(),
    "weight decay L2, β = 1e-2": roomy(penalties={"weight_decay": (1e-2, minae.WeightDecay())}),
    "weight L1, β = 1e-3": roomy(penalties={"weight_l1": (1e-3, minae.WeightL1())}),
    "sparsity L1 on Z, λ = 1e-1": roomy(penalty=minae.L1(), lam=1e-1),
    "dropout p = 0.2": roomy(dropout=0.2),
}
print(f"{len(few)} training images, {6 * epochs} epochs")
print(f"{'regulariser':28} {'train':>7} {'test':>7} {'gap':>6}")
for name, model in regularised.items():
    train_error, test_error, _ = fit(model, X=few, epochs=6 * epochs)
    print(f"{name:28} {train_error:7.2f} {test_error:7.2f} {test_error - train_error:6.2f}")

# %% [markdown]
# What the default run shows (its numbers are printed above, and kept in
# `lessons/transcripts/14_designing_an_autoencoder.txt`):
# - at about the same number of parameters, one wide hidden layer beats two and four
#   narrower ones here, in this one run (one seed, 10 epochs);
# - the error falls steeply up to L = 32 and slowly beyond (32 → 128 → 256), while the
#   directions the codes use grow ever more slowly than L: past a point a larger code
#   adds little;
# - the one-layer decoder costs accuracy, however good the encoder: symmetry is not
#   required, but the decoder needs capacity too;
# - on 2,000 images the roomy model overfits (the test error about three times the
#   training error). Weight decay, L2 or L1, narrows that gap and lowers the test error;
#   the L1 penalty on the code shapes the code, not the weights, and leaves the gap as
#   it is; dropout makes both errors worse: the noise it adds inside the network is
#   noise the decoder must undo, and at this size it costs more than it saves.
