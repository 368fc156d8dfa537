"""Formulas as MathML, written when the site is built: browsers draw MathML themselves
(MathML Core), so a page needs no script and no web fonts to show its equations, and
loads nothing from another site. latex2mathml converts the docstrings' LaTeX.

Registered as a Sphinx math renderer (``html_math_renderer = "mathml"``), beside
Sphinx's own MathJax and imgmath. A formula it cannot convert is a build warning (an
error in the quick build), not a silent gap.
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _mathml(node, latex: str, display: str) -> str:
    try:
        return convert(latex, display=display)
    except Exception as err:  # the converter raises many kinds on what it cannot parse
        logger.warning("cannot write %r as MathML: %s", latex[:80], err, location=node)
        return f"<code>{latex}</code>"


def visit_math(self, node) -> None:
    self.body.append(
        f'<span class="math notranslate">{_mathml(node, node.astext(), "inline")}</span>'
    )
    raise nodes.SkipNode


def visit_displaymath(self, node) -> None:
    # each equation of the block (separated by blank lines) on its own line
    parts = [p.strip() for p in node.astext().split("\n\n") if p.strip()]
    html = "".join(
        f'<div class="math notranslate">{_mathml(node, p, "block")}</div>' for p in parts
    )
    self.body.append(self.starttag(node, "div", CLASS="math-block") + html + "</div>")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
