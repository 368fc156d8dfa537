"""Every lesson runs top to bottom in quick mode, as a script and as a notebook, and saves
(and in a notebook, shows) its figures."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from data_helpers import shared_mnist, shared_photos

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
# the stand-in device's runner (tests/strict_device.py): minae's arrays refuse every
# implicit trip to the host, as CuPy's do
STAND_IN = Path(__file__).resolve().parent / "run_on_stand_in.py"
FIGURES = {
    "01_pca_toy": 3,
    "02_pca_vs_linear_autoencoder": 3,
    "03_nonlinear_circle": 2,
    "04_vanilla_autoencoder": 5,
    "05_overcomplete_autoencoder": 3,
    "06_sparse_autoencoder": 3,
    "07_denoising_autoencoder": 2,
    "08_contractive_autoencoder": 3,
    "09_variational_autoencoder": 8,
    "10_convolutional_autoencoder": 4,
    "11_super_resolution": 2,
    "12_colourisation": 2,
    "13_anomaly_detection": 3,
    "14_designing_an_autoencoder": 2,
}
NEEDS_MNIST = set(FIGURES) - {"01_pca_toy", "03_nonlinear_circle", "12_colourisation"}
NEEDS_PHOTOS = {"11_super_resolution", "12_colourisation"}


def lesson_environment(name):
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("MINAE_QUICK", None)
    if name in NEEDS_MNIST:
        env["MINAE_DATA"] = str(shared_mnist())
    if name in NEEDS_PHOTOS:
        env["MINAE_PHOTOS"] = str(shared_photos())
    return env


def test_every_lesson_is_listed_here_and_in_the_index():
    found = {p.stem for p in LESSONS.glob("[0-9][0-9]_*.py")}
    assert found == set(FIGURES)
    index = (LESSONS / "README.md").read_text(encoding="utf-8")
    assert all(f"{name}.py" in index for name in found)


def recorder():
    """lessons/record_runs.py, which records the runs and compares them."""
    spec = importlib.util.spec_from_file_location("record_runs", LESSONS / "record_runs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_lesson_runs_quick_on_the_stand_in_device_prints_its_record_and_saves_its_figures(
    name, tmp_path
):
    # The quick run, as record_runs.py records it (one BLAS thread), on the stand-in device
    # (tests/strict_device.py), which refuses every implicit trip to the host as CuPy does:
    # what `MINAE_BACKEND=cupy` needs of a lesson (minae.to_host before NumPy-only code and
    # matplotlib, minae.to_device for numbers made on the host). The stand-in computes with
    # NumPy underneath, so what the lesson prints must be its record, every number, lengths
    # of time aside. A change that moves a lesson's numbers moves these too, and then its
    # default recording (the page, the transcript its text is checked against) is stale as
    # well: record it again. (The notebook test below runs each lesson on NumPy itself.)
    record = recorder()
    script = LESSONS / f"{name}.py"
    printed = record.run_quick(script, tmp_path, lesson_environment(name), runner=STAND_IN)
    figures = sorted(tmp_path.glob("*.png"))
    assert len(figures) == FIGURES[name], figures
    assert all(f.stat().st_size > 5000 for f in figures)
    recorded = (record.QUICK_TRANSCRIPTS / f"{name}.txt").read_text(encoding="utf-8")
    same, diff = record.same_printing(recorded, record.quick_header(script) + printed)
    assert same, (
        f"{name} no longer prints what its recorded run printed: record it again with "
        f"`python lessons/record_runs.py {name[:2]}` (and update its text)\n{diff}"
    )


def test_the_recording_check_refuses_a_change_of_arithmetic_and_not_of_a_comment(tmp_path):
    record = recorder()
    original = LESSONS / "01_pca_toy.py"
    source = original.read_text(encoding="utf-8")
    recorded = (record.QUICK_TRANSCRIPTS / "01_pca_toy.txt").read_text(encoding="utf-8")

    def prints_as_recorded(text: str) -> bool:
        script = tmp_path / "01_pca_toy.py"
        script.write_text(text, encoding="utf-8")
        printed = record.run_quick(script, tmp_path / "out", lesson_environment("01_pca_toy"))
        return record.same_printing(recorded, record.quick_header(script) + printed)[0]

    assert "lr=" in source
    commented = source.replace("# %%", "# %%\n# a comment a maintainer added", 3)
    assert prints_as_recorded(commented)
    changed = re.sub(r"lr=([\d.e-]+)", lambda m: f"lr=1.01 * {m.group(1)}", source, count=1)
    assert changed != source
    assert not prints_as_recorded(changed)


def test_the_comparison_masks_lengths_of_time_and_nothing_else():
    record = recorder()
    header = "# x.py, quick run: 1 BLAS thread, openblas Haswell, NumPy 2.4.6\n"
    a = header + "error 50.94 after 2 epochs (1 s, 0.7 s per epoch), 2 min 4 s in all\n"
    assert record.same_printing(a, a.replace("0.7 s", "0.5 s").replace("4 s", "9 s"))[0]
    assert not record.same_printing(a, a.replace("50.94", "50.95"))[0]
    assert not record.same_printing(a, a.replace("2 epochs", "3 epochs"))[0]
    # another BLAS kernel sums in another order: the words are compared, not the digits
    other = a.replace("Haswell", "SkylakeX")
    assert record.same_printing(a, other.replace("50.94", "50.95"))[0]
    assert not record.same_printing(a, other.replace("error", "loss"))[0]


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_lesson_runs_as_a_notebook_and_shows_its_figures_inline(name, tmp_path, monkeypatch):
    # The lesson as a student opens it: converted by jupytext, executed by a Jupyter kernel
    # (nbclient) in a folder that is not lessons/, quick mode from MINAE_QUICK.
    jupytext = pytest.importorskip("jupytext", reason="notebook tests need the dev extra")
    nbclient = pytest.importorskip("nbclient", reason="notebook tests need the dev extra")
    for key, value in lesson_environment(name).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MPLBACKEND")  # the kernel's own inline backend
    monkeypatch.setenv("MINAE_QUICK", "1")
    monkeypatch.setenv("MINAE_LESSON_OUT", str(tmp_path / "figures"))
    notebook = jupytext.read(LESSONS / f"{name}.py")
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    images = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert len(images) == FIGURES[name]  # every figure shown inline, once
    assert len(list((tmp_path / "figures" / name).glob("*.png"))) == FIGURES[name]


def test_a_lesson_without_its_data_and_offline_says_how_to_install_it(tmp_path):
    # No MNIST in MINAE_DATA: the lesson downloads it, and offline (the suite's proxies
    # lead nowhere, see conftest.py) it ends with what to do instead, not a traceback.
    env = dict(os.environ, MPLBACKEND="Agg", MINAE_DATA=str(tmp_path / "empty"))
    result = subprocess.run(
        [
            sys.executable,
            str(LESSONS / "02_pca_vs_linear_autoencoder.py"),
            "--quick",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "could not download" in result.stderr
    assert "python -m minae.datasets.fetch mnist --from FOLDER" in result.stderr
    assert not (tmp_path / "empty" / "mnist").exists()  # nothing half-made left behind


def run_on_stand_in(script: Path, out: Path, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(STAND_IN), str(script), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        env=env or dict(os.environ, MPLBACKEND="Agg", TQDM_DISABLE="1"),
    )


def test_the_stand_in_runner_catches_a_lesson_that_plots_a_device_array(tmp_path):
    careless = tmp_path / "careless.py"
    careless.write_text(
        "import numpy as np\nimport minae\nX = minae.to_device(np.ones((2, 2)))\n"
        "print(np.asarray(X).sum())\n",
        encoding="utf-8",
    )
    result = run_on_stand_in(careless, tmp_path)
    assert result.returncode != 0
    assert "Implicit conversion to a NumPy array is not allowed" in result.stderr
