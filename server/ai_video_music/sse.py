"""The agent's event stream: bytes off the socket → SSE events → typed agent events.

Two layers, both pure (no I/O of their own):

- :class:`EventReader` frames a ``text/event-stream`` body per the WHATWG rules (LF, CR or
  CRLF line ends, also split across chunks; UTF-8 split across chunks; ``data:`` with or
  without its space; multi-line data; comments; ``event``/``id``/``retry`` ignored; a BOM
  at the start) and bounds it: an event over ``max_event_bytes`` is skipped up to the next
  blank line without being held, and every chunk calls ``on_chunk`` so the caller can
  enforce its time limit while only ``: ping`` arrives.
- :class:`EventDecoder` turns one ``data`` payload into events. No live sample of the
  backend's stream is known, so each payload is recognised on its own: the service's
  ``{"type": ...}`` events, or Google ADK ``Event`` objects (camelCase or snake_case).
  ADK's ``partial`` fragments are emitted as they arrive and the final event that repeats
  them contributes only what they missed. A payload that is not a JSON object is never
  shown (it may be a raw tool call): it counts as a heartbeat.

Strings from the backend get lone surrogates fixed here (they would kill the stdio
writer); control characters are stripped where text is written out. Accumulated text is
capped at ``max_text_chars``; :class:`StreamStats` records what was skipped or cut.

Typical use, on an ``httpx`` streaming response::

    reader = EventReader(on_chunk=check_deadline)
    async for event in reader.events(response.aiter_bytes()):
        ...
    if reader.stats.text_cut: ...
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterable, AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from .sanitize import fix_surrogates, shown

MAX_EVENT_BYTES = 1 << 20  # no honest agent event comes near this
MAX_TEXT_CHARS = 20_000  # the reply a person reads; far beyond any real answer
MAX_MESSAGE_CHARS = 1_000  # an error message
MAX_NAME_CHARS = 200  # a tool name
# A tool name as agents spell them (no space, quote or colon: nothing that could read as a
# sentence of ours), taken as it is without the general path's calls.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,200}")
# A huge chunk is walked in slices of this size, so skipping an oversized event never
# copies more than this at once (``bytes.split`` of a 50 MB chunk would hold it twice).
_SLICE = 1 << 16
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class TextEvent:
    """Text for the user (before GUI-wording translation)."""

    text: str


@dataclass(frozen=True, slots=True)
class ToolCallEvent:
    """The agent called one of its tools: internal, never shown verbatim."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ToolResultEvent:
    """A tool's result inside the agent: internal, never shown verbatim."""

    name: str
    result: Any = None


@dataclass(frozen=True, slots=True)
class HeartbeatEvent:
    """Still working; nothing to show (also stands for a skipped or unreadable event)."""


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    """The agent reported an error inside a 200 stream."""

    message: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class EndEvent:
    """The stream closed: the agent's turn is over (the caller adds it; the reader never does)."""


AgentEvent = TextEvent | ToolCallEvent | ToolResultEvent | HeartbeatEvent | ErrorEvent | EndEvent

_HEARTBEAT = HeartbeatEvent()


@dataclass
class StreamStats:
    """What a stream's reader dropped or cut, for the caller's log and answer."""

    oversized: int = 0  # events skipped for being over max_event_bytes
    non_json: int = 0  # payloads that weren't a JSON object: heartbeats, never shown
    text_chars: int = 0  # text emitted so far
    text_cut: bool = False  # text beyond max_text_chars was dropped


# ``json.loads`` spends more time in its Python wrapper (two regex scans for whitespace)
# than a small event takes to parse; ``raw_decode`` is the documented parser without it.
_raw_decode = json.JSONDecoder().raw_decode
_JSON_SPACE = " \t\n\r"
_ERROR_KEYS = frozenset({"errorCode", "error_code", "errorMessage", "error_message", "error"})


def _loads(data: str) -> Any:
    """``json.loads(data)``, faster for the common payload (no leading whitespace)."""
    try:
        obj, end = _raw_decode(data)
    except ValueError:
        return json.loads(data)  # leading whitespace, or not JSON: loads decides (and raises)
    if end != len(data) and data[end:].strip(_JSON_SPACE):
        raise ValueError("extra data after the JSON value")
    return obj


def _joined(parts: list[str]) -> str:
    # One join per run of partials (tests count the calls to prove the work is linear).
    return "".join(parts)


