"""Per-key request limits shared by every instance: fixed-window counters in PostgreSQL.

A small piece on its own so that any limit can use it (per client, :mod:`clients`, for the requests
that need no sign-in; per user elsewhere). One row per key and window, counted with one atomic
upsert, so instances racing on the same key still count every request once. A fixed window lets
a burst of at most twice the limit straddle a boundary; for abuse limits that is close enough,
and it keeps the table at one row per active key.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .clients import keys_of, scope_client_key

# Counters of windows that ended this long ago are swept (housekeeping.py).
SWEEP_STATEMENT = b"DELETE FROM rate_counts WHERE window_start < now() - interval '1 day'"


@dataclass(frozen=True)
class RateLimit:
    """At most ``allowed`` hits per key in each ``window`` seconds, for one ``bucket``."""

    pool: AsyncConnectionPool
    bucket: str
    allowed: int
    window: int
    # A client with no request of its own in the window may make one even while its site is over
    # its allowance, so one customer of an ISP's /48 can't keep every neighbour from reaching a
    # page they need (sign-in). Off where each request stores something (registrations).
    fresh_client_try: bool = False

    async def hit(self, key: str) -> bool:
        """Count one request of ``key`` (and of its site: :func:`clients.keys_of`); whether both
        are within the limit (or, with ``fresh_client_try``, this is the client's first request
        of the window and only its site is over)."""
        async with self.pool.connection() as conn, conn.transaction():
            own = 0
            for index, (name, factor) in enumerate(keys_of(key)):
                cur = await conn.execute(
                    "INSERT INTO rate_counts (bucket, key, window_start, n)"
                    " VALUES (%s, %s, to_timestamp(floor(extract(epoch FROM now()) / %s) * %s), 1)"
                    " ON CONFLICT (bucket, key, window_start) DO UPDATE SET n = rate_counts.n + 1"
                    " RETURNING n",
                    (self.bucket, name, self.window, self.window),
                )
                row = await cur.fetchone()
                n = 0 if row is None else int(row[0])
                if index == 0:
                    own = n  # the client's own count, this request included
                if n > self.allowed * factor:
                    # Over: the wider keys are not counted, so one client refused again and again
                    # can't use up its site's allowance for its neighbours; but a client whose
                    # first request this is passes when only its site is over.
                    return index > 0 and self.fresh_client_try and own == 1
        return True


Refuse = Callable[[Request, RateLimit], Response]


def json_refusal(_: Request, limit: RateLimit) -> Response:
    """For machines (an OAuth client registering): RFC 6585's 429, in the OAuth error shape."""
    return JSONResponse(
        {"error": "too_many_requests", "error_description": "too many requests; try again later"},
        status_code=429,
        headers={"Retry-After": str(limit.window)},
    )


@dataclass(frozen=True)
class Limited:
    limit: RateLimit
    refuse: Refuse = json_refusal


class LimitedPaths:
    """ASGI middleware: requests to the given paths (or under the given ``prefixes``) count
    against their limit, per client (:func:`clients.client_key`: an IPv4 address, an IPv6 /64);
    over the limit, the path's refusal (a 429) and nothing else done."""

    def __init__(
        self, app: ASGIApp, limits: dict[str, Limited], prefixes: dict[str, Limited] | None = None
    ) -> None:
        self.app = app
        self.limits = limits
        self.prefixes = prefixes or {}

    def _limited(self, path: str) -> Limited | None:
        found = self.limits.get(path)
        if found is None:
            found = next((v for k, v in self.prefixes.items() if path.startswith(k)), None)
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limited = self._limited(str(scope.get("path", ""))) if scope["type"] == "http" else None
        if (
            limited is not None
            and scope.get("method") != "OPTIONS"
            and not await limited.limit.hit(scope_client_key(scope))
        ):
            response = limited.refuse(Request(scope), limited.limit)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


@dataclass
class BadBearers:
    """ASGI middleware on ``path`` (``/mcp``): requests whose bearer token turns out unknown (a
    401: each was a token lookup in the database) count against ``limit`` per client; a client
    over it is refused with a 429 before its token is looked up, until the window ends. Valid
    tokens are never counted (claude.ai's few addresses carry all of its users). Each instance
    learns that a client is over at its own next refusal."""

    app: ASGIApp
    path: str
    limit: RateLimit
    clock: Callable[[], float] = time.monotonic
    over: dict[str, float] = field(default_factory=dict)  # client key -> until (clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") != self.path or not _bearer(scope):
            await self.app(scope, receive, send)
            return
        key = scope_client_key(scope)
        now = self.clock()
        if self.over.get(key, 0.0) > now:
            await json_refusal(Request(scope), self.limit)(scope, receive, send)
            return
        self.over.pop(key, None)
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, sending)
        if status == 401 and not await self.limit.hit(key):
            if len(self.over) > 10_000:  # forget the ended ones
                self.over = {k: v for k, v in self.over.items() if v > now}
            self.over[key] = now + self.limit.window


def _bearer(scope: Scope) -> bool:
    return any(
        name == b"authorization" and value[:7].lower() == b"bearer "
        for name, value in scope.get("headers") or []
    )
