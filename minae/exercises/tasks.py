"""The exercises' tasks in the lessons' order: what a student writes, where, which slide
and lesson it comes from, how many points it earns, and how it is checked.

``POINTS`` is the one table an instructor edits (or overrides with ``--points FILE``, a
JSON object of task name to points).
"""

from __future__ import annotations

from ..teaching.gradcheck import TOLERANCE
from . import conv_checks, dense_checks, difference_tasks
from .compare import Mismatch
from .plug_in import CURVE_TOLERANCE, curves, plugged_in_errors
from .task import Task


def check_train_autoencoder(linear_backward, sigmoid_backward, mse_grad, adam) -> None:
    pieces = {
        "linear_backward": (linear_backward, dense_checks.check_linear_backward),
        "sigmoid_backward": (sigmoid_backward, dense_checks.check_sigmoid_backward),
        "mse_grad": (mse_grad, dense_checks.check_mse_grad),
        "adam": (adam, dense_checks.check_adam),
    }
    for name, (function, check) in pieces.items():
        try:
            check(function)
        except Mismatch:
            raise Mismatch(
                f"{name} does not pass its own check yet",
                f"fix {name} first (`check . {name}` says what differs)",
            ) from None
    errors = plugged_in_errors(linear_backward, sigmoid_backward, mse_grad)
    wrong = {name: error for name, error in errors.items() if not error < TOLERANCE}
    if wrong:
        listed = ", ".join(f"{name} {error:.1e}" for name, error in wrong.items())
        raise Mismatch(
            f"inside minae's layers, your pieces fail its gradient check: {listed}",
            "return arrays shaped like minae's (dX like X, dW like W, db like b)",
        )
    mine, theirs = curves(linear_backward, sigmoid_backward, mse_grad, adam)
    for step, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if abs(a - b) > CURVE_TOLERANCE * abs(a):
            raise Mismatch(
                f"the loss curves part at step {step + 1} of {len(mine)}: minae's R̂ = {a:.10g}, "
                f"yours {b:.10g}\n    minae's curve: {_short(mine)}\n    yours:         "
                f"{_short(theirs)}",
                "every piece passed its own check: look at how they are called (shapes "
                "(B, D) with one example per row, Y = X W + b)",
            )


def _short(curve: list[float]) -> str:
    return " ".join(f"{v:.4f}" for v in curve)


S001_TRAINING = 'slides 001, "Training AEs for Compression"'
S001_SPARSE = 'slides 001, "Training Sparse AEs"'
S002_CONV = 'slides 002, "Convolutional Autoencoder"'
S003_CAE = 'slides 003, "Contractive Autoencoder"'
_LESSON_TASKS = (
    Task("pca", "e01_pca", 'slides 000, "PCA"', "01, 02", dense_checks.check_pca),
    Task(
        "sigmoid_backward",
        "e02_activations",
        S001_TRAINING + " ③",
        "03, 04",
        dense_checks.check_sigmoid_backward,
    ),
    Task(
        "relu_backward",
        "e02_activations",
        S001_TRAINING + " ③",
        "03, 04",
        dense_checks.check_relu_backward,
    ),
    Task(
        "tanh_backward",
        "e02_activations",
        S001_TRAINING + " ③",
        "03",
        dense_checks.check_tanh_backward,
    ),
    Task(
        "linear_backward",
        "e03_linear",
        S001_TRAINING + " ③ ⑤",
        "04, 14",
        dense_checks.check_linear_backward,
    ),
    Task("mse_grad", "e04_losses", S001_TRAINING + " ③", "04", dense_checks.check_mse_grad),
    Task(
        "bce_grad",
        "e04_losses",
        "slides 003, reconstruction loss",
        "04, 07",
        dense_checks.check_bce_grad,
    ),
    Task("momentum", "e05_optimizers", S001_TRAINING + " ⑥", "04", dense_checks.check_momentum),
    Task("adam", "e05_optimizers", S001_TRAINING + " ⑥", "04", dense_checks.check_adam),
    Task("l1_grad", "e06_sparsity", S001_SPARSE, "06", dense_checks.check_l1_grad),
    Task(
        "kl_sparsity_grad", "e06_sparsity", S001_SPARSE, "06", dense_checks.check_kl_sparsity_grad
    ),
    Task(
        "sparse_autoencoder_backward",
        "e07_bottleneck",
        S001_SPARSE + ", ∇_Z R̂",
        "06",
        dense_checks.check_sparse_autoencoder_backward,
    ),
    Task(
        "contractive_penalty",
        "e08_contractive",
        S003_CAE,
        "08",
        dense_checks.check_contractive_penalty,
    ),
    Task(
        "contractive_grad", "e08_contractive", S003_CAE, "08", dense_checks.check_contractive_grad
    ),
    Task(
        "reparameterisation_backward",
        "e09_vae",
        'slides 002, "VAE outputs a distribution"',
        "09",
        dense_checks.check_reparameterisation_backward,
    ),
    Task(
        "gaussian_kl_grad",
        "e09_vae",
        "slides 003, the VAE loss",
        "09",
        dense_checks.check_gaussian_kl_grad,
    ),
    Task("conv2d_loops", "e10_convolution", S002_CONV, "10", conv_checks.check_conv2d_loops),
    Task(
        "conv2d_backward_loops",
        "e10_convolution",
        S002_CONV,
        "10",
        conv_checks.check_conv2d_backward_loops,
    ),
    Task("im2col", "e10_convolution", S002_CONV, "10", conv_checks.check_im2col),
    Task("conv2d_im2col", "e10_convolution", S002_CONV, "10", conv_checks.check_conv2d_im2col),
    Task(
        "conv2d_backward_im2col",
        "e10_convolution",
        S002_CONV,
        "10",
        conv_checks.check_conv2d_backward_im2col,
    ),
    Task(
        "conv_transpose2d", "e10_convolution", S002_CONV, "10", conv_checks.check_conv_transpose2d
    ),
    Task(
        "train_autoencoder",
        "e11_train",
        S001_TRAINING + " ① to ⑥",
        "04",
        check_train_autoencoder,
        uses=("linear_backward", "sigmoid_backward", "mse_grad", "adam"),
        may_use_minae=True,
    ),
)

