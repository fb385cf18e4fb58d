"""A client known by its metadata document (what claude.ai prefers) signs in without
registering; documents that don't describe themselves, or sit on private addresses, are refused."""

from __future__ import annotations

import base64
import datetime
import functools
import gzip
import ipaddress
import json
import ssl
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import psycopg
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ai_video_music.config import Settings
from ai_video_music.hosted.app import create_app
from ai_video_music.hosted.client_documents import ClientDocuments
from ai_video_music.simulator import Simulator

from ..conftest import call
from .oauth_client import REDIRECT, Browser, signed_in
from .serving import listen, loopback_config, serving

pytestmark = pytest.mark.anyio
KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!")


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, for an https server on loopback."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@functools.cache
def layered_bomb() -> bytes:
    """A few hundred bytes that inflate to 256 MiB through three gzip layers (made once, when a test asks:
    compressing 256 MiB is a second of CPU, which every xdist worker paid at import)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip
    zeros = bytes(1 << 20)
    inner = b"".join(packer.compress(zeros) for _ in range(256)) + packer.flush()
    return gzip.compress(gzip.compress(inner))


def document(url: str, **over: object) -> dict[str, object]:
    return {
        "client_id": url,
        "client_name": "Documented client",
        "redirect_uris": [REDIRECT],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    } | over


@pytest.fixture
def documents_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An https site on loopback serving client metadata documents; yields its base and its CA."""
    cert, key = self_signed(tmp_path)
    sock = listen()
    base = f"https://127.0.0.1:{sock.getsockname()[1]}"

    async def good(_: Request) -> JSONResponse:
        return JSONResponse(document(f"{base}/client.json"))

    async def impostor(_: Request) -> JSONResponse:
        return JSONResponse(document(f"{base}/client.json"))  # names another URL than its own

    async def with_secret(_: Request) -> JSONResponse:
        return JSONResponse(document(f"{base}/secret.json", client_secret="s3cret"))

    async def user_info(_: Request) -> JSONResponse:
        hidden = "https://claude.ai@evil.example/api/mcp/auth_callback"
        return JSONResponse(document(f"{base}/userinfo.json", redirect_uris=[hidden]))

    async def bomb(_: Request) -> Response:  # 256 MiB of JSON-ish zeros in three gzip layers
        return Response(layered_bomb(), headers={"content-encoding": "gzip, gzip, gzip"})

    async def one_gzip(_: Request) -> Response:
        packed = gzip.compress(json.dumps(document(f"{base}/gzipped.json")).encode())
        return Response(packed, headers={"content-encoding": "gzip", "content-type": "application/json"})

    site = Starlette(
        routes=[
            Route("/bomb.json", bomb),
            Route("/gzipped.json", one_gzip),
            Route("/client.json", good),
            Route("/userinfo.json", user_info),
            Route("/impostor.json", impostor),
            Route("/secret.json", with_secret),
        ]
    )
    with serving(site, sock, "https", ssl_certfile=str(cert), ssl_keyfile=str(key)):
        yield base, cert


@pytest.fixture
def fetcher(documents_site: tuple[str, Path]) -> ClientDocuments:
    trusted = ssl.create_default_context(cafile=str(documents_site[1]))
    return ClientDocuments(verify=trusted, allow_private=True)  # loopback is the only network a test has


@pytest.mark.postgres
async def test_a_client_known_by_its_metadata_document_signs_in_without_registering(
    database_url: str,
    settings: Settings,
    sim: Simulator,
    documents_site: tuple[str, Path],
    fetcher: ClientDocuments,
) -> None:
    site, _ = documents_site
    doc_url = f"{site}/client.json"
    sock = listen()
    app = create_app(loopback_config(database_url, sock, KEY), settings, client_documents=fetcher)
    token, _ = sim.state.register_user(credits=55)
    browser = Browser(token)
    with serving(app, sock) as base, anyio.fail_after(60):
        async with signed_in(base, token, client_metadata_url=doc_url, browser=browser) as client:
            credits = await call(client, "credits")
    assert credits.structured_content and credits.structured_content["available"] == 55
    assert "Documented client" in browser.pages[0].text  # the name from the document
    assert "your browser goes back to 127.0.0.1:1." in browser.pages[0].text  # and where codes go
    with psycopg.connect(database_url) as conn:
        clients = conn.execute("SELECT client_id, fetched_at IS NOT NULL FROM oauth_clients").fetchall()
    assert clients == [(doc_url, True)]  # no registration happened


