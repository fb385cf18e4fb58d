"""A team on the operator's NemoVideo token: members sign in with a member code (no token of
theirs), each has a credit quota, spending is recorded per request, and a request the quota
can't pay is refused before it is sent."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator, Iterator

import anyio
import httpx
import psycopg
import pytest
from mcp import Client
from mcp.types import CallToolResult

from ai_video_music.config import Settings
from ai_video_music.hosted import db, members
from ai_video_music.hosted.team import TeamClient, TeamLedger
from ai_video_music.quota import quota_text
from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from ..conftest import call, text
from .accounts_helpers import KEY, hosted_with, member_browser
from .oauth_client import MemoryStorage, hidden_fields, signed_in
from .test_hosted_flow import signin_page

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
TEAM_BALANCE = 5000


@pytest.fixture
def team(database_url: str, settings: Settings, sim: Simulator) -> Iterator[str]:
    token, _ = sim.state.register_user(credits=TEAM_BALANCE)
    with hosted_with(database_url, settings, team_token=token, team_quota=140, team_quota_days=30) as base:
        yield base


@pytest.fixture
def held_team(database_url: str, settings: Settings, sim: Simulator) -> Iterator[str]:
    """``team`` for the tests that hold turns at the simulator's agent gate: a call waits up to
    60 s for its turn (the held one comes back done, not "still working", on a loaded machine)."""
    token, _ = sim.state.register_user(credits=TEAM_BALANCE)
    roomy = dataclasses.replace(settings, tool_budget=60.0)
    with hosted_with(database_url, roomy, team_token=token, team_quota=140, team_quota_days=30) as base:
        yield base


async def member(database_url: str, name: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A member code, made the way the operator makes one."""
    monkeypatch.setenv("NEMO_DATABASE_URL", database_url)
    monkeypatch.setenv("NEMO_SECRET_KEY", KEY.decode())
    return await members.run("add", name)


async def test_a_member_signs_in_with_a_code_and_sees_only_their_own_quota(
    team: str, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = await member(database_url, "alice", monkeypatch)
    with anyio.fail_after(60):
        async with signed_in(team, "", browser=member_browser(code)) as client:
            credits = await call(client, "credits")
    said = text(credits)
    assert not credits.is_error
    assert credits.structured_content and credits.structured_content["available"] == 140
    assert "Your quota: 140 credits every 30 days; 0 used, 140 left" in said
    assert str(TEAM_BALANCE) not in said  # the team's balance is not a member's business
    # The operator removes the member: their sign-ins go with them.
    assert await members.run("remove", "alice") == "removed 1 member(s) named 'alice'"
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM grants").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM access_tokens").fetchone() == (0,)


