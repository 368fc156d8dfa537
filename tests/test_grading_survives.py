"""The grader survives any submission: each misbehaviour fails its own task with what
happened, never counts as success, and the other tasks and the other submissions are
graded; the grader writes over nothing of a student's; minae's own code in a task is
flagged; hints are recorded and shown."""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import pytest
from exercise_solutions import write_solutions, write_stubs
from test_exercises import validate_gradescope

from minae.exercises import check, grade
from minae.exercises.__main__ import main
from minae.exercises.grading import ERROR, FLAGGED, NOT_STARTED, PASSED
from minae.exercises.tasks import find

TWO = ["linear_backward", "mse_grad"]  # the misbehaving task, and one beside it


def _linear(body: str) -> dict:
    return {"e03_linear": f"\n\ndef linear_backward(X, W, dY):\n{body}\n"}


MISBEHAVIOURS = [
    ("sys.exit", "    import sys\n    sys.exit(0)", "sys.exit(0)"),
    ("os._exit", "    import os\n    os._exit(0)", "ended with exit status 0"),
    ("crash", "    import ctypes\n    ctypes.string_at(0)", "crashed (SIGSEGV"),
    ("recursion", "    return linear_backward(X, W, dY)", "RecursionError"),
    ("hang", "    while True:\n        pass", "time limit of 2 s"),
    ("print flood", "    while True:\n        print('x' * 1000)", "printed more than"),
    (
        "chdir",
        "    import os\n    os.chdir('..')\n    return dY @ W.T, X.T @ dY, dY.sum(0)",
        "changed the working directory",
    ),
    ("subprocess", "    import subprocess\n    subprocess.run(['true'])", "started a subprocess"),
]


@pytest.mark.skipif(sys.platform == "win32", reason="signals and ctypes.string_at(0) are POSIX")
@pytest.mark.parametrize(
    ("what", "body", "reason"), MISBEHAVIOURS, ids=[m[0] for m in MISBEHAVIOURS]
)
def test_a_misbehaving_task_fails_with_its_reason_and_the_next_is_graded(
    what, body, reason, tmp_path
):
    folder = write_solutions(tmp_path / "student", replace=_linear(body))
    started = time.perf_counter()
    linear, mse = grade(folder, find(TWO), time_limit=2)
    assert time.perf_counter() - started < 30
    assert linear.status == ERROR and linear.score == 0, linear.text()
    assert reason in linear.message, linear.text()
    assert mse.status == PASSED, mse.text()


def test_writes_outside_the_submission_are_refused_and_reported(tmp_path):
    outside = tmp_path / "outside.txt"
    body = f"    open({str(outside)!r}, 'w').write('x')\n    return dY @ W.T, X.T @ dY, dY.sum(0)"
    folder = write_solutions(tmp_path / "student", replace=_linear(body))
    (linear,) = grade(folder, find(["linear_backward"]))
    assert linear.status == ERROR and "outside the submission" in linear.message, linear.text()
    assert not outside.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="an address-space limit holds on Linux")
def test_a_huge_allocation_meets_the_memory_limit(tmp_path):
    body = "    hoard = bytearray(6 * 2**30)\n    return dY @ W.T, X.T @ dY, dY.sum(0)"
    folder = write_solutions(tmp_path / "student", replace=_linear(body))
    linear, mse = grade(folder, find(TWO), memory_limit=2048)
    assert linear.status == ERROR and "MemoryError" in linear.message, linear.text()
    assert mse.status == PASSED


