"""CIFAR-10's loader and fetch path on small files the tests write; photo patches."""

import dataclasses
import io
import tarfile

import numpy as np
import pytest

from minae.datasets import (
    CIFAR10,
    CifarFormatError,
    image_patches,
    load_cifar10,
    read_photo,
    read_photos,
)
from minae.datasets.fetch import FetchError, main, md5sum
from minae.datasets.fetch_cifar10 import fetch_cifar10

# CIFAR-10 with 4 records a file instead of 10,000: the same format, small enough to write
TINY = dataclasses.replace(CIFAR10, records_per_file=4)


def tiny_records(seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=4, dtype=np.uint8)
    images = rng.integers(0, 256, size=(4, 3, 32, 32), dtype=np.uint8)
    records = np.concatenate([labels[:, None], images.reshape(4, -1)], axis=1)
    return records.tobytes(), images, labels


def write_bin_files(folder):
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for seed, name in enumerate(TINY.all_files()):
        raw, images, labels = tiny_records(seed)
        (folder / name).write_bytes(raw)
        written[name] = (images, labels)
    return written


def write_archive(path, members=None):
    with tarfile.open(path, "w:gz") as tar:
        for seed, name in enumerate(members or TINY.all_files()):
            raw = tiny_records(seed)[0]
            info = tarfile.TarInfo(f"cifar-10-batches-bin/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
        extra = tarfile.TarInfo("../outside.txt")  # a path pointing out: never extracted
        extra.size = 3
        tar.addfile(extra, io.BytesIO(b"bad"))


def test_loader_reads_the_record_layout(tmp_path):
    written = write_bin_files(tmp_path / "cifar10")
    X, y = load_cifar10("train", root=tmp_path, source=TINY)
    assert X.shape == (20, 3, 32, 32) and X.dtype == np.float32 and y.dtype == np.int64
    first_images, first_labels = written["data_batch_1.bin"]
    np.testing.assert_array_equal(y[:4], first_labels)
    np.testing.assert_allclose(X[:4], first_images / 255, rtol=1e-6)  # planes R, G, B
    X_test, y_test = load_cifar10("test", root=tmp_path / "cifar10", source=TINY, dtype="float64")
    assert X_test.shape == (4, 3, 32, 32) and X_test.dtype == np.float64
    np.testing.assert_array_equal(y_test, written["test_batch.bin"][1])


def test_loader_errors_name_the_problem(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"fetch_data\.py cifar10"):
        load_cifar10("test", root=tmp_path, source=TINY)
    folder = tmp_path / "cifar10"
    write_bin_files(folder)
    raw = (folder / "test_batch.bin").read_bytes()
    (folder / "test_batch.bin").write_bytes(raw[:-100])  # truncated
    with pytest.raises(CifarFormatError, match="damaged or truncated"):
        load_cifar10("test", root=tmp_path, source=TINY)
    bad = bytearray(raw)
    bad[0] = 12  # a label outside 0-9
    (folder / "test_batch.bin").write_bytes(bytes(bad))
    with pytest.raises(CifarFormatError, match="label of 12"):
        load_cifar10("test", root=tmp_path, source=TINY)
    with pytest.raises(ValueError, match="split"):
        load_cifar10("valid", root=tmp_path, source=TINY)


def test_fetch_from_an_archive_extracts_only_the_bin_files(tmp_path):
    archive = tmp_path / "from" / "cifar-10-binary.tar.gz"
    archive.parent.mkdir()
    write_archive(archive)
    dest = tmp_path / "data" / "cifar10"
    source = dataclasses.replace(TINY, md5=md5sum(archive))
    reports = fetch_cifar10(dest, archive.parent, source=source, progress=False)
    assert sorted(p.name for p in dest.iterdir()) == sorted(TINY.all_files())
    assert not (tmp_path / "data" / "outside.txt").exists()
    assert all(r.checksum_matches for r in reports)
    assert "valid: 4 images of 3x32x32" in str(reports[0])
    X, _ = load_cifar10("train", root=tmp_path / "data", source=TINY)
    assert X.shape == (20, 3, 32, 32)
    # an archive whose checksum differs is reported, and refused with strict
    reports = fetch_cifar10(dest, archive.parent, source=TINY, progress=False)
    assert not reports[0].checksum_matches and "checksum differs from the published one" in str(
        reports[0]
    )
    with pytest.raises(FetchError, match="--strict"):
        fetch_cifar10(dest, archive.parent, source=TINY, strict=True, progress=False)


def test_load_with_download_fetches_the_archive_then_reads_it(tmp_path, local_server):
    served, url = local_server
    write_archive(served / "cifar-10-binary.tar.gz")
    archive = served / "cifar-10-binary.tar.gz"
    source = dataclasses.replace(TINY, md5=md5sum(archive), url=url + archive.name)
    with pytest.raises(FileNotFoundError, match="download=True"):
        load_cifar10("test", root=tmp_path / "data", source=source)  # no download unless asked
    X, y = load_cifar10("test", root=tmp_path / "data", source=source, download=True)
    assert X.shape == (4, 3, 32, 32) and y.shape == (4,)
    assert sorted(p.name for p in (tmp_path / "data" / "cifar10").iterdir()) == sorted(
        TINY.all_files()
    )  # the six .bin files, no archive or .part left behind
    archive.unlink()  # present now: read, not fetched again
    X_again, _ = load_cifar10("test", root=tmp_path / "data", source=source, download=True)
    np.testing.assert_array_equal(X, X_again)


def test_load_with_download_and_a_wrong_checksum_installs_nothing(tmp_path, local_server):
    served, url = local_server
    write_archive(served / "cifar-10-binary.tar.gz")
    source = dataclasses.replace(TINY, md5="0" * 32, url=url + "cifar-10-binary.tar.gz")
    with pytest.raises(FetchError, match=r"(?s)--from FOLDER.*is not the published 0{32}"):
        load_cifar10("train", root=tmp_path / "data", source=source, download=True)
    assert not (tmp_path / "data" / "cifar10").exists()


def test_load_with_download_offline_says_how_to_install_from_a_folder(tmp_path):
    import socket

    with socket.socket() as closed:  # a port nobody listens on: what offline looks like
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    source = dataclasses.replace(TINY, url=f"http://127.0.0.1:{port}/cifar-10-binary.tar.gz")
    with pytest.raises(FetchError, match=r"(?s)cifar10 --from FOLDER.*could not download"):
        load_cifar10("train", root=tmp_path / "data", source=source, download=True)
    assert not (tmp_path / "data" / "cifar10").exists()


def test_fetch_from_an_archive_missing_a_file_leaves_no_folder(tmp_path):
    archive = tmp_path / "cifar-10-binary.tar.gz"
    write_archive(archive, members=TINY.all_files()[:3])
    dest = tmp_path / "data"
    with pytest.raises(FetchError, match="holds no file cifar-10-batches-bin/data_batch_4"):
        fetch_cifar10(dest, tmp_path, source=TINY, progress=False)
    # the three files before it were whole; nothing half-written is left
    assert all(not p.name.endswith(".part") for p in dest.iterdir())


@pytest.mark.parametrize("keep", [0.3, 0.7])
def test_a_truncated_archive_is_named_and_leaves_only_whole_files(tmp_path, capsys, keep):
    archive = tmp_path / "from" / "cifar-10-binary.tar.gz"
    archive.parent.mkdir()
    write_archive(archive)
    whole = archive.read_bytes()
    archive.write_bytes(whole[: int(len(whole) * keep)])  # a download cut short
    dest = tmp_path / "data"
    with pytest.raises(FetchError, match="truncated or damaged"):
        fetch_cifar10(dest, archive.parent, source=TINY, progress=False)
    if dest.exists():
        assert all(not p.name.endswith(".part") for p in dest.iterdir())
    assert (
        main(["cifar10", "--from", str(archive.parent), "--dest", str(tmp_path / "d"), "--quiet"])
        == 1
    )
    assert "truncated or damaged" in capsys.readouterr().err


def test_fetch_from_extracted_bin_files(tmp_path):
    write_bin_files(tmp_path / "copies" / "cifar-10-batches-bin")
    dest = tmp_path / "data"
    reports = fetch_cifar10(dest, tmp_path / "copies", source=TINY, progress=False)
    assert len(reports) == 6 and all(r.checksum_matches is None for r in reports)
    assert "no published checksum" in str(reports[0])
    (tmp_path / "copies" / "cifar-10-batches-bin" / "test_batch.bin").write_bytes(b"x" * 10)
    with pytest.raises(CifarFormatError, match=r"test_batch\.bin"):
        fetch_cifar10(tmp_path / "other", tmp_path / "copies", source=TINY, progress=False)
    assert not (tmp_path / "other" / "test_batch.bin").exists()


def test_fetch_command_line_names_a_missing_folder(tmp_path, capsys):
    assert main(["cifar10", "--from", str(tmp_path / "nowhere"), "--quiet"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["cifar10", "--from", str(tmp_path), "--dest", str(tmp_path / "d")]) == 1
    assert "neither cifar-10-binary.tar.gz nor the .bin files" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()


def write_png(path, rgb):
    from matplotlib.image import imsave

    imsave(path, rgb)


def test_read_photo_gives_three_channels_in_the_unit_interval(tmp_path):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, size=(10, 12, 3), dtype=np.uint8)
    write_png(tmp_path / "a.png", rgb)
    photo = read_photo(tmp_path / "a.png")
    assert photo.shape == (3, 10, 12) and photo.dtype == np.float32
    np.testing.assert_allclose(photo, rgb.transpose(2, 0, 1) / 255, atol=1e-6)
    from PIL import Image

    Image.fromarray(rgb[:, :, 0]).save(tmp_path / "gray.jpg")
    gray = read_photo(tmp_path / "gray.jpg")
    assert gray.shape == (3, 10, 12) and np.array_equal(gray[0], gray[2])
    (tmp_path / "broken.png").write_bytes(b"not an image")
    with pytest.raises(ValueError, match=r"broken\.png"):
        read_photo(tmp_path / "broken.png")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no PNG or JPEG"):
        read_photos(tmp_path / "empty")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_photos(tmp_path / "nowhere")


def test_patches_from_held_out_regions_never_overlap_training_patches():
    rng = np.random.default_rng(1)
    # each pixel holds (100 · photo + column) / 1000: a patch shows where it came from
    widths, cuts = (40, 64), (30, 48)  # the right quarter of each photo is held out
    photos = [
        np.broadcast_to((100 * i + np.arange(w)) / 1000, (3, 30, w)).copy()
        for i, w in enumerate(widths)
    ]
    train = image_patches(photos, 8, 300, rng=rng, split="train")
    test = image_patches(photos, 8, 300, rng=rng, split="test")
    assert train.shape == (300, 3, 8, 8) and train.dtype == np.float32
    for patches, held_out in ((train, False), (test, True)):
        codes = np.round(patches[:, 0, 0, :] * 1000).astype(int)  # (count, 8)
        photo, column = codes // 100, codes % 100
        assert set(np.unique(photo)) == {0, 1}  # both photos give patches
        for i, cut in enumerate(cuts):
            inside = column[photo == i]
            assert (inside >= cut).all() if held_out else (inside < cut).all()


def test_patches_are_repeatable_skip_flat_ones_and_hold_out_whole_photos():
    rng = np.random.default_rng(2)
    photos = [rng.random((3, 20, 20)).astype(np.float32), np.zeros((3, 20, 20), np.float32)]
    a = image_patches(photos, 5, 50, rng=3, min_std=0.01)
    b = image_patches(photos, 5, 50, rng=3, min_std=0.01)
    np.testing.assert_array_equal(a, b)
    assert (a.reshape(50, -1).std(axis=1) >= 0.01).all()  # no patch of the black photo
    held = image_patches(photos, 5, 10, rng=4, split="test", holdout="photo", test_fraction=0.5)
    assert (held == 0).all()  # the last photo is the test one
    with pytest.raises(ValueError, match="lower it"):
        image_patches(photos[1:], 5, 3, rng=0, min_std=0.01)
    with pytest.raises(ValueError, match="holds a 30×30 patch"):
        image_patches(photos, 30, 3, rng=0)
    with pytest.raises(ValueError, match=r"\(3, H, W\)"):
        image_patches([np.zeros((20, 20, 3))], 5, 3, rng=0)


def test_the_shared_photos_give_held_out_patches_by_default_folder(monkeypatch):
    from data_helpers import shared_photos

    monkeypatch.setenv("MINAE_PHOTOS", str(shared_photos()))
    photos = read_photos()  # the default folder: MINAE_PHOTOS
    assert len(photos) == 7 and all(p.shape[0] == 3 for p in photos.values())
    test = image_patches(photos, 32, 20, rng=0, split="test", min_std=0.02)
    assert test.shape == (20, 3, 32, 32) and 0 <= test.min() and test.max() <= 1
