"""Links whose host names lead to this machine or its network are refused before any connection,
with the production backend configured: the name is resolved once, every address judged by the
link rule, and the connection goes to the address that was judged, with the name kept for the
Host header and TLS. (The attacker's case: a backend-given link on a name that /etc/hosts or
public DNS maps to 127.0.0.1 made the export download and the hosted range reader connect to a
port on the server's own machine.)"""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from ai_video_music import errors, linkcheck
from ai_video_music.client import NemoClient
from ai_video_music.config import PRODUCTION_API_BASE, Settings
from ai_video_music.links import LinkPolicy

from .conftest import FakeSleep
from .test_client_limits import mock_http, streamed

pytestmark = pytest.mark.anyio
PUBLIC = "93.184.216.34"


def table(names: dict[str, list[str]]) -> LinkPolicy:
    """The production rule, with a resolver that answers from ``names`` (a test has no DNS)."""

    def resolve(host: str, port: int) -> Sequence[str]:
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        return names[host]

    return LinkPolicy(PRODUCTION_API_BASE, resolve=resolve)


@pytest.fixture
def production(settings: Settings) -> Settings:
    return dataclasses.replace(settings, api_base=PRODUCTION_API_BASE, token="nmv_usr_pinning_test_0123")


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A port on this machine that records every connection it gets (what must not happen)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    hits: list[bytes] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    hits.append(conn.recv(16))
                except OSError:
                    hits.append(b"")

    threading.Thread(target=accept, daemon=True).start()
    yield int(sock.getsockname()[1]), hits
    sock.close()


@pytest.mark.parametrize("addresses", [["127.0.0.1"], ["10.0.0.8"], [PUBLIC, "127.0.0.1"], ["::1"]])
async def test_a_download_on_a_name_that_leads_here_connects_nowhere(
    production: Settings, tmp_path: Path, listener: tuple[int, list[bytes]], addresses: list[str]
) -> None:
    port, hits = listener
    async with NemoClient(production, sleep=FakeSleep()) as client:
        client.links = table({"storage.example.com": addresses})
        with pytest.raises(errors.BadResponseError) as info:
            await client.download(f"https://storage.example.com:{port}/probe", tmp_path / "v.part")
    assert "download link that can't be used safely" in str(info.value)
    assert hits == []


async def test_the_range_reader_refuses_a_name_that_leads_here(
    production: Settings, listener: tuple[int, list[bytes]]
) -> None:
    port, hits = listener
    async with NemoClient(production, sleep=FakeSleep()) as client:
        client.links = table({"storage.example.com": ["127.0.0.1"]})
        with pytest.raises(errors.BadResponseError):
            await linkcheck.link_facts(client, f"https://storage.example.com:{port}/probe")
    assert hits == []


async def test_the_connection_goes_to_the_checked_address_under_the_links_name(
    production: Settings, tmp_path: Path
) -> None:
    seen: list[httpx.Request] = []

    def storage(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return streamed(200, b"\0\0\0\x18ftypmp42" + b"\0" * 100)

    async with NemoClient(production, http=mock_http(storage), sleep=FakeSleep()) as client:
        client.links = table({"cdn.example.com": [PUBLIC]})
        size = await client.download("https://cdn.example.com/render/v.mp4?sig=1", tmp_path / "v.part")
    assert size == 112
    [request] = seen
    assert (request.url.host, request.url.path, request.url.query) == (PUBLIC, "/render/v.mp4", b"sig=1")
    assert request.headers["host"] == "cdn.example.com"  # what the storage serves by
    assert request.extensions["sni_hostname"] == "cdn.example.com"  # what TLS checks the certificate for
    assert "authorization" not in request.headers


async def test_a_name_that_resolves_nowhere_is_an_unreachable_storage_host(
    production: Settings, tmp_path: Path
) -> None:
    never = mock_http(lambda _: streamed(200, b""))
    async with NemoClient(production, http=never, sleep=FakeSleep()) as client:
        client.links = table({})
        with pytest.raises(errors.DownloadError) as info:
            await client.download("https://gone.example.com/v.mp4", tmp_path / "v.part")
    assert "storage host gone.example.com couldn't be reached" in str(info.value)
