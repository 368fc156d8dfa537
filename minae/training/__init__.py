"""Training: the loop (``loop.py``), what happens around it (``callbacks.py``), the
divergence guard (``guard.py``), the record (``history.py``) and running a model over
many examples (``evaluation.py``)."""

from .callbacks import (
    LONG_EPOCH,
    BestEpoch,
    Callback,
    Checkpointing,
    EveryEpoch,
    Progress,
    Validation,
)
from .evaluation import evaluate, predict
from .guard import NonFiniteLossError
from .history import History
from .loop import Run, fit, step, train

__all__ = [
    "LONG_EPOCH",
    "BestEpoch",
    "Callback",
    "Checkpointing",
    "EveryEpoch",
    "History",
    "NonFiniteLossError",
    "Progress",
    "Run",
    "Validation",
    "evaluate",
    "fit",
    "predict",
    "step",
    "train",
]
