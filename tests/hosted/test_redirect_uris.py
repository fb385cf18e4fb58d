"""Where a client may send the browser back to with the user's code: an https site, an app on
the user's own machine (loopback http), or an installed app by its private-use scheme (RFC 8252
§7.1), each named on the sign-in page; never ``javascript:`` and the like, which would run or
show something in our page's place instead of returning to an app."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import httpx
import psycopg
import pytest

from ai_video_music.config import Settings
from ai_video_music.hosted.client_metadata import Destination, destination
from ai_video_music.tls import shared_context

from .accounts_helpers import KEY
from .oauth_steps import authorize, pkce, register
from .serving import listen, loopback_config, running

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]

REFUSED = [
    "javascript:alert(document.domain)//",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "vbscript:msgbox(1)",
    "about:blank",
    "blob:https://claude.ai/1234",
    "myapp:/cb",  # a bare scheme: no one the user could check
    "http://evil.example/cb",  # plain http off the user's machine
    "https:///cb",  # no host
]
ACCEPTED = {
    "https://claude.ai/api/mcp/auth_callback": (Destination.WEB, "claude.ai"),
    "https://chatgpt.com:8443/connector_platform_oauth_redirect": (Destination.WEB, "chatgpt.com:8443"),
    "http://127.0.0.1:33418/callback": (Destination.WEB, "127.0.0.1:33418"),
    "http://[::1]:8080/cb": (Destination.WEB, "[::1]:8080"),
    "http://localhost:6274/oauth/callback": (Destination.WEB, "localhost:6274"),
    "com.example.app:/oauth2redirect": (Destination.APP, "com.example.app"),
}


@pytest.mark.parametrize("uri", REFUSED)
def test_uris_that_return_to_no_app_have_no_destination(uri: str) -> None:
    assert destination(uri) is None


def test_the_accepted_kinds_are_named_by_host_or_app() -> None:
    assert {uri: destination(uri) for uri in ACCEPTED} == ACCEPTED


@pytest.fixture
def base(database_url: str, settings: Settings) -> Iterator[str]:
    sock = listen()
    with running(loopback_config(database_url, sock, KEY), settings, sock) as url:
        yield url


@pytest.fixture
async def http(base: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(verify=shared_context(), base_url=base, timeout=30) as client:
        yield client


async def test_registration_refuses_a_redirect_that_returns_to_no_app(http: httpx.AsyncClient) -> None:
    for uri in [
        "javascript:alert(document.domain)//",
        "data:text/html,x",
        "myapp:/cb",
        "http://evil.example/cb",
    ]:
        answer = await register(http, uri)
        assert answer.status_code == 400, uri
        assert answer.json()["error"] == "invalid_redirect_uri"
    for uri in ACCEPTED:
        assert (await register(http, uri)).status_code == 201, uri


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "your browser hands the sign-in to the app com.example.app on this device"),
        ("zh", "浏览器会把登录交给本设备上的应用 com.example.app"),
    ],
)
async def test_the_signin_page_names_the_app_a_private_use_scheme_returns_to(
    http: httpx.AsyncClient, lang: str, said: str
) -> None:
    redirect = "com.example.app:/oauth2redirect"
    client_id = (await register(http, redirect)).json()["client_id"]
    start = await authorize(http, client_id, pkce().challenge, redirect)
    page = await http.get(start.headers["location"], headers={"Accept-Language": lang}, follow_redirects=True)
    assert page.status_code == 200
    assert said in page.text
    assert "goes back to ." not in page.text and "返回 。" not in page.text


async def test_a_client_stored_with_a_javascript_redirect_is_never_sent_a_code(
    http: httpx.AsyncClient, database_url: str
) -> None:
    # Registered before such redirects were refused: the server no longer knows it.
    redirect = "javascript:alert(document.domain)//"
    info = {
        "client_id": "old-client",
        "client_name": "Claude",
        "redirect_uris": [redirect],
        "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "scope": "mcp",
    }
    assert (await http.get("/healthz")).status_code == 200  # started: the schema is there
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO oauth_clients (client_id, info) VALUES ('old-client', %s)", (json.dumps(info),)
        )
    answer = await authorize(http, "old-client", pkce().challenge, redirect)
    assert answer.status_code == 400
    assert not answer.headers.get("location")


PADDED = "https://claude.ai." + ".".join(["a" * 63] * 3) + ".evil.example/api/mcp/auth_callback"


def test_a_long_host_is_cut_at_its_start_never_its_end() -> None:
    """attack16b F1: ``claude.ai.<padding>.evil.example`` was shown as ``claude.ai.aaaa…``."""
    kind, shown = destination(PADDED) or (None, "")
    assert kind is Destination.WEB
    assert shown.endswith(".evil.example") and shown.startswith("…") and "claude" not in shown
    app = destination("com.evil." + ".".join(["x" * 40] * 4) + ":/cb")
    assert app is not None and app[1].startswith("com.evil.") and app[1].endswith("…")


async def test_the_signin_page_shows_a_padded_hosts_real_domain(http: httpx.AsyncClient) -> None:
    client_id = (await register(http, PADDED)).json()["client_id"]
    start = await authorize(http, client_id, pkce().challenge, PADDED)
    page = await http.get(start.headers["location"], follow_redirects=True)
    assert page.status_code == 200
    assert ".evil.example." in page.text  # the sentence ends with it
    assert "goes back to claude.ai" not in page.text


async def test_registration_refuses_hosts_dns_could_not_have(http: httpx.AsyncClient) -> None:
    for uri in [
        "https://claude.ai." + "a" * 64 + ".evil.example/cb",  # a label over 63
        "https://" + ".".join(["a" * 60] * 5) + ".example/cb",  # a name over 253
    ]:
        answer = await register(http, uri)
        assert answer.status_code == 400, uri
        assert answer.json()["error"] == "invalid_redirect_uri"
