# %% [markdown]
# # Lesson 10: the convolutional autoencoder, dense against conv at the same code size
#
# Follows slides 002's "Convolutional Autoencoder" slides and their figure, "Original Input
# / Dense Autoencoder / Conv Autoencoder", its "Denoising Autoencoder" slides, and seed
# 004's encoder "using layers such as Dense, Convolutional, or Recurrent layers", "often
# implemented with convolutional layers for spatial pattern learning".
#
# A convolution is a `Linear` applied to every k×k patch of the image: the same few
# weights slide over every position, so the encoder looks for local strokes wherever
# they are, with a tiny fraction of a dense layer's parameters. The model is the one of
# the Keras blog (Chollet 2016, "Building Autoencoders in Keras"):
#
# - encoder: Conv 1→16 3×3 ReLU, MaxPool 2 (28 → 14), Conv 16→8, MaxPool 2 (→ 7),
#   Conv 8→8, MaxPool 2 (7 → 4, the last window hanging over the edge: `ceil_mode`),
#   so the code Z is 8 × 4 × 4 = 128 numbers;
# - decoder: Conv 8→8, Upsample 2 (→ 8), Conv 8→8, Upsample 2 (→ 16), Conv 8→16 without
#   padding (16 → 14), Upsample 2 (→ 28), Conv 16→1, sigmoid; loss: binary cross-entropy.
#
# The blog reports a per-pixel binary cross-entropy of **0.094** on the test images
# after 50 epochs. Here it is compared, at the same code size of 128, with PCA-128 and a
# dense autoencoder 784-512-128-512-784.
#
# $$
# Y[o, i, j] = b[o] + \sum_{c, u, v} W[o, c, u, v]\, X[c, i + u, j + v]
# $$
# (what deep learning calls a convolution, as here, is a cross-correlation: the kernel
# is not flipped; a flipped kernel would only relabel the weights a network learns).
#
# **Run time** of the recorded run: about 11 minutes (10 min 36 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.
# For a shorter run, set `epochs` lower below: the numbers will be larger than those the
# text quotes, which are the recorded run's.

# %%
import time
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import block_masking, gaussian_noise, load_mnist
from minae.plain import convolution as plain
from minae.teaching.gradcheck import numerical_vjp, scaled_error
from minae.teaching.lesson import compare, setup

lesson = setup("10_convolutional_autoencoder")
X_train, _ = load_mnist("train", download=True)  # fetched on first use (11 MB)
X_test, _ = load_mnist("test", download=True)
if lesson.quick:
    X_train, X_test = X_train[:2000], X_test[:500]
epochs = 1 if lesson.quick else 10  # 3 for a shorter run (see the top)
images_train = X_train.reshape(-1, 1, 28, 28)  # (B, 784) -> (B, 1, 28, 28)
images_test = X_test.reshape(-1, 1, 28, 28)

# %% [markdown]
# ## 0. One convolution three ways: the definition, one product, the layer
# The definition, one output pixel at a time (d2l's `corr2d`):
# Y[i, j] = Σ_{u,v} W[u, v] · x[i + u, j + v]. On a tiny image, a bright stripe on a dark
# ground, the kernel W = [1, -1] answers only where the brightness changes: at the
# stripe's two edges, with opposite signs.

# %%

x = np.zeros((1, 1, 5, 8))  # (B, C, H, W): one gray image
x[..., 2:6] = 1.0  # a bright stripe in columns 2 to 5
K = np.array([[[[1.0, -1.0]]]])  # (C_out, C_in, kh, kw) = (1, 1, 1, 2)


def corr2d(image, kernel):
    """The definition: a double loop over the output pixels."""
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (image[i : i + kh, j : j + kw] * kernel).sum()
    return out


Y_loops = corr2d(x[0, 0], K[0, 0])  # (5, 7)
print(Y_loops)

# %% [markdown]
# The same numbers as one matrix product. Lay the patch under every output pixel out as a
# column (im2col: C·kh·kw rows, one column per output pixel of the batch); then the
# convolution is the kernel, flattened to a row W_mat, times those columns:
# Y_mat = W_mat X_col. A convolution *is* a `Linear` applied to every patch. `Conv2d`
# computes exactly that (`minae/layers/conv2d.py`), with im2col done by k·k strided
# copies instead of a loop over patches.

