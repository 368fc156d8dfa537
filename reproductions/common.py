"""What the reproductions share: MNIST (or a little of it, quick), timing, and a result row."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from minae.datasets import load_mnist

QUICK_TRAIN, QUICK_TEST = 2000, 500


@dataclass
class Result:
    """One row of the table.

    ``published``: the paper's or program's figure, as it states it; ``minae``: ours;
    ``meets``: whether ours meets the mark the issue sets (None on a quick run, which
    trains on too little data to say); ``seconds``: wall-clock; ``cpu_seconds``: the
    process's CPU time (all threads); ``detail``: anything else measured.
    """

    name: str
    experiment: str
    published: str
    minae: str
    meets: bool | None
    seconds: float
    cpu_seconds: float
    detail: dict

    def as_dict(self) -> dict:
        return asdict(self)


def mnist(quick: bool):
    """(X_train, X_test): all of MNIST, or 2,000 and 500 images on a quick run."""
    X_train, _ = load_mnist("train")
    X_test, _ = load_mnist("test")
    if quick:
        return X_train[:QUICK_TRAIN], X_test[:QUICK_TEST]
    return X_train, X_test


class Clock:
    """Wall-clock and CPU seconds since it was made."""

    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def seconds(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu
