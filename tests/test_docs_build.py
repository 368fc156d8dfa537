"""The lesson pages (docs/lesson_pages.py): each is the lesson's current text with its
recorded default run's outputs, code cell by code cell; a lesson without a recording, or
whose code cells no longer pair with the recording's, stops the build."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext", reason="the lesson pages need the dev or docs extra")
nbformat = pytest.importorskip("nbformat", reason="the lesson pages need the dev or docs extra")

ROOT = Path(__file__).resolve().parents[1]
LESSON = """# %% [markdown]
# # A lesson
# One markdown cell.

# %%
print("the first cell: 1.25")

# %% [markdown]
# Between the cells.

# %%
print("the second cell: 2.5")
"""


def _lesson_pages():
    spec = importlib.util.spec_from_file_location("lesson_pages", ROOT / "docs" / "lesson_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _recording(printed: list[str]):
    cells = [
        nbformat.v4.new_code_cell(
            "...", outputs=[nbformat.v4.new_output("stream", name="stdout", text=text)]
        )
        for text in printed
    ]
    return nbformat.v4.new_notebook(cells=cells)


def _lessons(tmp_path: Path, text: str, printed: list[str] | None) -> Path:
    lessons = tmp_path / "lessons"
    (lessons / "recorded").mkdir(parents=True)
    (lessons / "01_a_lesson.py").write_text(text, encoding="utf-8")
    if printed is not None:
        nbformat.write(_recording(printed), lessons / "recorded" / "01_a_lesson.ipynb")
    return lessons


def test_a_page_is_the_current_text_with_the_recorded_outputs(tmp_path):
    pages = _lesson_pages()
    edited = LESSON.replace("Between the cells.", "Between the cells, reworded.")
    lessons = _lessons(tmp_path, edited, ["the first cell: 1.25\n", "the second cell: 2.5\n"])
    assert pages.write(lessons, tmp_path / "out") == ["01_a_lesson"]
    page = nbformat.read(tmp_path / "out" / "01_a_lesson.ipynb", as_version=4)
    code = [c for c in page.cells if c.cell_type == "code"]
    assert [c.outputs[0]["text"] for c in code] == [
        "the first cell: 1.25\n",
        "the second cell: 2.5\n",
    ]
    text = "".join(c.source for c in page.cells if c.cell_type == "markdown")
    assert "Between the cells, reworded." in text  # a text change needs no new recording
    download = nbformat.read(tmp_path / "out" / "downloads" / "01_a_lesson.ipynb", as_version=4)
    assert not any(c.get("outputs") for c in download.cells)  # the student runs it afresh


def test_a_lesson_whose_cells_no_longer_pair_with_its_recording_stops_the_build(tmp_path):
    pages = _lesson_pages()
    lessons = _lessons(
        tmp_path,
        LESSON + '\n# %%\nprint("a third cell")\n',
        ["the first cell: 1.25\n", "the second cell: 2.5\n"],
    )
    with pytest.raises(pages.StaleRecording, match=r"record_runs\.py 01"):
        pages.write(lessons, tmp_path / "out")


def test_a_lesson_without_a_recording_stops_the_build(tmp_path):
    pages = _lesson_pages()
    with pytest.raises(pages.StaleRecording, match="no recorded run"):
        pages.write(_lessons(tmp_path, LESSON, None), tmp_path / "out")


def test_every_lesson_has_a_recording_that_pairs_with_its_code_and_shows_no_quick_run():
    for script in sorted((ROOT / "lessons").glob("[0-9][0-9]_*.py")):
        recording = ROOT / "lessons" / "recorded" / f"{script.stem}.ipynb"
        assert recording.is_file(), f"python lessons/record_runs.py {script.name[:2]}"
        recorded = nbformat.read(recording, as_version=4)
        code = [c for c in jupytext.read(script).cells if c.cell_type == "code"]
        assert len(code) == len(recorded.cells), script.name
        assert "default run" in recorded.metadata["minae"]["run"]
        printed = "".join(o.get("text", "") for c in recorded.cells for o in c.outputs)
        assert "quick run" not in printed


def _api_pages():
    spec = importlib.util.spec_from_file_location("api_pages", ROOT / "docs" / "api_pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_lesson_page_names_what_the_lesson_uses_and_the_slide_index_links_it():
    pages, api = _lesson_pages(), _api_pages()
    names = api.qualified_names()
    assert names["VAE"] == "minae.models.VAE" and names["datasets.line"] == "minae.datasets.line"
    source = (
        "import minae\nfrom minae.datasets import load_mnist, line\n"
        "model = minae.VAE(minae.mlp([2, 3], rng=0), ...)\n"
        "minae.models.iwae_bound(w)\nminae.nothing_of_that_name\n"
    )
    assert pages.used_names(source, names) == [
        "minae.datasets.load_mnist",
        "minae.datasets.line",
        "minae.models.VAE",
        "minae.layers.mlp",
        "minae.models.iwae_bound",
    ]
    row = "| 000 | z = wᵀx | `01_pca_toy.py`, 1 | `PCA.transform`, `train(corrupt=...)`, `nope` |"
    linked = api.linked_index(row, names)
    assert "{py:obj}`PCA.transform <minae.pca.PCA.transform>`" in linked
    assert "{py:obj}`train(corrupt=...) <minae.training.train>`" in linked
    assert "`01_pca_toy.py`" in linked and "`nope`" in linked  # not code minae documents


def test_launch_buttons_come_from_one_repository_url_and_are_absent_without_it(tmp_path):
    pages = _lesson_pages()
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "minae"\n', encoding="utf-8")
    assert pages.repository_url(pyproject) is None
    lessons = _lessons(tmp_path, LESSON, ["the first cell: 1.25\n", "the second cell: 2.5\n"])
    pages.write(lessons, tmp_path / "plain", repository=None)
    plain = (tmp_path / "plain" / "01_a_lesson.ipynb").read_text(encoding="utf-8")
    assert "colab" not in plain.lower() and "binder" not in plain.lower()

    pyproject.write_text(
        '[project]\nname = "minae"\n\n[project.urls]\n'
        'Repository = "https://github.com/someone/minae.git"\n\n[tool.x]\nRepository = "no"\n',
        encoding="utf-8",
    )
    url = pages.repository_url(pyproject)
    assert url == "https://github.com/someone/minae"
    pages.write(lessons, tmp_path / "launch", repository=url)
    page = nbformat.read(tmp_path / "launch" / "01_a_lesson.ipynb", as_version=4)
    links = page.cells[1].source
    assert (
        "https://colab.research.google.com/github/someone/minae/blob/main/"
        "lessons/recorded/01_a_lesson.ipynb"
    ) in links
    assert "https://mybinder.org/v2/gh/someone/minae/main?labpath=lessons/01_a_lesson.py" in links
    assert (
        (ROOT / "binder" / "requirements.txt")
        .read_text(encoding="utf-8")
        .strip()
        .endswith(".[lessons]")
    )

    pyproject.write_text('[project.urls]\nRepository = "https://gitlab.com/a/b"\n', "utf-8")
    with pytest.raises(ValueError, match="GitHub"):
        pages.repository_url(pyproject)
