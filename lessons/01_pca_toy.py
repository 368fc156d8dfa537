# %% [markdown]
# # Lesson 01: compressing 2-D points into one number
#
# Follows slides 000 (ECE 1508, Chapter 8, "Auto Encoders"), its opening slides:
# "Simple Problem: Principle Component" up to "PCA: Minimum Error Formulation".
#
# We want a vector w that compresses x_b ∈ R² into one number z_b = wᵀ x_b, and a
# vector ŵ that decompresses it, x̂_b = ŵ z_b, so that X̂ = ŵ wᵀ X equals X.
#
# minae stores examples in rows, so the slides' column equations become
# Z = X w  (B, 2) @ (2, 1) -> (B, 1)  and  X̂ = Z ŵᵀ  (B, 1) @ (1, 2) -> (B, 2):
# the encoder's weight is w as a column, the decoder's is ŵ as a row.
#
# $$
# z_b = \mathbf{w}^\top x_b, \qquad \hat x_b = \hat{\mathbf{w}}\, z_b, \qquad \hat R = \frac{1}{B}
# \sum_b \lVert \hat x_b - x_b \rVert^2
# $$
#
# **Run time** of the recorded run: under a minute (2 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.

# %%
import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import line, stretched_gaussian
from minae.teaching.lesson import setup

lesson = setup("01_pca_toy")
rng = np.random.default_rng(0)
minae.set_default_dtype("float64")  # a toy: exact numbers matter more than speed

# %% [markdown]
# ## 0. Why compress? "A A A A B B B B B ⇒ 4 A's, 5 B's ⇒ A A A A B B B B B"
# Slides 002 opens with this analogy, and with its motivation: labelled data is scarce,
# unlabelled data (text, images, video) is plentiful. An autoencoder needs no labels:
# X is its own target. Its key idea: "if we can compress a data point and still
# reconstruct it, then we have learned something generally useful". Run-length coding
# shows why: it shortens a string only when the string has structure (runs), and a
# string without that structure comes out longer. An autoencoder must likewise find
# the structure of its data; the line x = [2α, α] below is the simplest such structure.
# (The idea is old: autoencoders were developed in the 1980s, as "auto-association" by
# back-propagation, Rumelhart, Hinton & Williams 1986, and shown equivalent to PCA in
# the linear case by Bourlard & Kamp 1988 and Baldi & Hornik 1989, slides 004 and lesson
# 02.)


# %%
def run_length_encode(text):
    """ "AAAABBBBB" -> [("A", 4), ("B", 5)]: the code."""
    code = []
    for symbol in text:
        if code and code[-1][0] == symbol:
            code[-1] = (symbol, code[-1][1] + 1)
        else:
            code.append((symbol, 1))
    return code


def run_length_decode(code):
    """[("A", 4), ("B", 5)] -> "AAAABBBBB": the reconstruction."""
    return "".join(symbol * count for symbol, count in code)


for text in ("AAAABBBBB", "ABABABABA"):
    code = run_length_encode(text)
    assert run_length_decode(code) == text  # lossless: X̂ = X
    print(f"{text}: {len(text)} symbols -> {2 * len(code)} (a symbol and a count per run)")

# %% [markdown]
# ## 1. Points of the form x = [2α, α]
# Slides 000: "every single point in the dataset is of the form x_b = [2α_b, α_b]".
# The slide's solution compresses with w = [1, -1] and decompresses with ŵ = [2, 1]:
# z = [1, -1]·[2α, α] = α, and ŵ z = [2α, α] = x.

# %%
X, alpha = line(200, rng)
w = np.array([[1.0], [-1.0]])  # (2, 1): the encoder's column
w_hat = np.array([[2.0, 1.0]])  # (1, 2): the decoder's row

model = minae.linear_autoencoder(2, 1, rng=rng, bias=False)  # z = xᵀw, x̂ = ŵ z: no biases
model.encoder[0].W.value[...] = minae.to_device(w)  # parameters live on the backend's device
model.decoder[0].W.value[...] = minae.to_device(w_hat)
print(
    "the encoder's learnable parameters:",
    to_host(model.encoder[0].W.value).ravel(),
    "(the slide's w1, w2)",
)

