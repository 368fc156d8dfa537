"""The README's numbers are the runs' numbers: its reproductions table is the one that the
kept results write, its speed figures are in the benchmarks' record, and its count of
exercise functions is the tasks' count. A number edited by hand, or a run that moved,
fails here."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
}


def _section(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def _reproduce():
    sys.path.insert(0, str(ROOT / "reproductions"))
    try:
        spec = importlib.util.spec_from_file_location(
            "reproduce", ROOT / "reproductions" / "reproduce.py"
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "reproductions"))
    return module


def test_both_reproduction_tables_are_the_kept_results_table():
    reproduce = _reproduce()
    kept = reproduce.table(reproduce.kept_results())
    assert kept.count("\n") >= 2 + 6  # a header, its rule, and the experiments
    own = (ROOT / "reproductions" / "README.md").read_text(encoding="utf-8")
    assert own.split(reproduce.BEGIN, 1)[1].split(reproduce.END, 1)[0].strip() == kept
    assert kept in _section(README, "Reproductions")


def test_the_speed_section_quotes_only_measured_figures():
    speed = _section(README, "Speed on a CPU")
    record = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    quoted = re.findall(r"\d+\.\d+", speed)
    assert len(quoted) >= 4
    missing = [n for n in quoted if not re.search(rf"(?<![\d.]){re.escape(n)}(?![\d])", record)]
    assert not missing, f"README's speed figures not in benchmarks/README.md: {missing}"


def test_the_exercise_counts_are_the_tasks():
    from minae.exercises.tasks import STUB_FILES, TASKS

    text = _section(README, "Exercises")
    files = re.search(r"(\w+) exercise files", text, flags=re.I).group(1).lower()
    functions = int(re.search(r"hold (\d+) functions to write", text).group(1))
    assert WORDS[files] == len(STUB_FILES)
    written = {f for t in TASKS for f in t.functions}
    assert functions == len(written)


def _measured_in(quoted: str, record_numbers: list[str]) -> bool:
    """``quoted`` is a recorded number, or one rounded to the digits it shows."""
    digits = len(quoted.split(".")[1]) if "." in quoted else 0
    return any(round(float(r), digits) == float(quoted) for r in record_numbers)


def test_every_speed_device_quotes_the_benchmarks_record():
    """A module whose docstring cites a benchmark quotes only figures that the benchmarks'
    README records: times (ms, s), ratios (x) and table cells."""
    import ast

    record = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    record_numbers = re.findall(r"\d+(?:\.\d+)?", record)
    checked = {}
    for module in sorted((ROOT / "minae").rglob("*.py")):
        doc = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))) or ""
        if "benchmarks/" not in doc or module.name == "__init__.py":  # a package's summary
            continue
        quoted = re.findall(r"(\d+(?:\.\d+)?)\s*(?:ms|s)\b", doc)
        quoted += re.findall(r"(\d+\.\d+)x\b", doc)
        quoted += [
            n
            for line in doc.splitlines()
            if line.startswith("|")
            for n in re.findall(r"\d+\.\d+", line)
        ]
        missing = [n for n in quoted if not _measured_in(n, record_numbers)]
        assert not missing, f"{module.relative_to(ROOT)} quotes {missing}, not in the record"
        checked[module.name] = len(quoted)
    assert len(checked) >= 5 and all(checked.values()), checked
    # every speed device says what it buys, measured: the tree's rule for minae/fast/
    devices = {f.name for f in (ROOT / "minae" / "fast").glob("*.py") if f.name != "__init__.py"}
    assert devices <= set(checked), (
        f"speed devices quoting no measurement: {devices - set(checked)}"
    )
