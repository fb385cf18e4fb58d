"""An export's facts read where it lies: the MP4's boxes fetched with bounded HTTP range requests.

In hosted mode the server keeps no videos: an export is answered with the render's link, and the
length, frame and size it states are the file's own, read from its movie header (``moov``) over
the network. The box tree is checked by the same bounded walk a downloaded file gets
(:func:`videocheck.walk_boxes`), through a file-like reader whose reads are range requests; at
most ``MAX_REQUESTS`` requests and ``MAX_FETCH`` bytes per video, whatever the file says.
Only the movie header's two fixed-layout boxes are decoded here (``mvhd``: the length; a video
track's ``tkhd``: the frame), so no parser of unbounded appetite sees remote bytes.

Every hop is checked by the one link rule (:mod:`links`) before a request is made, and the
connection goes to an address its name resolved to that the rule allows (:mod:`pinning`); redirects
are followed by hand, each checked; no credentials are ever sent (pre-signed links refuse them).
"""

from __future__ import annotations

import re
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, cast
from urllib.parse import urljoin

import anyio
import httpx

from .client import NemoClient, check_media_url
from .errors import BadResponseError
from .media import NotAVideoError, VideoFacts
from .pinning import PinError, PinFailure, Pinned
from .tls import shared_context
from .videocheck import check_frame, walk_boxes

BLOCK = 64 * 1024  # one read's smallest range: a few requests reach every box header of an export
MAX_FETCH = 8 * 1024 * 1024  # bytes fetched per video, headers and movie header together
MAX_MOOV = 4 * 1024 * 1024  # a movie header larger than this is not an export of ours
MAX_REQUESTS = 32
MAX_REDIRECTS = 3
TIMEOUT_S = 20.0  # the whole check
MIN_WAIT_S = 0.05  # the shortest wait a request is given when the deadline is near
_IDENTITY = {"Accept-Encoding": "identity"}  # byte ranges of the file itself, never of a compression
_RANGE = re.compile(
    r"^bytes (\d{1,19})-(\d{1,19})/(\d{1,19})$"
)  # no size has more digits (int() of 5000 raises)


class LinkUnreadableError(NotAVideoError):
    """The link can't be read in bounded pieces (no range support, a refusal, too much asked)."""


class LinkTooSlowError(LinkUnreadableError):
    """The storage did not send the boxes before the check's deadline (a drip, a stall)."""


def _wait_left(deadline: float | None) -> httpx.Timeout:
    """The time a request may still take: what is left of the check's deadline.

    httpx's timeout is per read, so a storage dripping a byte a second never trips it; the
    reads stop at the deadline instead (the caller has answered by then, and a thread left
    reading would hold a connection for days)."""
    if deadline is None:
        return httpx.Timeout(TIMEOUT_S)
    left = deadline - time.monotonic()
    if left <= 0:
        raise LinkTooSlowError("the storage sent the video's boxes too slowly")
    return httpx.Timeout(max(MIN_WAIT_S, left))


@dataclass
class _Budget:
    requests: int = 0
    fetched: int = 0

    def spend(self, n: int) -> None:
        self.requests += 1
        self.fetched += n
        if self.requests > MAX_REQUESTS or self.fetched > MAX_FETCH:
            raise LinkUnreadableError("reading the video's boxes would take more than its bound")


class RangeReader:
    """A read-only file over HTTP: ``seek`` is free, ``read`` fetches what isn't cached, in
    ranges of at least ``BLOCK`` bytes. The size comes from the first answer's Content-Range."""

    def __init__(
        self, http: httpx.Client, url: str, pinned: Pinned | None = None, deadline: float | None = None
    ) -> None:
        self.http = http
        self.target = pinned or Pinned(url)  # where the connection goes (links.LinkPolicy.pin)
        self.deadline = deadline  # time.monotonic() past which no read goes on
        self.budget = _Budget()
        self.pos = 0
        self.size = 0
        self._chunks: dict[int, bytes] = {}  # start → bytes, as fetched
        self._fetch(0, BLOCK)

    def seek(self, pos: int, whence: int = 0) -> int:
        self.pos = pos if whence == 0 else (self.pos + pos if whence == 1 else self.size + pos)
        return self.pos

    def tell(self) -> int:
        return self.pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n < 0 else min(self.size, self.pos + n)
        out = bytearray()
        while self.pos + len(out) < end:
            at = self.pos + len(out)
            piece = self._cached(at, end)
            if piece is None:
                self._fetch(at, max(BLOCK, end - at))
                piece = self._cached(at, end)
                if piece is None:
                    raise LinkUnreadableError("the storage answered a different range")
            out += piece
        self.pos = end
        return bytes(out)

    def _cached(self, at: int, end: int) -> bytes | None:
        for start, data in self._chunks.items():
            if start <= at < start + len(data):
                return data[at - start : min(len(data), end - start)]
        return None

    def _fetch(self, start: int, length: int) -> None:
        last = start + length - 1 if not self.size else min(self.size, start + length) - 1
        headers = {"Range": f"bytes={start}-{last}", **_IDENTITY, **self.target.headers}
        with self.http.stream(
            "GET",
            self.target.url,
            headers=headers,
            extensions=self.target.extensions,
            timeout=_wait_left(self.deadline),
        ) as answer:
            if answer.status_code != 206:
                raise LinkUnreadableError(f"the storage answered {answer.status_code} to a range request")
            found = _RANGE.match(answer.headers.get("content-range", ""))
            if found is None or int(found.group(1)) != start:
                raise LinkUnreadableError("the storage's Content-Range is not the range asked for")
            self.size = int(found.group(3))
            if answer.headers.get("content-encoding", "identity").strip().lower() not in ("", "identity"):
                # Asked for identity; a compressed range can't be a byte range of the file, and
                # httpx would inflate it whole (231 bytes of layered gzip became 1 GB).
                raise LinkUnreadableError("the storage compressed a byte range")
            data = bytearray()
            for chunk in answer.iter_bytes():  # identity: nothing for httpx to inflate
                data += chunk
                if len(data) > last - start + 1:
                    raise LinkUnreadableError("the storage sent more than the range asked for")
                _wait_left(self.deadline)  # past it: leaving the block closes the connection
        self.budget.spend(len(data))
        self._chunks[start] = bytes(data)


