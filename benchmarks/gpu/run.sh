#!/usr/bin/env bash
# minae's CuPy backend on a real GPU, in one command, under 8 minutes:
#
#   bash benchmarks/gpu/run.sh DATA OUT
#
# DATA holds mnist/ (the four IDX files) and photos/ (the photographs of lessons 11 and 12):
# gpu-data/, which git ignores, carried to the machine beside the tree, for instance
#   mkdir -p gpu-data && cp -r ../shared/data/mnist ../shared/data/photos gpu-data/;
# OUT receives five logs: versions.txt, suite.txt, lessons.txt, benchmark.txt, timeline.txt.
# The machine needs cupy, torch (CUDA), pytest, pytest-timeout, hypothesis, matplotlib,
# tqdm, threadpoolctl and scikit-learn, and no package registry: minae installs from here.
#
#   1. the whole test suite with MINAE_BACKEND=cupy, in four shards side by side, never
#      stopping at a failure (a per-test timeout, a wall-clock cap), beside
#   2. every lesson's quick run under CuPy, compared with its recorded quick run;
#   3. then, alone on the machine, benchmarks/gpu/throughput.py: minae on CuPy against
#      PyTorch CUDA eager and against minae on this machine's CPU.
#
# The suite leaves out tests/test_lessons.py (step 2 runs the lessons), the site's build
# and browser tests, and the formatter's check of the tree: none of them runs array code.
#
# Rehearsal on a machine without a GPU: MINAE_GPU_REHEARSAL=1 runs the same steps with
# the NumPy backend, and the benchmark with the suite's stand-in device.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ $# -ne 2 ]; then
  echo "usage: bash benchmarks/gpu/run.sh DATA OUT (DATA holds mnist/ and photos/)" >&2
  exit 2
fi
data="$(cd "$1" && pwd)" || exit 2
out="$2"
mkdir -p "$out" && out="$(cd "$out" && pwd)"
PY="${PYTHON:-python3}"
suite_cap="${MINAE_GPU_SUITE_CAP:-270}"   # seconds for steps 1 and 2, side by side
bench_cap="${MINAE_GPU_BENCH_CAP:-150}"   # seconds for step 3
shards=4

export MINAE_DATA="$data/mnist" MINAE_PHOTOS="$data/photos"
export CI=true MPLBACKEND=Agg PYTHONIOENCODING=utf-8
if [ -n "${MINAE_GPU_REHEARSAL:-}" ]; then
  backend=numpy device=stand-in bench_args=(--images 2048 --host-images 1024 --reps 1)
else
  backend=cupy device=cuda bench_args=()
fi
timeline="$out/timeline.txt"
: >"$timeline"
mark() { echo "$(date -u +%H:%M:%S) +$SECONDS s  $*" | tee -a "$timeline"; }

mark "start: backend $backend, data $data"
{
  nvidia-smi 2>&1 | head -20
  # no registry there: the build backend must be the machine's own setuptools
  echo "--- pip install --no-deps --no-build-isolation -e ."
  "$PY" -m pip install --no-deps --no-build-isolation -e . 2>&1 | tail -2
  "$PY" - <<'EOF'
import importlib, platform, sys
print("python", sys.version.split()[0], platform.platform())
for name in ("numpy", "cupy", "torch", "pytest", "pytest_timeout", "hypothesis", "matplotlib"):
    try:
        module = importlib.import_module(name)
        print(name, getattr(module, "__version__", "?"))
    except Exception as err:
        print(name, "absent:", type(err).__name__, err)
try:
    import cupy
    rt = cupy.cuda.runtime
    print("gpu", rt.getDeviceProperties(0)["name"].decode(), "driver", rt.driverGetVersion(),
          "runtime", rt.runtimeGetVersion())
except Exception as err:
    print("cupy cannot reach a GPU:", type(err).__name__, err)
try:
    import torch
    print("torch cuda", torch.version.cuda, "available", torch.cuda.is_available())
except Exception as err:
    print("torch:", type(err).__name__, err)
EOF
  MINAE_BACKEND=$backend "$PY" -c "import minae; print('minae', minae.__version__, minae.get_backend())"
} >"$out/versions.txt" 2>&1
if ! (cd / && "$PY" -c "import minae" 2>/dev/null); then
  export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"  # not installed: import it from here
  echo "minae could not be installed; imported from $PWD instead" >>"$out/versions.txt"
