"""The agent's event stream: SSE framing from raw bytes, the event decoder, and their bounds."""

from __future__ import annotations

import itertools
import json
import math
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ai_video_music import sse
from ai_video_music.sanitize import fix_surrogates
from ai_video_music.sse import (
    AgentEvent,
    ErrorEvent,
    EventDecoder,
    EventReader,
    HeartbeatEvent,
    TextEvent,
    ToolCallEvent,
    ToolResultEvent,
    read_events,
)

EVENT_TYPES = (TextEvent, HeartbeatEvent, ToolCallEvent, ToolResultEvent, ErrorEvent)


def decode(*payloads: str) -> list[AgentEvent]:
    decoder = EventDecoder()
    return [e for p in payloads for e in decoder.feed(p)]


def read(chunks: list[bytes], **kw: Any) -> list[AgentEvent]:
    reader = EventReader(**kw)
    out = [e for chunk in chunks for e in reader.feed(chunk)]
    return out + reader.close()


# --- decoding one payload ------------------------------------------------------------------------


def test_service_events_of_every_type() -> None:
    assert decode(
        '{"type": "text", "content": "hi"}',
        '{"type": "tool_call", "name": "add_bgm", "args": {"v": 1}}',
        '{"type": "tool_result", "name": "add_bgm", "result": {"ok": true}}',
        '{"type": "heartbeat"}',
        '{"type": "Text", "text": "upper-case type"}',
        '{"type": "done"}',
    ) == [
        TextEvent("hi"),
        ToolCallEvent("add_bgm", {"v": 1}),
        ToolResultEvent("add_bgm", {"ok": True}),
        HeartbeatEvent(),
        TextEvent("upper-case type"),
    ]


@pytest.mark.parametrize(
    ("call_key", "response_key"),
    [("functionCall", "functionResponse"), ("function_call", "function_response")],
)
def test_adk_events_in_camel_or_snake_case(call_key: str, response_key: str) -> None:
    events = decode(
        json.dumps({"author": "a", "content": {"parts": [{call_key: {"name": "cut", "args": {"at": 3}}}]}}),
        json.dumps({"content": {"parts": [{response_key: {"name": "cut", "response": {"ok": 1}}}]}}),
        json.dumps({"content": {"parts": [{"text": "Hel"}]}, "partial": True}),
        json.dumps({"content": {"parts": [{"text": "lo"}]}, "partial": True}),
        json.dumps({"content": {"parts": [{"text": "Hello"}]}, "turnComplete": True}),
    )
    assert events == [
        ToolCallEvent("cut", {"at": 3}),
        ToolResultEvent("cut", {"ok": 1}),
        TextEvent("Hel"),
        TextEvent("lo"),
    ]


def test_final_adk_text_adds_only_what_the_partials_missed() -> None:
    assert decode(
        '{"content": {"parts": [{"text": "Hello "}]}, "partial": true}',
        '{"content": {"parts": [{"text": "Hello world"}]}}',
    ) == [TextEvent("Hello "), TextEvent("world")]


def test_thoughts_and_text_beside_a_tool_call_are_never_text() -> None:
    assert decode(
        '{"content": {"parts": [{"text": "I should call the tool", "thought": true}]}}',
        '{"content": {"parts": [{"text": "raw", "functionCall": {"name": "edit", "args": {}}}]}}',
    ) == [ToolCallEvent("edit", {})]


def test_adk_service_and_plain_errors_become_error_events() -> None:
    assert decode('{"errorCode": "2001", "errorMessage": "no credits"}') == [ErrorEvent("no credits", "2001")]
    assert decode('{"error": "boom"}') == [ErrorEvent("boom")]
    assert decode('{"error_code": "X"}') == [ErrorEvent("X", "X")]
    assert decode('{"type": "error", "message": "agent crashed", "code": 2001}') == [
        ErrorEvent("agent crashed", "2001")
    ]
    assert decode('{"error": {"code": 1001, "message": "token expired"}}') == [
        ErrorEvent("token expired", "1001")
    ]
    assert decode('{"type": "error", "message": {"deep": ["structure"]}}') == [ErrorEvent("unknown error")]
    assert decode('{"errorCode": 2001.0}') == [ErrorEvent("2001", "2001")]


