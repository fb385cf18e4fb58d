"""Hosted mode end to end: real PostgreSQL, the real server on loopback, the simulator as
NemoVideo, and the SDK's own OAuth client (dynamic registration + PKCE) signing in."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator

import anyio
import httpx
import psycopg
import pytest
from mcp.types import CallToolResult

from ai_video_music.config import Settings
from ai_video_music.hosted.app import create_app
from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from ..conftest import call, text
from .oauth_client import MemoryStorage, hidden_fields, signed_in
from .serving import listen, loopback_config, running, serving

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!")


@pytest.fixture
def hosted(database_url: str, settings: Settings) -> Iterator[str]:
    sock = listen()
    with running(loopback_config(database_url, sock, KEY), settings, sock) as base:
        yield base


async def test_a_user_signs_in_with_oauth_and_reads_their_credits(hosted: str, sim: Simulator) -> None:
    token, _ = sim.state.register_user(credits=420)
    with anyio.fail_after(60):
        async with signed_in(hosted, token) as client:
            credits = await call(client, "credits")
            status = await call(client, "status")
            era = client.protocol_version
    assert era.startswith("2026")  # the stateless era; test_tokens covers the 2025 one
    assert not credits.is_error
    assert credits.structured_content and credits.structured_content["available"] == 420
    assert not status.is_error and status.structured_content is not None
    assert status.structured_content["projects"] == []


async def test_two_users_never_see_each_others_projects(hosted: str, sim: Simulator) -> None:
    alice, _ = sim.state.register_user()
    bob, _ = sim.state.register_user()
    with anyio.fail_after(90):
        async with signed_in(hosted, alice) as client:
            made = await call(
                client, "generate", {"prompt": "make a 10 second video of a beach", "new_project": True}
            )
            mine = await call(client, "status")
        async with signed_in(hosted, bob) as client:
            theirs = await call(client, "status")
    assert not made.is_error, made
    assert mine.structured_content and len(mine.structured_content["projects"]) == 1
    assert theirs.structured_content is not None and theirs.structured_content["projects"] == []


async def signin_page(http: httpx.AsyncClient) -> httpx.Response:
    """A registered client's /authorize, followed to the sign-in page."""
    registered = (
        await http.post(
            "/register",
            json={
                "redirect_uris": ["http://127.0.0.1:1/cb"],
                "token_endpoint_auth_method": "none",
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
            },
        )
    ).json()
    query = {
        "client_id": registered["client_id"],
        "response_type": "code",
        "redirect_uri": "http://127.0.0.1:1/cb",
        "code_challenge": "x" * 43,
        "code_challenge_method": "S256",
        "state": "s",
    }
    return await http.get("/authorize", params=query, follow_redirects=True)


async def test_a_token_nemovideo_refuses_is_not_stored(hosted: str, database_url: str) -> None:
    async with httpx.AsyncClient(verify=shared_context(), base_url=hosted, timeout=30) as http:
        page = await signin_page(http)
        refused = await http.post(
            "/signin", data=hidden_fields(page.text) | {"nemo_token": "nmv_not_a_real_token"}
        )
    assert refused.status_code == 401
    assert "did not accept this token" in refused.text
    assert 'role="alert"' in refused.text
    # The language switch on the answer still leads to this sign-in, not to an expired page.
    assert f"request={hidden_fields(page.text)['request']}" in refused.text
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)


async def test_after_too_many_refused_tokens_the_form_pauses_without_asking_nemovideo(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), signin_failures_allowed=2)
    good, _ = sim.state.register_user()
    with running(config, settings, sock) as base:
        async with httpx.AsyncClient(verify=shared_context(), base_url=base, timeout=30) as http:
            page = await signin_page(http)
            form = hidden_fields(page.text)
            for attempt in ("nmv_guess_1", "nmv_guess_2"):
                assert (await http.post("/signin", data=form | {"nemo_token": attempt})).status_code == 401
            asked = len(sim.requests("credits"))
            paused = await http.post("/signin", data=form | {"nemo_token": good})
    assert paused.status_code == 429
    assert "Too many refused tokens" in paused.text and "15 minutes" in paused.text
    assert asked == 2 and len(sim.requests("credits")) == asked  # the last token was not tried


async def test_mcp_without_a_token_answers_401_pointing_at_the_metadata(hosted: str) -> None:
    async with httpx.AsyncClient(verify=shared_context(), base_url=hosted, timeout=30) as http:
        answer = await http.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        metadata = await http.get(
            "/.well-known/oauth-protected-resource/mcp", headers={"Origin": "https://claude.ai"}
        )
        server = await http.get("/.well-known/oauth-authorization-server")
    assert answer.status_code == 401
    assert (
        f'resource_metadata="{hosted}/.well-known/oauth-protected-resource/mcp"'
        in answer.headers["www-authenticate"]
    )
    assert metadata.json()["resource"] == f"{hosted}/mcp"
    assert [a.rstrip("/") for a in metadata.json()["authorization_servers"]] == [hosted]
    assert metadata.headers["access-control-allow-origin"] == "*"  # browser-based hosts read it
    assert server.json()["code_challenge_methods_supported"] == ["S256"]
    assert server.json()["registration_endpoint"] == f"{hosted}/register"
    assert server.json()["client_id_metadata_document_supported"] is True
    assert server.json()["authorization_response_iss_parameter_supported"] is True


