"""Slow clients (slowloris, attack16b F4): connections that never finish their request headers
took the documented stack (HAProxy ``maxconn 1000``, no ``timeout http-request``) away from
every user, and a bare instance kept such a connection for ever (uvicorn has no header timeout)."""

from __future__ import annotations

import socket
import urllib.request

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ai_video_music.hosted.serve import slow_client_options

from .balancer import balancer
from .serving import listen, port_of, serving

PARTIAL = b"POST /token HTTP/1.1\r\nHost: x\r\nX-Slow: "  # headers that never end


async def _ok(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def tiny_app() -> Starlette:
    return Starlette(routes=[Route("/healthz", _ok)])


def healthz(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
        return int(answer.status)


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server ends the connection (read until it does, or 30 s: a hang is a failure)."""
    sock.settimeout(30)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    return True


def test_an_instance_closes_connections_whose_headers_never_end() -> None:
    sock = listen()
    with serving(tiny_app(), sock, **slow_client_options(header_timeout=0.3)):  # as `serve` runs it
        port = port_of(sock)
        with socket.create_connection(("127.0.0.1", port)) as never:
            never.sendall(PARTIAL)
            assert closed_by_server(never)
        # After an answered request, a second one that never ends is closed the same way.
        with socket.create_connection(("127.0.0.1", port)) as kept:
            kept.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert kept.recv(4096).startswith(b"HTTP/1.1 200")
            kept.sendall(PARTIAL)
            assert closed_by_server(kept)
        assert healthz(port) == 200


def test_the_documented_balancer_serves_others_while_one_client_holds_1100_half_sent_requests() -> None:
    backend = listen()
    front = listen()
    held: list[socket.socket] = []
    with front, serving(tiny_app(), backend), balancer(front, [port_of(backend)]):
        port = port_of(front)
        try:
            for _ in range(1100):
                conn = socket.create_connection(("127.0.0.1", port), timeout=10)
                conn.sendall(PARTIAL)
                held.append(conn)
            assert healthz(port) == 200
        finally:
            for conn in held:
                conn.close()