async def test_a_document_must_name_itself_and_hold_no_secret(
    documents_site: tuple[str, Path], fetcher: ClientDocuments
) -> None:
    site, _ = documents_site
    assert await fetcher.fetch(f"{site}/client.json") is not None
    assert await fetcher.fetch(f"{site}/impostor.json") is None
    assert await fetcher.fetch(f"{site}/secret.json") is None
    assert await fetcher.fetch(f"{site}/missing.json") is None


async def test_a_document_whose_redirect_hides_its_host_behind_user_info_is_refused(
    documents_site: tuple[str, Path], fetcher: ClientDocuments
) -> None:
    # It would read like claude.ai on the sign-in page while the code goes to evil.example.
    site, _ = documents_site
    assert await fetcher.fetch(f"{site}/userinfo.json") is None


async def test_documents_on_private_addresses_are_not_fetched() -> None:
    requested: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        requested.append(request)
        return httpx.Response(200, json=document(str(request.url)))

    fetcher = ClientDocuments(transport=httpx.MockTransport(record))
    for url in ("https://127.0.0.1/c.json", "https://10.0.0.8/c.json", "https://[::1]/c.json"):
        assert await fetcher.fetch(url) is None
    assert await fetcher.fetch("http://example.com/c.json") is None  # not https
    assert requested == []


async def test_a_document_on_a_name_that_resolves_to_a_private_address_is_not_fetched() -> None:
    requested: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        requested.append(request)
        return httpx.Response(200, json=document("https://docs.example.com/c.json"))

    def resolve(host: str, port: int) -> list[str]:
        return {"docs.example.com": ["93.184.216.34"], "rebound.example.com": ["93.184.216.34", "10.0.0.8"]}[
            host
        ]

    fetcher = ClientDocuments(transport=httpx.MockTransport(record), resolve=resolve)
    assert await fetcher.fetch("https://rebound.example.com/c.json") is None
    assert requested == []
    assert await fetcher.fetch("https://docs.example.com/c.json") is not None
    # Fetched from the address that was checked, under its own name.
    assert [(r.url.host, r.headers["host"]) for r in requested] == [("93.184.216.34", "docs.example.com")]


async def test_a_layered_gzip_document_is_refused_without_inflating_it(
    fetcher: ClientDocuments, documents_site: tuple[str, Path]
) -> None:
    """Round 15 F2: "Content-Encoding: gzip, gzip, gzip" made httpx inflate each read whole:
    a 300-byte document became gigabytes in memory, before any sign-in (any /authorize)."""
    base, _ = documents_site
    assert len(layered_bomb()) < 2000
    tracemalloc.start()
    try:
        got = await fetcher.fetch(f"{base}/bomb.json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got is None
    assert peak < 32 * 1024**2, peak
    # One gzip layer, as any web server may send: still read.
    assert await fetcher.fetch(f"{base}/gzipped.json") is not None


@pytest.mark.parametrize("body", [b"[" * 1100, b'{"client_id": ' + b"[" * 100 + b"]" * 100 + b"}"])
async def test_a_deeply_nested_document_is_an_unknown_client_not_a_crash(body: bytes) -> None:
    """attack17 A7: 1,100 bytes of "[" (under the 5 KiB cap) raised RecursionError inside
    /authorize: a traceback and server_error instead of "unknown client"."""
    url = "https://docs.example.com/c.json"
    fetcher = ClientDocuments(
        transport=httpx.MockTransport(lambda _: httpx.Response(200, content=body)),
        resolve=lambda host, port: ["93.184.216.34"],
    )
    assert await fetcher.fetch(url) is None
