"""The house style is the formatter's: every file is as ``ruff format`` lays it out and
passes ``ruff check`` (pyproject.toml's rules). ruff is pinned in the dev extra, so the
check means the same on every machine."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "ruff", *args]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False
    )


def test_every_file_is_as_the_formatter_lays_it_out():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_file_passes_the_lint_rules():
    result = ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_fmt_skip_is_the_exception():
    """A hand-laid line is kept only where the layout says something (a table)."""
    folders = ("minae", "tests", "lessons", "benchmarks", "reproductions", "data_scripts")
    files = [f for folder in folders for f in (ROOT / folder).rglob("*.py")]
    files += list(ROOT.glob("*.py")) + list((ROOT / "docs").glob("*.py"))
    skips = {
        str(path.relative_to(ROOT)): text.count("# fmt: skip")
        for path in files
        if "# fmt: skip" in (text := path.read_text(encoding="utf-8"))
    }
    assert sum(skips.values()) <= 10, skips
