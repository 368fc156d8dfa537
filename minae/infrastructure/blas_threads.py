"""How many threads the BLAS behind NumPy may use, set from inside a running Python.

Measured on a 2-core machine (``benchmarks/blas_threads.py``, seconds, medians of five):

| work | idle, 1 thread | idle, 2 threads | busy neighbour, 1 | busy neighbour, 2 |
| --- | ---: | ---: | ---: | ---: |
| a training epoch, 20,000 images | 2.19 | 1.56 | 2.11 | 3.60 |
| PCA fit, 60,000 x 784 | 1.27 | 0.99 | 1.37 | 1.93 |
| 200 SVDs of 128 x 784 | 1.23 | 2.20 | 1.06 | 6.53 |

On an idle machine the large products of training and PCA gain from every core, so
minae leaves the BLAS as NumPy set it up. Where another process keeps a core busy (a
shared JupyterHub, a second notebook, a browser), BLAS threads wait on each other and
one thread is faster for everything: call ``blas_threads(1)`` there. Setting
``OPENBLAS_NUM_THREADS=1`` (or ``OMP_NUM_THREADS``) before Python starts does the same,
but a notebook's kernel has long started by the time its first cell runs.
"""

from __future__ import annotations

import warnings


def blas_threads(n: int):
    """Limit NumPy's BLAS (OpenBLAS, MKL, BLIS, ...) to ``n`` threads.

    Takes effect at once and lasts until the returned object's
    ``restore_original_limits()``; used as a context manager, only inside the block::

        minae.blas_threads(1)            # from here on
        with minae.blas_threads(1):      # only here
            model.fit(...)

    The work is done by threadpoolctl, which finds the BLAS libraries loaded in the
    process, whatever their names on Linux, macOS or Windows. Where it finds none it can
    limit (Apple's Accelerate, behind NumPy's wheels for macOS on arm64), a
    RuntimeWarning says so and names the environment variable that works instead.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"blas_threads takes a whole number of threads, got {n!r}")
    if n < 1:
        raise ValueError(f"blas_threads needs at least 1 thread, got {n}")
    import numpy
    from threadpoolctl import threadpool_info, threadpool_limits

    numpy.ones((2, 2)) @ numpy.ones((2, 2))  # NumPy loads its BLAS at its first product
    limiter = threadpool_limits(limits=n, user_api="blas")
    if not any(pool["user_api"] == "blas" for pool in threadpool_info()):
        warnings.warn(
            "blas_threads found no BLAS it can limit behind NumPy, so the limit does "
            "nothing. On macOS, NumPy's wheels use Apple's Accelerate, which cannot be "
            "limited from inside Python: set VECLIB_MAXIMUM_THREADS=1 before Python starts",
            RuntimeWarning,
            stacklevel=2,
        )
    return limiter
