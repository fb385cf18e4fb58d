"""Hosted instances in their own processes (``ai-video-music serve --hosted``, forked from the
tests' fork server: tests/forkserver.py), so a test or the benchmark can SIGKILL one."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ai_video_music.tls import shared_context

from ..conftest import server_command
from .serving import listen, port_of

KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!").decode()


def kill_instance(pid: int, running: list[tuple[int, subprocess.Popen[bytes]]]) -> None:
    """SIGKILL the instance whose process is ``pid`` (as its rows name it, ``owner``/``claim``),
    and wait until it is gone: its launcher (the Popen in ``running``) ends with it."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while all(process.poll() is None for _, process in running):
        assert time.monotonic() < deadline, "the killed instance's launcher never ended"
        time.sleep(0.01)


def _free_port() -> int:
    sock = listen()
    try:
        return port_of(sock)
    finally:
        sock.close()


def _wait_healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    """An instance in its own process answers /healthz (it migrates the database first)."""
    deadline = time.monotonic() + 60
    # One client, with the process's one TLS context: each new context loads the CA bundle.
    with httpx.Client(timeout=2, verify=shared_context()) as http:
        while time.monotonic() < deadline:
            assert process.poll() is None, "an instance exited while starting"
            try:
                if http.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)  # readiness polling of a subprocess, not a timing under test
    raise AssertionError("an instance did not start")


@contextmanager
def instances(
    database_url: str, public: str, api_base: str, home: Path, n: int, **env_over: str
) -> Iterator[list[tuple[int, subprocess.Popen[bytes]]]]:
    """``n`` instances on free ports, each with its own state folder, healthy when yielded;
    killed on exit. ``env_over``: more settings (NEMO_TOOL_BUDGET=..., say)."""
    env = (
        {k: v for k, v in os.environ.items() if not k.startswith("NEMO_")}
        | {
            "NEMO_DATABASE_URL": database_url,
            "NEMO_PUBLIC_URL": public,
            "NEMO_SECRET_KEY": KEY,
            "NEMO_API_BASE": api_base,
            "NEMO_POLL_INTERVAL": "0.05",
            "NEMO_TOOL_BUDGET": "10",
        }
        | env_over
    )
    started: list[tuple[int, subprocess.Popen[bytes]]] = []
    try:
        for i in range(n):
            port = _free_port()
            home.mkdir(parents=True, exist_ok=True)
            with open(home / f"instance{i}.log", "ab") as log:  # its log, for a failing test's reader
                process = subprocess.Popen(
                    [*server_command(), "serve", "--hosted", "--host", "127.0.0.1", "--port", str(port)],
                    env=env | {"NEMO_HOME": str(home / f"instance{i}")},
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                )
            started.append((port, process))
        for port, process in started:
            _wait_healthy(port, process)
        yield started
    finally:
        for _, process in started:
            process.kill()
            process.wait(timeout=30)
