"""A request that speaks of the user's photos, sent where there are none, would be made from
nothing at a generation's price (play-test 13: generate(new_project=true) with "the first photo
only" ran a ~100-credit generation in an empty project). Said before anything is sent or made;
accept_cost=true sends it as it is."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.asked import speaks_of_own_media
from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "prompt",
    [
        "Use the first photo only, 10 seconds.",
        "turn these 5 pictures into a 30-second video",
        "make it from the clips I uploaded",
        "只用第一张照片，做成 10 秒",
        "用我上传的素材做个视频",
        "make a short clip from my photos",
        "using my pier photos, 8 seconds",
    ],
)
def test_words_about_the_users_own_media_are_seen(prompt: str) -> None:
    assert speaks_of_own_media(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "make a 15-second video about fresh coffee",
        "no photos, just animated text about our opening hours",
        "without my clips please, AI images of a beach",
        'Put the caption "photo day" at the start',
        "不用照片，做个开业倒计时的片头",
        # Play-test 17: a request that says not to use the user's photos is not about them, and
        # "an intro clip" is the video to make.
        "Make a 5-second intro clip of waves crashing, generated, no photos. For my blog.",
        "make it without my photos",
        "no need for my photos, just waves",
        "without any of my pictures, generate a sunset",
        "photos not needed, generate a beach",
        "新视频：帮我直接生成一段5秒的海浪空镜，不用我的照片",
        "我的照片不用了，生成一段海浪",
        "照片就不要了，直接生成烟花",
    ],
)
def test_other_words_are_not_taken_for_media(prompt: str) -> None:
    assert not speaks_of_own_media(prompt)


CORPUS = Path(__file__).with_name("own_media_corpus.tsv")


def _corpus() -> list[tuple[str, bool]]:
    rows = (line.rstrip("\n").split("\t") for line in CORPUS.read_text(encoding="utf-8").splitlines())
    return [(row[0], row[1] == "1") for row in rows if row[0] and not row[0].startswith("#")]


@pytest.mark.parametrize(("prompt", "points"), _corpus())
def test_any_words_pointing_at_the_users_pictures_are_seen_and_no_others(prompt: str, points: bool) -> None:
    """Play-test 20: "her before pic", "the after shot", 那张, 我拍的 are the user's pictures as much
    as "my photos"; "a drone shot" or "an AI-generated beach scene" are not."""
    assert speaks_of_own_media(prompt) is points


async def _projects(client: Client) -> list[str]:
    return [p["id"] for p in (await ask(client, "status"))["projects"]]


async def test_a_new_project_for_photos_it_would_not_hold_is_said_first(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token)
    async with Client(create_server(conf)) as client:
        up = await ask(client, "upload", {"files": [str(image)], "new_project": True})
        holder = up["project"]["name"]
        before = await _projects(client)
        sessions = len(sim.state.sessions)
        args = {"prompt": "Use the first photo only, 10 seconds.", "new_project": True}
        said = await ask(client, "generate", args)
        assert said["status"] == "needs_confirmation", said
        assert "none of your photos" in said["reply"] and f"“{holder}”" in said["reply"], said["reply"]
        assert any("accept_cost=true" in s for s in said["next_steps"])
        # Nothing sent, nothing made: no project here or at the service, no credits spent.
        assert await _projects(client) == before
        assert len(sim.state.sessions) == sessions
        assert (await ask(client, "credits"))["available"] == 1000

        went = await ask(client, "generate", {**args, "accept_cost": True})
        assert went["status"] in ("done", "working"), went
        assert len(await _projects(client)) == len(before) + 1


async def test_photos_asked_for_before_any_upload_are_said_first(settings: Settings, sim: Simulator) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token)
    async with Client(create_server(conf)) as client:
        said = await ask(client, "generate", {"prompt": "用我上传的照片做一个 15 秒的视频"})
        assert said["status"] == "needs_confirmation", said
        assert said["language"] == "zh" and "没有你的任何照片" in said["reply"], said["reply"]
        assert await _projects(client) == []
        # Words that don't speak of photos go ahead as before.
        went = await ask(client, "generate", {"prompt": "make a 15-second video about fresh coffee"})
        assert went["status"] in ("done", "working"), went


async def test_an_empty_project_named_by_the_user_is_named_in_the_answer(
    settings: Settings, sim: Simulator
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token)
    async with Client(create_server(conf)) as client:
        await ask(client, "generate", {"prompt": "new video"})
        said = await ask(client, "generate", {"prompt": "Make a video of the bakery from my pictures"})
        assert said["status"] == "needs_confirmation", said
        name = said["project"]["name"]
        assert f"“{name}” holds none of your photos" in said["reply"], said["reply"]
        assert sim.state.agent_turns == []


async def test_credits_added_between_two_reads_are_said(settings: Settings, sim: Simulator) -> None:
    """Play-test 13: the balance rose between two answers (the user topped up) and nothing said
    why; a model then explains the difference wrongly (as a refund of its requests, say)."""
    token, _ = sim.state.register_user(credits=30)
    conf = dataclasses.replace(settings, token=token)
    async with Client(create_server(conf)) as client:
        first = await ask(client, "credits")
        assert "more than when" not in first["reply"]
        again = await ask(client, "credits")
        assert "more than when" not in again["reply"], "the same balance is no top-up"
        sim.state.set_credits(1030)
        topped = await ask(client, "credits")
        assert topped["available"] == 1030
        assert "That is 1000 more than when the balance was last read" in topped["reply"], topped["reply"]


async def test_a_request_held_for_its_missing_photos_is_never_said_to_lack_credits(
    settings: Settings, sim: Simulator
) -> None:
    """Play-test 15: a request held for another reason was later named "not sent (too few
    credits)" with 800 credits left. The reason said is the one on its record."""
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token)
    async with Client(create_server(conf)) as client:
        await ask(client, "generate", {"prompt": "new video"})
        held = await ask(client, "generate", {"prompt": "Make a video of the bakery from my pictures"})
        assert held["status"] == "needs_confirmation", held
        out = await ask(client, "generate", {"prompt": "hmm, what would that look like?"})
        assert "too few credits" not in out["reply"], out["reply"]
        assert "was not sent (the project held none of the photos it spoke of)" in out["reply"], out["reply"]
