"""Every lesson runs top to bottom in its --quick mode and saves its figures."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from data_helpers import shared_mnist

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
FIGURES = {
    "01_pca_toy": 3,
    "02_pca_vs_linear_autoencoder": 3,
    "03_nonlinear_circle": 2,
    "04_vanilla_autoencoder": 4,
    "05_overcomplete_autoencoder": 3,
    "06_sparse_autoencoder": 3,
    "07_denoising_autoencoder": 2,
    "08_contractive_autoencoder": 3,
    "09_variational_autoencoder": 6,
}
NEEDS_MNIST = set(FIGURES) - {"01_pca_toy", "03_nonlinear_circle"}


def test_every_lesson_is_listed_here_and_in_the_index():
    found = {p.stem for p in LESSONS.glob("[0-9][0-9]_*.py")}
    assert found == set(FIGURES)
    index = (LESSONS / "README.md").read_text()
    assert all(f"{name}.py" in index for name in found)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_lesson_runs_quick_and_saves_its_figures(name, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    if name in NEEDS_MNIST:
        env["MINAE_DATA"] = str(shared_mnist())
    result = subprocess.run(
        [sys.executable, str(LESSONS / f"{name}.py"), "--quick", "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    figures = sorted(tmp_path.glob("*.png"))
    assert len(figures) == FIGURES[name], figures
    assert all(f.stat().st_size > 5000 for f in figures)
