"""Grading a folder of a student's exercise files: each task in a process of its own
(``sandbox.py``), which loads the files it needs, runs the task's check, and says:
passed, failed (what differs and a hint), not started (the stub still raises
NotImplementedError), an error (where in the student's file, or what the process did:
a time limit, a crash, an exit), or flagged (the student's code used minae's own
implementation of the piece: 0 points).

A file that does not load (a syntax error, an import error, a missing file) fails only
the tasks that live in it; the others are graded. The checks run on NumPy in float64,
whatever backend or default dtype the caller had chosen, and restore both afterwards.

``check(name, function)`` grades one function in the caller's own process, as a
notebook cell calls it, with the same message as the command line.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .. import backend
from . import integrity
from .compare import Mismatch
from .tasks import STUB_FILES, TASKS, Task, points_of, registry

PASSED, FAILED, NOT_STARTED, ERROR = "passed", "failed", "not started", "error"
FLAGGED = "flagged"  # passed or not, it used minae's implementation: 0 points


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
    calls : tuple of str
        What of minae's own the student's code imported or called (flagged tasks).
    hints_taken : int
        How many hint steps the student revealed for this task (0 to 3).
    """

    task: Task
    status: str
    message: str = ""
    hint: str = ""
    score: float = 0.0
    max_score: float = 0.0
    calls: tuple[str, ...] = ()
    hints_taken: int = 0

    def text(self) -> str:
        """The lines a student reads."""
        mark = {PASSED: "passed", FAILED: "FAILED", NOT_STARTED: "not started", ERROR: "ERROR",
                FLAGGED: "FLAGGED"}  # fmt: skip
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
def _student_imports(folder: Path, stems):
    """The student's folder first on sys.path, and no earlier student's modules cached,
    so that ``from e03_linear import linear_backward`` in one file reads this folder's."""
    stems = list(stems)
    saved = {name: sys.modules.pop(name) for name in stems if name in sys.modules}
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for name in stems:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def _load(folder: Path, stem: str) -> ModuleType:
    if stem in sys.modules:  # loaded already, as this task's file or by one that imports it
        return sys.modules[stem]
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


def _checked(task: Task, functions: list, folder: Path | None) -> tuple[str, str, str]:
    """Run the task's check on the student's functions: (status, message, hint)."""
    try:
        task.check(*functions)
    except NotImplementedError:
        needs = (
            ""
            if task.functions == (task.name,)
            else " (it needs " + ", ".join(task.functions) + ")"
        )
        return NOT_STARTED, f"still raises NotImplementedError{needs}", ""
    except Mismatch as err:
        return FAILED, err.message, err.hint
    except RecursionError:
        return ERROR, "RecursionError: the function calls itself without end", ""
    except MemoryError:
        return ERROR, "MemoryError: the function asked for more memory than the task's limit", ""
    except Exception as err:  # the student's code raised: say where
        if folder is None:
            return ERROR, f"{type(err).__name__}: {err}", ""
        return ERROR, _where(err, folder), ""
    return PASSED, "", ""


def run_task(task: Task, folder, registry: dict[str, Task] | None = None) -> Result:
    """Grade one task in this process (the grader's worker process calls this): load the
    files it needs, run its check, and look for minae's own code in what the student's
    code imports and calls. The score is left to the caller."""
    registry = registry or {t.name: t for t in TASKS}
    folder = Path(folder).resolve()
    stems = dict.fromkeys([*(t.file for t in registry.values()), *STUB_FILES])
    with _student_imports(folder, stems), _numpy_float64():
        functions, flagged = [], []
        for name in task.functions:
            owner = registry[name].file if name in registry else task.file
            try:
                module = _load(folder, owner)
            except _LoadError as err:
                return Result(task, ERROR, str(err))
            function = getattr(module, name, None)
            if not callable(function):
                return Result(task, ERROR, f"{owner}.py has no function {name}")
            functions.append(function)
            if not task.may_use_minae:
                flagged += integrity.imported(folder / f"{owner}.py", name, function)
        if task.may_use_minae:
            status, message, hint = _checked(task, functions, folder)
        else:
            with integrity.calls_from(folder) as called:
                status, message, hint = _checked(task, functions, folder)
            flagged += called
    flagged = list(dict.fromkeys(flagged))
    if flagged:
        return Result(task, FLAGGED, f"uses minae's own implementation: {'; '.join(flagged)}. "
                      f"A task's function must be your own work (0 points). Without this, it "
                      f"would have been: {status}", calls=tuple(flagged))  # fmt: skip
    return Result(task, status, message, hint)


