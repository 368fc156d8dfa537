"""What every lesson shares: quick mode, the folder its figures go to, and showing them.

A lesson (``lessons/NN_name.py``) runs three ways, and ``setup`` serves each:

- as a script, ``python lessons/NN_name.py [--quick] [--out DIR]``: figures are saved
  (matplotlib's Agg backend, no windows), into ``lessons/out/NN_name/`` by default;
- cell by cell (``# %%``) in an editor, or as a notebook (jupytext): figures are saved
  *and* shown inline, into ``./lesson-out/NN_name/`` unless ``MINAE_LESSON_OUT`` names
  another folder; unknown arguments from a notebook kernel are ignored;
- in quick mode, a seconds-long run on a little data, with ``--quick`` or with the
  environment variable ``MINAE_QUICK=1`` (the way to ask from a notebook). Figures of a
  quick run say so in a corner, and so does the line that names each.

Training progress is shown on full runs (``Lesson.progress``) and hidden on quick ones.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..infrastructure.console import printable_stdout

_TRUE = ("1", "true", "yes", "on")


def in_notebook() -> bool:
    """True inside a Jupyter kernel (a notebook, or an editor's interactive window)."""
    return "ipykernel" in sys.modules


@dataclass(frozen=True)
class Lesson:
    """A lesson's settings: ``quick`` (a small run), ``out`` (the figures' folder)."""

    name: str
    quick: bool
    out: Path

    @property
    def progress(self) -> bool:
        """Whether training shows its progress: on full runs, not on quick ones."""
        return not self.quick

    def save(self, fig, filename: str) -> None:
        """Save ``fig`` as ``out/filename`` and say where; in a notebook it also shows.

        A script closes the figure once saved (nothing else would); a notebook shows the
        saved file below the cell, with ``describe(fig)`` as its description (the site's
        alt text). A notebook names the file relative
        to its own folder when it lies beneath it (``lesson-out/NN_name/...``), as the site
        shows it, rather than the full path of the machine that ran it. Returns nothing, so
        a cell that ends with it shows no path object.
        """
        import matplotlib.pyplot as plt

        stamp = ""
        if self.quick:
            fig.text(
                0.995,
                0.005,
                "quick run: will not look like the text",
                ha="right",
                va="bottom",
                fontsize=7,
                color="0.4",
            )
            stamp = " (quick run: will not look like the text)"
        path = self.out / filename
        fig.savefig(path, dpi=110, bbox_inches="tight")
        if not in_notebook():
            plt.close(fig)
            print(f"  figure: {path}{stamp}")
            return
        try:
            shown = path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:  # saved elsewhere ($MINAE_LESSON_OUT): the full path
            shown = path
        print(f"  figure: {shown.as_posix()}{stamp}")
        # the saved file itself, with a description for readers who cannot see it (the
        # site's alt text); closed, so that the kernel does not show it a second time
        try:
            from IPython.display import Image, display
        except ImportError:  # an editor's cell runner without IPython: it shows the figure
            return
        display(Image(filename=str(path), metadata={"alt": describe(fig, filename)}))
        plt.close(fig)


def describe(fig, filename: str = "") -> str:
    """What ``fig`` shows, in words, from its own titles and axis labels: its title, then
    each panel's ("singular value of J_f(x) against singular value index"); for a grid of
    untitled images, its file's name in words and their count ("grid of codes: 225
    images")."""
    parts = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) else []
    images = 0
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        title, x, y = ax.get_title() or ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()
        panel = f"{y} against {x}" if x and y else (x or y)
        if ax.images and not (title or panel):
            images += 1
            continue
        described = ": ".join(p for p in (title, panel) if p)
        if described and described not in parts:
            parts.append(described)
    if images:
        parts.append(f"{images} images")
        if len(parts) == 1 and filename:  # nothing but images: say what the file is called
            words = Path(filename).stem.split("_")
            parts.insert(0, " ".join(words[1:] if words[0].isdigit() else words) + ":")
            return " ".join(parts)
    return "; ".join(parts[:6]) or "a figure"


def _strict() -> bool:
    """Whether ``compare`` raises where it would print "not close" (the test suite)."""
    return os.environ.get("MINAE_STRICT_COMPARE", "").strip().lower() in _TRUE


