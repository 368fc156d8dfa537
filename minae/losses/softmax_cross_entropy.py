"""Softmax cross-entropy over a class axis: classification at every pixel (colourisation)."""

from __future__ import annotations

import numpy

from ..infrastructure.backend import array_module
from ..infrastructure.validation import check_array
from .loss import Loss


def _checked_logits(A, axis) -> int:
    """Refuse logits that are not a float array, or an axis they lack (no pass over A:
    a NaN logit gives a NaN loss, which the training loop's guard catches)."""
    check_array(A, "A", min_ndim=1, finite=False)
    if isinstance(axis, bool) or not isinstance(axis, (int, numpy.integer)):
        raise TypeError(f"axis must be an integer, got {axis!r}")
    if not -A.ndim <= axis < A.ndim:
        raise ValueError(f"axis {axis} is not an axis of A, whose shape is {tuple(A.shape)}")
    return int(axis)


def softmax(A, axis: int = 1):
    """exp(A) normalised along ``axis``, with the maximum subtracted first (no overflow).

    Lesson 12 turns colourisation's logits into a distribution over chroma bins with it
    (Zhang et al. 2016).

    Parameters
    ----------
    A : array, e.g. (B, Q) or (B, Q, H, W)
        Logits.
    axis : int
        The class axis (default 1).

    Returns
    -------
    array shaped like A
        Non-negative, summing to 1 along ``axis``.
    """
    axis = _checked_logits(A, axis)
    xp = array_module()
    E = xp.exp(A - A.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def log_softmax(A, axis: int = 1):
    """log softmax(A) = A - max - log Σ exp(A - max), exact where softmax underflows to 0.

    The log p of ``SoftmaxCrossEntropy`` (lesson 12; Zhang et al. 2016).

    Parameters
    ----------
    A : array, e.g. (B, Q) or (B, Q, H, W)
        Logits.
    axis : int
        The class axis (default 1).

    Returns
    -------
    array shaped like A
    """
    axis = _checked_logits(A, axis)
    xp = array_module()
    shifted = A - A.max(axis=axis, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


class SoftmaxCrossEntropy(Loss):
    r"""Cross-entropy of target distributions T against softmax(A), along axis 1.

    The output A holds logits: (B, Q) for one Q-way choice per example, or (B, Q, H, W)
    for one at every pixel (Q chroma bins in colourisation). With P = softmax(A) over the
    Q entries of axis 1 and T ≥ 0 summing to 1 over that axis (one-hot, or soft targets):

    .. math::
        \hat R = -\frac{1}{B} \sum_{b} \sum_{h,w} \sum_q t_{bqhw} \log p_{bqhw}, \qquad
        \frac{\partial \hat R}{\partial A} = \frac{1}{B} (P - T)

    Summed over an example's pixels, averaged over the batch (see ``Loss``). The gradient
    needs Σ_q t = 1 at every pixel, which ``value`` and ``grad`` check.
    ``reconstruction(A)`` is P, the predicted distribution.

    Slides 004's colourisation ("grayscale, 1 channel in; RGB, 3 channels out") as
    classification over chroma bins, Zhang et al. (2016); lesson 12 derives the gradient
    (P - T)/B and checks it against central differences.
    """

    def elementwise(self, output, target):
        """-t log p for every entry, shaped like output (B, Q, ...); inputs checked."""
        self._check_distributions(output, target)
        return -(target * log_softmax(output))

    def grad(self, output, target):
        self._check_distributions(output, target)
        dA = softmax(output) - target  # P - T
        dA /= output.shape[0]
        return dA

    def reconstruction(self, output):
        return softmax(output)

    def _check_distributions(self, output, target) -> None:
        self._check(output, target)
        if output.ndim < 2 or output.shape[1] < 2:
            raise ValueError(f"output needs at least 2 classes along axis 1, got {output.shape}")
        xp = array_module()
        if not bool(xp.isfinite(target).all()):  # NaN passes every comparison below
            raise ValueError("target holds NaN or infinite probabilities")
        if float(target.min()) < 0:
            raise ValueError("target holds negative probabilities")
        total = target.sum(axis=1)
        if float(xp.abs(total - 1).max()) > 1e-3:
            raise ValueError(
                "target must sum to 1 over axis 1 (the classes) at every example and pixel; "
                f"found sums from {float(total.min()):.4g} to {float(total.max()):.4g}"
            )
