"""Whether a student's function is the student's own work: it must not import, call or
re-export minae's implementation of the piece it is graded on.

Two looks, since each misses what the other sees:

- ``imported``: the function itself is one of minae's (``linear_backward =
  minae...``), or its file imports minae and the function's body names what was
  imported (read from the file's syntax tree, so it holds for code never run);
- ``calls_from``: while the check runs, every call from a frame of the student's
  folder into a module of minae (a profile hook), so a helper of the student's that
  calls minae, or an ``importlib.import_module("minae")``, is seen as well.

Calling NumPy is fine. minae's own modules other than ``minae.exercises`` (the stubs'
home) and ``minae.infrastructure.backend`` (which array module is in use) count as its
implementation;
the last task, which plugs the student's pieces into minae, is exempt
(``Task.may_use_minae``).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import sys
from collections.abc import Iterator
from pathlib import Path

_MINAE = Path(__file__).resolve().parents[1]
_ALLOWED = (_MINAE / "exercises", _MINAE / "backend.py")


@functools.lru_cache(maxsize=4096)
def _minae_module(filename: str) -> str | None:
    """The dotted name of minae's module in ``filename``, or None for anything else."""
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):
        return None
    if _MINAE not in path.parents or any(path == a or a in path.parents for a in _ALLOWED):
        return None
    parts = path.relative_to(_MINAE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, name: str, function) -> list[str]:
    """What of minae's the function ``name`` in the student's file ``path`` takes by
    import, or is: e.g. ``["imports minae.layers.Linear (line 3)"]``; [] when nothing."""
    found = []
    module = getattr(function, "__module__", "") or ""
    if module == "minae" or (
        module.startswith("minae.") and not module.startswith("minae.exercises")
    ):
        found.append(f"{name} is minae's own {module}.{getattr(function, '__qualname__', name)}")
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return found
    bound: dict[str, tuple[str, int]] = {}  # a name the file binds to minae -> (what, line)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "minae" or alias.name.startswith("minae."):
                    local = alias.asname or alias.name.split(".")[0]
                    bound[local] = (alias.name, node.lineno)
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and (node.module == "minae" or node.module.startswith("minae."))
        ):
            if node.module.startswith("minae.exercises"):
                continue
            for alias in node.names:
                bound[alias.asname or alias.name] = (f"{node.module}.{alias.name}", node.lineno)
    # the definition that is in force: the one the function's code starts at, else the last
    line = getattr(getattr(function, "__code__", None), "co_firstlineno", None)
    defined = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name]
    definition = next(
        (n for n in defined if n.lineno == line or any(d.lineno == line for d in n.decorator_list)),
        defined[-1] if defined else None,
    )
    if definition is None:
        return found
    for node in ast.walk(definition):
        if isinstance(node, ast.Name) and node.id in bound:
            what, line = bound[node.id]
            found.append(f"imports {what} (line {line}) and uses it (line {node.lineno})")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            if any(
                n == "minae" or (n.startswith("minae.") and not n.startswith("minae.exercises"))
                for n in names
            ):
                found.append(f"imports {', '.join(names)} (line {node.lineno})")
    return list(dict.fromkeys(found))


def _qualified_name(frame) -> str:
    """``Linear.backward``: the code's qualified name (Python 3.11+), or its class from
    ``self`` and its name (3.10)."""
    code = frame.f_code
    if hasattr(code, "co_qualname"):
        return code.co_qualname
    owner = frame.f_locals.get("self")
    return f"{type(owner).__qualname__}.{code.co_name}" if owner is not None else code.co_name


@contextlib.contextmanager
def calls_from(folder: Path) -> Iterator[list[str]]:
    """Record, while the block runs, each call that a frame in ``folder``'s files makes
    into minae's modules, as ``"calls minae.layers.linear.Linear.backward"``."""
    folder = Path(folder).resolve()
    inside = str(folder).rstrip(os.sep) + os.sep
    called: list[str] = []
    seen_files: dict[str, bool] = {}

    def students(filename: str) -> bool:
        if filename not in seen_files:
            try:
                seen_files[filename] = str(Path(filename).resolve()).startswith(inside)
            except (OSError, ValueError):
                seen_files[filename] = False
        return seen_files[filename]

    def profile(frame, event, arg):
        if event != "call":
            return
        caller = frame.f_back
        if caller is None or not students(caller.f_code.co_filename):
            return
        module = _minae_module(frame.f_code.co_filename)
        if module is not None:
            what = f"calls {module}.{_qualified_name(frame)}"
            if what not in called:
                called.append(what)

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield called
    finally:
        sys.setprofile(previous)
