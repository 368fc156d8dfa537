"""The two forms of a stub: *derive* (the default), which gives the forward pass, the
shapes, the slide and lesson and what to return, and *guided* (``start --guided``), which
also states each formula, for self-study.

A stub in the package marks its formulas with lines ``<guided>`` and ``</guided>``;
``render`` drops the marked lines for the derive form and only the markers for the
guided one.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r"^[ \t]*<guided>[ \t]*\n(.*?)^[ \t]*</guided>[ \t]*(?:\n|\Z)", re.S | re.M)


def render(text: str, guided: bool = False) -> str:
    """The stub ``text`` as the student receives it."""
    return _BLOCK.sub((lambda m: m.group(1)) if guided else "", text)


def guided_blocks(text: str) -> list[str]:
    """The marked formulas of ``text``, each without its markers, dedented."""
    import textwrap

    return [textwrap.dedent(m.group(1)).strip("\n") for m in _BLOCK.finditer(text)]
