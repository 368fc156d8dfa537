"""The main job and the data script run end to end."""

import subprocess
import sys
from pathlib import Path

import numpy as np

import minae
from minae.__main__ import main

ROOT = Path(__file__).resolve().parent.parent


def test_main_trains_and_saves_a_model_that_loads(tmp_path, capsys):
    assert main(["--data", "shapes", "--epochs", "1", "--code", "8", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "test squared error per image" in out
    assert (tmp_path / "reconstructions.png").stat().st_size > 1000
    rng = np.random.default_rng(0)
    widths = [784, 256, 64, 8]
    model = minae.Autoencoder(
        minae.mlp(widths, activation="relu", rng=rng),
        minae.mlp(widths[::-1], activation="relu", output_activation="sigmoid", rng=rng),
        minae.MSE(),
    )
    minae.load(model, tmp_path / "autoencoder.npz")


def test_the_data_script_runs_from_a_clone(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "data_scripts" / "fetch_data.py"), "--help"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0 and "--from" in result.stdout


def test_one_version_number_and_a_typed_package():
    from importlib import metadata
    from pathlib import Path

    import minae

    assert metadata.version("minae") == minae.__version__
    assert (Path(minae.__file__).parent / "py.typed").exists()
