"""The lessons as pages: each ``lessons/NN_name.py`` (jupytext's py:percent format) is
written as ``docs/lessons/NN_name.ipynb`` with a first cell that links the notebook and
the script for download, and ``docs/lessons/index.md`` lists them all.

A page is the lesson's current text with the outputs of its recorded default run
(``lessons/recorded/NN_name.ipynb``, written by ``lessons/record_runs.py``), code cell by
code cell: the site never runs a lesson, and never shows a quick run. The recording must
have the lesson's code cells, one for one; that its numbers are still what the code
prints is the test suite's check (the quick run against its own record).
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path

import jupytext
import nbformat


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


class StaleRecording(Exception):
    """A lesson's recording does not fit its code: record it again."""


def with_recorded_outputs(notebook, recorded, name: str):
    """``notebook`` (the lesson's cells, no outputs) with ``recorded``'s outputs in its code
    cells, in order; StaleRecording when the code cells do not pair up."""
    mine = [c for c in notebook.cells if c.cell_type == "code"]
    ran = [c for c in recorded.cells if c.cell_type == "code"]
    if len(mine) != len(ran):
        raise StaleRecording(
            f"{name} has {len(mine)} code cells, its recording {len(ran)}: record it again "
            f"(python lessons/record_runs.py {name[:2]})"
        )
    for cell, run in zip(mine, ran, strict=True):
        cell.outputs = run.outputs
        cell.execution_count = None
    return notebook


INSTALL = """\
# This lesson needs minae in this notebook's Python. If the import fails, install it
# from a clone of minae, in a terminal:  python -m pip install -e ".[lessons]"
# then restart this notebook's kernel.
try:
    import minae  # noqa: F401
except ModuleNotFoundError as missing:
    raise ModuleNotFoundError(
        "This lesson needs minae: in a clone of minae's repository run "
        '`python -m pip install -e ".[lessons]"` with this notebook\'s Python, then restart '
        "the kernel"
    ) from missing"""


def repository_url(pyproject: Path) -> str | None:
    """The GitHub repository named in ``pyproject.toml``'s ``[project.urls]`` (its
    ``Repository`` or ``Source`` entry), without a trailing slash or ``.git``; None while
    no such URL is set, and then the pages show no launch buttons."""
    text = pyproject.read_text(encoding="utf-8")
    table = re.search(r"^\[project\.urls\]\s*$(.*?)(?=^\[|\Z)", text, flags=re.M | re.S)
    if table is None:
        return None
    for key in ("Repository", "Source"):
        found = re.search(rf'^\s*"?{key}"?\s*=\s*"([^"]+)"', table.group(1), flags=re.M)
        if found:
            url = found.group(1).rstrip("/").removesuffix(".git")
            if re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
                return url
            raise ValueError(
                f"[project.urls] {key} = {url!r}: the launch buttons need a GitHub "
                "repository's address, https://github.com/OWNER/NAME"
            )
    return None


def launch_links(repository: str | None, stem: str, branch: str = "main") -> str:
    """Markdown for the Colab and Binder buttons of lesson ``stem``: Colab opens the
    recorded notebook (outputs shown, ready to run again), Binder opens the lesson's script
    as a notebook in JupyterLab, with minae installed from the repository
    (``binder/requirements.txt``). Empty while no repository URL is set."""
    if repository is None:
        return ""
    github = repository.removeprefix("https://github.com/")
    colab = (
        f"https://colab.research.google.com/github/{github}/blob/{branch}/"
        f"lessons/recorded/{stem}.ipynb"
    )
    binder = f"https://mybinder.org/v2/gh/{github}/{branch}?labpath=lessons/{stem}.py"
    return (
        f"Run it online: [Open in Colab]({colab}) (run `%pip install "
        f'"minae[lessons] @ git+{repository}"` in a first cell there) · '
        f"[Launch Binder]({binder})."
    )


def used_names(source: str, api: dict[str, str]) -> list[str]:
    """The API names (qualified, as the reference pages name them) that a lesson's code
    uses: ``minae.mlp``, ``minae.models.iwae_bound``, ``from minae.datasets import
    load_mnist``; in the order first used."""
    found: list[str] = []
    imported = re.findall(r"^from minae(?:\.\w+)* import ([\w, ]+)$", source, flags=re.M)
    names = [n.strip() for line in imported for n in line.split(",")]
    names += re.findall(r"\bminae(?:\.[a-z_]+)*\.([A-Za-z_]\w*)", source)
    for name in names:
        if name in api and api[name] not in found:
            found.append(api[name])
    return found


def image_descriptions(lessons: Path) -> dict[str, str]:
    """Each recorded figure's description (its alt text), keyed by the SHA-256 of its
    bytes, the name MyST-NB gives the image file."""
    import nbformat

    described = {}
    for recording in sorted((lessons / "recorded").glob("*.ipynb")):
        for cell in nbformat.read(recording, as_version=4).cells:
            for output in cell.get("outputs", []):
                png = output.get("data", {}).get("image/png")
                alt = output.get("metadata", {}).get("image/png", {}).get("alt")
                if png and alt:
                    described[hashlib.sha256(base64.b64decode(png)).hexdigest()] = alt
    return described


def write(
    lessons: Path, out: Path, api: dict[str, str] | None = None, repository: str | None = None
) -> list[str]:
    """Write every lesson's page into ``out``; return the pages' names in order. With a
    ``repository`` URL, each page carries Colab and Binder buttons (:func:`launch_links`)."""
    downloads = out / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    names = []
    for script in sorted(lessons.glob("[0-9][0-9]_*.py")):
        names.append(script.stem)
        notebook = jupytext.read(script)
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        # the downloads: the notebook as the student runs it (no outputs, and a first cell
        # that says how to install minae where it is missing), and the script
        download = nbformat.from_dict(
            nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell(INSTALL), *notebook.cells],
                metadata=notebook.metadata,
            )
        )
        _write_if_changed(downloads / f"{script.stem}.ipynb", nbformat.writes(download))
        shutil.copyfile(script, downloads / script.name)
        links = nbformat.v4.new_markdown_cell(
            f"Download this lesson: {{download}}`notebook <downloads/{script.stem}.ipynb>` · "
            f"{{download}}`script <downloads/{script.name}>` "
            f"(run it with `python lessons/{script.name}` in a clone)."
        )
        recording = lessons / "recorded" / f"{script.stem}.ipynb"
        if not recording.is_file():
            raise StaleRecording(
                f"{script.name} has no recorded run: python lessons/record_runs.py "
                f"{script.name[:2]}"
            )
        notebook = with_recorded_outputs(
            notebook, nbformat.read(recording, as_version=4), script.stem
        )
        uses = used_names(script.read_text(encoding="utf-8"), api or {})
        if uses:
            links.source += (
                "\n\nThis lesson uses " + ", ".join(f"{{py:obj}}`~{name}`" for name in uses) + "."
            )
        launch = launch_links(repository, script.stem)
        if launch:
            links.source += "\n\n" + launch
        first = notebook.cells[0]
        notebook.cells.insert(1 if first.cell_type == "markdown" else 0, links)
        _write_if_changed(out / f"{script.stem}.ipynb", nbformat.writes(notebook))
    toc = "\n".join(names)
    _write_if_changed(
        out / "index.md",
        f"""# Lessons

Each lesson derives a piece of the autoencoder chapter, then uses minae, then compares
the two. Each page shows the lesson's default run, recorded with
`lessons/record_runs.py`: what it printed and drew, as a student's full run prints and
draws it (the machine and the run's length are at the top of each lesson). The test suite
runs every lesson and refuses a recording that no longer matches what the code prints.

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