Z = model.encode(X)
print("z equals alpha:", np.allclose(to_host(Z[:, 0]), to_host(alpha)))
model.forward(X)
print("R̂ = ||X̂ - X||² per point with the slide's w, ŵ:", model.loss(X).reconstruction)

# %% [markdown]
# In general (slides 000, the slide after): N inputs and L latent variables, an encoder
# z = Wᵀx + b with "(N+1) L learnable parameters: NL weights and L biases". The slide
# writes z = W x with W ∈ R^{L×N}; minae's `Linear` stores the transpose, W ∈ R^{N×L}, and
# computes a batch as rows, Z = X W + b (lesson 14 sets the two forms side by side). `Linear`
# has a bias unless told `bias=False`:

# %%
for n_in, n_code in ((2, 1), (784, 30)):
    encoder = minae.Linear(n_in, n_code, rng=0)
    count = sum(p.value.size for p in encoder.parameters())
    print(
        f"N = {n_in:3}, L = {n_code:2}: {count:6,} parameters = (N+1)L = {(n_in + 1) * n_code:6,}"
    )

# %% [markdown]
# ## 2. Why it works although ŵ wᵀ ≠ I
# ŵ wᵀ is an outer product, so it has rank one; the identity on R² has rank two.
# Its singular values say so: one is ||ŵ|| ||w|| = √10, the other is 0.
# It still reconstructs these points because they all lie on the line through [2, 1]:
# ŵ wᵀ [2, 1]ᵀ = ŵ (2 - 1) = [2, 1]ᵀ. Any point off that line is mapped onto it.

# %%
M = w_hat.T @ w.T  # (2, 1) @ (1, 2) -> (2, 2), the slides' ŵ wᵀ
print("ŵ wᵀ =\n", M)
print("singular values of ŵ wᵀ:", np.linalg.svd(M, compute_uv=False), "(√10 =", np.sqrt(10), ")")
print("singular values of I:   ", np.linalg.svd(np.eye(2), compute_uv=False))
off_line = np.array([[1.0, 0.0]])
back = to_host(model.reconstruct(minae.to_device(off_line)))[0]
print("a point off the line, [1, 0], comes back as", back)

fig, ax = plt.subplots(figsize=(4.5, 4))
X_host = to_host(X)  # matplotlib and NumPy take host arrays (a no-op on the CPU backend)
ax.scatter(X_host[:, 0], X_host[:, 1], s=8, label="x = [2α, α]")
ax.annotate("", xy=(2, 1), xytext=(0, 0), arrowprops={"color": "C1", "width": 2})
ax.annotate("", xy=(1, -1), xytext=(0, 0), arrowprops={"color": "C2", "width": 2})
ax.text(0.6, 1.5, "ŵ = [2, 1]", color="C1")
ax.text(1.1, -1.2, "w = [1, -1]", color="C2")
ax.plot(*np.c_[off_line[0], back], "k--", lw=1)
ax.scatter(*off_line[0], c="k", marker="x", label="[1, 0] → ŵ wᵀ[1, 0]")
ax.set_aspect("equal")
ax.legend(loc="upper left", fontsize=8)
ax.set_title("Slides 000: z = wᵀx, x̂ = ŵ z")
lesson.save(fig, "1_line_and_the_slides_w.png")

# %% [markdown]
# ## 3. A general cloud: no single axis holds it without loss
# Slides 000: "this dataset cannot be projected on a single axis!" For a unit axis u,
# the best code is z = uᵀ(x - mean) and the error per point is the variance left
# perpendicular to u. Sweep u around the circle: the error never reaches zero, and its
# minimum is at PCA's first component, where it equals the second eigenvalue.

# %%
cloud, axes = stretched_gaussian(500, rng, angle=0.6, stds=(2.0, 0.6))
cloud = to_host(cloud)  # this section sweeps axes in NumPy
centred = cloud - cloud.mean(axis=0)
angles = np.linspace(0, np.pi, 181)
errors = []
for a in angles:
    u = np.array([np.cos(a), np.sin(a)])
    residual = centred - np.outer(centred @ u, u)  # (B, 2): the part u cannot hold
    errors.append((residual**2).sum(axis=1).mean())
