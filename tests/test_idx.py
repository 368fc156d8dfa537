"""The IDX parser on crafted bytes: every malformation gets an error that names it."""

import gzip
import struct

import numpy as np
import pytest

from minae.datasets import IdxFormatError, encode_idx, parse_idx, read_idx


def test_a_good_file_round_trips(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    np.testing.assert_array_equal(parse_idx(encode_idx(images)), images)
    (tmp_path / "x.gz").write_bytes(gzip.compress(encode_idx(images)))
    np.testing.assert_array_equal(read_idx(tmp_path / "x.gz"), images)
    (tmp_path / "x").write_bytes(encode_idx(images))
    np.testing.assert_array_equal(read_idx(tmp_path / "x"), images)


def test_the_header_is_big_endian():
    data = bytes([0, 0, 8, 1]) + struct.pack(">I", 3) + bytes([7, 8, 9])
    np.testing.assert_array_equal(parse_idx(data), [7, 8, 9])


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"\x00\x00", "too short"),
        (b"\x01\x00\x08\x01" + b"\x00" * 8, "bad magic number 0x01000801"),
        (b"\x00\x00\x07\x01" + b"\x00" * 8, "bad magic number"),  # unknown type code
        (b"\x00\x00\x08\x03\x00\x00\x00\x02", "truncated header"),
        (bytes([0, 0, 8, 1]) + struct.pack(">I", 5) + bytes(3), "truncated: header says shape"),
        (bytes([0, 0, 8, 1]) + struct.pack(">I", 2) + bytes(3), "trailing bytes"),
    ],
)
def test_malformed_bytes_are_named(data, match):
    with pytest.raises(IdxFormatError, match=match):
        parse_idx(data)


def test_a_corrupt_gzip_stream_is_named(tmp_path):
    good = gzip.compress(encode_idx(np.zeros((1, 28, 28), np.uint8)))
    (tmp_path / "bad.gz").write_bytes(good[: len(good) // 2])
    with pytest.raises(IdxFormatError, match="corrupt gzip stream"):
        read_idx(tmp_path / "bad.gz")


def test_only_bytes_are_encoded():
    with pytest.raises(TypeError, match="uint8"):
        encode_idx(np.zeros(3, np.float32))
