"""Gzip bombs for the size tests: a small gzip body that inflates to any size, built in
milliseconds. Compressing every megabyte anew cost ~0.8 s of CPU per 256 MB bomb; here one
megabyte is compressed once behind a full flush (which resets the compressor, so its bytes are
the same wherever they stand) and repeated, and the trailer's CRC is computed over the data."""

from __future__ import annotations

import struct
import zlib

_BLOCK = 1 << 20
# ID1 ID2, deflate, no flags, no time, maximum compression, unknown OS (RFC 1952).
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"


def gzip_bomb_body(inflated: int, prefix: bytes = b"", fill: bytes = b"a") -> bytes:
    """A valid gzip member of ``prefix`` followed by ``fill`` bytes, ``inflated`` bytes in all."""
    block = fill * (_BLOCK // len(fill))
    full, rest = divmod(max(0, inflated - len(prefix)), len(block))
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate: the framing is ours
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    body = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.compress(block[:rest]) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(full):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(block[:rest], crc)
    size = len(prefix) + full * len(block) + rest
    return _GZIP_HEADER + head + body * full + tail + struct.pack("<II", crc, size & 0xFFFFFFFF)
