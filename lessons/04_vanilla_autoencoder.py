# %% [markdown]
# # Lesson 04: the vanilla autoencoder on MNIST, with a 2-D code
#
# Follows slides 001 ("Representation and Generation"), "Example: Compressing MNIST":
# - the encoder is an MLP with four hidden layers of decreasing width, down to 2 outputs;
# - the decoder mirrors it up to 784 outputs, sorted into a 28x28 image;
# - every unit is a sigmoid; no dropout, no batch-normalization;
# - trained with L(X̂, X) = ||X̂ - X||², the six steps of "Training AEs for Compression".
#
# Then slides 004's "PCA vs autoencoders" figure: the 2-D codes of both, coloured by digit.
# Finally a better-trained variant (ReLU, Adam, a 30-number code) against the numbers of
# Hinton & Salakhutdinov (2006): PCA-30 13.87, logistic PCA 8.01, their pretrained deep
# autoencoder 3.00 (squared error per test image).
#
# $$
# \nabla_{\hat X} \hat R = \frac{2}{B} (\hat X - X), \qquad dA = dH \circ \sigma'(A) = dH \circ H
# (1 - H), \qquad dH_{\text{below}} = dA\, W^\top
# $$
#
# **Run time** of the recorded run: about 5 minutes (4 min 35 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import load_mnist
from minae.teaching.gradcheck import numerical_gradient, scaled_error
from minae.teaching.lesson import compare, setup

lesson = setup("04_vanilla_autoencoder")
X_train, y_train = load_mnist("train", download=True)  # fetched on first use (11 MB)
X_test, y_test = load_mnist("test", download=True)
if lesson.quick:
    X_train, X_test, y_test = X_train[:5000], X_test[:1000], y_test[:1000]
epochs = 2 if lesson.quick else 20

# %% [markdown]
# ## 1. Slides 001's network: 784-256-128-64-32-2, mirrored, all sigmoid
# The widths are ours (the slide fixes only their shape: four hidden layers on each side,
# widths shrinking to the code and growing back to 784). Its "in fact an 8-layer MLP"
# counts those hidden layers, four and four; with the 2-unit code and the 784-unit
# output the stack has ten weight layers, ten `Linear`s, all sigmoid (printed below).
# Another reading fits the slide as well: if its four layers a side include the 2-unit
# code and the 784-unit output, it has 4 + 4 = 8 weight layers, and a 784-a-b-c-2
# encoder would match it exactly; the lesson keeps the deeper stack.
# Training follows the slide: forward through encoder and decoder, ∇_X̂ R̂ = 2(X̂ - X)/B,
# back-propagate to Z, on through the encoder, update: `minae.train` does exactly these
# steps each minibatch. Adam rather than plain SGD: each sigmoid multiplies the gradient
# passing back through it by σ'(a) = σ(a)(1 − σ(a)) ≤ ¼, a shrink of at least four times
# per layer (the weights aside), so the first layers' gradients are far smaller than the
# last ones', and SGD's step, proportional to the gradient, is too. Adam's step does not
# scale with the gradient's size. Cell 1b prints the gradient's norm at the output
# (∇_X̂ R̂), at the code (∇_Z R̂, halfway down the stack) and for each layer's weights,
# on one batch, before the step it computes.

# %%
rng = np.random.default_rng(0)
widths = [784, 256, 128, 64, 32, 2]
encoder = minae.mlp(widths, activation="sigmoid", output_activation="sigmoid", rng=rng)
decoder = minae.mlp(widths[::-1], activation="sigmoid", output_activation="sigmoid", rng=rng)
model = minae.Autoencoder(encoder, decoder, minae.MSE())
print(model)
start = time.perf_counter()
history = minae.train(
    model,
    minae.Adam(model.parameters(), lr=1e-3),
    X_train,
    epochs=epochs,
    batch_size=128,
    rng=1,
    X_val=X_test,
    progress=lesson.progress,
)
seconds = time.perf_counter() - start
ae_error = history.val["squared_error"][-1]
print(f"2-D sigmoid autoencoder: {ae_error:.2f} per test image, {epochs} epochs, {seconds:.0f} s")

