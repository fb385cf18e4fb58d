"""What one client can hold of an instance with requests that send their headers and no body
(attack18): a signed-in user holds only their own few requests at once, whatever they declare."""

from __future__ import annotations

import dataclasses
import socket

import anyio
import httpx
import pytest

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator

from .accounts_helpers import KEY
from .oauth_client import MemoryStorage, signed_in
from .serving import listen, loopback_config, port_of, running

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]


def stalled_mcp(port: int, token: str) -> socket.socket:
    """A signed-in ``POST /mcp`` that declares a body and sends none of it."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(
        (
            f"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
            "Content-Length: 4000000\r\n\r\n"
        ).encode()
    )
    return sock


def _answered(sock: socket.socket) -> bytes:
    """What the server already said on a stalled request: its status line, b"closed" when it
    hung up, b"" while the request is still held."""
    sock.setblocking(False)
    try:
        return sock.recv(200).split(b"\r\n", 1)[0] or b"closed"
    except BlockingIOError:
        return b""


async def test_bodies_that_never_come_hold_only_the_users_own_requests(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    """attack18 B1: the user's slot is taken before their body is waited for, so two stalled
    requests fill a two-request share and the third is told to wait (429), where it used to be
    served while the stalled ones held two of the instance's slots each for a minute."""
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), requests_per_user=2)
    token, _ = sim.state.register_user()
    storage = MemoryStorage()
    with running(config, settings, sock) as base, anyio.fail_after(60):
        async with signed_in(base, token, storage):
            pass
        assert storage.tokens is not None
        bearer = storage.tokens.access_token
        headers = {"Authorization": f"Bearer {bearer}", "Accept": "application/json, text/event-stream"}
        listing = {"jsonrpc": "2.0", "id": 9, "method": "tools/list"}
        port = port_of(sock)
        stalled = [stalled_mcp(port, bearer) for _ in range(2)]
        try:
            async with httpx.AsyncClient(timeout=30) as http:
                for _ in range(300):  # until the instance has taken both stalled requests in
                    # One sent while the sign-in's own requests (its event stream) still held the
                    # user's slots is refused at once (429) and holds nothing: it is sent again.
                    answered = [_answered(one) for one in stalled]
                    for i, said in enumerate(answered):
                        if said:
                            stalled[i].close()
                            stalled[i] = stalled_mcp(port, bearer)
                    third = await http.post(f"{base}/mcp", json=listing, headers=headers)
                    if third.status_code == 429 and not any(_answered(one) for one in stalled):
                        break  # refused while both stalled requests are still held
                    await anyio.sleep(0.1)
                for one in stalled:
                    one.close()
                for _ in range(300):  # the slots are given back when the stalled requests end
                    after = await http.post(f"{base}/mcp", json=listing, headers=headers)
                    if after.status_code != 429:
                        break
                    await anyio.sleep(0.1)
        finally:
            for one in stalled:
                one.close()
    assert third.status_code == 429 and third.headers["retry-after"] == "5", answered
    assert after.status_code == 200, after.text
