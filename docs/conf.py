"""Sphinx configuration of minae's site: the lessons as pages, the slide index, the
conventions, the reproductions and benchmark tables, and the API reference.

Built by ``python docs/build.py quick`` (lessons executed in quick mode, warnings as
errors: what CI runs) or ``python docs/build.py full`` (the lessons' default runs, each
cached by jupyter-cache so that a rebuild re-runs only the lessons that changed).

Sphinx with MyST-NB, the stack of scientific Python's documentation: MyST-NB executes
the lessons as notebooks and keeps their printed output and figures, autodoc and
autosummary read the docstrings, and the PyData theme is scikit-learn's and NumPy's.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS))

import api_pages  # noqa: E402
import lesson_pages  # noqa: E402

import minae  # noqa: E402

FULL = os.environ.get("MINAE_DOCS") == "full"

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
exclude_patterns = ["_build", "*.py", "lessons/downloads", "**/.ipynb_checkpoints"]
# .rst first: autosummary writes its pages in the first suffix
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}

# -- the lessons: each script becomes a notebook page, executed at build time --------------
lesson_pages.write(ROOT / "lessons", DOCS / "lessons")
nb_execution_mode = "cache" if FULL else "force"
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
nb_execution_timeout = 1800 if FULL else 600
nb_execution_raise_on_error = True
nb_execution_show_tb = True
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


def setup(app) -> None:
    app.connect("autodoc-process-docstring", _escape_bars)


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
