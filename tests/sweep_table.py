"""The bad-input sweep's table: every public callable the API reference lists, with good
arguments and the kind of each parameter (``sweep_kinds.py``), or the reason it takes
nothing to sweep. A public name missing here fails the suite
(``tests/test_bad_input_sweep.py``).
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import numpy as np
from sweep_kinds import (
    Array,
    Bool,
    Case,
    Choice,
    Float,
    Function,
    Generator,
    Instance,
    Int,
    PathKind,
    Seed,
)

import minae
from minae import datasets, fast, images, metrics, models, optim, training
from minae.exercises import check as exercise_check
from minae.exercises import grade, gradescope, gradient_task, report
from minae.layers import (
    AvgPool2d,
    Conv2d,
    ConvTranspose2d,
    Dropout,
    Linear,
    MaxPool2d,
    Sequential,
    Sigmoid,
    Unflatten,
    Upsample2d,
)
from minae.pca import PCA, subspace_angles
from minae.teaching import gradcheck


class Shape(Instance):
    """A shape or a list of widths: each entry a positive int."""

    def bad(self, good):
        return [
            *super().bad(good),
            ("a zero", (0, *good[1:])),
            ("a float", (2.5, *good[1:])),
            ("a negative", (-1, *good[1:])),
        ]


class IntOrShape(Shape):
    """A shape that may also be one int (784 for (784,))."""

    def bad(self, good):
        return [b for b in super().bad(good) if b[0] != "a number"]


class OptionalPath(PathKind):
    """A path, or None for the default."""

    def bad(self, good):
        return [b for b in super().bad(good) if b[0] != "None"]


class Name(Instance):
    """A name that must be a word: a task's or a file's."""

    def bad(self, good):
        return [b for b in super().bad(good) if b[0] != "a string"] + [
            ("an empty string", ""),
            ("not an identifier", "a b"),
        ]


class Text(Instance):
    """A word whose meaning is judged later (a monitor, before the first batch)."""

    def bad(self, good):
        return [("a number", 3), ("None", None), ("a list", [good])]


class Params(Instance):
    """A list of Parameters."""

    def bad(self, good):
        return [*super().bad(good), ("an empty list", []), ("a list of numbers", [1.0, 2.0])]


def X(n=8, d=6, dtype=np.float32, seed=1):
    return np.random.default_rng(seed).uniform(0.05, 0.95, size=(n, d)).astype(dtype)


def images4(n=2, c=1, h=8, w=8, dtype=np.float32):
    return np.random.default_rng(2).uniform(0.05, 0.95, size=(n, c, h, w)).astype(dtype)


def net(seed=0, dtype="float32"):
    rng = np.random.default_rng(seed)
    encoder = minae.mlp([6, 3], activation="sigmoid", rng=rng, dtype=dtype)
    decoder = minae.mlp(
        [3, 6], activation="sigmoid", output_activation="sigmoid", rng=rng, dtype=dtype
    )
    return minae.Autoencoder(encoder, decoder, minae.MSE())


def vae(dtype="float32"):
    rng = np.random.default_rng(3)
    return models.VAE(
        minae.mlp([6, 4], activation="tanh", rng=rng, dtype=dtype),
        minae.mlp([2, 6], activation="tanh", rng=rng, dtype=dtype),
        minae.BCEWithLogits(),
        rng=rng,
    )


def linear(dtype="float32"):
    return Linear(6, 3, rng=0, dtype=dtype)


def run_args():
    model = net()
    return {
        "model": model,
        "optimizer": minae.Adam(model.parameters()),
        "X": X(),
        "target": None,
        "batch_size": 4,
        "rng": np.random.default_rng(0),
        "corrupt": None,
        "epochs": 1,
    }


def train_args():
    model = net()
    return {
        "model": model,
        "optimizer": minae.Adam(model.parameters()),
        "X": X(),
        "epochs": 1,
        "batch_size": 4,
        "rng": np.random.default_rng(0),
        "X_val": X(4, seed=5),
        "progress": False,
        "keep_best": True,
        "patience": 2,
        "monitor": "total",
    }


def folder():
    return Path(tempfile.mkdtemp(prefix="minae-sweep-"))


TINY_CIFAR = dataclasses.replace(datasets.CifarSource(), records_per_file=2)


def data_folder():
    """A folder with tiny MNIST and Fashion-MNIST (12 and 5 images) and CIFAR-10 (2
    records a file), a PNG and an IDX file: every loader's good arguments."""
    from data_helpers import write_tiny_dataset
    from matplotlib.image import imsave

    root = folder()
    write_tiny_dataset(root / "mnist")
    write_tiny_dataset(root / "fashion-mnist", seed=1)
    (root / "cifar10").mkdir()
    rng = np.random.default_rng(0)
    for name in TINY_CIFAR.all_files():
        records = rng.integers(0, 256, size=(2, 3073), dtype=np.uint8)
        records[:, 0] %= 10
        (root / "cifar10" / name).write_bytes(records.tobytes())
    (root / "photos").mkdir()
    imsave(root / "photos" / "a.png", rng.uniform(size=(40, 40, 3)))
    (root / "x.idx").write_bytes(datasets.encode_idx(np.zeros((2, 3), np.uint8)))
    return root


