"""Each task of a submission in a process of its own, under limits, so that nothing a
submission does can stop the grader or pass for success.

``run(folder, task)`` starts ``python -m minae.exercises.worker`` (see ``worker.py``) and
waits, reading what it prints. The limits, per task (``Task.time_limit``,
``Task.memory_limit``) or for every task (``--time-limit``, ``--memory-limit``):

=====================  =========================================================
time                   60 s a task (the process is killed at the limit)
memory                 4096 MB of address space (POSIX; Windows has no such
                       limit from inside a process, and macOS may not apply it)
output                 1,000,000 characters printed (the process is killed)
=====================  =========================================================

On POSIX each task's process forks from a fork server that has loaded minae already
(milliseconds a task); on Windows it is a fresh Python (``python -m
minae.exercises.worker``, about half a second). Only the worker's result file says
"passed"; a process that ends without writing one
(``os._exit``, a crash of the interpreter, a kill, a limit) is reported as an error with
what happened, never as success. BLAS runs on one thread in the worker, so a class is
graded the same on any machine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from .tasks import Task

OUTPUT_LIMIT = 1_000_000  # characters a task may print
_KEEP = 2_000  # characters of it kept for the message


def _what_ended(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        meaning = {
            "SIGSEGV": "a segmentation fault: memory read or written out of bounds (ctypes?)",
            "SIGKILL": "killed, often for using too much memory",
            "SIGABRT": "aborted",
            "SIGBUS": "a bus error",
            "SIGFPE": "a floating-point trap",
        }.get(name, "")
        return f"the Python process crashed ({name}{': ' + meaning if meaning else ''})"
    if code > 255:  # Windows: an NTSTATUS code, e.g. 0xC0000005 for an access violation
        return f"the Python process crashed (exit status {code:#x})"
    return f"the Python process ended with exit status {code} before the task finished"


_SERVER: dict = {}


def _context():
    """multiprocessing's fork server, preloaded with minae (POSIX): each task's process
    forks from it in milliseconds instead of starting Python and importing NumPy and
    minae again (about 0.4 s a task). None where there is no fork server (Windows)."""
    import multiprocessing

    if os.name != "posix" or "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    if "context" not in _SERVER:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["minae.exercises.worker", "minae.exercises.tasks"])
        saved = {k: os.environ.get(k) for k in _ONE_THREAD}
        os.environ.update(_ONE_THREAD)  # the server's BLAS loads single-threaded: fork-safe
        try:
            starter = context.Process(target=int)  # starts the server with this environment
            starter.start()
            starter.join()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        _SERVER["context"] = context
    return _SERVER["context"]


_ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def run(
    folder,
    task: Task,
    *,
    tasks_file=None,
    time_limit: float | None = None,
    memory_limit: int | None = None,
    output_limit: int = OUTPUT_LIMIT,
) -> dict:
    """Grade ``task`` on ``folder`` in a fresh process; return its outcome: ``status``,
    ``message``, ``hint`` and ``calls`` (what of minae's the student's code used)."""
    seconds = float(time_limit if time_limit is not None else task.time_limit)
    megabytes = int(memory_limit if memory_limit is not None else task.memory_limit)
    folder = Path(folder).resolve()
    tasks_file = None if tasks_file is None else str(Path(tasks_file).resolve())
    with tempfile.TemporaryDirectory(prefix="minae-grade-") as scratch:
        result = Path(scratch) / "result.json"
        context = _context()
        if context is not None:
            ended = _run_forked(
                context,
                folder,
                task.name,
                result,
                Path(scratch) / "output",
                tasks_file,
                megabytes,
                seconds,
                output_limit,
            )
        else:
            ended = _run_spawned(
                folder, task.name, result, scratch, tasks_file, megabytes, seconds, output_limit
            )
        code, timed_out, flooded, kept = ended
        return _outcome(code, timed_out, flooded, kept, result, seconds, output_limit)


def _run_forked(
    context, folder, name, result, output, tasks_file, megabytes, seconds, output_limit
):
    from . import worker

    process = context.Process(
        target=worker.forked,
        args=(str(folder), name, str(result), str(output), tasks_file, megabytes, output_limit),
    )
    process.start()
    process.join(seconds)
    timed_out = process.is_alive()
    if timed_out:
        process.kill()
        process.join()
    code = process.exitcode if process.exitcode is not None else -9
    try:  # Python ignores SIGXFSZ: a write past the file-size limit fails, the output is full
        flooded = os.path.getsize(output) >= output_limit
    except OSError:
        flooded = False
    try:
        with open(output, "rb") as printed:
            kept = printed.read(_KEEP)
    except OSError:
        kept = b""
    return code, timed_out, flooded, kept


def _run_spawned(folder, name, result, scratch, tasks_file, megabytes, seconds, output_limit):
    here = str(Path(__file__).resolve().parents[2])  # the folder that holds minae
    env = {
        **os.environ,
        **_ONE_THREAD,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",
        "PYTHONPATH": os.pathsep.join([here, *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    command = [
        sys.executable,
        "-m",
        "minae.exercises.worker",
        str(folder),
        name,
        str(result),
        "--memory",
        str(megabytes),
    ]
    if tasks_file is not None:
        command += ["--tasks-file", tasks_file]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=scratch,
        env=env,
    )
    kept, flooded = bytearray(), threading.Event()

    def read() -> None:
        total = 0
        assert process.stdout is not None
        while chunk := process.stdout.read1(65536):
            total += len(chunk)
            if len(kept) < _KEEP:
                kept.extend(chunk[: _KEEP - len(kept)])
            if total > output_limit and not flooded.is_set():
                flooded.set()
                process.kill()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        code = process.wait(timeout=seconds)
        timed_out = False
    except subprocess.TimeoutExpired:
        process.kill()
        code = process.wait()
        timed_out = True
    reader.join(timeout=5)
    return code, timed_out, flooded.is_set(), bytes(kept)


def _outcome(
    code: int,
    timed_out: bool,
    flooded: bool,
    kept: bytes,
    result: Path,
    seconds: float,
    output_limit: int,
) -> dict:
    printed = kept.decode("utf-8", "replace").strip()
    outcome: dict = {"status": "error", "message": "", "hint": "", "calls": []}
    if timed_out:
        outcome["message"] = (
            f"did not finish within the time limit of {seconds:g} s "
            "(an endless loop?), and was stopped"
        )
        outcome["hint"] = "a loop whose condition never changes, or far too much work"
    elif flooded:
        outcome["message"] = f"printed more than {output_limit:,} bytes, and was stopped"
        outcome["hint"] = "a print inside a loop? Remove the prints before grading"
    elif code == 0 and result.is_file():
        try:
            outcome.update(json.loads(result.read_text(encoding="utf-8")))
        except ValueError:
            outcome["message"] = "the grading process left a damaged result"
    else:
        outcome["message"] = _what_ended(code)
        if code == 0:
            outcome["message"] += ": os._exit, or a thread that ended the process?"
        if printed:
            tail = printed.splitlines()[-6:]
            outcome["message"] += "\nits last output:\n" + "\n".join("    " + line for line in tail)
    return outcome
