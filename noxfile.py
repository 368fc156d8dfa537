"""The versions minae promises, tested: ``nox`` runs every session, ``nox -s core`` one.

- ``tests``: the whole suite (lessons, reproductions, notebooks) on the development
  Python, as the README's test command runs it;
- ``core``: the library's tests (not the lessons, reproductions or notebooks, which
  take minutes, nor the formatter's check of the tree, which ``tests`` runs) on the
  newest Python minae supports, with the newest NumPy;
- ``oldest``: the same on the oldest Python, with the oldest NumPy that ``pyproject.toml``
  allows (one session for both floors: each session installs for a minute and tests for
  two, and CI runs every session).

Each session installs into a fresh virtual environment. Pythons are found on PATH
(``python3.10`` ...; with pyenv, ``PYENV_VERSION=3.11.7:3.10.13:3.12.1:3.13.0``).
"""

import nox

nox.options.sessions = ["tests", "core", "oldest"]
nox.options.default_venv_backend = "venv"

OLDEST_NUMPY = "1.26.4"  # the floor in pyproject.toml: dependencies = ["numpy>=1.26", ...]
CORE = [
    "tests",
    "--ignore=tests/test_lessons.py",
    "--ignore=tests/test_reproductions.py",
    "--ignore=tests/test_style.py",  # the tree's formatting, the same on every Python
    "-p",
    "no:cacheprovider",
    "-q",
]
CORE_DEPS = ["pytest>=7.4", "hypothesis>=6.80", "scikit-learn>=1.3"]


@nox.session(python="3.11")
def tests(session):
    session.install("-e", ".[dev]")
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session(python="3.13")
def core(session):
    session.install("-e", ".", *CORE_DEPS)
    session.run("python", "-m", "pytest", *CORE, *session.posargs)


@nox.session(python="3.10")
def oldest(session):
    session.install("-e", ".", *CORE_DEPS, f"numpy=={OLDEST_NUMPY}")
    session.run("python", "-c", "import numpy; print('NumPy', numpy.__version__)")
    session.run("python", "-m", "pytest", *CORE, *session.posargs)
