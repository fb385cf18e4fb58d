"""Tool calls per user per minute, counted in PostgreSQL: the limit holds across instances, and a
call over it is answered with when to try again, in the user's language, without running."""

from __future__ import annotations

import dataclasses

import anyio
import pytest
from mcp.shared.exceptions import MCPError

from ai_video_music.config import Settings
from ai_video_music.hosted.app import create_app
from ai_video_music.simulator import Simulator

from ..conftest import call, text
from .accounts_helpers import KEY
from .oauth_client import signed_in
from .serving import listen, loopback_config, serving

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
NOON = 1_800_000_000.0 + 15  # 15 s into a minute: 45 s until the next one


async def test_the_limit_holds_across_instances_and_says_when_to_retry(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    token, _ = sim.state.register_user()
    first, second = listen(), listen()
    one = dataclasses.replace(loopback_config(database_url, first, KEY), calls_per_minute=2)
    two = dataclasses.replace(loopback_config(database_url, second, KEY), calls_per_minute=2)
    with (
        serving(create_app(one, settings, wall_clock=lambda: NOON), first) as a,
        serving(create_app(two, settings, wall_clock=lambda: NOON), second) as b,
    ):
        with anyio.fail_after(90):
            async with signed_in(a, token) as client:
                allowed = [await call(client, "credits") for _ in range(2)]
            asked = len(sim.requests("credits"))
            async with signed_in(b, token) as client:
                over = await call(client, "credits")
                over_zh = await call(client, "generate", {"prompt": "把标题改成红色"})
    assert not any(r.is_error for r in allowed)
    assert over.is_error and "Too many requests" in text(over) and "try again in 45 seconds" in text(over)
    assert over_zh.is_error and "请在 45 秒后重试" in text(over_zh)
    assert len(sim.requests("credits")) == asked + 1  # the sign-in's token check; the calls never ran
    assert sim.requests("run_sse") == []


@pytest.mark.parametrize("mode", ["auto", "legacy"])  # the stateless era, and 2025-11-25 sessions
async def test_another_user_has_their_own_count(
    database_url: str, settings: Settings, sim: Simulator, mode: str
) -> None:
    alice, _ = sim.state.register_user()
    bob, _ = sim.state.register_user()
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), calls_per_minute=1)
    with serving(create_app(config, settings, wall_clock=lambda: NOON), sock) as base:
        with anyio.fail_after(90):
            async with signed_in(base, alice, mode=mode) as client:
                mine = [await call(client, "credits") for _ in range(2)]
            async with signed_in(base, bob, mode=mode) as client:
                theirs = await call(client, "credits")
    assert [r.is_error for r in mine] == [False, True]
    assert not theirs.is_error


async def test_resource_reads_count_too(database_url: str, settings: Settings, sim: Simulator) -> None:
    """attack16b F2: each ``nemo://timeline`` read is a NemoVideo request, and reads were never
    counted: past the limit, 40 reads made 40 backend requests."""
    token, _ = sim.state.register_user()
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), calls_per_minute=2)
    with serving(create_app(config, settings, wall_clock=lambda: NOON), sock) as base:
        with anyio.fail_after(90):
            async with signed_in(base, token) as client:
                made = await call(client, "generate", {"prompt": "a 10-second forest video with calm music"})
                read = await client.read_resource("nemo://timeline")
                asked = len(sim.requests("state"))
                with pytest.raises(MCPError) as over:
                    await client.read_resource("nemo://timeline")
                refused_call = await call(client, "credits")
    assert not made.is_error and read.contents
    assert "Too many requests" in over.value.error.message and "45 seconds" in over.value.error.message
    assert len(sim.requests("state")) == asked  # the refused read never reached NemoVideo
    assert refused_call.is_error and "Too many requests" in text(refused_call)
