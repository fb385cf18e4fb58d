"""Play-test 22 (简体, a shop owner in WeChat style): answers that would make the assistant say
something false, or spend unasked.

F1.  "杯子那个视频再出一个方形的 …" (current: 客厅改造; the mugs are in 秋冬新品马克杯) and
     "海边旅行那个视频 音乐换成吉他的" (beach.jpg in 厦门三日 and in 秋冬新品马克杯 2) were sent to
     the current video and charged. A video described by what it shows counts the user's own words
     for each project and everyday words for its photos (杯子 → mug-red.jpg); it is held, free,
     naming the video it fits best (or those that fit equally well).
F5.  "The 1:1 version is kept in the file …1802.mp4" when that file was saved before later edits:
     only a file of the very timeline replaced is said to keep it; another is an older version.
F6.  "…调到20% 对了这个音乐能商用吗 我们要投信息流广告的": a question typed without a question mark
     got no word at all; now it is said passed on (unanswered) with our own licence fact.
F7.  The same question at 0 credits: only "needs about 50 credits (an edit…)". Now the licence
     fact first, then that asking NemoVideo's agent costs credits there aren't.
F12. An export listed the same earlier no-change request twice, though the user had taken back
     its order and a later request asked for its texts again: listed once, and not at all when
     every part of it was taken back or asked again.
F13. A hold for a file only another project has said "this request speaks of 厦门三日" (never
     said): it says the file is only there, and asks whether to upload it here.
F14. A 32 KB video was "0.0 MB".
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.mentions import described, edits_elsewhere
from ai_video_music.replies import file_size, side_questions
from ai_video_music.simulator import Simulator
from ai_video_music.store import Project
from ai_video_music.tools import create_server

from .conftest import ask, balance, export_done, photo_files, requests_to

pytestmark = pytest.mark.anyio


def _project(name: str) -> Project:
    return Project(name, "session", None, name, "zh", None, None, 0.0, 0.0, 1)


MUG, TRIP, RENO, MUG2 = (
    _project("秋冬新品马克杯"),
    _project("厦门三日"),
    _project("客厅改造"),
    _project("秋冬新品马克杯 2"),
)
ALL = [MUG, TRIP, RENO, MUG2]
FILES = {
    MUG.id: ["mug-blue.jpg", "mug-box.png", "mug-red.jpg"],
    TRIP.id: ["beach.jpg", "sunrise.jpg", "city-lights.jpg", "forest.jpg"],
    RENO.id: ["客厅装修前.jpg", "客厅装修后.jpg"],
    MUG2.id: ["mug-blue.jpg", "mug-box.png", "mug-red.jpg", "beach.jpg"],
}
# The user's words sent in each project (the sitting's own requests).
WORDS = {
    MUG.id: ["用这几张杯子图做个竖屏视频 15秒左右 发小红书 标题叫「秋冬新品马克杯」 配点轻快的音乐"],
    TRIP.id: ["做个横屏的旅行vlog 叫「厦门三日」 30秒 要有海浪那种放松的音乐"],
    RENO.id: [
        "做个装修前后对比 叫「客厅改造」 方形 10秒 先放装修前再放装修后 画面上加字「装修前」「装修后」"
    ],
    MUG2.id: ["杯子方形版 1:1 15秒 红色的放第一个 标题「秋冬新品马克杯」 音乐音量20%"],
}


# --- F1: a video described by what it shows ---------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "prompt", "meant", "said"),
    [
        (RENO, "杯子那个视频再出一个方形的 发朋友圈 竖的那个也要留着", (MUG,), "杯子那个视频"),
        (MUG, "海边旅行那个视频 音乐换成吉他的", (TRIP,), "海边旅行那个视频"),  # photo and words
        (MUG, "旅行那个视频加个标题「厦门见」", (TRIP,), "旅行那个视频"),
        (TRIP, "装修那个视频改成竖屏", (RENO,), "装修那个视频"),
        (RENO, "给杯子的那个视频换个欢快点的音乐", (MUG,), "杯子的那个视频"),
        (MUG, "海边那个视频 音乐小一点", (TRIP, MUG2), "海边那个视频"),  # beach.jpg in both: both named
        (RENO, "make the mug video 10 seconds", (MUG,), "the mug video"),
        (MUG, "give the vlog one piano music", (TRIP,), "the vlog one"),
    ],
)
def test_a_video_described_by_what_it_shows_is_found(
    current: Project, prompt: str, meant: tuple[Project, ...], said: str
) -> None:
    others = [p for p in ALL if p is not MUG2] if meant == (MUG,) and current is RENO else ALL
    found = described(prompt, current, others, FILES, WORDS)
    assert found is not None and set(found.named) == set(meant), found
    assert found.by == "described" and found.words == said, found


@pytest.mark.parametrize(
    ("current", "prompt"),
    [
        (MUG, "杯子那个视频再加个标题"),  # the current video fits: its own
        (MUG, "把海边那张放最后"),  # a photo, no video described
        (TRIP, "旅行那个视频音乐换成钢琴"),  # the current one's own words
        (RENO, "刚才那个视频改成竖屏"),  # by time, not by what it shows
        (RENO, "婚礼那个视频改成竖屏"),  # fits no project: nothing to tell
    ],
)
def test_a_description_the_current_video_fits_or_none_fits_is_not_held(current: Project, prompt: str) -> None:
    assert described(prompt, current, ALL, FILES, WORDS) is None


async def test_the_cup_video_asked_in_the_renovation_project_is_held_free_naming_both(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    """F1 call A, through the tools: held, nothing sent or charged, both videos named, in the
    user's own words ("杯子那个视频"), never "this request speaks of 秋冬新品马克杯"."""
    await ask(
        rich, "upload", {"files": photo_files(tmp_path, "mug-red.jpg", "mug-blue.jpg"), "new_project": True}
    )
    mug = await ask(rich, "generate", {"prompt": "用这几张杯子图做个竖屏视频 10秒 标题叫「秋冬新品马克杯」"})
    await ask(
        rich,
        "upload",
        {"files": photo_files(tmp_path, "客厅装修前.jpg", "客厅装修后.jpg"), "new_project": True},
    )
    reno = await ask(rich, "generate", {"prompt": "做个装修前后对比 叫「客厅改造」 方形 10秒"})
    mug_name, reno_name = mug["project"]["name"], reno["project"]["name"]
    assert mug_name != reno_name and reno["project"]["current"], reno
    spent, sent = balance(sim), len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": "杯子那个视频再出一个方形的 发朋友圈 竖的那个也要留着"})
    assert out["status"] == "needs_confirmation", out
    assert (
        "「杯子那个视频」好像是" in out["reply"] and mug_name in out["reply"] and reno_name in out["reply"]
    ), out
    assert balance(sim) == spent and len(requests_to(sim, "run_sse")) == sent
    # Said again, it is held again (a held request is no word the current project was given).
    again = await ask(rich, "generate", {"prompt": "杯子那个视频再出一个方形的 发朋友圈 竖的那个也要留着"})
    assert again["status"] == "needs_confirmation" and mug_name in again["reply"], again
    # Sent to the mug video as the next step says: it goes there.
    there = await ask(rich, "generate", {"prompt": "音乐小一点", "project": mug_name})
    assert there["project"]["name"] == mug_name and len(requests_to(sim, "run_sse")) == sent + 1, there


