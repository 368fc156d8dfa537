"""minae's training epoch at two commits, measured alternately in one sitting.

    python benchmarks/old_vs_new.py OLD_REV [--reps 5] [--threads 2] [--arch a b k s]

Checks OLD_REV out into a temporary git worktree and runs the minae worker of
``train_throughput.py`` (dense models a, b, ...) or ``conv_throughput.py`` (conv models
k, s) from it and from this working tree in turn (old, new, old, new, ...), each in a
separate process, so both see the same machine state. Prints every run and the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONV = ("k", "s")  # conv_throughput.py's models


def run(tree: Path, arch: str, threads: int, timeout: int | None) -> float:
    env = dict(
        os.environ,
        OMP_NUM_THREADS=str(threads),
        OPENBLAS_NUM_THREADS=str(threads),
        MKL_NUM_THREADS=str(threads),
        PYTHONPATH=str(tree),
    )
    env.pop("OPENBLAS_THREAD_TIMEOUT", None)
    if timeout is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = str(timeout)
    script = tree / "benchmarks" / ("conv_throughput.py" if arch in CONV else "train_throughput.py")
    command = [sys.executable, str(script), "--worker", "minae", "--arch", arch]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, encoding="utf-8", check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the commit to compare against, e.g. HEAD~3")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--arch", nargs="+", default=["a", "b"])
    parser.add_argument("--openblas-thread-timeout", type=int, metavar="N")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old_tree), args.old],
            check=True,
            capture_output=True,
        )
        try:
            for arch in args.arch:
                seconds = {"old": [], "new": []}
                for _ in range(args.reps):
                    for name, tree in (("old", old_tree), ("new", ROOT)):
                        seconds[name].append(
                            run(tree, arch, args.threads, args.openblas_thread_timeout)
                        )
                print(f"({arch}) {args.threads} thread(s), one epoch (s), runs in order:")
                for name, runs in seconds.items():
                    shown = " ".join(f"{s:.2f}" for s in runs)
                    spread = max(runs) - min(runs)
                    print(
                        f"  {name}: median {statistics.median(runs):.2f}, spread {spread:.2f}: "
                        f"{shown}"
                    )
                ratio = statistics.median(seconds["new"]) / statistics.median(seconds["old"])
                print(f"  new / old: {ratio:.3f}")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)],
                check=False,
            )


if __name__ == "__main__":
    main()
