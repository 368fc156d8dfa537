"""Checkpoints: an interrupted run resumes and ends with the same bits; keeping the best epoch."""

import functools
import json
import zipfile

import numpy as np
import pytest

from minae import (
    L1,
    MSE,
    SGD,
    VAE,
    Adam,
    Autoencoder,
    BCEWithLogits,
    DamagedFileError,
    WeightDecay,
    mlp,
    train,
)
from minae.datasets.corruptions import masking_noise
from minae.optim.schedules import Cosine, WarmUp
from minae.training import guard


def data(n=240, seed=3):
    rng = np.random.default_rng(seed)
    return rng.uniform(size=(n, 12)).astype(np.float32), rng.uniform(size=(60, 12)).astype(
        np.float32
    )


def autoencoder(seed=0):
    rng = np.random.default_rng(seed)
    return Autoencoder(
        mlp([12, 8, 3], activation="tanh", rng=rng),
        mlp([3, 8, 12], activation="tanh", rng=rng),
        BCEWithLogits(),
    )


def vae(seed=0):
    rng = np.random.default_rng(seed)
    return VAE(
        mlp([12, 8, 4], activation="tanh", rng=rng),
        mlp([2, 8, 12], activation="tanh", rng=rng),
        BCEWithLogits(),
        rng=seed + 100,
    )


def adam(model, epochs=6, batches=8):
    return Adam(model.parameters(), lr=3e-3, schedule=WarmUp(3, Cosine(epochs * batches)))


def nesterov(model, epochs=6, batches=8):
    return SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)


class Interrupt(Exception):
    """Stands for Ctrl-C or a machine switched off in the middle of an epoch."""


def interrupting(after_batches):
    """A corruption (masking noise, drawn from the run's Generator) that raises mid-run."""
    calls = {"n": 0}

    def corrupt(X, rng):
        calls["n"] += 1
        if calls["n"] > after_batches:
            raise Interrupt
        return masking_noise(X, rng, nu=0.2)

    return corrupt


def run_args(X, X_val, **extra):
    return {"epochs": 6, "batch_size": 32, "X_val": X_val, "progress": False, **extra}


@pytest.mark.parametrize("make_model", [autoencoder, vae], ids=["autoencoder", "vae"])
@pytest.mark.parametrize("make_optimizer", [adam, nesterov], ids=["adam", "nesterov"])
def test_an_interrupted_run_resumed_ends_with_the_same_bits(tmp_path, make_model, make_optimizer):
    X, X_val = data()
    corrupt = functools.partial(masking_noise, nu=0.2)

    whole = make_model()
    whole_history = train(
        whole,
        make_optimizer(whole),
        X,
        rng=7,
        corrupt=corrupt,
        keep_best=True,
        **run_args(X, X_val),
    )

    path = tmp_path / "run.npz"
    first = make_model()
    with pytest.raises(Interrupt):  # 8 batches an epoch: dies in the middle of epoch 4
        train(
            first,
            make_optimizer(first),
            X,
            rng=7,
            corrupt=interrupting(3 * 8 + 5),
            keep_best=True,
            checkpoint=path,
            **run_args(X, X_val),
        )
    assert json.loads(np.load(path)["run.json"].tobytes())["epoch"] == 3

    # a fresh process: other initial weights, a fresh Generator, the same arguments
    # (the same corruption as the interrupted run's, by name: the fingerprint holds it)
    resumed = make_model(seed=99)
    resumed_history = train(
        resumed,
        make_optimizer(resumed),
        X,
        rng=7,
        corrupt=interrupting(10**9),
        keep_best=True,
        checkpoint=path,
        **run_args(X, X_val),
    )

    for (name, a), b in zip(whole.named_parameters().items(), resumed.parameters(), strict=True):
        assert np.array_equal(a.value, b.value), name
    assert resumed_history.train == whole_history.train
    assert resumed_history.val == whole_history.val
    assert resumed_history.best_epoch == whole_history.best_epoch
    assert resumed_history.epochs == 6


def test_the_optimizer_state_and_generators_come_back_exactly(tmp_path):
    X, X_val = data()
    model = vae()
    optimizer = adam(model)
    rng = np.random.default_rng(11)
    path = tmp_path / "run.npz"
    train(model, optimizer, X, rng=rng, checkpoint=path, **run_args(X, X_val, epochs=2))
    other = vae(seed=5)
    other_optimizer = adam(other)
    other_rng = np.random.default_rng(0)
    train(other, other_optimizer, X, rng=other_rng, checkpoint=path, **run_args(X, X_val, epochs=2))
    assert other_optimizer.steps == optimizer.steps == 2 * 8
    assert np.array_equal(other_optimizer.m, optimizer.m)
    assert np.array_equal(other_optimizer.v, optimizer.v)
    assert other_rng.bit_generator.state == rng.bit_generator.state
    assert other.rng.bit_generator.state == model.rng.bit_generator.state