pca = minae.PCA(1).fit(cloud)
first = to_host(pca.components_)[0]  # (2,): PCA's first component
best = np.arctan2(first[1], first[0]) % np.pi
print(
    f"smallest error over axes: {min(errors):.4f} at {np.degrees(angles[np.argmin(errors)]):.0f}°"
)
print(
    f"PCA-1 axis at {np.degrees(best):.1f}°; discarded eigenvalue ×(B-1)/B: "
    f"{np.linalg.eigvalsh(np.cov(cloud.T))[0] * (len(cloud) - 1) / len(cloud):.4f}"
)

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8))
left.scatter(cloud[:, 0], cloud[:, 1], s=6, alpha=0.6)
projected = to_host(pca.inverse_transform(pca.transform(cloud)))
left.scatter(projected[:, 0], projected[:, 1], s=4, c="C3", label="PCA-1 reconstruction")
left.set_aspect("equal")
left.legend(fontsize=8)
left.set_title("A general 2-D cloud and its best line")
right.plot(np.degrees(angles), errors)
right.axvline(np.degrees(best), color="C3", ls="--", label="PCA-1 axis")
right.set_xlabel("axis angle (degrees)")
right.set_ylabel("squared error per point")
right.legend(fontsize=8)
right.set_title("Every single axis loses something")
lesson.save(fig, "2_general_cloud.png")

# %% [markdown]
# ## 4. Learning w and ŵ by SGD
# Slides 000's NN view: two weight vectors and nothing else (`bias=False`), the loss
# R̂ = ||ŵ wᵀ X - X||², trained by gradient descent. minae's losses are per example, so
# R̂ here is the slide's sum divided by the batch size B: the same minimum, with a
# learning rate that does not depend on B. minae's `Autoencoder` runs the forward pass,
# the hand-written backward and the SGD step. On the line data the error goes to zero,
# ŵ turns to the direction ±[2, 1] and wᵀŵ → 1, so ŵ wᵀ acts as the identity on the
# line. The pair (w, ŵ) is not unique: (w/c, c ŵ) works as well, which is why only the
# direction of ŵ and the product wᵀŵ are checked.

# %%
epochs = 20 if lesson.quick else 60
learner = minae.linear_autoencoder(2, 1, rng=np.random.default_rng(1), bias=False)
history = minae.train(
    learner,
    minae.SGD(learner.parameters(), lr=0.02, momentum=0.9),
    X,
    epochs=epochs,
    batch_size=20,
    rng=2,
    progress=lesson.progress,
)
w_learned = to_host(learner.encoder[0].W.value)[:, 0]
w_hat_learned = to_host(learner.decoder[0].W.value)[0]
direction = w_hat_learned / np.linalg.norm(w_hat_learned)
print(f"final error per point: {history.train['squared_error'][-1]:.2e}")
print("learned ŵ direction:", direction, " ±[2, 1]/√5 =", np.array([2, 1]) / np.sqrt(5))
print(f"wᵀŵ = {w_learned @ w_hat_learned:.6f}")

cloud_model = minae.linear_autoencoder(2, 1, rng=np.random.default_rng(3))
minae.train(
    cloud_model,
    minae.SGD(cloud_model.parameters(), lr=0.01, momentum=0.9),
    cloud,
    epochs=epochs,
    batch_size=20,
    rng=4,
    progress=lesson.progress,
)
angle = to_host(minae.subspace_angles(cloud_model.decoder[0].W.value.T, pca.components_.T))[0]
print(f"on the cloud, the learned ŵ is {np.degrees(angle):.3f}° from PCA's first component")

fig, ax = plt.subplots(figsize=(4.5, 3.2))
ax.semilogy(range(1, epochs + 1), history.train["squared_error"])
ax.set_xlabel("epoch")
ax.set_ylabel("squared error per point")
ax.set_title("SGD learns w and ŵ on x = [2α, α]")
lesson.save(fig, "3_sgd_learns_the_line.png")

# %% [markdown]
# Next: lesson 02 does the same on MNIST, where the "line" is a 30-dimensional subspace.
