"""Run lessons and keep what they print and draw: the text's evidence and the book's pages.

    python lessons/record_runs.py 04 06          # or: all

For each lesson this writes

- ``lessons/recorded/NN_name.ipynb``: the default run, executed as a notebook (as a
  student runs it), its code cells' printed output and figures; the site's lesson pages
  show these, put beside the lesson's current text (``docs/lesson_pages.py``);
- ``lessons/transcripts/NN_name.txt``: what that run printed, under a header with its
  length, machine and BLAS threads; ``tests/test_lesson_text.py`` checks every number the
  lesson's text quotes against it;
- ``lessons/transcripts/quick/NN_name.txt``: what the lesson's quick run printed. The
  test suite runs every lesson quick and compares what it prints with this record
  (``same_printing``): a change that moves a lesson's numbers moves its quick run's too,
  so the suite refuses it until the lesson is recorded again; a change that keeps every
  number (a docstring, a comment, a refactor that keeps the bits) needs no recording.

and sets the lesson's "**Run time**" line to the measured length of the default run.

The BLAS's thread count changes the last digits of a product (its partition of the sums),
so it is fixed: ``DEFAULT_THREADS`` for the default runs, ``QUICK_THREADS`` for the quick
runs here and in the suite.
"""

from __future__ import annotations

import base64
import io
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRANSCRIPTS = HERE / "transcripts"
QUICK_TRANSCRIPTS = TRANSCRIPTS / "quick"
RECORDED = HERE / "recorded"
DEFAULT_THREADS = 2
QUICK_THREADS = 1


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


def blas() -> str:
    """NumPy's BLAS and the processor kernels it chose ("openblas Haswell"): another
    kernel sums in another order, so its last digits differ."""
    import numpy
    from threadpoolctl import threadpool_info

    numpy.ones((2, 2)) @ numpy.ones((2, 2))  # NumPy loads its BLAS at its first product
    pools = [p for p in threadpool_info() if p["user_api"] == "blas"]
    if not pools:
        return "unknown BLAS"
    return f"{pools[0]['internal_api']} {pools[0].get('architecture') or ''}".strip()


def threads_environment(threads: int, base: dict | None = None) -> dict:
    """``base`` (the process's environment) with the BLAS held to ``threads`` threads."""
    env = dict(os.environ if base is None else base)
    for name in (
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
    ):
        env[name] = str(threads)
    return env


# -- what a run printed, compared ----------------------------------------------------------

# a length of time: 12 s, 0.7 s per epoch, 2 min 44 s, 35 ms; it differs from run to run
_DURATION = re.compile(r"\d+(?:\.\d+)?(?=\s?(?:s|ms|min)\b)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:e[+-]?\d+)?")


def comparable(printed: str, numbers: bool = True) -> str:
    """``printed`` with its lengths of time (and, unless ``numbers``, every number) masked."""
    printed = _DURATION.sub("<time>", printed.replace("\r\n", "\n")).rstrip()
    return printed if numbers else _NUMBER.sub("<n>", printed)


def quick_header(script: Path) -> str:
    import numpy

    return (
        f"# {script.name}, quick run: {QUICK_THREADS} BLAS thread, {blas()}, "
        f"NumPy {numpy.__version__}\n"
    )


def same_printing(recorded: str, printed: str) -> tuple[bool, str]:
    """Whether ``printed`` (a quick run's output, with its header as ``quick_header``
    writes it) is what ``recorded`` holds, and why not.

    Every line and number must be the same, lengths of time aside. A run on another BLAS
    kernel or another NumPy sums in another order, so there only the words and the
    number of numbers are compared (the header says which it was)."""
    import difflib

    header, _, recorded_text = recorded.partition("\n")
    mine, _, printed_text = printed.partition("\n")
    exact = header.split(": ", 1)[-1] == mine.split(": ", 1)[-1]
    a = comparable(recorded_text, numbers=exact).splitlines()
    b = comparable(printed_text, numbers=exact).splitlines()
    if a == b:
        return True, ""
    diff = "\n".join(difflib.unified_diff(a, b, "recorded", "this run", lineterm="", n=1))
    return False, diff


# -- recording -----------------------------------------------------------------------------


def record_quick(script: Path) -> None:
    """Run ``script --quick`` as the suite does; keep what it printed."""
    with tempfile.TemporaryDirectory() as out:
        printed = run_quick(script, Path(out))
    QUICK_TRANSCRIPTS.mkdir(parents=True, exist_ok=True)
    path = QUICK_TRANSCRIPTS / (script.stem + ".txt")
    path.write_text(quick_header(script) + printed, encoding="utf-8", newline="\n")


