"""Grading a folder of a student's exercise files: load each file on its own, run each
task's check, and say per task: passed, failed (what differs and a hint), not started
(the stub still raises NotImplementedError) or an error (where in the student's file).

A file that does not load (a syntax error, an import error, a missing file) fails only
the tasks that live in it; the others are graded. The checks run on NumPy in float64,
whatever backend or default dtype the caller had chosen, and restore both afterwards.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .. import backend
from .compare import Mismatch
from .tasks import POINTS, STUB_FILES, TASKS, Task

PASSED, FAILED, NOT_STARTED, ERROR = "passed", "failed", "not started", "error"


@dataclass(frozen=True)
class Result:
    """How one task went: its status, what the checker said, and the points earned.

    ``text()`` is what the student reads, naming the task's slide and lesson (e.g. seed
    001's "Training AEs for Compression", lesson 04).

    Attributes
    ----------
    task : Task
    status : str
        ``"passed"``, ``"failed"``, ``"not started"`` or ``"error"``.
    message : str
        What differs (array, largest difference and where), or the error.
    hint : str
        The likely mistake, when the checker recognises it.
    score, max_score : float
        Points earned and possible.
    """

    task: Task
    status: str
    message: str = ""
    hint: str = ""
    score: float = 0.0
    max_score: float = 0.0

    def text(self) -> str:
        """The lines a student reads."""
        mark = {PASSED: "passed", FAILED: "FAILED", NOT_STARTED: "not started", ERROR: "ERROR"}
        task = self.task
        head = (f"{task.name:30} {mark[self.status]:11} {self.score:g}/{self.max_score:g}"
                f"   ({task.file}.py; {task.slide}; lesson {task.lesson})")  # fmt: skip
        lines = [head]
        if self.message:
            lines += ["    " + line for line in self.message.splitlines()]
        if self.hint:
            lines.append(f"    hint: {self.hint}")
        return "\n".join(lines)


class _LoadError(Exception):
    """A student's file could not be loaded; the message says why, with the line."""


@contextlib.contextmanager
def _student_imports(folder: Path):
    """The student's folder first on sys.path, and no earlier student's modules cached,
    so that ``from e03_linear import linear_backward`` in one file reads this folder's."""
    saved = {name: sys.modules.pop(name) for name in STUB_FILES if name in sys.modules}
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for name in STUB_FILES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def _load(folder: Path, stem: str) -> ModuleType:
    path = folder / f"{stem}.py"
    if not path.is_file():
        raise _LoadError(f"{path.name} is missing from {folder}")
    spec = importlib.util.spec_from_file_location(stem, path)
    if spec is None or spec.loader is None:
        raise _LoadError(f"{path.name} cannot be loaded as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[stem] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as err:
        sys.modules.pop(stem, None)
        raise _LoadError(f"{path.name}, line {err.lineno}: SyntaxError: {err.msg}") from None
    except Exception as err:  # an import error, or any error at the file's top level
        sys.modules.pop(stem, None)
        raise _LoadError(f"{path.name} does not load: {_where(err, folder)}") from None
    return module


def _where(err: BaseException, folder: Path) -> str:
    """``Type: message (file.py, line N)``, the line the last frame in the student's files."""
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if Path(f.filename).resolve().parent == folder.resolve()]  # fmt: skip
    where = f" ({Path(frames[-1].filename).name}, line {frames[-1].lineno})" if frames else ""
    return f"{type(err).__name__}: {err}{where}"


@contextlib.contextmanager
def _numpy_float64():
    previous_xp, previous_dtype = backend.array_module(), backend.get_default_dtype()
    backend.set_backend("numpy")
    backend.set_default_dtype("float64")
    try:
        yield
    finally:
        backend._state["xp"] = previous_xp  # as it was, without set_backend's first kernel
        backend.set_default_dtype(previous_dtype)


def _run(task: Task, modules: dict, folder: Path, points: float) -> Result:
    functions = []
    for name in task.functions:
        owner = next(t.file for t in TASKS if t.name == name)
        module = modules[owner]
        if isinstance(module, _LoadError):
            return Result(task, ERROR, str(module), max_score=points)
        function = getattr(module, name, None)
        if not callable(function):
            return Result(task, ERROR, f"{owner}.py has no function {name}", max_score=points)
        functions.append(function)
    try:
        task.check(*functions)
    except NotImplementedError:
        needs = (
            ""
            if task.functions == (task.name,)
            else " (it needs " + ", ".join(task.functions) + ")"
        )
        return Result(task, NOT_STARTED, f"still raises NotImplementedError{needs}",
                      max_score=points)  # fmt: skip
    except Mismatch as err:
        return Result(task, FAILED, err.message, err.hint, max_score=points)
    except Exception as err:  # the student's code raised: say where
        return Result(task, ERROR, _where(err, folder), max_score=points)
    return Result(task, PASSED, score=points, max_score=points)


def grade(folder, tasks: list[Task] | None = None, points: dict | None = None) -> list[Result]:
    """Grade ``folder``'s exercise files on ``tasks`` (default: all), with ``points`` per
    task (default: ``POINTS``). One Result per task, in the lessons' order.

    The tasks follow the lessons, 01 (PCA) to 10 (convolutions), and lesson 04's
    autoencoder trained on the student's pieces. Checked in float64 on NumPy; the
    caller's backend and dtype are restored.

    Parameters
    ----------
    folder : str or path
        The student's copy of the stubs (``python -m minae.exercises start``).
    tasks : list of Task, optional
        Which to grade; all of ``TASKS`` when None.
    points : dict of str to float, optional
        Points by task name, over ``POINTS``.

    Raises
    ------
    FileNotFoundError
        When ``folder`` is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of exercise files")
    tasks = list(TASKS) if tasks is None else tasks
    points = {**POINTS, **(points or {})}
    with _student_imports(folder), _numpy_float64():
        modules: dict = {}
        for stem in STUB_FILES:
            try:
                modules[stem] = _load(folder, stem)
            except _LoadError as err:
                modules[stem] = err
        return [_run(task, modules, folder, float(points[task.name])) for task in tasks]


def report(results: list[Result]) -> str:
    """The results as a student reads them, with the total; each task names its slide and
    lesson (lessons 01 to 10).

    Parameters
    ----------
    results : list of Result
        From ``grade``.
    """
    total = sum(r.score for r in results)
    most = sum(r.max_score for r in results)
    passed = sum(r.status == PASSED for r in results)
    lines = [r.text() for r in results]
    lines.append(f"{passed} of {len(results)} tasks passed: {total:g} of {most:g} points")
    return "\n".join(lines)


def gradescope(results: list[Result]) -> dict:
    """Gradescope's results.json: a score and feedback per task, and the total.

    For a course that sets the lessons' exercises (lessons 01 to 10) in Gradescope.

    Parameters
    ----------
    results : list of Result
        From ``grade``.
    """
    tests = [
        {
            "name": f"{r.task.name} ({r.task.file}.py)",
            "score": r.score,
            "max_score": r.max_score,
            "status": "passed" if r.status == PASSED else "failed",
            "output": r.text(),
            "visibility": "visible",
        }
        for r in results
    ]
    return {"score": sum(r.score for r in results), "output": report(results).splitlines()[-1],
            "visibility": "visible", "tests": tests}  # fmt: skip
