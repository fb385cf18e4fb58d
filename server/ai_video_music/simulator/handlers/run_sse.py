"""``POST /run_sse``: one agent turn, streamed as SSE in the native or the ADK event format.

The turn is planned and charged before the stream starts (2001 when the balance is short),
then works for the configured time with heartbeats, commits each stage's draft when its tool
call returns, and ends with the reply (or none: ``no_text_rate``). A liar (``lie_rate`` or
``next_lie``) streams the reply of the plan but commits nothing; an overreacher (``next_overreach``)
commits the plan and swaps the music as well.

The agent works whether or not anyone reads: as at the service, a reader that goes away (its
server died) loses the stream, not the work, which goes on to commit its drafts.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import uuid_utils
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ..agent import Plan, overreach, plan_turn
from ..config import SseFormat
from ..envelope import ApiReject, json_body, session_for, user_for
from ..faults import Fault
from ..state import MediaFile, Session, SimState, User


def _event(obj: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n".encode()


def _adk(parts: list[dict[str, Any]], **extra: Any) -> bytes:
    return _event({"author": "nemo_agent", "content": {"role": "model", "parts": parts}, **extra})


async def run_sse(state: SimState, request: Request) -> Response:
    user = user_for(state, request)
    body = await json_body(request)
    session = session_for(state, user, str(body.get("session_id")))
    message = body.get("new_message")
    parts = message.get("parts") if isinstance(message, dict) else None
    parts = parts if isinstance(parts, list) else []
    first = parts[0] if parts and isinstance(parts[0], dict) else {}
    text = str(first.get("text") or "")[:10_000]
    generated_url = f"{state.storage_origin}/media/gen_{uuid_utils.uuid4().hex[:12]}/scene.mp4"
    with state.lock:
        plan = plan_turn(
            text,
            session.draft,
            list(session.uploads),
            session_language=session.language,
            generation_cost=state.config.generation_cost,
            edit_cost=state.config.edit_cost,
            generated_url=generated_url,
        )
        if user.credits < plan.cost:
            raise ApiReject(2001, "insufficient credits")
        user.credits -= plan.cost
        user.frozen += plan.cost
        if state.next_no_text is not None:
            silent, state.next_no_text = state.next_no_text, None
        else:
            silent = state.rng.random() < state.config.no_text_rate
        if state.next_lie is not None:
            lie, state.next_lie = state.next_lie, None
        else:
            lie = plan.kind == "edit" and state.rng.random() < state.config.lie_rate
        if state.next_overreach:  # one turn that also swaps the music, unasked
            state.next_overreach, plan = False, overreach(plan)
        for item in plan.generated:
            state.media[item["url"]] = MediaFile(item["url"], "generated", item["name"], None)
    fault = state.faults.take("run_sse", {"drop", "error_event"})
    stream = _detached(_stream(state, user, session, plan, silent=silent, lie=lie, fault=fault))
    return StreamingResponse(stream, media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


_WORKING: set[asyncio.Task[None]] = set()  # turns at work, kept from the garbage collector


async def _detached(work: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """``work`` runs as its own task and its chunks are forwarded: when the reader disconnects,
    this forwarding ends and the work does not."""
    queue: asyncio.Queue[bytes | Exception | None] = asyncio.Queue()

    async def pump() -> None:
        end: Exception | None = None
        try:
            async for chunk in work:
                queue.put_nowait(chunk)
        except Exception as err:  # noqa: BLE001 - the reader raises it (a dropped connection, say)
            end = err
        finally:
            queue.put_nowait(end)  # None: the turn ended; the reader never waits forever

    task = asyncio.ensure_future(pump())
    _WORKING.add(task)
    task.add_done_callback(_WORKING.discard)
    while (item := await queue.get()) is not None:
        if isinstance(item, Exception):
            raise item
        yield item


async def _stream(
    state: SimState, user: User, session: Session, plan: Plan, *, silent: bool, lie: bool, fault: Fault | None
) -> AsyncIterator[bytes]:
    config = state.config
    adk = config.sse_format == SseFormat.ADK
    heartbeat = _event({"type": "heartbeat"}) if not adk else b"data: \n\n"
    turns = state.agent_turns  # this test's list, even if the simulator is reset meanwhile
    beat = 0

    async def work(seconds: float) -> AsyncIterator[bytes]:
        """Heartbeats for ``seconds``, alternating a comment, an empty data line and an event."""
        nonlocal beat
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(min(config.heartbeat_every, max(0.0, deadline - time.monotonic())))
            beat += 1
            yield (b": ping\n\n", b"data:\n\n", heartbeat)[beat % 3]

    started = time.monotonic()
    try:
        gate = state.gate("run_sse")
        if gate is not None:
            gate.enter()
            while not gate.released:
                async for chunk in work(config.heartbeat_every):
                    yield chunk
        total = config.agent_seconds
        if plan.kind == "generation" and config.generation_seconds is not None:
            total = config.generation_seconds
        stages = [] if lie else plan.stages
        # The raw video takes most of a generation; the finishing touches the rest.
        shares = [0.7] + [0.3 / (len(stages) - 1)] * (len(stages) - 1) if len(stages) > 1 else [1.0]
        if not stages:
            async for chunk in work(total):
                yield chunk
        for stage, share in zip(stages, shares, strict=False):
            if adk:
                yield _adk([{"functionCall": {"name": stage.tool, "args": stage.args}}])
            else:
                yield _event({"type": "tool_call", "name": stage.tool, "args": stage.args})
            async for chunk in work(total * share):
                yield chunk
            with state.lock:
                session.draft = stage.draft
            if adk:
                yield _adk([{"functionResponse": {"name": stage.tool, "response": {"ok": True}}}])
            else:
                yield _event({"type": "tool_result", "name": stage.tool, "result": {"ok": True}})
        for _ in range(config.burst_events):  # a 15-minute turn, compressed
            yield heartbeat
        if plan.kind == "generation" and not lie:
            with state.lock:
                session.generated_media.extend(plan.generated)
        reply = plan.reply
        if fault is not None and fault.kind == "error_event":
            yield _event({"error": "agent crashed while editing"})
            return
        if silent:
            return
        if fault is not None and fault.kind == "drop":
            half = reply[: len(reply) // 2]
            yield (
                _event({"type": "text", "content": half}) if not adk else _adk([{"text": half}], partial=True)
            )
            raise ConnectionResetError("stream dropped")
        if adk:
            cut = len(reply) // 2
            yield _adk([{"text": reply[:cut]}], partial=True)
            yield _adk([{"text": reply[cut:]}], partial=True)
            yield _adk([{"text": reply}], turnComplete=True)
        else:
            yield _event({"type": "text", "content": reply})
    finally:
        with state.lock:
            user.frozen = max(0.0, user.frozen - plan.cost)
            turns.append((started, time.monotonic()))
