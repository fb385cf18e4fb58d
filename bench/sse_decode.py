"""SSE decoding speed: our byte-level reader against a plain httpx-sse reader, same stream.

Not a pass/fail test. Both readers get the same body through ``httpx.MockTransport`` (no
socket, so the decoding is what is measured): the baseline is ``aconnect_sse`` +
``aiter_sse`` doing only ``json.loads`` of each ``data``; ours is
``EventReader.events(response.aiter_bytes())`` with a deadline check on every line, doing
the full decoding into typed events. Runs are interleaved (the order alternates) and the
ratio baseline_time / our_time is reported as min/median/max: above 1.0 we are faster.

    .venv/bin/python bench/sse_decode.py [--events 100000] [--runs 9]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import anyio
import httpx
from httpx_sse import aconnect_sse

from ai_video_music.sse import EventReader, TextEvent

URL = "http://bench/run_sse"


def make_events(n: int) -> list[bytes]:
    """A turn's worth of traffic: heartbeats, comments, tool calls, text, ADK partials."""
    kinds: list[bytes] = [
        b'data: {"type": "heartbeat"}\n\n',
        b": ping\n\n",
        b'data: {"type": "text", "content": "I\'ve added a free Lo-fi track at 35% volume."}\n\n',
        'data: {"type": "text", "content": "已添加背景音乐。"}\n\n'.encode(),
        b'data: {"type": "tool_call", "name": "edit_multitrack", "args": {"op": "add_bgm", "v": 35}}\n\n',
        b'data: {"type": "tool_result", "name": "edit_multitrack", "result": {"ok": true}}\n\n',
        b'data: {"author": "nemo_agent", "content": {"role": "model", "parts": [{"text": "Adding the '
        b'music now"}]}, "partial": true}\n\n',
        b'data: {"author": "nemo_agent", "content": {"role": "model", "parts": [{"functionCall": '
        b'{"name": "edit_multitrack", "args": {"op": "title"}}}]}}\n\n',
    ]
    return [kinds[i % len(kinds)] for i in range(n)]


def chunked(events: list[bytes], size: int | None) -> list[bytes]:
    """One event per chunk (a server flushing per event), or the body cut every ``size`` bytes."""
    if size is None:
        return events
    body = b"".join(events)
    return [body[i : i + size] for i in range(0, len(body), size)]


def transport(chunks: list[bytes]) -> httpx.MockTransport:
    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    return httpx.MockTransport(handler)


async def baseline(chunks: list[bytes]) -> int:
    count = 0
    async with (
        httpx.AsyncClient(transport=transport(chunks)) as http,
        aconnect_sse(http, "POST", URL) as source,
    ):
        async for sse in source.aiter_sse():
            json.loads(sse.data)
            count += 1
    return count


async def ours(chunks: list[bytes]) -> int:
    deadline = time.monotonic() + 900

    def check() -> None:  # what the client does: the 15-minute limit, heartbeats included
        if time.monotonic() > deadline:
            raise TimeoutError

    count = 0
    reader = EventReader(on_chunk=check, max_text_chars=1 << 62)
    async with httpx.AsyncClient(transport=transport(chunks)) as http, http.stream("POST", URL) as response:
        async for event in reader.events(response.aiter_bytes()):
            count += isinstance(event, TextEvent)
    return count


async def timed(
    fn: Callable[[list[bytes]], Coroutine[Any, Any, int]], chunks: list[bytes]
) -> tuple[float, float]:
    """(wall, CPU) seconds; CPU time is what decoding costs, wall time also holds the neighbours' load."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    await fn(chunks)
    return time.perf_counter() - wall, time.process_time() - cpu


def stats(label: str, base: list[float], mine: list[float]) -> str:
    ratios = [b / o for b, o in zip(base, mine, strict=True)]
    return (
        f"{label} ratio min {min(ratios):.2f} median {statistics.median(ratios):.2f} max {max(ratios):.2f} "
        f"(httpx-sse {statistics.median(base) * 1000:.0f} ms, ours {statistics.median(mine) * 1000:.0f} ms)"
    )


async def compare(chunks: list[bytes], runs: int) -> list[str]:
    assert await ours(chunks) > 0  # warm both paths (and check ours sees the text)
    await baseline(chunks)
    base: list[tuple[float, float]] = []
    mine: list[tuple[float, float]] = []
    for i in range(runs):
        if i % 2:
            mine.append(await timed(ours, chunks))
            base.append(await timed(baseline, chunks))
        else:
            base.append(await timed(baseline, chunks))
            mine.append(await timed(ours, chunks))
    return [
        stats("CPU ", [c for _, c in base], [c for _, c in mine]),
        stats("wall", [w for w, _ in base], [w for w, _ in mine]),
    ]


def oversized(mb: int) -> str:
    """How long skipping one huge event takes: the event loop is blocked for at most one chunk."""
    piece = b"x" * (1 << 16)
    head, tail = b'data: {"type": "text", "content": "', b'"}\n\ndata: {"type": "text", "content": "ok"}\n\n'
    reader = EventReader()
    longest = 0.0
    start = time.perf_counter()
    events = reader.feed(head)
    for _ in range(mb * 16):
        t = time.perf_counter()
        events += reader.feed(piece)
        longest = max(longest, time.perf_counter() - t)
    events += reader.feed(tail)
    total = time.perf_counter() - start
    assert reader.stats.oversized == 1
    assert isinstance(events[-1], TextEvent)
    whole = head + piece * (mb * 16) + tail
    t = time.perf_counter()
    assert isinstance(EventReader().feed(whole)[-1], TextEvent)
    one = time.perf_counter() - t
    return (
        f"a {mb} MB event skipped: {total * 1000:.0f} ms in 64 KiB chunks (longest chunk "
        f"{longest * 1e6:.0f} us); {one * 1000:.0f} ms as one chunk"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    events = make_events(args.events)
    print(f"{args.events} events, {sum(map(len, events)) / 1e6:.1f} MB, {args.runs} interleaved runs")
    print("speed ratio = httpx-sse time / our time (>= 0.95 is the target)")
    for label, size in (("one event per chunk", None), ("64 KiB chunks", 1 << 16)):
        for line in await compare(chunked(events, size), args.runs):
            print(f"{label:>20}, {line}")
    print(oversized(50))


if __name__ == "__main__":
    anyio.run(main)
