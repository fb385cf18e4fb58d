"""Attack 24 A24-2: any local process (no secret needed) could shut the user out of
``serve --http``: connections whose request headers never end were kept for ever (the checks that
keep others out run once the headers are in), until the server had no descriptor left and the
user's own client, with the secret, got no answer. The local server now has hosted mode's
deadline for a request's headers and its cap on connections (``slowclients``)."""

from __future__ import annotations

import resource
import socket
from pathlib import Path

import httpx

from ai_video_music.httpsecret import read_secret
from ai_video_music.simulator import Simulator

from .test_http_local import INITIALIZE, MCP_HEADERS, _free_port, serve_http

FDS = 160  # the server's descriptor limit here (1,024 from a Linux shell, 256 on macOS): scaled down
HELD = 200  # more half-sent requests than that
PARTIAL = b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "  # headers that never end


def _few_descriptors() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (FDS, hard))


def _closed_by_server(sock: socket.socket) -> bool:
    """Whether the server ends the connection (read until it does, or 30 s: a hang fails)."""
    sock.settimeout(30)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def test_half_sent_requests_from_any_local_process_dont_shut_the_user_out(
    simulator: Simulator, tmp_path: Path
) -> None:
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NEMO_HOME": str(tmp_path / "state"),
        "NEMO_API_BASE": simulator.base_url,
        "NEMO_OUTPUT_DIR": str(tmp_path / "out"),
        "NEMO_LANGUAGE": "en",
        # The deadline the user waits out before the half-sent requests are let go: 10 s by
        # default, shortened here (the same code path, the same behaviour, without the wait).
        "NEMO_HEADER_TIMEOUT_S": "2",
    }
    held: list[socket.socket] = []
    with serve_http(env, port, tmp_path / "server.log", preexec_fn=_few_descriptors):
        secret = read_secret(tmp_path / "state")
        assert secret
        try:
            for _ in range(HELD):
                conn = socket.create_connection(("127.0.0.1", port), timeout=10)
                held.append(conn)
                conn.sendall(PARTIAL)
            answer = httpx.post(
                f"http://127.0.0.1:{port}/mcp",
                json=INITIALIZE,
                headers={**MCP_HEADERS, "Authorization": f"Bearer {secret}"},
                timeout=30,
            )
            assert answer.status_code == 200, answer.text[:300]
            assert _closed_by_server(held[0])  # the first half-sent request was let go
        finally:
            for conn in held:
                conn.close()
