# %% [markdown]
# # Lesson 11: super-resolution, a low-resolution image in, a high-resolution one out
#
# Slides 004 lists super-resolution among the autoencoder's applications ("low-resolution
# image in, high-resolution image out"), and slides 001 names it as a variant of the
# denoising autoencoder: the corruption X → X̃ is a loss of resolution, and the network
# learns X̃ → X. Here the corruption is the usual one of the literature: each f × f block
# of pixels replaced by its mean (box downsampling), f = 2 or 4.
#
# Any model has to beat the interpolations that need no training. They are measured by
# PSNR = 10 log10(1 / MSE) in dB, per image, averaged over the held-out images (higher is
# better, +3 dB halves the squared error); colour photographs are measured on their
# luminance, as the super-resolution literature does.
#
# Three autoencoders, from the plainest to SRCNN's form (Dong et al. 2014):
# - a **dense AE**: the low-resolution pixels in, all the high-resolution pixels out;
# - a **residual conv AE** on the bicubic image: it predicts only what bicubic misses,
#   X - bicubic(X̃), and its last layer starts at zero, so it starts *at* bicubic;
# - a **conv AE that upsamples inside**: transposed convolutions of stride 2 take the
#   low-resolution image up to full size.
#
# $$
# Y = M_h X M_w^\top, \qquad \mathrm{PSNR} = 10 \log_{10} \frac{1}{\mathrm{MSE}}
# $$
#
# **Run time** of the recorded run: about 10 minutes (9 min 34 s measured),
# on AMD EPYC, 2 cores, 2 BLAS threads.
# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out the text.
# Short of time, stop after section 2 (MNIST): section 3 (photographs) is the other long
# part, and section 2's conclusions stand alone.

# %%

import matplotlib.pyplot as plt
import numpy as np

import minae
from minae import to_host
from minae.datasets import image_patches, load_cifar10, load_mnist, photos_dir, read_photos
from minae.images import downsample, resize_weights, rgb_to_ycbcr, upsample, ycbcr_to_rgb
from minae.metrics import psnr, psnr_per_image
from minae.teaching.lesson import compare, setup

lesson = setup("11_super_resolution")
BASELINES = ("nearest", "bilinear", "bicubic")

# %% [markdown]
# ## 1. The interpolations are matrices
# Enlarging an image X by interpolation is linear: Y = M_h X M_wᵀ, where row i of M
# holds the weights with which the input pixels make output pixel i. Bicubic's weights
# come from Keys's cubic kernel (a = -0.5): near 1 for the nearest input pixel, small
# negative ones for input pixels between one and two pixels away (Keys's kernel is
# negative for distances in (1, 2)), which sharpen edges a little. Here is M for 4 → 8
# pixels (rows: output pixels; the edge rows are rescaled to sum to 1).

# %% [markdown]
# Derive M first. Keys (1981) interpolates with the kernel
# k(t) = (a+2)|t|³ - (a+3)|t|² + 1 for |t| < 1, a(|t|³ - 5|t|² + 8|t| - 4) for
# 1 ≤ |t| < 2, and 0 beyond. Output pixel i of n_out has its centre at
# c_i = (i + ½)·n_in/n_out in input coordinates; input pixel j has its centre at j + ½,
# so M[i, j] = k(j + ½ - c_i), the weights of a row rescaled to sum to 1 (at the edges
# some neighbours fall outside the image). Written here from the formula, and compared
# with minae's `resize_weights`. The other way, section 2 makes its low-resolution images
# by box downsampling, each f×f block replaced by its mean: that is average pooling, and
# the same cell compares `downsample` with `AvgPool2d(f)`.

# %%


def keys(t, a=-0.5):
    t = np.abs(t)
    near = (a + 2) * t**3 - (a + 3) * t**2 + 1
    far = a * (t**3 - 5 * t**2 + 8 * t - 4)
    return np.where(t < 1, near, np.where(t < 2, far, 0.0))


def bicubic_matrix(n_in, n_out):
    centres = (np.arange(n_out) + 0.5) * n_in / n_out  # (n_out,), output pixel centres
    M = keys(np.arange(n_in)[None, :] + 0.5 - centres[:, None])  # (n_out, n_in)
    return M / M.sum(axis=1, keepdims=True)


