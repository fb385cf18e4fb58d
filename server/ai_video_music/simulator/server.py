"""Serving: the API port and the storage port from one uvicorn server, and the test-facing API."""

from __future__ import annotations

import asyncio
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from .app import build_app
from .config import SimConfig
from .faults import Faults
from .gates import Gate
from .state import SimState


def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this; without it Nagle and delayed ACKs add 40 ms a request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class Simulator:
    """The NemoVideo backend on loopback: ``with Simulator(config) as sim: ... sim.base_url``.

    Tests drive it through lock-guarded methods: ``sim.faults.add(route, kind, times=1,
    retry_after=None)``, ``sim.configure(**fields)``, ``sim.reset(config)``,
    ``sim.requests(route)`` and ``sim.hold("run_sse" | "render")``.
    """

    def __init__(
        self,
        config: SimConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        storage_port: int = 0,
    ) -> None:
        if host not in ("127.0.0.1", "localhost"):
            raise ValueError("the simulator only listens on 127.0.0.1")
        self._workdir = Path(tempfile.mkdtemp(prefix="nemo-sim-"))
        self.state = SimState(config, self._workdir)
        self._api = _bind(port)
        self._storage = _bind(storage_port)
        self.port = self._api.getsockname()[1]
        self.state.storage_port = self._storage.getsockname()[1]
        self.state.storage_origin = f"http://127.0.0.1:{self.state.storage_port}"
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(
            uvicorn.Config(build_app(self.state), log_level="warning", lifespan="off", access_log=False)
        )
        self._thread: threading.Thread | None = None

    # --- the test-facing API ------------------------------------------------------------------

    @property
    def faults(self) -> Faults:
        return self.state.faults

    @property
    def storage_origin(self) -> str:
        return self.state.storage_origin

    def configure(self, **fields: Any) -> dict[str, Any]:
        """Change ``SimConfig`` fields (and the one-shot ``next_no_text`` / ``next_lie`` /
        ``next_overreach``) of the running simulator."""
        return self.state.configure(**fields)

    def reset(self, config: SimConfig | None = None) -> None:
        """Back to a fresh backend (no users, sessions, renders, faults or log), same ports."""
        self.state.reset(config)

    def requests(self, route: str | None = None) -> list[dict[str, Any]]:
        """The requests received so far (to ``route`` only, if given), oldest first."""
        return self.state.log(route)

    def hold(self, route: str, *, during_call: bool = False) -> Gate:
        """Hold agent turns (``"run_sse"``) or renders (``"render"``) until the gate is released
        (``during_call``: the test lets go while a tool call waits on it; see ``gates.py``)."""
        return self.state.hold(route, during_call=during_call)

    # --- serving ------------------------------------------------------------------------------

    async def serve(self) -> None:
        """Serve until stopped (the ``simulate`` command runs this on its own event loop)."""
        try:
            await self._server.serve(sockets=[self._api, self._storage])
        finally:
            self._close()

    def start(self) -> Simulator:
        """Serve from a background thread; returns once it accepts connections."""
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self.serve()), daemon=True, name="simulator"
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("simulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self.state.reset()  # releases held gates, so streams end and the server can shut down
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._close()

    def _close(self) -> None:
        self.state.close()
        for sock in (self._api, self._storage):
            sock.close()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
