"""Run lessons in their default mode and keep what they print, as the text's evidence.

    python lessons/record_runs.py 04 06          # or: all

Each lesson's printed output (training progress hidden) goes to
``lessons/transcripts/NN_name.txt``, under a header with the run's length and machine
(the figures go to ``lessons/out/NN_name/``, as on any run),
and the lesson's "**Run time**" line is set to the measured length (added at the end of
its first cell if it has none). The numbers a lesson's text quotes from a run are
checked against the transcript by ``tests/test_lesson_text.py``: re-record a lesson
whenever a change moves its numbers, and update its text to the new transcript.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRANSCRIPTS = HERE / "transcripts"


def lesson_files(selection: list[str]) -> list[Path]:
    """The lesson scripts named by their numbers ("04") or "all"."""
    every = sorted(HERE.glob("[0-9][0-9]_*.py"))
    if selection == ["all"]:
        return every
    chosen = [p for p in every if p.name[:2] in selection]
    unknown = set(selection) - {p.name[:2] for p in chosen}
    if unknown:
        raise SystemExit(f"no lesson numbered {', '.join(sorted(unknown))}")
    return chosen


def machine() -> str:
    """The processor and core count, as well as the standard library can tell."""
    name = platform.processor() or platform.machine()
    try:
        for line in (
            Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines()
        ):
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{name}, {os.cpu_count()} cores"


def record(script: Path) -> float:
    """Run ``script`` in default mode; write its transcript; return the seconds taken."""
    env = dict(os.environ, TQDM_DISABLE="1", MPLBACKEND="Agg", PYTHONIOENCODING="utf-8")
    env.pop("MINAE_QUICK", None)
    out = HERE / "out" / script.stem  # the figures, kept to look at beside the transcript
    start = time.perf_counter()
    run = subprocess.run([sys.executable, str(script), "--out", str(out)], env=env,
                         capture_output=True, text=True, encoding="utf-8")  # fmt: skip
    seconds = time.perf_counter() - start
    printed = run.stdout.replace(str(out), "OUT")  # the same text on every machine
    if run.returncode != 0:
        raise SystemExit(f"{script.name} failed:\n{run.stderr}")
    import numpy

    header = (f"# {script.name}, default run: {seconds:.0f} s on {machine()}, Python "
              f"{platform.python_version()}, NumPy {numpy.__version__}\n")  # fmt: skip
    TRANSCRIPTS.mkdir(exist_ok=True)
    path = TRANSCRIPTS / (script.stem + ".txt")
    path.write_text(header + printed, encoding="utf-8", newline="\n")
    return seconds


def duration(seconds: float) -> tuple[str, str]:
    """("about 3 minutes", "3 min 14 s"): the rounded and the measured length."""
    seconds = round(seconds)
    minutes, rest = divmod(seconds, 60)
    measured = f"{minutes} min {rest} s" if minutes else f"{rest} s"
    if seconds < 60:
        return "under a minute", measured
    rounded = max(1, int(seconds / 60 + 0.5))  # half a minute rounds up
    return ("about a minute" if rounded == 1 else f"about {rounded} minutes"), measured


RUN_TIME_LINE = re.compile(r"^# \*\*Run time\*\* .*$", flags=re.M)
QUICK_LINE = (
    "# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out"
    " the text."
)


def state_run_time(script: Path, seconds: float) -> None:
    """Write the measured length into the lesson's run-time line."""
    rounded, measured = duration(seconds)
    line = f"# **Run time** on a laptop's two cores: {rounded} ({measured} measured)."
    source = script.read_text(encoding="utf-8")
    if RUN_TIME_LINE.search(source):
        source = RUN_TIME_LINE.sub(lambda _: line, source, count=1)
    else:
        end_of_first_cell = source.index("\n\n# %%")
        source = (
            f"{source[:end_of_first_cell]}\n#\n{line}\n{QUICK_LINE}{source[end_of_first_cell:]}"
        )
    script.write_text(source, encoding="utf-8", newline="\n")


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    for script in lesson_files(argv):
        seconds = record(script)
        state_run_time(script, seconds)
        print(f"{script.name}: {seconds:.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
