"""The exercises from the command line.

    python -m minae.exercises list                      # the tasks, their slides and points
    python -m minae.exercises start DIR                 # copy the stubs into DIR
    python -m minae.exercises check DIR [TASK ...]      # grade DIR's files (all tasks, or some)
    python -m minae.exercises check DIR --json results.json   # and write Gradescope's file
    python -m minae.exercises grade SUBMISSIONS         # every folder in SUBMISSIONS

TASK is a task's name (``linear_backward``), its file (``e03_linear``) or its exercise
number (``3``). ``--points FILE`` replaces some or all of the points per task (a JSON
object, task name to points). ``check`` exits with 0 when every task it ran passed.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from importlib import resources
from pathlib import Path

from ..console import printable_stdout
from ..files import write_atomically
from .grading import PASSED, grade, gradescope, report
from .tasks import POINTS, STUB_FILES, TASKS, find


def _stub(stem: str):
    return resources.files("minae.exercises.stubs").joinpath(f"{stem}.py")


def start(folder: Path, force: bool = False) -> int:
    """Copy every stub into ``folder``; refuse (changing nothing) where a file exists."""
    targets = [folder / f"{stem}.py" for stem in STUB_FILES]
    existing = [t.name for t in targets if t.exists()]
    if existing and not force:
        print(f"{folder} already holds {', '.join(existing)}: nothing was copied, so none of "
              "your work is lost. Start in an empty folder, or pass --force to overwrite.",
              file=sys.stderr)  # fmt: skip
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    for stem, target in zip(STUB_FILES, targets, strict=True):
        with resources.as_file(_stub(stem)) as source:
            shutil.copyfile(source, target)
    print(f"{len(targets)} exercise files are in {folder}:")
    for task in TASKS:
        print(f"  {task.file + '.py':20} {task.name:30} lesson {task.lesson}")
    print(f"Fill in each function where it raises NotImplementedError, then run\n"
          f"    python -m minae.exercises check {folder}")  # fmt: skip
    return 0


def _points(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise SystemExit(f"--points {path}: not a readable JSON object ({err})") from None
    unknown = sorted(set(table) - set(POINTS)) if isinstance(table, dict) else ["(not an object)"]
    bad = (
        [k for k, v in table.items() if not isinstance(v, (int, float)) or v < 0]
        if not unknown
        else []
    )
    if unknown or bad:
        raise SystemExit(f"--points {path}: unknown tasks {unknown} or bad points for {bad}; "
                         f"the tasks are {', '.join(POINTS)}")  # fmt: skip
    return table


def _write_json(path: Path, content: dict) -> None:
    data = json.dumps(content, indent=1, ensure_ascii=False).encode("utf-8")
    write_atomically(path, lambda f: f.write(data))  # whole, or not at all


def check(folder: Path, names: list[str], json_path: Path | None, points: dict) -> int:
    try:
        tasks = find(names)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    if not folder.is_dir():
        print(f"{folder} is not a folder; make one with "
              f"`python -m minae.exercises start {folder}`", file=sys.stderr)  # fmt: skip
        return 2
    results = grade(folder, tasks, points)
    print(report(results))
    if json_path is not None:
        _write_json(json_path, gradescope(results))
        print(f"wrote {json_path}")
    return 0 if all(r.status == PASSED for r in results) else 1


def grade_all(submissions: Path, points: dict) -> int:
    """Grade every folder in ``submissions``: its results.json inside it, and one table,
    grades.csv, of every student's points per task."""
    folders = sorted(p for p in submissions.iterdir() if p.is_dir()) if submissions.is_dir() else []
    if not folders:
        print(f"{submissions} holds no folders of submissions", file=sys.stderr)
        return 2
    rows = []
    for folder in folders:
        results = grade(folder, None, points)
        summary = gradescope(results)
        _write_json(folder / "results.json", summary)
        rows.append([folder.name, summary["score"], *(r.score for r in results)])
        most, passed = sum(r.max_score for r in results), sum(r.status == PASSED for r in results)
        print(f"{folder.name:24} {summary['score']:g} of {most:g} points, "
              f"{passed} of {len(results)} tasks passed")  # fmt: skip
    table = submissions / "grades.csv"
    with table.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["submission", "total", *(t.name for t in TASKS)])
        writer.writerows(rows)
    print(f"wrote results.json in each folder, and {table}")
    return 0


def main(argv: list[str] | None = None) -> int:
    printable_stdout()
    parser = argparse.ArgumentParser(prog="python -m minae.exercises",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the tasks, their slides, lessons and points")
    p_start = commands.add_parser("start", help="copy the exercise files into a folder")
    p_start.add_argument("folder", type=Path)
    p_start.add_argument("--force", action="store_true", help="overwrite files already there")
    p_check = commands.add_parser("check", help="grade a folder of exercise files")
    p_check.add_argument("folder", type=Path)
    p_check.add_argument("tasks", nargs="*", help="task names, files or numbers (default: all)")
    p_check.add_argument("--json", type=Path, help="write Gradescope's results.json here")
    p_check.add_argument("--points", type=Path, help="a JSON object: task name -> points")
    p_grade = commands.add_parser("grade", help="grade every folder of a submissions folder")
    p_grade.add_argument("submissions", type=Path)
    p_grade.add_argument("--points", type=Path, help="a JSON object: task name -> points")
    args = parser.parse_args(argv)
    if args.command == "list":
        for task in TASKS:
            print(f"{task.file + '.py':20} {task.name:30} {POINTS[task.name]:2} points  "
                  f"lesson {task.lesson:7} {task.slide}")  # fmt: skip
        return 0
    if args.command == "start":
        return start(args.folder, args.force)
    if args.command == "check":
        return check(args.folder, args.tasks, args.json, _points(args.points))
    return grade_all(args.submissions, _points(args.points))


if __name__ == "__main__":
    sys.exit(main())
