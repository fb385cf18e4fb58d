"""What two play-tests (a model playing the assistant with only the tool list and SKILL.md) got
told wrongly, asserted against the simulator's state and the store: held-back exports, cost
warnings after spending, project names from the wrong words, cancel after a refused request,
changes without their place, and what a sitting cost."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import call, fast_config, requests_to, text

pytestmark = pytest.mark.anyio


@pytest.fixture
def sim_config() -> Any:
    return fast_config(generation_cost=100, edit_cost=50)


async def ask(client: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    with anyio.fail_after(20):
        result = await call(client, tool, args or {})
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    return dict(result.structured_content)


@pytest.fixture
async def rich(settings: Settings, sim: Simulator) -> AsyncIterator[Client]:
    token, _ = sim.state.register_user(credits=2000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        yield client


# --- 1. a held-back export is never suggested -----------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "Add a caption at the end that says 'See you'. Don't export yet.",
        "在结尾加上字幕「下次见」，先别导出",
        "make the music quieter but do not export it yet",
        "Lower the music, I'll export it myself later",
        "把音乐调小一点，我自己待会导出",
        "add a fade out and hold off on exporting",
        "先别导出，把标题改成蓝色",
    ],
)
def test_an_export_held_back_beside_an_edit_is_seen_by_the_router(prompt: str) -> None:
    decision = route(prompt)
    assert decision.action is Action.AGENT
    assert Action.EXPORT in decision.held_back


@pytest.mark.parametrize(
    "prompt",
    [
        "add music, then export it",
        "export it without music",
        "加完字幕再导出",
        "before you export, add a fade",
        "make the title bigger",
        "lower the music to 20%",
    ],
)
def test_an_export_asked_for_or_ordered_after_an_edit_is_not_held_back(prompt: str) -> None:
    assert Action.EXPORT not in route(prompt).held_back


@pytest.mark.parametrize(
    ("prompt", "held"),
    [
        ("make a 6 second video. Don't export yet.", "not to export yet"),
        ("用这些照片做一个6秒的视频，先别导出", "先不导出"),
    ],
)
async def test_after_dont_export_yet_no_answer_says_call_export(
    rich: Client, image: Path, prompt: str, held: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    out = await ask(rich, "generate", {"prompt": prompt})
    steps = " ".join(out["next_steps"])
    assert out["status"] == "done" and out["timeline_changed"] is True
    assert held in steps and "export (free)" not in steps and "export（免费）" not in steps
    status = await ask(rich, "status")
    assert held in " ".join(status["next_steps"]), "status after it doesn't suggest exporting either"
    later = await ask(rich, "generate", {"prompt": "lower the music to 20%"})
    # A later change: export is offered, as the user's choice, never as the next thing to do.
    assert any(s.startswith("When the user wants the file") or s.startswith("用户需要成品文件时")
               for s in later["next_steps"])  # fmt: skip


# --- 2. a warning only before spending; a note after -----------------------------------------


async def test_a_request_that_uses_the_last_credits_carries_a_note_not_a_warning(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=90)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        sent = await ask(client, "generate", {"prompt": "make a 6 second video"})
        assert sent["status"] == "done" and sent["cost_warning"] is None
        assert "too few remain" in sent["cost_note"]
        refused = await ask(client, "generate", {"prompt": "add a title"})
        assert refused["status"] == "cannot_run" and refused["cost_note"] is None
        assert "are left" in refused["cost_warning"]
    assert len(requests_to(sim, "run_sse")) == 1
