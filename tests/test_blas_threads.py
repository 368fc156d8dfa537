"""minae.infrastructure.blas_threads: the limit reaches NumPy's BLAS, and is undone as promised."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info

import minae


def blas_thread_counts() -> list[int]:
    np.ones((2, 2)) @ np.ones((2, 2))  # NumPy's BLAS is loaded by now
    return [entry["num_threads"] for entry in threadpool_info() if entry["user_api"] == "blas"]


def test_numpy_blas_is_found():
    assert blas_thread_counts(), "threadpoolctl found no BLAS library behind NumPy"


def test_limit_inside_a_block_then_restored():
    before = blas_thread_counts()
    with minae.blas_threads(1):
        assert blas_thread_counts() == [1] * len(before)
    assert blas_thread_counts() == before


def test_limit_as_a_call_lasts_until_restored():
    before = blas_thread_counts()
    limit = minae.blas_threads(1)
    try:
        assert blas_thread_counts() == [1] * len(before)
    finally:
        limit.restore_original_limits()
    assert blas_thread_counts() == before


@pytest.mark.parametrize(
    "n, error",
    [(0, ValueError), (-2, ValueError), (1.5, TypeError), (True, TypeError), ("2", TypeError)],
)
def test_bad_counts_are_refused(n, error):
    with pytest.raises(error, match="thread"):
        minae.blas_threads(n)


def test_a_blas_that_cannot_be_limited_is_named_not_ignored(monkeypatch):
    """Apple's Accelerate is invisible to threadpoolctl: the call must say so."""
    import threadpoolctl

    monkeypatch.setattr(threadpoolctl, "threadpool_info", lambda: [])
    with pytest.warns(RuntimeWarning, match="VECLIB_MAXIMUM_THREADS"):
        minae.blas_threads(1).restore_original_limits()


def test_a_blas_that_can_be_limited_gives_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minae.blas_threads(1).restore_original_limits()