def _method(make, name):
    """A call of ``make()``'s method ``name``, the object kept for the judge to watch."""

    def call(owner, **kwargs):
        return getattr(owner, name)(**kwargs)

    return call


def method_case(make, name, args, kinds, names=None):
    def build():
        return {"owner": make(), **args()}

    return Case(_method(make, name), build, kinds, names or {})


OPTIONAL_DTYPE = Choice(("float32", "float64"), optional=True)
SEED = Seed()
A = Array()
ANY = Array(shaped=False)
# a code's arrays inside training: NaN passes, for the loop's guard to catch
CODE = Array(finite=False)
# what a layer's forward, a loss or a penalty takes on every batch: checked for its type,
# shape and dtype, not for NaN (a pass over the data each call; the training loop checks
# its data once, and its guard stops a loss that turns NaN)
HOT = Array(finite=False)
HOT_ANY = Array(finite=False, shaped=False)
PCA_X = Array(lists_ok=True)  # scikit-learn's estimators take array-likes

# What has nothing to sweep, and why.
NOTHING = {
    "minae.models.Model": "a base class: models subclass it, nobody calls it",
    "minae.models.Gradients": "the record a model's backward returns; read, not built",
    "minae.models.VAEGradients": "the record a VAE's backward returns; read, not built",
    "minae.models.LossTerms": "the record a model's loss returns; read, not built",
    "minae.layers.Activation": "an abstract base: Sigmoid, ReLU, Tanh are swept",
    "minae.layers.Layer": "an abstract base: the layers are swept",
    "minae.layers.Flatten": "takes no arguments (its forward is swept)",
    "minae.layers.Identity": "takes no arguments",
    "minae.layers.ReLU": "takes no arguments (its forward is swept)",
    "minae.layers.Sigmoid": "takes no arguments (its forward is swept)",
    "minae.layers.Tanh": "takes no arguments",
    "minae.losses.BCE": "takes no arguments (its value and grad are swept)",
    "minae.losses.MSE": "takes no arguments (its value and grad are swept)",
    "minae.losses.BCEWithLogits": "takes no arguments (its value is swept)",
    "minae.losses.SoftmaxCrossEntropy": "takes no arguments (its value is swept)",
    "minae.losses.Loss": "an abstract base: the losses are swept",
    "minae.penalties.L1": "takes no arguments (its value and grad are swept)",
    "minae.penalties.CodePenalty": "an abstract base: the penalties are swept",
    "minae.penalties.ParameterPenalty": "an abstract base: the penalties are swept",
    "minae.penalties.WeightDecay": "takes no arguments",
    "minae.penalties.WeightL1": "takes no arguments",
    "minae.optim.Constant": "takes no arguments",
    "minae.optim.Optimizer": "the base of SGD, Adam and AdamW, which are swept",
    "minae.optim.Schedule": "an abstract base: the schedules are swept",
    "minae.training.Callback": "the base of the callbacks, which are swept",
    "minae.training.History": "the record train returns; read, not built",
    "minae.training.NonFiniteLossError": "an error minae raises",
    "minae.datasets.CifarFormatError": "an error minae raises",
    "minae.datasets.IdxFormatError": "an error minae raises",
    "minae.datasets.CifarSource": "a dataset's description, built once in minae",
    "minae.datasets.DataSource": "a dataset's description, built once in minae",
    "minae.datasets.data_root": "takes no arguments",
    "minae.datasets.photos_dir": "takes no arguments",
    "minae.exercises.Result": "the record grading returns; read, not built",
    "minae.exercises.Task": "a task's record, built by gradient_task or minae",
    "minae.infrastructure.backend.array_module": "takes no arguments",
    "minae.infrastructure.backend.get_backend": "takes no arguments",
    "minae.infrastructure.backend.get_default_dtype": "takes no arguments",
    "minae.infrastructure.backend.set_backend": "changes the process's backend: tests/test_backend.py",
    "minae.infrastructure.backend.default_dtype": "a context manager over set_default_dtype, which is swept",
    "minae.infrastructure.backend.to_host": "converts whatever it is given to NumPy, as numpy.asarray does",
}

