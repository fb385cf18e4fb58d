"""Findings of the fifth play-test (a model playing the assistant, EN and 中文), each through a
real MCP client session against the simulator: a project named in the user's words even when its
request was refused, and sentences that were inaccurate (counts, directions, suggestions)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, call, fast_config, text

pytestmark = pytest.mark.anyio


@pytest.fixture
def sim_config() -> object:
    return fast_config(generation_cost=100, edit_cost=50)


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("Holiday teaser: just this photo, 5 seconds, square, no music", "Holiday teaser"),
        ("Start another one called 'Holiday teaser': just this photo, 5 seconds, square", "Holiday teaser"),
        ("再做一个新视频，叫「开业倒计时」，只用这张照片，方形，6 秒，不要音乐。", "开业倒计时"),
    ],
)
async def test_a_refused_request_that_names_the_video_names_its_new_project(
    settings: Settings, sim: Simulator, image: Path, prompt: str, name: str
) -> None:
    token, _ = sim.state.register_user(credits=0)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)], "new_project": True})
        refused = await ask(client, "generate", {"prompt": prompt})
        assert refused["status"] == "cannot_run" and refused["project"]["name"] == name
        shown = await ask(client, "status", {"project": name})
        assert shown["project"]["name"] == name
        sim.state.set_credits(1000)  # the user registered
        done = await ask(client, "generate", {"prompt": prompt, "project": name})
        assert done["status"] == "done" and done["project"]["name"] == name
        saved = await ask(client, "export", {"project": name})
        assert Path(saved["path"]).name.startswith(name.lower().replace(" ", "-") + "-")


async def test_a_heading_or_subject_that_is_not_a_name_leaves_the_default(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=0)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)], "new_project": True})
        for prompt in ("Music: lo-fi, 5 seconds", "Add the title: Summer", "make a video about our bakery"):
            refused = await ask(client, "generate", {"prompt": prompt})
            assert refused["status"] == "cannot_run" and refused["project"]["name"] == "Video 1", prompt
        missing = await call(client, "export", {"project": "Bakery"})
        assert missing.is_error and "Bakery" in text(missing)
