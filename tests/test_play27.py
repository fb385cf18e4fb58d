"""Play-test 27 (EN and 中文), the S1s fixed at once: requests that spent credits no one asked to
spend, and a description of a video that named the wrong one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.asked import files_named
from ai_video_music.config import Settings
from ai_video_music.mentions import described
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.store import Project
from ai_video_music.tools import create_server

from .conftest import ask, requests_to


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        # EN F4: a polite form beside "is that something you can do?" asks about the tool
        ("can you reorder the photos in a video? is that something you can do?", Action.ASK),
        ("can u make it 10 sec? is that doable?", Action.ASK),
        ("能把照片换个顺序吗？这个能做到吗？", Action.ASK),
        ("add a fade. is that possible?", Action.AGENT),  # an instruction said plainly is the request
        ("can you reorder the photos?", Action.AGENT),
        # 中文 F5: 重来一次 is "try again", never a paid question of its own
        ("重来一次", Action.REPEAT),
        ("重来", Action.REPEAT),
        # 中文 F6: 就这样 alone leaves the video as it is; 就这样做吧 agrees
        ("就这样吧", Action.ASK),
        ("就这样做吧", Action.AGENT),
    ],
)
def test_what_the_words_ask(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


@pytest.mark.anyio
@pytest.mark.priced
async def test_a_withdrawal_with_a_hold_sends_nothing(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """中文 F6: "音乐不换了 就这样 先别导出" was sent as consent and charged 50 credits."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "做一个6秒的视频"})
        assert made["status"] == "done", made
        turns = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": "音乐不换了 就这样 先别导出"})
        assert out["status"] != "needs_confirmation", out
        assert len(requests_to(sim, "run_sse")) == turns, "nothing was sent to the paid agent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"


def _project(name: str) -> Project:
    return Project(name, "session", None, name, "en", None, None, 0.0, 0.0, 1)


LAKE, BAKE, ROBOTS = _project("Lake Trip 2026"), _project("Bake Sale"), _project("Robotics club")


def test_a_video_is_what_it_shows_more_than_what_was_said_in_another() -> None:
    """EN F10: "on the lake one bump the music back up" was held as "Bake Sale" or "Lake Trip", because
    in the bake sale video the user had said "the same upbeat pop song as the lake trip video"."""
    files = {LAKE.id: ["bus_morning.jpg", "lake_shore.jpg"], BAKE.id: ["cupcakes.jpg"], ROBOTS.id: []}
    words = {BAKE.id: ["lofi chill is not cheerful. use the same upbeat pop song as the lake trip video"]}
    found = described("on the lake one bump the music back up to 30%", ROBOTS, [LAKE, BAKE], files, words)
    assert found is not None and found.named == (LAKE,), found


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("导处来", Action.EXPORT),  # 中文 F8: 导出 slipped on a pinyin keyboard, priced as a question
        ("导粗来吧", Action.EXPORT),
        ("去指导处报名的视频", Action.ASK),  # an office, no export
    ],
)
def test_export_slipped_on_a_pinyin_keyboard(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


def test_a_file_named_after_ba_is_named_without_it() -> None:
    """中文 F15: "这个项目没有上传过名为「把促销价目表.jpg」的文件": 把 is the verb's."""
    assert files_named("把促销价目表.jpg放最后") == ["促销价目表.jpg"]
    assert files_named("用户头像.jpg放开头") == ["用户头像.jpg"]  # a name starting like a verb stays