# fmt: off
CASES: dict[str, Case] = {
    # -- models ---------------------------------------------------------------------------
    "minae.models.VAE": Case(models.VAE, lambda: {"encoder": minae.mlp([6, 4], activation="tanh",
                             rng=0), "decoder": minae.mlp([2, 6], activation="tanh", rng=0),
                             "loss": minae.BCEWithLogits(), "rng": 0},
                             {"encoder": Instance(), "decoder": Instance(), "loss": Instance(),
                              "rng": SEED}),
    "minae.models.Autoencoder": Case(minae.Autoencoder, lambda: {"encoder": linear(),
                                     "decoder": Linear(3, 6, rng=1), "loss": minae.MSE(),
                                     "penalty": minae.L1(), "lam": 0.1,
                                     "penalties": {"weight_decay": (0.01, minae.WeightDecay())}},
                                     {"encoder": Instance(), "decoder": Instance(),
                                      "loss": Instance(), "penalty": Instance(optional=True),
                                      "lam": Float(), "penalties": Instance(optional=True)}),
    "minae.models.ContractiveAutoencoder": Case(
        models.ContractiveAutoencoder,
        lambda: {"encoder": Sequential(linear(), Sigmoid()), "decoder": Linear(3, 6, rng=1),
                 "loss": minae.MSE(), "lam": 0.1, "penalties": None},
        {"encoder": Instance(), "decoder": Instance(), "loss": Instance(), "lam": Float(),
         "penalties": Instance(optional=True)}),
    "minae.models.EncoderDecoder": Case(models.EncoderDecoder, lambda: {"encoder": linear(),
                                        "decoder": Linear(3, 6, rng=1)},
                                        {"encoder": Instance(), "decoder": Instance()}),
    "minae.models.gaussian_kl": Case(models.gaussian_kl, lambda: {"mu": X(4, 2) - 0.5,
                                     "logvar": X(4, 2) - 0.5}, {"mu": CODE, "logvar": CODE}),
    "minae.models.gaussian_kl_grad": Case(models.gaussian_kl_grad, lambda: {"mu": X(4, 2),
                                          "logvar": X(4, 2)}, {"mu": CODE, "logvar": CODE}),
    "minae.models.importance_log_weights": Case(
        models.importance_log_weights,
        lambda: {"vae": vae(), "X": (X(3) > 0.5).astype(np.float32), "k": 4,
                 "rng": np.random.default_rng(0)},
        {"vae": Instance(), "X": A, "k": Int(), "rng": SEED}),
    "minae.models.iwae_bound": Case(models.iwae_bound, lambda: {"log_weights": -X(3, 4) * 10},
                                    {"log_weights": Array(shaped=False)}),
    "minae.models.linear_autoencoder": Case(
        models.linear_autoencoder,
        lambda: {"n_features": 6, "n_components": 2, "rng": 0, "dtype": None, "bias": True},
        {"n_features": Int(), "n_components": Int(), "rng": SEED, "dtype": OPTIONAL_DTYPE,
         "bias": Bool()}),
    "minae.models.reparameterisation_backward": Case(
        models.reparameterisation_backward,
        lambda: {"dZ": X(4, 2), "eps": X(4, 2), "logvar": X(4, 2)},
        {"dZ": CODE, "eps": CODE, "logvar": CODE}),
    # -- layers ---------------------------------------------------------------------------
    "minae.layers.AvgPool2d": Case(AvgPool2d, lambda: {"kernel_size": 2, "stride": 2},
                                   {"kernel_size": Int(), "stride": Int(optional=True)}),
    "minae.layers.Conv2d": Case(Conv2d, lambda: {"in_channels": 1, "out_channels": 2,
                                "kernel_size": 3, "stride": 1, "padding": 1, "rng": 0,
                                "init": "he", "dtype": None},
                                {"in_channels": Int(), "out_channels": Int(),
                                 "kernel_size": Int(), "stride": Int(), "padding": Int(low=0),
                                 "rng": SEED, "init": Choice(), "dtype": OPTIONAL_DTYPE}),
    "minae.layers.ConvTranspose2d": Case(ConvTranspose2d, lambda: {"in_channels": 2,
                                         "out_channels": 1, "kernel_size": 3, "stride": 2,
                                         "padding": 1, "output_padding": 1, "rng": 0},
                                         {"in_channels": Int(), "out_channels": Int(),
                                          "kernel_size": Int(), "stride": Int(),
                                          "padding": Int(low=0), "output_padding": Int(low=0),
                                          "rng": SEED}),
    "minae.layers.Dropout": Case(Dropout, lambda: {"p": 0.3},
                                 {"p": Float(low=0.0, high=1.0, high_open=True)}),
    "minae.layers.Linear": Case(Linear, lambda: {"n_in": 6, "n_out": 3, "rng": 0,
                                "init": "xavier", "dtype": None, "bias": True},
                                {"n_in": Int(), "n_out": Int(), "rng": SEED, "init": Choice(),
                                 "dtype": OPTIONAL_DTYPE, "bias": Bool()}),
    "minae.layers.MaxPool2d": Case(MaxPool2d, lambda: {"kernel_size": 2, "stride": None,
                                   "padding": 0, "ceil_mode": False},
                                   {"kernel_size": Int(), "stride": Int(optional=True),
                                    "padding": Int(low=0), "ceil_mode": Bool()}),
    "minae.layers.Sequential": Case(lambda first, second: Sequential(first, second),
                                    lambda: {"first": linear(), "second": Sigmoid()},
                                    {"first": Instance(), "second": Instance()},
                                    {"first": ("layer",), "second": ("layer",)}),
    "minae.layers.Unflatten": Case(Unflatten, lambda: {"shape": (2, 3)}, {"shape": IntOrShape()}),
    "minae.layers.Upsample2d": Case(Upsample2d, lambda: {"scale_factor": 2},
                                    {"scale_factor": Int()}),
    "minae.layers.activation": Case(minae.layers.activation, lambda: {"name": "relu"},
                                    {"name": Choice()}),
    "minae.layers.keras_blog_encoder_decoder": Case(
        minae.layers.keras_blog_encoder_decoder, lambda: {"rng": 0, "dtype": None},
        {"rng": SEED, "dtype": OPTIONAL_DTYPE}),
    "minae.layers.conv_encoder_decoder": Case(
        minae.layers.conv_encoder_decoder,
        lambda: {"image_shape": (1, 8, 8), "channels": [1, 2, 4], "kernel_size": 3, "code": None,
                 "activation": "relu", "output_activation": "sigmoid", "rng": 0},
        {"image_shape": Shape(), "channels": Shape(), "kernel_size": Int(),
         "code": Int(optional=True), "activation": Choice(), "output_activation": Choice(),
         "rng": SEED}),
    "minae.layers.mlp": Case(minae.mlp, lambda: {"widths": [6, 4, 2], "activation": "relu",
                             "output_activation": "identity", "rng": 0, "init": None,
                             "dtype": None},
                             {"widths": Shape(), "activation": Choice(),
                              "output_activation": Choice(), "rng": SEED,
                              "init": Choice(optional=True), "dtype": OPTIONAL_DTYPE}),
    "minae.layers.sigmoid": Case(minae.layers.sigmoid, lambda: {"X": X()},
                                 {"X": Array(shaped=False, batch=False, finite=False, scalar_ok=True)}),
    # -- losses ---------------------------------------------------------------------------
    "minae.losses.log_softmax": Case(minae.losses.log_softmax, lambda: {"A": X(), "axis": 1},
                                     {"A": Array(shaped=False, finite=False), "axis": Int(low=-2, high=1)}),
    "minae.losses.softmax": Case(minae.losses.softmax, lambda: {"A": X(), "axis": 1},
                                 {"A": Array(shaped=False, finite=False), "axis": Int(low=-2, high=1)}),
    # -- penalties ------------------------------------------------------------------------
    "minae.penalties.Contractive": Case(minae.penalties.Contractive,
                                        lambda: {"encoder": Sequential(linear(), Sigmoid())},
                                        {"encoder": Instance()}),
    "minae.penalties.KLSparsity": Case(minae.KLSparsity, lambda: {"rho": 0.05},
                                       {"rho": Float(low=0.0, high=1.0, low_open=True,
                                                     high_open=True)}),
    # -- optimizers and schedules ---------------------------------------------------------
    "minae.optim.SGD": Case(minae.SGD, lambda: {"params": net().parameters(), "lr": 0.1,
                            "momentum": 0.9, "threads": None, "nesterov": False,
                            "schedule": None},
                            {"params": Params(), "lr": Float(low_open=True),
                             "momentum": Float(high=1.0, high_open=True),
                             "threads": Int(optional=True), "nesterov": Bool(),
                             "schedule": Function(optional=True)}),
    "minae.optim.Adam": Case(minae.Adam, lambda: {"params": net().parameters(), "lr": 1e-3,
                             "eps": 1e-8, "threads": None, "schedule": None},
                             {"params": Params(), "lr": Float(low_open=True),
                              "eps": Float(low_open=True), "threads": Int(optional=True),
                              "schedule": Function(optional=True)}),
    "minae.optim.AdamW": Case(minae.AdamW, lambda: {"params": net().parameters(), "lr": 1e-3,
                              "weight_decay": 0.01},
                              {"params": Params(), "lr": Float(low_open=True),
                               "weight_decay": Float()}),
    "minae.fast.BlockMap": Case(fast.BlockMap, lambda: {"total": 100, "dtype": np.float32,
                                 "threads": 1},
                                 {"total": Int(), "threads": Int(optional=True)}),
    "minae.optim.Cosine": Case(optim.Cosine, lambda: {"total": 10, "floor": 0.1},
                               {"total": Int(), "floor": Float(high=1.0)}),
    "minae.fast.FlatParameters": Case(fast.FlatParameters,
                                       lambda: {"params": net().parameters()},
                                       {"params": Params()}),
    "minae.optim.StepDecay": Case(optim.StepDecay, lambda: {"every": 5, "gamma": 0.5},
                                  {"every": Int(), "gamma": Float(low_open=True, high=1.0)}),
    "minae.optim.WarmUp": Case(optim.WarmUp, lambda: {"steps": 5, "then": None},
                               {"steps": Int(), "then": Instance(optional=True)}),
    # -- training -------------------------------------------------------------------------
    "minae.training.BestEpoch": Case(training.BestEpoch, lambda: {"monitor": "total",
                                     "keep_best": True, "patience": None},
                                     {"monitor": Text(), "keep_best": Bool(),
                                      "patience": Int(optional=True)}),
    "minae.training.Checkpointing": Case(training.Checkpointing,
                                         lambda: {"path": folder() / "run.npz",
                                                  "fingerprint": {}},
                                         {"path": PathKind(),
                                          "fingerprint": Instance()}),
    "minae.training.EveryEpoch": Case(training.EveryEpoch, lambda: {"fn": lambda e, h: None},
                                      {"fn": Function()}),
    "minae.training.Progress": Case(training.Progress, lambda: {"shown": False},
                                    {"shown": Bool()}),
    "minae.training.Run": Case(training.Run, run_args,
                               {"model": Instance(), "optimizer": Instance(), "X": A,
                                "batch_size": Int(), "rng": SEED,
                                "corrupt": Function(optional=True), "epochs": Int()}),
    "minae.training.Validation": Case(training.Validation, lambda: {"X_val": X(),
                                      "target_val": X(), "batch_size": 4},
                                      {"batch_size": Int()}),
    "minae.layers.Parameter": Case(minae.layers.Parameter, lambda: {"value": X(),
                                   "name": "W"},
                                   {"value": Array(shaped=False, batch=False, scalar_ok=True)}),
    "minae.training.evaluate": Case(training.evaluate, lambda: {"model": net(), "X": X(),
                                    "target": None, "batch_size": 4},
                                    {"model": Instance(), "X": A, "batch_size": Int()}),
    "minae.training.fit": Case(lambda run, callbacks: training.fit(run, callbacks),
                               lambda: {"run": training.Run(**run_args()), "callbacks": []},
                               {"run": Instance(), "callbacks": Instance()}),
    "minae.training.predict": Case(training.predict, lambda: {"fn": lambda b: b * 2,
                                   "X": X(), "batch_size": 4},
                                   {"fn": Function(), "X": Array(shaped=False, finite=False), "batch_size": Int()}),
    "minae.training.step": Case(lambda model, optimizer, X_batch, target_batch: training.step(
                                model, optimizer, X_batch, target_batch),
                                lambda: (lambda m: {"model": m,
                                         "optimizer": minae.Adam(m.parameters()),
                                         "X_batch": X(), "target_batch": X()})(net()),
                                {"model": Instance(), "optimizer": Instance(),
                                 "X_batch": A, "target_batch": A},
                                {"X_batch": ("X",), "target_batch": ("target",)}),
    "minae.training.train": Case(minae.train, train_args,
                                 {"model": Instance(), "optimizer": Instance(), "X": A,
                                  "epochs": Int(), "batch_size": Int(), "rng": SEED,
                                  "X_val": A, "progress": Bool(), "keep_best": Bool(),
                                  "patience": Int(optional=True), "monitor": Choice()}),
    # -- PCA ------------------------------------------------------------------------------
    # scikit-learn's contract: the constructor stores, fit checks (check_estimator)
    "minae.pca.PCA": Case(lambda **kw: PCA(**kw).fit(X(20, 6, np.float64)),
                          lambda: {"n_components": 2, "solver": "auto", "whiten": False,
                                   "dtype": "float64"},
                          {"n_components": Int(optional=True), "solver": Choice(),
                           "whiten": Bool(), "dtype": Choice()}),
    "minae.pca.subspace_angles": Case(subspace_angles, lambda: {"A": X(6, 2, np.float64),
                                      "B": X(6, 2, np.float64, seed=3)},
                                      {"A": Array(batch=False, shaped=False, floats=False),
                                       "B": Array(batch=False, shaped=False, floats=False)}),
    # -- data -----------------------------------------------------------------------------
    "minae.datasets.block_masking": Case(datasets.block_masking, lambda: {"X": X(2, 64),
                                         "rng": np.random.default_rng(0), "size": 3,
                                         "shape": (8, 8)},
                                         {"X": HOT, "rng": Generator(), "size": Int(),
                                          "shape": Shape()}),
    "minae.datasets.circle": Case(datasets.circle, lambda: {"n": 10, "rng": 0, "noise": 0.1},
                                  {"n": Int(), "rng": SEED, "noise": Float()}),
    "minae.datasets.line": Case(datasets.line, lambda: {"n": 10, "rng": 0, "noise": 0.1},
                                {"n": Int(), "rng": SEED, "noise": Float()}),
    "minae.datasets.stretched_gaussian": Case(datasets.stretched_gaussian,
                                              lambda: {"n": 10, "rng": 0, "angle": 0.5},
                                              {"n": Int(), "rng": SEED,
                                               "angle": Float(low=None)}),
    "minae.datasets.shapes": Case(datasets.shapes, lambda: {"n": 4, "rng": 0, "size": 16},
                                  {"n": Int(), "rng": SEED, "size": Int()}),
    "minae.datasets.downsample_upsample": Case(datasets.downsample_upsample,
                                               lambda: {"X": X(2, 64), "factor": 2,
                                                        "shape": (8, 8)},
                                               {"X": HOT, "factor": Int(), "shape": Shape()}),
    "minae.datasets.encode_idx": Case(datasets.encode_idx,
                                      lambda: {"array": np.zeros((2, 3), np.uint8)},
                                      {"array": Array(finite=False, shaped=False, floats=False,
                                                      batch=False)}),
    "minae.datasets.gaussian_noise": Case(datasets.gaussian_noise, lambda: {"X": X(),
                                          "rng": np.random.default_rng(0), "sigma": 0.3},
                                          {"X": HOT_ANY, "rng": Generator(), "sigma": Float()}),
    "minae.datasets.masking_noise": Case(datasets.masking_noise, lambda: {"X": X(),
                                         "rng": np.random.default_rng(0), "nu": 0.3},
                                         {"X": HOT_ANY, "rng": Generator(),
                                          "nu": Float(high=1.0)}),
    "minae.datasets.salt_and_pepper": Case(datasets.salt_and_pepper, lambda: {"X": X(),
                                           "rng": np.random.default_rng(0), "fraction": 0.2},
                                           {"X": HOT_ANY, "rng": Generator(),
                                            "fraction": Float(high=1.0)}),
    "minae.datasets.image_patches": Case(
        datasets.image_patches,
        lambda: {"photos": {"a": images4(1, 3, 40, 40)[0]}, "size": 8,
                 "count": 4, "rng": 0, "split": "train", "holdout": "region",
                 "test_fraction": 0.25, "min_std": 0.0},
        {"photos": Instance(), "size": Int(), "count": Int(), "rng": SEED, "split": Choice(),
         "holdout": Choice(), "test_fraction": Float(low_open=True, high=1.0, high_open=True),
         "min_std": Float()},
        {"photos": ("photo folder",)}),
    "minae.datasets.load_cifar10": Case(datasets.load_cifar10, lambda: {"split": "train",
                                        "root": data_folder(), "download": False,
                                        "source": TINY_CIFAR},
                                        {"split": Choice(), "download": Bool()}),
    "minae.datasets.load_fashion_mnist": Case(datasets.load_fashion_mnist,
                                              lambda: {"split": "train",
                                                       "root": data_folder(), "flatten": True,
                                                       "download": False},
                                              {"split": Choice(), "flatten": Bool(),
                                               "download": Bool()}),
    "minae.datasets.load_mnist": Case(datasets.load_mnist, lambda: {"split": "train",
                                      "root": data_folder(), "flatten": True, "download": False},
                                      {"split": Choice(), "flatten": Bool(),
                                       "download": Bool()}),
    "minae.datasets.parse_idx": Case(datasets.parse_idx,
                                     lambda: {"data": datasets.encode_idx(np.zeros(3, np.uint8)),
                                              "name": "x"},
                                     {"data": Instance()}),
    "minae.datasets.read_cifar_file": Case(datasets.read_cifar_file,
                                           lambda: {"path": data_folder() / "cifar10" / "data_batch_1.bin",
                                                    "source": TINY_CIFAR},
                                           {"path": PathKind()}),
    "minae.datasets.read_idx": Case(datasets.read_idx, lambda: {"path": data_folder() / "x.idx"},
                                    {"path": PathKind()}),
    "minae.datasets.read_photo": Case(datasets.read_photo, lambda: {"path": data_folder() / "photos" / "a.png"},
                                      {"path": PathKind()}),
    "minae.datasets.read_photos": Case(datasets.read_photos, lambda: {"folder": data_folder() / "photos"},
                                       {"folder": OptionalPath()}),
    "minae.datasets.rgb_to_gray": Case(datasets.rgb_to_gray, lambda: {"X": images4(2, 3)},
                                       {"X": ANY}),
    # -- images ---------------------------------------------------------------------------
    "minae.images.downsample": Case(images.downsample, lambda: {"X": images4(), "factor": 2},
                                    {"X": ANY, "factor": Int()}),
    "minae.images.resize": Case(images.resize, lambda: {"X": images4(), "size": 4,
                                "method": "bicubic"},
                                {"X": ANY, "size": Int(), "method": Choice()}),
    "minae.images.resize_weights": Case(images.resize_weights, lambda: {"n_in": 8, "n_out": 4,
                                        "method": "bilinear"},
                                        {"n_in": Int(), "n_out": Int(), "method": Choice()}),
    "minae.images.rgb_to_ycbcr": Case(images.rgb_to_ycbcr, lambda: {"X": images4(2, 3)},
                                      {"X": ANY}),
    "minae.images.ycbcr_to_rgb": Case(images.ycbcr_to_rgb, lambda: {"X": images4(2, 3)},
                                      {"X": ANY}),
    "minae.images.upsample": Case(images.upsample, lambda: {"X": images4(), "factor": 2,
                                  "method": "bicubic"},
                                  {"X": ANY, "factor": Int(), "method": Choice()}),
    # -- metrics --------------------------------------------------------------------------
    "minae.metrics.luminance": Case(metrics.luminance, lambda: {"X": images4(2, 3)},
                                    {"X": ANY}),
    "minae.metrics.anomaly_scores": Case(metrics.anomaly_scores, lambda: {"model": net(),
                                         "X": X(), "score": "squared_error", "batch_size": 4},
                                         {"model": Instance(), "X": A, "score": Choice(),
                                          "batch_size": Int()}),
    "minae.metrics.psnr": Case(metrics.psnr, lambda: {"X_hat": images4(), "X": images4() * 0.9,
                               "peak": 1.0, "luminance_only": False},
                               {"X_hat": A, "X": A, "peak": Float(low_open=True),
                                "luminance_only": Bool()}),
    "minae.metrics.psnr_per_image": Case(metrics.psnr_per_image, lambda: {"X_hat": images4(),
                                         "X": images4() * 0.9, "peak": 1.0},
                                         {"X_hat": A, "X": A, "peak": Float(low_open=True)}),
    "minae.metrics.roc_auc": Case(metrics.roc_auc, lambda: {"scores": np.arange(6.0),
                                  "labels": np.array([0, 1, 0, 1, 1, 0])},
                                  {"scores": Array(floats=False),
                                   "labels": Array(finite=False, floats=False)}),
    "minae.metrics.roc_curve": Case(metrics.roc_curve, lambda: {"scores": np.arange(6.0),
                                    "labels": np.array([0, 1, 0, 1, 1, 0])},
                                    {"scores": Array(floats=False),
                                     "labels": Array(finite=False, floats=False)}),
    "minae.metrics.tied_ranks": Case(metrics.tied_ranks, lambda: {"values": np.arange(5.0)},
                                     {"values": Array(shaped=False, floats=False)}),
    # -- gradient checks ------------------------------------------------------------------
    "minae.teaching.gradcheck.numerical_gradient": Case(
        gradcheck.numerical_gradient,
        lambda: (lambda x: {"f": lambda: float((x**2).sum()), "x": x, "h": 1e-5, "order": 2})(
            X(3, 2, np.float64)),
        {"f": Function(), "x": Array(shaped=False, scalar_ok=True), "h": Float(low_open=True),
         "order": Int(low=2, high=4)}),
    "minae.teaching.gradcheck.numerical_vjp": Case(
        gradcheck.numerical_vjp,
        lambda: (lambda x: {"f": lambda: x * 2, "x": x, "dout": X(3, 2, np.float64),
                            "h": 1e-5})(X(3, 2, np.float64)),
        {"f": Function(), "x": Array(shaped=False, scalar_ok=True), "dout": Array(floats=False),
         "h": Float(low_open=True)}),
    "minae.teaching.gradcheck.rel_error": Case(gradcheck.rel_error, lambda: {"a": X(), "b": X(seed=2)},
                                      {"a": Array(batch=False, floats=False),
                                       "b": Array(batch=False, floats=False)}),
    "minae.teaching.gradcheck.scaled_error": Case(gradcheck.scaled_error, lambda: {"a": X(),
                                         "b": X(seed=2)},
                                         {"a": Array(batch=False, floats=False),
                                       "b": Array(batch=False, floats=False)}),
    "minae.teaching.gradcheck.sampled_scaled_error": Case(
        gradcheck.sampled_scaled_error,
        lambda: (lambda x: {"f": lambda: float((x**2).sum()), "x": x, "analytic": 2 * x,
                            "n": 3, "rng": 0})(X(3, 2, np.float64)),
        {"f": Function(), "x": Array(shaped=False), "analytic": A, "n": Int(), "rng": SEED}),
    "minae.teaching.gradcheck.check_layer": Case(gradcheck.check_layer, lambda: {
                                        "layer": linear("float64"), "X": X(4, 6, np.float64),
                                        "dout": None, "rng": 0},
                                        {"layer": Instance(), "X": A, "rng": SEED}),
    "minae.teaching.gradcheck.check_loss": Case(gradcheck.check_loss, lambda: {"loss": minae.MSE(),
                                       "output": X(3, 4, np.float64),
                                       "target": X(3, 4, np.float64, seed=4)},
                                       {"loss": Instance(), "output": A, "target": A}),
    "minae.teaching.gradcheck.check_penalty": Case(gradcheck.check_penalty, lambda: {
                                          "penalty": minae.L1(), "Z": X(3, 4, np.float64)},
                                          {"penalty": Instance(), "Z": ANY}),
    "minae.teaching.gradcheck.check_model": Case(gradcheck.check_model, lambda: {
                                        "model": net(dtype="float64"),
                                        "X": X(3, 6, np.float64), "sampled": 2, "rng": 0},
                                        {"model": Instance(), "X": A,
                                         "sampled": Int(optional=True)}),
    # -- exercises ------------------------------------------------------------------------
    "minae.exercises.check": Case(lambda name, function: exercise_check(name, function),
                                  lambda: {"name": "mse_grad",
                                           "function": lambda X_hat, X: 2 * (X_hat - X) / len(X)},
                                  {"name": Choice(), "function": Function()},
                                  {"function": ("function",)}),
    "minae.exercises.grade": Case(grade, lambda: {"folder": folder(), "tasks": [],
                                  "time_limit": 10.0, "memory_limit": 2048},
                                  {"folder": PathKind(),
                                   "time_limit": Float(low_open=True, optional=True),
                                   "memory_limit": Int(optional=True)}),
    "minae.exercises.gradescope": Case(gradescope, lambda: {"results": []},
                                       {"results": Instance()}),
    "minae.exercises.report": Case(report, lambda: {"results": []}, {"results": Instance()}),
    "minae.exercises.gradient_task": Case(
        gradient_task,
        lambda: {"name": "swish_backward", "forward": lambda A: A, "inputs": {"A": ("B", "N")},
                 "file": "e12_course", "points": 3},
        {"name": Name(), "forward": Function(), "inputs": Instance(), "file": Name(),
         "points": Float()}),
    # -- backend --------------------------------------------------------------------------
    "minae.infrastructure.backend.set_default_dtype": Case(minae.infrastructure.backend.set_default_dtype,
                                            lambda: {"dtype": minae.infrastructure.backend.get_default_dtype()},
                                            {"dtype": Choice()}),
    "minae.infrastructure.backend.to_device": Case(minae.infrastructure.backend.to_device, lambda: {"array": X(),
                                    "dtype": None}, {"dtype": OPTIONAL_DTYPE}),
    # -- methods --------------------------------------------------------------------------
    "minae.layers.Linear.forward": method_case(linear, "forward", lambda: {"X": X()},
                                               {"X": HOT}),
    "minae.layers.Sigmoid.forward": method_case(Sigmoid, "forward", lambda: {"X": X()},
                                                {"X": HOT_ANY}),
    "minae.layers.Conv2d.forward": method_case(lambda: Conv2d(1, 2, 3, padding=1, rng=0),
                                               "forward", lambda: {"X": images4()}, {"X": HOT_ANY}),
    "minae.layers.MaxPool2d.forward": method_case(lambda: MaxPool2d(2), "forward",
                                                  lambda: {"X": images4()},
                                                  {"X": HOT_ANY}),
    "minae.layers.Dropout.forward": method_case(lambda: Dropout(0.3), "forward",
                                                lambda: {"X": X()}, {"X": HOT_ANY}),
    "minae.layers.Unflatten.forward": method_case(lambda: Unflatten((2, 3)), "forward",
                                                  lambda: {"X": X()}, {"X": HOT}),
    "minae.models.Autoencoder.forward": method_case(net, "forward", lambda: {"X": X()},
                                                    {"X": A}),
    "minae.models.VAE.forward": method_case(vae, "forward", lambda: {"X": X()}, {"X": A}),
    "minae.losses.MSE.value": method_case(minae.MSE, "value", lambda: {"output": X(),
                                          "target": X(seed=3)}, {"output": HOT, "target": HOT}),
    "minae.losses.MSE.grad": method_case(minae.MSE, "grad", lambda: {"output": X(),
                                         "target": X(seed=3)}, {"output": HOT, "target": HOT}),
    "minae.losses.BCE.value": method_case(minae.BCE, "value", lambda: {"output": X(),
                                          "target": X(seed=3)}, {"output": HOT, "target": HOT}),
    "minae.penalties.L1.value": method_case(minae.L1, "value", lambda: {"Z": X()},
                                            {"Z": HOT_ANY}),
    "minae.penalties.KLSparsity.grad": method_case(lambda: minae.KLSparsity(0.1), "grad",
                                                   lambda: {"Z": X()},
                                                   {"Z": HOT_ANY}),
    "minae.pca.PCA.fit": method_case(lambda: PCA(2), "fit", lambda: {"X": X(20, 6, np.float64)},
                                     {"X": Array(shaped=False, lists_ok=True)}),
    "minae.pca.PCA.transform": method_case(lambda: PCA(2).fit(X(20, 6, np.float64)), "transform",
                                           lambda: {"X": X(5, 6, np.float64)}, {"X": PCA_X}),
    "minae.pca.PCA.score": method_case(lambda: PCA(2).fit(X(20, 6, np.float64)), "score",
                                       lambda: {"X": X(5, 6, np.float64)}, {"X": PCA_X}),
}
# fmt: on
