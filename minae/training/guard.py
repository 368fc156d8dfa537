"""The training loop's guard against a step that diverges: copy the parameters out and
back, and say whether they are finite."""

from __future__ import annotations

from ..infrastructure.backend import array_module


class NonFiniteLossError(FloatingPointError):
    """Training met a NaN or infinite loss, or parameters that turned NaN or infinite.

    The model is left with finite parameters: those that produced the loss when they are
    finite, else the last finite ones (those at the start of the epoch); the message says
    which. A guard around step ⑥ of slides 001's "Training AEs for Compression": too large a
    learning rate makes it diverge.

    Parameters
    ----------
    epoch, batch : int
        Where it happened (1-based).
    terms : dict of str to float
        The loss terms of that batch (empty when the parameters, not the loss, turned
        non-finite).
    restored : str
        Which parameters were kept, for the message.
    """

    def __init__(self, epoch: int, batch: int, terms: dict[str, float], restored: str):
        self.epoch, self.batch, self.terms = epoch, batch, terms
        if terms:
            shown = ", ".join(f"{k}={v:.4g}" for k, v in terms.items())
            what = f"non-finite loss at epoch {epoch}, batch {batch} ({shown})"
        else:
            what = f"the parameters turned non-finite in epoch {epoch} (by batch {batch})"
        super().__init__(
            f"{what}; {restored}. "
            "Try a smaller learning rate, or check the data and the loss's input range"
        )


def snapshot(optimizer):
    """A copy of every parameter the optimizer holds (one flat array), for ``restore``."""
    return optimizer.flat.values.copy()


def restore(optimizer, saved) -> None:
    """Put back the values of a ``snapshot``."""
    optimizer.flat.values[...] = saved


def parameters_finite(optimizer) -> bool:
    """True when no parameter holds NaN or infinity."""
    return bool(array_module().isfinite(optimizer.flat.values).all())


def keep_finite(optimizer, saved) -> str:
    """Leave finite parameters after a divergence: the current ones if finite, else
    ``saved``; says which, for the error message."""
    if parameters_finite(optimizer):
        return "the parameters that produced it are finite and were kept"
    restore(optimizer, saved)
    return "the parameters had turned non-finite and were restored to the start of the epoch"
