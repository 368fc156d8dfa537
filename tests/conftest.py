"""Hypothesis profiles and shared fixtures.

The "ci" profile (selected when CI is set, as in .ci/run) is derandomized, so every run
draws the same examples, and has no deadline, since timing on a shared machine varies.
"""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import minae

# The ``float64`` fixture only switches the default dtype for the whole test, which every
# example may share; hence the function-scoped-fixture health check is not needed.
_shared = {
    "deadline": None,
    "max_examples": 25,
    "suppress_health_check": [HealthCheck.function_scoped_fixture],
}
settings.register_profile("ci", derandomize=True, **_shared)
settings.register_profile("dev", **_shared)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def float64():
    """Build everything in the test in float64, as every gradient check must."""
    with minae.default_dtype("float64"):
        yield np.float64


@pytest.fixture(autouse=True)
def _no_downloads(monkeypatch):
    """Tests never reach the internet: a connection anywhere but this machine fails the
    test that makes it (the download tests serve their files on 127.0.0.1)."""
    import socket

    real = socket.create_connection

    def local_only(address, *args, **kwargs):
        host = address[0]
        if host not in ("127.0.0.1", "localhost", "::1"):
            pytest.fail(f"a test tried to reach {host}: tests never download")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)


@pytest.fixture(autouse=True)
def _restore_backend_state():
    """Each test starts on NumPy with float32, whatever the previous test did."""
    yield
    minae.set_backend("numpy")
    minae.set_default_dtype("float32")
