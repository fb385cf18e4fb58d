"""What play-test 11 found, as tests: a 把 instruction that names a place ("把周末去哪儿改成 10 秒")
is an edit, not a status question; lengths, shapes and volume limits said in everyday words are
checked against the timeline (never "not checked" beside a verified change); a new project's
first video is never told as a change of another video's frame."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.asked import Shape, read, unmet
from ai_video_music.config import Settings
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.timeline import Segment, Timeline, Track, diff
from ai_video_music.tools import create_server
from ai_video_music.unchecked import not_checked

from .conftest import ask, requests_to

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("把周末去哪儿改成 10 秒。", Action.AGENT),
        ("把“周末去哪儿”的音乐换掉", Action.AGENT),
        ("视频去哪儿了", Action.STATUS),
        ("把视频发到哪里了？", Action.STATUS),
        ("把音乐换成哪种比较好？", Action.ASK),
    ],
)
def test_a_disposal_instruction_is_an_edit_whatever_a_name_in_it_asks(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


async def test_an_edit_naming_a_place_is_refused_for_credits_never_answered_as_status(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "用这张照片做一个9秒的横屏视频，开头标题写“周末去哪儿”。"})
        sim.state.set_credits(0)
        out = await ask(client, "generate", {"prompt": "把周末去哪儿改成 10 秒。"})
    assert out["action"] == "agent" and out["status"] == "cannot_run", out
    assert len(requests_to(sim, "run_sse")) == 1, "not sent"


def test_everyday_lengths_shapes_and_volume_limits_are_read() -> None:
    assert read("把这个视频改成 10 秒。").seconds == 10
    assert read("把周末去哪儿改成 10 秒。").seconds == 10
    assert read("Make Glow & Co 10 seconds.").seconds == 10
    assert read("make the title 3 seconds").seconds is None, "a part's length is not the video's"
    assert read("再来一个竖屏的，叫“山野日记”，12 秒。").shape is Shape.VERTICAL
    limit = read("音乐小声一点，25% 以下，结尾加个淡出。")
    assert limit.music_under == 25 and limit.music_at_most


def _timeline(volume: float, seconds: float = 8.0) -> Timeline:
    music = Track("audio", "", [Segment("Calm Piano (free music)", 0, seconds, volume)], 1)
    video = Track("video", "", [Segment("a.jpg", 0, seconds, None)], 1)
    return Timeline(tracks=(video, music), tracks_total=2, duration_s=seconds)


def test_a_verified_volume_is_never_also_not_checked_and_a_fade_is() -> None:
    prompt = "Make the music quieter, around 25%, and add a fade at the end."
    assert not_checked(prompt, _timeline(25)) == ["add a fade at the end"]
    # "around 25%" after the music's clause is the music's level (play22en F5): judged, never open
    assert read(prompt).music_at == 25.0
    assert not_checked(prompt, _timeline(35)) == ["add a fade at the end"]
    assert unmet(read(prompt), _timeline(35)) == [{"kind": "volume_at", "asked": 25.0, "found": 35.0}]
    assert not_checked("音乐小声一点，25% 以下，结尾加个淡出。", _timeline(25)) == ["结尾加个淡出"]


def test_a_first_video_is_not_told_as_a_change_of_frame_or_length() -> None:
    empty = Timeline(width=1920, height=1080, aspect_ratio="16:9")
    made = dataclasses.replace(_timeline(35, 12.0), width=1080, height=1920, aspect_ratio="9:16")
    for lang in ("en", "zh"):
        lines = diff(empty, made, lang)
        assert lines and not any("1920x1080" in line for line in lines), lines
