"""One task graded in this process: load the student's files it needs, run its check,
and look for minae's own code in what they import and call. The grader's worker process
(``worker.py``) runs this for each task; ``check`` in a notebook runs it directly.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from ..infrastructure import backend
from . import integrity
from .compare import Mismatch
from .tasks import STUB_FILES, TASKS, Task

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
        mark = {
            PASSED: "passed",
            FAILED: "FAILED",
            NOT_STARTED: "not started",
            ERROR: "ERROR",
            FLAGGED: "FLAGGED",
        }
        task = self.task
        head = (
            f"{task.name:30} {mark[self.status]:11} {self.score:g}/{self.max_score:g}"
            f"   ({task.file}.py; {task.slide}; lesson {task.lesson})"
        )
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
    frames = [
        f
        for f in traceback.extract_tb(err.__traceback__)
        if Path(f.filename).resolve().parent == folder.resolve()
    ]
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
        return Result(
            task,
            FLAGGED,
            f"uses minae's own implementation: {'; '.join(flagged)}. "
            f"A task's function must be your own work (0 points). Without this, it "
            f"would have been: {status}",
            calls=tuple(flagged),
        )
    return Result(task, status, message, hint)