def test_a_finished_run_is_not_trained_again_and_can_be_extended(tmp_path):
    X, X_val = data()
    path = tmp_path / "run.npz"
    model = autoencoder()
    train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=2))
    before = [p.value.copy() for p in model.parameters()]
    again = autoencoder()
    history = train(
        again, nesterov(again), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=2)
    )
    assert history.epochs == 2
    assert all(np.array_equal(a, p.value) for a, p in zip(before, again.parameters(), strict=True))

    longer = autoencoder()
    history = train(
        longer, nesterov(longer), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=3)
    )
    straight = autoencoder()
    train(straight, nesterov(straight), X, rng=1, **run_args(X, X_val, epochs=3))
    assert history.epochs == 3
    for a, b in zip(straight.parameters(), longer.parameters(), strict=True):
        assert np.array_equal(a.value, b.value)
    with pytest.raises(ValueError, match="already run 3 epochs"):
        train(longer, nesterov(longer), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=2))


@pytest.mark.parametrize(
    "change, match",
    [
        (dict(batch_size=16), "batch_size"),
        (dict(lr=0.01), "optimizer"),
        (dict(data_seed=4), "X"),
        (dict(monitor="squared_error"), "monitor"),
    ],
)
def test_a_checkpoint_of_another_run_is_refused_and_nothing_changes(tmp_path, change, match):
    X, X_val = data()
    path = tmp_path / "run.npz"
    model = autoencoder()
    train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=1))
    other = autoencoder(seed=5)
    before = [p.value.copy() for p in other.parameters()]
    optimizer = SGD(other.parameters(), lr=change.get("lr", 0.05), momentum=0.9, nesterov=True)
    X_other = data(seed=change["data_seed"])[0] if "data_seed" in change else X
    args = run_args(X, X_val, epochs=2)
    args["batch_size"] = change.get("batch_size", 32)
    with pytest.raises(ValueError, match=match):
        train(
            other,
            optimizer,
            X_other,
            rng=1,
            checkpoint=path,
            monitor=change.get("monitor", "total"),
            **args,
        )
    assert all(np.array_equal(a, p.value) for a, p in zip(before, other.parameters(), strict=True))
    assert optimizer.steps == 0


def test_a_checkpoint_for_another_model_is_refused(tmp_path):
    X, X_val = data()
    path = tmp_path / "run.npz"
    model = autoencoder()
    train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=1))
    rng = np.random.default_rng(0)
    wider = Autoencoder(
        mlp([12, 9, 3], activation="tanh", rng=rng),
        mlp([3, 8, 12], activation="tanh", rng=rng),
        BCEWithLogits(),
    )
    with pytest.raises(
        ValueError, match=r"model: Autoencoder\(encoder=Sequential\(Linear\(12, 8\)"
    ):
        train(wider, nesterov(wider), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=2))


def penalised(lam, loss=BCEWithLogits):
    rng = np.random.default_rng(0)
    return Autoencoder(
        mlp([12, 8, 3], activation="tanh", rng=rng),
        mlp([3, 8, 12], activation="tanh", rng=rng),
        loss(),
        penalty=L1(),
        lam=lam,
    )


@pytest.mark.parametrize(
    "other, match",
    [
        (lambda: penalised(0.01), r"sparsity=\(0\.1, L1\(\)\)\) there.*sparsity=\(0\.01, L1\(\)\)"),
        (lambda: penalised(0.1, MSE), r"loss=BCEWithLogits\(\).* there.*loss=MSE\(\)"),
    ],
    ids=["penalty weight", "loss"],
)
def test_a_checkpoint_of_a_model_with_other_settings_is_refused_and_nothing_changes(
    tmp_path, other, match
):
    X, X_val = data()
    path = tmp_path / "run.npz"
    model = penalised(0.1)
    train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=1))
    resumed = other()
    optimizer = nesterov(resumed)
    before = [p.value.copy() for p in resumed.parameters()]
    with pytest.raises(ValueError, match=match):
        train(resumed, optimizer, X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=2))
    assert all(
        np.array_equal(a, p.value) for a, p in zip(before, resumed.parameters(), strict=True)
    )
    assert optimizer.steps == 0


def test_a_run_asked_for_fewer_epochs_than_its_checkpoint_is_refused_before_anything_changes(
    tmp_path,
):
    X, X_val = data()
    path = tmp_path / "run.npz"
    model = autoencoder()
    train(model, adam(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=3))
    fresh = autoencoder(seed=9)
    optimizer = adam(fresh)
    rng = np.random.default_rng(1)
    before = [p.value.copy() for p in fresh.parameters()]
    state = rng.bit_generator.state
    with pytest.raises(ValueError, match="already run 3 epochs"):
        train(fresh, optimizer, X, rng=rng, checkpoint=path, **run_args(X, X_val, epochs=2))
    assert all(np.array_equal(a, p.value) for a, p in zip(before, fresh.parameters(), strict=True))
    assert optimizer.steps == 0 and not optimizer.m.any()
    assert rng.bit_generator.state == state


