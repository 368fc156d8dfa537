"""Hypothesis profiles and shared fixtures.

The "ci" profile (selected when CI is set, as in .ci/run) is derandomized, so every run
draws the same examples, and has no deadline, since timing on a shared machine varies.
MINAE_STRICT_COMPARE makes ``lesson.compare`` raise where it would print "not close".
"""

import http.server
import os
import threading
from functools import partial

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

# Under the suite, a lesson's compare() that finds its arrays apart raises (the lessons'
# kernels and subprocesses inherit this), so no lesson can print "close: False" and pass.
os.environ["MINAE_STRICT_COMPARE"] = "1"


@pytest.fixture
def float64():
    """Build everything in the test in float64, as every gradient check must."""
    with minae.default_dtype("float64"):
        yield np.float64


def _closed_port() -> int:
    """A port on this machine that nobody listens on: what offline looks like."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_OFFLINE_PROXY = f"http://127.0.0.1:{_closed_port()}"


@pytest.fixture(autouse=True)
def _no_downloads(monkeypatch):
    """Tests never reach the internet: a connection anywhere but this machine fails the
    test that makes it (the download tests serve their files on 127.0.0.1), and the
    scripts a test starts (lessons, reproductions) inherit proxies that lead nowhere, so a
    download there fails as it does offline."""
    import socket

    real = socket.create_connection

    def local_only(address, *args, **kwargs):
        host = address[0]
        if host not in ("127.0.0.1", "localhost", "::1"):
            pytest.fail(f"a test tried to reach {host}: tests never download")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", local_only)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, _OFFLINE_PROXY)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
def local_server(tmp_path):
    """Serve tmp_path/served over HTTP on 127.0.0.1; yield its base URL."""
    served = tmp_path / "served"
    served.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _restore_backend_state():
    """Each test starts on NumPy with float32, whatever the previous test did."""
    yield
    minae.set_backend("numpy")
    minae.set_default_dtype("float32")