def run_quick(script: Path, out: Path, env: dict | None = None, runner: Path | None = None) -> str:
    """What ``script --quick --out out`` prints, the folder written as OUT.

    ``runner``, when given, is a script that runs the lesson in its place (``python runner
    script --quick --out out``): the suite's stand-in device, ``tests/run_on_stand_in.py``.
    """
    env = threads_environment(QUICK_THREADS, env)
    env.update(TQDM_DISABLE="1", MPLBACKEND="Agg", PYTHONIOENCODING="utf-8")
    env.pop("MINAE_QUICK", None)
    prefix = [sys.executable] if runner is None else [sys.executable, str(runner)]
    run = subprocess.run(
        [*prefix, str(script), "--quick", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{script.name} --quick failed:\n{run.stderr[-3000:]}")
    return run.stdout.replace(str(out), "OUT")


def smaller_png(data: str) -> str:
    """A base64 PNG re-encoded with at most 256 colours (a figure has few): a third of
    the bytes or less, the same picture to the eye."""
    from PIL import Image

    image = Image.open(io.BytesIO(base64.b64decode(data)))
    palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", optimize=True)
    smaller = buffer.getvalue()
    return base64.b64encode(smaller).decode() if len(smaller) < len(data) * 3 // 4 else data


def cells_seconds(notebook) -> float:
    """The seconds from the first code cell's start to the last one's end (the kernel's
    start, which a student waits for once, not counted)."""
    from datetime import datetime

    times = [cell.metadata["execution"] for cell in notebook.cells if cell.cell_type == "code"]
    start = datetime.fromisoformat(times[0]["iopub.execute_input"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(times[-1]["shell.execute_reply"].replace("Z", "+00:00"))
    return (end - start).total_seconds()


def record_default(script: Path) -> float:
    """Run ``script`` in default mode as a notebook; keep its outputs and what it printed;
    return the seconds taken."""
    import jupytext
    import nbclient
    import nbformat
    import numpy

    notebook = jupytext.read(script)
    env = threads_environment(DEFAULT_THREADS)
    env.update(TQDM_DISABLE="1", PYTHONIOENCODING="utf-8")
    for name in ("MINAE_QUICK", "MINAE_LESSON_OUT", "MPLBACKEND", "PYTHONWARNDEFAULTENCODING"):
        env.pop(name, None)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel starts with this process's environment
    try:
        with tempfile.TemporaryDirectory() as folder:  # figures: lesson-out/NN_name/ there
            client = nbclient.NotebookClient(
                notebook,
                timeout=3600,
                kernel_name="python3",
                resources={"metadata": {"path": folder}},
            )
            client.execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    seconds = cells_seconds(notebook)
    cells = []
    printed = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.outputs:
            if output.output_type == "stream":
                if output.name == "stderr":
                    raise SystemExit(f"{script.name} wrote to stderr:\n{output.text}")
                printed.append(output.text)
            elif output.output_type == "error":
                raise SystemExit(f"{script.name} failed: {output.ename}: {output.evalue}")
            elif "image/png" in output.get("data", {}):
                output.data["image/png"] = smaller_png(output.data["image/png"])
            if "execution_count" in output:
                output.execution_count = None  # the run's counter is no part of the record
            outputs.append(output)
        cells.append(nbformat.v4.new_code_cell(cell.source, outputs=outputs))
    recorded = nbformat.v4.new_notebook(cells=cells)
    recorded.metadata["minae"] = {
        "lesson": script.name,
        "run": f"default run: {seconds:.0f} s on {machine()}, {DEFAULT_THREADS} BLAS threads",
    }
    RECORDED.mkdir(exist_ok=True)
    for cell in recorded.cells:
        cell.pop("id", None)
    recorded.nbformat_minor = 4  # no cell ids: a new recording changes only what ran
    nbformat.write(recorded, RECORDED / (script.stem + ".ipynb"))
    header = (
        f"# {script.name}, default run: {seconds:.0f} s on {machine()}, "
        f"{DEFAULT_THREADS} BLAS threads, Python {platform.python_version()}, "
        f"NumPy {numpy.__version__}\n"
    )
    TRANSCRIPTS.mkdir(exist_ok=True)
    path = TRANSCRIPTS / (script.stem + ".txt")
    path.write_text(header + "".join(printed), encoding="utf-8", newline="\n")
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


RUN_TIME_LINE = re.compile(r"^# \*\*Run time\*\* .*$(?:\n# on .* BLAS threads?\.$)?", flags=re.M)
QUICK_LINE = (
    "# `--quick` (what the test suite runs) takes seconds, and its numbers do not bear out"
    " the text."
)


def state_run_time(script: Path, seconds: float) -> None:
    """Write the measured length, and the machine it was measured on, into the lesson's
    run-time line."""
    rounded, measured = duration(seconds)
    line = (
        f"# **Run time** of the recorded run: {rounded} ({measured} measured),\n"
        f"# on {machine()}, {DEFAULT_THREADS} BLAS threads."
    )
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
    quick_only = "--quick-only" in argv
    argv = [a for a in argv if a != "--quick-only"]
    if not argv:
        raise SystemExit(__doc__)
    for script in lesson_files(argv):
        record_quick(script)
        if quick_only:
            print(f"{script.name}: quick run recorded", flush=True)
            continue
        seconds = record_default(script)
        state_run_time(script, seconds)
        print(f"{script.name}: {seconds:.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
