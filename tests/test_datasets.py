"""Loaders on the shared MNIST and on tiny IDX files; the fetch script, local only."""

import gzip
from pathlib import Path

import numpy as np
import pytest
from data_helpers import shared_mnist, write_tiny_dataset

from minae.datasets import IdxFormatError, encode_idx, load_fashion_mnist, load_mnist
from minae.datasets.fetch import FetchError, fetch, main, md5sum

# Class counts of MNIST's training and test sets (LeCun et al.), which the rebuilt
# training files in ../shared keep (see their README).
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.mark.parametrize(("split", "counts"), [("train", TRAIN_COUNTS), ("test", TEST_COUNTS)])
def test_shared_mnist_loads_with_the_known_shapes_and_class_counts(split, counts):
    X, y = load_mnist(split, root=shared_mnist())
    assert X.shape == (sum(counts), 784) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y, minlength=10).tolist() == counts
    if split == "train":  # the published statistics of MNIST's training pixels
        assert X.mean() == pytest.approx(0.1307, abs=1e-4)
        assert X.std() == pytest.approx(0.3081, abs=1e-4)


def test_unflattened_images_and_float64(tmp_path):
    write_tiny_dataset(tmp_path / "mnist")
    X, y = load_mnist("test", root=tmp_path, flatten=False, dtype="float64")
    assert X.shape == (5, 28, 28) and X.dtype == np.float64 and y.shape == (5,)


def test_fashion_mnist_reads_its_own_folder(tmp_path):
    write_tiny_dataset(tmp_path / "fashion-mnist", seed=1)
    write_tiny_dataset(tmp_path / "mnist", seed=2)
    X, y = load_fashion_mnist("train", root=tmp_path)
    raw = gzip.decompress((tmp_path / "fashion-mnist" / "train-images-idx3-ubyte.gz").read_bytes())
    np.testing.assert_array_equal(X * 255, np.frombuffer(raw[16:], np.uint8).reshape(12, 784))
    assert X.shape == (12, 784) and y.dtype == np.int64


def test_missing_files_name_the_script_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"fetch_data\.py fashion-mnist"):
        load_fashion_mnist("train", root=tmp_path)


def test_images_and_labels_that_disagree_are_refused(tmp_path):
    write_tiny_dataset(tmp_path)
    labels = encode_idx(np.zeros(4, np.uint8))  # 4 labels for 5 test images
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels))
    with pytest.raises(IdxFormatError, match="5 images but 4 labels"):
        load_mnist("test", root=tmp_path)


def test_a_bad_split_is_refused(tmp_path):
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        load_mnist("validation", root=tmp_path)


# -- installing from a local folder ---------------------------------------------------------


def test_install_from_a_folder_is_idempotent(tmp_path):
    source = write_tiny_dataset(tmp_path / "copies")
    first = fetch(source, tmp_path / "dest", tmp_path / "copies", progress=False)
    assert [r.action.split()[0] for r in first] == ["installed"] * 4
    assert all(r.checksum_matches for r in first)
    second = fetch(source, tmp_path / "dest", tmp_path / "copies", progress=False)
    assert [r.action for r in second] == ["already present"] * 4
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == sorted(source.md5)


def test_a_checksum_mismatch_is_reported_or_refused(tmp_path):
    source = write_tiny_dataset(tmp_path / "copies")
    source.md5["t10k-labels-idx1-ubyte.gz"] = "0" * 32
    reports = fetch(source, tmp_path / "dest", tmp_path / "copies", progress=False)
    assert [r.checksum_matches for r in reports] == [True, True, True, False]
    assert "checksum differs from the published one" in str(reports[3]) and "published 000" in str(
        reports[3]
    )
    with pytest.raises(FetchError, match="--strict"):
        fetch(source, tmp_path / "strict", tmp_path / "copies", strict=True, progress=False)


