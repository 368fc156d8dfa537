"""Sphinx configuration of minae's site: the lessons as pages, the slide index, the
conventions, the reproductions and benchmark tables, and the API reference.

Built by ``python docs/build.py`` (warnings as errors: what CI runs). The lesson pages
show the lessons' recorded default runs (``lessons/recorded/``); nothing is executed.

Sphinx with MyST-NB, the stack of scientific Python's documentation: MyST-NB renders
the lessons as notebooks with their recorded output and figures, autodoc and
autosummary read the docstrings, and the PyData theme is scikit-learn's and NumPy's.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS))

import api_pages  # noqa: E402
import lesson_pages  # noqa: E402

import minae  # noqa: E402

project = "minae"
author = "The minae authors"
copyright = "the minae authors"
release = version = minae.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "mathml",
]
exclude_patterns = [
    "_build",
    "*.py",
    "lessons/downloads",
    "lessons/slide_index.md",
    "exercise_tasks.md",
    "**/.ipynb_checkpoints",
]
# .rst first: autosummary writes its pages in the first suffix
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}

# -- the lessons: each script becomes a notebook page with its recorded default run ---------
API_NAMES = api_pages.qualified_names()
# Colab and Binder buttons once pyproject.toml's [project.urls] names the repository
REPOSITORY = lesson_pages.repository_url(ROOT / "pyproject.toml")
LESSON_NAMES = lesson_pages.write(ROOT / "lessons", DOCS / "lessons", API_NAMES, REPOSITORY)
# each API page lists the lessons that use it, as links (the lessons link it in turn)
USED_IN: dict[str, list[str]] = {}
for _lesson in LESSON_NAMES:
    _source = (ROOT / "lessons" / f"{_lesson}.py").read_text(encoding="utf-8")
    for _name in lesson_pages.used_names(_source, API_NAMES):
        USED_IN.setdefault(_name, []).append(_lesson)
# the figures' descriptions, the alt text of each image
FIGURE_ALT = lesson_pages.image_descriptions(ROOT / "lessons")
# the slide index, every piece of code it names linked to its API page
(DOCS / "lessons" / "slide_index.md").write_text(
    api_pages.linked_index(
        (ROOT / "lessons" / "README.md").read_text(encoding="utf-8").split("# Lessons", 1)[1],
        API_NAMES,
    ),
    encoding="utf-8",
)
# the exercises' tasks, with their slides, lessons and points, from the task table itself
(DOCS / "exercise_tasks.md").write_text(api_pages.exercise_table(), encoding="utf-8")
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# -- the API reference ---------------------------------------------------------------------
api_pages.write(DOCS / "api")
autosummary_generate = True
autodoc_default_options = {"members": True, "member-order": "bysource", "show-inheritance": True}
autodoc_typehints = "description"
autodoc_docstring_signature = True
napoleon_numpy_docstring = True
napoleon_google_docstring = False


def _escape_bars(app, what, name, obj, options, lines) -> None:
    """minae's docstrings write norms as ||x|| and |z|, which reStructuredText would read as
    substitutions, and shapes as (B, *shape), which it would read as emphasis; outside
    math they are plain characters."""
    in_math = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(".. math::"):
            in_math = True
            continue
        if in_math and stripped and not line.startswith((" ", "\t")):
            in_math = False
        if not in_math:  # and (B, *shape) is a shape, not the start of an emphasis
            lines[i] = line.replace("|", "\\|").replace(", *", ", \\*")


def _used_in(app, what, name, obj, options, lines) -> None:
    """Below a documented name, the lessons that use it, as links."""
    if name in USED_IN:
        links = ", ".join(f":doc:`/lessons/{lesson}`" for lesson in USED_IN[name])
        lines.extend(["", f"**Used in:** {links}."])


def _alt_text(app, doctree, docname) -> None:
    """Each lesson figure's alt text: what its recording says the figure shows."""
    from docutils import nodes

    for image in doctree.findall(nodes.image):
        described = FIGURE_ALT.get(Path(image["uri"]).stem)
        if described:
            image["alt"] = described


def setup(app) -> None:
    app.connect("autodoc-process-docstring", _escape_bars)
    app.connect("autodoc-process-docstring", _used_in)
    app.connect("doctree-resolved", _alt_text)


# -- the site ------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "minae"
html_context = {"default_mode": "light"}  # a fresh browser's mode, set before the theme asks
html_theme_options = {
    "navigation_with_keys": False,
    "show_prev_next": True,
    "secondary_sidebar_items": ["page-toc"],
}
html_favicon = lesson_pages.favicon(DOCS / "_build" / "favicon.png")
html_static_path = ["_static"]
html_css_files = ["minae.css"]
# Formulas as MathML, written at build time (mathml.py): no script, no web fonts, nothing
# loaded from another site
html_math_renderer = "mathml"