fi
mark "versions written; minae installed"

# -- 1. the suite, in shards balanced by file size ---------------------------------------
timeout_flag=()
if "$PY" -c "import pytest_timeout" 2>/dev/null; then timeout_flag=(--timeout 120); fi
mapfile -t shard_files < <("$PY" - "$shards" <<'EOF'
import sys
from pathlib import Path
left_out = {"test_lessons.py", "test_docs_site.py", "test_docs_build.py", "test_style.py"}
files = sorted((p for p in Path("tests").glob("test_*.py") if p.name not in left_out),
               key=lambda p: -p.stat().st_size)
n = int(sys.argv[1])
shards, sizes = [[] for _ in range(n)], [0] * n
for p in files:
    k = sizes.index(min(sizes))
    shards[k].append(str(p))
    sizes[k] += p.stat().st_size
for shard in shards:
    print(" ".join(shard))
EOF
)
pids=()
for k in "${!shard_files[@]}"; do
  # shellcheck disable=SC2086
  MINAE_BACKEND=$backend OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 \
    timeout -k 10 "$suite_cap" "$PY" -m pytest -p no:cacheprovider -q -rfEs --tb=line \
    "${timeout_flag[@]}" ${shard_files[$k]} >"$out/suite-$k.log" 2>&1 &
  pids+=($!)
done
mark "suite: ${#pids[@]} shards started (cap $suite_cap s, per-test timeout: ${timeout_flag[*]:-none})"

# -- 2. the lessons, beside the suite ----------------------------------------------------
MINAE_BACKEND=$backend timeout -k 10 "$suite_cap" "$PY" benchmarks/gpu/lessons.py \
  --jobs 4 --timeout "$((suite_cap - 20))" >"$out/lessons.txt" 2>&1
mark "lessons: exit $?"
for k in "${!pids[@]}"; do
  wait "${pids[$k]}"
  mark "suite shard $k: exit $? (124: the cap)"
done
{
  for k in "${!shard_files[@]}"; do
    echo "=== shard $k: ${shard_files[$k]}"
    cat "$out/suite-$k.log"
  done
  echo "=== all shards"
  "$PY" - "$out" <<'EOF'
import collections, re, sys
from pathlib import Path
counts, reasons = collections.Counter(), collections.Counter()
for log in sorted(Path(sys.argv[1]).glob("suite-*.log")):
    text = log.read_text(encoding="utf-8", errors="replace")
    for number, word in re.findall(r"(\d+) (passed|failed|skipped|errors?|deselected)", text):
        counts[word.rstrip("s") if word.startswith("error") else word] += int(number)
    for line in text.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            reason = line.split(" - ", 1)[1] if " - " in line else "(no message)"
            reasons[re.sub(r"0x[0-9a-f]+|\d+", "N", reason)[:110]] += 1
print("totals:", dict(counts))
print("failures and errors by message:")
for reason, n in reasons.most_common(40):
    print(f"{n:5d}  {reason}")
EOF
} >"$out/suite.txt" 2>&1
rm -f "$out"/suite-*.log
mark "suite: $(grep '^totals:' "$out/suite.txt")"

# -- 3. the benchmark, alone -------------------------------------------------------------
timeout -k 10 "$bench_cap" "$PY" benchmarks/gpu/throughput.py --device "$device" \
  --budget "$((bench_cap - 15))" "${bench_args[@]}" >"$out/benchmark.txt" 2>&1
mark "benchmark: exit $? (124: the cap)"
mark "done"