# %% [markdown]
# ## 1b. One training step by hand: the slide's ① to ⑥
# "Training AEs for Compression" lists the steps of one round. Here they are written out
# in NumPy for one batch of 128 images, on a fresh copy of the same network, with plain
# SGD (θ ← θ - η ∇_θ R̂) so the update is one line. Each hidden layer is
# a = h W + b, h = σ(a); backward through it is dA = dH ∘ σ'(a) = dH ∘ h(1 - h), then
# ∇_W R̂ = hᵀ dA, ∇_b R̂ = 1ᵀ dA and the gradient for the layer below, dA Wᵀ. The result
# is compared with one step of minae's loop on the same batch: equal to float32 rounding
# (the two sum in different orders), not bit for bit.


# %%
def fresh_model():
    rng = np.random.default_rng(0)
    return minae.Autoencoder(
        minae.mlp(widths, activation="sigmoid", output_activation="sigmoid", rng=rng),
        minae.mlp(widths[::-1], activation="sigmoid", output_activation="sigmoid", rng=rng),
        minae.MSE(),
    )


def sigma(a):
    return 1.0 / (1.0 + np.exp(-a))


eta, B = 0.1, 128
X = X_train[:B]  # one batch; it is also the target
hand = fresh_model()
W = [p.value.copy() for p in hand.parameters()]  # W0, b0, W1, b1, ... in layer order
Ws, bs = W[0::2], W[1::2]
n_enc = len(widths) - 1

# ① forward through the encoder, keeping every layer's output; the last one is Z
h = [X]
for k in range(n_enc):
    h.append(sigma(h[-1] @ Ws[k] + bs[k]))  # (B, n_k) @ (n_k, n_k+1) + (n_k+1,)
Z = h[-1]  # (B, 2)
# ② forward through the decoder to X̂
for k in range(n_enc, 2 * n_enc):
    h.append(sigma(h[-1] @ Ws[k] + bs[k]))
X_hat = h[-1]  # (B, 784)
# ③ ∇_X̂ R̂ for R̂ = (1/B) Σ_b ||x̂_b - x_b||², and back through the decoder
dH = (X_hat - X) * (2.0 / B)
grads = [None] * len(W)
for k in reversed(range(2 * n_enc)):
    if k == n_enc - 1:
        dZ = dH  # ④ ∇_Z R̂: what reaches the code from the decoder's first layer
    dA = (1.0 - h[k + 1]) * h[k + 1] * dH  # dH ∘ σ'(a), σ' = h(1 - h)
    grads[2 * k] = h[k].T @ dA  # ∇_W R̂ = hᵀ dA, (n_k, B) @ (B, n_k+1)
    grads[2 * k + 1] = dA.sum(axis=0)  # ∇_b R̂ = 1ᵀ dA: summed over the batch, (n_k+1,)
    dH = dA @ Ws[k].T  # ⑤ on towards the input: (B, n_k+1) @ (n_k+1, n_k)
# ⑥ update every weight
by_hand = [w - eta * g for w, g in zip(W, grads, strict=True)]

# The library: one step of minae's training loop (`minae.training.step`, what `train` runs
# on every minibatch) on the same batch, with SGD at the same η
library = fresh_model()
minae.training.step(library, minae.SGD(library.parameters(), lr=eta), X, X)
print(
    f"on this batch: ‖∇_X̂ R̂‖ {float(np.linalg.norm((X_hat - X) * (2.0 / B))):.3g}, "
    f"‖∇_Z R̂‖ {float(np.linalg.norm(dZ)):.3g}"
)
print(
    "‖∇_W R̂‖ of each layer, input to output: "
    + ", ".join(f"{float(np.linalg.norm(g)):.1e}" for g in grads[0::2])
)
mine = np.concatenate([minae.to_host(w).ravel() for w in by_hand])
theirs = np.concatenate([minae.to_host(p.value).ravel() for p in library.parameters()])
assert compare("one step by hand vs minae's step", mine, theirs)

