"""A Gradescope autograder in one command:

    python -m minae.exercises autograder autograder.zip [--tasks ...] [--points FILE]
                                                      [--tasks-file FILE]

The zip holds what Gradescope's documentation asks for (``setup.sh`` and
``run_autograder`` at its root) and a wheel of the minae that wrote it, so the image needs
no source checkout:

- ``setup.sh`` (run once, when Gradescope builds the image) installs the wheel with pip,
  and with it NumPy and minae's other dependencies;
- ``run_autograder`` (run for each submission) grades ``/autograder/submission`` with
  ``python3 -m minae.exercises check`` and writes ``/autograder/results/results.json``:
  a score, and per task its points, its feedback and its visibility.

``--points FILE`` and ``--tasks-file FILE`` travel inside the zip. Both scripts honour
``AUTOGRADER_ROOT`` (default ``/autograder``) and ``MINAE_PYTHON`` (default ``python3``),
so the zip can be tried in a folder laid out like Gradescope's before it is uploaded.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import io
import shlex
import sys
import zipfile
from pathlib import Path

from .. import __version__

# minae's dependencies, as pyproject.toml names them (used where no metadata is installed)
_REQUIRES = ["numpy>=1.26", "matplotlib>=3.7", "tqdm>=4.60", "threadpoolctl>=3.1"]

SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder's image: install minae (and
# NumPy, Matplotlib, tqdm and threadpoolctl) from the wheel beside this script.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${MINAE_PYTHON:-python3}"
if ! "$PYTHON" -m pip --version > /dev/null 2>&1; then
    apt-get update && apt-get install -y python3 python3-pip
fi
"$PYTHON" -m pip install ./WHEEL || "$PYTHON" -m pip install --break-system-packages ./WHEEL
"""

RUN = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: grade it and write results/results.json.
set -uo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${MINAE_PYTHON:-python3}"
SOURCE="$(cd "$(dirname "$0")" && pwd)"
[ -d "$ROOT/source" ] && SOURCE="$ROOT/source"
mkdir -p "$ROOT/results"
rm -f "$ROOT/results/results.json"
cd "$ROOT"
"$PYTHON" -c "import minae; print('grading with minae', minae.__version__, 'from', minae.__file__)"
"$PYTHON" -m minae.exercises check "$ROOT/submission" TASKS \\
    --json "$ROOT/results/results.json" OPTIONS
status=$?
# 0: every task passed; 1: some did not (the score says which): both are a grading done
if [ "$status" -gt 1 ] || [ ! -f "$ROOT/results/results.json" ]; then
    echo "the grader could not grade this submission (exit status $status)" >&2
    exit 1
fi
exit 0
"""


def _requires() -> list[str]:
    try:
        listed = importlib.metadata.requires("minae") or []
    except importlib.metadata.PackageNotFoundError:
        return list(_REQUIRES)
    return [r for r in listed if "extra ==" not in r] or list(_REQUIRES)


def wheel_bytes() -> tuple[str, bytes]:
    """A pure-Python wheel of the minae that is running (its files as installed), built
    in memory: (file name, contents). The wheel format is PEP 427's: the package, then
    a ``.dist-info`` with METADATA, WHEEL and RECORD (each file's SHA-256 and size)."""
    package = Path(__file__).resolve().parents[1]
    info = f"minae-{__version__}.dist-info"
    files: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[f"minae/{path.relative_to(package).as_posix()}"] = path.read_bytes()
    metadata = [
        "Metadata-Version: 2.1",
        "Name: minae",
        f"Version: {__version__}",
        "Summary: Autoencoders in pure NumPy with hand-written backprop",
        "Requires-Python: >=3.10",
        *(f"Requires-Dist: {r}" for r in _requires()),
    ]
    files[f"{info}/METADATA"] = ("\n".join(metadata) + "\n").encode("utf-8")
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: minae.exercises.autograder\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    return f"minae-{__version__}-py3-none-any.whl", buffer.getvalue()


def write_zip(out: Path, tasks: list[str], points: dict, tasks_file: Path | None) -> int:
    """Write the autograder zip to ``out`` (a new file, or one this command wrote)."""
    import json

    from .tasks import find, registry

    out = Path(out)
    if out.suffix != ".zip":
        print(f"{out}: name a .zip file", file=sys.stderr)
        return 2
    if out.exists() and not _ours(out):
        print(
            f"{out} exists and is not an autograder zip of minae's: nothing was written",
            file=sys.stderr,
        )
        return 2
    try:
        chosen = find(tasks, registry(tasks_file).values())
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    wheel_name, wheel = wheel_bytes()
    options = []
    if points:
        options += ["--points", '"$SOURCE/points.json"']
    if tasks_file is not None:
        options += ["--tasks-file", '"$SOURCE/tasks_file.py"']
    names = " ".join(shlex.quote(t.name) for t in chosen) if tasks else ""
    run = RUN.replace("TASKS", names).replace("OPTIONS", " ".join(options))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("setup.sh", SETUP.replace("WHEEL", wheel_name)),
            ("run_autograder", run),
        ):
            entry = zipfile.ZipInfo(name)
            entry.external_attr = 0o100755 << 16  # executable, as Gradescope needs
            archive.writestr(entry, text)
        archive.writestr(wheel_name, wheel)
        if points:
            archive.writestr("points.json", json.dumps(points, indent=1))
        if tasks_file is not None:
            archive.writestr("tasks_file.py", Path(tasks_file).read_bytes())
        archive.writestr("minae-autograder.txt", f"written by minae {__version__}\n")
    from ..infrastructure.files import write_atomically

    data = buffer.getvalue()
    write_atomically(out, lambda f: f.write(data))
    print(
        f"wrote {out}: {len(chosen)} tasks, {wheel_name}; upload it as the "
        "assignment's autograder (configuration: zip file upload)"
    )
    return 0


def _ours(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "minae-autograder.txt" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False