np.set_printoptions(precision=3, suppress=True)
print(bicubic_matrix(4, 8))
for n_in, n_out in ((4, 8), (14, 28)):
    by_formula, library = bicubic_matrix(n_in, n_out), resize_weights(n_in, n_out, "bicubic")
    assert compare(f"Keys's kernel as M, {n_in} → {n_out}", by_formula, library)
blocks = minae.to_device(np.random.default_rng(0).uniform(size=(2, 1, 8, 8)).astype(np.float32))
for f in (2, 4):
    pooled = minae.AvgPool2d(f).forward(blocks)
    assert compare(f"box downsampling by {f} as AvgPool2d({f})", downsample(blocks, f), pooled)


def clipped(X):
    return np.clip(X, 0.0, 1.0)


# Every model here trains with Adam (learning rate 1e-3) and predicts 500 images at a
# time (minae.predict: a layer keeps what its backward needs), its output put back on the
# device beside the images it is compared with (minae.predict joins on the host).


def dense_sr(n_low, n_high, seed, width=1024):
    rng = np.random.default_rng(seed)
    encoder = minae.mlp([n_low, width], activation="relu", output_activation="relu", rng=rng)
    decoder = minae.mlp([width, n_high], activation="relu", output_activation="sigmoid", rng=rng)
    return minae.Autoencoder(encoder, decoder, minae.BCE())


def residual_sr(channels, seed, width=32):
    """SRCNN's form on the bicubic image, predicting the residual X - bicubic(X̃)."""
    rng = np.random.default_rng(seed)
    encoder = minae.Sequential(
        minae.Conv2d(channels, width, 5, padding=2, rng=rng, init="he"),
        minae.ReLU(),
        minae.Conv2d(width, width, 3, padding=1, rng=rng, init="he"),
        minae.ReLU(),
    )
    last = minae.Conv2d(width, channels, 3, padding=1, rng=rng)
    last.W.value[...] = 0.0  # residual 0: the model starts exactly at bicubic
    return minae.Autoencoder(encoder, minae.Sequential(last), minae.MSE())


def upsampling_sr(channels, factor, seed, width=32):
    """Conv, then one transposed convolution of stride 2 per doubling, then conv, sigmoid."""
    rng = np.random.default_rng(seed)
    layers = [minae.Conv2d(channels, width, 3, padding=1, rng=rng, init="he"), minae.ReLU()]
    for _ in range(int(np.log2(factor))):
        up = minae.ConvTranspose2d(
            width, width, 3, stride=2, padding=1, output_padding=1, rng=rng, init="he"
        )
        layers += [up, minae.ReLU()]  # side × 2
    decoder = minae.Sequential(
        minae.Conv2d(width, channels, 3, padding=1, rng=rng), minae.Sigmoid()
    )
    return minae.Autoencoder(minae.Sequential(*layers), decoder, minae.BCE())


# %% [markdown]
# ## 2. MNIST: 14×14 → 28×28 and 7×7 → 28×28
# The test images are box-downsampled by 2 and by 4; each model learns from the training
# images downsampled the same way. The dense AE sees the low-resolution pixels as a
# vector; the two conv AEs see images. All three train with Adam (learning rate 1e-3).

# %%
X_train, _ = load_mnist("train", download=True)  # fetched on first use (11 MB)
X_test, _ = load_mnist("test", download=True)
n_train = 2000 if lesson.quick else 12000
mnist_epochs = 1 if lesson.quick else 5
high_train = X_train[:n_train].reshape(-1, 1, 28, 28)  # (B, 784) -> (B, 1, 28, 28)
high_test = (X_test[:500] if lesson.quick else X_test).reshape(-1, 1, 28, 28)