def test_importing_minaes_implementation_is_flagged_and_numpy_is_not(tmp_path):
    flagged = write_solutions(
        tmp_path / "flagged",
        replace={
            "e03_linear": """
from minae import Linear


def linear_backward(X, W, dY):
    layer = Linear(*W.shape, rng=0, dtype="float64")
    layer.W.value = W
    layer.forward(X)
    return layer.backward(dY), layer.W.grad, layer.b.grad
"""
        },
    )
    (result,) = grade(flagged, find(["linear_backward"]))
    assert result.status == FLAGGED and result.score == 0, result.text()
    assert any("minae.Linear" in c for c in result.calls), result.calls
    assert any("calls minae.layers.linear.Linear" in c for c in result.calls), result.calls

    hidden = write_solutions(
        tmp_path / "hidden",
        replace={
            "e04_losses": """
def mse_grad(X_hat, X):
    return __import__("importlib").import_module("minae").MSE().grad(X_hat, X)
"""
        },
    )
    (result,) = grade(hidden, find(["mse_grad"]))  # no import statement: seen at run time
    assert result.status == FLAGGED, result.text()
    assert any("calls minae.losses" in c for c in result.calls), result.calls

    numpy_only = write_solutions(tmp_path / "numpy")
    assert all(r.status == PASSED and not r.calls for r in grade(numpy_only, find(TWO)))


# -- nothing of the student's is written over ------------------------------------------------


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_check_refuses_to_write_its_results_over_a_students_file(tmp_path, capsys):
    folder = write_solutions(tmp_path / "student")
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    before = _snapshot(folder)
    for target in (folder / "e03_linear.py", notes, folder):
        assert main(["check", str(folder), "linear_backward", "--json", str(target)]) == 2
        assert "nothing" in capsys.readouterr().err or target == folder
    assert _snapshot(folder) == before
    assert notes.read_text(encoding="utf-8") == "my notes"
    # a new file, and then the grader's own file again, are written
    results = tmp_path / "results.json"
    assert main(["check", str(folder), "linear_backward", "--json", str(results)]) == 0
    assert main(["check", str(folder), "linear_backward", "--json", str(results)]) == 0
    assert json.loads(results.read_text(encoding="utf-8"))["score"] > 0


def test_grade_refuses_an_output_folder_holding_other_files(tmp_path, capsys):
    submissions = tmp_path / "class"
    write_stubs(submissions / "ada")
    out = tmp_path / "grades"
    out.mkdir()
    (out / "ada.json").write_text('{"mine": true}', encoding="utf-8")
    assert main(["grade", str(submissions), "--out", str(out)]) == 2
    assert "ada.json exists and is not a results file" in capsys.readouterr().err
    assert (out / "ada.json").read_text(encoding="utf-8") == '{"mine": true}'
    assert sorted(p.name for p in out.iterdir()) == ["ada.json"]


# -- a class of six, graded to the end --------------------------------------------------------


def test_grade_finishes_the_class_whatever_each_submission_does(tmp_path, capsys):
    submissions = tmp_path / "class"
    write_solutions(submissions / "complete")
    write_solutions(
        submissions / "partial",
        replace={
            "e04_losses": """
def mse_grad(X_hat, X):
    return (X_hat - X) / len(X)
"""
        },
    )
    write_solutions(submissions / "loops", replace=_linear("    while True:\n        pass"))
    write_solutions(submissions / "exits", replace=_linear("    import sys\n    sys.exit(0)"))
    write_solutions(submissions / "crashes", replace=_linear("    import os\n    os._exit(3)"))
    write_solutions(
        submissions / "imports",
        replace={
            "e04_losses": """
import minae


def mse_grad(X_hat, X):
    return minae.MSE().grad(X_hat, X)
"""
        },
    )
    assert (
        main(["grade", str(submissions), "linear_backward", "mse_grad", "--time-limit", "3"]) == 0
    )
    with (tmp_path / "class-grades" / "grades.csv").open(encoding="utf-8", newline="") as f:
        rows = {row["submission"]: row for row in csv.DictReader(f)}
    assert sorted(rows) == ["complete", "crashes", "exits", "imports", "loops", "partial"]
    assert list(rows["complete"])[2:-2] == ["linear_backward", "mse_grad"]  # the tasks named
    full = float(rows["complete"]["total"])
    assert float(rows["partial"]["total"]) < full and rows["partial"]["mse_grad"] == "0"
    for name in ("loops", "exits", "crashes"):
        assert rows[name]["linear_backward"] == "0" and float(rows[name]["total"]) < full
    assert rows["imports"]["mse_grad"] == "0"
    assert "mse_grad: imports minae" in rows["imports"]["flagged"]
    assert rows["complete"]["flagged"] == ""


