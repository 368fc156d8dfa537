"""The backend switch and the default dtype."""

import subprocess
import sys

import numpy as np
import pytest

import minae
from minae.infrastructure import backend


def test_numpy_is_the_default_with_float32():
    assert minae.get_backend() == "numpy"
    assert minae.array_module() is np
    assert minae.get_default_dtype() == np.float32
    assert minae.Linear(2, 2, rng=0).W.dtype == np.float32


def test_default_dtype_block_restores_the_previous_one():
    with minae.default_dtype("float64"):
        assert minae.Linear(2, 2, rng=0).W.dtype == np.float64
    assert minae.get_default_dtype() == np.float32


@pytest.mark.parametrize("dtype", ["int32", "float16", bool])
def test_only_float32_and_float64_are_accepted(dtype):
    with pytest.raises(TypeError, match="float32 or float64"):
        minae.set_default_dtype(dtype)


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown backend 'torch'"):
        minae.set_backend("torch")


def test_cupy_missing_gives_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # makes `import cupy` fail
    with pytest.raises(RuntimeError, match=r"needs CuPy.*pip install -e '\.\[gpu-cuda12\]'"):
        minae.set_backend("cupy")
    assert minae.get_backend() == "numpy"  # a failed switch changes nothing


def test_cupy_without_a_gpu_gives_a_clear_error(monkeypatch):
    class NoDevice:
        class cuda:
            class runtime:
                @staticmethod
                def getDeviceCount():
                    raise RuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected")

    monkeypatch.setitem(sys.modules, "cupy", NoDevice)
    with pytest.raises(RuntimeError, match="found no usable GPU: cudaErrorNoDevice"):
        minae.set_backend("cupy")


def test_cupy_that_cannot_run_a_kernel_fails_at_the_switch(monkeypatch):
    class NoCompiler:
        float32 = "float32"

        class cuda:
            class runtime:
                @staticmethod
                def getDeviceCount():
                    return 1

        @staticmethod
        def arange(*args, **kwargs):
            raise RuntimeError("CompileException: cannot open include file 'cuda_fp16.h'")

    monkeypatch.setitem(sys.modules, "cupy", NoCompiler)
    with pytest.raises(RuntimeError, match=r"could not run a kernel.*cuda_fp16.*\[ctk\]"):
        minae.set_backend("cupy")
    assert minae.get_backend() == "numpy"


def test_the_environment_variable_selects_the_backend():
    code = "import minae"
    env = {"MINAE_BACKEND": "bogus", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, encoding="utf-8"
    )
    assert result.returncode != 0
    assert "unknown backend 'bogus'" in result.stderr


def test_host_round_trip():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(backend.to_host(backend.to_device(a)), a)
    assert backend.to_device(a, "float32").dtype == np.float32
