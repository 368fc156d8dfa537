"""Save and load a model's parameters as ``.npz``: no pickles, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy

from .backend import to_device, to_host


def save(model, path) -> Path:
    """Write every named parameter of ``model`` to ``path`` (an ``.npz`` archive).

    The archive is written to a temporary file beside ``path`` and renamed over it, so
    an interrupted save never leaves a half-written file under the final name.
    """
    path = Path(path)
    arrays = {name: to_host(p.value) for name, p in model.named_parameters().items()}
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            numpy.savez(f, **arrays)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(model, path) -> None:
    """Read parameters saved by ``save`` into ``model``, in place.

    Names and shapes must match the model's exactly; otherwise nothing is changed and
    the error lists what differs. Values are cast to each parameter's dtype.
    """
    params = model.named_parameters()
    with numpy.load(Path(path), allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    missing = sorted(set(params) - set(arrays))
    unexpected = sorted(set(arrays) - set(params))
    if missing or unexpected:
        raise ValueError(
            f"{path} does not match the model: missing {missing or 'none'}, "
            f"unexpected {unexpected or 'none'}"
        )
    wrong = [
        f"{name}: file {arrays[name].shape}, model {p.shape}"
        for name, p in params.items()
        if arrays[name].shape != p.shape
    ]
    if wrong:
        raise ValueError(f"{path} has parameters of the wrong shape: " + "; ".join(wrong))
    for name, p in params.items():
        p.value[...] = to_device(arrays[name], p.dtype)