def hints_taken(folder) -> dict[str, int]:
    """The hint steps a student revealed, by task (``python -m minae.exercises hint``
    records them in the folder's ``.minae-hints.json``)."""
    from .hints import taken

    return taken(Path(folder))


def grade(
    folder,
    tasks: list[Task] | None = None,
    points: dict | None = None,
    *,
    tasks_file=None,
    time_limit: float | None = None,
    memory_limit: int | None = None,
) -> list[Result]:
    """Grade ``folder``'s exercise files on ``tasks`` (default: all), with ``points`` per
    task (default: ``POINTS``). One Result per task, in the lessons' order.

    Each task runs in a process of its own (``sandbox.run``), under a time limit and a
    memory limit (the task's own, or ``time_limit`` seconds and ``memory_limit`` MB for
    all): whatever a submission does (exits, hangs, crashes, floods the output, writes
    outside its folder), that task reports it and the others are graded. The tasks
    follow the lessons, 01 (PCA) to 10 (convolutions), and lesson 04's autoencoder
    trained on the student's pieces. Checked in float64 on NumPy.

    Parameters
    ----------
    folder : str or path
        The student's copy of the stubs (``python -m minae.exercises start``).
    tasks : list of Task, optional
        Which to grade; all of ``TASKS`` (and of ``tasks_file``) when None.
    points : dict of str to float, optional
        Points by task name, over ``POINTS``.
    tasks_file : path, optional
        An instructor's file of further tasks (``custom_tasks``).
    time_limit, memory_limit : optional
        Seconds and megabytes per task, for every task.

    Raises
    ------
    FileNotFoundError
        When ``folder`` is not a folder.
    """
    from . import sandbox

    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of exercise files")
    every = registry(tasks_file)
    tasks = list(every.values()) if tasks is None else tasks
    revealed = hints_taken(folder)
    results = []
    for task in tasks:
        outcome = sandbox.run(folder, task, tasks_file=tasks_file, time_limit=time_limit,
                              memory_limit=memory_limit)  # fmt: skip
        most = points_of(task, points)
        results.append(Result(task, outcome["status"], outcome["message"], outcome["hint"],
                              score=most if outcome["status"] == PASSED else 0.0,
                              max_score=most, calls=tuple(outcome.get("calls", ())),
                              hints_taken=revealed.get(task.name, 0)))  # fmt: skip
    return results


def check(name: str, *functions: Callable) -> Result:
    """Check one task's functions in this process, as a notebook cell does, and print
    what the command line prints for it::

        from minae.exercises import check
        check("linear_backward", linear_backward)

    The task runs on three random cases in float64, e.g. X (B, D_in) and W (D_in, D_out)
    for ``linear_backward`` (seed 001, "Training AEs for Compression" ③ ⑤; lesson 04).

    Parameters
    ----------
    name : str
        The task, as ``python -m minae.exercises list`` names it.
    *functions : callable
        The student's function; the last task takes the four pieces it plugs in:
        ``check("train_autoencoder", linear_backward, sigmoid_backward, mse_grad, adam)``.

    Returns
    -------
    Result
        Its ``status`` is ``"passed"`` when the function is right.
    """
    every = registry()
    if name not in every:
        raise ValueError(f"no task {name!r}; the tasks are {', '.join(every)}")
    task = every[name]
    if len(functions) != len(task.functions) or not all(callable(f) for f in functions):
        raise TypeError(f"check({name!r}, ...) takes {len(task.functions)} function(s): "
                        f"{', '.join(task.functions)}")  # fmt: skip
    with _numpy_float64():
        status, message, hint = _checked(task, list(functions), None)
    most = points_of(task)
    result = Result(task, status, message, hint, score=most if status == PASSED else 0.0,
                    max_score=most)  # fmt: skip
    print(result.text())
    return result


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