def super_resolve_mnist(factor, seed=0):
    """PSNR on the test images and seconds of training for every method at one factor."""
    low_train, low_test = downsample(high_train, factor), downsample(high_test, factor)
    bicubic_train = upsample(low_train, factor, "bicubic")
    bicubic_test = upsample(low_test, factor, "bicubic")
    outputs, seconds = {}, {}
    for method in BASELINES:
        outputs[method] = clipped(upsample(low_test, factor, method))
    side = 28 // factor
    training = {"epochs": mnist_epochs, "rng": seed + 1, "progress": lesson.progress}
    dense = dense_sr(side * side, 784, seed)
    low, high = low_train.reshape(n_train, -1), high_train.reshape(n_train, -1)  # (B, pixels)
    optimizer = minae.Adam(dense.parameters(), lr=1e-3)
    history = minae.train(dense, optimizer, low, target=high, batch_size=128, **training)
    seconds["dense AE"] = sum(history.seconds)
    low_test_vectors = low_test.reshape(len(low_test), -1)
    dense_out = minae.to_device(minae.predict(dense.reconstruct, low_test_vectors, batch_size=500))
    outputs["dense AE"] = dense_out.reshape(high_test.shape)
    residual = residual_sr(1, seed)
    optimizer = minae.Adam(residual.parameters(), lr=1e-3)
    residue = high_train - bicubic_train
    history = minae.train(
        residual, optimizer, bicubic_train, target=residue, batch_size=64, **training
    )
    seconds["residual conv AE"] = sum(history.seconds)
    residual_out = minae.to_device(
        minae.predict(residual.reconstruct, bicubic_test, batch_size=500)
    )
    outputs["residual conv AE"] = clipped(bicubic_test + residual_out)
    inside = upsampling_sr(1, factor, seed)
    optimizer = minae.Adam(inside.parameters(), lr=1e-3)
    history = minae.train(
        inside, optimizer, low_train, target=high_train, batch_size=64, **training
    )
    seconds["upsampling conv AE"] = sum(history.seconds)
    outputs["upsampling conv AE"] = minae.to_device(
        minae.predict(inside.reconstruct, low_test, batch_size=500)
    )
    return low_test, outputs, seconds


mnist = {factor: super_resolve_mnist(factor) for factor in (2, 4)}
print(
    f"MNIST, PSNR in dB on {len(high_test):,} test images ({n_train:,} training images, "
    f"{mnist_epochs} epoch(s)); seconds of training in brackets"
)
for factor, (_, outputs, seconds) in mnist.items():
    cells = [
        f"{name} {psnr(X_hat, high_test):.2f}"
        + (f" ({seconds[name]:.0f} s)" if name in seconds else "")
        for name, X_hat in outputs.items()
    ]
    print(f"  ×{factor}: " + ", ".join(cells))

# %% [markdown]
# Measured here (full run, 2 cores, 12,000 training images, 5 epochs), PSNR in dB on the
# 10,000 test images, seconds of training in brackets:
#
# | | nearest | bilinear | bicubic | dense AE | residual conv AE | upsampling conv AE |
# | --- | ---: | ---: | ---: | ---: | ---: | ---: |
# | ×2 | 18.04 | 18.51 | 20.12 | 23.63 (5 s) | **27.80** (71 s) | 26.56 (25 s) |
# | ×4 | 13.97 | 14.11 | 14.63 | 17.66 (5 s) | 18.14 (66 s) | **19.05** (28 s) |
#
# Every network beats every interpolation by far: 27.80 dB against bicubic's 20.12 at ×2
# (the residual conv AE), 19.05 against 14.63 at ×4 (the upsampling one). Bicubic can
# only smooth what it is given; the networks have learnt what strokes look like, and at
# ×4 they draw a sharp digit where bicubic gives a blur.
#
# The figure shows ×4: the 7×7 input, bicubic, the two conv AEs and the original, with
# each image's PSNR.

# %%


def show_rows(rows, reference, columns, filename, title):
    """Rows of images (B, C, H, W) with each one's PSNR against ``reference``."""
    fig, axes = plt.subplots(
        len(rows), len(columns), figsize=(1.25 * len(columns), 1.45 * len(rows))
    )
    for r, (name, images) in enumerate(rows.items()):
        scores = psnr_per_image(images, reference, luminance_only=images.shape[1] == 3)
        images = to_host(images)  # matplotlib draws host arrays
        for c, i in enumerate(columns):
            image = np.clip(images[i].transpose(1, 2, 0), 0, 1)  # (C, H, W) -> (H, W, C)
            axes[r, c].imshow(
                image[..., 0] if image.shape[2] == 1 else image,
                cmap="gray",
                vmin=0,
                vmax=1,
                interpolation="nearest",
            )
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
            if name != "original":
                axes[r, c].set_xlabel(f"{scores[i]:.1f} dB", fontsize=7, labelpad=1)
        axes[r, 0].set_ylabel(name, fontsize=8)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    lesson.save(fig, filename)


low4, outputs4, _ = mnist[4]
show_rows(
    {
        "input 7×7": upsample(low4, 4, "nearest"),
        "bicubic": outputs4["bicubic"],
        "residual conv AE": outputs4["residual conv AE"],
        "upsampling conv AE": outputs4["upsampling conv AE"],
        "original": high_test,
    },
    high_test,
    range(8),
    "1_mnist_x4.png",
    "MNIST ×4: 7×7 → 28×28",
)