def compare(name: str, mine, reference) -> bool:
    """Print how ``mine`` matches ``reference``: exact (bit for bit), close (within
    ``numpy.allclose``'s rtol 1e-5, atol 1e-8) and the largest difference; return whether
    they are close. A lesson ends a derivation with it, ``assert compare(...)``, so that a
    derivation that stops matching the library stops the lesson: the hand-written version
    beside the library's (Karpathy's ``cmp``)."""
    import numpy

    from ..infrastructure.backend import to_host

    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    a, b = numpy.asarray(to_host(mine)), numpy.asarray(to_host(reference))
    for label, array in (("mine", a), ("reference", b)):
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{label} must hold numbers, got dtype {array.dtype}")
    a, b = a.astype(numpy.float64), b.astype(numpy.float64)  # no wrap-around in a - b (uint8)
    if a.shape != b.shape:
        print(f"{name:28} shapes differ: {a.shape} against {b.shape}")
        if _strict():
            raise AssertionError(f"{name}: not close (shapes {a.shape} and {b.shape})")
        return False
    exact = bool(numpy.array_equal(a, b))
    close = bool(numpy.allclose(a, b))
    largest = float(numpy.abs(a - b).max()) if a.size else 0.0
    print(f"{name:28} exact: {exact!s:5} | close: {close!s:5} | largest difference: {largest:.1e}")
    if not close and _strict():
        raise AssertionError(f"{name}: not close (largest difference {largest:.1e})")
    return close


def setup(name: str, argv: list[str] | None = None) -> Lesson:
    """Read ``--quick``/``MINAE_QUICK`` and ``--out``, make the folder, return the Lesson."""
    parser = argparse.ArgumentParser(description=f"minae lesson {name}")
    parser.add_argument("--quick", action="store_true", help="a small, seconds-long run")
    parser.add_argument("--out", type=Path, default=None, help="the folder for the figures")
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    quick = args.quick or os.environ.get("MINAE_QUICK", "").strip().lower() in _TRUE
    out = args.out or _default_out(name)
    out.mkdir(parents=True, exist_ok=True)
    if not in_notebook():
        import matplotlib

        matplotlib.use("Agg")  # a script saves its figures; no windows to close
    printable_stdout()
    if in_notebook():
        _data_errors_in_a_notebook()
    else:
        _data_errors_without_traceback()
    return Lesson(name, quick, out)


def _default_out(name: str) -> Path:
    if os.environ.get("MINAE_LESSON_OUT"):
        return Path(os.environ["MINAE_LESSON_OUT"]) / name
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if not in_notebook() and script is not None and script.suffix == ".py" and script.exists():
        return script.resolve().parent / "out" / name
    return Path.cwd() / "lesson-out" / name


def _is_data_error(kind, error) -> bool:
    from ..datasets.download import FetchError

    missing = issubclass(kind, FileNotFoundError) and "MINAE_DATA" in str(error)
    return missing or issubclass(kind, FetchError)


def _data_errors_in_a_notebook() -> None:
    """In a notebook, a lesson's missing data shows the loader's message alone (what to
    do, naming MINAE_DATA), not a traceback through minae's loaders; any other error
    shows its traceback as usual."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    from ..datasets.download import FetchError

    def handler(self, kind, error, traceback, tb_offset=None):
        if _is_data_error(kind, error):
            print(f"{kind.__name__}: {error}", file=sys.stderr)
            return None
        return self.showtraceback((kind, error, traceback), tb_offset=tb_offset)

    shell.set_custom_exc((FetchError, FileNotFoundError), handler)


def _data_errors_without_traceback() -> None:
    """A script run without its data ends with the loader's message (which names the
    command that fetches the data, or, offline, how to install it from a folder), not
    with a traceback through the lesson."""
    previous = sys.excepthook

    def hook(kind, error, traceback) -> None:
        if _is_data_error(kind, error):
            print(f"{Path(sys.argv[0]).name}: {error}", file=sys.stderr)
            return  # the interpreter still exits with status 1
        previous(kind, error, traceback)

    sys.excepthook = hook
