"""Build minae's site.

    python docs/build.py quick    # lessons in quick mode, warnings as errors (CI): minutes
    python docs/build.py full     # the lessons' default runs, cached: a rebuild re-runs
                                  # only the lessons that changed

The cache knows a lesson by its code, but what a lesson prints and draws depends on minae
and on the packages installed too: when either has changed since the cached runs, the
full build forgets them all and every lesson runs again.

The site is written to docs/_build/quick/ or docs/_build/full/; open its index.html.
Lessons that use MNIST read MINAE_DATA (or download it, see the README's Data section).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

DOCS = Path(__file__).resolve().parent
CACHE = DOCS / "_build" / ".jupyter_cache"  # conf.py's nb_execution_cache_path


def source_fingerprint(package: Path) -> str:
    """A SHA-256 of every .py file under ``package``, names and contents, and of the
    Python and the installed distributions' versions that run it."""
    digest = hashlib.sha256(sys.version.encode())
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(installed).encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def forget_stale_runs(cache: Path, package: Path) -> bool:
    """Delete ``cache`` when ``package`` has changed since it was filled (or nothing says
    what it was filled with); record the package's fingerprint. True when it was deleted."""
    stamp = cache.with_name(cache.name + ".source-sha256")
    now = source_fingerprint(package)
    before = stamp.read_text(encoding="utf-8") if stamp.exists() else None
    stale = cache.exists() and before != now
    if stale:
        shutil.rmtree(cache)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(now, encoding="utf-8")
    return stale


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
    # a page shows the lesson's output, not warnings from other packages' code (CI asks
    # the test suite for EncodingWarnings; matplotlib's font cache raises one)
    env.pop("PYTHONWARNDEFAULTENCODING", None)
    if kind == "quick":
        env["MINAE_QUICK"] = "1"
    elif forget_stale_runs(CACHE, DOCS.parent / "minae"):
        print(
            "minae or the packages installed have changed since the cached runs: every "
            "lesson runs again"
        )
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-j", "1", str(DOCS), str(out)]
    if kind == "quick":
        command[3:3] = ["-W", "--keep-going", "-E"]
    result = subprocess.run(command, env=env, check=False)
    if result.returncode == 0:
        print(f"the site is in {out}; open {out / 'index.html'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
