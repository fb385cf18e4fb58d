"""Tool calls and resource reads (each one a NemoVideo request) per user per minute on ``/mcp``,
counted in PostgreSQL so the limit holds whichever instance a call lands on (the per-instance cap
in ``users.py`` only bounds calls at once).

Fixed one-minute windows, one upserted row per user and minute: one round trip per tool call.
A call over the limit is answered here, never reaching the user's server, in the user's language,
saying when to try again (and ``Retry-After``): a tool call as a tool result marked as an error, a
resource read as a JSON-RPC error.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from psycopg_pool import AsyncConnectionPool
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from ..messages import Lang, detect_language, parse_language, t

TOOL_CALL = "tools/call"
COUNTED = (TOOL_CALL, "resources/read")
LIMITED = -32000  # JSON-RPC's range for implementation-defined server errors
PARSE_ERROR = -32700


class TooDeep(Exception):
    """A body nested deeper than the parser goes: refused as a parse error (never a traceback)."""


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the next window
    lang: Lang  # the user's language as the store last saw it


class CallLimit:
    def __init__(
        self, pool: AsyncConnectionPool, per_minute: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.pool = pool
        self.per_minute = per_minute
        self.clock = clock  # wall-clock seconds (instances behind one balancer keep time with NTP)

    async def take(self, user_id: str) -> Verdict:
        """Count one tool call; whether it is within the limit."""
        now = self.clock()
        window = math.floor(now / 60) * 60
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "INSERT INTO rate_windows (user_id, window_start, calls) VALUES (%s, to_timestamp(%s), 1)"
                " ON CONFLICT (user_id, window_start) DO UPDATE SET calls = rate_windows.calls + 1"
                " RETURNING calls, (SELECT value FROM kv WHERE kv.user_id = %s AND kv.key = 'language')",
                (user_id, window, user_id),
            )
            row = await cur.fetchone()
        assert row is not None  # an upsert with RETURNING always returns its row
        calls, lang = int(row[0]), parse_language(row[1]) or "en"
        return Verdict(calls <= self.per_minute, max(1, math.ceil(window + 60 - now)), lang)


def tool_calls(body: bytes) -> list[dict[str, Any]]:
    """The tool calls and resource reads in a JSON-RPC body (one message or a batch); none when it
    isn't JSON (the SDK answers that). ``TooDeep`` when it is nested past what can be parsed."""
    try:
        parsed = json.loads(body)
    except RecursionError as err:
        raise TooDeep from err
    except ValueError:
        return []
    messages = parsed if isinstance(parsed, list) else [parsed]
    return [m for m in messages if isinstance(m, dict) and m.get("method") in COUNTED]


async def too_deep(langs: tuple[Lang, ...], scope: Scope, receive: Receive, send: Send) -> None:
    error = {"code": PARSE_ERROR, "message": "\n".join(t("rate.too_deep", lang) for lang in langs)}
    response = JSONResponse({"jsonrpc": "2.0", "id": None, "error": error}, status_code=400)
    await response(scope, receive, send)


def prompt_language(call: dict[str, Any]) -> Lang | None:
    """The language of the call's own words, when it has a prompt (it beats the stored one)."""
    params = call.get("params")
    arguments = params.get("arguments") if isinstance(params, dict) else None
    prompt = arguments.get("prompt") if isinstance(arguments, dict) else None
    return detect_language(prompt) if isinstance(prompt, str) else None


async def read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    """The whole request body (the app's body limit bounds it), and the messages to replay."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that hands back what was read, then the real one (a disconnect, later)."""
    pending = list(messages)

    async def again() -> Message:
        return pending.pop(0) if pending else await receive()

    return again


async def refuse(calls: list[dict[str, Any]], verdict: Verdict, limit: int, scope: Scope,
                 receive: Receive, send: Send) -> None:  # fmt: skip
    """Every tool call in the body answered as a tool error that says when to try again."""
    lang = prompt_language(calls[0]) or verdict.lang
    text = t("rate.limited", lang, limit=limit, seconds=verdict.retry_after)
    answers = [
        {
            "jsonrpc": "2.0",
            "id": call.get("id"),
            # resultType: the stateless era (2026-07-28) requires it; the earlier one ignores it.
            "result": {
                "content": [{"type": "text", "text": text}],
                "isError": True,
                "resultType": "complete",
            },
        }
        if call.get("method") == TOOL_CALL
        else {
            "jsonrpc": "2.0",
            "id": call.get("id"),
            "error": {"code": LIMITED, "message": text, "data": {"retry_after": verdict.retry_after}},
        }
        for call in calls
    ]
    response = JSONResponse(
        answers[0] if len(answers) == 1 else answers, headers={"Retry-After": str(verdict.retry_after)}
    )
    await response(scope, receive, send)
