"""A whole training run in one file, so an interrupted run resumes and ends with the same bits.

A checkpoint holds everything the next epoch reads: the parameters θ, the optimizer's
state (its step count t and buffers, Adam's m and v), the epoch reached, the state of the
Generator that shuffles (and corrupts) the batches, the state of any Generator the model
draws from (the VAE's ε), the history so far, and, when the run keeps its best
parameters, those and their validation score. ``train(..., checkpoint=path)`` writes one
after every epoch and resumes from it when the file exists.

The file is an ``.npz`` archive (no pickles) written atomically like ``save``: arrays under
``parameters/<name>``, ``optimizer/<name>`` and ``best/<name>``, and everything else as
JSON in ``run.json`` (the Generator states are integers there, exact).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from .backend import to_device, to_host
from .files import write_atomically
from .serialization import DamagedFileError, check_parameters_fit, read_archive

FORMAT = "minae-checkpoint"
VERSION = 1


@dataclass
class RunState:
    """What a checkpoint restores besides the arrays it copies into the model and optimizer.

    ``epoch``: epochs finished. ``history``: the ``History`` as a dict (see
    ``training.History.as_dict``). ``best``: the parameters with the best validation score
    so far (flat, like ``training.guard.snapshot``), or None, and ``best_info`` its score
    and the number of epochs since. ``fingerprint``: what the run was started with
    (model settings, data, batch size, optimizer), which a resumed run must match.
    """

    epoch: int
    history: dict
    fingerprint: dict
    best: object = None
    best_info: dict = field(default_factory=dict)


def data_fingerprint(X) -> dict:
    """Shape, dtype and a CRC-32 of the bytes of X: enough to notice other data."""
    host = numpy.ascontiguousarray(to_host(X))
    crc = zlib.crc32(host.data)  # the array's own bytes, not a copy
    return {"shape": list(host.shape), "dtype": str(host.dtype), "crc32": crc}


def model_settings(model) -> str:
    """What the model is, as its repr says: its layers, loss, penalties and their weights
    (``Autoencoder``, ``VAE``); a model without a repr of its own is named by its type."""
    if type(model).__repr__ is object.__repr__:
        return type(model).__qualname__
    return repr(model)


def generator_states(rng: numpy.random.Generator, model) -> dict:
    """The bit generators' states of the run's Generator and of the model's own."""
    own = model.generators()
    return {
        "rng": rng.bit_generator.state,
        "model": {name: g.bit_generator.state for name, g in own.items()},
    }


def _check_generators(states: dict, rng: numpy.random.Generator, model) -> None:
    own = model.generators()
    if set(own) != set(states["model"]):
        raise ValueError(
            f"the checkpoint holds the model's Generators {sorted(states['model'])}, "
            f"the model has {sorted(own)}"
        )
    pairs = [(rng, states["rng"])] + [(g, states["model"][name]) for name, g in own.items()]
    for generator, state in pairs:
        kind = type(generator.bit_generator).__name__
        if state["bit_generator"] != kind:
            raise ValueError(
                f"the checkpoint's Generator is a {state['bit_generator']}, this one a {kind}"
            )


def set_generator_states(states: dict, rng: numpy.random.Generator, model) -> None:
    """Set ``rng``'s state and the model's Generators' to those ``generator_states`` gave."""
    _check_generators(states, rng, model)
    own = model.generators()
    pairs = [(rng, states["rng"])] + [(g, states["model"][name]) for name, g in own.items()]
    for generator, state in pairs:
        generator.bit_generator.state = state


def save_checkpoint(path, model, optimizer, rng, run: RunState) -> Path:
    """Write the run to ``path`` atomically (a temporary file, fsync, rename over it)."""
    path = Path(path)
    arrays = {f"parameters/{n}": to_host(p.value) for n, p in model.named_parameters().items()}
    state = optimizer.state()
    arrays.update({f"optimizer/{n}": to_host(b) for n, b in state["buffers"].items()})
    if run.best is not None:
        arrays["best/parameters"] = to_host(run.best)
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "epoch": run.epoch,
        "optimizer_steps": state["steps"],
        "generators": generator_states(rng, model),
        "history": run.history,
        "fingerprint": run.fingerprint,
        "best_info": run.best_info,
    }
    arrays["run.json"] = numpy.frombuffer(json.dumps(meta).encode(), dtype=numpy.uint8)
    return write_atomically(path, lambda f: numpy.savez(f, **arrays))  # type: ignore[arg-type]


