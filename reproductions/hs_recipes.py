"""Hinton & Salakhutdinov's 784-1000-500-250-30 autoencoder without pretraining: recipes.

The architecture is fixed (784-1000-500-250-30 and its mirror, a linear 30-number code);
activations, loss, optimizer, schedule and batch size are free (the recipes are in
``hinton_salakhutdinov.py``). No pretraining, and no
test image in training or in model selection: the last 5,000 of the 60,000 training
images (a fixed random choice) are the validation set that picks the epoch whose
parameters are kept. The test error is recorded after each epoch for the curves only.

    python reproductions/hs_recipes.py --recipe relu-bce-adam          # one recipe
    python reproductions/hs_recipes.py --figure                        # redraw the figure

Each run appends its curve (CPU-seconds, train / validation / test squared error per
image) to ``results/hs_<recipe>_<epochs>ep.json``; ``--figure`` draws every saved curve against
CPU-seconds (the process's CPU time, all threads, training and validation; the test
evaluations, which only draw the curve, are not counted).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from hinton_salakhutdinov import RECIPES, build, corruption, optimizer, split

import minae
from minae.training import guard

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PAPER = {"deep autoencoder (pretrained)": 3.00, "logistic PCA": 8.01, "PCA": 13.87}


def run(name: str, *, cpu_minutes: float, seed: int = 0, epochs: int | None = None) -> dict:
    recipe = RECIPES[name]
    X_train, X_val, X_test = split()
    epochs = epochs or recipe["epochs"]
    batches = -(-X_train.shape[0] // recipe["batch"])
    model = build(recipe, seed)
    optim = optimizer(recipe, model, epochs * batches)
    corrupt = corruption(recipe)
    rng = np.random.default_rng(seed + 1)
    curve = {"epoch": [], "cpu_s": [], "wall_s": [], "train": [], "val": [], "test": []}
    best = (np.inf, None, 0)
    cpu = wall = 0.0
    for epoch in range(1, epochs + 1):
        c0, w0 = time.process_time(), time.perf_counter()
        history = minae.train(
            model,
            optim,
            X_train,
            epochs=1,
            batch_size=recipe["batch"],
            rng=rng,
            X_val=X_val,
            corrupt=corrupt,
            progress=False,
        )
        val = history.val["squared_error"][-1]
        if val < best[0]:
            best = (val, guard.snapshot(optim), epoch)
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        test = minae.evaluate(model, X_test)["squared_error"]  # for the curve only
        for key, value in zip(
            curve, (epoch, cpu, wall, history.train["squared_error"][-1], val, test), strict=True
        ):
            curve[key].append(value)
        print(
            f"{name} epoch {epoch}: cpu {cpu:.0f} s, wall {wall:.0f} s, train "
            f"{curve['train'][-1]:.3f}, val {val:.3f}, test {test:.3f}",
            flush=True,
        )
        if cpu > cpu_minutes * 60:
            break
    guard.restore(optim, best[1])
    result = {
        "recipe": f"{name}, {epochs} epochs",
        **{k: v for k, v in recipe.items()},
        "seed": seed,
        "best_epoch": best[2],
        "best_val": best[0],
        "test_at_best": minae.evaluate(model, X_test)["squared_error"],
        "train_at_best": minae.evaluate(model, X_train)["squared_error"],
        "curve": curve,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"hs_{name}_{epochs}ep.json"
    path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "curve"}), flush=True)
    return result


def figure(path: Path = HERE / "hs_recipes.png") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(11, 5))
    colours = iter(plt.get_cmap("tab20").colors)
    for file in sorted(RESULTS.glob("hs_*.json")):
        result = json.loads(file.read_text(encoding="utf-8"))
        c = result["curve"]
        ax.plot(
            np.array(c["cpu_s"]) / 60,
            c["test"],
            color=next(colours),
            label=f"{result['recipe']}: test",
        )
    # reproduce.py's hs-3.00 runs, one file per recipe: validation per epoch, test at the end
    for file in sorted(RESULTS.glob("hs-final_*.json")):
        d = json.loads(file.read_text(encoding="utf-8"))["detail"]
        cpu, colour = np.array(d["cpu_s"]) / 60, next(colours)
        ax.plot(
            cpu,
            d["val"],
            "--",
            color=colour,
            label=f"{d['recipe']}, {d['epochs_run']} epochs: validation",
        )
        ax.plot(
            cpu[d["best_epoch"] - 1],
            d["test"],
            "*",
            color=colour,
            ms=14,
            label=f"{d['recipe']}: test at the best validation epoch, {d['test']:.4f}",
        )
    for label, value in PAPER.items():
        if value < 7:
            ax.axhline(value, color="0.3", ls=":", lw=1)
            ax.text(0.2, value, f"{label}: {value:.2f}", va="bottom", fontsize=8)
    ax.set_ylim(2.5, 7)
    ax.set_xlabel("CPU-minutes (training and validation; 2 threads)")
    ax.set_ylabel("squared error per test image")
    ax.set_title("784-1000-500-250-30 without pretraining")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", choices=sorted(RECIPES))
    parser.add_argument("--cpu-minutes", type=float, default=30.0)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--figure", action="store_true")
    args = parser.parse_args(argv)
    if args.recipe:
        run(args.recipe, cpu_minutes=args.cpu_minutes, epochs=args.epochs)
    if args.figure:
        print(figure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