# the tasks minae has no answer for, each after the task it follows in the lessons
_AFTER = {
    "tanh_backward": ("softplus_backward", "elu_backward"),
    "bce_grad": ("huber_grad",),
    "kl_sparsity_grad": ("cauchy_grad",),
    "sparse_autoencoder_backward": ("tied_autoencoder_backward",),
    "gaussian_kl_grad": ("kl_prior_grad", "gaussian_nll_grad"),
    "conv_transpose2d": ("dilated_conv2d_backward",),
}
_BY_NAME = {t.name: t for t in difference_tasks.TASKS}
TASKS = tuple(
    t for task in _LESSON_TASKS for t in (task, *(_BY_NAME[n] for n in _AFTER.get(task.name, ())))
)

# Points per task: the one table to edit (or override with --points FILE).
POINTS = {
    "pca": 4,
    "sigmoid_backward": 2,
    "relu_backward": 2,
    "tanh_backward": 2,
    "linear_backward": 6,
    "mse_grad": 2,
    "bce_grad": 3,
    "momentum": 3,
    "adam": 4,
    "l1_grad": 2,
    "kl_sparsity_grad": 4,
    "sparse_autoencoder_backward": 8,
    "contractive_penalty": 3,
    "contractive_grad": 6,
    "reparameterisation_backward": 3,
    "gaussian_kl_grad": 3,
    "conv2d_loops": 4,
    "conv2d_backward_loops": 6,
    "im2col": 4,
    "conv2d_im2col": 3,
    "conv2d_backward_im2col": 6,
    "conv_transpose2d": 4,
    "train_autoencoder": 6,
    # graded by central differences alone
    "softplus_backward": 2,
    "elu_backward": 2,
    "huber_grad": 3,
    "cauchy_grad": 2,
    "tied_autoencoder_backward": 5,
    "kl_prior_grad": 3,
    "gaussian_nll_grad": 3,
    "dilated_conv2d_backward": 4,
}

STUB_FILES = tuple(dict.fromkeys(task.file for task in TASKS))  # in order, each once


def find(names: list[str], tasks=TASKS) -> list[Task]:
    """The tasks named (a task's name, its file's name, or its exercise number), in the
    lessons' order; all of ``tasks`` for an empty list. An unknown name raises ValueError."""
    tasks = list(tasks)
    if not names:
        return tasks

    def labels(t: Task) -> set[str]:
        number = t.file[1:3]
        extra = {t.file[:3], number, str(int(number))} if number.isdigit() else set()
        return {t.name, t.file} | extra

    chosen: set[str] = set()
    for name in names:
        stem = name.removesuffix(".py")
        hits = [t for t in tasks if stem in labels(t)]
        if not hits:
            raise ValueError(f"no task {name!r}; `python -m minae.exercises list` lists them")
        chosen.update(t.name for t in hits)
    return [t for t in tasks if t.name in chosen]


def custom_tasks(path) -> list[Task]:
    """The tasks an instructor's Python file defines: its ``TASKS``, a list of
    :class:`Task` (usually made by :func:`minae.exercises.gradient_task` from a forward
    function alone). A name that is already a task, or a file without ``TASKS``, is
    refused with ValueError."""
    import importlib.util
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"--tasks-file {path}: no such file")
    spec = importlib.util.spec_from_file_location(f"minae_custom_tasks_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"--tasks-file {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = getattr(module, "TASKS", None)
    if not isinstance(found, (list, tuple)) or not all(isinstance(t, Task) for t in found):
        raise ValueError(
            f"--tasks-file {path}: the file must define TASKS, a list of Task "
            "(minae.exercises.gradient_task makes one from a forward "
            "function)"
        )
    taken = {t.name for t in TASKS}
    clashes = [t.name for t in found if t.name in taken]
    if clashes or len({t.name for t in found}) != len(found):
        raise ValueError(f"--tasks-file {path}: task names must be new and distinct: {clashes}")
    return list(found)


def registry(tasks_file=None) -> dict[str, Task]:
    """Every task by name: the built-in ones, then those of ``tasks_file`` (if any)."""
    everything = list(TASKS) + (custom_tasks(tasks_file) if tasks_file else [])
    return {t.name: t for t in everything}


def points_of(task: Task, points: dict | None = None) -> float:
    """A task's points: ``points`` (the instructor's override), else its own, else POINTS."""
    if points and task.name in points:
        return float(points[task.name])
    if task.name in POINTS:
        return float(POINTS[task.name])
    return float(task.points if task.points is not None else 0)