# %%
X_col = plain.im2col(x, (1, 2), (1, 1), (0, 0))  # (C·kh·kw, Ho·Wo·B) = (2, 35)
Y_product = (K.reshape(1, -1) @ X_col).reshape(5, 7)  # (1, 2) @ (2, 35) -> (Ho, Wo)
conv = minae.Conv2d(1, 1, (1, 2), rng=0, dtype=np.float64)
conv.W.value = K  # the bias starts at zero
assert compare("one product over columns", Y_product, Y_loops)
assert compare("minae.Conv2d", conv.forward(minae.to_device(x))[0, 0], Y_loops)  # on the device

# %% [markdown]
# Backward, written for patches, is `Linear`'s three formulas: ∂R̂/∂W_mat = dY_mat X_colᵀ,
# ∂R̂/∂b = dY_mat 1, and ∂R̂/∂X_col = W_matᵀ dY_mat, each column of which goes back to
# the pixels of its patch (col2im: a pixel under several patches receives the sum). The
# plain loops (`minae.plain.convolution.conv2d_backward`, the chain rule pixel by
# pixel) and central differences in float64 agree with the layer, on a layer with two
# channels in, three out, stride 2 and padding 1:

# %%
rng = np.random.default_rng(0)
conv = minae.Conv2d(2, 3, 3, stride=2, padding=1, rng=rng, dtype=np.float64)
x = minae.to_device(rng.normal(size=(2, 2, 7, 7)))  # on the device, with the weights
dY = minae.to_device(rng.normal(size=conv.forward(x).shape))  # (2, 3, 4, 4)
dX = conv.backward(dY)
host = [to_host(a) for a in (x, conv.W.value, dY)]  # the plain loops are NumPy's
loops_dX, loops_dW, _ = plain.conv2d_backward(*host, (2, 2), (1, 1))
assert compare("dX: layer vs loops", dX, loops_dX)
assert compare("dW: layer vs loops", conv.W.grad, loops_dW)
numeric_dX = numerical_vjp(lambda: conv.forward(x), x, dY)
numeric_dW = numerical_vjp(lambda: conv.forward(x), conv.W.value, dY)
print(
    f"scaled error against central differences: dX {scaled_error(dX, numeric_dX):.1e}, "
    f"dW {scaled_error(conv.W.grad, numeric_dW):.1e} (float64: 1e-7 or less passes)"
)

# %% [markdown]
# The decoder's upsampling layer, the transposed convolution, is the convolution's input
# gradient run forward: each input pixel stamps the kernel, scaled by its value, onto the
# output. Give `ConvTranspose2d` the same weights and feed it dY: it returns the dX above.

# %%
convT = minae.ConvTranspose2d(3, 2, 3, stride=2, padding=1, rng=0, dtype=np.float64)
convT.W.value = conv.W.value  # (3, 2, 3, 3): the same array, read the other way
assert compare("ConvTranspose2d(dY) vs dX", convT.forward(dY), dX)


# %%
def keras_conv_autoencoder(seed):
    """The Keras blog's model, layer by layer (``minae.keras_blog_encoder_decoder``)."""
    encoder, decoder = minae.keras_blog_encoder_decoder(rng=seed)
    return minae.Autoencoder(encoder, decoder, minae.BCE())


def dense_autoencoder(seed):
    rng = np.random.default_rng(seed)
    widths = [784, 512, 128]
    return minae.Autoencoder(
        minae.mlp(widths, activation="relu", output_activation="relu", rng=rng),
        minae.mlp(widths[::-1], activation="relu", output_activation="sigmoid", rng=rng),
        minae.BCE(),
    )


def parameter_count(model):
    return sum(p.value.size for p in model.parameters())


# every model here trains the same way: Adam, learning rate 1e-3, batches of 128; and
# reconstructs 500 images at a time (minae.predict): a layer keeps what its backward needs,
# so one pass over 10,000 images would hold gigabytes of activations and columns
training = {"epochs": epochs, "batch_size": 128, "progress": lesson.progress}


print(keras_conv_autoencoder(0))

# %% [markdown]
# ## 1. Training the three at code size 128
# PCA-128 is fitted in closed form; the two autoencoders train for the same epochs with
# Adam (learning rate 1e-3, batch 128) on binary cross-entropy. The shapes check
# themselves: `Sequential` works out each layer's output size when it is built, and
# would name the layer where 28 → 14 → 7 → 4 → 8 → 16 → 14 → 28 broke.

# %%
conv = keras_conv_autoencoder(0)
dense = dense_autoencoder(0)
seconds = {}
for name, model, data in (("conv AE", conv, images_train), ("dense AE", dense, X_train)):
    history = minae.train(model, minae.Adam(model.parameters(), lr=1e-3), data, rng=1, **training)
    seconds[name] = sum(history.seconds) / epochs
