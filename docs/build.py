"""Build minae's site.

    python docs/build.py          # about a minute; warnings are errors

The lesson pages show each lesson's recorded default run (``lessons/recorded/``, written
by ``python lessons/record_runs.py NN``): the build runs no lesson, so it needs no data
and shows the same pages on every machine. A lesson whose recording no longer fits its
code stops the build, naming the command that records it again.

The site is written to docs/_build/html/; open its index.html.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
OUT = DOCS / "_build" / "html"


def main(argv: list[str]) -> int:
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-E",
        "-j",
        "1",
        str(DOCS),
        str(OUT),
    ]
    result = subprocess.run(command, check=False)
    if result.returncode == 0:
        print(f"the site is in {OUT}; open {OUT / 'index.html'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
