"""The token endpoint is no way to make the server fetch URLs or store clients (attack7 A5):
a client ID metadata document is fetched only at /authorize, which is limited per address, and
/token is limited per address too. Before, each POST /token naming a fresh https client_id sent
one GET to the host it named (300 of 300) and stored every well-formed document it found."""

from __future__ import annotations

import dataclasses
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import httpx
import psycopg
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ai_video_music.config import Settings
from ai_video_music.hosted.app import create_app
from ai_video_music.hosted.client_documents import ClientDocuments
from ai_video_music.simulator import Simulator

from .oauth_steps import REDIRECT, code_of, exchange, pkce, signin_form, submit
from .serving import listen, loopback_config, serving
from .test_client_documents import KEY, document, self_signed

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]


@dataclass
class Site:
    """An https site on loopback standing in for a public host an attacker names; it counts the
    GETs it receives. Paths under /valid/ answer a well-formed document naming itself."""

    base: str
    ca: Path
    hits: list[str] = field(default_factory=list)

    def fetcher(self) -> ClientDocuments:
        # Loopback is the only network a test has: private addresses allowed, as in test_client_documents.
        return ClientDocuments(verify=ssl.create_default_context(cafile=str(self.ca)), allow_private=True)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    cert, key = self_signed(tmp_path)
    sock = listen()
    found = Site(f"https://127.0.0.1:{sock.getsockname()[1]}", cert)

    async def any_path(request: Request) -> Response:
        found.hits.append(request.url.path)
        if request.url.path.startswith("/valid/"):
            return JSONResponse(document(f"{found.base}{request.url.path}", redirect_uris=[REDIRECT]))
        return JSONResponse({"nothing": "here"}, status_code=404)

    app = Starlette(routes=[Route("/{p:path}", any_path)])
    with serving(app, sock, "https", ssl_certfile=str(cert), ssl_keyfile=str(key)):
        yield found


def stored_clients(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM oauth_clients").fetchone()
    return 0 if row is None else int(row[0])


async def test_token_requests_never_fetch_a_client_document(
    database_url: str, settings: Settings, site: Site
) -> None:
    sock = listen()
    app = create_app(loopback_config(database_url, sock, KEY), settings, client_documents=site.fetcher())
    with serving(app, sock) as base, anyio.fail_after(120):
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            exchanges = [
                await http.post("/token", data={
                    "grant_type": "authorization_code", "code": "x", "code_verifier": "y" * 43,
                    "redirect_uri": REDIRECT, "client_id": f"{site.base}/probe/token-{i}.json",
                })
                for i in range(20)
            ]  # fmt: skip
            refreshes = [
                await http.post("/token", data={
                    "grant_type": "refresh_token", "refresh_token": "x",
                    "client_id": f"{site.base}/valid/c-{i}.json",
                })
                for i in range(10)
            ]  # fmt: skip
            token_hits, token_rows = list(site.hits), stored_clients(database_url)
            # /authorize still fetches the document of a client it has not seen: sign-in works.
            authorize = await http.get("/authorize", params={
                "response_type": "code", "client_id": f"{site.base}/valid/signing-in.json",
                "redirect_uri": REDIRECT, "code_challenge": "x" * 43, "code_challenge_method": "S256",
                "state": "s",
            })  # fmt: skip
    assert token_hits == [] and token_rows == 0
    assert all(r.status_code == 401 and r.json()["error"] == "invalid_client" for r in exchanges + refreshes)
    assert authorize.status_code == 302 and "/signin" in authorize.headers["location"]
    assert site.hits == ["/valid/signing-in.json"]


async def test_token_requests_are_limited_per_address(
    database_url: str, settings: Settings, site: Site
) -> None:
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), tokens_per_address=3)
    form = {"grant_type": "refresh_token", "refresh_token": "x", "client_id": "nobody"}
    with serving(create_app(config, settings, client_documents=site.fetcher()), sock) as base:
        with anyio.fail_after(60):
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                answers = [await http.post("/token", data=form) for _ in range(4)]
            # Another machine (another loopback address, as far as the server can tell) has its own count.
            other_address = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
            async with httpx.AsyncClient(base_url=base, timeout=30, transport=other_address) as other:
                neighbour = await other.post("/token", data=form)
    assert [r.status_code for r in answers] == [401, 401, 401, 429]
    assert answers[3].json()["error"] == "too_many_requests" and answers[3].headers["Retry-After"] == "600"
    assert neighbour.status_code == 401


async def test_a_document_client_that_signed_in_keeps_refreshing_without_a_fetch(
    database_url: str, settings: Settings, site: Site, sim: Simulator
) -> None:
    token, _ = sim.state.register_user()
    client_id = f"{site.base}/valid/app.json"
    keys = pkce()
    sock = listen()
    app = create_app(loopback_config(database_url, sock, KEY), settings, client_documents=site.fetcher())
    with serving(app, sock) as base, anyio.fail_after(60):
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            code = code_of(await submit(http, await signin_form(http, client_id, keys.challenge), token))
            tokens = await exchange(http, client_id, code, keys.verifier)
            # Hours later the stored document is stale: /token uses it as stored, fetching nothing.
            with psycopg.connect(database_url) as conn:
                conn.execute("UPDATE oauth_clients SET fetched_at = now() - interval '2 hours'")
            refreshed = await http.post("/token", data={
                "grant_type": "refresh_token", "refresh_token": tokens.json()["refresh_token"],
                "client_id": client_id,
            })  # fmt: skip
    assert tokens.status_code == 200 and refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["access_token"] != tokens.json()["access_token"]
    assert site.hits == ["/valid/app.json"]  # the one fetch, at /authorize
