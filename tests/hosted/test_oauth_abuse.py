"""What the OAuth endpoints refuse to anyone, signed in or not: a replayed code (and the tokens
it gave end with it), redirect URIs that hide their host behind user-info, oversized metadata,
and more registrations or authorizations from one address than any client makes. Clients that
never signed anyone in are forgotten."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from ai_video_music.config import Settings
from ai_video_music.hosted.housekeeping import sweep
from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from .oauth_steps import REDIRECT, code_of, exchange, pkce, register, signin_form, submit
from .serving import listen, loopback_config, running
from .test_tokens import mcp_status

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!")
HIDDEN_HOST = "https://claude.ai@evil.example/api/mcp/auth_callback"


@dataclass
class Server:
    base: str
    database_url: str


@pytest.fixture
def hosted(database_url: str, settings: Settings) -> Iterator[Server]:
    sock = listen()
    config = dataclasses.replace(
        loopback_config(database_url, sock, KEY), registrations_per_address=4, authorizations_per_address=4
    )
    with running(config, settings, sock) as base:
        yield Server(base, database_url)


@pytest.fixture
async def http(hosted: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(verify=shared_context(), base_url=hosted.base, timeout=30) as client:
        yield client


def from_address(base: str, address: str) -> httpx.AsyncClient:
    """A client whose connections come from another loopback address: another machine, as far
    as the server can tell."""
    return httpx.AsyncClient(
        verify=shared_context(),
        base_url=base,
        timeout=30,
        transport=httpx.AsyncHTTPTransport(local_address=address),
    )


async def test_a_replayed_code_ends_the_tokens_it_gave(http: httpx.AsyncClient, sim: Simulator) -> None:
    token, _ = sim.state.register_user()
    client_id = (await register(http)).json()["client_id"]
    keys = pkce()
    code = code_of(await submit(http, await signin_form(http, client_id, keys.challenge), token))
    first = await exchange(http, client_id, code, keys.verifier)
    assert first.status_code == 200
    tokens = first.json()
    assert await mcp_status(http, tokens["access_token"]) == 200

    replayed = await exchange(http, client_id, code, keys.verifier)

    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    # Someone else had the code too: neither of them keeps what it gave.
    assert await mcp_status(http, tokens["access_token"]) == 401
    refreshed = await http.post(
        "/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": client_id,
        },
    )
    assert refreshed.status_code == 400


async def test_a_redirect_uri_with_user_info_is_refused_at_registration(http: httpx.AsyncClient) -> None:
    answer = await register(http, HIDDEN_HOST)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_redirect_uri"


async def test_the_signin_page_shows_the_host_a_redirect_really_returns_to(
    http: httpx.AsyncClient, hosted: Server
) -> None:
    # A client stored before registration refused user-info: the page still names evil.example.
    info = {
        "client_id": "old-client",
        "client_name": "Claude",
        "redirect_uris": [HIDDEN_HOST],
        "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "scope": "mcp",
    }
    assert (await http.get("/healthz")).status_code == 200  # started: the schema is there
    with psycopg.connect(hosted.database_url) as conn:
        conn.execute(
            "INSERT INTO oauth_clients (client_id, info) VALUES ('old-client', %s)", (json.dumps(info),)
        )
    keys = pkce()
    start = await http.get(
        "/authorize",
        params={
            "client_id": "old-client",
            "response_type": "code",
            "redirect_uri": HIDDEN_HOST,
            "code_challenge": keys.challenge,
            "code_challenge_method": "S256",
        },
    )
    page = await http.get(start.headers["location"], follow_redirects=True)
    assert page.status_code == 200
    assert "claude.ai@" not in page.text
    assert "your browser goes back to evil.example." in page.text


async def test_oversized_client_metadata_is_refused(http: httpx.AsyncClient, hosted: Server) -> None:
    answer = await register(http, client_name="x" * 4000)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_client_metadata"
    with psycopg.connect(hosted.database_url) as conn:
        stored = conn.execute("SELECT count(*) FROM oauth_clients").fetchone()
    assert stored == (0,)


async def test_registrations_from_one_address_are_limited_and_others_still_register(hosted: Server) -> None:
    async with (
        from_address(hosted.base, "127.0.0.2") as flood,
        from_address(hosted.base, "127.0.0.3") as other,
    ):
        statuses = [(await register(flood)).status_code for _ in range(6)]
        elsewhere = await register(other)
    assert statuses == [201] * 4 + [429] * 2
    assert elsewhere.status_code == 201
    with psycopg.connect(hosted.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM oauth_clients").fetchone() == (5,)


async def test_authorizations_from_one_address_are_limited(hosted: Server, http: httpx.AsyncClient) -> None:
    client_id = (await register(http)).json()["client_id"]
    keys = pkce()
    query = {
        "client_id": client_id,
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "code_challenge": keys.challenge,
        "code_challenge_method": "S256",
    }
    async with from_address(hosted.base, "127.0.0.2") as flood:
        answers = [await flood.get("/authorize", params=query) for _ in range(6)]
    assert [a.status_code for a in answers] == [302] * 4 + [429] * 2
    # A browser shows it: a page that says what to do, not an error in JSON.
    assert "Wait 10 minutes, then connect again from your app." in answers[-1].text
    with psycopg.connect(hosted.database_url) as conn:
        assert conn.execute("SELECT count(*) FROM signin_requests").fetchone() == (4,)


async def test_clients_that_never_signed_anyone_in_are_forgotten(
    http: httpx.AsyncClient, hosted: Server, sim: Simulator
) -> None:
    token, _ = sim.state.register_user()
    idle = (await register(http)).json()["client_id"]
    used = (await register(http)).json()["client_id"]
    keys = pkce()
    code = code_of(await submit(http, await signin_form(http, used, keys.challenge), token))
    assert (await exchange(http, used, code, keys.verifier)).status_code == 200
    with psycopg.connect(hosted.database_url) as conn:
        conn.execute("UPDATE oauth_clients SET created_at = now() - interval '2 days'")
    async with AsyncConnectionPool(hosted.database_url, open=False) as pool:
        await sweep(pool)
    with psycopg.connect(hosted.database_url) as conn:
        left = [row[0] for row in conn.execute("SELECT client_id FROM oauth_clients")]
    assert left == [used]
    assert idle not in left
