"""An upload page's form, read as it streams in, within limits, into unnamed temporary files.

Why a spool at all: every file is checked (kind by content, size) before any byte goes to
NemoVideo, as in local mode, and an upload there is never sent twice; a browser's slow or broken
connection must not leave half an upload at NemoVideo. The spool is bounded (per file, in all,
and by how many posts an instance reads at once) and nameless (``TemporaryFile``: unlinked at
once, so nothing stays on disk when it is closed or the process dies). The body is counted as it
arrives: an oversized file stops the read there, not after the whole body.
"""

from __future__ import annotations

import contextlib
import enum
import os
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import anyio
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ..media import OpenedUpload
from ..sanitize import clean_text

HEAD_BYTES = 16  # what media.sniff reads
_FLUSH = 1024 * 1024  # file data is written in chunks this big, off the event loop


class Refusal(enum.Enum):
    """Why a form was not read to its end."""

    FILE_TOO_BIG = "file_too_big"
    TOO_BIG = "too_big"
    TOO_MANY = "too_many"
    MALFORMED = "malformed"
    TOO_SLOW = "too_slow"


class FormRefusedError(Exception):
    def __init__(self, reason: Refusal, name: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.name = name


@dataclass(frozen=True)
class Limits:
    files: int
    file_bytes: int
    total_bytes: int
    fields: int = 8
    field_bytes: int = 1024
    # A body that trickles holds its upload slot: at least ``min_rate`` bytes/s over each
    # ``rate_window`` seconds, and never ``rate_window`` seconds without a byte.
    min_rate: int = 16 * 1024
    rate_window: float = 30.0
    most_seconds: float = 30 * 60  # and the whole post within this, however fast it keeps coming


@dataclass
class Arrived:
    """How much of a post's body has arrived so far (the upload desk compares posts' paces)."""

    started: float = field(default_factory=time.monotonic)
    bytes: int = 0

    def rate(self, now: float) -> float:
        return self.bytes / max(now - self.started, 1e-3)


@dataclass
class SpooledFile:
    name: str
    file: IO[bytes]
    size: int = 0
    head: bytes = b""
    pending: bytearray = field(default_factory=bytearray)

    def opened(self) -> OpenedUpload:
        """An :class:`OpenedUpload` of its own descriptor (closing it frees nothing else)."""
        return OpenedUpload(Path(self.name), os.dup(self.file.fileno()), self.size)


@dataclass
class ReceivedForm:
    fields: dict[str, str] = field(default_factory=dict)
    files: list[SpooledFile] = field(default_factory=list)

    def close(self) -> None:
        for f in self.files:
            with contextlib.suppress(OSError):
                f.file.close()


def file_name(raw: bytes) -> str:
    """The name the browser sent, as a plain file name: no folders, no control characters."""
    text = raw.decode("utf-8", errors="replace").replace("\\", "/").rsplit("/", 1)[-1]
    return clean_text(text, 200).strip() or "file"


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    file: SpooledFile | None = None
    value: bytearray = field(default_factory=bytearray)
    skip: bool = False  # a file input left empty: a part with no file name and no content


class _Reader:
    """python-multipart's callbacks (synchronous) collect events; the coroutine acts on them."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.form = ReceivedForm()
        self.events: list[tuple[str, bytes]] = []
        self._field = b""
        self._value = b""
        self.part = _Part()
        self.total = 0

    def callbacks(self) -> dict[str, object]:
        def data(kind: str) -> object:
            return lambda buf, start, end: self.events.append((kind, bytes(buf[start:end])))

        return {
            "on_part_begin": lambda: self.events.append(("begin", b"")),
            "on_header_field": data("hfield"),
            "on_header_value": data("hvalue"),
            "on_header_end": lambda: self.events.append(("hend", b"")),
            "on_headers_finished": lambda: self.events.append(("headers", b"")),
            "on_part_data": data("data"),
            "on_part_end": lambda: self.events.append(("end", b"")),
        }

    async def handle(self) -> None:
        events, self.events = self.events, []
        for kind, chunk in events:
            if kind == "begin":
                self.part = _Part()
            elif kind == "hfield":
                self._field += chunk
            elif kind == "hvalue":
                self._value += chunk
            elif kind == "hend":
                self.part.headers[self._field.lower()] = self._value
                self._field = self._value = b""
            elif kind == "headers":
                self._start_part()
            elif kind == "data":
                await self._data(chunk)
            elif kind == "end":
                await self._end_part()

    def _start_part(self) -> None:
        _, options = parse_options_header(self.part.headers.get(b"content-disposition", b""))
        self.part.name = options.get(b"name", b"").decode("utf-8", errors="replace")
        if options.get(b"filename") == b"":
            self.part.skip = True
        elif b"filename" in options:
            if len(self.form.files) >= self.limits.files:
                raise FormRefusedError(Refusal.TOO_MANY)
            spooled = SpooledFile(file_name(options[b"filename"]), tempfile.TemporaryFile())  # noqa: SIM115
            self.form.files.append(spooled)  # closed with the form, whatever happens next
            self.part.file = spooled
        elif len(self.form.fields) >= self.limits.fields:
            raise FormRefusedError(Refusal.MALFORMED)

    async def _data(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > self.limits.total_bytes:
            raise FormRefusedError(Refusal.TOO_BIG)
        spooled = self.part.file
        if self.part.skip:
            return
        if spooled is None:
            self.part.value += chunk
            if len(self.part.value) > self.limits.field_bytes:
                raise FormRefusedError(Refusal.MALFORMED)
            return
        spooled.size += len(chunk)
        if spooled.size > self.limits.file_bytes:
            raise FormRefusedError(Refusal.FILE_TOO_BIG, spooled.name)
        if len(spooled.head) < HEAD_BYTES:
            spooled.head += chunk[: HEAD_BYTES - len(spooled.head)]
        spooled.pending += chunk
        if len(spooled.pending) >= _FLUSH:
            await self._flush(spooled)

    async def _end_part(self) -> None:
        spooled = self.part.file
        if self.part.skip:
            return
        if spooled is None:
            self.form.fields[self.part.name] = self.part.value.decode("utf-8", errors="replace")
        else:
            await self._flush(spooled)

    @staticmethod
    async def _flush(spooled: SpooledFile) -> None:
        data, spooled.pending = bytes(spooled.pending), bytearray()
        await anyio.to_thread.run_sync(spooled.file.write, data)
        if not spooled.pending:
            await anyio.to_thread.run_sync(spooled.file.flush)


async def _paced(
    stream: AsyncIterator[bytes], limits: Limits, arrived: Arrived | None = None
) -> AsyncIterator[bytes]:
    """The body's chunks, or :class:`FormRefusedError` (too slow) when it trickles: a window
    with no byte at all, or fewer than the minimum rate's bytes. Counted in ``arrived``."""
    arrived = arrived or Arrived()
    chunks = stream.__aiter__()
    started = window_start = time.monotonic()
    window_bytes = body_bytes = 0
    while True:
        with anyio.move_on_after(limits.rate_window) as idle:
            chunk = await anext(chunks, None)
        if idle.cancelled_caught:
            raise FormRefusedError(Refusal.TOO_SLOW)
        if chunk is None:
            return
        window_bytes += len(chunk)
        body_bytes += len(chunk)
        arrived.bytes = body_bytes
        if body_bytes > limits.total_bytes + 64 * 1024:  # past the form's end too: every byte counts
            raise FormRefusedError(Refusal.TOO_BIG)
        if (now := time.monotonic()) - started > limits.most_seconds:
            raise FormRefusedError(Refusal.TOO_SLOW)
        if now - window_start >= limits.rate_window:
            if window_bytes < limits.min_rate * (now - window_start):
                raise FormRefusedError(Refusal.TOO_SLOW)
            window_start, window_bytes = now, 0
        yield chunk


async def read_form(request: Request, limits: Limits, arrived: Arrived | None = None) -> ReceivedForm:
    """The whole multipart form, or :class:`FormRefusedError` as soon as a limit is passed.
    The caller closes the returned form (its spooled files). ``arrived`` counts the body's bytes."""
    declared = request.headers.get("content-length")
    # A form's own framing is small; a body declared bigger than the files may be is refused unread.
    if declared is not None and declared.isdigit() and int(declared) > limits.total_bytes + 64 * 1024:
        raise FormRefusedError(Refusal.TOO_BIG)
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise FormRefusedError(Refusal.MALFORMED)
    reader = _Reader(limits)
    try:
        parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
        async for chunk in _paced(request.stream(), limits, arrived):
            parser.write(chunk)
            await reader.handle()
        parser.finalize()
        await reader.handle()
    except FormRefusedError:
        reader.form.close()
        raise
    except Exception as err:  # python-multipart's own errors: a broken form
        reader.form.close()
        if type(err).__module__.startswith("python_multipart"):
            raise FormRefusedError(Refusal.MALFORMED) from None
        raise
    except BaseException:  # cancelled (the post gave way to a waiting one): its spool goes now
        reader.form.close()
        raise
    return reader.form