# --- F13: a file only another project holds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "lang_words"),
    [
        ("音乐调到20% 把beach.jpg放最后", ("「beach.jpg」只在", "要先上传到这里")),
        ("put beach.jpg last and the music at 20%", ("“beach.jpg” is only in", "Upload it here first")),
    ],
)
def test_a_file_only_another_project_holds_is_said_as_that(prompt: str, lang_words: tuple[str, str]) -> None:
    files = {**FILES, MUG2.id: ["mug-blue.jpg", "mug-box.png", "mug-red.jpg"]}
    found = edits_elsewhere(prompt, MUG2, ALL, files, WORDS)
    assert found is not None and found.named == (TRIP,) and found.by == "file", found
    assert found.words == "beach.jpg", found


async def test_a_hold_for_a_file_quotes_the_file_not_a_project_name_never_said(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    await ask(
        rich, "upload", {"files": photo_files(tmp_path, "beach.jpg", "sunrise.jpg"), "new_project": True}
    )
    trip = await ask(rich, "generate", {"prompt": "做个横屏的旅行vlog 叫「厦门三日」 10秒"})
    await ask(rich, "upload", {"files": photo_files(tmp_path, "mug-red.jpg"), "new_project": True})
    mug = await ask(rich, "generate", {"prompt": "做个方形的视频 10秒"})
    sent = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": "音乐调到20% 把beach.jpg放最后"})
    assert out["status"] == "needs_confirmation" and len(requests_to(sim, "run_sse")) == sent, out
    trip_name, mug_name = trip["project"]["name"], mug["project"]["name"]
    reply = out["reply"]
    assert f"「beach.jpg」只在“{trip_name}”里" in reply and f"当前项目“{mug_name}”没有这个文件" in reply, (
        reply
    )
    assert "这条请求说的是" not in reply, reply
    assert any("upload" in step and mug_name in step for step in out["next_steps"]), out["next_steps"]


# --- F6: a question typed without a question mark ---------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "questions"),
    [
        (
            "红色那个杯子放最前面 音乐小声点调到20% 对了这个音乐能商用吗 我们要投信息流广告的",
            ["这个音乐能商用吗"],
        ),
        ("把音乐调小一点 投广告会不会有版权问题", ["投广告会不会有版权问题"]),
        ("标题改成「新品上市」 顺便问下这个字体能商用吗", ["这个字体能商用吗"]),
        ("make it 10 seconds, by the way is the music ok for paid ads", ["is the music ok for paid ads"]),
        ("能把音乐调小一点吗", []),  # a polite request: the request itself
        ("音乐能不能换成钢琴", []),
        ("把音乐换成钢琴曲 lofi不太搭", []),  # a remark, no question
        ("加个标题「你好吗」", []),  # a caption's words are no question
        ("make it 10 seconds", []),
    ],
)
def test_a_question_without_a_question_mark_is_a_side_question(prompt: str, questions: list[str]) -> None:
    assert side_questions(prompt) == questions


