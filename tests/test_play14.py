"""What play-test 14 found, as tests: "don't export yet" while an export renders says that file
is still saved unless cancelled (not "nothing will be exported"); a first project's start doesn't
speak of earlier projects; a registered user is never told only to register."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, export_done

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("hold", "said", "step"),
    [
        ("Don't export yet.", "already rendering", "cancel"),
        ("先别导出", "正在渲染", "取消"),
    ],
    ids=["en", "zh"],
)
async def test_a_hold_while_an_export_renders_says_the_file_is_still_coming(
    settings: Settings, sim: Simulator, image: Path, hold: str, said: str, step: str
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token, tool_budget=5.0))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "Make a 10-second video."})
        with sim.hold("render"):
            rendering = await ask(client, "export")
            assert rendering["status"] == "rendering", rendering
            out = await ask(client, "generate", {"prompt": hold})
        assert out["action"] == "held", out
        assert said in out["reply"], out["reply"]
        assert any(step in s for s in out["next_steps"]), out["next_steps"]
        # With nothing rendering (the file saved), the plain hold.
        await export_done(client)
        again = await ask(client, "generate", {"prompt": hold})
        assert said not in again["reply"], again["reply"]


async def test_the_first_project_is_not_said_to_keep_earlier_ones(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        first = await ask(client, "upload", {"files": [str(image)], "new_project": True})
        assert "Started a new, empty project." in first["reply"], first["reply"]
        assert "Earlier projects" not in first["reply"], first["reply"]
        second = await ask(client, "upload", {"files": [str(image)], "new_project": True})
        assert "Earlier projects and their videos are kept" in second["reply"], second["reply"]


async def test_the_way_to_more_credits_also_tells_a_registered_user_how_to_top_up(
    settings: Settings, sim: Simulator
) -> None:
    """The API never says the anonymous account was registered since: the advice covers both."""
    async with Client(create_server(settings)) as client:  # an anonymous token
        await ask(client, "credits")
        sim.state.set_credits(10)
        out = await ask(client, "credits")
        assert "register?bind=" in out["reply"], out["reply"]
        assert "once registered, top up at https://nemovideo.com" in out["reply"], out["reply"]


async def test_an_earlier_request_that_changed_nothing_is_still_said_at_the_export_after_a_later_change(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """Play-test 14 (both languages): "put the beach photo first" changed nothing, "make it 10
    seconds" landed, and the export then said nothing of the first. Said, hedged: a later request
    may have done it. Told once: the next file after that one doesn't bring it up again."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "Make a 20-second video."})
        sim.configure(next_lie=True)
        lied = await ask(client, "generate", {"prompt": "Add a sparkle effect to the first photo."})
        assert lied["timeline_changed"] is False, lied
        landed = await ask(client, "generate", {"prompt": "Make it 10 seconds."})
        assert landed["timeline_changed"] is True, landed
        out = await export_done(client)
        assert "Earlier, “Add a sparkle effect to the first photo.” changed nothing" in str(out["reply"])
        await ask(client, "generate", {"prompt": "Make it 8 seconds."})
        again = await export_done(client)
        assert "sparkle" not in str(again["reply"]), again["reply"]


async def test_an_earlier_request_done_by_a_later_retry_is_not_said_missing_from_the_file(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """Play-test 15: the export said an earlier title change "changed nothing … this file does
    not have it either" when the same words, sent again, had landed it."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "Make a 20-second video."})
        sim.configure(next_lie=True)
        words = "Make it 12 seconds."
        assert (await ask(client, "generate", {"prompt": words}))["timeline_changed"] is False
        again = await ask(client, "generate", {"prompt": words, "accept_cost": True})
        assert again["timeline_changed"] is True, again
        out = await export_done(client)
        assert "Earlier" not in str(out["reply"]), out["reply"]


async def test_after_the_balance_rises_as_registering_raises_it_the_way_to_more_is_a_top_up(
    settings: Settings, sim: Simulator
) -> None:
    """Play-test 15: after registering, every cost note still led with "Not registered yet?"."""
    async with Client(create_server(settings)) as client:  # an anonymous token
        await ask(client, "credits")
        sim.state.set_credits(10)
        assert "register?bind=" in (await ask(client, "credits"))["reply"]
        sim.state.set_credits(1000)  # the user registered: the account gains its credits
        await ask(client, "credits")
        sim.state.set_credits(20)
        low = await ask(client, "credits")
        assert "register?bind=" not in low["reply"] and "Top up at https://nemovideo.com" in low["reply"], low


async def test_credits_names_what_the_latest_request_cost(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """Play-test 16: "what did that last change cost me?" answered with the balance and the
    session's sum only; the latest request's own cost was left to be recalled."""
    sim.configure(generation_cost=100, edit_cost=50)
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "Make a 10-second video."})
        await ask(client, "generate", {"prompt": "Add the title 'Spring' at the start."})
        out = await ask(client, "generate", {"prompt": "how many credits did that last change cost me?"})
        assert out["action"] == "credits", out
        assert "The latest request (“Add the title 'Spring' at the start.”) cost 50." in out["reply"], out[
            "reply"
        ]