def test_empty_data_is_a_heartbeat_and_done_ends_nothing() -> None:
    assert decode("", "  ") == [HeartbeatEvent(), HeartbeatEvent()]
    assert decode("[DONE]", '{"type": "end"}') == []


@pytest.mark.parametrize(
    "payload",
    [
        "just words",
        'edit_multitrack({"op": "delete_all"})',
        '"a JSON string"',
        "[1, 2, 3]",
        "42",
        '{"type": "text", "content": "cut off',
        '{"a": 1} trailing',
        "[" * 100_000,
    ],
)
def test_a_payload_that_is_not_a_json_object_is_never_shown(payload: str) -> None:
    decoder = EventDecoder()
    assert decoder.feed(payload) == [HeartbeatEvent()]
    assert decoder.stats.non_json == 1


def test_backend_strings_have_lone_surrogates_replaced() -> None:
    events = decode(
        '{"type": "text", "content": "Summer \\ud83c"}',
        '{"error": "bad \\udfff thing", "errorCode": "\\ud800"}',
        '{"type": "tool_call", "name": "cut\\ud83c", "args": {}}',
    )
    assert events == [
        TextEvent("Summer \ufffd"),
        ErrorEvent("bad \ufffd thing", "\ufffd"),
        ToolCallEvent("cut\ufffd", {}),
    ]


def test_text_beyond_the_cap_is_dropped_and_flagged() -> None:
    decoder = EventDecoder(max_text_chars=10)
    events = [
        *decoder.feed('{"type": "text", "content": "123456"}'),
        *decoder.feed('{"type": "text", "content": "789abc"}'),
        *decoder.feed('{"type": "text", "content": "more"}'),
    ]
    assert [e.text for e in events if isinstance(e, TextEvent)] == ["123456", "789a"]
    assert decoder.stats.text_cut and decoder.stats.text_chars == 10


def test_partials_past_the_cap_are_not_held() -> None:
    decoder = EventDecoder(max_text_chars=100)
    for _ in range(1000):
        decoder.feed(json.dumps({"content": {"parts": [{"text": "x" * 50}]}, "partial": True}))
    assert decoder.stats.text_cut
    assert len(decoder._parts) <= 3, "fragments past the cap are neither shown nor kept"
    assert decoder.feed(json.dumps({"content": {"parts": [{"text": "x" * 50_000}]}})) == []


def test_partial_text_is_joined_once_per_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    joins: list[int] = []

    def counting_join(parts: list[str]) -> str:
        joins.append(len(parts))
        return "".join(parts)

    monkeypatch.setattr(sse, "_joined", counting_join)
    fragments = [f"w{i} " for i in range(5000)]
    payloads = [json.dumps({"content": {"parts": [{"text": f}]}, "partial": True}) for f in fragments]
    payloads.append(json.dumps({"content": {"parts": [{"text": "".join(fragments) + "!"}]}}))
    decoder = EventDecoder(max_text_chars=1 << 20)
    texts = [e.text for p in payloads for e in decoder.feed(p) if isinstance(e, TextEvent)]
    assert "".join(texts) == "".join(fragments) + "!"
    assert joins == [5000], "each fragment is touched once, not re-copied per fragment"


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=8))
def test_adk_partials_then_final_yield_the_text_exactly_once(fragments: list[str]) -> None:
    payloads = [json.dumps({"content": {"parts": [{"text": f}]}, "partial": True}) for f in fragments]
    payloads.append(json.dumps({"content": {"parts": [{"text": "".join(fragments)}]}}))
    texts = [e.text for e in decode(*payloads) if isinstance(e, TextEvent)]
    assert "".join(texts) == fix_surrogates("".join(fragments))


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(exclude_categories=()), max_size=20)  # surrogates and controls too
    | st.sampled_from(["Summer \ud83c", "\udfff", "\x1b[2J\x00", "\u202e", "[DONE]"])
)
keys = st.sampled_from(
    ["type", "content", "text", "name", "args", "result", "parts", "partial", "error", "errorCode",
     "errorMessage", "message", "code", "functionCall", "functionResponse", "response", "thought"]
)  # fmt: skip
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(keys | st.text(max_size=3), inner, max_size=5)
    ),
    max_leaves=40,
)


