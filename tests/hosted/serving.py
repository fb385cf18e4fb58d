"""Run the hosted app with uvicorn on a loopback port, in a thread with its own event loop."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from ai_video_music.config import Settings
from ai_video_music.hosted.app import create_app
from ai_video_music.hosted.config import HostedConfig


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(config: HostedConfig, settings: Settings, port: int) -> Iterator[str]:
    """Yields the base URL once the server accepts connections; stops it on exit."""
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(config, settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()

    def wait() -> None:
        while thread.is_alive() and not server.started:
            started.wait(0.02)  # polling a flag uvicorn sets; bounded below

    waiter = threading.Thread(target=wait)
    waiter.start()
    waiter.join(timeout=60)
    if not server.started:
        server.should_exit = True
        thread.join(timeout=10)
        raise RuntimeError("the hosted server did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
