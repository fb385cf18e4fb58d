"""What two play-tests (a model playing the assistant with only the tool list and SKILL.md) got
told wrongly, asserted against the simulator's state and the store: held-back exports, cost
warnings after spending, project names from the wrong words, cancel after a refused request,
changes without their place, and what a sitting cost."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.naming import name_from
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


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
    assert (await ask(rich, "export"))["status"] == "done"
    assert held not in " ".join((await ask(rich, "status"))["next_steps"]), "held until they exported"
    later = await ask(rich, "generate", {"prompt": "lower the music to 20%"})
    # A later change: export is offered, as the user's choice, never as the next thing to do.
    assert any(s.startswith("When the user wants the file") or s.startswith("用户需要成品文件时")
               for s in later["next_steps"])  # fmt: skip


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("Don't export yet.", "nothing will be exported"),
        ("先别导出", "不会导出"),
        ("哎等一下，先别导了，我还想再改改", "我还想再改改"),  # play-test 14: was a paid agent turn
    ],
)
async def test_dont_export_yet_on_its_own_is_noted_for_free_and_holds_status(
    rich: Client, sim: Simulator, image: Path, prompt: str, said: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 6 second video"})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done" and out["action"] == "held" and said in out["reply"]
    assert out["cost_warning"] is None, "not a question for the paid agent"
    status = await ask(rich, "status")
    assert not any("export (free)" in s or "export（免费）" in s for s in status["next_steps"])
    assert len(requests_to(sim, "run_sse")) == 1 and requests_to(sim, "render") == []


# --- 2. a warning only before spending; a note after -----------------------------------------


async def test_a_request_that_uses_the_last_credits_says_so_with_its_cost_not_as_a_warning(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=90)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        sent = await ask(client, "generate", {"prompt": "make a 6 second video"})
        assert sent["status"] == "done" and sent["cost_warning"] is None
        assert "not enough for another edit" in sent["reply"] and "too few remain" not in sent["reply"]
        refused = await ask(client, "generate", {"prompt": "add a title"})
        assert refused["status"] == "cannot_run" and refused["cost_note"] is None
        assert "are left" in refused["cost_warning"]
    assert len(requests_to(sim, "run_sse")) == 1


# --- 3. project names from the user's title or subject, never from a caption ---------------

NAMES = [
    ("a 10-second square video for Instagram about our new pumpkin latte", "Pumpkin latte"),
    ("Make a 6-second video for our spring sale", "Spring sale"),
    ("Make a 10 second video from these photos", ""),
    ("make a 6 second video", ""),
    ("Create a vertical TikTok video about my trip to Japan", "Trip"),
    ("Make a promo video for Rosie's Bakery with upbeat music", "Rosie's Bakery"),
    ("Make a slideshow of our wedding photos with soft piano", "Wedding"),
    ("A 15-second ad for the Harbour Days festival, vertical", "Harbour Days festival"),
    ('Make a video titled "Summer Memories" from my beach photos', "Summer Memories"),
    ("Create a reel called Morning Routine with calm music", "Morning Routine"),
    ('Make a 15 second reel called "Salt and Sun" from the beach photos', "Salt and Sun"),
    ("Make a short video with the title 'Grand Opening' and a logo at the end", "Grand Opening"),
    ("Add a caption 'Download now' at the end of a 10 second video", ""),
    ("make a video of my dog playing in the snow", "Dog playing"),
    ("Generate a 20 second product video showcasing the new X200 headphones", "X200 headphones"),
    ("Make a birthday video for my mom with these pictures", "Mom"),
    ("I need a quick YouTube Shorts video about home workouts", "Home workouts"),
    ("Make a 30s video for Instagram stories", ""),
    ("Put these clips together with some music", ""),
    ("Make a video about our company's 10th anniversary", "Company's 10th anniversary"),
    ("Can you make a video promoting our Black Friday deals?", "Black Friday deals"),
    ("Make a vertical video for TikTok of the sunset timelapse", "Sunset timelapse"),
    ("用这些照片做一个10秒的视频，介绍我们的新款帐篷", "新款帐篷"),
    ("做一个15秒的竖屏视频，主题是周末露营", "周末露营"),
    ("做一个6秒的视频，标题是「春季促销」", "春季促销"),
    ("在结尾加上字幕「下次见」", ""),
    ("做一个6秒的视频", ""),
    ("用这些照片做一个视频", ""),
    ("帮我做一个关于猫咪日常的短视频", "猫咪日常"),
    ("做一个宣传我们咖啡店的视频，配上轻松的音乐", "咖啡店"),
    ("做一个露营的视频，要竖屏", "露营"),
    ("生成一段介绍新品口红的视频，15秒", "新品口红"),
    ("做一个名为《毕业季》的相册视频", "毕业季"),
    ("视频标题叫“中秋快乐”，做成竖屏", "中秋快乐"),
    ("做个抖音视频，展示我家的小狗", "小狗"),
    ("把这些素材剪成一个30秒的视频", ""),
    ("做一个10秒的视频，加字幕「欢迎光临」", ""),
    ("做一个记录我们婚礼的视频", "婚礼"),
    ("帮我做个小红书视频，主题：秋季穿搭", "秋季穿搭"),
    ("制作一支公司年会的宣传片", "公司年会"),
    ("做一段关于健身打卡的vlog", "健身打卡"),
    ("帮我把这些照片做成一个20秒的竖屏短视频，发小红书用，配一首轻松的背景音乐。", ""),
    ("做一个横屏的高清视频", ""),
    ("做一个30秒的抖音短视频", ""),
    ("做一个竖屏的咖啡店开业视频", "咖啡店开业"),
    ("做一个小狗的视频", "小狗"),
    ("做一个介绍新品的竖屏短视频", "新品"),
    ("做一个短跑比赛的视频", "短跑比赛"),
]


@pytest.mark.parametrize(("prompt", "expected"), NAMES)
def test_a_first_request_names_its_project_by_the_title_asked_for_or_the_subject(
    prompt: str, expected: str
) -> None:
    assert name_from(prompt) == expected


async def test_a_later_edits_caption_never_renames_the_project(rich: Client, image: Path) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    first = await ask(rich, "generate", {"prompt": "用这些照片做一个6秒的视频"})
    assert first["project"]["name"] == "视频 1", "our default name in the user's language"
    edit = await ask(rich, "generate", {"prompt": "在结尾加上字幕「下次见」"})
    assert edit["project"]["name"] == "视频 1", "a caption is no name, and a later edit renames nothing"
    named = await ask(
        rich, "generate", {"prompt": "做一个15秒的竖屏视频，主题是周末露营", "new_project": True}
    )
    assert named["project"]["name"] == "周末露营"
    later = await ask(rich, "generate", {"prompt": "标题改成「露营去」"})
    assert later["project"]["name"] == "周末露营"


# --- 4. "cancel that" after a refused request is about that request -------------------------


@pytest.mark.parametrize(
    ("again", "cancel", "said"),
    [
        ("make another one with the same photos", "Cancel that.", "Nothing was sent for “make another one"),
        ("再做一个同样的视频", "算了，取消。", "“再做一个同样的视频”没有发送出去"),
    ],
)
async def test_cancel_right_after_a_refused_request_says_nothing_was_sent(
    settings: Settings, sim: Simulator, image: Path, again: str, cancel: str, said: str
) -> None:
    token, _ = sim.state.register_user(credits=60)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        assert (await ask(client, "generate", {"prompt": "make a 6 second video"}))["status"] == "done"
        exported = await ask(client, "export")
        assert exported["status"] == "done"
        refused = await ask(client, "generate", {"prompt": again})
        assert refused["status"] == "cannot_run"
        out = await ask(client, "generate", {"prompt": cancel})
        assert out["action"] == "cancel" and said in out["reply"], out["reply"]
        assert exported["path"] not in out["reply"], "an older finished export is not what 'that' means"
        # With the export the most recent thing, cancel does speak of it.
        await ask(client, "export")
        after_export = await ask(client, "generate", {"prompt": cancel})
        assert exported["path"] in after_export["reply"]
    assert len(requests_to(sim, "run_sse")) == 1


# --- 6. what this conversation cost, from the records ------------------------------------------


@pytest.mark.parametrize(
    ("question", "total"),
    [
        ("what did all of this cost me in total?", "sent 2 requests; they used 150 credits in total"),
        ("这个视频一共花了多少积分？", "发送了 2 个请求，共消耗 150 积分"),
    ],
)
async def test_asked_what_it_all_cost_the_credits_answer_sums_this_conversations_requests(
    rich: Client, sim: Simulator, image: Path, question: str, total: str
) -> None:
    before = sum(u.credits for u in sim.state.users.values())
    await ask(rich, "generate", {"prompt": "make a 6 second video for the bakery"})
    await ask(rich, "upload", {"files": [str(image)], "new_project": True})
    await ask(rich, "generate", {"prompt": "make a 6 second video about the garage"})
    out = await ask(rich, "generate", {"prompt": question})
    spent_in_sim = before - sum(u.credits for u in sim.state.users.values())
    assert out["action"] == "credits" and spent_in_sim == 150
    assert total in out["reply"], out["reply"]
    assert "Bakery" in out["reply"] and "Garage" in out["reply"], "per project, when several"
    credits = await ask(rich, "credits")
    assert credits["session_credits_used"] == 150 and credits["session_requests"] == 2
    per_project = {(p["project"], p["credits_used"]) for p in credits["by_project"]}
    assert per_project == {("Bakery", 100), ("Garage", 50)}


async def test_with_nothing_sent_the_credits_answer_says_nothing_was_spent(rich: Client) -> None:
    out = await ask(rich, "credits")
    assert out["session_credits_used"] is None and "has been sent yet" in out["reply"]
