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

    class HeadersInTime(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()

        def _arm(self) -> None:
            since = self.cycle  # the request answered last (None: none yet)
            self.loop.call_later(seconds, self._late, since)

        def _late(self, since: RequestResponseCycle | None) -> None:
            answered = since is None or since.response_complete  # (a pipelined one may be running)
            if self.cycle is since and answered and not self.transport.is_closing():
                self.transport.close()  # no new request began in time

    return HeadersInTime
