"""One task of one submission, graded in a process of its own (``sandbox.py`` starts it).

    python -m minae.exercises.worker FOLDER TASK RESULT [--tasks-file FILE] [--memory MB]

The process limits its own address space (``--memory``, POSIX), works in an empty
scratch folder, and watches the student's code through an audit hook (PEP 578): a
change of working directory, a file written or removed outside the submission and the
scratch folder, a subprocess, a signal sent: each is refused where it is attempted
(PermissionError inside the student's code) and reported. Calls from the student's
files into minae's own modules are recorded (``integrity``). The outcome goes to
RESULT as JSON, written by this process only once the task is over: a process that
ends any other way (``sys.exit`` caught here; ``os._exit``, a crash, a kill) leaves no
result, and the grader reports what happened instead.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# events that change the world outside the process, refused for the student's code
_REFUSED = {
    "os.chdir": "changed the working directory",
    "os.fchdir": "changed the working directory",
    "subprocess.Popen": "started a subprocess",
    "os.system": "ran a shell command",
    "os.posix_spawn": "started a process",
    "os.spawn": "started a process",
    "os.exec": "replaced the process",
    "os.fork": "forked the process",
    "os.forkpty": "forked the process",
    "os.kill": "sent a signal",
    "os.killpg": "sent a signal",
    "signal.pthread_kill": "sent a signal",
    "socket.connect": "opened a network connection",
    "socket.bind": "opened a network socket",
}
# events that change a file at a path (the path is the event's first argument)
_FILE_CHANGES = {
    "os.remove": "removed",
    "os.rmdir": "removed a folder",
    "os.mkdir": "made a folder",
    "os.rename": "renamed",
    "os.truncate": "truncated",
    "os.chmod": "changed the mode of",
    "os.symlink": "linked",
    "os.link": "linked",
    "shutil.rmtree": "removed a tree",
    "os.utime": "touched",
    "shutil.copyfile": "copied over",
    "shutil.move": "moved",
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit from inside the process
        return
    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # macOS refuses RLIMIT_AS below its reservations
        pass


class Watch:
    """The audit hook: what the student's code attempted, refused as it happens."""

    def __init__(self, allowed: list[Path]):
        self.allowed = [str(p.resolve()) for p in allowed]
        self.attempts: list[str] = []
        self.active = False

    def _inside(self, path) -> bool:
        try:
            if isinstance(path, int):
                return True  # an open file descriptor: opened under this watch already
            where = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        return any(where == a or where.startswith(a + os.sep) for a in self.allowed)

    def _refuse(self, what: str) -> None:
        if what not in self.attempts:
            self.attempts.append(what)
        raise PermissionError(f"not allowed while grading: your code {what}")

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event in _REFUSED:
            self._refuse(_REFUSED[event])
        elif event == "open" and len(args) >= 3:
            path, mode, flags = args[0], args[1], args[2]
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writes and not self._inside(path):
                self._refuse(f"wrote to {os.fsdecode(path)}, outside the submission")
        elif event in _FILE_CHANGES and args:
            paths = [a for a in args[:2] if isinstance(a, (str, bytes, os.PathLike))]
            for path in paths:
                if not self._inside(path):
                    self._refuse(
                        f"{_FILE_CHANGES[event]} {os.fsdecode(path)}, outside the submission"
                    )


def grade_here(
    folder: Path, task_name: str, result: Path, tasks_file=None, memory: int = 0
) -> None:
    """Grade one task in this process, under the limits and the watch; write the outcome
    to ``result``. This process is spent afterwards: the watch cannot be removed."""
    import tempfile

    sys.dont_write_bytecode = True  # leave no __pycache__ in the student's folder
    # numpy and minae load before the limits and the watch
    from . import running, tasks

    registry = tasks.registry(tasks_file)
    task = registry[task_name]
    folder = Path(folder).resolve()
    scratch = Path(tempfile.mkdtemp(prefix="minae-grading-"))
    os.chdir(scratch)
    if memory:
        _limit_memory(memory)
    watch = Watch([folder, scratch])
    sys.addaudithook(watch)  # for the rest of this process's life; it cannot be removed

    outcome: dict
    watch.active = True
    try:
        graded = running.run_task(task, folder, registry)
        outcome = {
            "status": graded.status,
            "message": graded.message,
            "hint": graded.hint,
            "calls": list(graded.calls),
        }
    except SystemExit as stop:
        outcome = {
            "status": running.ERROR,
            "message": f"your code called sys.exit({stop.code!r}): "
            "a function that is graded must return",
            "hint": "",
            "calls": [],
        }
    except KeyboardInterrupt:
        outcome = {
            "status": running.ERROR,
            "message": "your code raised KeyboardInterrupt",
            "hint": "",
            "calls": [],
        }
    finally:
        watch.active = False
    if watch.attempts:
        outcome["status"] = running.ERROR
        said = f"\n{outcome['message']}" if outcome["message"] else ""
        outcome["message"] = "refused while grading: your code " + "; ".join(watch.attempts) + said
    sys.stdout.flush()
    Path(result).write_text(json.dumps(outcome), encoding="utf-8")


def forked(folder, task_name, result, output, tasks_file, memory, output_limit) -> None:
    """The entry point of a process forked from the grader's fork server (POSIX): its
    output goes to the file ``output``, at most ``output_limit`` bytes (a write past it
    fails: Python ignores SIGXFSZ, so the print raises, and the full file tells the
    grader why); then ``grade_here``."""
    import resource

    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_limit, output_limit))
    grade_here(Path(folder), task_name, Path(result), tasks_file, memory)
    sys.stdout.flush()
    sys.stderr.flush()


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m minae.exercises.worker")
    parser.add_argument("folder", type=Path)
    parser.add_argument("task")
    parser.add_argument("result", type=Path)
    parser.add_argument("--tasks-file", type=Path)
    parser.add_argument("--memory", type=int, default=0, help="address-space limit, MB")
    args = parser.parse_args(argv)
    grade_here(args.folder, args.task, args.result, args.tasks_file, args.memory)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