def _boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """The (kind, payload) of the boxes laid end to end in ``data`` (already walked and bounded)."""
    pos = 0
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if length == 1 and pos + 16 <= len(data):
            length, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        elif length == 0:
            length = len(data) - pos
        if length < header:
            return
        yield kind, data[pos + header : pos + length]
        pos += length


def _moov_span(fh: BinaryIO, size: int) -> tuple[int, int]:
    """Where the top-level movie header is (the walk already proved the boxes are sound)."""
    pos = 0
    while pos + 8 <= size:
        fh.seek(pos)
        head = fh.read(16)
        length, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if length == 1:
            length, header = struct.unpack(">Q", head[8:16])[0], 16
        elif length == 0:
            length = size - pos
        if kind == b"moov":
            return pos + header, length - header
        pos += length
    raise NotAVideoError("no movie header")


def movie_facts(moov: bytes, size: int) -> VideoFacts:
    """Length (``mvhd``) and frame (the first video track's ``tkhd``) from a movie header."""
    duration: float | None = None
    width = height = None
    for kind, body in _boxes(moov):
        if kind == b"mvhd" and len(body) >= 20:
            if body[0] == 1 and len(body) >= 32:
                scale, length = struct.unpack(">IQ", body[20:32])
            else:
                scale, length = struct.unpack(">II", body[12:20])
            duration = length / scale if scale else None
        elif kind == b"trak" and width is None:
            width, height = _video_frame(body)
    if width is None or height is None:
        raise NotAVideoError("no video track")
    check_frame(width, height)
    return VideoFacts(duration_s=duration, width=width, height=height, size_bytes=size)


def _video_frame(trak: bytes) -> tuple[int | None, int | None]:
    frame: tuple[int, int] | None = None
    video = False
    for kind, body in _boxes(trak):
        if kind == b"tkhd" and body:
            at = 88 if body[0] == 1 else 76  # after the matrix: width, height (16.16 fixed point)
            if len(body) >= at + 8:
                w, h = struct.unpack(">II", body[at : at + 8])
                frame = (w >> 16, h >> 16)
        elif kind == b"mdia":
            video = any(k == b"hdlr" and b[8:12] == b"vide" for k, b in _boxes(body))
    return frame if video and frame else (None, None)


def read_facts(fh: BinaryIO, size: int) -> VideoFacts:
    """An MP4's facts from any seekable reader: the bounded walk, then its movie header."""
    fh.seek(0)
    if fh.read(12)[4:8] != b"ftyp":
        raise NotAVideoError("no ISO-BMFF ftyp box")
    if not walk_boxes(fh, size):
        raise NotAVideoError("no movie header")
    start, length = _moov_span(fh, size)
    if length > MAX_MOOV:
        raise NotAVideoError("a movie header larger than any export's")
    fh.seek(start)
    return movie_facts(fh.read(length), size)


def _pinned(checked: str, client: NemoClient) -> Pinned:
    """Where to connect for a checked link: its name resolved once and every address judged."""
    try:
        return client.links.pin(checked)
    except PinError as err:
        if err.failure is PinFailure.LOCAL:
            raise BadResponseError("error.bad_url") from None
        raise LinkUnreadableError("the video's host name does not resolve") from None


def _check(url: str, client: NemoClient, deadline: float) -> VideoFacts:
    """Runs in a worker thread; it ends by ``deadline`` (time.monotonic()) whatever the storage
    does, and closes its connections on the way out."""
    with httpx.Client(timeout=TIMEOUT_S, follow_redirects=False, verify=shared_context()) as http:
        target = check_media_url(url, client.links)
        pinned = _pinned(target, client)
        for _ in range(MAX_REDIRECTS):
            # Where the link really leads, each hop checked: the range reads go to the last one.
            headers = {"Range": "bytes=0-0", **_IDENTITY, **pinned.headers}
            wait = _wait_left(deadline)
            with http.stream(
                "GET", pinned.url, headers=headers, extensions=pinned.extensions, timeout=wait
            ) as answer:
                if not answer.is_redirect:
                    break
                target = check_media_url(urljoin(target, answer.headers.get("location", "")), client.links)
                pinned = _pinned(target, client)
        reader = RangeReader(http, target, pinned, deadline)
        return read_facts(cast(BinaryIO, reader), reader.size)


async def link_facts(client: NemoClient, url: str, seconds: float = TIMEOUT_S) -> VideoFacts:
    """The facts of the video at ``url``, read without downloading it (off the event loop), in
    at most ``seconds``: the thread stops itself then; the outer limit is only a backstop (a
    name lookup the thread can't interrupt)."""
    deadline = time.monotonic() + seconds
    try:
        with anyio.fail_after(seconds * 2):
            return await anyio.to_thread.run_sync(_check, url, client, deadline, abandon_on_cancel=True)
    except (httpx.HTTPError, TimeoutError, struct.error) as err:
        raise LinkUnreadableError(f"the video's link could not be read ({type(err).__name__})") from err
