"""The main job and the data script run end to end."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import minae
import minae.__main__
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
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and "--from" in result.stdout


def test_one_version_number_and_a_typed_package():
    from importlib import metadata
    from pathlib import Path

    import minae

    assert metadata.version("minae") == minae.__version__
    assert (Path(minae.__file__).parent / "py.typed").exists()


def test_first_contact_messages(tmp_path, monkeypatch, capsys):
    import pytest

    monkeypatch.setenv("MINAE_DATA", str(tmp_path / "nothing here"))
    with pytest.raises(SystemExit) as exit_:  # asked for MNIST, which is absent: no traceback
        main(["--data", "mnist"])
    assert "python -m minae: mnist file" in str(exit_.value.code)
    assert "fetch_data.py mnist" in str(exit_.value.code)  # the command, not cut off
    for bad in (["--epochs", "0"], ["--code", "0"], ["--epochs", "two"]):
        with pytest.raises(SystemExit) as exit_:
            main(bad)
        assert exit_.value.code == 2  # argparse's usage error, naming the option
    errors = capsys.readouterr().err
    assert "--epochs: 0 is not a positive number" in errors and "n_out" not in errors
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "(default: 5)" in shown and "``" not in shown and "--quiet" in shown


def test_auto_data_says_what_it_falls_back_to(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MINAE_DATA", str(tmp_path / "nothing here"))
    main(["--epochs", "1", "--code", "4", "--quiet", "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert "Fetch it with:\n    python data_scripts/fetch_data.py mnist" in out
    assert "Using procedural shapes instead." in out
    assert "training" not in err  # --quiet: no progress bar


def test_an_out_that_is_a_file_is_refused_before_training(tmp_path, capsys, monkeypatch):
    taken = tmp_path / "model.npz"
    taken.write_bytes(b"someone's file")
    monkeypatch.setattr(minae.__main__, "train", lambda *a, **k: pytest.fail("trained first"))
    with pytest.raises(SystemExit) as stop:
        main(["--data", "shapes", "--out", str(taken)])
    assert stop.value.code == 2
    assert "is a file" in capsys.readouterr().err
    assert taken.read_bytes() == b"someone's file"
