""" "Start free": a free NemoVideo account made for a user on the sign-in page, where the operator
allows it; NemoVideo's per-address limit refused plainly; the user's own token replaces it later."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import httpx
import psycopg
import pytest

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from ..conftest import call, text
from .accounts_helpers import hosted_with, start_free_browser
from .oauth_client import hidden_fields, signed_in
from .test_hosted_flow import signin_page

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]


@pytest.fixture
def free(database_url: str, settings: Settings) -> Iterator[str]:
    with hosted_with(database_url, settings, allow_anonymous=True, free_per_address=5) as base:
        yield base


def users(database_url: str) -> list[tuple[str, str, bytes | None]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute("SELECT id, kind, nemo_token FROM users ORDER BY created_at").fetchall()


async def test_a_user_starts_free_through_oauth_and_gets_the_free_credits(
    free: str, sim: Simulator, database_url: str
) -> None:
    with anyio.fail_after(60):
        async with signed_in(free, "", browser=start_free_browser()) as client:
            credits = await call(client, "credits")
    assert not credits.is_error
    assert credits.structured_content and credits.structured_content["available"] == 100
    assert len(sim.requests("token")) == 1
    [issued] = list(sim.state.tokens)
    [(_, kind, sealed)] = users(database_url)
    assert kind == "free" and sealed is not None
    # Stored encrypted, like a pasted token: the token's text is nowhere in the row.
    assert issued.encode() not in bytes(sealed) and b"nmv_usr_" not in bytes(sealed)


async def test_the_page_offers_start_free_only_where_the_operator_allows_it(
    free: str, database_url: str, settings: Settings
) -> None:
    async with httpx.AsyncClient(verify=shared_context(), base_url=free, timeout=30) as http:
        offered = await signin_page(http)
    assert "Start free" in offered.text and "per network address" in offered.text
    with hosted_with(database_url, settings) as plain:
        async with httpx.AsyncClient(verify=shared_context(), base_url=plain, timeout=30) as http:
            page = await signin_page(http)
            # A start_free posted to a server that doesn't allow it starts nothing.
            answer = await http.post("/signin", data=hidden_fields(page.text) | {"start_free": "1"})
    assert "Start free" not in page.text
    assert answer.status_code == 400  # the empty token field, as without the button


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "NemoVideo gives no more free accounts"),
        ("zh", "NemoVideo 暂时不再向本服务器的地址提供免费账户"),
    ],
)
async def test_nemovideos_per_address_limit_is_refused_plainly(
    free: str, sim: Simulator, database_url: str, lang: str, said: str
) -> None:
    sim.configure(anon_tokens_per_address=1)
    async with httpx.AsyncClient(
        verify=shared_context(), base_url=free, timeout=30, headers={"Accept-Language": lang}
    ) as http:
        first = await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
        second = await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
    assert first.status_code == 303
    assert second.status_code == 429
    assert said in second.text and 'role="alert"' in second.text
    assert len(users(database_url)) == 1  # nothing stored for the refused one


async def test_one_address_starts_one_free_account_before_nemovideo_is_asked_again(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    with hosted_with(database_url, settings, allow_anonymous=True, free_per_address=1) as base:
        async with httpx.AsyncClient(verify=shared_context(), base_url=base, timeout=30) as http:
            first = await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
            second = await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
    assert first.status_code == 303 and second.status_code == 429
    assert "already started from your network" in second.text
    assert len(sim.requests("token")) == 1  # our cap: NemoVideo's few free accounts are not used up


async def test_the_users_own_token_later_replaces_the_free_one_and_keeps_the_user(
    free: str, sim: Simulator, database_url: str
) -> None:
    own, _ = sim.state.register_user(credits=777)
    async with httpx.AsyncClient(verify=shared_context(), base_url=free, timeout=30) as http:
        started = await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
        [(free_id, _, _)] = users(database_url)
        page = await signin_page(http)
        pasted = await http.post("/signin", data=hidden_fields(page.text) | {"nemo_token": own})
    assert started.status_code == 303
    # Said on a page (the free account's other sign-ins ended), which goes on to the app.
    assert pasted.status_code == 200 and "Continue to your app" in pasted.text
    [(user_id, kind, _)] = users(database_url)
    assert (user_id, kind) == (free_id, "own")
    # Another browser pasting a token makes its own user: the free account is not theirs.
    other, _ = sim.state.register_user()
    async with httpx.AsyncClient(verify=shared_context(), base_url=free, timeout=30) as http:
        page = await signin_page(http)
        await http.post("/signin", data=hidden_fields(page.text) | {"nemo_token": other})
    assert len(users(database_url)) == 2


async def test_the_browser_that_started_a_free_account_can_forget_it(free: str, database_url: str) -> None:
    async with httpx.AsyncClient(verify=shared_context(), base_url=free, timeout=30) as http:
        await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
        page = await http.get("/signout")
        form = {k: v for k, v in hidden_fields(page.text).items() if k != "free"}
        done = await http.post("/signout", data=form | {"free": "1"})
        again = await http.get("/signout")
    assert "Forget the free account" in page.text
    assert done.status_code == 200 and "your token is deleted" in done.text
    assert [sealed for _, _, sealed in users(database_url)] == [None]
    assert "Forget the free account" not in again.text  # the cookie went with it


async def test_another_browser_is_not_offered_to_forget_it(free: str) -> None:
    async with httpx.AsyncClient(verify=shared_context(), base_url=free, timeout=30) as http:
        await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
    async with httpx.AsyncClient(verify=shared_context(), base_url=free, timeout=30) as other:
        page = await other.get("/signout")
    assert "Forget the free account" not in page.text


async def test_a_free_user_out_of_credits_is_given_the_registration_link_that_keeps_their_work(
    free: str, sim: Simulator
) -> None:
    with anyio.fail_after(60):
        async with signed_in(free, "", browser=start_free_browser()) as client:
            sim.state.set_credits(0)
            credits = await call(client, "credits")
    [anonymous] = [u.user_id for u in sim.state.users.values()]
    assert f"/register?bind={anonymous}" in text(credits)