start = time.perf_counter()
pca = minae.PCA(128).fit(X_train)
seconds["PCA-128"] = time.perf_counter() - start

reconstructions = {
    "PCA-128": np.clip(pca.inverse_transform(pca.transform(X_test)), 0.0, 1.0),
    "dense AE": minae.predict(dense.reconstruct, X_test, batch_size=500),
    # (B, 1, 28, 28) -> (B, 784)
    "conv AE": minae.predict(conv.reconstruct, images_test, batch_size=500).reshape(-1, 784),
}


def per_pixel_bce(X_hat, X):
    X_hat, X = to_host(X_hat), to_host(X)  # the scores are computed on the host
    p = np.clip(X_hat, 1e-7, 1 - 1e-7)
    return float(-(X * np.log(p) + (1 - X) * np.log(1 - p)).mean())


def squared_error(X_hat, X):
    X_hat, X = to_host(X_hat), to_host(X)
    return float(((X_hat - X) ** 2).sum(axis=1).mean())


parameters = {
    "PCA-128": 784 * 128 + 784,
    "dense AE": parameter_count(dense),
    "conv AE": parameter_count(conv),
}
print(
    f"{'model':10} {'squared error':>14} {'BCE / pixel':>12} {'parameters':>11} {'per epoch':>11}"
)
for name, X_hat in reconstructions.items():
    row = f"{name:10} {squared_error(X_hat, X_test):14.2f} {per_pixel_bce(X_hat, X_test):12.4f}"
    timing = "closed form" if name == "PCA-128" else f"{seconds[name]:.1f} s"
    print(f"{row} {parameters[name]:11,d} {timing:>11}")
print(f"(test images; {epochs} epoch(s); the Keras blog: 0.094 BCE / pixel after 50 epochs)")

# %% [markdown]
# Measured here after 10 epochs (full run, 2 cores): the conv AE reaches 0.101 BCE per
# pixel (the blog: 0.094 after 50 epochs) with 4,385 parameters, half a percent of the
# dense AE's 935,824: its 3×3 filters are shared over every position. At this code size
# it does not reconstruct as well: squared error 10.3 per image, against 2.0 for the
# dense AE and 2.7 for PCA-128. With 8, 8 and 16 channels the Keras model is small and
# its code is a 4×4 map, so fine strokes are lost; what it shows is how far weight
# sharing goes on 0.5% of the parameters. The squared error is summed over an image's
# 784 pixels and averaged over images, as in lessons 02-09.

# %%
show = np.arange(10)


def plot_rows(rows, filename):
    """One row of the ``show`` test images per entry of ``rows`` (title: images, B × 784)."""
    fig, axes = plt.subplots(len(rows), len(show), figsize=(10, 1.1 * len(rows)))
    for r, (title, images) in enumerate(rows.items()):
        images = to_host(images)  # matplotlib draws host arrays
        for c, i in enumerate(show):
            axes[r, c].imshow(images[i].reshape(28, 28), cmap="gray", vmin=0, vmax=1)
            axes[r, c].axis("off")
        axes[r, 0].set_title(title, loc="left", fontsize=9)
    lesson.save(fig, filename)


rows = {
    "Original Input": X_test,
    "Dense Autoencoder": reconstructions["dense AE"],
    "Conv Autoencoder": reconstructions["conv AE"],
}
plot_rows(rows, "1_dense_vs_conv.png")

# %% [markdown]
# ## 2. The convolutional denoising autoencoder
# Slides 002's "Denoising Autoencoder", trained as the Keras blog does: X̃ = X + 0.5·N(0, 1),
# clipped to [0, 1], in; the clean X out. The same conv model against the dense
# denoising autoencoder of lesson 07 (784-512-128), both trained here on this noise.

# %%
noise = partial(gaussian_noise, sigma=0.5)
conv_denoiser = keras_conv_autoencoder(1)
dense_denoiser = dense_autoencoder(1)
for model, data in ((conv_denoiser, images_train), (dense_denoiser, X_train)):
    optimizer = minae.Adam(model.parameters(), lr=1e-3)
    minae.train(model, optimizer, data, rng=2, corrupt=noise, **training)

noisy_test = noise(X_test, np.random.default_rng(3))  # one fixed draw for all
denoised = {
    "dense DAE": minae.predict(dense_denoiser.reconstruct, noisy_test, batch_size=500),
    "conv DAE": minae.predict(
        conv_denoiser.reconstruct, noisy_test.reshape(-1, 1, 28, 28), batch_size=500
    ).reshape(-1, 784),
}
print(f"noisy input:  squared error {squared_error(noisy_test, X_test):6.2f}")
for name, X_hat in denoised.items():
    print(f"{name:12}  squared error {squared_error(X_hat, X_test):6.2f}")

