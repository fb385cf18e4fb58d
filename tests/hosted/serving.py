"""Run the hosted app with uvicorn in a thread, on a socket that listens before it starts.

The socket is bound and listening before the server runs, so a client may connect at once:
its connection waits in the backlog until the app has started (no readiness polling).
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp

from ai_video_music.config import Settings
from ai_video_music.hosted.app import create_app
from ai_video_music.hosted.config import HostedConfig


def listen() -> socket.socket:
    """A listening loopback socket on a free port (the kernel picks it: no race)."""
    sock = socket.socket()
    # Accepted connections inherit it: without it, Nagle's algorithm holds a response's body until
    # the client acknowledges its headers, and the client's delayed ACK adds 40 ms to every request
    # on a kept-alive connection (asyncio sets it only on sockets made with ``IPPROTO_TCP``).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def port_of(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])


def loopback_config(database_url: str, sock: socket.socket, key: bytes) -> HostedConfig:
    return HostedConfig(
        database_url=database_url, public_url=f"http://127.0.0.1:{port_of(sock)}", secret_key=key
    )


@contextmanager
def running(config: HostedConfig, settings: Settings, sock: socket.socket) -> Iterator[str]:
    """Serves the hosted app on ``sock``; yields its base URL."""
    with serving(create_app(config, settings), sock) as base:
        yield base


class QuickStop(uvicorn.Server):
    """uvicorn as it serves, stopped in a few milliseconds: it looks at ``should_exit`` every
    0.1 s and waits 0.1 s more for connections to take their shutdown, ~0.17 s a stop, and the
    suite starts and stops some two hundred servers. Here every 10 ms (uvicorn 0.55's shutdown,
    its waits shortened)."""

    async def main_loop(self) -> None:
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            await asyncio.sleep(0.01)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        await asyncio.sleep(0.01)
        while (self.server_state.connections or self.server_state.tasks) and not self.force_exit:
            await asyncio.sleep(0.01)
        for server in self.servers:
            await server.wait_closed()
        if not self.force_exit:
            await self.lifespan.shutdown()


@contextmanager
def serving(app: ASGIApp, sock: socket.socket, scheme: str = "http", **options: Any) -> Iterator[str]:
    """Serves ``app`` on ``sock``; yields its base URL; stops it (and closes the socket) on exit.
    ``options`` go to uvicorn (e.g. ``ssl_certfile``, with ``scheme="https"``)."""
    server = QuickStop(uvicorn.Config(app, log_level="warning", lifespan="on", **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"{scheme}://127.0.0.1:{port_of(sock)}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
