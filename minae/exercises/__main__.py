"""The exercises from the command line.

    python -m minae.exercises list                      # the tasks, their slides and points
    python -m minae.exercises start DIR [--guided]      # copy the stubs into DIR
    python -m minae.exercises hint TASK [DIR]           # the next hint step (recorded in DIR)
    python -m minae.exercises check DIR [TASK ...]      # grade DIR's files (all tasks, or some)
    python -m minae.exercises check DIR --json results.json   # and write Gradescope's file
    python -m minae.exercises grade SUBMISSIONS [TASK ...] [--out DIR]   # every folder
    python -m minae.exercises autograder OUT.zip        # Gradescope's autograder

TASK is a task's name (``linear_backward``), its file (``e03_linear``) or its exercise
number (``3``). ``--points FILE`` replaces some or all of the points per task (a JSON
object, task name to points); ``--tasks-file FILE`` adds an instructor's tasks;
``--time-limit`` and ``--memory-limit`` set every task's limits.

Exit codes: ``check`` 0 when every task it ran passed, 1 when one did not, 2 when it
could not run (no such folder or task, an output path refused); ``grade`` 0 when every
submission was graded, 2 when it could not start; ``start`` 1 when it would overwrite.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from importlib import resources
from pathlib import Path

from ..infrastructure.console import printable_stdout
from ..infrastructure.files import write_atomically
from .grading import PASSED, grade, gradescope, report
from .stub_text import render
from .tasks import POINTS, STUB_FILES, TASKS, find, registry


def _stub(stem: str):
    return resources.files("minae.exercises.stubs").joinpath(f"{stem}.py")


def start(folder: Path, force: bool = False, guided: bool = False) -> int:
    """Copy every stub into ``folder``; refuse (changing nothing) where a file exists.
    The stubs ask the student to derive each gradient; ``guided`` ones state it."""
    targets = [folder / f"{stem}.py" for stem in STUB_FILES]
    existing = [t.name for t in targets if t.exists()]
    if existing and not force:
        print(
            f"{folder} already holds {', '.join(existing)}: nothing was copied, so none of "
            "your work is lost. Start in an empty folder, or pass --force to overwrite.",
            file=sys.stderr,
        )
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    for stem, target in zip(STUB_FILES, targets, strict=True):
        text = _stub(stem).read_text(encoding="utf-8")
        target.write_text(render(text, guided=guided), encoding="utf-8")
    form = "guided (each formula stated)" if guided else "derive (hints on request)"
    print(f"{len(targets)} exercise files are in {folder}, {form}:")
    for task in TASKS:
        print(f"  {task.file + '.py':20} {task.name:30} lesson {task.lesson}")
    print(
        f"Fill in each function where it raises NotImplementedError, then run\n"
        f"    python -m minae.exercises check {folder}"
    )
    if not guided:
        print(
            f"Stuck on a task? python -m minae.exercises hint TASK {folder}  (three steps; "
            "each step taken is recorded for your instructor)"
        )
    return 0


def _points(path: Path | None, tasks_file: Path | None = None) -> dict:
    if path is None:
        return {}
    try:
        known = registry(tasks_file)
    except ValueError as err:
        raise SystemExit(str(err)) from None
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise SystemExit(f"--points {path}: not a readable JSON object ({err})") from None
    unknown = sorted(set(table) - set(known)) if isinstance(table, dict) else ["(not an object)"]
    bad = (
        [k for k, v in table.items() if not isinstance(v, (int, float)) or v < 0]
        if not unknown
        else []
    )
    if unknown or bad:
        raise SystemExit(
            f"--points {path}: unknown tasks {unknown} or bad points for {bad}; "
            f"the tasks are {', '.join(known)}"
        )
    return table


WRITTEN_BY = "minae.exercises"  # in every results file, so that the next run may replace it


def _ours(path: Path) -> bool:
    """Whether ``path`` is an earlier output of the grader: a results file (its
    ``extra_data`` names minae.exercises) or a grades table (its first line is ours)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if path.suffix == ".csv":
        return text.startswith("submission,total,")
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("extra_data", {}).get("written_by") == WRITTEN_BY


