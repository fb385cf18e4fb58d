"""A real HAProxy (Debian's) in front of several hosted instances, round robin, no stickiness,
configured as scripts/hosted-stack configures it."""

from __future__ import annotations

import os
import runpy
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

STACK_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "hosted-stack"


def _stack() -> dict[str, object]:
    return runpy.run_path(str(STACK_SCRIPT), run_name="hosted_stack")


def stack_config() -> str:
    """The documented stack's HAProxy configuration (one copy: what the tests run is what
    operators are told to run), with ``{bind}``, ``{servers}`` and ``{per_source}`` to fill in."""
    template = _stack()["HAPROXY"]
    assert isinstance(template, str)
    return template


def per_source() -> int:
    """The documented stack's cap on one source's connections at once."""
    cap = _stack()["PER_SOURCE"]
    assert isinstance(cap, int)
    return cap


def haproxy() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.path.exists("/usr/sbin/haproxy") else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(
                "HAProxy is required in CI for the load-balanced hosted test (apt-get install haproxy)"
            )
        pytest.skip("haproxy not installed: several instances behind a balancer not tested")
    return found


@contextmanager
def balancer(sock: socket.socket, backends: Sequence[int], source_cap: int | None = None) -> Iterator[None]:
    """HAProxy serving on the listening ``sock`` (inherited, so it accepts connections from the
    start: nothing to wait for), spreading requests over ``backends`` in turn; ``source_cap``
    replaces the stack's connections-per-source cap."""
    binary = haproxy()
    servers = "\n".join(f"    server s{i} 127.0.0.1:{p}" for i, p in enumerate(backends))
    folder = Path(tempfile.mkdtemp(prefix="nemo-haproxy-"))
    config = folder / "haproxy.cfg"
    cap = per_source() if source_cap is None else source_cap
    text = stack_config().format(bind=f"fd@{sock.fileno()}", servers=servers, per_source=cap)
    config.write_text(text, encoding="utf-8")
    process = subprocess.Popen(
        [binary, "-db", "-f", str(config)],
        pass_fds=[sock.fileno()],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
