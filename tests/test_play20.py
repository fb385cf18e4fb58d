"""Play-test 20 (English, a fitness coach): words that point at the user's pictures hold a request
sent where there are none; a "new video: X." heading names the project X.

F1. "start with her before pic, save the after shot for the very end" in a new, empty project was
    sent at once and 100 credits went on an AI scene: the photo-words hold knew only "my photos".
F5. That project was named "Very end" (from "for the very end"), not "Jess 10 week transformation".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.naming import name_from
from ai_video_music.simulator import Simulator

from .conftest import ask, balance, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]

JESS = (
    "new video: Jess 10 week transformation. start with her before pic, save the after shot for the "
    "very end, something motivational for music, maybe 12 secs"
)


@pytest.mark.parametrize(
    ("prompt", "name", "where"),
    [
        (JESS, "Jess 10 week transformation", "none of your photos"),
        ("新视频：小王的减肥历程。先放她的前后对比图，最后放现在那张", "小王的减肥历程", "没有你的任何照片"),
    ],
)
async def test_a_new_video_about_pictures_it_lacks_is_held_and_named_from_its_heading(
    rich: Client, sim: Simulator, image: Path, prompt: str, name: str, where: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)], "new_project": True})
    await ask(rich, "generate", {"prompt": "make a 6 second video"})
    spent, turns = balance(sim), len(requests_to(sim, "run_sse"))
    said = await ask(rich, "generate", {"prompt": prompt, "new_project": True})
    assert said["status"] == "needs_confirmation", said
    assert where in said["reply"], said["reply"]
    assert balance(sim) == spent and len(requests_to(sim, "run_sse")) == turns
    went = await ask(rich, "generate", {"prompt": prompt, "new_project": True, "accept_cost": True})
    assert went["status"] in ("done", "working"), went
    assert went["project"]["name"] == name, went["project"]
    assert (await ask(rich, "status", {"project": name}))["project"]["name"] == name


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        (JESS, "Jess 10 week transformation"),
        ("New project: spring sale promo, 10 seconds, square", "spring sale promo"),
        ("new video - Harbour Days. open with the boats", "Harbour Days"),
        ("Another video: Mia's first marathon! use the finish-line snap last", "Mia's first marathon"),
        ("新视频：小王的减肥历程。先放她的前后对比图，最后放现在那张", "小王的减肥历程"),
        ("新项目：春季促销，竖屏", "春季促销"),
        ("另一个视频：周末露营。把日出那张放最后", "周末露营"),
    ],
)
def test_a_new_video_heading_names_the_project(prompt: str, name: str) -> None:
    assert name_from(prompt) == name


@pytest.mark.parametrize(
    "prompt",
    [
        "save the beach one for the very end",
        "make a 10 second video, the logo for the end",
        "a video, sunrise one at the start",
        "把日出那张放最后",
        "做个视频，海边那张放在最后面",
        "新视频：帮我直接生成一段5秒的海浪空镜，不用我的照片",
    ],
)
def test_a_place_in_the_video_is_never_its_name(prompt: str) -> None:
    named = name_from(prompt).casefold()
    for place in ("end", "start", "最后", "very"):
        assert place not in named, named