def refused_output(path: Path, folders: list[Path] | tuple[()] = ()) -> str:
    """Why the grader must not write ``path`` ("" when it may): a file of a submission
    folder, or any existing file that is not an earlier output of the grader."""
    path = Path(path)
    where = path.resolve()
    for folder in folders:
        if where.parent == Path(folder).resolve() and where.suffix == ".py":
            return f"{path} is one of the submission's Python files: nothing was written"
    if path.is_dir():
        return f"{path} is a folder: name a file"
    if path.exists() and not _ours(path):
        return (
            f"{path} exists and is not a results file of the grader: nothing was run or "
            "written; name a new file"
        )
    return ""


def _write_json(path: Path, content: dict) -> None:
    content = {**content, "extra_data": {"written_by": WRITTEN_BY}}
    data = json.dumps(content, indent=1, ensure_ascii=False).encode("utf-8")
    write_atomically(path, lambda f: f.write(data))  # whole, or not at all


def check(
    folder: Path, names: list[str], json_path: Path | None, points: dict, limits: dict | None = None
) -> int:
    limits = limits or {}
    try:
        tasks = find(names, registry(limits.get("tasks_file")).values())
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    if not folder.is_dir():
        print(
            f"{folder} is not a folder; make one with `python -m minae.exercises start {folder}`",
            file=sys.stderr,
        )
        return 2
    if json_path is not None and (why := refused_output(json_path, [folder])):
        print(f"--json {why}", file=sys.stderr)
        return 2
    results = grade(folder, tasks, points, **limits)
    print(report(results))
    if json_path is not None:
        _write_json(json_path, gradescope(results))
        print(f"wrote {json_path}")
    return 0 if all(r.status == PASSED for r in results) else 1


def grade_all(
    submissions: Path,
    points: dict,
    out: Path | None = None,
    limits: dict | None = None,
    names: list[str] | None = None,
) -> int:
    """Grade every folder in ``submissions``: a results file per submission and one
    table, grades.csv, of every student's points per task, the hints each took and what
    of minae's a flagged task used, all in ``out`` (the submissions are only read)."""
    limits = limits or {}
    folders = (
        sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
        if submissions.is_dir()
        else []
    )
    if not folders:
        print(f"{submissions} holds no folders of submissions", file=sys.stderr)
        return 2
    out = out or submissions.with_name(submissions.resolve().name + "-grades")
    if out.resolve() in [f.resolve() for f in folders] or out.resolve() == submissions.resolve():
        print(f"--out {out}: the grades go beside the submissions, not among them", file=sys.stderr)
        return 2
    table = out / "grades.csv"
    outputs = [out / f"{f.name}.json" for f in folders] + [table]
    refusals = [why for path in outputs if (why := refused_output(path, folders))]
    if refusals:
        print("\n".join(refusals), file=sys.stderr)
        return 2
    try:
        tasks = find(names or [], registry(limits.get("tasks_file")).values())
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    started = time.perf_counter()
    for folder in folders:
        results = grade(folder, tasks, points, **limits)
        summary = gradescope(results)
        _write_json(out / f"{folder.name}.json", summary)
        flags = "; ".join(f"{r.task.name}: {', '.join(r.calls)}" for r in results if r.calls)
        hints = "; ".join(f"{r.task.name} {r.hints_taken}" for r in results if r.hints_taken)
        rows.append(
            [folder.name, f"{summary['score']:g}", *(f"{r.score:g}" for r in results), flags, hints]
        )
        most, passed = sum(r.max_score for r in results), sum(r.status == PASSED for r in results)
        trouble = sorted({r.status for r in results} - {PASSED})
        print(
            f"{folder.name:24} {summary['score']:g} of {most:g} points, "
            f"{passed} of {len(results)} tasks passed"
            + (f" ({', '.join(trouble)})" if trouble else ""),
            flush=True,
        )
        rows_text = io.StringIO()
        writer = csv.writer(rows_text, lineterminator="\n")
        writer.writerow(["submission", "total", *(t.name for t in tasks), "flagged", "hints"])
        writer.writerows(rows)
        data = rows_text.getvalue().encode("utf-8")
        write_atomically(table, lambda f, data=data: f.write(data))  # after each: none lost
    print(
        f"graded {len(folders)} submissions in {time.perf_counter() - started:.0f} s; "
        f"wrote a results file for each and {table}"
    )
    return 0


