"""Build minae's site.

    python docs/build.py quick    # lessons in quick mode, warnings as errors (CI): minutes
    python docs/build.py full     # the lessons' default runs, cached: a rebuild re-runs
                                  # only the lessons that changed

The site is written to docs/_build/quick/ or docs/_build/full/; open its index.html.
Lessons that use MNIST read MINAE_DATA (or download it, see the README's Data section).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("quick", "full"):
        print(__doc__, file=sys.stderr)
        return 2
    kind = argv[0]
    out = DOCS / "_build" / kind
    env = dict(os.environ, MINAE_DOCS=kind, TQDM_DISABLE="1")
    env.pop("MINAE_LESSON_OUT", None)  # figures go to docs/lessons/lesson-out/, named so
    env.pop("MINAE_QUICK", None)
    env.pop("MPLBACKEND", None)  # the kernels show figures inline
    if kind == "quick":
        env["MINAE_QUICK"] = "1"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-j", "1", str(DOCS), str(out)]
    if kind == "quick":
        command[3:3] = ["-W", "--keep-going", "-E"]
    result = subprocess.run(command, env=env, check=False)
    if result.returncode == 0:
        print(f"the site is in {out}; open {out / 'index.html'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
