"""Exercise 11: your pieces inside minae (lesson 04; slides 001, "Training AEs for
Compression", steps ① to ⑥).

Nothing to write here. When ``linear_backward``, ``sigmoid_backward``, ``mse_grad`` and
``adam`` pass their checks, this task builds lesson 04's autoencoder (784-256-128-64-32-2
and its mirror, every unit a sigmoid) twice from one seed: once from minae's layers, once
from layers whose backward is yours, with your loss gradient and your Adam step. Both
train on the same minibatches; their loss curves must agree step for step.

    python -m minae.exercises check . train_autoencoder
    python e11_train.py          # prints both curves
"""

from pathlib import Path

from e02_activations import sigmoid_backward
from e03_linear import linear_backward
from e04_losses import mse_grad
from e05_optimizers import adam

from minae.exercises.plug_in import curves

if __name__ == "__main__":
    print(f"lesson 04's autoencoder, from {Path(__file__).resolve().parent}")
    mine, yours = curves(linear_backward, sigmoid_backward, mse_grad, adam)
    for step, (a, b) in enumerate(zip(mine, yours, strict=True), start=1):
        print(f"step {step:2}: minae's R̂ {a:.10f}   yours {b:.10f}")
