"""The one place in minae that knows which array module computes.

NumPy is the default. ``set_backend("cupy")`` (or ``MINAE_BACKEND=cupy`` in the
environment before minae is imported) switches every later array to CuPy, on the GPU.
Compute code asks ``array_module()`` for the module and never imports NumPy to work on
arrays; random numbers are always drawn on the host from a ``numpy.random.Generator``
and moved with ``to_device``, so a seed gives the same numbers on either backend.

The default floating dtype is float32 for training; gradient checks use float64,
either per object (``dtype=`` arguments) or for a block::

    with minae.default_dtype("float64"):
        layer = Linear(3, 2, rng=0)
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from types import ModuleType

import numpy
from numpy.typing import DTypeLike

_BACKENDS = ("numpy", "cupy")
_FLOAT_DTYPES = (numpy.dtype(numpy.float32), numpy.dtype(numpy.float64))

_state: dict[str, object] = {"name": "numpy", "xp": numpy, "dtype": numpy.dtype(numpy.float32)}


def _import_cupy() -> ModuleType:
    try:
        import cupy
    except ImportError as err:
        raise RuntimeError(
            "the 'cupy' backend needs CuPy, which is not installed: in minae's clone, "
            "pip install -e '.[gpu-cuda12]' or -e '.[gpu-cuda13]' (CuPy's wheel for your "
            "CUDA major version; nvidia-smi shows it)"
        ) from err
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as err:  # CUDA raises its own error types when no driver is present
        raise RuntimeError(f"the 'cupy' backend found no usable GPU: {err}") from err
    if count < 1:
        raise RuntimeError("the 'cupy' backend found no GPU (device count is 0)")
    try:  # a GPU is there; can CuPy compile and run a kernel on it? (needs CUDA's libraries)
        total = float((cupy.arange(4, dtype=cupy.float32) * 2).sum())
    except Exception as err:
        raise RuntimeError(
            f"the 'cupy' backend found a GPU but could not run a kernel on it: {err}. "
            "CuPy needs CUDA's libraries: install the extra, which brings them "
            "(cupy-cuda12x[ctk] or cupy-cuda13x[ctk]), or a CUDA toolkit"
        ) from err
    if total != 12.0:
        raise RuntimeError(f"the 'cupy' backend's first kernel computed {total}, not 12")
    return cupy


def set_backend(name: str) -> None:
    """Select the array module: ``"numpy"`` (CPU) or ``"cupy"`` (GPU).

    Switch before building models: arrays made under one backend are not moved. CuPy
    (Okuta et al. 2017) runs NumPy's calls on an NVIDIA GPU; every lesson runs under
    either (``MINAE_BACKEND=cupy python lessons/04_vanilla_autoencoder.py``).

    Parameters
    ----------
    name : str
        ``"numpy"`` or ``"cupy"``.

    Raises
    ------
    ValueError
        For another name; ImportError or RuntimeError when CuPy cannot run a kernel.
    """
    if name not in _BACKENDS:
        raise ValueError(f"unknown backend {name!r}; choose one of {_BACKENDS}")
    xp = numpy if name == "numpy" else _import_cupy()
    _state["name"] = name
    _state["xp"] = xp


def get_backend() -> str:
    """The name of the active backend, ``"numpy"`` or ``"cupy"`` (CuPy: Okuta et al. 2017)."""
    return str(_state["name"])


def array_module() -> ModuleType:
    """The active array module (``numpy`` or ``cupy``): compute code's ``xp``.

    The one seam between minae's code and the device (CuPy: Okuta et al. 2017, which
    offers NumPy's functions on GPU arrays of any shape).
    """
    return _state["xp"]  # type: ignore[return-value]


def _as_float_dtype(dtype: DTypeLike) -> numpy.dtype:
    if isinstance(dtype, (bool, int, float, list, tuple, dict)) or dtype is None:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}")
    try:
        dt = numpy.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if dt not in _FLOAT_DTYPES:
        raise TypeError(f"dtype must be float32 or float64 (minae computes in those), not {dt}")
    return dt


def set_default_dtype(dtype: DTypeLike) -> None:
    """Set the floating dtype that new parameters and loaded data get.

    Float32 to train, float64 to check gradients (lessons 06 and 09 switch to float64, by
    ``default_dtype``, for their central differences).

    Parameters
    ----------
    dtype : float32 or float64
    """
    _state["dtype"] = _as_float_dtype(dtype)


def get_default_dtype() -> numpy.dtype:
    """The floating dtype that new parameters and loaded data get (float32 at start).

    See ``set_default_dtype``; the lessons train in float32 (e.g. lesson 04).
    """
    return _state["dtype"]  # type: ignore[return-value]


def resolve_dtype(dtype: DTypeLike | None) -> numpy.dtype:
    """``dtype`` checked to be float32 or float64, or the default when it is None."""
    return get_default_dtype() if dtype is None else _as_float_dtype(dtype)


@contextlib.contextmanager
def default_dtype(dtype: DTypeLike) -> Iterator[None]:
    """Within the block, new parameters and loaded data get ``dtype``.

    ``with default_dtype("float64"):`` is how lessons 06 and 09 build a model to check by
    central differences.

    Parameters
    ----------
    dtype : float32 or float64
    """
    previous = get_default_dtype()
    set_default_dtype(dtype)
    try:
        yield
    finally:
        set_default_dtype(previous)


def to_device(array: object, dtype: DTypeLike | None = None):
    """``array`` as an array of the active backend (a copy only where needed).

    Host data onto the GPU under CuPy (Okuta et al. 2017); lesson 12 hands its chroma bins
    to the device with it.

    Parameters
    ----------
    array : array-like of any shape
        NumPy or CuPy arrays, lists, numbers.
    dtype : str or numpy.dtype, optional
        Convert to it; keep the array's own when None.

    Returns
    -------
    array of the same shape
        Of the active backend.
    """
    xp = array_module()
    if dtype is not None:
        try:
            dtype = numpy.dtype(dtype)
        except TypeError:
            raise TypeError(f"dtype must be a NumPy dtype (float32, ...), got {dtype!r}") from None
    return xp.asarray(array, dtype=dtype)


def to_host(array: object) -> numpy.ndarray:
    """``array`` as a NumPy array on the host (a copy when it lives on the GPU).

    What every lesson's plots and prints go through, so that each runs under CuPy too
    (lessons 01 to 14).

    Parameters
    ----------
    array : array-like of any shape

    Returns
    -------
    numpy.ndarray of the same shape
    """
    if hasattr(array, "get") and not isinstance(array, numpy.ndarray):
        return array.get()
    return numpy.asarray(array)


def _backend_from_environment() -> None:
    name = os.environ.get("MINAE_BACKEND")
    if name:
        set_backend(name)


_backend_from_environment()