# -- hints and the notebook ---------------------------------------------------------------


def test_hints_come_in_three_steps_recorded_for_the_instructor(tmp_path, capsys):
    folder = tmp_path / "mine"
    assert main(["start", str(folder)]) == 0
    stub = (folder / "e03_linear.py").read_text(encoding="utf-8")
    assert "dY Wᵀ" not in stub and "Xᵀ dY" not in stub  # derive: no gradient given
    assert "Y = X W + b" in stub and "(D_in, D_out)" in stub  # the forward and the shapes
    capsys.readouterr()
    for step in (1, 2, 3):
        assert main(["hint", "linear_backward", str(folder)]) == 0
        assert f"hint {step} of 3" in capsys.readouterr().out
    assert json.loads((folder / ".minae-hints.json").read_text(encoding="utf-8")) == {
        "linear_backward": 3
    }
    (result,) = grade(folder, find(["linear_backward"]))
    assert result.status == NOT_STARTED and result.hints_taken == 3

    guided = tmp_path / "guided"
    assert main(["start", str(guided), "--guided"]) == 0
    assert "∂R̂/∂X = dY Wᵀ" in (guided / "e03_linear.py").read_text(encoding="utf-8")
    assert "<guided>" not in (guided / "e03_linear.py").read_text(encoding="utf-8")


def test_check_in_a_notebook_says_what_the_command_line_says(tmp_path, capsys):
    import numpy as np

    def linear_backward(X, W, dY):
        return dY @ W.T, X.T @ dY, np.zeros(W.shape[1])

    result = check("linear_backward", linear_backward)
    printed = capsys.readouterr().out
    assert result.status == "failed" and printed.strip() == result.text()
    folder = write_solutions(
        tmp_path / "student",
        replace={
            "e03_linear": """
def linear_backward(X, W, dY):
    return dY @ W.T, X.T @ dY, np.zeros(W.shape[1])
"""
        },
    )
    (graded,) = grade(folder, find(["linear_backward"]))
    assert graded.text() == result.text()
    with pytest.raises(TypeError, match="takes 4 function"):
        check("train_autoencoder", linear_backward)


# -- an instructor's own task, from a forward function alone ------------------------------

COURSE = """
import numpy as np
from minae.exercises import gradient_task


def swish(A):
    return A / (1 + np.exp(-A))


TASKS = [gradient_task("swish_backward", swish, {"A": ("B", "N")}, file="e12_course",
                       points=5, slide="our slide 7", lesson="our week 3")]
"""


def test_an_instructors_task_is_graded_by_central_differences_of_its_forward(tmp_path, capsys):
    course = tmp_path / "course.py"
    course.write_text(COURSE, encoding="utf-8")
    right = write_solutions(tmp_path / "right")
    (right / "e12_course.py").write_text(
        """import numpy as np


def swish_backward(A, dY):
    s = 1 / (1 + np.exp(-A))
    return dY * (s + A * s * (1 - s))
""",
        encoding="utf-8",
    )
    wrong = write_solutions(tmp_path / "wrong")
    (wrong / "e12_course.py").write_text(
        """import numpy as np


def swish_backward(A, dY):
    return dY / (1 + np.exp(-A))   # the product rule's second term forgotten
""",
        encoding="utf-8",
    )
    assert main(["check", str(right), "swish_backward", "--tasks-file", str(course)]) == 0
    assert "swish_backward                 passed      5/5" in capsys.readouterr().out
    assert main(["check", str(wrong), "swish_backward", "--tasks-file", str(course)]) == 1
    said = capsys.readouterr().out
    assert "dA disagrees with central differences: largest difference" in said
    assert "our slide 7; lesson our week 3" in said

    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n", encoding="utf-8")
    assert main(["check", str(right), "--tasks-file", str(empty)]) == 2
    assert "must define TASKS" in capsys.readouterr().err