def _shown(events: list[AgentEvent]) -> str:
    """Everything that may reach a person: text and error messages."""
    texts = [e.text for e in events if isinstance(e, TextEvent)]
    return "".join(texts + [e.message + (e.code or "") for e in events if isinstance(e, ErrorEvent)])


@given(json_values)
def test_the_decoder_never_crashes_and_shows_only_encodable_text(value: Any) -> None:
    payload = json.dumps(value, allow_nan=True)
    events = EventDecoder().feed(payload)
    assert all(isinstance(e, EVENT_TYPES) for e in events)
    _shown(events).encode("utf-8")  # a lone surrogate here would kill the stdio writer


@given(st.text(max_size=300))
def test_the_decoder_never_crashes_on_arbitrary_text(payload: str) -> None:
    events = EventDecoder().feed(payload)
    assert all(isinstance(e, EVENT_TYPES) for e in events)
    _shown(events).encode("utf-8")


def test_huge_numbers_and_non_finite_values_do_not_break_decoding() -> None:
    assert decode('{"type": "text", "content": 1e999}', '{"type": "text", "content": NaN}') == []
    assert decode('{"type": "tool_call", "name": -Infinity, "args": {"x": 1e999}}') == [
        ToolCallEvent("-inf", {"x": math.inf})
    ]
    decoder = EventDecoder()
    # An integer past Python's digit limit: not JSON we can read, so a heartbeat.
    assert decoder.feed('{"type": "text", "content": "hi", "n": ' + "9" * 5000 + "}") == [HeartbeatEvent()]
    assert decoder.stats.non_json == 1


# --- framing bytes into events -------------------------------------------------------------------

STREAM = (
    b": ping\n\n"
    b"data:\n\n"
    b'data: {"type": "tool_call", "name": "edit", "args": "{\\"x\\": 1}"}\n\n'
    b"event: message\r\nid: 7\r\nretry: 100\r\n"
    b'data: {"type": "text", "content": "Done \xe2\x9c\x85 \xe5\xaf\xbc\xe5\x87\xba"}\r\n\r\n'
    b": keepalive\n\n"
    b'data: {"content": {"parts": [{"text": "multi"}]},\ndata:  "partial": false}\n\n'
    b'data:{"type": "text", "content": " cr"}\r\r'
    b'database: {"type": "text", "content": "not a data field"}\n\n'
    b"data\n\n"
    b'data: {"type": "text", "content": "unterminated"}\n'
)
EXPECTED = [
    HeartbeatEvent(),
    ToolCallEvent("edit", {"x": 1}),
    TextEvent("Done ✅ 导出"),
    TextEvent("multi"),
    TextEvent(" cr"),
    HeartbeatEvent(),
]


def test_comments_crlf_cr_multiline_data_other_fields_and_an_unterminated_end() -> None:
    assert read([STREAM]) == EXPECTED


@given(st.lists(st.integers(min_value=1, max_value=len(STREAM) - 1), unique=True, max_size=12))
def test_any_chunking_of_the_stream_gives_the_same_events(cuts: list[int]) -> None:
    # Cuts fall inside "\r\n", inside multi-byte UTF-8 characters, inside "data:".
    edges = [0, *sorted(cuts), len(STREAM)]
    assert read([STREAM[a:b] for a, b in itertools.pairwise(edges)]) == EXPECTED


def test_byte_at_a_time_and_a_bom_at_the_start() -> None:
    body = b"\xef\xbb\xbf" + STREAM
    assert read([body[i : i + 1] for i in range(len(body))]) == EXPECTED
    assert read([b"\xef", b"\xbb", b"\xbfdata: {}\n\n"]) == [HeartbeatEvent()]
    # A BOM later in the stream is just bytes of a line, not stripped.
    assert read([b'data: {"type": "text", "content": "a"}\n\n\xef\xbb\xbfdata: {}\n\n']) == [TextEvent("a")]


async def _events_over_http(chunks: list[bytes]) -> list[AgentEvent]:
    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http,
        http.stream("POST", "http://sim/run_sse") as response,
    ):
        return [e async for e in read_events(response.aiter_bytes())]


@pytest.mark.anyio
async def test_read_events_over_an_httpx_response() -> None:
    cut = [STREAM[:70], STREAM[70:141], STREAM[141:143], STREAM[143:]]
    assert await _events_over_http(cut) == EXPECTED