# %% [markdown]
# ## 2. Test images and their reconstructions
# Two numbers per image are not many: the reconstructions are blurred prototypes. In the
# default run the 1s, the 0 and the 2 come back as themselves, while the 4s, 7s and 9s,
# whose strokes are alike, come back as one 9-like shape, and the 5 as an 8: a 2-D code
# has room for a few clusters (section 3), not for every digit apart.

# %%
X_hat = to_host(model.reconstruct(X_test[:10]))  # (10, 784), on the host for matplotlib
X_shown = to_host(X_test[:10])
fig, axes = plt.subplots(2, 10, figsize=(10, 2.3))
for i in range(10):
    axes[0, i].imshow(X_shown[i].reshape(28, 28), cmap="gray")
    axes[1, i].imshow(X_hat[i].reshape(28, 28), cmap="gray")
for ax in axes.ravel():
    ax.axis("off")
axes[0, 0].set_title("X (test)", loc="left", fontsize=9)
axes[1, 0].set_title("X̂ from a 2-D code", loc="left", fontsize=9)
lesson.save(fig, "1_reconstructions.png")

# %% [markdown]
# ## 3. The 2-D codes beside PCA-2's (slides 004, "PCA vs Autoencoders")
# PCA-2 projects onto the two directions of largest variance: the digits overlap in a
# blob. The autoencoder's code is a sigmoid output, and it saturates: most codes sit
# near the edges of the unit square. Plotting logit(z) = log(z / (1 - z)), a monotone
# map that undoes the last sigmoid, shows the same code unsquashed. With 20 epochs this
# network uses its plane much like a curve, on which the classes sit in order: the 1s
# at one end, the 0s at the other, the 6s, 2s and 3s between, while the 4s, 7s and 9s
# share one stretch (hence section 2's 9-like shapes). Several classes that overlap in
# PCA-2's blob get their own stretch of it; the error per image drops accordingly.

# %%
pca = minae.PCA(2).fit(X_train)
Z_ae = np.clip(to_host(model.encode(X_test)).astype(np.float64), 1e-12, 1 - 1e-12)
codes = {
    "PCA-2": pca.transform(X_test),
    "autoencoder, logit of the 2-D code": np.log(Z_ae / (1 - Z_ae)),
}
pca_error = float(((pca.inverse_transform(codes["PCA-2"]) - X_test) ** 2).sum(axis=1).mean())
fig, axes = plt.subplots(1, 2, figsize=(10, 4.5))
for ax, (title, Z) in zip(axes, codes.items(), strict=True):
    Z = to_host(Z)  # (B, 2), for matplotlib
    points = ax.scatter(Z[:, 0], Z[:, 1], c=to_host(y_test), cmap="tab10", s=2, vmin=-0.5, vmax=9.5)
    ax.set_title(title)
    ax.set_xlabel("z₁")
    ax.set_ylabel("z₂")
fig.colorbar(points, ax=axes, ticks=range(10), label="digit")
lesson.save(fig, "2_codes_pca_vs_autoencoder.png")

# %% [markdown]
# ## 4. Error per image: autoencoder against PCA-2
# Each test image's squared error, ||x̂ - x||², for both models.

# %%
X_pca = pca.inverse_transform(codes["PCA-2"])
per_image = {  # (B,) each, on the host for NumPy and matplotlib
    "PCA-2": to_host(((X_pca - X_test) ** 2).sum(axis=1)),
    "autoencoder": to_host(((model.reconstruct(X_test) - X_test) ** 2).sum(axis=1)),
}
better = float((per_image["autoencoder"] < per_image["PCA-2"]).mean())
print(
    f"mean squared error per test image: PCA-2 {pca_error:.2f}, autoencoder {ae_error:.2f}; "
    f"the autoencoder is better on {100 * better:.0f}% of the test images"
)
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.scatter(per_image["PCA-2"], per_image["autoencoder"], s=2, alpha=0.4)
top = float(max(v.max() for v in per_image.values()))
ax.plot([0, top], [0, top], "k--", lw=1, label="equal error")
ax.set_xlabel("PCA-2 error per image")
ax.set_ylabel("2-D autoencoder error per image")
ax.legend()
lesson.save(fig, "3_error_per_image.png")

