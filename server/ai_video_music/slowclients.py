"""uvicorn's settings against slow and many clients, for every server we run: hosted mode
(attack16b F4) and the local ``serve --http`` (attack24 A24-2: any local process, no secret
needed, held its connections open with headers that never end until the descriptors ran out).
The checks that keep others out (Host, Origin, the secret, the connecting account) run only once
a request's headers are in, so a deadline on the headers is what frees what they hold."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

from .config import HEADER_TIMEOUT_S

# Connections or requests at once, then uvicorn answers 503 at once: below the usual 1,024
# descriptors, so that past it a client is told to come back rather than never accepted.
LIMIT_CONCURRENCY = 900
FDS_KEPT = 1 / 8  # of the descriptor limit, for the store, downloads, checks and listening sockets


def slow_client_options(header_timeout: float = HEADER_TIMEOUT_S) -> dict[str, Any]:
    """The uvicorn settings. Hosted mode is meant to run behind the balancer
    (``scripts/hosted-stack``'s HAProxy: ``timeout http-request``, ``maxconn``), which is the
    real defence there; these keep a bare instance, and the local server, from being held for
    ever. uvicorn has no timeout for a request's headers, hence ``headers_within``."""
    return {
        "http": headers_within(header_timeout),
        "limit_concurrency": concurrency_cap(),
        "timeout_keep_alive": 5,  # an idle kept-alive connection (uvicorn's default, said here)
        "h11_max_incomplete_event_size": 16 * 1024,  # a request's headers (h11's default, said here)
    }


def concurrency_cap() -> int:
    """``LIMIT_CONCURRENCY``, or less where this process may open fewer descriptors (macOS
    starts a shell's processes at 256): the cap must come before the descriptors run out."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to read
        return LIMIT_CONCURRENCY
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return LIMIT_CONCURRENCY
    return max(16, min(LIMIT_CONCURRENCY, int(soft * (1 - FDS_KEPT))))


def headers_within(seconds: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol, closing a connection on which no request has begun ``seconds``
    after it opened or after its last response (a client that sends its headers a byte at a
    time, or never ends them: slowloris). uvicorn's keep-alive timeout stops at the first byte."""

    # This server's connections by when they last fell idle (opened, or answered), oldest first;
    # and those closed here whose end uvicorn has not yet counted.
    by_idle: dict[H11Protocol, None] = {}
    closing: set[H11Protocol] = set()

    class HeadersInTime(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()
            self._make_room()

        def connection_lost(self, exc: Exception | None) -> None:
            by_idle.pop(self, None)
            closing.discard(self)
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def _arm(self) -> None:
            since = self.cycle  # the request answered last (None: none yet)
            by_idle.pop(self, None)
            by_idle[self] = None
            self.loop.call_later(seconds, self._late, since)

        def _close(self) -> None:
            closing.add(self)
            self.transport.close()

        def _make_room(self) -> None:
            # At the cap, uvicorn answers every new request 503, and connections that send
            # nothing count as much as running requests: anyone able to connect kept the user
            # out by holding as many (attack25 A25-4). Those with no request running give way,
            # the one idle longest first, so that this one's request counts as the cap allows.
            cap = self.limit_concurrency
            if cap is None or len(self.connections) < cap:
                return
            over = len(self.connections) - len(closing) - (cap - 1)
            for conn in by_idle:  # closing here changes neither table until uvicorn counts the end
                if over <= 0:
                    return
                idle = conn.cycle is None or conn.cycle.response_complete
                if conn is not self and idle and not conn.transport.is_closing():
                    assert isinstance(conn, HeadersInTime)
                    conn._close()
                    over -= 1

        def _late(self, since: RequestResponseCycle | None) -> None:
            answered = since is None or since.response_complete  # (a pipelined one may be running)
            if self.cycle is since and answered and not self.transport.is_closing():
                self._close()  # no new request began in time

    return HeadersInTime