def _oversized_stream(size: int, piece: int = 1 << 16) -> Iterator[bytes]:
    yield b'data: {"type": "text", "content": "before"}\n\n'
    yield b'data: {"type": "text", "content": "'
    for _ in range(size // piece):
        yield b"x" * piece
    yield b'"}\n\ndata: {"type": "text", "content": "after"}\n\n'


def test_an_oversized_event_is_skipped_and_later_events_still_arrive() -> None:
    reader = EventReader(max_event_bytes=1000)
    events = [e for chunk in _oversized_stream(5000, piece=700) for e in reader.feed(chunk)]
    assert events == [TextEvent("before"), HeartbeatEvent(), TextEvent("after")]
    assert reader.stats.oversized == 1


@pytest.mark.parametrize("split", [1, 7, 1000, 10_000])
def test_an_oversized_event_in_one_piece_or_many_lines_is_skipped(split: int) -> None:
    big = b"data: " + b"y" * 3000 + b"\ndata: " + b"z" * 3000 + b"\n\n"
    body = big + b'data: {"type": "text", "content": "next"}\n\n' + b": tail\n\n" + big
    chunks = [body[i : i + split] for i in range(0, len(body), split)]
    reader = EventReader(max_event_bytes=4000)
    assert [e for c in chunks for e in reader.feed(c)] == [
        HeartbeatEvent(),
        TextEvent("next"),
        HeartbeatEvent(),
    ]
    assert reader.stats.oversized == 2


def test_a_50_mb_event_is_never_held_in_memory() -> None:
    reader = EventReader()  # 1 MiB events at most
    tracemalloc.start()
    try:
        events = [e for chunk in _oversized_stream(50 << 20) for e in reader.feed(chunk)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert events == [TextEvent("before"), HeartbeatEvent(), TextEvent("after")]
    assert peak < 4 << 20, f"peak {peak / 1e6:.1f} MB"


def test_a_50_mb_chunk_is_walked_in_slices() -> None:
    body = b"".join(_oversized_stream(50 << 20))
    reader = EventReader()
    tracemalloc.start()
    try:
        events = reader.feed(body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert events == [TextEvent("before"), HeartbeatEvent(), TextEvent("after")]
    assert peak < 4 << 20, "the chunk is not copied whole (split or decode)"


def test_every_chunk_reaches_the_clock_even_when_only_comments_arrive() -> None:
    ticks: list[int] = []
    chunks = [b": ping\n\n"] * 5 + [b": pi", b"ng\n", b"\n"]
    assert read(chunks, on_chunk=lambda: ticks.append(1)) == []
    assert len(ticks) == len(chunks)


@pytest.mark.anyio
async def test_the_clock_can_stop_the_stream() -> None:
    seen = 0

    def deadline() -> None:
        nonlocal seen
        seen += 1
        if seen > 3:
            raise TimeoutError

    async def pings() -> AsyncIterator[bytes]:
        while True:  # a backend that only ever sends comments
            yield b": ping\n\n"

    with pytest.raises(TimeoutError):
        async for _ in read_events(pings(), on_chunk=deadline):
            pass
    assert seen == 4


def test_stream_text_is_capped_across_events() -> None:
    body = b"".join(b'data: {"type": "text", "content": "%s"}\n\n' % (b"a" * 100) for _ in range(50))
    reader = EventReader(max_text_chars=250)
    texts = [e.text for e in reader.feed(body) if isinstance(e, TextEvent)]
    assert "".join(texts) == "a" * 250
    assert reader.stats.text_cut


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    assert read([b'data: {"type": "text", "content": "a\xff\xed\xa0\x80b"}\n\n']) == [
        TextEvent("a\ufffd\ufffd\ufffd\ufffdb")
    ]


@given(st.binary(max_size=400), st.lists(st.integers(min_value=1, max_value=399), max_size=6))
def test_the_reader_never_crashes_on_arbitrary_bytes(body: bytes, cuts: list[int]) -> None:
    edges = [0, *sorted(c for c in set(cuts) if c < len(body)), len(body)]
    chunks = [body[a:b] for a, b in itertools.pairwise(edges)]
    events = read(chunks, max_event_bytes=64)
    assert all(isinstance(e, EVENT_TYPES) for e in events)
    assert events == read([body], max_event_bytes=64), "framing doesn't depend on chunking"
