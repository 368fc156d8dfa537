"""The tree is the architecture, and the README's layout table (the site's layout page
includes it) is drawn from the tree: one row per package, its docstring's summary and its
files. The import rules keep the machinery apart from what the slides show."""

import ast
import re
from pathlib import Path

from test_import_graph import import_graph

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "minae"
# the groups of the README's layout, in its order; nothing in "The machinery" is on a slide
GROUPS = {
    "What the slides show": [
        "layers",
        "losses",
        "penalties",
        "models",
        "optim",
        "training",
        "pca",
        "plain",
    ],
    "Data and applications": ["datasets", "images", "metrics"],
    "Teaching": ["teaching", "exercises"],
    "The machinery": ["fast", "infrastructure"],
}


def packages() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())


def summary(package: str) -> str:
    """The first paragraph of the package's docstring, on one line, in Markdown's code marks."""
    tree = ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8"))
    first = (ast.get_docstring(tree) or "").split("\n\n")[0]
    return " ".join(first.split()).replace("``", "`")


def files(package: str) -> str:
    folder = PACKAGE / package
    names = [f.name for f in sorted(folder.glob("*.py")) if f.name != "__init__.py"]
    names += [f"{d.name}/" for d in sorted(folder.iterdir()) if (d / "__init__.py").is_file()]
    return ", ".join(f"`{n}`" for n in names)


def row(package: str) -> str:
    return f"| `minae/{package}/` | {summary(package)} | {files(package)} |"


def readme_layout() -> dict[str, list[str]]:
    """The README's layout: each group's heading and its table's package rows."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    groups: dict[str, list[str]] = {}
    for part in re.split(r"^### ", section, flags=re.M)[1:]:
        heading, _, body = part.partition("\n")
        groups[heading.strip()] = [
            line for line in body.splitlines() if line.startswith("| `minae/")
        ]
    return groups


def test_the_package_root_holds_only_packages():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py"], loose
    assert sorted(name for names in GROUPS.values() for name in names) == packages()


def test_the_readme_layout_is_drawn_from_the_tree():
    layout = readme_layout()
    assert list(layout) == [*GROUPS, "Around the package"], list(layout)
    for heading, names in GROUPS.items():
        expected = [row(name) for name in names]
        assert layout[heading] == expected, (
            f"the README's '{heading}' table is out of step with the tree; it should read\n"
            + "\n".join(expected)
        )


def test_the_machinery_stands_apart_from_the_slides():
    """infrastructure imports nothing else of minae; a speed device imports only the
    machinery (and ``Parameter``, the value-and-gradient pair it packs); a plain version
    imports only the machinery, so it reads on its own."""
    graph = import_graph()

    def outside(module: str, allowed: tuple[str, ...]) -> set[str]:
        return {m for m in graph[module] if not m.startswith(allowed)}

    for module in graph:
        if module.startswith("minae.infrastructure"):
            assert not outside(module, ("minae.infrastructure",)), module
        elif module.startswith("minae.fast"):
            allowed = ("minae.fast", "minae.infrastructure", "minae.layers.parameter")
            assert not outside(module, allowed), (module, outside(module, allowed))
        elif module.startswith("minae.plain"):
            assert not outside(module, ("minae.plain", "minae.infrastructure")), module
    assert any(m.startswith("minae.fast") for m in graph["minae.layers.conv2d"])
