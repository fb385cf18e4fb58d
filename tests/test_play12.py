"""What play-test 12 found, as tests: a hold in everyday words ("Hang on with the export",
"等一下再导出") is a free hold, never an export or a paid question; "carry on with the logo" /
"logo 那个继续" beside a registration repeats the refused request (confirmed first); lengths and
shapes said as "加长到 12 秒", "竖屏 6 秒" and "a 14-second highlight" are checked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import anyio
import pytest
from mcp import Client

from ai_video_music.asked import Shape, read
from ai_video_music.client import NemoClient
from ai_video_music.config import Settings
from ai_video_music.projects import Language, Projects
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.store import Store
from ai_video_music.timeline import Segment, Timeline, Track
from ai_video_music.tools import create_server
from ai_video_music.unchecked import not_checked

from .conftest import ask

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    "prompt",
    [
        "Hang on with the export, my co-coach wants a look first.",
        "Wait with the export until my co-coach has seen it.",
        "hold the export",
        "等一下再导出，我先给学员看看。",
    ],
)
def test_a_hold_in_everyday_words_is_a_free_hold(prompt: str) -> None:
    decision = route(prompt)
    assert decision.only_held and Action.EXPORT in decision.held_back, decision


@pytest.mark.parametrize("prompt", ["wait, export it now", "hold on, export it", "export it"])
def test_an_export_after_a_pause_word_is_still_an_export(prompt: str) -> None:
    assert route(prompt).action is Action.EXPORT


@pytest.mark.parametrize("prompt", ["Signed up. Carry on with the logo.", "我注册了，logo 那个继续。"])
def test_carry_on_beside_a_registration_repeats_the_refused_request(prompt: str) -> None:
    assert route(prompt).action is Action.REPEAT


def test_lengths_and_shapes_in_everyday_words_are_read() -> None:
    assert read("音量调到 30% 以下，再加长到 12 秒。").seconds == 12
    assert read("把视频加长到 12 秒。").seconds == 12
    vertical = read("再做一个，叫“晨练打卡”，竖屏 6 秒，只要最后一张图，不要音乐。")
    assert vertical.seconds == 6 and vertical.shape is Shape.VERTICAL
    assert read("Make a 14-second landscape highlight from the photos").seconds == 14


async def test_a_working_answer_names_the_project_as_it_stays(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """Play-test 12: the project took its name from the title only when the request ended, so the
    "working" answer's project="Video 1" step then found no project. Named once NemoVideo has it;
    a name said before that (the call answered before NemoVideo took it) keeps finding it."""
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=5.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        with sim.hold("run_sse") as gate:
            working = await ask(
                client, "generate", {"prompt": "Make a 14-second highlight with the title 'Season Wrap'."}
            )
            assert working["status"] == "working", working
            shown = working["project"]["name"]
            assert shown in {"Season Wrap", "Video 1"}, working["project"]
            step = next(s for s in working["next_steps"] if "project=" in s)
            assert f'project="{shown}"' in step, step
            with anyio.fail_after(20):  # named as soon as NemoVideo has the request
                while (await ask(client, "status"))["project"]["name"] != "Season Wrap":
                    await anyio.sleep(0.02)
            for name in {shown, "Season Wrap"}:
                looked = await ask(client, "status", {"project": name})
                assert looked["project"]["name"] == "Season Wrap"
            gate.release()


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("Make a 14-second highlight with the title 'Season Wrap'.", "Season Wrap"),
        ("做一个15秒的视频，标题「周末领养日」", "周末领养日"),
    ],
)
async def test_a_default_name_said_before_the_request_named_the_project_still_finds_it(
    client: NemoClient, settings: Settings, prompt: str, name: str
) -> None:
    """A "working" answer given before NemoVideo took the request (a slow machine or backend)
    names the project by its default name ("Video 1"), then the request names it: the name the
    user was told keeps finding it (status(project="Video 1") said there was no such project)."""
    store = Store(settings.home)
    try:
        projects = Projects(settings, client, store, Language(settings, store))
        project = await projects.ensure()
        told = project.name
        assert projects.name_if_unnamed(project, prompt) == name
        assert projects.find(told).id == project.id
        assert projects.find(name).id == project.id
    finally:
        store.close()


@pytest.mark.parametrize(
    "prompt", ["Ugh, never mind that one.", "oh, forget that one", "周末领养日先不做了。"]
)
def test_play13_a_withdrawal_in_everyday_words_is_a_cancel(prompt: str) -> None:
    assert route(prompt).action is Action.CANCEL


def test_play13_a_stated_length_or_volume_limit_is_checked_met_or_not() -> None:
    """'时长剪到 8 秒' and '最多 20%' are read; whether the timeline has them or not, they are
    as_asked or not_as_asked, never also 'not checked'."""
    prompt = "音乐小一点，最多 20%，时长剪到 8 秒。"
    stated = read(prompt)
    assert stated.seconds == 8 and stated.music_under == 20 and stated.music_at_most
    for seconds, volume in ((10.0, 35.0), (8.0, 20.0)):
        music = Track("audio", "", [Segment("Calm", 0, seconds, volume)], 1)
        video = Track("video", "", [Segment("a.jpg", 0, seconds, None)], 1)
        assert not_checked(prompt, Timeline(tracks=(video, music), tracks_total=2, duration_s=seconds)) == []