@pytest.mark.parametrize(
    ("prompt", "passed", "unanswered", "licence"),
    [
        (
            "音乐小声点调到20% 对了这个音乐能商用吗 我们要投信息流广告的",
            "这个音乐能商用吗",
            "没有谈到",
            "没有说明",
        ),
        (
            "make it 8 seconds, by the way is the music ok for paid ads",
            "is the music ok for paid ads",
            "does not speak of it",
            "not documented",
        ),
    ],
)
async def test_a_licence_question_inside_an_edit_is_said_passed_on_with_our_fact(
    rich: Client, sim: Simulator, tmp_path: Path, prompt: str, passed: str, unanswered: str, licence: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "mug-red.jpg")})
    await ask(rich, "generate", {"prompt": "做个6秒的视频，配点音乐"})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done" and len(requests_to(sim, "run_sse")) == 2, out
    reply = out["reply"]
    assert passed in reply and unanswered in reply and licence in reply, reply


# --- F7: the same question with too few credits -----------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "licence", "cost"),
    [
        (
            "这个背景音乐到底能不能商用 投广告会不会有版权问题",
            "免费音乐能否用于广告或商用没有说明",
            "问 NemoVideo 的智能体这个问题约需",
        ),
        (
            "is the background music ok to use in paid ads",
            "is not documented",
            "Asking NemoVideo's agent this costs",
        ),
    ],
)
async def test_a_licence_question_at_zero_credits_says_our_fact_then_the_cost_of_asking(
    rich: Client, sim: Simulator, tmp_path: Path, prompt: str, licence: str, cost: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "mug-red.jpg")})
    await ask(rich, "generate", {"prompt": "做个6秒的视频"})
    sim.state.set_credits(0)
    sent = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "cannot_run" and out["action"] == "ask", out
    reply = out["reply"]
    assert licence in reply and cost in reply and reply.index(licence) < reply.index(cost), reply
    assert "一次编辑" not in reply and "an edit" not in reply, reply
    assert len(requests_to(sim, "run_sse")) == sent


# --- F5: the replaced version and an older file of its frame ----------------------------------------