def test_a_damaged_checkpoint_is_named(tmp_path):
    X, X_val = data()
    path = tmp_path / "run.npz"
    model = autoencoder()
    train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=1))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DamagedFileError, match=r"run\.npz"):
        train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=2))
    with zipfile.ZipFile(path, "w") as archive:  # an archive, but not a checkpoint
        archive.writestr("W.npy", b"")
    with pytest.raises(DamagedFileError, match=r"run\.npz"):
        train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=2))


def test_an_interrupted_save_leaves_the_last_checkpoint_whole(tmp_path, monkeypatch):
    X, X_val = data()
    path = tmp_path / "run.npz"
    model = autoencoder()
    train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=1))
    saved = path.read_bytes()

    def dies(*args, **kwargs):
        raise Interrupt

    monkeypatch.setattr(np, "savez", dies)
    with pytest.raises(Interrupt):
        train(model, nesterov(model), X, rng=1, checkpoint=path, **run_args(X, X_val, epochs=2))
    assert path.read_bytes() == saved
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]  # no temporary file left


def test_keep_best_ends_with_the_best_validation_epoch(tmp_path):
    X, X_val = data()
    model = autoencoder()
    # a rate large enough that the validation loss goes up again after its best epoch
    optimizer = Adam(model.parameters(), lr=0.3)
    snapshots = []
    history = train(
        model,
        optimizer,
        X,
        rng=2,
        keep_best=True,
        callback=lambda epoch, h: snapshots.append(guard.snapshot(optimizer)),
        **run_args(X, X_val, epochs=8),
    )
    totals = history.val["total"]
    best = int(np.argmin(totals)) + 1
    assert history.best_epoch == best
    assert best < 8, "the test needs a run whose last epoch is not its best"
    assert np.array_equal(guard.snapshot(optimizer), snapshots[best - 1])


def test_patience_stops_after_epochs_without_improvement():
    X, X_val = data()
    model = autoencoder()
    history = train(
        model,
        Adam(model.parameters(), lr=0.3),
        X,
        rng=2,
        patience=2,
        **run_args(X, X_val, epochs=30),
    )
    totals = history.val["total"]
    best = int(np.argmin(totals))
    assert history.stopped_early
    assert history.epochs == best + 1 + 2  # the best epoch, then two that did not beat it
    assert min(totals[best + 1 :]) >= totals[best]


def test_a_callback_can_stop_the_run():
    X, X_val = data()
    model = autoencoder()
    seen = []
    history = train(
        model,
        nesterov(model),
        X,
        rng=2,
        callback=lambda epoch, h: seen.append((epoch, h.epochs)) or epoch == 2,
        **run_args(X, X_val, epochs=5),
    )
    assert seen == [(1, 1), (2, 2)]
    assert history.epochs == 2 and history.stopped_early


def test_judging_without_validation_data_or_by_an_unknown_term_is_refused():
    X, X_val = data()
    model = autoencoder()
    with pytest.raises(ValueError, match="X_val"):
        train(model, nesterov(model), X, rng=1, epochs=1, batch_size=32, keep_best=True)
    with pytest.raises(ValueError, match="X_val"):
        train(model, nesterov(model), X, rng=1, epochs=1, batch_size=32, patience=2)
    with pytest.raises(ValueError, match="'kl' is not a loss term"):
        train(
            model,
            nesterov(model),
            X,
            rng=1,
            keep_best=True,
            monitor="kl",
            **run_args(X, X_val, epochs=1),
        )
    with pytest.raises(ValueError, match="patience"):
        train(model, nesterov(model), X, rng=1, patience=0, **run_args(X, X_val, epochs=1))


def test_mse_model_with_weight_decay_resumes_too(tmp_path):
    # a penalty on the parameters reads them at every step: it must see the restored ones
    X, X_val = data()
    path = tmp_path / "run.npz"

    def model():
        rng = np.random.default_rng(0)
        return Autoencoder(
            mlp([12, 5], activation="relu", rng=rng),
            mlp([5, 12], activation="relu", output_activation="sigmoid", rng=rng),
            MSE(),
            penalties={"weight_decay": (1e-3, WeightDecay())},
        )

    whole = model()
    train(whole, adam(whole), X, rng=3, **run_args(X, X_val, epochs=4))
    part = model()
    train(part, adam(part), X, rng=3, checkpoint=path, **run_args(X, X_val, epochs=2))
    rest = model()
    train(rest, adam(rest), X, rng=3, checkpoint=path, **run_args(X, X_val, epochs=4))
    for a, b in zip(whole.parameters(), rest.parameters(), strict=True):
        assert np.array_equal(a.value, b.value)
