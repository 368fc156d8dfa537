"""Every lesson's quick run on the active backend, compared with its recorded quick run.

    MINAE_BACKEND=cupy python benchmarks/gpu/lessons.py [--jobs 4] [--timeout 240] [NN ...]

Each lesson runs as ``lessons/record_runs.py`` runs it for its record (``--quick``, one
BLAS thread), in the environment it is given (``MINAE_BACKEND``, ``MINAE_DATA``,
``MINAE_PHOTOS``); ``--jobs`` at a time. For each, the table says whether it ran, how
long it took, how many figures it saved, and how what it printed compares with the
record (``lessons/transcripts/quick/``): "the same" (every number), "the same words"
(the numbers differ: a GPU sums in another order), or "different", with the first
lines that differ. The exit status is 1 when a lesson failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LESSONS = ROOT / "lessons"


def recorder():
    spec = importlib.util.spec_from_file_location("record_runs", LESSONS / "record_runs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_one(script: Path, timeout: int) -> dict:
    record = recorder()
    env = record.threads_environment(record.QUICK_THREADS)
    env.update(TQDM_DISABLE="1", MPLBACKEND="Agg", PYTHONIOENCODING="utf-8")
    env.pop("MINAE_QUICK", None)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        try:
            run = subprocess.run(
                [sys.executable, str(script), "--quick", "--out", out],
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=timeout,
                check=False,
            )
            code, printed, errors = run.returncode, run.stdout, run.stderr
        except subprocess.TimeoutExpired:
            code, printed, errors = None, "", f"timed out after {timeout} s"
        seconds = time.perf_counter() - start
        figures = len(list(Path(out).glob("*.png")))
        printed = printed.replace(out, "OUT")
    row = {"name": script.stem, "code": code, "seconds": seconds, "figures": figures}
    if code != 0:
        row["verdict"] = "failed"
        row["detail"] = "\n".join(errors.strip().splitlines()[-12:])
        return row
    recorded = (record.QUICK_TRANSCRIPTS / f"{script.stem}.txt").read_text(encoding="utf-8")
    header = record.quick_header(script)
    same, diff = record.same_printing(recorded, header + printed)
    if same:
        row["verdict"] = "the same"
        return row
    words = record.comparable(recorded.partition("\n")[2], numbers=False)
    if words == record.comparable(printed, numbers=False):
        row["verdict"] = "the same words"
    else:
        row["verdict"] = "different"
    row["detail"] = "\n".join(diff.splitlines()[:16])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="two-digit numbers; all when none")
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--timeout", type=int, default=240, help="seconds per lesson")
    args = parser.parse_args()
    scripts = sorted(LESSONS.glob("[0-9][0-9]_*.py"))
    if args.lessons:
        scripts = [s for s in scripts if s.name[:2] in args.lessons]
    backend = os.environ.get("MINAE_BACKEND", "numpy")
    print(f"backend {backend}; {len(scripts)} lessons, {args.jobs} at a time", flush=True)
    rows = []
    with ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_one, s, args.timeout) for s in scripts]
        for future in as_completed(futures):  # a line each as it ends, should a cap stop us
            r = future.result()
            rows.append(r)
            print(f"{r['name']}: {r['verdict']} ({r['seconds']:.0f} s)", flush=True)
    rows.sort(key=lambda r: r["name"])
    print("\n| lesson | ran | seconds | figures | prints, against its record |")
    print("| --- | --- | ---: | ---: | --- |")
    for r in rows:
        ran = "yes" if r["code"] == 0 else f"no ({r['code']})"
        print(f"| {r['name']} | {ran} | {r['seconds']:.0f} | {r['figures']} | {r['verdict']} |")
    for r in rows:
        if "detail" in r:
            print(f"\n## {r['name']}: {r['verdict']}\n{r['detail']}")
    failed = sum(r["code"] != 0 for r in rows)
    print(f"\n{len(rows) - failed} of {len(rows)} lessons ran")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