def load_checkpoint(
    path, model, optimizer, rng, fingerprint: dict | None = None, max_epoch: int | None = None
) -> RunState:
    """Read a checkpoint into ``model``, ``optimizer`` and the Generator ``rng``, in place.

    Everything is checked before anything changes: the run's ``fingerprint`` when one is
    given (the model's settings, the data, batch size and optimizer it was started with),
    that it ran at most ``max_epoch`` epochs, parameter names and shapes, the optimizer's
    buffers, the Generators' kinds. A file that is not a readable checkpoint raises
    ``DamagedFileError`` naming it.
    """
    path = Path(path)
    arrays = read_archive(path, "a checkpoint written by minae.train")
    meta = _meta(arrays, path)
    if fingerprint is not None:
        _check_fingerprint(path, meta["fingerprint"], json.loads(json.dumps(fingerprint)))
    if max_epoch is not None and int(meta["epoch"]) > max_epoch:
        raise ValueError(
            f"the checkpoint {path} has already run {meta['epoch']} epochs, more than "
            f"epochs={max_epoch}"
        )
    params = model.named_parameters()
    saved = {
        k.removeprefix("parameters/"): a for k, a in arrays.items() if k.startswith("parameters/")
    }
    check_parameters_fit(path, params, saved)
    buffers = {
        k.removeprefix("optimizer/"): a for k, a in arrays.items() if k.startswith("optimizer/")
    }
    best = arrays.get("best/parameters")
    if best is not None and best.shape != optimizer.flat.values.shape:
        raise DamagedFileError(f"{path}: its best parameters do not fit this optimizer")
    _check_buffers(path, optimizer, buffers)
    for kind, named in (
        ("parameter", saved),
        ("optimizer buffer", buffers),
        ("best parameters", {} if best is None else {"": best}),
    ):
        for name, array in named.items():
            if array.dtype.kind == "f" and not numpy.all(numpy.isfinite(array)):
                what = f"{kind} {name!r}" if name else kind
                raise DamagedFileError(
                    f"{path}: its {what} holds NaN or inf, so the run it saved had already "
                    "failed; nothing was loaded. Delete it, or pass another path to start "
                    "afresh"
                )
    _check_generators(meta["generators"], rng, model)
    optimizer.load_state({"steps": meta["optimizer_steps"], "buffers": buffers})
    set_generator_states(meta["generators"], rng, model)
    for name, p in params.items():
        p.value[...] = to_device(saved[name], p.dtype)
    return RunState(
        epoch=int(meta["epoch"]),
        history=meta["history"],
        fingerprint=meta["fingerprint"],
        best=None if best is None else to_device(best, optimizer.flat.values.dtype),
        best_info=meta["best_info"],
    )


def _check_fingerprint(path: Path, saved: dict, now: dict) -> None:
    differ = [key for key in sorted(set(saved) | set(now)) if saved.get(key) != now.get(key)]
    if differ:
        shown = "; ".join(f"{k}: {saved.get(k)} there, {now.get(k)} here" for k in differ)
        raise ValueError(
            f"{path} was written by a run with other settings ({shown}). Pass the same "
            "model, data, batch size and optimizer to resume it, or another path to start "
            "afresh"
        )


def _check_buffers(path: Path, optimizer, buffers: dict) -> None:
    own = optimizer.buffers()
    if set(own) != set(buffers) or any(buffers[k].shape != own[k].shape for k in own):
        raise ValueError(
            f"{path} holds optimizer state {sorted(buffers)} that does not fit this "
            f"{type(optimizer).__name__} ({sorted(own)})"
        )


def _meta(arrays: dict, path: Path) -> dict:
    damaged = f"{path} is damaged or is not a checkpoint written by minae.train"
    if "run.json" not in arrays:
        raise DamagedFileError(f"{damaged}: it has no run.json")
    try:
        meta = json.loads(arrays["run.json"].tobytes().decode())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DamagedFileError(f"{damaged}: run.json does not parse ({err})") from err
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise DamagedFileError(f"{damaged}: run.json is not a minae checkpoint's")
    if meta.get("version") != VERSION:
        raise DamagedFileError(
            f"{path} is a checkpoint of version {meta.get('version')}; this minae reads "
            f"version {VERSION}"
        )
    for key in ("epoch", "optimizer_steps", "generators", "history", "fingerprint"):
        if key not in meta:
            raise DamagedFileError(f"{damaged}: run.json lacks {key!r}")
    return meta
