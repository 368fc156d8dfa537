"""What a run records: every loss term's mean per epoch, on training and validation data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class History:
    """Per-epoch means of every loss term, on the training data and on validation data.

    Keys: those of the model's ``LossTerms.as_dict()``: ``reconstruction``, each penalty
    by its name (``sparsity``, ``weight_decay``, ``contractive`` for an autoencoder;
    ``kl`` for the VAE), ``total``, and ``squared_error``: ||X̂ - X||² summed over an
    example's entries and averaged over examples, the figure minae reports whatever the
    training loss (Hinton & Salakhutdinov 2006).

    ``best_epoch`` is the epoch whose parameters a run with ``keep_best`` ended with, and
    ``stopped_early`` says whether ``patience`` or the callback ended it before ``epochs``.
    Lessons plot their learning curves from it (lesson 04).

    Attributes
    ----------
    train, val : dict of str to list of float
        Each term's mean per epoch, shape (epochs,) as a list; ``val`` empty without
        validation data.
    seconds : list of float
        Each epoch's wall-clock time.
    best_epoch : int or None
        1-based; None without ``keep_best``.
    stopped_early : bool
        Whether the run ended before its last epoch.
    """

    train: dict[str, list[float]] = field(default_factory=dict)
    val: dict[str, list[float]] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """How many epochs ran."""
        return len(self.seconds)

    def append(self, log: dict[str, list[float]], means: dict[str, float]) -> None:
        """Add one epoch's means to ``log`` (``self.train`` or ``self.val``)."""
        for k, v in means.items():
            log.setdefault(k, []).append(v)

    def as_dict(self) -> dict:
        """Plain lists and numbers (JSON), for a checkpoint."""
        return {
            "train": self.train,
            "val": self.val,
            "seconds": self.seconds,
            "best_epoch": self.best_epoch,
            "stopped_early": self.stopped_early,
        }

    @classmethod
    def from_dict(cls, d: dict) -> History:
        """The history ``as_dict`` wrote (a checkpoint's)."""
        return cls(
            train={k: list(v) for k, v in d["train"].items()},
            val={k: list(v) for k, v in d["val"].items()},
            seconds=list(d["seconds"]),
            best_epoch=d["best_epoch"],
            stopped_early=bool(d["stopped_early"]),
        )