async def test_an_idle_users_server_leaves_memory_and_their_projects_come_back(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    now = [0.0]
    sock = listen()
    app = create_app(loopback_config(database_url, sock, KEY), settings, clock=lambda: now[0])
    alice, _ = sim.state.register_user()
    bob, _ = sim.state.register_user()
    with serving(app, sock) as base, anyio.fail_after(120):
        async with signed_in(base, alice) as client:
            made = await call(client, "generate", {"prompt": "a 10 second beach video", "new_project": True})
        assert not made.is_error and app.state.servers.resident == 1
        while app.state.servers.in_flight:  # her last request's end is recorded after its answer
            await anyio.sleep(0.01)
        now[0] += 2 * 3600  # alice goes quiet for two hours
        async with signed_in(base, bob) as client:
            assert not (await call(client, "credits")).is_error
        assert app.state.servers.resident == 1  # bob's; alice's was stopped
        async with signed_in(base, alice) as client:
            back = await call(client, "status")
    assert back.structured_content and len(back.structured_content["projects"]) == 1


async def test_past_the_resident_cap_the_least_recently_used_idle_server_goes_and_comes_back(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), resident_users=2)
    app = create_app(config, settings)
    alice, bob, carol = (sim.state.register_user()[0] for _ in range(3))
    with serving(app, sock) as base, anyio.fail_after(120):
        async with signed_in(base, alice) as client:
            made = await call(client, "generate", {"prompt": "a 10 second beach video", "new_project": True})
        async with signed_in(base, bob) as client:
            assert not (await call(client, "credits")).is_error
        assert app.state.servers.resident == 2
        async with signed_in(base, carol) as client:
            assert not (await call(client, "credits")).is_error
        assert app.state.servers.resident == 2  # alice's, the least recently used, went
        async with signed_in(base, alice) as client:
            back = await call(client, "status")  # built again, from the store
        assert app.state.servers.resident == 2
    assert not made.is_error
    assert back.structured_content and len(back.structured_content["projects"]) == 1


async def test_a_server_with_a_request_in_flight_is_never_the_one_that_goes(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), resident_users=1)
    app = create_app(config, settings)
    alice, bob = (sim.state.register_user()[0] for _ in range(2))
    answers: list[CallToolResult] = []
    with serving(app, sock) as base, anyio.fail_after(120):
        async with signed_in(base, alice) as client:
            with sim.state.hold("run_sse", during_call=True) as gate:

                async def generate() -> None:
                    new = {"prompt": "make a beach video", "new_project": True}
                    answers.append(await call(client, "generate", new))

                async with anyio.create_task_group() as tg:
                    tg.start_soon(generate)
                    assert await gate.entered(30)  # alice's request is in flight, at the agent
                    async with signed_in(base, bob) as other:
                        assert not (await call(other, "credits")).is_error
                    assert app.state.servers.resident == 2  # over the cap for now, not cut short
                    gate.release()
    assert len(answers) == 1 and not answers[0].is_error, answers


async def test_one_user_gets_only_so_many_requests_at_once(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), requests_per_user=1)
    token, _ = sim.state.register_user()
    storage = MemoryStorage()
    answers: list[CallToolResult] = []
    with running(config, settings, sock) as base, anyio.fail_after(90):
        async with signed_in(base, token, storage) as client:
            with sim.state.hold("run_sse", during_call=True) as gate:

                async def generate() -> None:
                    answers.append(
                        await call(client, "generate", {"prompt": "make a beach video", "new_project": True})
                    )

                async with anyio.create_task_group() as tg:
                    tg.start_soon(generate)
                    assert await gate.entered(30)  # the first request is in flight, at the agent
                    assert storage.tokens is not None
                    async with httpx.AsyncClient(verify=shared_context(), timeout=30) as http:
                        second = await http.post(
                            f"{base}/mcp",
                            json={"jsonrpc": "2.0", "id": 9, "method": "tools/list"},
                            headers={
                                "Authorization": f"Bearer {storage.tokens.access_token}",
                                "Accept": "application/json, text/event-stream",
                            },
                        )
                    gate.release()
    assert second.status_code == 429 and second.headers["retry-after"] == "5"
    assert len(answers) == 1 and not answers[0].is_error


async def test_an_export_is_its_link_with_the_files_own_facts_and_nothing_on_the_servers_disk(
    hosted: str, sim: Simulator, settings: Settings
) -> None:
    token, _ = sim.state.register_user(credits=500)
    with anyio.fail_after(120):
        async with signed_in(hosted, token) as client:
            made = await call(
                client,
                "generate",
                {"prompt": "make a 10 second video of a beach", "new_project": True, "accept_cost": True},
            )
            exported = await call(client, "export")
            for _ in range(20):  # a slow machine: the render may still be on its way
                if exported.structured_content and exported.structured_content["status"] == "done":
                    break
                exported = await call(client, "export")
            status = await call(client, "status")
    assert not made.is_error, made
    assert not exported.is_error, exported
    out = exported.structured_content
    assert out is not None and out["status"] == "done"
    assert out["path"] is None and "/storage/render_" in out["url"]
    assert out["width"] and out["height"] and out["duration_s"] and out["size_bytes"]
    assert out["url"] in text(exported)
    # The next status lists it as ready at that link (round 20: it said "No file here … rendering").
    assert f"each at its link:\n- {out['url']}" in text(status), text(status)
    assert "No file here" not in text(status), text(status)
    # Nothing was downloaded: no video anywhere under the server's state folder.
    assert not [p for p in settings.home.rglob("*") if p.suffix in (".mp4", ".part", ".mov")]
    # The facts were read in ranges, never by fetching the whole file.
    reads = sim.requests("storage")
    assert reads and all(r["range"] for r in reads)