# %% [markdown]
# ## 3. Colour photographs, measured on luminance
# Patches of 32×32 pixels are cut from colour photographs: CIFAR-10's images when it is
# installed, else the seven public-domain photographs of `MINAE_PHOTOS` (a folder of
# your own photos works as well); with neither at hand, CIFAR-10 is downloaded on first
# use. The right quarter of every photograph is held out, so
# no test patch overlaps a training patch; nearly flat patches (standard deviation under
# 0.02: sky, black borders) are skipped, since any interpolation reproduces them.
#
# As in SRCNN, the networks work on the luminance Y only (the channel PSNR measures):
# the chroma Cb, Cr are enlarged by bicubic interpolation, where the eye forgives it.
# The residual conv AE, the one that must beat bicubic, is trained from three seeds and
# the table gives the mean and half the range; the other two from one seed.

# %%
n_patches = 400 if lesson.quick else 3000
photo_epochs = 1 if lesson.quick else 8
try:
    # CIFAR-10 when installed; with no photographs at hand either, downloaded now (170 MB)
    cifar_train, _ = load_cifar10("train", download=not photos_dir().is_dir())
    cifar_test, _ = load_cifar10("test")
    rgb_train, rgb_test = cifar_train[:n_patches], cifar_test[:1000]
    data = "CIFAR-10 (32×32 images)"
except FileNotFoundError:
    photos = read_photos()  # MINAE_PHOTOS, or MINAE_DATA/photos
    rgb_train = image_patches(photos, 32, n_patches, rng=0, split="train", min_std=0.02)
    rgb_test = image_patches(
        photos, 32, 200 if lesson.quick else 1000, rng=1, split="test", min_std=0.02
    )
    data = f"32×32 patches of {len(photos)} photographs, right quarter held out"
print(f"data: {data}; {len(rgb_train):,} training and {len(rgb_test):,} test images")


def luma(rgb):
    return rgb_to_ycbcr(rgb)[:, :1]  # (B, 3, H, W) -> Y (B, 1, H, W)


def with_luma(Y, bicubic_rgb):
    """RGB from a predicted Y and the bicubic image's chroma."""
    ycc = rgb_to_ycbcr(bicubic_rgb)
    ycc[:, :1] = Y
    return clipped(ycbcr_to_rgb(ycc))


def super_resolve_photos(factor, seeds=(0, 1, 2)):
    low_train, low_test = downsample(rgb_train, factor), downsample(rgb_test, factor)
    bicubic_train = upsample(low_train, factor, "bicubic")
    bicubic_test = upsample(low_test, factor, "bicubic")
    scores = {
        m: [psnr(clipped(upsample(low_test, factor, m)), rgb_test, luminance_only=True)]
        for m in BASELINES
    }
    examples, seconds = {}, {}
    Y_low_train, Y_low_test = luma(low_train), luma(low_test)
    Y_train, Y_bicubic_train = luma(rgb_train), luma(bicubic_train)
    Y_bicubic_test = luma(bicubic_test)
    side = 32 // factor
    for seed in seeds:
        models = {}
        training = {"epochs": photo_epochs, "rng": seed + 1, "progress": lesson.progress}
        if seed == seeds[0]:
            dense = dense_sr(side * side, 32 * 32, seed)
            low, high = Y_low_train.reshape(len(Y_low_train), -1), Y_train.reshape(len(Y_train), -1)
            optimizer = minae.Adam(dense.parameters(), lr=1e-3)
            history = minae.train(dense, optimizer, low, target=high, batch_size=128, **training)
            seconds["dense AE"] = sum(history.seconds)
            low_test_vectors = Y_low_test.reshape(len(Y_low_test), -1)
            dense_Y = minae.predict(
                dense.reconstruct, low_test_vectors, batch_size=500
            )  # (B, 1024)
            models["dense AE"] = minae.to_device(dense_Y).reshape(Y_bicubic_test.shape)
            inside = upsampling_sr(1, factor, seed)
            optimizer = minae.Adam(inside.parameters(), lr=1e-3)
            history = minae.train(
                inside, optimizer, Y_low_train, target=Y_train, batch_size=64, **training
            )
            seconds["upsampling conv AE"] = sum(history.seconds)
            models["upsampling conv AE"] = minae.to_device(
                minae.predict(inside.reconstruct, Y_low_test, batch_size=500)
            )
        residual = residual_sr(1, seed)
        optimizer = minae.Adam(residual.parameters(), lr=1e-3)
        residue = Y_train - Y_bicubic_train
        history = minae.train(
            residual, optimizer, Y_bicubic_train, target=residue, batch_size=64, **training
        )
        seconds.setdefault("residual conv AE", []).append(sum(history.seconds))
        residual_Y = minae.predict(residual.reconstruct, Y_bicubic_test, batch_size=500)
        models["residual conv AE"] = Y_bicubic_test + minae.to_device(residual_Y)
        for name, Y in models.items():
            rgb = with_luma(Y, bicubic_test)
            scores.setdefault(name, []).append(psnr(rgb, rgb_test, luminance_only=True))
            examples.setdefault(name, rgb)  # the first seed's, for the figure
    return low_test, bicubic_test, scores, examples, seconds


