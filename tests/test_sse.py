"""The event decoder, alone and behind httpx-sse with arbitrarily split chunks."""

from __future__ import annotations

import itertools
import json

import httpx
import pytest
from httpx_sse import aconnect_sse
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_video_music.sse import (
    ErrorEvent,
    EventDecoder,
    HeartbeatEvent,
    TextEvent,
    ToolCallEvent,
    ToolResultEvent,
)


def decode(*payloads: str) -> list[object]:
    decoder = EventDecoder()
    return [e for p in payloads for e in decoder.feed(p)]


def test_service_events_of_every_type() -> None:
    assert decode(
        '{"type": "text", "content": "hi"}',
        '{"type": "tool_call", "name": "add_bgm", "args": {"v": 1}}',
        '{"type": "tool_result", "name": "add_bgm", "result": {"ok": true}}',
        '{"type": "heartbeat"}',
    ) == [
        TextEvent("hi"),
        ToolCallEvent("add_bgm", {"v": 1}),
        ToolResultEvent("add_bgm", {"ok": True}),
        HeartbeatEvent(),
    ]


@pytest.mark.parametrize(
    ("call_key", "response_key", "partial_key"),
    [("functionCall", "functionResponse", "partial"), ("function_call", "function_response", "partial")],
)
def test_adk_events_in_camel_or_snake_case(call_key: str, response_key: str, partial_key: str) -> None:
    events = decode(
        json.dumps({"author": "a", "content": {"parts": [{call_key: {"name": "cut", "args": {"at": 3}}}]}}),
        json.dumps({"content": {"parts": [{response_key: {"name": "cut", "response": {"ok": 1}}}]}}),
        json.dumps({"content": {"parts": [{"text": "Hel"}]}, partial_key: True}),
        json.dumps({"content": {"parts": [{"text": "lo"}]}, partial_key: True}),
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


def test_adk_and_plain_errors_become_error_events() -> None:
    assert decode('{"errorCode": "2001", "errorMessage": "no credits"}') == [ErrorEvent("no credits", "2001")]
    assert decode('{"error": "boom"}') == [ErrorEvent("boom")]
    assert decode('{"error_code": "X"}') == [ErrorEvent("X", "X")]


def test_empty_data_is_a_heartbeat_and_plain_text_is_text() -> None:
    assert decode("", "  ") == [HeartbeatEvent(), HeartbeatEvent()]
    assert decode("[DONE]") == []
    assert decode("just words") == [TextEvent("just words")]


STREAM = (
    b": ping\n\n"
    b"data:\n\n"
    b'data: {"type": "tool_call", "name": "edit", "args": "{\\"x\\": 1}"}\n\n'
    b"event: message\r\n"
    b'data: {"type": "text", "content": "Done \xe2\x9c\x85 \xe5\xaf\xbc\xe5\x87\xba"}\r\n\r\n'
    b": keepalive\n\n"
    b'data: {"content": {"parts": [{"text": "multi"}]},\ndata:  "partial": false}\n\n'
)
EXPECTED = [HeartbeatEvent(), ToolCallEvent("edit", {"x": 1}), TextEvent("Done ✅ 导出"), TextEvent("multi")]


async def _events_from_chunks(chunks: list[bytes]) -> list[object]:
    async def body():  # type: ignore[no-untyped-def]
        for chunk in chunks:
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    decoder = EventDecoder()
    out: list[object] = []
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http,
        aconnect_sse(http, "POST", "http://sim/run_sse") as source,
    ):
        async for sse in source.aiter_sse():
            out.extend(decoder.feed(sse.data))
    return out


@pytest.mark.anyio
async def test_comments_crlf_multiline_data_and_utf8_split_mid_character() -> None:
    # Split inside the multi-byte characters and inside "\r\n".
    cut = [STREAM[:70], STREAM[70:141], STREAM[141:143], STREAM[143:]]
    assert await _events_from_chunks(cut) == EXPECTED


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(STREAM) - 1), unique=True, max_size=12))
def test_any_chunking_of_the_stream_gives_the_same_events(cuts: list[int]) -> None:
    import anyio

    edges = [0, *sorted(cuts), len(STREAM)]
    chunks = [STREAM[a:b] for a, b in itertools.pairwise(edges)]
    assert anyio.run(_events_from_chunks, chunks) == EXPECTED


@given(st.text(max_size=300))
def test_the_decoder_never_crashes_on_arbitrary_payloads(payload: str) -> None:
    for event in EventDecoder().feed(payload):
        assert isinstance(event, TextEvent | HeartbeatEvent | ToolCallEvent | ToolResultEvent | ErrorEvent)


@given(st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=8))
def test_adk_partials_then_final_yield_the_text_exactly_once(fragments: list[str]) -> None:
    payloads = [json.dumps({"content": {"parts": [{"text": f}]}, "partial": True}) for f in fragments]
    payloads.append(json.dumps({"content": {"parts": [{"text": "".join(fragments)}]}}))
    texts = [e.text for e in decode(*payloads) if isinstance(e, TextEvent)]
    assert "".join(texts) == "".join(fragments)