def _limit_options(parser) -> None:
    parser.add_argument(
        "--tasks-file", type=Path, help="an instructor's Python file of further tasks (its TASKS)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        metavar="SECONDS",
        help="seconds per task, for every task (default: each task's, 60)",
    )
    parser.add_argument(
        "--memory-limit",
        type=int,
        metavar="MB",
        help="megabytes per task, for every task (default: each task's, 4096)",
    )
    parser.add_argument("--points", type=Path, help="a JSON object: task name -> points")


def hint(task_name: str, folder: Path) -> int:
    from .hints import WITH_HINTS, reveal

    if task_name not in WITH_HINTS:
        print(
            f"no hints for {task_name!r}; the tasks with hints are {', '.join(WITH_HINTS)}",
            file=sys.stderr,
        )
        return 2
    if not folder.is_dir():
        print(f"{folder} is not a folder of exercise files", file=sys.stderr)
        return 2
    step, text = reveal(folder, task_name)
    titles = {1: "the chain-rule factors", 2: "the shapes", 3: "the formula"}
    print(f"{task_name}, hint {step} of 3 ({titles[step]}):\n{text}")
    if step < 3:
        print(
            f"(run the command again for hint {step + 1}; each hint taken is recorded in "
            f"{folder / '.minae-hints.json'} and shown to your instructor)"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    printable_stdout()
    parser = argparse.ArgumentParser(
        prog="python -m minae.exercises", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the tasks, their slides, lessons and points")
    p_start = commands.add_parser("start", help="copy the exercise files into a folder")
    p_start.add_argument("folder", type=Path)
    p_start.add_argument("--force", action="store_true", help="overwrite files already there")
    p_start.add_argument(
        "--guided",
        action="store_true",
        help="stubs that state each formula (for self-study); by default the student derives them",
    )
    p_hint = commands.add_parser("hint", help="the next hint for a task (recorded)")
    p_hint.add_argument("task")
    p_hint.add_argument(
        "folder",
        type=Path,
        nargs="?",
        default=Path("."),
        help="the student's exercise folder (default: here)",
    )
    p_check = commands.add_parser("check", help="grade a folder of exercise files")
    p_check.add_argument("folder", type=Path)
    p_check.add_argument("tasks", nargs="*", help="task names, files or numbers (default: all)")
    p_check.add_argument(
        "--json",
        type=Path,
        help="write Gradescope's results.json here (a new file, or one the grader wrote)",
    )
    _limit_options(p_check)
    p_grade = commands.add_parser("grade", help="grade every folder of a submissions folder")
    p_grade.add_argument("submissions", type=Path)
    p_grade.add_argument("tasks", nargs="*", help="task names, files or numbers (default: all)")
    p_grade.add_argument(
        "--out", type=Path, help="where the results go (default: SUBMISSIONS-grades beside it)"
    )
    _limit_options(p_grade)
    p_zip = commands.add_parser("autograder", help="write a Gradescope autograder zip")
    p_zip.add_argument("zip", type=Path)
    p_zip.add_argument("--tasks", nargs="*", default=[], help="the tasks it grades (default: all)")
    p_zip.add_argument("--points", type=Path, help="a JSON object: task name -> points")
    p_zip.add_argument("--tasks-file", type=Path, help="an instructor's file of further tasks")
    args = parser.parse_args(argv)
    if args.command == "list":
        for task in TASKS:
            print(
                f"{task.file + '.py':20} {task.name:30} {POINTS[task.name]:2} points  "
                f"lesson {task.lesson:7} {task.slide}"
            )
        return 0
    if args.command == "start":
        return start(args.folder, args.force, guided=args.guided)
    if args.command == "hint":
        return hint(args.task, args.folder)
    if args.command == "autograder":
        from .autograder import write_zip

        return write_zip(
            args.zip, args.tasks, _points(args.points, args.tasks_file), args.tasks_file
        )
    points = _points(args.points, args.tasks_file)
    limits = {
        "tasks_file": args.tasks_file,
        "time_limit": args.time_limit,
        "memory_limit": args.memory_limit,
    }
    if args.command == "check":
        return check(args.folder, args.tasks, args.json, points, limits)
    return grade_all(args.submissions, points, args.out, limits, args.tasks)


def _main_for_a_pipe() -> int:
    """``main``, quiet when its reader goes away (``... | head``), as a shell tool is."""
    try:
        return main()
    except BrokenPipeError:
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing more reaches the closed pipe
        return 1


if __name__ == "__main__":
    sys.exit(_main_for_a_pipe())