# %% [markdown]
# ## 5. A better-trained variant: ReLU, Adam, a 30-number code
# 784-512-256-128-30 and its mirror, ReLU hidden units, a linear code, a sigmoid output,
# Adam at 1e-3. Compare with the 2006 paper's numbers for a 30-number code.

# %%
rng = np.random.default_rng(1)
widths = [784, 512, 256, 128, 30]
deep = minae.Autoencoder(
    minae.mlp(widths, activation="relu", rng=rng),
    minae.mlp(widths[::-1], activation="relu", output_activation="sigmoid", rng=rng),
    minae.MSE(),
)
start = time.perf_counter()
deep_history = minae.train(
    deep,
    minae.Adam(deep.parameters(), lr=1e-3),
    X_train,
    epochs=epochs,
    batch_size=128,
    rng=2,
    X_val=X_test,
    progress=lesson.progress,
)
deep_seconds = time.perf_counter() - start
deep_error = deep_history.val["squared_error"][-1]
pca30 = minae.PCA(30).fit(X_train)
pca30_error = float(
    ((pca30.inverse_transform(pca30.transform(X_test)) - X_test) ** 2).sum(1).mean()
)
print(
    f"ReLU autoencoder, 30-D code: {deep_error:.2f} per test image after {epochs} epochs "
    f"({deep_seconds:.0f} s, {deep_seconds / epochs:.1f} s per epoch)"
)
print(f"PCA-30 here: {pca30_error:.2f}. Paper: PCA-30 13.87, logistic PCA 8.01, deep AE 3.00")

fig, ax = plt.subplots(figsize=(5.5, 3.5))
ax.plot(range(1, epochs + 1), deep_history.val["squared_error"], "o-", label="minae ReLU AE-30")
for value, label, style in [
    (13.87, "PCA-30", "--"),
    (8.01, "logistic PCA", ":"),
    (3.00, "deep AE (paper)", "-."),
]:
    ax.axhline(value, ls=style, color="0.4")
    ax.text(epochs, value, f" {label} {value}", va="bottom", ha="right", fontsize=8)
ax.set_xlabel("epoch")
ax.set_ylabel("squared error per test image")
ax.set_title("30-number codes")
lesson.save(fig, "4_deep_variant.png")

# %% [markdown]
# ## 6. Slides 004's figure 6 for real: t-SNE of PCA's and the autoencoder's 30-number codes
# Section 3 plots 2-D codes directly. Slides 004's figure instead embeds higher-dimensional
# codes in 2-D with t-SNE (van der Maaten & Hinton 2008), so here are the 30-number
# codes of PCA-30 and of section 5's autoencoder, each embedded by t-SNE.
#
# t-SNE is written out here, not in minae: it is a way to look at codes, not a piece of
# an autoencoder, and a few lines of NumPy suffice for the exact O(N²) method on a
# thousand points. Its pieces: similarities p_{j|i} ∝ exp(-‖x_i - x_j‖² / 2σ_i²) in the
# code space, each σ_i set by bisection so that the perplexity 2^{H(P_i)} is 30;
# P = (P_{j|i} + P_{i|j}) / 2N; in the plane, q_ij ∝ (1 + ‖y_i - y_j‖²)⁻¹; the cost
# C = KL(P ‖ Q) = Σ p_ij log(p_ij / q_ij), and its gradient
# ∂C/∂y_i = 4 Σ_j (p_ij - q_ij)(y_i - y_j)(1 + ‖y_i - y_j‖²)⁻¹, derived in the paper's
# appendix and checked here against central differences in float64 before it is used.