def _first(obj: dict[str, Any], *names: str) -> Any:
    for name in names:
        value = obj.get(name)
        if value is not None:
            return value
    return None


def _string(value: Any, limit: int) -> str | None:
    """A backend value as display text: strings and numbers only (never a repr of a structure)."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(int(value) if isinstance(value, float) and value.is_integer() else value)
    else:
        return None
    # A name, code or message: never a line of its own, nor a sentence that reads as ours.
    return shown(text, limit) or None


def _name(value: Any) -> str:
    if type(value) is str and _PLAIN_NAME.fullmatch(value):
        return value  # the common case, without the general path's calls
    return _string(value, MAX_NAME_CHARS) or "?"


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            loaded = json.loads(value)
        except (ValueError, RecursionError):
            return {"value": value}
        return loaded if isinstance(loaded, dict) else {"value": loaded}
    return {} if value is None else {"value": value}


def _error(message: Any, code: Any) -> ErrorEvent:
    """``message`` may be a string, a number or ``{"message", "code"}``; ``code`` likewise."""
    if isinstance(message, dict):
        code = code if code is not None else _first(message, "code", "errorCode", "error_code")
        message = _first(message, "message", "msg", "error")
    code_text = _string(code, MAX_NAME_CHARS)
    text = _string(message, MAX_MESSAGE_CHARS) or code_text or "unknown error"
    return ErrorEvent(text, code_text)


# The service's event types, by what they mean (matched as sent, then lower-cased).
_TEXT, _CALL, _RESULT, _ERROR, _END = range(5)
_SERVICE_KINDS = {
    "text": _TEXT,
    "tool_call": _CALL,
    "toolcall": _CALL,
    "function_call": _CALL,
    "tool_result": _RESULT,
    "toolresult": _RESULT,
    "function_response": _RESULT,
    "error": _ERROR,
    "done": _END,
    "end": _END,
    "complete": _END,
}


class EventDecoder:
    """Turns ``data`` payloads into events; one decoder per stream (it tracks partial text)."""

    def __init__(self, *, max_text_chars: int = MAX_TEXT_CHARS, stats: StreamStats | None = None) -> None:
        self.stats = stats if stats is not None else StreamStats()
        self._max_text = max_text_chars
        self._parts: list[str] = []  # ADK partial fragments since the last final event

    def feed(self, data: str) -> list[AgentEvent]:
        """Decode one SSE ``data`` payload (the lines of one event, joined by newlines)."""
        out: list[AgentEvent] = []
        self.feed_into(data, out)
        return out

    def feed_into(self, data: str, out: list[AgentEvent]) -> None:
        """:meth:`feed`, appending to ``out`` (the reader's hot path: no list per event)."""
        if not data:
            out.append(_HEARTBEAT)
            return
        try:
            obj = _loads(data)
        except (ValueError, RecursionError):
            stripped = data.strip()
            if stripped == "[DONE]":  # an end sentinel some SSE APIs send
                return
            if stripped:
                self.stats.non_json += 1  # perhaps a raw tool call: never shown
            out.append(_HEARTBEAT)
            return
        if type(obj) is not dict:
            if obj is not None and obj != "":
                self.stats.non_json += 1
            out.append(_HEARTBEAT)
            return
        # ADK events carry a ``content`` object; the service's own carry ``type`` and text.
        kind = obj.get("type")
        if kind is not None:
            content = obj.get("content")
            if type(content) is not dict:
                self._service_event(obj, kind, content, out)
                return
        self._adk_event(obj, out)

    def _service_event(self, obj: dict[str, Any], kind: Any, content: Any, out: list[AgentEvent]) -> None:
        meaning = _SERVICE_KINDS.get(kind) if type(kind) is str else None
        if meaning is None and type(kind) is str:
            meaning = _SERVICE_KINDS.get(kind.lower())
        if meaning == _TEXT:
            text = content if content is not None else obj.get("text")
            event = self._emit(text) if type(text) is str else None
            if event is not None:
                out.append(event)
        elif meaning == _CALL:
            out.append(ToolCallEvent(_name(obj.get("name")), _as_dict(_first(obj, "args", "arguments"))))
        elif meaning == _RESULT:
            out.append(ToolResultEvent(_name(obj.get("name")), _first(obj, "result", "response")))
        elif meaning == _ERROR:
            message = _first(obj, "message", "content", "error")
            out.append(_error(message, _first(obj, "code", "errorCode", "error_code")))
        elif meaning != _END:
            out.append(_HEARTBEAT)  # heartbeat, ping, or an unknown type: keep waiting rather than fail

    def _adk_event(self, obj: dict[str, Any], out: list[AgentEvent]) -> None:
        start = len(out)
        if not _ERROR_KEYS.isdisjoint(obj):
            code = _first(obj, "errorCode", "error_code")
            err = _first(obj, "errorMessage", "error_message", "error")
            if code or err:
                out.append(_error(err, code))
        content = obj.get("content")
        parts = content.get("parts") if type(content) is dict else None
        if type(parts) is not list:
            if len(out) == start:
                out.append(_HEARTBEAT)
            return
        partial = obj.get("partial") is True
        for part in parts:
            if type(part) is not dict:
                continue
            text = part.get("text")
            if len(part) > 1 or type(text) is not str:  # a tool part wins over any text beside it
                call = _first(part, "functionCall", "function_call")
                if type(call) is dict:
                    out.append(ToolCallEvent(_name(call.get("name")), _as_dict(call.get("args"))))
                    continue
                response = _first(part, "functionResponse", "function_response")
                if type(response) is dict:
                    out.append(ToolResultEvent(_name(response.get("name")), response.get("response")))
                    continue
                if type(text) is not str or part.get("thought"):
                    continue
            if text:
                event = self._text(text, partial)
                if event is not None:
                    out.append(event)

    def _text(self, text: str, partial: bool) -> TextEvent | None:
        if partial:
            if not self.stats.text_cut:  # past the cap nothing more is shown, so nothing to match
                self._parts.append(text)
            return self._emit(text)
        if self._parts:
            seen = _joined(self._parts)
            self._parts = []
            if text.startswith(seen):
                text = text[len(seen) :]
        return self._emit(text)

    def _emit(self, text: str) -> TextEvent | None:
        """Text within the stream's cap; beyond it, dropped and ``stats.text_cut`` set."""
        if not text:
            return None
        stats = self.stats
        room = self._max_text - stats.text_chars
        if len(text) > room:
            stats.text_cut = True
            if room <= 0:
                return None
            text = text[:room]
        stats.text_chars += len(text)
        return TextEvent(fix_surrogates(text))


class EventReader:
    """Frames an SSE byte stream into agent events; one reader per stream.

    ``feed`` takes the body's chunks in order (any split, including inside a CRLF or a
    UTF-8 character) and returns the events they complete; ``close`` ends the stream (an
    event without its closing blank line is dropped, as the spec says). ``events`` does
    both over an async iterable of chunks.

    ``on_chunk`` is called for every chunk received, before its events (a huge chunk: for
    every 64 KiB of it), so a stream of nothing but ``: ping`` comments, or one dripping a
    byte at a time, still reaches the caller's clock; it may raise to stop reading. Per
    chunk rather than per line: the same guarantee for a deadline, without a call per line.

    An event (its raw lines up to the blank line) over ``max_event_bytes`` is skipped: it
    is never held whole, it yields one :class:`HeartbeatEvent`, ``stats.oversized`` counts
    it, and reading goes on after its blank line.
    """

    def __init__(
        self,
        *,
        max_event_bytes: int = MAX_EVENT_BYTES,
        max_text_chars: int = MAX_TEXT_CHARS,
        on_chunk: Callable[[], None] | None = None,
    ) -> None:
        self.decoder = EventDecoder(max_text_chars=max_text_chars)
        self.stats = self.decoder.stats
        self._max = max_event_bytes
        self._on_chunk = on_chunk
        self._head: bytes | None = b""  # bytes held until a BOM can be ruled out
        self._cr = False  # the last chunk ended in CR: a leading LF belongs to that line end
        self._pending: list[bytes] = []  # the current event's bytes so far (no blank line yet)
        self._pending_len = 0
        self._skipping = False  # inside an oversized event, looking for its blank line
        self._after_lf = False  # while skipping: the last byte seen ended a line

    async def events(self, chunks: AsyncIterable[bytes]) -> AsyncIterator[AgentEvent]:
        """Every event of the stream, in order."""
        async for chunk in chunks:
            for event in self.feed(chunk):
                yield event
        for event in self.close():
            yield event

    def feed(self, chunk: bytes) -> list[AgentEvent]:
        """The events completed by this chunk."""
        start = 0
        if self._head is not None:
            if self._head:
                chunk = self._head + chunk
            if len(chunk) < len(_BOM) and _BOM.startswith(chunk):
                self._head = chunk
                if self._on_chunk is not None:
                    self._on_chunk()
                return []
            self._head = None
            if chunk.startswith(_BOM):
                start = len(_BOM)
        out: list[AgentEvent] = []
        if start == 0 and len(chunk) <= _SLICE:
            self._feed(chunk, out)
        else:
            for at in range(start, len(chunk), _SLICE):
                self._feed(chunk[at : at + _SLICE], out)
        return out

    def close(self) -> list[AgentEvent]:
        """End of stream: an event without its closing blank line is incomplete and dropped."""
        self._pending = []
        self._pending_len = 0
        return []

    def _feed(self, chunk: bytes, out: list[AgentEvent]) -> None:
        if self._on_chunk is not None:
            self._on_chunk()
        if not chunk:
            return
        if self._cr:
            self._cr = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        if b"\r" in chunk:
            self._cr = chunk.endswith(b"\r")
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if not chunk:
            return
        if self._skipping:
            rest = self._skip(chunk)
            if rest is None:
                return
            chunk = rest
        if self._pending:
            # The held event ends at the first blank line, which may straddle the chunks.
            if chunk[0] == 0x0A and self._pending[-1].endswith(b"\n"):
                end, after = 0, 1
            else:
                end = chunk.find(b"\n\n")
                if end < 0:
                    self._hold(chunk, out)
                    return
                after = end + 2
            self._pending.append(chunk[:end])
            block = b"".join(self._pending)
            self._pending = []
            self._pending_len = 0
            self._block(block, out)
            chunk = chunk[after:]
        blocks = chunk.split(b"\n\n")
        tail = blocks.pop()
        for block in blocks:
            self._block(block, out)
        if tail:
            self._hold(tail, out)

    def _block(self, block: bytes, out: list[AgentEvent]) -> None:
        """One event's lines (no blank line inside; leading newlines are earlier blank lines)."""
        if len(block) > self._max:
            self._oversized(out)
            return
        if block.startswith(b"data: ") and b"\n" not in block:  # the common case: one data line
            payload = block[6:]
        else:
            if block.startswith(b"\n"):
                block = block.lstrip(b"\n")
            data = [line for line in block.split(b"\n") if line.startswith(b"data")]
            values = []
            for line in data:
                if len(line) == 4:
                    values.append(b"")
                elif line[4] == 0x3A:  # "data:" and its value, less one leading space
                    values.append(line[6:] if line[5:6] == b" " else line[5:])
            if not values:
                return  # comments, event:, id:, retry: or unknown fields only: no event
            payload = values[0] if len(values) == 1 else b"\n".join(values)
        if payload:
            self.decoder.feed_into(payload.decode("utf-8", "replace"), out)
        else:
            out.append(_HEARTBEAT)

    def _hold(self, piece: bytes, out: list[AgentEvent]) -> None:
        """Keep the start of an unfinished event, unless it grows past the cap."""
        self._pending_len += len(piece)
        # What is held is the event so far, perhaps with the first LF of its blank line.
        if self._pending_len > self._max + 1:
            self._pending = []
            self._pending_len = 0
            self._skipping = True
            self._after_lf = piece.endswith(b"\n")
            self._oversized(out)
        else:
            self._pending.append(piece)

    def _oversized(self, out: list[AgentEvent]) -> None:
        self.stats.oversized += 1
        out.append(_HEARTBEAT)

    def _skip(self, chunk: bytes) -> bytes | None:
        """What follows the oversized event's blank line, or None while it isn't in sight."""
        if self._after_lf and chunk[0] == 0x0A:
            end = 1
        else:
            found = chunk.find(b"\n\n")
            if found < 0:
                self._after_lf = chunk.endswith(b"\n")
                return None
            end = found + 2
        self._skipping = False
        return chunk[end:]


async def read_events(
    chunks: AsyncIterable[bytes],
    *,
    max_event_bytes: int = MAX_EVENT_BYTES,
    max_text_chars: int = MAX_TEXT_CHARS,
    on_chunk: Callable[[], None] | None = None,
) -> AsyncIterator[AgentEvent]:
    """The agent events of an SSE byte stream (see :class:`EventReader`, which also keeps stats)."""
    reader = EventReader(max_event_bytes=max_event_bytes, max_text_chars=max_text_chars, on_chunk=on_chunk)
    async for event in reader.events(chunks):
        yield event
