"""An export's facts read at its link with bounded range requests (hosted mode keeps no file)."""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import BinaryIO, cast

import httpx
import pytest

from ai_video_music.linkcheck import MAX_REQUESTS, LinkUnreadableError, RangeReader, read_facts
from ai_video_music.media import NotAVideoError, probe_video


class Storage:
    """A storage host in memory that answers byte ranges (as S3 does) and counts what it sent."""

    def __init__(self, data: bytes, *, ranges: bool = True) -> None:
        self.data = data
        self.ranges = ranges
        self.requests = 0
        self.sent = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        asked = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("range", ""))
        if not self.ranges or asked is None:
            self.sent += len(self.data)
            return httpx.Response(200, content=self.data)
        start, end = int(asked.group(1)), min(int(asked.group(2)), len(self.data) - 1)
        body = self.data[start : end + 1]
        self.sent += len(body)
        return httpx.Response(
            206, content=body, headers={"Content-Range": f"bytes {start}-{end}/{len(self.data)}"}
        )


def _facts_at(storage: Storage):  # type: ignore[no-untyped-def]
    with httpx.Client(transport=httpx.MockTransport(storage)) as http:
        reader = RangeReader(http, "https://storage.example/v.mp4")
        return read_facts(cast(BinaryIO, reader), reader.size)


def _moov_last(data: bytes) -> bytes:
    """The same boxes with the movie header moved to the end (as many encoders write it)."""
    boxes, pos = [], 0
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        boxes.append(data[pos : pos + length])
        pos += length
    moov = [b for b in boxes if b[4:8] == b"moov"]
    return b"".join([b for b in boxes if b[4:8] != b"moov"] + moov)


def test_the_facts_read_at_a_link_are_the_files_own(sample_mp4: Path) -> None:
    local = probe_video(sample_mp4)
    facts = _facts_at(Storage(sample_mp4.read_bytes()))
    assert (facts.width, facts.height, facts.size_bytes) == (local.width, local.height, local.size_bytes)
    assert facts.duration_s is not None and local.duration_s is not None
    assert abs(facts.duration_s - local.duration_s) < 0.1


def test_a_video_is_checked_without_fetching_it_whole(sample_mp4: Path) -> None:
    # A video far larger than the bytes read: the box headers and the movie header only.
    data = sample_mp4.read_bytes()
    padded = data + struct.pack(">I4s", 8 + 5_000_000, b"free") + bytes(5_000_000)
    storage = Storage(_moov_last(padded))
    facts = _facts_at(storage)
    assert facts.size_bytes == len(padded)
    assert storage.requests <= 6 and storage.sent < len(padded) / 10


def test_a_storage_that_ignores_ranges_is_not_downloaded(sample_mp4: Path) -> None:
    storage = Storage(sample_mp4.read_bytes(), ranges=False)
    with pytest.raises(LinkUnreadableError):
        _facts_at(storage)
    assert storage.requests == 1


def test_an_error_page_at_the_link_is_not_a_video() -> None:
    with pytest.raises(NotAVideoError):
        _facts_at(Storage(b"<html><body>AccessDenied</body></html>" * 10))


def test_a_file_of_countless_boxes_costs_a_bounded_number_of_requests() -> None:
    # Each 70 KB box sends the walk to another block: the request cap ends it.
    head = struct.pack(">I4s4s", 16, b"ftyp", b"isom") + bytes(4)
    boxes = b"".join(struct.pack(">I4s", 70_000, b"free") + bytes(70_000 - 8) for _ in range(60))
    storage = Storage(head + boxes)
    with pytest.raises(LinkUnreadableError):
        _facts_at(storage)
    assert storage.requests <= MAX_REQUESTS + 1


def test_a_size_of_thousands_of_digits_is_an_unreadable_link_not_a_crash() -> None:
    """Round 14 F1: int() of a 5,000-digit Content-Range size raised ValueError, which nothing
    mapped: the hosted export job crashed instead of saying the link can't be read."""

    def storage(request: httpx.Request) -> httpx.Response:
        return httpx.Response(206, content=b"\0" * 16, headers={"Content-Range": "bytes 0-15/" + "9" * 5000})

    with httpx.Client(transport=httpx.MockTransport(storage)) as http, pytest.raises(LinkUnreadableError):
        RangeReader(http, "https://storage.example/v.mp4")


def test_a_compressed_range_is_an_unreadable_link() -> None:
    """Round 15 F2: a storage that gzips a byte range (layered, 231 bytes) had httpx inflate it
    whole (1 GB); we ask for identity, and a compressed range is no range of the file."""
    import gzip

    packed = gzip.compress(bytes(4096))

    def storage(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Range": "bytes 0-4095/4096", "Content-Encoding": "gzip"}
        return httpx.Response(206, content=packed, headers=headers)

    with httpx.Client(transport=httpx.MockTransport(storage)) as http, pytest.raises(LinkUnreadableError):
        RangeReader(http, "https://storage.example/v.mp4")
