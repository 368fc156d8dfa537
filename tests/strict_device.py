"""A stand-in for a GPU array module, to test minae's backend promise without a GPU.

CuPy's arrays live on the device and refuse what would silently copy them to the host:
``numpy.asarray(device_array)`` raises ("Implicit conversion to a NumPy array is not
allowed"), and a NumPy array mixed into a CuPy operation raises too. ``DeviceArray``
behaves the same way while computing with NumPy underneath, so a run under ``strict``
gives NumPy's numbers exactly, and any compute code that reaches for NumPy instead of
``array_module()`` fails loudly:

- ``numpy.asarray(x)`` / ``numpy.array(x)`` on a ``DeviceArray`` raise ``TypeError``;
- a host ``numpy.ndarray`` mixed into a ufunc, a NumPy function or ``strict``'s
  functions (other than ``asarray`` / ``array``, which move data to the device) raises;
- ``strict.random`` does not exist: minae draws random numbers on the host;
- ``.get()`` copies to the host, as CuPy's does, and is what ``minae.to_host`` calls.
"""

from __future__ import annotations

import numbers
import types

import numpy
from numpy.lib.mixins import NDArrayOperatorsMixin

_MOVES_TO_DEVICE = {"asarray", "array", "asanyarray"}


class HostArrayError(TypeError):
    """A host (NumPy) array met a device array."""


class DeviceArray(NDArrayOperatorsMixin):
    """An array 'on the device': NumPy underneath, no implicit way to the host."""

    __slots__ = ("_data",)

    def __init__(self, data: numpy.ndarray):
        self._data = data

    # the ways CuPy refuses --------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "Implicit conversion to a NumPy array is not allowed. Please use `.get()` to "
            "construct a NumPy array explicitly."
        )

    def get(self) -> numpy.ndarray:
        return self._data.copy()

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if "out" in kwargs:
            kwargs["out"] = tuple(_unwrap(o, ufunc.__name__) for o in kwargs["out"])
        result = getattr(ufunc, method)(*(_unwrap(x, ufunc.__name__) for x in inputs), **kwargs)
        return _wrap(result)

    def __array_function__(self, func, types_, args, kwargs):
        name = func.__name__
        return _wrap(func(*_unwrap_all(args, name), **_unwrap_all(kwargs, name)))

    # what an array has -----------------------------------------------------------
    def __getattr__(self, name):
        if name.startswith("__"):  # __array_interface__ and the like: no way around __array__
            raise AttributeError(name)
        attribute = getattr(self._data, name)
        if callable(attribute):

            def method(*args, **kwargs):
                return _wrap(attribute(*_unwrap_all(args, name), **_unwrap_all(kwargs, name)))

            return method
        return _wrap(attribute)  # .T, .real, ... stay on the device; shape, dtype pass

    def __getitem__(self, key):
        return _wrap(self._data[_unwrap_key(key)])

    def __setitem__(self, key, value):
        self._data[_unwrap_key(key)] = _unwrap(value, "__setitem__")

    def __len__(self):
        return len(self._data)

    def __iter__(self):
        return (_wrap(row) for row in self._data)

    # scalars: CuPy synchronises and answers -----------------------------------------
    def __float__(self):
        return float(self._data)

    def __int__(self):
        return int(self._data)

    def __index__(self):
        return self._data.__index__()

    def __bool__(self):
        return bool(self._data)

    def __format__(self, spec):
        return format(self._data.item() if self._data.ndim == 0 else self._data, spec)

    def __repr__(self):
        return f"DeviceArray({self._data!r})"


def _unwrap(x, where: str):
    if isinstance(x, DeviceArray):
        return x._data
    if isinstance(x, numpy.ndarray):
        raise HostArrayError(f"a host numpy.ndarray {x.shape} was mixed into {where} on the device")
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(item, where) for item in x)
    return x  # Python and NumPy scalars, dtypes, None, slices


def _unwrap_all(values, where: str):
    if isinstance(values, dict):
        return {key: _unwrap(value, where) for key, value in values.items()}
    return tuple(_unwrap(value, where) for value in values)


def _unwrap_key(key):
    """Indices: device arrays, host index arrays (CuPy accepts them too), slices, ints."""
    if isinstance(key, tuple):
        return tuple(_unwrap_key(k) for k in key)
    return key._data if isinstance(key, DeviceArray) else key


def _wrap(result):
    if isinstance(result, numpy.ndarray):
        return DeviceArray(result)
    if isinstance(result, numpy.generic) and isinstance(result, numbers.Number):
        return DeviceArray(numpy.asarray(result))  # CuPy's reductions give 0-d arrays
    if isinstance(result, tuple) and hasattr(result, "_fields"):  # eigh's, svd's results
        return type(result)(*(_wrap(r) for r in result))
    if isinstance(result, (list, tuple)):
        return type(result)(_wrap(r) for r in result)
    return result


class StrictModule:
    """NumPy's namespace with device arrays in and out, like ``cupy`` or ``cupy.linalg``."""

    def __init__(self, module: types.ModuleType):
        self._module = module

    def __getattr__(self, name):
        if name == "random":
            raise AttributeError("the device module has no random: minae draws on the host")
        if name == "ndarray":
            return DeviceArray
        attribute = getattr(self._module, name)
        if isinstance(attribute, types.ModuleType):
            return StrictModule(attribute)
        if not callable(attribute) or isinstance(attribute, type):
            return attribute  # dtypes, constants, finfo, errstate

        def function(*args, **kwargs):
            if name == "asarray" and len(args) == 1 and isinstance(args[0], DeviceArray):
                dtype = kwargs.get("dtype")
                if dtype is None or numpy.dtype(dtype) == args[0].dtype:
                    return args[0]  # already on the device: no copy, as CuPy
            if name in _MOVES_TO_DEVICE:
                args = tuple(a._data if isinstance(a, DeviceArray) else a for a in args)
                return DeviceArray(numpy.array(getattr(self._module, name)(*args, **kwargs)))
            return _wrap(attribute(*_unwrap_all(args, name), **_unwrap_all(kwargs, name)))

        return function


strict = StrictModule(numpy)
