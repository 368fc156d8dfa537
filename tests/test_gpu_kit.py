"""The GPU run's pieces (benchmarks/gpu/), rehearsed on the CPU: what a GPU machine will run
must already run here, on the stand-in device that refuses what CuPy refuses."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GPU = ROOT / "benchmarks" / "gpu"


def run(command, env=None, timeout=300):
    return subprocess.run(
        [sys.executable, *command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        env=dict(os.environ, **(env or {})),
        cwd=ROOT,
    )


def test_the_benchmarks_minae_runs_every_workload_on_the_stand_in_device():
    # every array minae makes lives on the stand-in, so an implicit trip to the host in
    # the benchmark (or in minae on its path) fails here as it would under CuPy
    workloads = ["a256", "b1024", "vae", "k", "s"]
    worker = [str(GPU / "throughput.py"), "--worker", "minae", "--device", "stand-in"]
    result = run([*worker, "--images", "256", "--workloads", *workloads, "--profile"])
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["workload"] for r in rows] == workloads
    for row in rows:
        assert "error" not in row, row
        assert row["images_per_s"] > 0


def test_the_lessons_runner_finds_a_lesson_prints_its_record():
    result = run([str(GPU / "lessons.py"), "01"], env={"MINAE_BACKEND": "numpy"})
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "| 01_pca_toy | yes |" in result.stdout
    assert "| 3 | the same |" in result.stdout  # its three figures, every number as recorded


def test_the_run_leaves_out_only_test_files_that_exist():
    script = (GPU / "run.sh").read_text(encoding="utf-8")
    (line,) = [s for s in script.splitlines() if s.startswith("left_out = {")]
    names = line.split("{", 1)[1].rstrip("}").replace('"', "").split(", ")
    assert names and all((ROOT / "tests" / name).is_file() for name in names)
