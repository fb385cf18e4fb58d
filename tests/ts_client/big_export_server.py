"""The server, with one test double: a downloaded export arrives as a sparse 4 GiB MP4.

Sending 4 GiB over loopback and writing it out would take minutes and the disk; this keeps the
rest real. The simulator's real render is downloaded as usual, then stretched in place: its
``ftyp``/``moov`` stay byte for byte, the ``free`` box before ``mdat`` becomes the 64-bit size
field of an ``mdat`` that now runs to ``BIG_EXPORT_BYTES`` (a hole: nothing is written). The
sample offsets in the moov still point at the real frames, so the file plays. What follows the
download (the bounded box walk, the probe in its child, the contact sheet, publishing, the
store, the tool's answer, the resource) runs unchanged on the 4 GiB file.

Run as ``python big_export_server.py [server args]`` with ``BIG_EXPORT_BYTES`` set.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ai_video_music.cli import main
from ai_video_music.client import NemoClient


def top_level_boxes(head: bytes) -> list[tuple[int, bytes, int]]:
    """(offset, type, size) of each top-level box of a small MP4 read whole."""
    boxes = []
    at = 0
    while at + 8 <= len(head):
        size, kind = struct.unpack(">I4s", head[at : at + 8])
        if size == 1:
            size = struct.unpack(">Q", head[at + 8 : at + 16])[0]
        elif size == 0:
            size = len(head) - at
        boxes.append((at, kind, size))
        at += size
    return boxes


def stretch(path: Path, total: int) -> None:
    """Make the MP4 at ``path`` ``total`` bytes long by growing its last box, ``mdat``, sparsely."""
    boxes = top_level_boxes(path.read_bytes())
    kinds = [kind for _, kind, _ in boxes]
    if kinds[-2:] != [b"free", b"mdat"] or boxes[-2][2] != 8:
        raise ValueError(f"expected ... free(8) mdat at the end, got {kinds}")
    at = boxes[-2][0]  # the free box's 8 bytes + mdat's 8 = a 16-byte largesize header
    with path.open("r+b") as fh:
        fh.seek(at)
        fh.write(struct.pack(">I4sQ", 1, b"mdat", total - at))
    os.truncate(path, total)


def stretched(write: Callable[..., Any], total: int) -> Callable[..., Any]:
    async def _write(self: NemoClient, response: Any, dest: Path, cap: int, on_bytes: Any) -> int:
        await write(self, response, dest, cap, on_bytes)
        stretch(dest, total)
        return total

    return _write


if __name__ == "__main__":
    NemoClient._write = stretched(NemoClient._write, int(os.environ["BIG_EXPORT_BYTES"]))  # type: ignore[method-assign]
    sys.exit(main(sys.argv[1:]))