rows = {
    "noisy X̃": noisy_test,
    "dense DAE": denoised["dense DAE"],
    "conv DAE": denoised["conv DAE"],
    "clean X": X_test,
}
plot_rows(rows, "2_denoising.png")

# %% [markdown]
# Measured here after 10 epochs each: the noisy input is 90.6 from the clean images
# (squared error per image); the dense DAE brings it to 11.4 and the conv DAE to 17.7.
# Both remove most of the noise; the small conv model again gives up fine detail for
# its 4,385 parameters.

# %% [markdown]
# ## 3. What the first layer looks for
# The 16 filters of the first convolution, 3×3 each: small edge and stroke detectors
# (light and dark sides, several orientations), applied at every position of the image.

# %%
W = to_host(conv.encoder[0].W.value)  # (16, 1, 3, 3), on the host for matplotlib
fig, axes = plt.subplots(2, 8, figsize=(8, 2.3))
for k, ax in enumerate(axes.ravel()):
    limit = float(np.abs(W[k, 0]).max())
    ax.imshow(W[k, 0], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.axis("off")
fig.suptitle("first-layer filters of the conv AE (red +, blue −)", fontsize=9)
lesson.save(fig, "3_filters.png")


# %% [markdown]
# ## 4. Image completion: filling in a missing block
# Slides 004 names "image completion" among the uses of a denoising autoencoder. The
# corruption is now a 12×12 square set to 0 at a random place in each image
# (`block_masking`): X̃ has a hole, X does not, and the loss is the same binary
# cross-entropy against the whole clean image. Nothing tells the network where the
# hole is; it must see a stroke that stops short and continue it.
#
# The same Keras model, trained on holes. Beside it, the conv AE of section 1, trained
# on whole images only, given the same holed test images: how much of the completion
# comes from training on holes. The error is measured inside the hole alone (squared
# error summed over its 12 × 12 pixels, averaged over images), where the input says nothing.

# %%
holes = partial(block_masking, size=12)
conv_inpainter = keras_conv_autoencoder(3)
optimizer = minae.Adam(conv_inpainter.parameters(), lr=1e-3)
minae.train(conv_inpainter, optimizer, images_train, rng=4, corrupt=holes, **training)

holed_test = holes(images_test, np.random.default_rng(5))  # (B, 1, 28, 28), one fixed draw
# the same draw on an image of ones marks the squares: 1 in the hole, 0 elsewhere
in_hole = 1.0 - holes(np.ones_like(images_test), np.random.default_rng(5)).reshape(-1, 784)
completed = {
    "conv AE (whole images)": minae.predict(conv.reconstruct, holed_test, batch_size=500).reshape(
        -1, 784
    ),
    "conv inpainting DAE": minae.predict(
        conv_inpainter.reconstruct, holed_test, batch_size=500
    ).reshape(-1, 784),
}


def error_in_hole(X_hat, X, hole):
    X_hat, X, hole = to_host(X_hat), to_host(X), to_host(hole)
    return float((((X_hat - X) * hole) ** 2).sum(axis=1).mean())


holed_flat = holed_test.reshape(-1, 784)  # (B, 1, 28, 28) -> (B, 784)
for name, X_hat in {"holed input": holed_flat, **completed}.items():
    print(f"{name:24} squared error in the hole {error_in_hole(X_hat, X_test, in_hole):6.2f}")

rows = {
    "holed X̃": holed_flat,
    "conv AE (whole images)": completed["conv AE (whole images)"],
    "conv inpainting DAE": completed["conv inpainting DAE"],
    "clean X": X_test,
}
plot_rows(rows, "4_completion.png")

# %% [markdown]
# The default run: inside the hole, the holed input is 30.71 from the clean images
# (squared error over the hole's 12 × 12 pixels, per image). The conv AE trained on whole
# images brings it only to 27.27: it learned to reproduce its input, and reproduces the
# hole too (second row). Trained on holes, the same model brings it to 12.44, less than
# half: it continues the strokes into the square, blurred but in the right places (the
# 2's base, the 0's closed loop, the 4's crossbar). Where the square took the part that
# tells two digits apart, it completes a plausible digit that is not the one hidden (the
# 9 in the eighth column). Completion is denoising with the worst corruption there is:
# the pixels are gone, and only what the network learned about digits can fill them.