# %%
def squared_distances(Y):
    sum_sq = (Y * Y).sum(axis=1)
    return np.maximum(sum_sq[:, None] + sum_sq[None, :] - 2 * Y @ Y.T, 0.0)  # (N, N)


def affinities(X, perplexity=30.0, steps=50):
    """P (N, N): symmetric, summing to 1, each row's σ_i found by bisection on β = 1/2σ²."""
    D = squared_distances(X.astype(np.float64))
    N, target = len(D), np.log(perplexity)
    P = np.zeros_like(D)
    for i in range(N):
        d = np.delete(D[i], i)
        lo, hi, beta = 0.0, np.inf, 1.0
        for _ in range(steps):
            w = np.exp(-(d - d.min()) * beta)
            p = w / w.sum()
            entropy = -np.sum(p * np.log(np.maximum(p, 1e-300)))
            if entropy > target:  # too flat: a narrower kernel
                lo, beta = beta, beta * 2 if hi == np.inf else (beta + hi) / 2
            else:
                hi, beta = beta, (beta + lo) / 2
        P[i, np.arange(N) != i] = p
    return (P + P.T) / (2 * N)


def tsne_cost_and_grad(Y, P):
    """C = KL(P ‖ Q) and ∂C/∂Y (N, 2)."""
    inverse = 1.0 / (1.0 + squared_distances(Y))  # (1 + ‖y_i - y_j‖²)⁻¹
    np.fill_diagonal(inverse, 0.0)
    Q = inverse / inverse.sum()
    mask = P > 0
    cost = float(np.sum(P[mask] * np.log(P[mask] / Q[mask])))
    W = (P - Q) * inverse  # (N, N)
    grad = 4.0 * (W.sum(axis=1)[:, None] * Y - W @ Y)  # 4 Σ_j W_ij (y_i - y_j)
    return cost, grad


check_rng = np.random.default_rng(3)
P_small = affinities(check_rng.normal(size=(12, 5)), perplexity=4.0)
Y_small = check_rng.normal(size=(12, 2))
numeric = numerical_gradient(lambda: tsne_cost_and_grad(Y_small, P_small)[0], Y_small)
print(
    f"t-SNE gradient against central differences: scaled error "
    f"{scaled_error(tsne_cost_and_grad(Y_small, P_small)[1], numeric):.1e}"
)


def tsne(X, iterations=500, seed=0):
    """Gradient descent with momentum and early exaggeration, as in the paper."""
    P = affinities(X)
    rng = np.random.default_rng(seed)
    Y = 1e-4 * rng.standard_normal((len(X), 2))
    velocity = np.zeros_like(Y)
    learning_rate = max(len(X) / 12, 50.0)
    for t in range(iterations):
        exaggeration = 12.0 if t < iterations // 4 else 1.0
        _, grad = tsne_cost_and_grad(Y, exaggeration * P)
        velocity = (0.5 if t < iterations // 4 else 0.8) * velocity - learning_rate * grad
        Y += velocity
    return Y, tsne_cost_and_grad(Y, P)[0]


n_embed = 300 if lesson.quick else 1500
codes_30 = {
    "PCA-30 codes": to_host(pca30.transform(X_test[:n_embed])),  # t-SNE runs in NumPy
    "autoencoder's 30-number codes": minae.predict(deep.encode, X_test[:n_embed]),
}
fig, axes = plt.subplots(1, 2, figsize=(9, 4.2))
for ax, (name, Z) in zip(axes, codes_30.items(), strict=True):
    start = time.perf_counter()
    Y, cost = tsne(Z, iterations=200 if lesson.quick else 500)
    print(f"t-SNE of the {name}: KL(P ‖ Q) = {cost:.3f}, {time.perf_counter() - start:.0f} s")
    ax.scatter(Y[:, 0], Y[:, 1], c=to_host(y_test)[:n_embed], cmap="tab10", s=4)
    ax.set_title(f"t-SNE of the {name}", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
lesson.save(fig, "5_tsne_pca_vs_autoencoder.png")
