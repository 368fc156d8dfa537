r"""The area under the ROC curve, from ranks: how well a score separates two classes.

Given scores s (higher = more anomalous) and labels y (1 = anomalous, 0 = normal), the AUROC
is the probability that a random anomalous example scores above a random normal one,
ties counting one half:

.. math::
    \mathrm{AUROC} = \frac{1}{n_1 n_0} \sum_{i: y_i = 1} \sum_{j: y_j = 0}
        \big([s_i > s_j] + \tfrac12 [s_i = s_j]\big)
    = \frac{R_1 - n_1 (n_1 + 1) / 2}{n_1 n_0}

where R_1 is the sum of the anomalous examples' ranks among all scores, tied scores
sharing the mean of their ranks: the Mann-Whitney U statistic divided by n_1 n_0. The
sum over pairs costs n_1 n_0; the ranks cost one sort.
"""

from __future__ import annotations

import numpy

from ..infrastructure.backend import to_host
from ..infrastructure.validation import check_array


def _checked(scores, labels) -> tuple[numpy.ndarray, numpy.ndarray]:
    check_array(scores, "scores", floats=False, ndim=1)
    check_array(labels, "labels", floats=False, ndim=1, finite=False)
    scores = to_host(scores).astype(numpy.float64)
    labels = to_host(labels)
    if scores.ndim != 1 or labels.ndim != 1:
        raise ValueError(f"scores and labels must be 1-D, got {scores.shape} and {labels.shape}")
    if scores.shape != labels.shape:
        raise ValueError(f"{scores.size} scores but {labels.size} labels")
    if not numpy.all(numpy.isfinite(scores)):
        raise ValueError(f"scores hold {int((~numpy.isfinite(scores)).sum())} NaN or inf value(s)")
    if not numpy.all((labels == 0) | (labels == 1)):
        raise ValueError("labels must be 0 (normal) or 1 (anomalous)")
    positives = int(labels.sum())
    if positives == 0 or positives == labels.size:
        raise ValueError("the AUROC needs both classes: labels are all 0 or all 1")
    return scores, labels.astype(bool)


def tied_ranks(values: numpy.ndarray) -> numpy.ndarray:
    """Ranks 1..n of ``values``; tied values share the mean of the ranks they span.

    The ranks of the Mann-Whitney U statistic (Mann & Whitney 1947), from which
    ``roc_auc`` reads the AUROC of lesson 13.

    Parameters
    ----------
    values : numpy.ndarray (n,)

    Returns
    -------
    numpy.ndarray (n,)
        float64 ranks.
    """
    check_array(values, "values", floats=False, ndim=1)
    values = to_host(values)
    order = numpy.argsort(values, kind="stable")
    sorted_values = values[order]
    # the first position of each run of equal values, and where each run ends
    starts = numpy.flatnonzero(numpy.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = numpy.r_[starts[1:], values.size]  # exclusive
    mean_rank = (starts + 1 + ends) / 2  # mean of ranks starts+1 .. ends
    ranks = numpy.empty(values.size)
    ranks[order] = numpy.repeat(mean_rank, ends - starts)
    return ranks


def roc_auc(scores, labels) -> float:
    """AUROC of ``scores`` (higher = more anomalous) against ``labels`` (1 = anomalous).

    Slides 003 and 004's anomaly detection, scored as Ruff et al. (2018) do; lesson 13
    computes it by the pairs and by the ranks and compares.

    Parameters
    ----------
    scores : array (n,)
        Finite; host or device.
    labels : array (n,)
        0 (normal) or 1 (anomalous), both present.

    Returns
    -------
    float
        In [0, 1]; 0.5 for a score that does not separate the classes.
    """
    scores, anomalous = _checked(scores, labels)
    n1 = int(anomalous.sum())
    n0 = anomalous.size - n1
    R1 = tied_ranks(scores)[anomalous].sum()
    return float((R1 - n1 * (n1 + 1) / 2) / (n1 * n0))


def roc_curve(scores, labels) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(false positive rates, true positive rates, thresholds), one point per distinct
    score, from the strictest threshold (nothing flagged, (0, 0)) to the loosest ((1, 1)).
    Flagging every example with score >= threshold gives that point; ties move together,
    so the trapezoidal area under these points is ``roc_auc``.

    Lesson 13's ROC curves (slides 003 and 004, anomaly detection).

    Parameters
    ----------
    scores : array (n,)
        Finite; higher = more anomalous.
    labels : array (n,)
        0 (normal) or 1 (anomalous), both present.

    Returns
    -------
    fpr, tpr, thresholds : numpy.ndarray, each (k + 1,)
        k the number of distinct scores; thresholds start at +inf.
    """
    scores, anomalous = _checked(scores, labels)
    order = numpy.argsort(-scores, kind="stable")
    s, y = scores[order], anomalous[order]
    last_of_run = numpy.r_[s[1:] != s[:-1], True]  # a threshold after each run of ties
    tp = numpy.cumsum(y)[last_of_run]
    fp = numpy.cumsum(~y)[last_of_run]
    tpr = numpy.r_[0.0, tp / y.sum()]
    fpr = numpy.r_[0.0, fp / (~y).sum()]
    return fpr, tpr, numpy.r_[numpy.inf, s[last_of_run]]
