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

from collections.abc import Callable
from pathlib import Path

from ..infrastructure.validation import check_float, check_path, check_positive_int
from .running import (
    ERROR,
    FAILED,
    FLAGGED,
    NOT_STARTED,
    PASSED,
    Result,
    _checked,
    _numpy_float64,
    run_task,
)
from .tasks import Task, points_of, registry

__all__ = [
    "ERROR",
    "FAILED",
    "FLAGGED",
    "NOT_STARTED",
    "PASSED",
    "Result",
    "check",
    "grade",
    "gradescope",
    "hints_taken",
    "report",
    "run_task",
]


def _check_results(results) -> None:
    if not isinstance(results, (list, tuple)) or not all(isinstance(r, Result) for r in results):
        raise TypeError(
            f"results must be a list of Result (grade gives one), got {type(results).__name__}"
        )


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

    folder = check_path(folder, "folder")
    if time_limit is not None:
        time_limit = check_float(time_limit, "time_limit", low=0.0, low_open=True)
    if memory_limit is not None:
        memory_limit = check_positive_int(memory_limit, "memory_limit")
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of exercise files")
    every = registry(tasks_file)
    tasks = list(every.values()) if tasks is None else tasks
    revealed = hints_taken(folder)
    results = []
    for task in tasks:
        outcome = sandbox.run(
            folder, task, tasks_file=tasks_file, time_limit=time_limit, memory_limit=memory_limit
        )
        most = points_of(task, points)
        results.append(
            Result(
                task,
                outcome["status"],
                outcome["message"],
                outcome["hint"],
                score=most if outcome["status"] == PASSED else 0.0,
                max_score=most,
                calls=tuple(outcome.get("calls", ())),
                hints_taken=revealed.get(task.name, 0),
            )
        )
    return results


def check(name: str, *functions: Callable) -> Result:
    """Check one task's functions in this process, as a notebook cell does, and print
    what the command line prints for it::

        from minae.exercises import check
        check("linear_backward", linear_backward)

    The task runs on three random cases in float64, e.g. X (B, D_in) and W (D_in, D_out)
    for ``linear_backward`` (slides 001, "Training AEs for Compression" ③ ⑤; lesson 04).

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
    if not isinstance(name, str) or name not in every:
        kind = ValueError if isinstance(name, str) else TypeError
        raise kind(f"name must be one of the tasks, {', '.join(every)}; got {name!r}")
    task = every[name]
    if len(functions) != len(task.functions) or not all(callable(f) for f in functions):
        raise TypeError(
            f"check({name!r}, ...) takes {len(task.functions)} function(s): "
            f"{', '.join(task.functions)}"
        )
    with _numpy_float64():
        status, message, hint = _checked(task, list(functions), None)
    most = points_of(task)
    result = Result(
        task, status, message, hint, score=most if status == PASSED else 0.0, max_score=most
    )
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
    _check_results(results)
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
    _check_results(results)
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
    return {
        "score": sum(r.score for r in results),
        "output": report(results).splitlines()[-1],
        "visibility": "visible",
        "tests": tests,
    }
