"""AUROC from ranks against a count over all pairs, with ties; ROC points; bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minae.metrics import roc_auc, roc_curve, tied_ranks


def auc_by_pairs(scores, labels):
    """The definition: P(anomalous scores above normal), ties counting one half."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    above = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return (above + 0.5 * ties) / (len(pos) * len(neg))


scores_and_labels = st.integers(2, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 5), min_size=n, max_size=n),  # few values: many ties
        st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(lambda y: 0 < sum(y) < n),
    )
)


@given(scores_and_labels)
def test_auc_from_ranks_equals_the_count_over_pairs_with_ties(case):
    scores, labels = (np.array(v) for v in case)
    assert roc_auc(scores, labels) == pytest.approx(auc_by_pairs(scores, labels), abs=1e-12)
    fpr, tpr, _ = roc_curve(scores, labels)
    assert fpr[0] == tpr[0] == 0 and fpr[-1] == tpr[-1] == 1
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    area = float(((fpr[1:] - fpr[:-1]) * (tpr[1:] + tpr[:-1]) / 2).sum())  # the trapezoid rule
    assert area == pytest.approx(roc_auc(scores, labels), abs=1e-12)


def test_tied_ranks_share_their_mean_rank():
    np.testing.assert_array_equal(tied_ranks(np.array([3.0, 1.0, 3.0, 2.0, 3.0])), [4, 1, 4, 2, 4])


def test_extremes_and_agreement_with_scikit_learn():
    labels = np.array([0, 0, 1, 1])
    assert roc_auc(np.array([0.1, 0.2, 0.8, 0.9]), labels) == 1.0
    assert roc_auc(np.array([0.9, 0.8, 0.2, 0.1]), labels) == 0.0
    assert roc_auc(np.ones(4), labels) == 0.5
    metrics = pytest.importorskip("sklearn.metrics", reason="scikit-learn is optional")
    rng = np.random.default_rng(0)
    scores = np.round(rng.standard_normal(500), 1)  # rounded: ties
    y = rng.integers(0, 2, 500)
    assert roc_auc(scores, y) == pytest.approx(metrics.roc_auc_score(y, scores), abs=1e-12)


@pytest.mark.parametrize(
    ("scores", "labels", "match"),
    [
        ([0.1, 0.2], [1, 1], "both classes"),
        ([0.1, np.nan], [0, 1], "NaN"),
        ([0.1, 0.2, 0.3], [0, 1], "3 scores but 2 labels"),
        ([0.1, 0.2], [0, 2], "0 \\(normal\\) or 1"),
        ([[0.1, 0.2]], [[0, 1]], "1-D"),
    ],
)
def test_bad_input_is_refused(scores, labels, match):
    with pytest.raises(ValueError, match=match):
        roc_auc(np.array(scores), np.array(labels))
