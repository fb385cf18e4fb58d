"""What a signed-in user's tokens can and cannot do after the fact: refresh rotates, a replayed
refresh token ends the grant, revocation and "forget my token" end access at once, a token for
another audience is refused, and nothing secret is stored in clear."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import anyio
import httpx
import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from ai_video_music.config import Settings
from ai_video_music.hosted.housekeeping import sweep
from ai_video_music.hosted.secrets_box import digest
from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from ..conftest import call
from .oauth_client import MemoryStorage, hidden_fields, signed_in
from .serving import listen, loopback_config, running

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!")
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "raw", "version": "1"},
    },
}


@dataclass
class Server:
    base: str
    database_url: str


@pytest.fixture
def hosted(database_url: str, settings: Settings) -> Iterator[Server]:
    sock = listen()
    with running(loopback_config(database_url, sock, KEY), settings, sock) as base:
        yield Server(base, database_url)


@dataclass
class SignedIn:
    nemo_token: str
    storage: MemoryStorage

    @property
    def access(self) -> str:
        assert self.storage.tokens is not None
        return self.storage.tokens.access_token

    @property
    def refresh(self) -> str:
        assert self.storage.tokens is not None and self.storage.tokens.refresh_token
        return self.storage.tokens.refresh_token

    @property
    def client_id(self) -> str:
        assert self.storage.client_info is not None and self.storage.client_info.client_id
        return self.storage.client_info.client_id


@pytest.fixture
async def user(hosted: Server, sim: Simulator) -> SignedIn:
    token, _ = sim.state.register_user()
    storage = MemoryStorage()
    with anyio.fail_after(60):
        async with signed_in(hosted.base, token, storage) as client:
            assert not (await call(client, "credits")).is_error
    return SignedIn(token, storage)


@pytest.fixture
async def http(hosted: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(verify=shared_context(), base_url=hosted.base, timeout=30) as client:
        yield client


async def mcp_status(http: httpx.AsyncClient, access: str) -> int:
    answer = await http.post(
        "/mcp",
        json=INITIALIZE,
        headers={"Authorization": f"Bearer {access}", "Accept": "application/json, text/event-stream"},
    )
    return answer.status_code


async def refresh(http: httpx.AsyncClient, user: SignedIn, token: str) -> httpx.Response:
    return await http.post(
        "/token", data={"grant_type": "refresh_token", "refresh_token": token, "client_id": user.client_id}
    )


async def test_the_access_token_opens_mcp(http: httpx.AsyncClient, user: SignedIn) -> None:
    assert await mcp_status(http, user.access) == 200


async def test_mcp_refuses_a_foreign_origin_or_host_even_with_a_valid_token(
    http: httpx.AsyncClient, user: SignedIn
) -> None:
    headers = {"Authorization": f"Bearer {user.access}", "Accept": "application/json, text/event-stream"}
    foreign_page = await http.post(
        "/mcp", json=INITIALIZE, headers=headers | {"Origin": "https://evil.example"}
    )
    rebound_name = await http.post("/mcp", json=INITIALIZE, headers=headers | {"Host": "evil.example"})
    assert foreign_page.status_code == 403
    assert rebound_name.status_code in (400, 421)


async def test_a_client_of_the_2025_protocol_era_works_too(hosted: Server, sim: Simulator) -> None:
    token, _ = sim.state.register_user(credits=12)
    with anyio.fail_after(60):
        async with signed_in(hosted.base, token, mode="legacy") as client:
            credits = await call(client, "credits")
            era = client.protocol_version
    assert credits.structured_content and credits.structured_content["available"] == 12
    assert era.startswith("2025")


async def test_a_refresh_token_works_once_and_its_replay_ends_the_grant(
    http: httpx.AsyncClient, user: SignedIn
) -> None:
    first = await refresh(http, user, user.refresh)
    assert first.status_code == 200
    fresh = first.json()
    assert fresh["refresh_token"] != user.refresh and fresh["access_token"] != user.access
    assert await mcp_status(http, user.access) == 401  # the old pair ended with the rotation
    assert await mcp_status(http, fresh["access_token"]) == 200

    replayed = await refresh(http, user, user.refresh)
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    # Someone kept a copy of a rotated token: neither holder keeps access.
    assert await mcp_status(http, fresh["access_token"]) == 401
    assert (await refresh(http, user, fresh["refresh_token"])).status_code == 400


async def test_a_refresh_token_used_twice_at_the_same_moment_ends_the_grant(
    http: httpx.AsyncClient, user: SignedIn, hosted: Server
) -> None:
    """Both uses pass the first look (the token is unused) before either marks it used: the
    database decides which one rotates; the other is a replay all the same."""
    answers: list[httpx.Response] = []

    async def use() -> None:
        answers.append(await refresh(http, user, user.refresh))

    async with await psycopg.AsyncConnection.connect(hosted.database_url) as holder:
        with anyio.fail_after(30):
            async with anyio.create_task_group() as tg, holder.transaction():
                # Both requests wait on this row lock in their UPDATE, having read it unused.
                await holder.execute(
                    "SELECT 1 FROM refresh_tokens WHERE token_hash = %s FOR UPDATE",
                    (digest(user.refresh),),
                )
                tg.start_soon(use)
                tg.start_soon(use)
                await waiting_on_locks(hosted.database_url, 2)
    assert sorted(a.status_code for a in answers) == [200, 400]
    [lost] = [a for a in answers if a.status_code == 400]
    [won] = [a.json() for a in answers if a.status_code == 200]
    assert lost.json()["error"] == "invalid_grant"
    # One of the two was a copy: neither keeps access.
    assert await mcp_status(http, won["access_token"]) == 401
    assert (await refresh(http, user, won["refresh_token"])).status_code == 400


async def waiting_on_locks(database_url: str, n: int) -> None:
    """Until ``n`` statements of the server wait on a lock (what it waits for is another test's
    transaction: the poll is bounded by the caller's deadline)."""
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        while True:
            cur = await conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            row = await cur.fetchone()
            if row is not None and row[0] >= n:
                return
            await anyio.sleep(0.02)


async def test_revoking_the_access_token_ends_access_and_refresh(
    http: httpx.AsyncClient, user: SignedIn
) -> None:
    # (mcp 2.3's RevocationRequest requires the client_secret field even for a public client: empty.)
    form = {"token": user.access, "client_id": user.client_id, "client_secret": ""}
    answer = await http.post("/revoke", data=form)
    assert answer.status_code == 200
    assert await mcp_status(http, user.access) == 401
    assert (await refresh(http, user, user.refresh)).status_code == 400


async def test_a_token_issued_for_another_audience_is_refused(
    http: httpx.AsyncClient, user: SignedIn, hosted: Server
) -> None:
    with psycopg.connect(hosted.database_url, autocommit=True) as conn:
        conn.execute("UPDATE grants SET resource = 'https://elsewhere.example/mcp'")
    assert await mcp_status(http, user.access) == 401


async def test_authorize_refuses_a_resource_other_than_this_server(
    http: httpx.AsyncClient, user: SignedIn
) -> None:
    assert user.storage.client_info is not None
    redirect = str(user.storage.client_info.redirect_uris[0])  # type: ignore[index]
    answer = await http.get(
        "/authorize",
        params={
            "client_id": user.client_id,
            "response_type": "code",
            "redirect_uri": redirect,
            "code_challenge": "x" * 43,
            "code_challenge_method": "S256",
            "state": "s1",
            "resource": "https://elsewhere.example/mcp",
        },
    )
    assert answer.status_code == 302
    assert "error=invalid_target" in answer.headers["location"]
    assert answer.headers["location"].startswith(redirect)


async def test_forget_my_token_signs_every_app_out(
    http: httpx.AsyncClient, user: SignedIn, hosted: Server
) -> None:
    page = await http.get("/signout")
    assert page.status_code == 200 and 'name="nemo_token"' in page.text
    done = await http.post("/signout", data=hidden_fields(page.text) | {"nemo_token": user.nemo_token})
    assert done.status_code == 200 and "is deleted and every app signed in with it is signed out" in done.text
    assert await mcp_status(http, user.access) == 401
    assert (await refresh(http, user, user.refresh)).status_code == 400
    with psycopg.connect(hosted.database_url) as conn:
        row = conn.execute("SELECT nemo_token FROM users").fetchone()
    assert row == (None,)


async def test_a_form_posted_without_its_csrf_cookie_is_refused(
    http: httpx.AsyncClient, user: SignedIn
) -> None:
    page = await http.get("/signout")
    http.cookies.clear()  # a cross-site post carries no SameSite=Strict cookie
    refused = await http.post("/signout", data=hidden_fields(page.text) | {"nemo_token": user.nemo_token})
    assert refused.status_code == 403
    assert await mcp_status(http, user.access) == 200


async def test_nothing_secret_is_stored_in_clear(user: SignedIn, hosted: Server) -> None:
    with psycopg.connect(hosted.database_url) as conn:
        dump = "".join(
            str(conn.execute(f"SELECT * FROM {table}").fetchall())  # fixed table names
            for table in ("users", "oauth_clients", "grants", "auth_codes", "access_tokens", "refresh_tokens")
        )
    for secret in (user.nemo_token, user.access, user.refresh):
        assert secret not in dump


async def test_the_signin_page_speaks_the_browsers_language(http: httpx.AsyncClient, user: SignedIn) -> None:
    page = await http.get("/signout", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh-CN">' in page.text and "删除我的 NemoVideo 令牌" in page.text
    assert "prefers-color-scheme: dark" in page.text
    english = await http.get("/signout", params={"lang": "en"}, headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in english.text and "Forget my NemoVideo token" in english.text
    assert english.headers["x-frame-options"] == "DENY"


async def test_expired_tokens_are_swept_but_a_used_refresh_token_stays_until_it_expires(
    http: httpx.AsyncClient, user: SignedIn, hosted: Server
) -> None:
    assert (await refresh(http, user, user.refresh)).status_code == 200  # the first refresh is now used
    with psycopg.connect(hosted.database_url, autocommit=True) as conn:
        conn.execute("UPDATE access_tokens SET expires_at = now() - interval '1 second'")
    async with await psycopg_pool_for(hosted.database_url) as pool:
        await sweep(pool)
    with psycopg.connect(hosted.database_url) as conn:
        access = conn.execute("SELECT count(*) FROM access_tokens").fetchone()
        refresh_rows = conn.execute("SELECT count(*) FROM refresh_tokens").fetchone()
    assert access == (0,)
    assert refresh_rows == (2,)  # the used one is kept: its replay must still end the grant
    replayed = await refresh(http, user, user.refresh)
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"


async def psycopg_pool_for(url: str) -> AsyncConnectionPool:
    pool = AsyncConnectionPool(url, min_size=1, max_size=1, open=False)
    await pool.open()
    return pool


async def test_a_form_token_or_cookie_in_other_letters_is_a_stale_form_not_a_server_error(
    http: httpx.AsyncClient, user: SignedIn
) -> None:
    """Round 14 F2: "é" in the csrf field or the cookie made compare_digest raise: a 500."""
    page = await http.get("/signout")
    fields = hidden_fields(page.text)
    bad_field = await http.post("/signout", data=fields | {"csrf": "é", "nemo_token": user.nemo_token})
    assert bad_field.status_code == 403, bad_field.status_code
    http.cookies.clear()
    bad_cookie = await http.post(
        "/signout",
        data=fields | {"nemo_token": user.nemo_token},
        headers={b"cookie": "nemo_csrf=é".encode()},  # a browser sends its bytes as they are
    )
    assert bad_cookie.status_code == 403, bad_cookie.status_code
    assert await mcp_status(http, user.access) == 200


async def test_a_body_nested_too_deeply_is_a_parse_error_not_a_crash(
    http: httpx.AsyncClient, user: SignedIn
) -> None:
    """attack16b F3: the call limit's parser raised RecursionError: a 500 and a traceback."""
    deep = b"[" * 100_000 + b"]" * 100_000
    body = b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"credits"},"x":' + deep + b"}"
    answer = await http.post(
        "/mcp",
        content=body,
        headers={
            "Authorization": f"Bearer {user.access}",
            "Accept": "application/json, text/event-stream",
            "Content-Type": "application/json",
            "Accept-Language": "en",
        },
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == {"code": -32700, "message": "This request is nested too deeply to read."}


async def test_token_refuses_a_resource_other_than_this_server(
    http: httpx.AsyncClient, user: SignedIn, hosted: Server
) -> None:
    """attack16b F5 (RFC 8707 §2.2): a client asking for another resource must not take our token
    for that one's; naming ours (or none) works."""
    form = {"grant_type": "refresh_token", "refresh_token": user.refresh, "client_id": user.client_id}
    other = await http.post("/token", data=form | {"resource": "https://other.example/mcp"})
    assert other.status_code == 400 and other.json()["error"] == "invalid_target"
    ours = await http.post("/token", data=form | {"resource": f"{hosted.base}/mcp"})
    assert ours.status_code == 200  # the refused request used nothing up


async def test_token_refuses_another_resource_however_the_form_is_sent(
    http: httpx.AsyncClient, user: SignedIn, hosted: Server
) -> None:
    """attack17 A5: the check read the form with parse_qs, the SDK with Starlette's parser, which
    also takes multipart: a multipart exchange naming another resource got a token. The check
    now reads what the SDK reads."""
    form = {"grant_type": "refresh_token", "refresh_token": user.refresh, "client_id": user.client_id}
    foreign = form | {"resource": "https://other.example/mcp"}
    multipart = await http.post("/token", files={k: (None, v) for k, v in foreign.items()})
    assert multipart.status_code == 400 and multipart.json()["error"] == "invalid_target"
    ours = await http.post("/token", files={k: (None, v) for k, v in form.items()})
    assert ours.status_code == 200  # the refused request used nothing up
