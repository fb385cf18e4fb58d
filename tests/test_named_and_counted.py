"""Answers a model playing the assistant (EN and 中文) found inaccurate, each through a
real MCP client session against the simulator: a project named in the user's words even when its
request was refused, and sentences that were inaccurate (counts, directions, suggestions)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.messages import CATALOGUE, join_sentences
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, call, text

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


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


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("Make a video called 'Spring sale' from this photo", "The project is now called “Spring sale”"),
        ("用这张照片做一个视频，叫「春季促销」", "项目现在名为“春季促销”"),
    ],
)
async def test_a_project_named_by_its_first_request_says_so(
    settings: Settings, sim: Simulator, image: Path, prompt: str, said: str
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)], "new_project": True})  # "Video 1" until then
        done = await ask(client, "generate", {"prompt": prompt})
    assert done["status"] == "done" and said in done["reply"], done["reply"]


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


async def test_credits_count_a_running_request_as_running_and_name_the_one_project_that_spent(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=5.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        with sim.hold("run_sse"):
            working = await ask(client, "generate", {"prompt": "make a 6 second video for the bakery"})
            assert working["status"] == "working"
            during = await ask(client, "credits")
            assert during["session_requests"] == 1 and during["session_credits_used"] is None
            # the credits the balance holds for it are said, never "not charged yet" beside them
            assert "1 request is still running" in during["reply"]
            assert "50 credits held for it" in during["reply"], during["reply"]
            assert "0 requests" not in during["reply"] and "used 0 credits" not in during["reply"]
        await ask(client, "status")  # the answer, told
        after = await ask(client, "credits")
        used = 1000 - sum(u.credits for u in sim.state.users.values())
        assert after["session_credits_used"] == used > 0
        assert [(p["project"], p["credits_used"]) for p in after["by_project"]] == [("Bakery", used)]
        assert "By project: “Bakery”" in after["reply"]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_empty_project_with_media_and_a_refused_request_is_told_as_it_is(
    settings: Settings, sim: Simulator, image: Path, lang: str
) -> None:
    en = lang == "en"
    first = "make a 6 second video for the bakery" if en else "给面包店做一个6秒的视频"
    second = (
        "Holiday teaser: just this photo, 5 seconds, square" if en else "做一个「开业倒计时」视频，方形，5 秒"
    )
    name = "Holiday teaser" if en else "开业倒计时"
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": first})
        await ask(client, "export")
        await ask(client, "upload", {"files": [str(image)], "new_project": True})
        sim.state.set_credits(0)
        assert (await ask(client, "generate", {"prompt": second}))["status"] == "cannot_run"
        st = await ask(client, "status")
        reply, steps = st["reply"], " ".join(st["next_steps"])
        refused = (
            f"Nothing has been made in this project yet: the request “{second}” was not sent "
            "(too few credits)"
            if en
            else f"这个项目还没有做出任何内容：请求「{second}」没有发送（积分不足）"
        )
        assert refused in reply
        no_export = (
            f"The project “{name}” has no export yet (the saved videos below"
            if en
            else f"项目「{name}」还没有导出"
        )
        saved = "Saved videos" if en else "已保存的视频"
        assert reply.index(no_export) < reply.index(saved), "'below' is said before the list"
        assert "export" not in steps and ("more credits" in steps or "更多积分" in steps)
        # Shown from the other project: nothing to export there, and export says why.
        back = made["project"]["name"]
        shown = await ask(client, "generate", {"prompt": "status" if en else "进度如何", "project": back})
        assert shown["status"] == "done"
        other = await ask(client, "status", {"project": name})
        assert not any("export" in s for s in other["next_steps"]), other["next_steps"]
        empty = await call(client, "export", {"project": name})
        said = text(empty)
        assert empty.is_error
        assert (
            "Nothing has been generated from the uploaded media yet" if en else "已上传的素材还没有生成视频"
        ) in said
        assert "Upload media" not in said and "请先上传素材" not in said


def test_chinese_sentences_are_joined_without_a_space_and_apart_from_latin_text() -> None:
    stops = re.compile(r"[。！？；：] ")
    assert [key for key, (_, zh) in CATALOGUE.items() if stops.search(zh)] == []
    assert join_sentences(["没有这个项目。", "请调用 status。"], "zh") == "没有这个项目。请调用 status。"
    assert (
        join_sentences(["注册：https://x.test/r?b=1", "注册后再试。"], "zh")
        == "注册：https://x.test/r?b=1 注册后再试。"
    )
    assert join_sentences(["No such project.", "", "Call status."], "en") == "No such project. Call status."


async def test_a_chinese_error_and_answer_have_no_space_after_a_full_stop(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=60)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "给面包店做一个6秒的视频"})
        unknown = await call(client, "export", {"project": "开业倒计时"})
        assert unknown.is_error and "没有名为" in text(unknown) and "。 " not in text(unknown)
        assert "。 " not in made["reply"] and "。 " not in text(await call(client, "status"))


async def test_naming_the_current_project_does_not_say_it_switched(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "make a 6 second video for the bakery"})
        again = await ask(client, "generate", {"prompt": "make the music quieter", "project": "Bakery"})
        assert made["project"]["name"] == "Bakery" and "Switched" not in again["reply"]
        await ask(client, "generate", {"prompt": "make a 6 second video about hiking", "new_project": True})
        back = await ask(client, "generate", {"prompt": "lower the music to 20%", "project": "Bakery"})
        assert back["reply"].startswith("Switched to the project “Bakery”.")


async def test_an_unchanged_timeline_is_said_plainly_and_the_agents_words_follow_marked(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "make a 6 second video for the bakery"})
        out = await ask(client, "generate", {"prompt": "Add a slow zoom to the candle reel."})
    assert out["timeline_changed"] is False and out["agent_says"]
    reply = out["reply"]
    assert reply.startswith("Note: the timeline did not change with “Add a slow zoom to the candle reel.”.\n")
    assert "whatever" not in reply and reply.index("did not change") < reply.index("NemoVideo says:")
