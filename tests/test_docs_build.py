"""The full site build's cache (docs/build.py): a lesson's cached run is kept while neither
the lesson, minae nor the packages installed have changed, and forgotten when minae or the
packages have."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("docs_build", ROOT / "docs" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cache_is_forgotten_when_the_library_changes_and_kept_otherwise(tmp_path):
    build = _build_module()
    package = tmp_path / "minae"
    (package / "layers").mkdir(parents=True)
    (package / "layers" / "linear.py").write_text("Y = X W + b\n", encoding="utf-8")
    cache = tmp_path / "_build" / ".jupyter_cache"
    cache.mkdir(parents=True)
    (cache / "run").write_text("a lesson's cached output", encoding="utf-8")

    assert build.forget_stale_runs(cache, package)  # filled by an unknown version: forgotten
    assert not cache.exists()
    cache.mkdir()
    (cache / "run").write_text("a lesson's cached output", encoding="utf-8")
    assert not build.forget_stale_runs(cache, package)  # same code: kept
    assert (cache / "run").exists()

    (package / "layers" / "linear.py").write_text("Y = X W\n", encoding="utf-8")
    assert build.forget_stale_runs(cache, package)  # a changed file
    cache.mkdir()
    (package / "layers" / "linear.py").rename(package / "layers" / "dense.py")
    assert build.forget_stale_runs(cache, package)  # a renamed one
    cache.mkdir()
    assert not build.forget_stale_runs(cache, package)


def test_the_fingerprint_holds_the_installed_packages(tmp_path, monkeypatch):
    build = _build_module()
    package = tmp_path / "minae"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    before = build.source_fingerprint(package)
    assert build.source_fingerprint(package) == before
    real = build.metadata.distributions

    # a package installed since (tqdm's notebook bars change the pages)
    widgets = SimpleNamespace(metadata={"Name": "ipywidgets"}, version="8.1.9")
    monkeypatch.setattr(build.metadata, "distributions", lambda: [*real(), widgets])
    assert build.source_fingerprint(package) != before


def test_the_cache_is_where_the_site_configuration_keeps_it():
    build = _build_module()
    conf = (ROOT / "docs" / "conf.py").read_text(encoding="utf-8")
    assert 'nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")' in conf
    assert build.CACHE == ROOT / "docs" / "_build" / ".jupyter_cache"
