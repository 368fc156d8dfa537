"""What the API reference promises of every name it lists: a docstring of its own that
names each parameter in a Parameters section, states the shapes of the arrays it takes or
gives, and cites the slide, paper or lesson it implements; and every public method of a
listed class documented (its own docstring or the one it overrides)."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# the slides (cited "slides 002": ../shared/seeds), a lesson, or an author-year citation
CITATION = re.compile(
    r"(?i:slides)\s+00\d|(?i:lessons?)\s+\d\d"
    r"|[A-Z][A-Za-z-]+(?:\s+et\s+al\.|\s+&\s+[A-Z][A-Za-z-]+)?,?\s+\(?(?:19|20)\d\d\b"
)
SHAPE = re.compile(r"shape|\((?:B|N|C|H|n|L|K|P|M|Q|3)\w*,[ )]")  # shape, (B, ...), (n,)
# numpydoc: "name : type" (or "name"), the description indented below it
NAME_AND_TYPE = re.compile(r"\*{0,2}\w+(, \*{0,2}\w+)*( : .{1,60}(?<!\.))?")
SECTION = re.compile(r"^(\w[\w ]*)\n-{3,}\n", re.M)

# names that take and give no arrays, so there is no shape to state
NO_ARRAYS = {
    "minae.optim.Constant": "a learning rate per step: numbers, not arrays",
    "minae.optim.Cosine": "a learning rate per step",
    "minae.optim.Schedule": "a learning rate per step",
    "minae.optim.StepDecay": "a learning rate per step",
    "minae.optim.WarmUp": "a learning rate per step",
    "minae.training.NonFiniteLossError": "an exception",
    "minae.training.Progress": "prints the loss",
    "minae.training.Checkpointing": "writes files",
    "minae.training.EveryEpoch": "calls a function",
    "minae.training.Callback": "hooks with numbers, not arrays",
    "minae.training.BestEpoch": "keeps a copy of the parameters",
    "minae.datasets.CifarFormatError": "an exception",
    "minae.datasets.IdxFormatError": "an exception",
    "minae.datasets.DataSource": "a download's address and checksums",
    "minae.datasets.CifarSource": "a download's address and checksums",
    "minae.datasets.data_root": "a folder",
    "minae.datasets.photos_dir": "a folder",
    "minae.exercises.Task": "a task's name, file and checks",
    "minae.exercises.Result": "a task's outcome",
    "minae.exercises.grade": "files in, files out",
    "minae.exercises.gradescope": "a results.json",
    "minae.exercises.report": "text",
    "minae.infrastructure.backend.get_backend": "a name",
    "minae.infrastructure.backend.set_backend": "a name",
    "minae.infrastructure.backend.get_default_dtype": "a dtype",
    "minae.infrastructure.backend.set_default_dtype": "a dtype",
    "minae.infrastructure.backend.default_dtype": "a dtype",
    "minae.infrastructure.backend.array_module": "a module",
    "minae.plain.convolution.pooled_size": "sizes: ints",
}


def _listed():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import api_pages
    finally:
        sys.path.remove(str(ROOT / "docs"))
    for package, *_ in api_pages.PACKAGES:
        module = importlib.import_module(package)
        for name in api_pages.public_names(package):
            yield f"{package}.{name}", getattr(module, name)
    # the plain versions' page (docs/api/reference.md) lists whole modules
    page = (ROOT / "docs" / "api" / "plain.md").read_text(encoding="utf-8")
    for package in re.findall(r"automodule:: ([\w.]+)", page):
        module = importlib.import_module(package)
        for name, obj in vars(module).items():
            if (
                not name.startswith("_")
                and (inspect.isfunction(obj) or inspect.isclass(obj))
                and obj.__module__ == package
            ):
                yield f"{package}.{name}", obj


LISTED = dict(_listed())


def _parameters(obj) -> list[str]:
    """The names a caller passes: a class's are its constructor's."""
    if inspect.isclass(obj) and issubclass(obj, BaseException) and "__init__" not in vars(obj):
        return []
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in signature.parameters.values()
        if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _section(doc: str, title: str) -> str | None:
    """The text of a numpydoc section, up to the next section, or None."""
    heads = list(SECTION.finditer(doc))
    for i, head in enumerate(heads):
        if head.group(1).strip() == title:
            end = heads[i + 1].start() if i + 1 < len(heads) else len(doc)
            return doc[head.end() : end]
    return None


def test_the_reference_lists_over_a_hundred_names():
    assert len(LISTED) > 100


@pytest.mark.parametrize("name", sorted(LISTED))
def test_each_listed_name_documents_its_parameters_shapes_and_source(name):
    obj = LISTED[name]
    doc = obj.__doc__ or ""  # its own, not inherited
    assert doc.strip(), f"{name} has no docstring of its own"
    doc = inspect.cleandoc(doc)
    problems = []
    parameters = _parameters(obj)
    if parameters:  # a record's fields are its Attributes
        title = "Attributes" if dataclasses.is_dataclass(obj) else "Parameters"
        section = _section(doc, title)
        if section is None:
            problems.append(f"no {title} section")
        else:
            problems += [
                f"parameter {p!r} not described"
                for p in parameters
                if not re.search(rf"(^|[\s,]){re.escape(p)}\b", section)
            ]
            problems += [
                f"{line!r} is not 'name : type' with the description below it"
                for line in section.splitlines()
                if line[:1].strip() and not NAME_AND_TYPE.fullmatch(line)
            ]
    if name not in NO_ARRAYS and not SHAPE.search(doc):
        problems.append("no shapes stated")
    if not CITATION.search(doc):
        problems.append("no slide (slides 00N), lesson or paper cited")
    assert not problems, f"{name}: " + "; ".join(problems)


def test_names_said_to_take_no_arrays_are_listed():
    assert set(NO_ARRAYS) <= set(LISTED), set(NO_ARRAYS) - set(LISTED)


@pytest.mark.parametrize("name", sorted(n for n, o in LISTED.items() if inspect.isclass(o)))
def test_each_public_method_of_a_listed_class_is_documented(name):
    cls = LISTED[name]
    undocumented = []
    for member, value in vars(cls).items():
        if member.startswith("_"):
            continue
        if isinstance(value, property | staticmethod | classmethod) or inspect.isfunction(value):
            if not inspect.getdoc(getattr(cls, member)):  # its own, or the one it overrides
                undocumented.append(member)
    assert not undocumented, f"{name}: {undocumented} undocumented"
