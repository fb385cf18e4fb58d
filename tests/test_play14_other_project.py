"""Play-test 14 (EN and 中文): a request whose words name another of the user's projects ("make the
Night run crew video 8 seconds long", "the running club video", "wrong video! I meant the grandpa
video") was sent to the current project and charged there. It is not sent: the answer names both
projects and how to send it to the one meant; the current project named plainly still goes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.mentions import elsewhere
from ai_video_music.simulator import Simulator
from ai_video_music.store import Project
from ai_video_music.tools import create_server

from .conftest import ask, export_done, photo_files, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


def _project(name: str, named: int = 1) -> Project:
    return Project(name, "session", None, name, "en", None, None, 0.0, 0.0, named)


RUN, GRANDPA, PATEL = _project("Night run crew"), _project("Grandpa turns 80"), _project("Goodbye, Dr. Patel")
HOUSE, BIRTHDAY, DEFAULT = _project("告别老房子"), _project("八十大寿"), _project("Video 3", named=0)
ALL = [RUN, GRANDPA, PATEL, HOUSE, BIRTHDAY, DEFAULT, _project("新项目")]


@pytest.mark.parametrize(
    ("current", "prompt", "named"),
    [
        (GRANDPA, "make the Night run crew video 8 seconds long", RUN),
        (GRANDPA, "make the running club video 8 seconds long", RUN),
        (
            RUN,
            "oops sorry, wrong video! I meant the grandpa video should be 10 seconds, not the running one",
            GRANDPA,
        ),
        (GRANDPA, "make the Dr. Patel video shorter", PATEL),
        (GRANDPA, 'make the "Night run crew" video 8 seconds long', RUN),
        (GRANDPA, "把「八十大寿」那个视频改短", BIRTHDAY),
        (GRANDPA, "把告别老房子改成 8 秒", HOUSE),
        (HOUSE, "把八十大寿那个视频改成 8 秒", BIRTHDAY),
        (HOUSE, "发错了，我是说八十大寿的视频要 10 秒", BIRTHDAY),
    ],
)
def test_words_that_name_another_project_are_found(current: Project, prompt: str, named: Project) -> None:
    found = elsewhere(prompt, current, ALL)
    assert found is not None and found.named == (named,), found


@pytest.mark.parametrize(
    ("current", "prompt"),
    [
        (GRANDPA, "make the grandpa video 8 seconds long"),
        (GRANDPA, "make the Grandpa turns 80 video like the Night run crew one"),
        (GRANDPA, "make it 10 seconds, not the running one"),
        (GRANDPA, "make it look like the Night run crew video"),
        (GRANDPA, "put the beach photo first"),
        (GRANDPA, "make the video 8 seconds"),
        (GRANDPA, "use the Video 3 music"),  # a default name is no name
        (GRANDPA, "新项目的音乐换一下"),
        (GRANDPA, "add a caption Night run crew"),
        (GRANDPA, 'add the title "Night run crew"'),
        (GRANDPA, 'make it like the "Night run crew" video'),
        (GRANDPA, "把字幕改成告别老房子"),
        (HOUSE, "不是这个颜色，换成红色"),
        (HOUSE, "不是这个，换一首歌"),
        (HOUSE, "我发错了照片"),
        (GRANDPA, "I sent the wrong photo, use the other one"),
        (GRANDPA, "make the running part slower"),
    ],
)
def test_ordinary_words_name_no_other_project(current: Project, prompt: str) -> None:
    assert elsewhere(prompt, current, ALL) is None


def test_saying_the_video_is_the_wrong_one_counts_without_a_name() -> None:
    found = elsewhere("wrong video! make it 10 seconds", GRANDPA, ALL)
    assert found is not None and found.wrong and not found.named
    found = elsewhere("不是这个视频，要改成 10 秒", HOUSE, ALL)
    assert found is not None and found.wrong


async def _named_project(client: Client, title: str, image: Path, *, new: bool) -> dict[str, Any]:
    await ask(client, "upload", {"files": [str(image)], "new_project": new})
    made = await ask(client, "generate", {"prompt": f"Make a 6-second video with the title '{title}'"})
    assert made["status"] == "done" and made["project"]["name"] == title, made
    return made


WORDS = {
    "en": {
        "first": "Night run crew",
        "second": "Grandpa turns 80",
        "asks": [
            "make the Night run crew video 8 seconds long",
            "make the running club video 8 seconds long",
        ],
        "wrong": "wrong video! make it 10 seconds",
        "plain": "make the grandpa video 10 seconds long",
    },
    "zh": {
        "first": "告别老房子",
        "second": "八十大寿",
        "asks": ["把告别老房子改成 8 秒", "把老房子那个视频改成 8 秒"],
        "wrong": "发错了，要改成 10 秒",
        "plain": "把八十大寿改成 10 秒",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_request_naming_another_project_is_not_sent_to_the_current_one(
    settings: Settings, sim: Simulator, image: Path, lang: str
) -> None:
    words = WORDS[lang]
    first, second = words["first"], words["second"]
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await _named_project(client, first, image, new=False)
        await _named_project(client, second, image, new=True)
        sent = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        for prompt in words["asks"]:
            out = await ask(client, "generate", {"prompt": prompt})
            assert out["status"] == "needs_confirmation", out
            assert first in out["reply"] and second in out["reply"], out["reply"]
            assert out["project"]["name"] == second
            assert f'project="{first}"' in out["next_steps"][0] and "accept_cost=true" in out["next_steps"][0]
        wrong = await ask(client, "generate", {"prompt": words["wrong"]})
        assert wrong["status"] == "needs_confirmation" and first in wrong["reply"], wrong
        assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"
        there = await ask(client, "generate", {"prompt": words["asks"][0], "project": first})
        assert there["status"] == "done" and there["project"]["name"] == first, there
        back = await ask(client, "generate", {"prompt": words["plain"], "project": second})
        assert back["status"] == "done" and back["project"]["name"] == second, back
        anyway = await ask(client, "generate", {"prompt": words["asks"][1], "accept_cost": True})
        assert anyway["status"] == "done" and anyway["project"]["name"] == second, anyway
    assert len(requests_to(sim, "run_sse")) == sent + 3


@pytest.mark.parametrize(
    ("lang", "export_words", "status_words"),
    [
        ("en", "export the Night run crew video", "what is the status of the Night run crew video"),
        ("zh", "导出告别老房子那个视频", "告别老房子那个视频的状态"),
    ],
)
async def test_a_free_command_naming_another_project_acts_on_that_project(
    settings: Settings, sim: Simulator, image: Path, lang: str, export_words: str, status_words: str
) -> None:
    """fixp1's note: "export the Night run crew video" exported the current project's file."""
    first, second = WORDS[lang]["first"], WORDS[lang]["second"]
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await _named_project(client, first, image, new=False)
        await _named_project(client, second, image, new=True)
        looked = await ask(client, "generate", {"prompt": status_words})
        assert looked["action"] == "status" and first in looked["reply"], looked["reply"]
        assert (await ask(client, "status"))["project"]["name"] == second, "status only shows"
        out = await ask(client, "generate", {"prompt": export_words})
        if out["status"] != "done":  # the render runs on in that project, now the current one
            out = await export_done(client)
        assert out["status"] == "done" and first in out["reply"], out["reply"]
        st = await ask(client, "status")
        assert st["project"]["name"] == first
        assert st["exports"][0]["project_name"] == first, st["exports"][0]


@pytest.mark.parametrize(
    ("lang", "export_words", "upload_words"),
    [
        ("en", 'export "Night run crew"', "upload {path} to the Night run crew video"),
        ("zh", "导出「告别老房子」", "上传 {path} 到告别老房子那个视频"),
    ],
)
async def test_a_quoted_project_name_and_an_upload_naming_a_project_act_on_it(
    settings: Settings, sim: Simulator, image: Path, lang: str, export_words: str, upload_words: str
) -> None:
    """Play-test 15: "导出「毕业那天」" was sent to the agent as a caption (50 credits, the title
    changed); "upload … to the Dana video" put the file in the current project."""
    first, second = WORDS[lang]["first"], WORDS[lang]["second"]
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await _named_project(client, first, image, new=False)
        await _named_project(client, second, image, new=True)
        sent = len(requests_to(sim, "run_sse"))
        out = await ask(client, "generate", {"prompt": export_words})
        assert out["action"] == "export", out
        if out["status"] != "done":  # the render runs on in that project, now the current one
            out = await export_done(client)
        assert out["status"] == "done" and first in out["reply"], out["reply"]
        assert len(requests_to(sim, "run_sse")) == sent, "nothing sent to the agent"
        await ask(client, "status", {"project": second})  # back to the second for the upload
        await ask(client, "generate", {"prompt": "status", "project": second})
        # another photo (the same one again is said to be there already: play26en F23)
        other = photo_files(image.parent, "sunset.jpg")[0]
        up = await ask(client, "generate", {"prompt": upload_words.format(path=other)})
        assert up["action"] == "upload", up
        there = await ask(client, "status", {"project": first})
        assert there["media_total"] == 2, there["media"]


async def test_wrong_video_said_while_a_request_runs_leads_with_that_request(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """Play-test 15: "oh no wait, wrong video! never mind that one" while a caption edit ran
    answered only "nothing was charged"; the edit ran on and was charged."""
    first, second = WORDS["en"]["first"], WORDS["en"]["second"]
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=5.0)
    async with Client(create_server(conf)) as client:
        await _named_project(client, first, image, new=False)
        await _named_project(client, second, image, new=True)
        with sim.hold("run_sse") as gate:
            working = await ask(client, "generate", {"prompt": "add a caption 'We will miss you' at the end"})
            assert working["status"] == "working", working
            out = await ask(client, "generate", {"prompt": "oh no wait, wrong video! never mind that one"})
            gate.release()
        assert "We will miss you" in out["reply"], out["reply"]
        assert "can't be recalled" in out["reply"] or "cannot be recalled" in out["reply"], out["reply"]
        assert "nothing was charged." not in out["reply"], out["reply"]


def test_a_few_words_between_part_of_a_name_and_that_video_still_name_it() -> None:
    """Play-test 16: "阳台种菜那个视频帮我改回15秒" (project 阳台小菜园) went to the current one."""
    garden, birthday = _project("阳台小菜园"), _project("生日祝福")
    found = elsewhere("对了，阳台种菜那个视频帮我改回15秒", birthday, [garden, birthday])
    assert found is not None and found.named == (garden,), found
    assert elsewhere("生日那个视频改回10秒", birthday, [garden, birthday]) is None


SUP, PADDLE = _project("SUP Rentals"), _project("Sunrise Paddle")


@pytest.mark.parametrize(
    "prompt",
    [
        # play18en F10: the current project named too, beside "wrong video!!": still held
        "wrong video!! put the SUP one back to the upbeat pop it had, and do the acoustic thing on the"
        " paddle one",
        "wrong one!! put the SUP one back, and the acoustic music goes on the paddle one",
        "not this video, the paddle one needs the acoustic music",
        "不是这个视频，SUP 那个音乐换回来",
    ],
)
def test_wrong_video_is_held_even_beside_the_current_projects_name(prompt: str) -> None:
    found = elsewhere(prompt, SUP, [SUP, PADDLE])
    assert found is not None and found.wrong, found