# -- Gradescope in one command ------------------------------------------------------------


def test_the_autograder_zip_runs_in_a_folder_laid_out_like_gradescopes(tmp_path):
    import os
    import subprocess
    import zipfile

    points = tmp_path / "points.json"
    points.write_text(json.dumps({"linear_backward": 10}), encoding="utf-8")
    archive = tmp_path / "autograder.zip"
    assert (
        main(
            [
                "autograder",
                str(archive),
                "--tasks",
                "linear_backward",
                "mse_grad",
                "--points",
                str(points),
            ]
        )
        == 0
    )
    root = tmp_path / "autograder"
    with zipfile.ZipFile(archive) as z:
        assert {"setup.sh", "run_autograder"} <= set(z.namelist())
        z.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    write_solutions(
        root / "submission",
        replace={
            "e04_losses": """
def mse_grad(X_hat, X):
    return (X_hat - X) / len(X)
"""
        },
    )
    site = tmp_path / "site"  # offline: the wheel alone, into a folder of its own
    env = {
        **os.environ,
        "AUTOGRADER_ROOT": str(root),
        "MINAE_PYTHON": sys.executable,
        "PIP_TARGET": str(site),
        "PIP_NO_DEPS": "1",
        "PIP_NO_INDEX": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONPATH": str(site),
    }
    shell = {
        "cwd": tmp_path,
        "env": env,
        "capture_output": True,
        "encoding": "utf-8",
        "timeout": 300,
    }
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], **shell)
    assert setup.returncode == 0, setup.stderr
    assert (site / "minae" / "exercises" / "stubs" / "e03_linear.py").is_file()
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], **shell)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"from {site}" in run.stdout  # graded by the wheel's minae, not this checkout's
    results = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate_gradescope(results)
    tests = {t["name"].split()[0]: t for t in results["tests"]}
    assert tests["linear_backward"]["score"] == 10 and tests["mse_grad"]["score"] == 0
    assert "the 2 from differentiating the square" in tests["mse_grad"]["output"]
    assert all(t["visibility"] == "visible" for t in results["tests"])
    assert results["score"] == 10


def test_the_docs_show_what_check_prints_for_a_missing_bias_gradient(capsys):
    import numpy as np

    from minae.exercises import check as check_one

    page = (Path(__file__).resolve().parents[1] / "docs" / "exercises.md").read_text(
        encoding="utf-8"
    )
    shown = page.split("(here, a `db` of zeros):\n\n```text\n", 1)[1].split("```", 1)[0]

    def linear_backward(X, W, dY):
        return dY @ W.T, X.T @ dY, np.zeros(W.shape[1])

    check_one("linear_backward", linear_backward)
    assert capsys.readouterr().out == shown


def test_without_a_fork_server_each_task_is_a_fresh_python(tmp_path, monkeypatch):
    """Windows' way (no fork server), tried here: the same outcomes."""
    from minae.exercises import sandbox

    monkeypatch.setattr(sandbox, "_context", lambda: None)
    folder = write_solutions(tmp_path / "student", replace=_linear("    while True:\n        pass"))
    # A fresh Python counts its start and imports against the limit: 2 s stops the loop,
    # and the task beside it gets the default limit, which a busy machine's start fits.
    (linear,) = grade(folder, find(["linear_backward"]), time_limit=2)
    assert linear.status == ERROR and "time limit of 2 s" in linear.message
    (mse,) = grade(folder, find(["mse_grad"]))
    assert mse.status == PASSED, mse.text()
    flood = write_solutions(
        tmp_path / "flood", replace=_linear("    while True:\n        print('x' * 1000)")
    )
    (linear,) = grade(flood, find(["linear_backward"]), time_limit=20)
    assert linear.status == ERROR and "printed more than" in linear.message


def test_the_autograder_zip_is_never_written_over_another_file(tmp_path, capsys):
    other = tmp_path / "course.zip"
    other.write_bytes(b"not ours")
    assert main(["autograder", str(other)]) == 2
    assert other.read_bytes() == b"not ours"
