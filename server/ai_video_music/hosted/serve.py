"""``ai-video-music serve --hosted``: serve with uvicorn (the CLI read the configuration first,
with ``config.load``)."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

from ..config import Settings
from ..heap import freeze_startup_objects
from .app import create_app
from .config import HostedConfig


def run(config: HostedConfig, settings: Settings, host: str, port: int) -> None:
    """Serve until interrupted."""
    app = create_app(config, settings)
    freeze_startup_objects()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        **proxy_options(config),
        **slow_client_options(),
    )


HEADER_TIMEOUT_S = 10.0  # as HAProxy's `timeout http-request` in scripts/hosted-stack
# Connections or requests at once, then uvicorn answers 503 at once: below the usual 1,024
# descriptors, so that past it a client is told to come back rather than never accepted.
LIMIT_CONCURRENCY = 900


def slow_client_options(header_timeout: float = HEADER_TIMEOUT_S) -> dict[str, Any]:
    """uvicorn's settings against slow and many clients (attack16b F4). Hosted mode is meant to
    run behind the balancer (``scripts/hosted-stack``'s HAProxy: ``timeout http-request``,
    ``maxconn``), which is the real defence; these keep a bare instance from being held for ever.
    uvicorn has no timeout for a request's headers, hence ``headers_within``."""
    return {
        "http": headers_within(header_timeout),
        "limit_concurrency": LIMIT_CONCURRENCY,
        "timeout_keep_alive": 5,  # an idle kept-alive connection (uvicorn's default, said here)
        "h11_max_incomplete_event_size": 16 * 1024,  # a request's headers (h11's default, said here)
    }


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


def proxy_options(config: HostedConfig) -> dict[str, Any]:
    """uvicorn believes X-Forwarded-For only from NEMO_TRUSTED_PROXIES (the balancer, which must
    overwrite whatever the client sent); with none configured, only the connection's own address
    counts. (Not uvicorn's FORWARDED_ALLOW_IPS default, loopback: a stack whose balancer passes a
    client's header through would let every client pick its address.)"""
    if not config.trusted_proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": list(config.trusted_proxies)}
