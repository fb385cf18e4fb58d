"""Slow clients (slowloris, attack16b F4): connections that never finish their request headers
took the documented stack (HAProxy ``maxconn 1000``, no ``timeout http-request``) away from
every user, and a bare instance kept such a connection for ever (uvicorn has no header timeout)."""

from __future__ import annotations

import http.client
import socket
import urllib.request

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ai_video_music.slowclients import slow_client_options

from .balancer import balancer, per_source, stack_config
from .serving import listen, port_of, serving

PARTIAL = b"POST /token HTTP/1.1\r\nHost: x\r\nX-Slow: "  # headers that never end


async def _ok(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def tiny_app() -> Starlette:
    return Starlette(routes=[Route("/healthz", _ok)])


def healthz(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
        return int(answer.status)


def healthz_from(source: str, port: int) -> int:
    """/healthz asked from another loopback address (another client, to the balancer)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status
    finally:
        conn.close()


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server ends the connection (read until it does, or 30 s: a hang is a failure)."""
    sock.settimeout(30)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:  # refused at once (HAProxy's reject resets)
        return True
    return True


def answer_to_one_more(port: int, request: bytes) -> bytes:
    """What one more connection from 127.0.0.1 is answered until the balancer closes it (b""
    for a connection refused or reset; a hang of 30 s fails)."""
    answer = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(request)
            while chunk := conn.recv(4096):
                answer += chunk
    except (ConnectionResetError, ConnectionRefusedError, BrokenPipeError):
        pass
    return answer


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
                try:  # past its per-source cap, a connection is reset at once
                    conn = socket.create_connection(("127.0.0.1", port), timeout=10)
                    held.append(conn)
                    conn.sendall(PARTIAL)
                except OSError:
                    continue
            assert healthz_from("127.0.0.2", port) == 200
        finally:
            for conn in held:
                conn.close()


def test_one_source_past_its_cap_is_closed_at_once_and_others_are_served() -> None:
    """attack17 A3: one client held every frontend slot of the documented stack with 3,600
    half-sent requests. Each source has a cap on its connections at once: past it, a connection
    is closed without an answer (not held until the header timeout), and other sources are served."""
    assert 100 <= per_source() <= 3500 // 4  # generous for claude.ai's few addresses, yet a share
    backend = listen()
    front = listen()
    held: list[socket.socket] = []
    with front, serving(tiny_app(), backend), balancer(front, [port_of(backend)], source_cap=20):
        port = port_of(front)
        try:
            for _ in range(20):
                conn = socket.create_connection(("127.0.0.1", port), timeout=10)
                conn.sendall(PARTIAL)
                held.append(conn)
            assert healthz_from("127.0.0.2", port) == 200
            # The next one from the same source: closed at once, before or after its request,
            # never answered (one kept till the header timeout would get a 408), the held ones kept.
            assert answer_to_one_more(port, PARTIAL) == b""
            assert answer_to_one_more(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") == b""
            assert all(conn.fileno() >= 0 for conn in held)
            assert healthz_from("127.0.0.3", port) == 200
        finally:
            for conn in held:
                conn.close()


def server_maxconn() -> int:
    """The documented stack's requests at once per instance (``default-server maxconn``)."""
    for line in stack_config().splitlines():
        words = line.split()
        if words[:2] == ["default-server", "maxconn"]:
            return int(words[2])
    raise AssertionError("no default-server maxconn in the stack's HAProxy config")


def test_one_source_gets_well_under_an_instances_slots() -> None:
    """attack18 B1: the per-source cap was 500, an instance's every slot behind HAProxy."""
    assert per_source() <= server_maxconn() // 2


class Arrivals:
    """A backend that counts the requests reaching it and answers a POST with its body's size."""

    def __init__(self) -> None:
        self.arrived = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.arrived += 1
        size = 0
        while True:
            message = await receive()
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        await PlainTextResponse(str(size))(scope, receive, send)


def post(port: int, length: int, body: bytes) -> bytes:
    return (
        f"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def answer(sock: socket.socket) -> bytes:
    sock.settimeout(30)
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    return out


def test_the_balancer_holds_half_sent_bodies_and_passes_whole_ones() -> None:
    """attack18 B1: HAProxy handed a request on as soon as its headers were in, so one that
    declared a body and sent none held an instance's slot for the body deadline. A half-sent
    body now waits in HAProxy; a whole one, large (an upload) or small, goes on as before."""
    app = Arrivals()
    backend = listen()
    front = listen()
    with front, serving(app, backend), balancer(front, [port_of(backend)]):
        port = port_of(front)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as half:
            half.sendall(post(port, 1000, b"x" * 10))
            big = 3 * 1024 * 1024
            with socket.create_connection(("127.0.0.1", port), timeout=30) as upload:
                upload.sendall(post(port, big, b"u" * big))
                assert answer(upload).endswith(f"\r\n\r\n{big}".encode())
            with socket.create_connection(("127.0.0.1", port), timeout=30) as small:
                small.sendall(post(port, 5, b"hello"))
                assert answer(small).endswith(b"\r\n\r\n5")
            assert app.arrived == 2  # the half-sent one is not at the instance
            half.sendall(b"x" * 990)
            assert answer(half).endswith(b"\r\n\r\n1000")
        assert app.arrived == 3
