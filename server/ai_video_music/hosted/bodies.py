"""Request bodies, bounded before anyone is known: a size for each route, an overall deadline, and
a budget for the body bytes the whole instance holds at once.

The SDK's ``RequestBodyLimitMiddleware`` held every body (up to 4 MiB) in full before the app
ran, in front of the bearer check and the per-address limits, and uvicorn never times a body out:
one anonymous client that sent 4 MiB less a byte on 250 connections and stopped held ~1 GB of the
instance (attack16b F8). Here nothing is held: ``receive`` is counted as the app reads it, so a
request the app answers without its body (``/mcp`` without a valid token: a 401) costs nothing,
and a body the app does read is refused as soon as it is

- larger than its route needs (the sign-in forms, ``/token``, ``/register`` and ``/revoke`` are a
  few KiB, ``/signout`` at most 16 KiB within 5 s; a signed-in ``/mcp`` keeps the SDK's 4 MiB): 413;
- still unfinished when its deadline passes (counted from the request's start, so a body that
  trickles a byte at a time ends too): 408;
- past what the instance holds across all requests in progress: 503 with ``Retry-After``;
- past one asker's share of that (:data:`SHARE`, 8 MiB, and at most a quarter of what others
  leave free, at least 256 KiB): a signed-in user's, across all their
  tokens and requests, or, before sign-in, one address's (an IPv4 address, an IPv6 /64): 503 too.
  So one user's stalled 4 MiB bodies can't fill the instance's budget and shut everyone else out
  of ``/mcp`` (attack17 A2). A signed-in request is never counted by its address: claude.ai's
  few addresses carry all of its users.

The upload page is not counted here: it streams to disk, with its own limits and deadline.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..messages import t
from .clients import scope_client_key
from .dbaway import SERVER_ERROR, request_languages

SMALL_BODY = 64 * 1024  # /register's ten 2,000-character redirect URIs fit many times over
MCP_BODY = 4 * 1024 * 1024  # the SDK's own limit for /mcp
SMALL_DEADLINE_S = 15.0  # a form or a token request, from the request's first byte to its last
MCP_DEADLINE_S = 60.0  # 4 MiB at ~70 KB/s
HELD_BUDGET = 64 * 1024 * 1024  # body bytes held across every request in progress
SHARE = 8 * 1024 * 1024  # of those, by one signed-in user, or one address before sign-in
# ... and no more than a quarter of what the others leave, but always this much (attack18 B3).
SHARE_FLOOR = 256 * 1024
BUSY_RETRY_S = 5


class BodyRefused(Exception):
    def __init__(self, status: int, key: str) -> None:
        super().__init__(key)
        self.status = status
        self.key = key


@dataclass(frozen=True)
class Rule:
    limit: int
    deadline: float


SMALL_RULE = Rule(SMALL_BODY, SMALL_DEADLINE_S)
# "Forget my token" (/signout): a token of at most 4,096 characters, a CSRF field and two flags,
# sent at once by a browser; before sign-in, so small and quick (attack18 B2).
SIGNOUT_RULE = Rule(16 * 1024, 5.0)
MCP_RULE = Rule(MCP_BODY, MCP_DEADLINE_S)


class HeldBytes:
    """The body bytes read by requests still in progress, on this instance, in all and by each
    asker (:func:`asker`), who may hold at most ``share`` of them, and at most a quarter of what
    the other askers leave free (never less than ``floor``): a share shrinks as the budget fills,
    so a few askers at their full share don't fill it (eight at 1/8 each did: attack18 B3) and
    the next one's small request still fits."""

    def __init__(self, budget: int, share: int = SHARE, floor: int = SHARE_FLOOR) -> None:
        self.budget = budget
        self.share = min(share, budget)
        self.floor = min(floor, self.share)
        self.held = 0
        self.by_asker: dict[str, int] = {}

    def allowed(self, asker: str = "") -> int:
        """The most ``asker`` may hold now."""
        left_by_others = self.budget - self.held + self.by_asker.get(asker, 0)
        return min(self.share, max(self.floor, left_by_others // 4))

    def take(self, size: int, asker: str = "") -> bool:
        if self.held + size > self.budget:
            return False
        own = self.by_asker.get(asker, 0)
        if own + size > self.allowed(asker):
            return False
        self.held += size
        self.by_asker[asker] = own + size
        return True

    def give_back(self, size: int, asker: str = "") -> None:
        self.held -= size
        left = self.by_asker.get(asker, 0) - size
        if left > 0:
            self.by_asker[asker] = left
        else:
            self.by_asker.pop(asker, None)


def asker(scope: Scope) -> str:
    """Whose share a body counts against: the signed-in user's (the bearer check has run by the
    time ``/mcp`` reads its body), else the client address's."""
    token = getattr(scope.get("user"), "access_token", None)
    subject = getattr(token, "subject", None)
    if isinstance(subject, str) and subject:
        return f"user {subject}"
    return f"address {scope_client_key(scope)}"


class BodyGuard:
    """ASGI middleware: each route's body size and deadline (``rules`` by path, ``default`` else;
    paths under ``unbounded`` pass untouched), and the instance's ``held`` budget."""

    def __init__(
        self,
        app: ASGIApp,
        rules: dict[str, Rule],
        default: Rule,
        held: HeldBytes,
        unbounded: str,
        mcp_path: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.rules = rules
        self.default = default
        self.held = held
        self.unbounded = unbounded
        self.mcp_path = mcp_path
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith(self.unbounded):
            await self.app(scope, receive, send)
            return
        rule = self.rules.get(path, self.default)
        declared = _content_length(scope)
        if declared is not None and declared > rule.limit:
            await self._answer(scope, send, BodyRefused(413, "hosted.body.too_large"))
            return
        ends = self.clock() + rule.deadline
        read = 0
        taken = 0
        whose: str | None = None
        started = False
        done = False

        async def counted() -> Message:
            nonlocal read, taken, done, whose
            if done:  # the body is over: what comes next is a disconnect, whenever it comes
                return await receive()
            message: Message | None = None
            left = ends - self.clock()
            if left > 0:
                with anyio.move_on_after(left):
                    message = await receive()
            if message is None:
                raise BodyRefused(408, "hosted.body.too_slow")
            if message["type"] != "http.request":
                done = True
                return message
            size = len(message.get("body", b""))
            read += size
            if read > rule.limit:
                raise BodyRefused(413, "hosted.body.too_large")
            if whose is None:  # at the first read, after the bearer check
                whose = asker(scope)
            if not self.held.take(size, whose):
                mine = self.held.by_asker.get(whose, 0) + size > self.held.allowed(whose)
                raise BodyRefused(503, "hosted.body.own_share" if mine else "hosted.body.busy")
            taken += size
            done = not message.get("more_body", False)
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except BodyRefused as refused:
            if started:
                raise
            await self._answer(scope, send, refused)
        finally:
            if whose is not None:
                self.held.give_back(taken, whose)

    async def _answer(self, scope: Scope, send: Send, refused: BodyRefused) -> None:
        langs = request_languages(scope)
        text = "\n".join(t(refused.key, lang) for lang in langs)
        body: dict[str, object]
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        if refused.status == 503:
            headers.append((b"retry-after", str(BUSY_RETRY_S).encode()))
        if scope.get("path") == self.mcp_path:
            error = {"code": SERVER_ERROR, "message": text}
            body = {"jsonrpc": "2.0", "id": None, "error": error}
        else:
            body = {"error": "invalid_request", "error_description": text}
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": refused.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
