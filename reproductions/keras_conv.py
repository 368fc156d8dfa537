"""The Keras blog's convolutional autoencoder (Chollet 2016): 0.094 BCE per test pixel.

Conv 1→16, 16→8, 8→8 (3×3, ReLU, each followed by 2×2 max pooling) to a 4×4×8 code, and
back through convolutions and 2× upsampling to a sigmoid image; binary cross-entropy;
50 epochs at batch 128. The blog reports a test loss of 0.094 (cross-entropy averaged
over pixels; minae sums it per image, so divide by 784). Keras trained with Adadelta,
minae with Adam 1e-3; the mark is to come within 2% of 0.094, or below it.
"""

from __future__ import annotations

from common import Clock, Result, mnist

import minae

NAME = "keras-conv"
EPOCHS, BATCH, PUBLISHED = 50, 128, 0.094


def model(seed: int = 0) -> minae.Autoencoder:
    encoder, decoder = minae.keras_blog_encoder_decoder(rng=seed)
    return minae.Autoencoder(encoder, decoder, minae.BCE())


def run(quick: bool = False) -> Result:
    X_train, X_test = mnist(quick)
    images_train = X_train.reshape(-1, 1, 28, 28)  # (B, 784) -> (B, 1, 28, 28)
    images_test = X_test.reshape(-1, 1, 28, 28)
    epochs = 1 if quick else EPOCHS
    clock = Clock()
    ae = model()
    minae.train(
        ae,
        minae.Adam(ae.parameters(), lr=1e-3),
        images_train,
        epochs=epochs,
        batch_size=BATCH,
        rng=1,
        progress=False,
    )
    per_pixel = minae.evaluate(ae, images_test, batch_size=500)["reconstruction"] / 784
    wall, cpu = clock.seconds()
    return Result(
        NAME,
        "Conv AE (Keras blog), binary cross-entropy per test pixel after 50 epochs",
        f"{PUBLISHED}",
        f"{per_pixel:.4f}",
        None if quick else per_pixel <= 1.02 * PUBLISHED,
        wall,
        cpu,
        {"bce_per_pixel": per_pixel, "epochs": epochs},
    )