def test_a_corrupted_file_is_detected_and_nothing_is_left_half_written(tmp_path):
    source = write_tiny_dataset(tmp_path / "copies")
    bad = tmp_path / "copies" / "t10k-images-idx3-ubyte.gz"
    bad.write_bytes(gzip.compress(gzip.decompress(bad.read_bytes())[:-100]))
    with pytest.raises(IdxFormatError, match="truncated"):
        fetch(source, tmp_path / "dest", tmp_path / "copies", progress=False)
    assert sorted(p.name for p in (tmp_path / "dest").iterdir()) == [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
    ]  # the two good files before it, each whole; no temporary file


def test_wrong_counts_are_refused(tmp_path):
    source = write_tiny_dataset(tmp_path / "copies", counts=(("train", 12), ("test", 5)))
    wrong = write_tiny_dataset(tmp_path / "other", counts=(("train", 11), ("test", 5)))
    assert wrong.md5 != source.md5
    with pytest.raises(IdxFormatError, match="11 images, expected 12 for the train split"):
        fetch(source, tmp_path / "dest", tmp_path / "other", progress=False)


def test_the_script_installs_the_shared_mnist(tmp_path, capsys):
    folder = shared_mnist()
    assert main(["mnist", "--from", str(folder), "--dest", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    # The test set is the original download; the training set was rebuilt (see its README).
    assert "t10k-images-idx3-ubyte.gz: installed" in out and "checksum matches" in out
    assert "train-images-idx3-ubyte.gz" in out and "checksum differs from the published one" in out
    assert md5sum(tmp_path / "t10k-labels-idx1-ubyte.gz") == md5sum(
        folder / "t10k-labels-idx1-ubyte.gz"
    )
    assert main(["mnist", "--from", str(folder), "--dest", str(tmp_path / "s"), "--strict"]) == 1


# -- downloading, from a server on this machine only -------------------------------------


def test_download_with_a_passing_checksum_tries_the_next_mirror(tmp_path, local_server):
    served, url = local_server
    source = write_tiny_dataset(served)
    source = type(source)(
        source.name, source.md5, (url + "missing/", url), source.classes, source.counts
    )
    reports = fetch(source, tmp_path / "dest", progress=False)
    assert all(r.action == f"downloaded from {url}" and r.checksum_matches for r in reports)
    assert [r.action for r in fetch(source, tmp_path / "dest", progress=False)] == [
        "already present"
    ] * 4


def test_download_with_a_failing_checksum_leaves_nothing(tmp_path, local_server):
    served, url = local_server
    source = write_tiny_dataset(served)
    md5 = dict(source.md5, **{"train-images-idx3-ubyte.gz": "f" * 32})
    source = type(source)(source.name, md5, (url,), source.classes, source.counts)
    with pytest.raises(FetchError, match=r"checksum [0-9a-f]{32} is not the published f{32}"):
        fetch(source, tmp_path / "dest", progress=False)
    assert not (tmp_path / "dest").exists()  # not even an empty folder


def test_installed_files_get_a_new_files_permissions(tmp_path):
    import os

    source = write_tiny_dataset(tmp_path / "copies")
    fetch(source, tmp_path / "dest", tmp_path / "copies", progress=False)
    (tmp_path / "plain").write_bytes(b"")
    if os.name == "posix":
        expected = (tmp_path / "plain").stat().st_mode & 0o777  # what open() gives here
        for path in (tmp_path / "dest").iterdir():
            assert path.stat().st_mode & 0o777 == expected, path  # not mkstemp's 0600


def test_install_accepts_the_uncompressed_files_the_loader_reads(tmp_path):
    source = write_tiny_dataset(tmp_path / "gz")
    (tmp_path / "raw").mkdir()
    for name in source.md5:
        raw = gzip.decompress((tmp_path / "gz" / name).read_bytes())
        (tmp_path / "raw" / name.removesuffix(".gz")).write_bytes(raw)
    reports = fetch(source, tmp_path / "dest", tmp_path / "raw", progress=False)
    assert [r.action.split()[0] for r in reports] == ["installed"] * 4
    assert all("uncompressed" in r.detail and not r.checksum_matches for r in reports)
    images, labels = load_mnist("train", root=tmp_path / "dest")
    assert images.shape[0] == labels.shape[0] == 12
    with pytest.raises(FetchError, match=r"uncompressed copy.*--strict"):
        fetch(source, tmp_path / "strict", tmp_path / "raw", strict=True, progress=False)


def test_a_missing_from_folder_is_named_and_leaves_no_destination(tmp_path):
    source = write_tiny_dataset(tmp_path / "copies")
    with pytest.raises(FetchError, match=r"the --from folder .*nowhere does not exist"):
        fetch(source, tmp_path / "dest", tmp_path / "nowhere", progress=False)
    assert not (tmp_path / "dest").exists()


def test_the_download_bar_is_labelled_with_the_file_not_the_temporary(
    tmp_path, local_server, capsys, monkeypatch
):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    served, url = local_server
    source = write_tiny_dataset(served)
    source = type(source)(source.name, source.md5, (url,), source.classes, source.counts)
    fetch(source, tmp_path / "dest", progress=True)
    shown = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz:" in shown and ".part" not in shown


def test_a_folder_named_for_another_data_set_is_not_read_as_this_one(tmp_path):
    """MINAE_DATA pointing at .../mnist (as CI sets it) must not make the Fashion-MNIST
    loader read MNIST's files, which have the same names."""
    write_tiny_dataset(tmp_path / "mnist")
    load_mnist("test", root=tmp_path / "mnist")  # its own folder: fine
    with pytest.raises(FileNotFoundError, match="fashion-mnist"):
        load_fashion_mnist("test", root=tmp_path / "mnist")


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {"XDG_CACHE_HOME": "/x/cache"}, lambda home: Path("/x/cache/minae")),
        ("linux", {}, lambda home: home / ".cache" / "minae"),
        ("darwin", {}, lambda home: home / "Library" / "Caches" / "minae"),
        ("win32", {"LOCALAPPDATA": "/c/Local"}, lambda home: Path("/c/Local/minae/Cache")),
        ("win32", {}, lambda home: home / "AppData" / "Local" / "minae" / "Cache"),
    ],
)
def test_the_cache_folder_is_the_systems_own(platform, env, expected, monkeypatch):
    from minae.datasets.sources import user_cache

    for name in ("XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert user_cache(platform) == expected(Path.home())


def test_load_with_download_fetches_what_is_missing_then_reads_it(
    tmp_path, local_server, monkeypatch
):
    from minae.datasets import mnist

    served, url = local_server
    tiny = write_tiny_dataset(served)
    tiny = type(tiny)(tiny.name, tiny.md5, (url,), tiny.classes, tiny.counts)
    monkeypatch.setattr(mnist, "MNIST", tiny)
    monkeypatch.setenv("MINAE_DATA", str(tmp_path / "data"))
    with pytest.raises(FileNotFoundError, match="not found"):
        load_mnist("test")  # no download unless asked
    X, y = load_mnist("test", download=True)
    assert X.shape == (5, 784) and y.shape == (5,)
    assert sorted(p.name for p in (tmp_path / "data" / "tiny").iterdir()) == sorted(tiny.md5)
    X_again, _ = load_mnist("test", download=True)  # present now: read, not fetched again
    np.testing.assert_array_equal(X, X_again)


def test_load_with_download_offline_says_how_to_install_from_a_folder(tmp_path, monkeypatch):
    import socket

    from minae.datasets import mnist

    with socket.socket() as closed:  # a port nobody listens on: what offline looks like
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    tiny = write_tiny_dataset(tmp_path / "nowhere")
    tiny = type(tiny)(
        tiny.name, tiny.md5, (f"http://127.0.0.1:{port}/",), tiny.classes, tiny.counts
    )
    monkeypatch.setattr(mnist, "MNIST", tiny)
    with pytest.raises(FetchError, match=r"(?s)MINAE_DATA.*--from FOLDER.*could not download"):
        load_mnist("train", root=tmp_path / "data", download=True)
    assert not (tmp_path / "data" / "tiny").exists()  # nothing half-made left behind
