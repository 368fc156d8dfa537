"""python -m minae: train an autoencoder and report its reconstruction error.

On MNIST when its files are found ($MINAE_DATA or the user cache), else on the
procedural shapes, which need no download. Saves the parameters and a figure of test
images beside their reconstructions to --out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy

from . import MSE, Adam, Autoencoder, evaluate, mlp, save, to_host, train
from .datasets import load_mnist, shapes
from .infrastructure.console import printable_stdout


def _data(name: str, rng):
    if name in ("auto", "mnist"):
        try:
            return "MNIST", load_mnist("train")[0], load_mnist("test")[0]
        except FileNotFoundError as err:
            if name == "mnist":
                raise SystemExit(f"python -m minae: {err}") from None
            print(f"MNIST not found: {err}\nUsing procedural shapes instead.\n")
    X, _ = shapes(12000, rng)
    return "shapes", X[:10000], X[10000:]


def _figure(model, X_test, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X = X_test[:8]
    X_hat = model.reconstruct(X)
    fig, axes = plt.subplots(2, 8, figsize=(8, 2.3))
    for column, (x, x_hat) in enumerate(zip(to_host(X), to_host(X_hat), strict=True)):
        for row, image in enumerate((x, x_hat)):
            axes[row, column].imshow(image.reshape(28, 28), cmap="gray", vmin=0, vmax=1)
            axes[row, column].axis("off")
    axes[0, 0].set_title("X", loc="left", fontsize=9)
    axes[1, 0].set_title("X̂", loc="left", fontsize=9)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def _positive(text: str) -> int:
    """An argparse type: a whole number >= 1, or a usage error that names the value."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number (1 or more)")
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m minae",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--data",
        choices=["auto", "mnist", "shapes"],
        default="auto",
        help="auto: MNIST when its files are found, else the shapes",
    )
    parser.add_argument("--epochs", type=_positive, default=5, help="passes over the data")
    parser.add_argument("--code", type=_positive, default=30, help="width L of the code Z")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random draw")
    parser.add_argument("--out", default="minae-out", help="folder for the model and figure")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    printable_stdout()
    out = Path(args.out)
    if out.exists() and not out.is_dir():  # found before training, not after
        parser.error(f"--out {out} is a file; it names the folder for the model and figure")
    rng = numpy.random.default_rng(args.seed)
    name, X_train, X_test = _data(args.data, rng)
    widths = [784, 256, 64, args.code]
    model = Autoencoder(
        mlp(widths, activation="relu", rng=rng),
        mlp(widths[::-1], activation="relu", output_activation="sigmoid", rng=rng),
        MSE(),
    )
    print(f"{name}: {X_train.shape[0]} training images; model {widths} mirrored, ReLU, Adam")
    history = train(
        model,
        Adam(model.parameters()),
        X_train,
        epochs=args.epochs,
        batch_size=128,
        rng=rng,
        X_val=X_test,
        progress=not args.quiet,
    )
    for epoch, (tr, va, s) in enumerate(
        zip(
            history.train["squared_error"],
            history.val["squared_error"],
            history.seconds,
            strict=True,
        ),
        start=1,
    ):
        print(
            f"epoch {epoch}: squared error per image {tr:.2f} (train), {va:.2f} (test), {s:.1f} s"
        )
    error = evaluate(model, X_test)["squared_error"]
    out.mkdir(parents=True, exist_ok=True)
    save(model, out / "autoencoder.npz")
    _figure(model, X_test, out / "reconstructions.png")
    print(f"test squared error per image: {error:.2f}; model and figure saved in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
