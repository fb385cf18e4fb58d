"""The documented one-command stack (scripts/hosted-stack) really starts: PostgreSQL, two
instances and HAProxy; a user signs in through it; stopping it removes everything."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import anyio
import pytest

from ai_video_music.simulator import Simulator

from ..conftest import call
from .balancer import haproxy
from .oauth_client import signed_in
from .postgres import available
from .serving import listen, port_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.postgres]
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "hosted-stack"


def start(port: int, api_base: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEMO_")} | {"NEMO_API_BASE": api_base}
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), "--instances", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def lines_of(process: subprocess.Popen[str]) -> tuple[queue.Queue[str], threading.Thread]:
    """The script's stdout, line by line, readable with a timeout; the thread ends at its end."""
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                found.put(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return found, reader


async def test_the_stack_script_serves_signed_in_users_and_cleans_up(sim: Simulator) -> None:
    if not available():
        pytest.skip("PostgreSQL server binaries not installed")
    haproxy()
    probe = listen()
    port = port_of(probe)
    probe.close()  # the script's balancer binds it
    process = start(port, sim.base_url)
    try:
        output, reader = lines_of(process)
        folder = Path(output.get(timeout=30).removeprefix("stack: "))
        ready = output.get(timeout=150)
        assert ready == f"ready: http://127.0.0.1:{port}/mcp"
        token, _ = sim.state.register_user(credits=31)
        with anyio.fail_after(60):
            async with signed_in(f"http://127.0.0.1:{port}", token) as client:
                credits = await call(client, "credits")
        assert credits.structured_content and credits.structured_content["available"] == 31
    finally:
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=60)
        reader.join(timeout=10)
    assert status == 0
    assert not folder.exists()
