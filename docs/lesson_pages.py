"""The lessons as pages: each ``lessons/NN_name.py`` (jupytext's py:percent format) is
written as ``docs/lessons/NN_name.ipynb`` with a first cell that links the notebook and
the script for download, and ``docs/lessons/index.md`` lists them all.

Only files whose content changed are rewritten, so the full build's cache (keyed on the
notebooks' code) re-runs only the lessons that changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import jupytext
import nbformat


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write(lessons: Path, out: Path) -> list[str]:
    """Write every lesson's page into ``out``; return the pages' names in order."""
    downloads = out / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    names = []
    for script in sorted(lessons.glob("[0-9][0-9]_*.py")):
        names.append(script.stem)
        notebook = jupytext.read(script)
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}  # fmt: skip
        # the downloads: the notebook as the student runs it (no outputs), and the script
        _write_if_changed(downloads / f"{script.stem}.ipynb", nbformat.writes(notebook))
        shutil.copyfile(script, downloads / script.name)
        links = nbformat.v4.new_markdown_cell(
            f"Download this lesson: {{download}}`notebook <downloads/{script.stem}.ipynb>` · "
            f"{{download}}`script <downloads/{script.name}>` "
            f"(run it with `python lessons/{script.name}` in a clone)."
        )
        first = notebook.cells[0]
        notebook.cells.insert(1 if first.cell_type == "markdown" else 0, links)
        _write_if_changed(out / f"{script.stem}.ipynb", nbformat.writes(notebook))
    toc = "\n".join(names)
    _write_if_changed(
        out / "index.md",
        f"""# Lessons

Each lesson derives a piece of the autoencoder chapter, then uses minae, then compares
the two. The pages show a run of each lesson executed when this site was built, with its
printed output and figures.

```{{toctree}}
:maxdepth: 1

{toc}
```
""",
    )
    return names


def favicon(path: Path) -> str:
    """The site's icon, drawn here: an hourglass, wide, narrow at the code, wide again."""
    import matplotlib.pyplot as plt
    import numpy as np

    rows = np.abs(np.linspace(-1, 1, 32))[:, None]  # 1 at the top and bottom, 0 in the middle
    columns = np.abs(np.linspace(-1, 1, 32))[None, :]
    inside = columns <= 0.15 + 0.85 * rows  # (32, 32)
    path.parent.mkdir(parents=True, exist_ok=True)
    plt.imsave(path, np.where(inside, 0.15, 1.0), cmap="gray", vmin=0, vmax=1)
    return str(path)