async def test_spending_is_recorded_per_request_and_a_request_over_the_quota_is_not_sent(
    team: str, database_url: str, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim.configure(generation_cost=100, edit_cost=50)  # the contract's prices
    alice = await member(database_url, "alice", monkeypatch)
    bob = await member(database_url, "bob", monkeypatch)
    with anyio.fail_after(120):
        async with signed_in(team, "", browser=member_browser(alice)) as client:
            made = await call(client, "generate", {"prompt": "make a video of a beach", "new_project": True})
            after = await call(client, "credits")
            over = await call(client, "generate", {"prompt": "make a video of a forest", "new_project": True})
        async with signed_in(team, "", browser=member_browser(bob)) as client:
            bobs = await call(client, "credits")
    assert not made.is_error, text(made)
    assert after.structured_content and after.structured_content["available"] == 40
    assert "100 used, 40 left" in text(after)
    assert over.structured_content and over.structured_content["status"] == "cannot_run"
    assert "team quota" in text(over) and "administrator" in text(over)
    assert len(sim.requests("run_sse")) == 1  # the second was never sent
    # Bob's quota is his own: Alice's spending is not in it.
    assert bobs.structured_content and bobs.structured_content["available"] == 140


async def test_a_member_whose_team_account_runs_dry_is_told_so_not_to_wait_for_their_quota(
    team: str, database_url: str, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A22-3: with the team's NemoVideo account empty and her quota full, carol was told "0
    available" next to "140 left", and to wait for her quota or ask for a larger one: neither
    helps. The team's account is what is short, and only its owner can top it up; how much it
    holds is not told exactly (a member would watch colleagues' use)."""
    sim.configure(generation_cost=100, edit_cost=50)
    carol = await member(database_url, "carol", monkeypatch)
    with anyio.fail_after(120):
        async with signed_in(team, "", browser=member_browser(carol)) as client:
            sim.state.set_credits(0)
            empty = await call(client, "credits")
            refused = await call(
                client, "generate", {"prompt": "make a video of a beach", "new_project": True}
            )
            sim.state.set_credits(123)
            low = await call(client, "credits")
    for said in (text(empty), text(refused)):
        assert "team's NemoVideo account" in said and "top it up" in said, said
        assert "window moves on" not in said and "larger quota" not in said, said
        assert "140 left" not in said, said
    assert refused.structured_content and refused.structured_content["status"] == "cannot_run"
    assert sim.requests("run_sse") == []
    assert low.structured_content and low.structured_content["available"] == 100  # not the 123 it holds
    assert "123" not in text(low) and "team's NemoVideo account" in text(low)


async def test_an_unknown_member_code_is_refused_and_counts_toward_the_pause(
    team: str, database_url: str
) -> None:
    async with httpx.AsyncClient(verify=shared_context(), base_url=team, timeout=30) as http:
        page = await signin_page(http)
        refused = await http.post("/signin", data=hidden_fields(page.text) | {"member_code": "guess"})
    assert "Member code" in page.text and "nemo_token" not in page.text
    assert refused.status_code == 401 and "not known here" in refused.text


@pytest.fixture
async def ledger(database_url: str) -> AsyncIterator[TeamLedger]:
    pool = db.make_pool(database_url)
    await pool.open(wait=True)
    async with pool.connection() as conn:
        await db.migrate(conn)
        for user in ("a", "b", "c"):
            await conn.execute(
                "INSERT INTO users (id, lookup, kind) VALUES (%s, %s, 'team')", (user, "lookup-" + user)
            )
    yield TeamLedger(pool, quota=500, days=30)
    await pool.close()


async def test_overlapping_requests_on_the_team_token_are_billed_together_what_the_balance_fell(
    ledger: TeamLedger,
) -> None:
    alone = await ledger.begin("c")
    assert await ledger.end(alone, 5000.0, 4970.0) == 30.0  # alone on the token: the fall, exactly
    first = await ledger.begin("a")
    second = await ledger.begin("b")
    running = await ledger.quota("b")
    assert (running.used, running.running) == (100.0, 1)  # reserved while it runs
    # Each cost 400 (more than one reservation): a's window saw both fall. Until b ends, a pays
    # its share of the fall read so far, b counts at its reservation.
    assert await ledger.end(first, 4970.0, 4170.0) == 400.0
    assert (await ledger.quota("b")).used == 100.0
    # b ends last: the group is billed the fall over its span (4970 -> 4170), by reservations.
    assert await ledger.end(second, 4970.0, 4170.0) == 400.0
    assert (await ledger.quota("a")).used == 400.0
    assert (await ledger.quota("b")).used == 400.0
    assert (await ledger.quota("c")).used == 30.0
    async with ledger.pool.connection() as conn:
        cur = await conn.execute("SELECT sum(charged), max(shared_with) FROM team_spend WHERE user_id <> 'c'")
        assert await cur.fetchone() == (800.0, 1)  # the sum billed is the fall
    unread = await ledger.begin("c")
    assert (
        await ledger.end(unread, None, 3000.0) == 100.0
    )  # a balance not read: the reservation, never nothing


async def test_a_group_is_split_by_reservations_and_one_past_the_quota_ends_at_none_left(
    ledger: TeamLedger,
) -> None:
    generation = await ledger.begin("a")
    edit = await ledger.begin("b", 50)
    # A fall under the reservations: split 2:1, each under its own reservation.
    assert await ledger.end(edit, 1000.0, 1000.0) == 0.0  # nothing fell yet when b ended
    assert await ledger.end(generation, 1000.0, 940.0) == 40.0
    assert (await ledger.quota("b")).used == 20.0  # billed again when the group's last one ended
    # Three chained windows (a with b, b with c; a and c apart) are one group; the fall over its
    # span, 1500, passes a's quota of 500: a is billed its share and has nothing left.
    one = await ledger.begin("a")
    two = await ledger.begin("b", 50)
    assert await ledger.end(one, 2940.0, 2340.0) == 400.0  # 600 so far, a:100 of 150 reserved
    three = await ledger.begin("c", 150)
    assert await ledger.end(two, 2340.0, 2140.0) > 0
    assert await ledger.end(three, 2140.0, 1440.0) == 750.0  # 2940 -> 1440: 1500 by 100:50:150
    quota = await ledger.quota("a")
    assert (quota.used, quota.left) == (540.0, 0.0)
    assert (await ledger.quota("b")).used == 20.0 + 250.0
    assert "540 used, 0 left" in quota_text(quota, "en") and "剩余 0" in quota_text(quota, "zh")


async def test_overlapping_requests_ending_at_once_are_billed_in_full(ledger: TeamLedger) -> None:
    spends = [await ledger.begin(user) for user in ("a", "b", "c")]
    async with anyio.create_task_group() as tg:
        for spend in spends:
            tg.start_soon(ledger.end, spend, 5000.0, 3800.0)  # three of 400: whoever ends last bills all
    async with ledger.pool.connection() as conn:
        cur = await conn.execute("SELECT charged FROM team_spend")
        assert [row[0] for row in await cur.fetchall()] == [400.0, 400.0, 400.0]


async def test_a_reservation_is_made_only_where_the_quota_can_take_it_however_many_ask_at_once(
    ledger: TeamLedger,
) -> None:
    tight = TeamLedger(ledger.pool, quota=140, days=30)
    spends: list[str | None] = []

    async def ask() -> None:
        spends.append(await tight.begin("a"))

    async with anyio.create_task_group() as tg:
        for _ in range(8):
            tg.start_soon(ask)
    assert sum(spend is not None for spend in spends) == 1  # one generation's 100 fits in 140
    assert await tight.begin("a", 50) is None  # an edit doesn't fit in the 40 left either
    other = await tight.begin("b", 100)
    assert other is not None  # another member's quota is their own
    await tight.release(other)
    [first] = [spend for spend in spends if spend is not None]
    assert await tight.end(first, 1000.0, 910.0) == 90.0
    assert await tight.begin("a", 50) is not None  # 90 charged + 50 = 140: it fits exactly
    assert (await tight.quota("a")).used == 140.0


async def test_a_request_cancelled_before_it_is_sent_gives_its_reservation_back(
    ledger: TeamLedger, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The call ends (its budget, an evicted server) while the team balance is read, before
    anything is sent: the member's quota is whole again, not held for the rest of the window."""
    client = TeamClient(settings, ledger, "a")

    async def slow_balance() -> float | None:
        await anyio.sleep_forever()
        return None

    monkeypatch.setattr(client, "_team_balance", slow_balance)

    async def on_event(event: object) -> None:
        raise AssertionError("nothing is sent")

    with anyio.move_on_after(0.2):
        await client.run_agent("s1", "make a video", on_event)
    await client.aclose()
    assert (await ledger.quota("a")).used == 0.0
    async with ledger.pool.connection() as conn:
        cur = await conn.execute("SELECT count(*) FROM team_spend WHERE user_id = 'a'")
        assert await cur.fetchone() == (0,)


async def test_one_members_generations_sent_all_at_once_are_sent_only_as_far_as_the_quota_goes(
    team: str, database_url: str, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim.configure(generation_cost=100, edit_cost=50, agent_seconds=1.0)  # the others ask while it runs
    code = await member(database_url, "alice", monkeypatch)
    answers: list[CallToolResult] = []
    storage = MemoryStorage()  # one app signed in once, five sessions (windows) on its token
    browser = member_browser(code)
    with anyio.fail_after(150):
        async with contextlib.AsyncExitStack() as stack:
            clients = [
                await stack.enter_async_context(signed_in(team, "", storage, browser=browser))
                for _ in range(5)
            ]

            async def generate(client: Client, i: int) -> None:
                new = {"prompt": f"make a video of beach {i}", "new_project": True, "accept_cost": True}
                answers.append(await call(client, "generate", new))

            async with anyio.create_task_group() as tg:
                for i, client in enumerate(clients):
                    tg.start_soon(generate, client, i)
            credits = await call(clients[0], "credits")
    assert len(sim.requests("run_sse")) == 1  # a quota of 140 pays one generation of 100
    done = [a for a in answers if a.structured_content and a.structured_content.get("status") == "done"]
    assert len(done) == 1
    for refused in (a for a in answers if a not in done):
        said = text(refused)
        assert "Nothing was sent" in said or "team quota" in said, said
    assert credits.structured_content and credits.structured_content["available"] == 40


async def test_a_request_nemovideo_refuses_before_taking_it_gives_its_reservation_back(
    team: str, database_url: str, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = await member(database_url, "alice", monkeypatch)
    sim.faults.add("run_sse", "2001")  # the team account is out of credits: refused, not taken
    with anyio.fail_after(60):
        async with signed_in(team, "", browser=member_browser(code)) as client:
            refused = await call(
                client, "generate", {"prompt": "make a video of a beach", "new_project": True}
            )
            credits = await call(client, "credits")
    assert refused.is_error or (refused.structured_content or {}).get("status") != "done", text(refused)
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM team_spend").fetchone() == (0,)  # nothing held or charged
    assert credits.structured_content and credits.structured_content["available"] == 140


async def test_two_members_at_once_on_the_team_token_are_each_charged_their_own_request(
    held_team: str, database_url: str, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both turns are held at the agent until both are there, then run side by side: the team
    # balance falls by both over each one's window.
    sim.configure(generation_cost=100, edit_cost=50)
    codes = {name: await member(database_url, name, monkeypatch) for name in ("alice", "bob")}
    answers: dict[str, tuple[CallToolResult, CallToolResult]] = {}
    gate = sim.hold("run_sse", during_call=True)

    async def sitting(name: str) -> None:
        async with signed_in(held_team, "", browser=member_browser(codes[name])) as client:
            made = await call(
                client, "generate", {"prompt": f"make a video of {name}'s dog", "new_project": True}
            )
            answers[name] = (made, await call(client, "credits"))

    with anyio.fail_after(120), gate:
        async with anyio.create_task_group() as tg:
            for name in codes:
                tg.start_soon(sitting, name)
            while gate.entries < len(codes):
                await anyio.sleep(0.02)  # polling the simulator's count of turns at the gate
            gate.release()
    with psycopg.connect(database_url) as conn:
        charges = conn.execute("SELECT charged, shared_with FROM team_spend").fetchall()
    assert sorted(charges) == [(100.0, 1), (100.0, 1)]  # one group: the 200 it cost, split by reservations
    turns = sim.state.agent_turns
    assert len(turns) == 2 and max(t[0] for t in turns) < min(t[1] for t in turns)  # they overlapped
    for name, (made, credits) in answers.items():
        assert made.structured_content and made.structured_content["status"] == "done", text(made)
        # 200 left the team balance while each ran; each is charged one request, not both.
        assert credits.structured_content and credits.structured_content["available"] == 40, name
        assert "100 used, 40 left" in text(credits) and "still running" not in text(credits)
        other = "bob" if name == "alice" else "alice"
        assert other not in text(made) + text(credits)


async def test_members_at_once_whose_requests_cost_more_than_a_reservation_are_billed_all_of_it(
    database_url: str, settings: Settings, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # attack12 B3: each generation costs 400 (four clips), each quota is 250. Overlapping, each
    # was billed one reservation (100) while the team paid 800: now the group pays the 800.
    token, _ = sim.state.register_user(credits=TEAM_BALANCE)
    team_user = sim.state.tokens[token][0]
    sim.configure(generation_cost=400, edit_cost=50)
    roomy = dataclasses.replace(settings, tool_budget=60.0)
    codes = {name: await member(database_url, name, monkeypatch) for name in ("mallory", "alice")}
    answers: dict[str, CallToolResult] = {}
    gate = sim.hold("run_sse", during_call=True)
    with hosted_with(database_url, roomy, team_token=token, team_quota=250, team_quota_days=30) as base:

        async def sitting(name: str) -> None:
            async with signed_in(base, "", browser=member_browser(codes[name])) as client:
                await call(
                    client, "generate", {"prompt": f"make a video of {name}'s beach", "new_project": True}
                )
                answers[name] = await call(client, "credits")

        with anyio.fail_after(120), gate:
            async with anyio.create_task_group() as tg:
                for name in codes:
                    tg.start_soon(sitting, name)
                while gate.entries < len(codes):
                    await anyio.sleep(0.02)  # polling the simulator's count of turns at the gate
                gate.release()
    with psycopg.connect(database_url) as conn:
        charges = conn.execute("SELECT charged, shared_with FROM team_spend").fetchall()
    assert TEAM_BALANCE - sim.state.users[team_user].credits == 800
    assert sorted(charges) == [(400.0, 1), (400.0, 1)]  # the fall, split by their reservations
    for name, credits in answers.items():
        assert credits.structured_content and credits.structured_content["available"] == 0, name
        assert "400 used, 0 left" in text(credits), text(credits)


async def test_a_generation_the_quota_cant_pay_is_refused_even_when_confirmed_but_an_edit_goes(
    database_url: str, settings: Settings, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim.configure(generation_cost=100, edit_cost=50)
    token, _ = sim.state.register_user(credits=TEAM_BALANCE)
    with hosted_with(database_url, settings, team_token=token, team_quota=150) as base:
        code = await member(database_url, "alice", monkeypatch)
        with anyio.fail_after(120):
            async with signed_in(base, "", browser=member_browser(code)) as client:
                await call(client, "generate", {"prompt": "make a video of a beach", "new_project": True})
                new = {"prompt": "生成一个森林的视频", "new_project": True, "accept_cost": True}
                refused = await call(client, "generate", new)
                edit = await call(client, "generate", {"prompt": "make the title red", "accept_cost": True})
    assert refused.structured_content and refused.structured_content["status"] == "cannot_run"
    assert "团队额度" in text(refused)  # the way forward, in the user's language
    assert edit.structured_content and edit.structured_content["status"] == "done", text(edit)
    assert len(sim.requests("run_sse")) == 2  # the generation and the edit; never the refused one


@pytest.mark.parametrize(
    ("first", "new", "edit", "note"),
    [
        (
            "make a video of a beach",
            "make a video of a forest",
            "make the title red",
            "Your quota has 60 credits left. This request is counted as an edit (about 50), but if "
            "NemoVideo makes a new video of it, it costs about 100: that would take your quota over its "
            "limit by up to 40.",
        ),
        (
            "做一个海滩的视频",
            "再做一个森林的视频",
            "把标题改成红色",
            "你的额度还剩 60 积分。这个请求按编辑计算（约 50），但如果 NemoVideo 把它做成新视频，约需 100："
            "额度最多会超出 40。",
        ),
    ],
    ids=["en", "zh"],
)
async def test_a_new_video_asked_in_a_project_with_a_timeline_is_reserved_as_a_generation(
    database_url: str,
    settings: Settings,
    sim: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    first: str,
    new: str,
    edit: str,
    note: str,
) -> None:
    """RT5-2: 60 of a 160 quota left, in a project that has a video. "Make a video of a forest"
    may be charged as a generation (100): refused, not reserved at an edit's 50 and overrun. An
    edit goes, and its answer says plainly what a generation's price would do to the quota."""
    sim.configure(generation_cost=100, edit_cost=50)
    token, user_id = sim.state.register_user(credits=TEAM_BALANCE)
    with hosted_with(database_url, settings, team_token=token, team_quota=160) as base:
        code = await member(database_url, "alice", monkeypatch)
        with anyio.fail_after(120):
            async with signed_in(base, "", browser=member_browser(code)) as client:
                await call(client, "generate", {"prompt": first, "new_project": True, "accept_cost": True})
                refused = await call(client, "generate", {"prompt": new, "accept_cost": True})
                edited = await call(client, "generate", {"prompt": edit, "accept_cost": True})
    assert refused.structured_content and refused.structured_content["status"] == "cannot_run", text(refused)
    assert edited.structured_content and edited.structured_content["status"] == "done", text(edited)
    assert note in text(edited)
    assert len(sim.requests("run_sse")) == 2, "the new video was never sent"
    assert TEAM_BALANCE - sim.state.users[user_id].credits <= 160, "the quota holds"


@pytest.mark.parametrize("again", ["a beach at sunset, please", "try again"], ids=["same-words", "try-again"])
async def test_a_repeat_of_a_generation_is_gated_at_what_it_cost_even_when_confirmed(
    database_url: str, settings: Settings, sim: Simulator, monkeypatch: pytest.MonkeyPatch, again: str
) -> None:
    """Attack 6 (RT5 team half): words that made a generation (100) in words we can't read as
    "a video", said again or retried with 60 of a 160 quota left, are priced at what they cost,
    not at an edit's 50 because the project now has a timeline: refused, never sent, quota held."""
    sim.configure(generation_cost=100, edit_cost=50)
    token, user_id = sim.state.register_user(credits=TEAM_BALANCE)
    first = "a beach at sunset, please"
    with hosted_with(database_url, settings, team_token=token, team_quota=160) as base:
        code = await member(database_url, "alice", monkeypatch)
        with anyio.fail_after(120):
            async with signed_in(base, "", browser=member_browser(code)) as client:
                args = {"prompt": first, "new_project": True, "accept_cost": True}
                made = await call(client, "generate", args)
                refused = await call(client, "generate", {"prompt": again, "accept_cost": True})
    assert made.structured_content and made.structured_content["status"] == "done", text(made)
    assert TEAM_BALANCE - sim.state.users[user_id].credits == 100, "the first request was a generation"
    assert refused.structured_content and refused.structured_content["status"] == "cannot_run", text(refused)
    assert len(sim.requests("run_sse")) == 1, "the repeat was never sent"
    assert TEAM_BALANCE - sim.state.users[user_id].credits <= 160, "the quota holds"


async def test_a_member_gets_no_web_editor_link_and_is_told_the_editor_is_the_owners(
    team: str, database_url: str, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The web editor opens the project on the team token: what a member did there would pass
    # neither their quota nor its gate (only agent requests are gated), so it is never offered.
    sim.configure(generation_cost=100, edit_cost=50)
    code = await member(database_url, "alice", monkeypatch)
    with anyio.fail_after(120):
        async with signed_in(team, "", browser=member_browser(code)) as client:
            made = await call(client, "generate", {"prompt": "make a video of a beach", "new_project": True})
            status = await call(client, "status")
            exported = await call(client, "export")
            for _ in range(20):  # a slow machine: the render may still be on its way
                if exported.structured_content and exported.structured_content["status"] == "done":
                    break
                exported = await call(client, "export")
    answers = (made, status, exported)
    assert not any(a.is_error for a in answers), answers
    assert exported.structured_content and exported.structured_content["status"] == "done"
    for answer in answers:
        out = answer.structured_content or {}
        assert not out.get("project_url") and not (out.get("project") or {}).get("project_url")
        assert "claim" not in text(answer) and "clm_" not in repr(out)
    assert not sim.state.claims  # no claim token was even minted
    owners = "NemoVideo's web editor is for the team's owner"
    assert owners in text(status) and owners in text(exported)
    assert "would not count against your quota" in text(exported)


async def test_a_member_removed_mid_request_leaves_no_cost_to_a_colleague(
    held_team: str, database_url: str, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """attack16b F7: removing a member deleted their running request's spend row, so the
    colleague whose request overlapped it was billed both (200 for one 100-credit request), and
    the removed member's call ended in an AssertionError."""
    sim.configure(generation_cost=100, edit_cost=50)
    codes = {name: await member(database_url, name, monkeypatch) for name in ("mallory", "bob")}
    answers: dict[str, CallToolResult] = {}
    gate = sim.hold("run_sse", during_call=True)

    async def sitting(name: str) -> None:
        async with signed_in(held_team, "", browser=member_browser(codes[name])) as client:
            answers[name] = await call(
                client, "generate", {"prompt": f"make a video of {name}'s dog", "new_project": True}
            )

    with anyio.fail_after(120), gate:
        async with anyio.create_task_group() as tg:
            tg.start_soon(sitting, "bob")
            while gate.entries < 1:
                await anyio.sleep(0.02)  # polling the simulator's count of turns at the gate
            tg.start_soon(sitting, "mallory")
            while gate.entries < 2:
                await anyio.sleep(0.02)
            assert await members.run("remove", "mallory") == "removed 1 member(s) named 'mallory'"
            gate.release()
    with psycopg.connect(database_url) as conn:
        charges = conn.execute("SELECT user_id IS NULL, charged, shared_with FROM team_spend").fetchall()
    assert sorted(charges) == [(False, 100.0, 1), (True, 100.0, 1)]  # one group, the removed one's kept
    assert answers["bob"].structured_content and answers["bob"].structured_content["status"] == "done"
    gone = answers["mallory"]
    assert gone.is_error and "the account it belonged to was removed while it ran" in text(gone)
