"""The API reference's index, written from each package's ``__all__``: every public name
is listed (an autosummary table per package, a page per object), and nothing is listed
that the package does not export."""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
from pathlib import Path

# (package, title, what it holds), in the order a reader meets them
PACKAGES = (
    ("minae.models", "Models", "autoencoders, their loss terms and backward"),
    ("minae.layers", "Layers", "each forward beside its hand-written backward"),
    ("minae.losses", "Losses", "reconstruction losses L(X̂, X) and their gradients"),
    ("minae.penalties", "Penalties", "S(Z) on the code and Ω(θ) on the parameters"),
    ("minae.optim", "Optimizers and schedules", "SGD, Adam and AdamW, each its equations"),
    ("minae.training", "Training", "the loop, validation, checkpoints"),
    ("minae.pca", "PCA", "principal component analysis in closed form"),
    (
        "minae.datasets",
        "Data",
        "MNIST, Fashion-MNIST, CIFAR-10, photos, synthetic sets, corruptions",
    ),
    ("minae.images", "Images", "resizing and colour spaces"),
    ("minae.metrics", "Metrics", "PSNR, ROC and AUROC"),
    (
        "minae.teaching.gradcheck",
        "Gradient checks",
        "central differences and the one-call checkers",
    ),
    ("minae.exercises", "Exercises", "grading students' pieces"),
    ("minae.infrastructure.backend", "Backend", "NumPy or CuPy, the default dtype"),
    ("minae.fast", "Speed devices", "one flat buffer for the optimizers, and its threads"),
)
BACKEND = (
    "array_module",
    "default_dtype",
    "get_backend",
    "get_default_dtype",
    "set_backend",
    "set_default_dtype",
    "to_device",
    "to_host",
)


def public_names(package: str) -> list[str]:
    module = importlib.import_module(package)
    if package == "minae.infrastructure.backend":
        return list(BACKEND)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            n
            for n, obj in vars(module).items()
            if not n.startswith("_")
            and (inspect.isfunction(obj) or inspect.isclass(obj))
            and obj.__module__ == package
        ]
    objects = {n: getattr(module, n) for n in names}
    return [n for n, obj in objects.items() if inspect.isclass(obj) or inspect.isfunction(obj)]


def qualified_names() -> dict[str, str]:
    """Each public name, short ("mlp") and with its package ("layers.mlp"), mapped to the
    qualified name its reference page documents ("minae.layers.mlp")."""
    names: dict[str, str] = {}
    for package, _, _ in PACKAGES:
        for name in public_names(package):
            names.setdefault(name, f"{package}.{name}")
            names[f"{package.rpartition('.')[2]}.{name}"] = f"{package}.{name}"
    return names


def linked_index(text: str, names: dict[str, str]) -> str:
    """``text`` (the slide index) with every code name that the API reference documents
    (`mlp`, `PCA.transform`, `datasets.line`, `train(corrupt=...)`) as a link to its page."""

    def link(match: re.Match) -> str:
        code = match.group(1)
        bare = code.split("(")[0].strip()
        parts = bare.split(".")
        for length in (2, 1):  # "datasets.line", then "PCA" of "PCA.transform"
            key = ".".join(parts[:length])
            if len(parts) >= length and key in names:
                target = ".".join([names[key], *parts[length:]])
                return f"{{py:obj}}`{code} <{target}>`"
        return match.group(0)

    return re.sub(r"`([A-Za-z_][\w.]*(?:\([^`]*\))?)`", link, text)


def write(out: Path) -> None:
    """Write ``out/index.md``; autosummary writes ``out/generated/`` afresh from it."""
    shutil.rmtree(out / "generated", ignore_errors=True)  # no page for a name gone since
    out.mkdir(parents=True, exist_ok=True)
    parts = [
        "# API reference\n",
        "Every public name of minae, by package. Each page holds the docstring: the "
        "equation in the slides' notation, the shapes, and the slide or paper it "
        "implements. The plain versions the fast code is tested against are in "
        "`minae.plain` ({doc}`plain`).\n",
    ]
    for package, title, what in PACKAGES:
        names = "\n".join(f"   {package}.{n}" for n in public_names(package))
        table = f".. autosummary::\n   :toctree: generated\n   :nosignatures:\n\n{names}\n"
        parts.append(
            f"## {title}\n\n{what.capitalize()} (`{package}`).\n\n```{{eval-rst}}\n{table}```\n"
        )
    parts.append("```{toctree}\n:hidden:\n\nplain\n```\n")
    text = "\n".join(parts)
    index = out / "index.md"
    if not index.exists() or index.read_text(encoding="utf-8") != text:
        index.write_text(text, encoding="utf-8")


def exercise_table() -> str:
    """The exercises' tasks as a Markdown table: file, task, slide, lesson, points, and
    how each is judged (central differences, and minae's answer where it has one)."""
    from minae.exercises.difference_tasks import TASKS as DIFFERENCE
    from minae.exercises.tasks import POINTS, TASKS

    alone = {t.name for t in DIFFERENCE}
    rows = [
        "| file | task | slide | lesson | points | judged by |",
        "| --- | --- | --- | --- | ---: | --- |",
    ]
    for task in TASKS:
        judged = (
            "central differences alone"
            if task.name in alone
            else "minae's pieces, trained side by side"
            if task.may_use_minae
            else "central differences and minae's answer"
        )
        rows.append(
            f"| `{task.file}.py` | `{task.name}` | {task.slide} | {task.lesson} | "
            f"{POINTS[task.name]} | {judged} |"
        )
    return "\n".join(rows) + "\n"
