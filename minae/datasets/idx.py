"""The IDX file format of MNIST and Fashion-MNIST: parse and write, with every field checked.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of
dimensions), one big-endian uint32 per dimension, then the data in C order. MNIST's
images are type 0x08 (unsigned byte) with dimensions (count, 28, 28); its labels are
type 0x08 with dimension (count,).
"""

from __future__ import annotations

import gzip
import struct

import numpy

from ..infrastructure.validation import check_path

_TYPES: dict[int, numpy.dtype] = {
    0x08: numpy.dtype(numpy.uint8),
    0x09: numpy.dtype(numpy.int8),
    0x0B: numpy.dtype(">i2"),
    0x0C: numpy.dtype(">i4"),
    0x0D: numpy.dtype(">f4"),
    0x0E: numpy.dtype(">f8"),
}


class IdxFormatError(ValueError):
    """The bytes are not a well-formed IDX file.

    The IDX format of LeCun et al. (1998)'s MNIST release; the message names the fault
    (magic number, type code, dimensions, size).
    """


def parse_idx(data: bytes, name: str = "IDX data") -> numpy.ndarray:
    """The array stored in IDX bytes ``data``; raises ``IdxFormatError`` naming the fault.

    The format of MNIST's files (LeCun et al. 1998): a magic number giving the type and
    the number of dimensions, each dimension's size, then the values, big-endian.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str
        What to call it in an error message.

    Returns
    -------
    numpy.ndarray
        Of the stored shape, e.g. (60000, 28, 28) images or (60000,) labels.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be the file's bytes, got {type(data).__name__}")
    if len(data) < 4:
        raise IdxFormatError(f"{name}: {len(data)} bytes is too short for an IDX header")
    zero, type_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or type_code not in _TYPES or ndim == 0:
        raise IdxFormatError(f"{name}: bad magic number 0x{data[:4].hex()} (not an IDX file)")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IdxFormatError(f"{name}: truncated header ({len(data)} of {header} bytes)")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = _TYPES[type_code]
    expected = header + int(numpy.prod(shape, dtype=numpy.int64)) * dtype.itemsize
    if len(data) != expected:
        kind = "truncated" if len(data) < expected else "has trailing bytes"
        raise IdxFormatError(
            f"{name}: file {kind}: header says shape {shape} ({expected} bytes), "
            f"found {len(data)} bytes"
        )
    return numpy.frombuffer(data, dtype=dtype, offset=header).reshape(shape)


def read_idx(path) -> numpy.ndarray:
    """Parse an IDX file, gzip-compressed (``.gz``) or not (MNIST's format, LeCun et al.
    1998).

    Parameters
    ----------
    path : str or path
        The file.

    Returns
    -------
    numpy.ndarray
        Of the stored shape, e.g. (10000, 28, 28).
    """
    path = check_path(path, "path")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # the gzip magic number
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise IdxFormatError(f"{path.name}: corrupt gzip stream ({err})") from err
    return parse_idx(raw, path.name)


def encode_idx(array: numpy.ndarray) -> bytes:
    """IDX bytes for an unsigned-byte array (as MNIST stores images and labels; LeCun et
    al. 1998). The tests write small MNIST-shaped files with it.

    Parameters
    ----------
    array : numpy.ndarray of uint8
        Any shape, e.g. (n, 28, 28).

    Returns
    -------
    bytes
        What ``parse_idx`` reads back as ``array``.
    """
    array = numpy.asarray(array)
    if array.dtype != numpy.uint8:
        raise TypeError(f"encode_idx writes uint8 arrays, got {array.dtype}")
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + numpy.ascontiguousarray(array).tobytes()
