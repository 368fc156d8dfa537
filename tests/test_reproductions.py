"""The reproductions run end to end (quick mode) and write their table where it belongs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from data_helpers import shared_mnist

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "reproductions"))

import reproduce  # noqa: E402
from common import Result  # noqa: E402


@pytest.mark.parametrize("device", ["numpy", "stand-in"])
def test_every_experiment_runs_quick_and_the_table_lists_each(device, tmp_path):
    """On NumPy, and on the stand-in device (tests/strict_device.py), which refuses every
    implicit trip to the host as CuPy does: the reproductions run on a GPU backend too."""
    mnist = shared_mnist()  # the experiments train on MNIST: skipped, saying why, without it
    before = {p: p.stat().st_mtime_ns for p in (ROOT / "reproductions").rglob("*")}
    script = [str(ROOT / "reproductions" / "reproduce.py"), "--quick"]
    if device == "stand-in":
        script.insert(0, str(ROOT / "tests" / "run_on_stand_in.py"))
    done = subprocess.run(
        [sys.executable, *script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        cwd=tmp_path,
        env={**os.environ, "MINAE_DATA": str(mnist)},
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ") and "`" in line]
    assert [row.split("--only ")[1].split("`")[0] for row in rows] == list(reproduce.EXPERIMENTS)
    assert all("(quick)" in row for row in rows)
    after = {p: p.stat().st_mtime_ns for p in (ROOT / "reproductions").rglob("*")}
    assert {p: t for p, t in after.items() if "__pycache__" not in str(p)} == {
        p: t for p, t in before.items() if "__pycache__" not in str(p)
    }, "a quick run must write nothing"


def result(name, meets):
    return Result(name, f"the {name} experiment", "1.00", "1.01", meets, 12.3, 20.1, {})


def test_the_table_goes_between_the_markers_and_nothing_else_changes(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# head\n\n{reproduce.BEGIN}\nold table\n{reproduce.END}\n\ntail\n", encoding="utf-8"
    )
    text = reproduce.table([result("pca-30", True), result("hs-3.00", False)])
    reproduce.write_readme(text, readme)
    written = readme.read_text(encoding="utf-8")
    assert written.startswith("# head\n\n") and written.endswith("\n\ntail\n")
    assert "old table" not in written
    assert "| the pca-30 experiment | 1.00 | 1.01 | yes | 12 (20) |" in written
    assert "| **no** |" in written
    reproduce.write_readme(text, readme)
    assert readme.read_text(encoding="utf-8") == written  # writing twice changes nothing


def test_a_readme_without_markers_is_refused(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks the markers"):
        reproduce.write_readme("table", readme)
    assert readme.read_text(encoding="utf-8") == "# no markers\n"


def test_an_unknown_experiment_is_refused():
    with pytest.raises(SystemExit):
        reproduce.main(["--only", "no-such-experiment"])
