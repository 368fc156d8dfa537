"""What lessons share (minae.teaching.lesson): quick mode from a flag or the environment, where the
figures go, and output that survives a console without the slides' symbols."""

import io

import pytest

from minae.infrastructure.console import printable_stdout
from minae.teaching import lesson


@pytest.mark.parametrize(
    ("argv", "env", "quick"),
    [
        ([], None, False),
        (["--quick"], None, True),
        ([], "1", True),
        ([], "yes", True),
        ([], "0", False),
        (["-f", "kernel.json"], "1", True),
    ],  # a kernel's own arguments
)
def test_quick_mode_from_the_flag_or_the_environment(argv, env, quick, tmp_path, monkeypatch):
    monkeypatch.delenv("MINAE_QUICK", raising=False)
    if env is not None:
        monkeypatch.setenv("MINAE_QUICK", env)
    result = lesson.setup("00_test", [*argv, "--out", str(tmp_path)])
    assert result.quick is quick
    assert result.progress is not quick


def test_figures_go_to_the_named_folder_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.setenv("MINAE_LESSON_OUT", str(tmp_path / "figs"))
    result = lesson.setup("00_test", [])
    assert result.out == tmp_path / "figs" / "00_test" and result.out.is_dir()


def test_a_quick_figure_says_so_and_is_saved(tmp_path):
    import matplotlib.pyplot as plt

    result = lesson.Lesson("00_test", quick=True, out=tmp_path)
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    assert result.save(fig, "a.png") is None  # a notebook cell ending with it shows no path
    assert (tmp_path / "a.png").stat().st_size > 1000
    assert any("quick run" in t.get_text() for t in fig.texts)


@pytest.mark.parametrize("notebook", [False, True])
def test_a_figure_is_named_by_its_full_path_or_in_a_notebook_from_its_folder(
    notebook, tmp_path, monkeypatch, capsys
):
    import matplotlib.pyplot as plt

    monkeypatch.setattr(lesson, "in_notebook", lambda: notebook)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "lesson-out" / "00_test"
    out.mkdir(parents=True)
    lesson.Lesson("00_test", quick=False, out=out).save(plt.figure(), "a.png")
    # (outside a kernel, the notebook's display of the image prints its repr: not checked)
    shown = capsys.readouterr().out.strip().splitlines()[0]
    # a notebook (the site's pages) shows no path of the machine that ran it
    assert shown == ("figure: lesson-out/00_test/a.png" if notebook else f"figure: {out / 'a.png'}")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"  # not under the folder
    elsewhere.mkdir()
    lesson.Lesson("00_test", quick=False, out=elsewhere).save(plt.figure(), "b.png")
    path = elsewhere / "b.png"
    shown = capsys.readouterr().out.strip().splitlines()[0]
    assert shown == f"figure: {path.as_posix() if notebook else path}"
    plt.close("all")


def test_a_figure_is_described_by_its_titles_and_labels_or_its_file():
    import matplotlib.pyplot as plt
    import numpy as np

    fig, (left, right) = plt.subplots(1, 2)
    fig.suptitle("Jacobian spectrum")
    left.set_xlabel("index")
    left.set_ylabel("singular value")
    right.set_title("filters")
    assert lesson.describe(fig) == "Jacobian spectrum; singular value against index; filters"
    grid, axes = plt.subplots(2, 3)
    for ax in axes.ravel():
        ax.imshow(np.zeros((2, 2)))
    assert lesson.describe(grid, "2_grid_of_codes.png") == "grid of codes: 6 images"
    plt.close("all")


def test_compare_says_exact_close_and_the_largest_difference(capsys, monkeypatch):
    import numpy as np

    monkeypatch.delenv("MINAE_STRICT_COMPARE")  # as a student runs it: it prints, and returns

    a = np.array([1.0, 2.0, 3.0])
    assert lesson.compare("same", a, a.copy())
    assert "exact: True  | close: True  | largest difference: 0.0e+00" in capsys.readouterr().out
    assert lesson.compare("rounding", a, a + 1e-12)
    assert "exact: False | close: True  | largest difference: 1.0e-12" in capsys.readouterr().out
    assert not lesson.compare("wrong", a, a * 2)
    assert "close: False | largest difference: 3.0e+00" in capsys.readouterr().out
    assert not lesson.compare("shapes", a, a[:2])
    assert "shapes differ" in capsys.readouterr().out


def test_output_on_a_cp1252_console_is_switched_to_utf8():
    # Windows's redirected output: the slides' symbols would raise UnicodeEncodeError
    stream = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    with pytest.raises(UnicodeEncodeError):
        print("∇_Z R̂", file=stream)
    stream = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    printable_stdout(stream)
    print("∇_Z R̂ = … + λ ∇_Z S(Z)", file=stream)
    stream.flush()
    assert stream.buffer.getvalue().decode("utf-8").startswith("∇_Z R̂")
