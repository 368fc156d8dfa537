"""Save and load: a round trip, mismatches named, and nothing half-written."""

import numpy as np
import pytest

import minae
from minae import MSE, Autoencoder, load, mlp, save


def model(seed, code=3):
    rng = np.random.default_rng(seed)
    return Autoencoder(
        mlp([5, code], activation="sigmoid", rng=rng),
        mlp([code, 5], activation="sigmoid", rng=rng),
        MSE(),
    )


def test_round_trip(tmp_path):
    source, target = model(0), model(1)
    path = save(source, tmp_path / "ae.npz")
    load(target, path)
    X = np.random.default_rng(2).uniform(size=(4, 5)).astype(np.float32)
    np.testing.assert_array_equal(source.forward(X), target.forward(X))
    assert [f.name for f in tmp_path.iterdir()] == ["ae.npz"]  # no temporary left behind


def test_a_mismatched_model_is_named_and_left_unchanged(tmp_path):
    save(model(0), tmp_path / "ae.npz")
    other = model(1, code=4)
    before = [p.value.copy() for p in other.parameters()]
    with pytest.raises(
        ValueError, match=r"wrong shape: encoder\.0\.W: file \(5, 3\), model \(5, 4\)"
    ):
        load(other, tmp_path / "ae.npz")
    for a, p in zip(before, other.parameters(), strict=True):
        np.testing.assert_array_equal(a, p.value)


def test_missing_and_unexpected_names_are_listed(tmp_path):
    np.savez(tmp_path / "bad.npz", **{"encoder.0.W": np.zeros((5, 3)), "stray": np.zeros(1)})
    with pytest.raises(ValueError, match=r"missing \['decoder.0.W'.*unexpected \['stray'\]"):
        load(model(0), tmp_path / "bad.npz")


def test_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = save(model(0), tmp_path / "ae.npz")
    old = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(minae.infrastructure.serialization.numpy, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        save(model(1), path)
    assert path.read_bytes() == old
    assert [f.name for f in tmp_path.iterdir()] == ["ae.npz"]


def test_pickled_objects_are_refused(tmp_path):
    np.savez(tmp_path / "evil.npz", **{"encoder.0.W": np.array([object()], dtype=object)})
    with pytest.raises(ValueError, match="allow_pickle"):
        load(model(0), tmp_path / "evil.npz")


def test_a_truncated_archive_is_named_as_damaged(tmp_path):
    path = save(model(0), tmp_path / "ae.npz")
    data = path.read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(minae.DamagedFileError, match=r"cut\.npz is damaged"):
        load(model(0), tmp_path / "cut.npz")


def test_a_corrupted_archive_is_named_as_damaged(tmp_path):
    path = save(model(0), tmp_path / "ae.npz")
    data = bytearray(path.read_bytes())
    data[40:200] = bytes(160)  # zero out part of the first member's header and data
    (tmp_path / "bad.npz").write_bytes(bytes(data))
    with pytest.raises(minae.DamagedFileError, match=r"bad\.npz is damaged"):
        load(model(0), tmp_path / "bad.npz")


@pytest.mark.parametrize(
    "content", [b"encoder.0.W,1,2,3\n", b"", b"\x93NUMPY garbage"], ids=["text", "empty", "npy"]
)
def test_a_file_that_is_not_an_archive_is_named_as_damaged(tmp_path, content):
    (tmp_path / "notes.npz").write_bytes(content)
    with pytest.raises(minae.DamagedFileError, match=r"notes\.npz is damaged") as info:
        load(model(0), tmp_path / "notes.npz")
    assert "pickle" not in str(info.value)


def test_a_single_array_file_is_refused(tmp_path):
    np.save(tmp_path / "one.npy", np.zeros(3))
    with pytest.raises(minae.DamagedFileError, match=r"one array, not an \.npz archive"):
        load(model(0), tmp_path / "one.npy")


def test_save_syncs_before_renaming_and_writes_the_usual_permissions(tmp_path, monkeypatch):
    import os

    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(
        os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1]
    )
    path = save(model(0), tmp_path / "ae.npz")
    assert events == ["fsync", "replace"]
    np.savez(tmp_path / "numpy.npz", a=np.zeros(1))
    if os.name == "posix":  # Windows has no permission bits to compare
        assert path.stat().st_mode & 0o777 == (tmp_path / "numpy.npz").stat().st_mode & 0o777


def test_a_file_held_open_for_a_moment_is_replaced_once_let_go(tmp_path, monkeypatch):
    """Windows refuses a rename over a file another program holds; the save waits."""
    import os

    from minae.infrastructure import files

    path = save(model(0), tmp_path / "ae.npz")
    real_replace, refusals = os.replace, []

    def held_twice(source, target):
        if len(refusals) < 2:
            refusals.append(target)
            raise PermissionError(13, "The process cannot access the file", str(target))
        real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", held_twice)
    monkeypatch.setattr(files.time, "sleep", lambda seconds: None)
    save(model(1), path)
    assert len(refusals) == 2
    loaded = model(2)
    load(loaded, path)
    np.testing.assert_array_equal(loaded.parameters()[0].value, model(1).parameters()[0].value)
    assert [f.name for f in tmp_path.iterdir()] == ["ae.npz"]


def test_a_file_held_for_good_fails_and_leaves_the_old_one(tmp_path, monkeypatch):

    from minae.infrastructure import files

    path = save(model(0), tmp_path / "ae.npz")
    old = path.read_bytes()

    def held(source, target):
        raise PermissionError(13, "The process cannot access the file", str(target))

    monkeypatch.setattr(files.os, "replace", held)
    monkeypatch.setattr(files.time, "sleep", lambda seconds: None)
    with pytest.raises(PermissionError):
        save(model(1), path)
    assert path.read_bytes() == old
    assert [f.name for f in tmp_path.iterdir()] == ["ae.npz"]
