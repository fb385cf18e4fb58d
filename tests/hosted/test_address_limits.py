"""Requests that need no sign-in and look something up in the database are limited per client
address (attack16b F9): /revoke, /mcp with a token no one was given, the sign-in page and upload
links were served at any rate, each taking a connection of the instance's small auth pool."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest

from ai_video_music.config import Settings
from ai_video_music.hosted.oauth import PostgresOAuthProvider
from ai_video_music.simulator import Simulator

from ..conftest import call
from .accounts_helpers import KEY
from .oauth_client import MemoryStorage, signed_in
from .oauth_steps import register
from .serving import listen, loopback_config, running

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
ALLOWED = 3


@pytest.fixture
async def base(database_url: str, settings: Settings) -> AsyncIterator[str]:
    sock = listen()
    config = dataclasses.replace(
        loopback_config(database_url, sock, KEY),
        tokens_per_address=ALLOWED,
        authorizations_per_address=ALLOWED,
    )
    with running(config, settings, sock) as url:
        yield url


async def test_lookups_without_sign_in_are_limited_per_address(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        client_id = (await register(http)).json()["client_id"]
        served = {"revoke": 0, "mcp": 0, "signin": 0, "upload": 0}
        for i in range(12):
            answer = await http.post("/revoke", data={"token": f"guess{i}", "client_id": client_id})
            served["revoke"] += answer.status_code != 429
            answer = await http.post("/mcp", json={}, headers={"Authorization": f"Bearer guess{i}"})
            served["mcp"] += answer.status_code != 429
            answer = await http.get(f"/signin?request=guess{i}")
            served["signin"] += answer.status_code != 429
            answer = await http.get(f"/upload/guess{i}")
            served["upload"] += answer.status_code != 429
        over = await http.get("/upload/guess", headers={"Accept-Language": "en"})
    # Revocations: the /token allowance; made-up bearer tokens too, plus the one that went over
    # (a token is known to be made up only once looked up); the sign-in page and upload links:
    # three requests for each authorization (page, form, language switch).
    expected = {"revoke": ALLOWED, "mcp": ALLOWED + 1, "signin": 3 * ALLOWED, "upload": 3 * ALLOWED}
    assert served == expected
    assert over.status_code == 429 and "Too many upload pages" in over.text


async def test_a_valid_token_is_never_counted(base: str, sim: Simulator) -> None:
    token, _ = sim.state.register_user()
    storage = MemoryStorage()
    async with signed_in(base, token, storage) as client:
        results = [await call(client, "credits") for _ in range(2 * ALLOWED)]
    assert not any(r.is_error for r in results)


async def test_a_bearer_on_a_path_that_needs_none_is_never_looked_up(
    base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """attack17 A6: the bearer check ran on every path, so a made-up token sent to /healthz or an
    unknown path cost a database lookup each time, past the /mcp limit. Only the paths that use
    a token look it up; the others answer as they would without one."""
    looked_up: list[str] = []
    real = PostgresOAuthProvider.load_access_token

    async def counting(self: PostgresOAuthProvider, token: str) -> object:
        looked_up.append(token)
        return await real(self, token)

    monkeypatch.setattr(PostgresOAuthProvider, "load_access_token", counting)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for i in range(10):
            headers = {"Authorization": f"Bearer made-up-{i}"}
            assert (await http.get("/healthz", headers=headers)).status_code == 200
            assert (await http.get("/nothing-here", headers=headers)).status_code == 404
            metadata = await http.get("/.well-known/oauth-authorization-server", headers=headers)
            assert metadata.status_code == 200
    assert looked_up == []