photo_results = {factor: super_resolve_photos(factor) for factor in (2, 4)}
print(
    f"{data}: luminance PSNR in dB on the held-out images (the residual conv AE: mean ± "
    "half the range over three seeds); gain over bicubic and seconds of training in "
    "brackets"
)
for factor, (_, _, scores, _, seconds) in photo_results.items():
    bicubic = scores["bicubic"][0]
    cells = []
    for name, values in scores.items():
        mean, spread = np.mean(values), (np.max(values) - np.min(values)) / 2
        cell = f"{name} {mean:.2f}" + (f" ± {spread:.2f}" if len(values) > 1 else "")
        if name not in BASELINES:
            s = np.mean(seconds[name])  # seconds of training (a mean over the seeds)
            cell += f" ({mean - bicubic:+.2f}; {s:.0f} s)"
        cells.append(cell)
    print(f"  ×{factor}: " + ", ".join(cells))

# %% [markdown]
# Measured here (full run, the seven photographs, 3,000 training patches, 8 epochs):
#
# | | nearest | bilinear | bicubic | dense AE | upsampling conv AE | residual conv AE, 3 seeds |
# | --- | ---: | ---: | ---: | ---: | ---: | ---: |
# | ×2 | 41.06 | 42.34 | 43.90 | 31.74 (3 s) | 36.80 (13 s) | **44.56 ± 0.19** (+0.66; 38 s) |
# | ×4 | 36.69 | 37.54 | 38.27 | 31.69 (2 s) | 35.00 (13 s) | **38.38 ± 0.24** (+0.11; 38 s) |
#
# (seconds of training in brackets; the residual model's are a mean over its seeds)
#
# On photographs the picture turns round. Only the residual conv AE beats bicubic: by
# +0.66 dB at ×2, more than its spread over seeds, and by +0.11 dB at ×4, less than its
# spread, so at ×4 this run shows no reliable gain; the two networks that must draw
# the whole image from scratch fall far below bicubic (by 3 to 12 dB) with this little
# data and training: smooth colour gradients are exactly what interpolation does well
# and a network must learn. The residual model starts at bicubic and learns only a
# correction (sharper edges, as the figure shows): the right form when data is short.
# The PSNRs are high (44 dB) because most of these patches are smooth.

# %%
low2, bicubic2, _, examples2, _ = photo_results[2]
busiest_first = np.argsort(-rgb_test.reshape(len(rgb_test), -1).std(axis=1))
order = busiest_first[np.linspace(0, len(rgb_test) // 2, 6).astype(int)]  # the busier half
show_rows(
    {
        "input 16×16": upsample(low2, 2, "nearest"),
        "bicubic": clipped(bicubic2),
        "residual conv AE": examples2["residual conv AE"],
        "original": rgb_test,
    },
    rgb_test,
    order,
    "2_photos_x2.png",
    f"×2 on held-out {data.split(' (')[0]}",
)

# %% [markdown]
# ## What to take away
# - Super-resolution is a denoising autoencoder whose corruption is a loss of resolution:
#   the same `train(..., target=...)` as lesson 07, with X̃ = downsample(X).
# - Predicting the residual over bicubic makes the task small (the network only adds
#   detail) and, with the last layer starting at zero, the model can only start from
#   bicubic's score.
# - On digits, which all look alike, a network learns far more than any interpolation
#   (the dense AE learns the shape of digits from the whole image); on photographs the
#   gain is small: a few thousand patches teach sharpening of edges, not what the
#   missing detail was.
