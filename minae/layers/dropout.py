r"""Dropout: during training, each unit is zeroed with probability p, the rest scaled up."""

from __future__ import annotations

import numpy

from ..infrastructure.backend import to_device
from ..infrastructure.random_numbers import require_generator
from ..infrastructure.validation import check_batch, check_number, check_same_shape
from .layer import Layer


class Dropout(Layer):
    r"""Y = X ∘ M / (1 - p) while training, Y = X otherwise (Srivastava et al. 2014).

    M is a mask of zeros and ones shaped like X, each entry 1 with probability 1 - p,
    drawn afresh for every batch. Dividing by 1 - p ("inverted" dropout) keeps every
    unit's expected value E[Y] = X, so nothing changes at test time: there the layer is
    the identity. Backward multiplies by the same mask:

    .. math::
        \partial\hat R/\partial X = dY \circ M / (1 - p)

    The mask is drawn on the host from the training run's Generator (``train`` hands it
    to the layer through ``begin_training``), so one seed gives the same masks, and a
    resumed run the same ones. ``fixed_mask`` (an array of 0s and 1s shaped like X) makes
    the layer a fixed, smooth function for gradient checks, as a given ε does for the VAE.
    Outside ``train`` the layer is the identity unless ``training`` is set by hand.

    Shapes: X, M, Y (B, *shape). Slides 004 lists dropout among the regularisers
    ("dropout, weight decay (L1/L2), sparsity"); lesson 14 measures its train-test gap.

    Parameters
    ----------
    p : float
        The probability of zeroing a unit, 0 ≤ p < 1.
    """

    keeps_shape = True

    def __init__(self, p: float):
        p = check_number(p, "p")
        if not 0.0 <= p < 1.0:
            raise ValueError(f"p must lie in [0, 1), got {p}")
        self.p = p
        self.training = False
        self.rng: numpy.random.Generator | None = None
        self.fixed_mask = None
        self._scaled_mask = None

    def begin_training(self, rng: numpy.random.Generator) -> None:
        """Draw masks from ``rng`` from now on (``train`` calls this before its batches)."""
        self.training, self.rng = True, require_generator(rng)

    def end_training(self) -> None:
        """Back to the identity (``train`` calls this after its batches)."""
        self.training, self.rng = False, None

    def forward(self, X):
        check_batch(X)
        if not self.training or self.p == 0.0:
            self._scaled_mask = 1.0
            return X
        if self.fixed_mask is not None:
            check_same_shape(self.fixed_mask, X, "fixed_mask", "X")
            mask = self.fixed_mask
        elif self.rng is not None:
            mask = to_device(self.rng.random(X.shape) >= self.p, X.dtype)  # 1 with prob. 1 - p
        else:
            raise RuntimeError(
                "Dropout is training but has no Generator: train() hands it one, or set fixed_mask"
            )
        self._scaled_mask = mask * (1.0 / (1.0 - self.p))  # M / (1 - p)
        return X * self._scaled_mask

    def backward(self, dY, input_grad: bool = True):
        scaled_mask = self._cached(self._scaled_mask, "its mask")
        if not input_grad:
            return None
        return dY * scaled_mask  # dY ∘ M / (1 - p)

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