@pytest.mark.parametrize(
    ("first", "edit", "second", "never", "older"),
    [
        (
            "make a 20 second horizontal video",
            "make it 10 seconds",
            "do a vertical 9:16 version for reels, keep the wide one",
            "one was never exported",
            "is an older version",
        ),
        (
            "做个20秒的横屏视频",
            "改成10秒",
            "再做一个竖版的，横版的也要留着",
            "的版本从未导出过",
            "是更早的版本",
        ),
    ],
)
async def test_a_file_saved_before_later_edits_is_never_said_to_keep_the_replaced_version(
    rich: Client, tmp_path: Path, first: str, edit: str, second: str, never: str, older: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "sunrise.jpg", "beach.jpg", "forest.jpg")})
    await ask(rich, "generate", {"prompt": first})
    saved = await export_done(rich)
    name = Path(str(saved["path"])).name
    changed = await ask(rich, "generate", {"prompt": edit})
    assert changed["timeline_changed"], changed
    held = await ask(rich, "generate", {"prompt": second})
    assert held["status"] == "needs_confirmation", held  # the edited wide one was never saved
    out = await ask(rich, "generate", {"prompt": second, "accept_cost": True})
    reply = out["reply"]
    assert never in reply, reply
    assert name in reply and older in reply, reply
    assert "kept in the file" not in reply and "保存在之前导出的文件" not in reply, reply
    assert f"is in the file “{name}”" not in reply and f"在文件「{name}」里" not in reply, reply


# --- F12: one line per earlier request, none when all of it was re-addressed ------------------------

F12_FIRST = "「厦门三日」标题要在开头 「下次再见 厦门」放到最后3秒 然后sunrise第一张 city-lights最后一张"


async def _lied(rich: Client, sim: Simulator, prompt: str, **more: Any) -> dict[str, Any]:
    sim.configure(next_lie=True)
    out = await ask(rich, "generate", {"prompt": prompt, **more})
    assert out["timeline_changed"] is False, out
    return out


async def test_an_earlier_request_sent_twice_is_listed_once(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "sunrise.jpg", "beach.jpg", "city-lights.jpg")})
    await ask(rich, "generate", {"prompt": "做个横屏的视频 10秒"})
    await _lied(rich, sim, F12_FIRST)
    await _lied(rich, sim, F12_FIRST, accept_cost=True)
    await ask(rich, "generate", {"prompt": "改成12秒"})
    out = await export_done(rich)
    assert out["reply"].count(F12_FIRST[:20]) == 1, out["reply"]
    assert len(set(out["not_in_file"])) == len(out["not_in_file"]), out["not_in_file"]


@pytest.mark.parametrize(
    "later",
    [
        "算了顺序不管了 标题改回「厦门三日」 把「下次再见 厦门」那句删掉",
        "顺序不用管了，加上标题「厦门三日」，「下次再见 厦门」删掉",
    ],
)
async def test_an_earlier_request_taken_back_or_asked_again_is_not_listed_again(
    rich: Client, sim: Simulator, tmp_path: Path, later: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "sunrise.jpg", "beach.jpg", "city-lights.jpg")})
    await ask(rich, "generate", {"prompt": "做个横屏的视频 10秒"})
    await _lied(rich, sim, F12_FIRST)
    await _lied(rich, sim, F12_FIRST, accept_cost=True)
    await ask(rich, "generate", {"prompt": later})
    out = await export_done(rich)
    assert F12_FIRST[:20] not in out["reply"], out["reply"]
    assert not any(F12_FIRST[:20] in item for item in out["not_in_file"]), out["not_in_file"]


# --- F14: a small file's size ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "said"),
    [(32815, "32 KB"), (650_000, "0.6 MB"), (1_800_000, "1.7 MB"), (900, "900 B"), (104_858, "0.1 MB")],
)
def test_a_small_file_is_never_zero_megabytes(size: int, said: str) -> None:
    assert file_size(size) == said


async def test_an_export_says_the_size_of_the_file_it_saved(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "sunrise.jpg")})
        await ask(client, "generate", {"prompt": "做个6秒的视频 不要音乐"})
        out = await export_done(client)
        size = Path(str(out["path"])).stat().st_size
        assert file_size(size) in out["reply"] and "0.0 MB" not in out["reply"], (size, out["reply"])
        listed = await ask(client, "status")
        assert file_size(size) in listed["reply"] and "0.0 MB" not in listed["reply"], listed["reply"]
