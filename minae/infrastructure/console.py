"""Output that survives any console: the slides' symbols on a Windows code page.

Windows writes a redirected or piped stream in its ANSI code page (cp1252), which cannot
encode R̂, ∇, λ, ρ, ≤ or −: ``print("R̂")`` would raise ``UnicodeEncodeError`` halfway
through a run. Every command-line entry point (``python -m minae``, the lessons, the
data script, the reproductions) calls ``printable_stdout`` first.
"""

from __future__ import annotations

import sys

SYMBOLS = "R̂ ∇ λ ρ σ ‖ ∘ ① ≤ − ×"


def printable_stdout(stream=None) -> None:
    """Switch ``stream`` (standard output by default) to UTF-8 where its encoding cannot
    write the slides' symbols; leave it alone where it can."""
    stream = sys.stdout if stream is None else stream
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        SYMBOLS.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
