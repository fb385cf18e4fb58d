"""Play-test 27 (中文: a pet-shop owner, several projects): answers that would have made the
assistant say something false or spend credits unasked.

F1. "撤销刚才那个" was priced as "a question" and, confirmed, charged 50 credits for a turn that can't
    undo (NemoVideo has no undo); "我没猫的照片 让它自己生成就行" got an answer speaking of "your photos".
F2. "做个15秒的猫粮促销视频 配乐能商用吗？" was held as only a question: the request was lost (and,
    with a comma, its 15 seconds were never checked).
F3. "现在视频多长？", "用的什么音乐？" (the timeline answers them) were priced as 50-credit questions.
F4. "音乐调小到20% 标题改成 萌宠日 每张图3秒": the title (after a space) was no checkable ask; 标提 (a
    pinyin slip) was not read as 标题.
F5. Exports: "还是改成15秒吧" after 20 s, "算了 音乐不换了" after a music change still said lacking; "the
    same file" after two edits said the timeline never changed; "横版的也留着 先别导出" still offered
    to export first.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music import asked, replies
from ai_video_music.config import Settings
from ai_video_music.records import TurnState
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.store import Generation
from ai_video_music.timeline import read_timeline
from ai_video_music.tools import create_server

from .conftest import ask, export_done, photo_files, requests_to
from .timelines import timeline

# --- F1: an undo NemoVideo can't do is never charged -------------------------------------------


@pytest.mark.parametrize("prompt", ["撤销刚才那个", "撤回上一步", "撤销刚才的修改吧", "undo that"])
def test_an_undo_alone_is_held_never_a_question_for_the_agent(prompt: str) -> None:
    decision = route(prompt)
    assert decision.undo and decision.action is Action.ASK, decision


@pytest.mark.parametrize("prompt", ["撤销刚才的 标题改回「我的视频」", "undo that and make it 10 seconds"])
def test_an_undo_beside_the_change_it_wants_is_that_change(prompt: str) -> None:
    decision = route(prompt)
    assert not decision.undo and decision.action is Action.AGENT, decision


@pytest.mark.anyio
@pytest.mark.priced
@pytest.mark.parametrize("accept_cost", [False, True])
async def test_an_undo_is_held_with_what_the_last_request_changed_and_nothing_charged(
    settings: Settings, sim: Simulator, tmp_path: Path, accept_cost: bool
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "cat.jpg")})
        await ask(client, "generate", {"prompt": "做一个6秒的视频，配点音乐"})
        await ask(client, "generate", {"prompt": "标题改成「萌宠日」"})
        turns, left = len(requests_to(sim, "run_sse")), (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": "撤销刚才那个", "accept_cost": accept_cost})
        assert len(requests_to(sim, "run_sse")) == turns, "nothing was sent to the paid agent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"
        assert out["status"] == "done" and out.get("credits_used") is None, out
        reply = out["reply"]
        assert "没有撤销功能" in reply and "萌宠日" in reply and "50" in reply, reply
        assert "这个问题" not in reply, reply  # never priced as a question


@pytest.mark.parametrize(
    "prompt",
    [
        "我没猫的照片 让它自己生成就行",
        "手上没有店里的图",
        "i dont have any photos of my cat, just generate it",
    ],
)
def test_words_saying_there_are_no_photos_ask_for_none(prompt: str) -> None:
    assert not asked.speaks_of_own_media(prompt)


@pytest.mark.parametrize("prompt", ["用我的照片做个视频", "为什么没有用上我的照片", "照片没上传成功吗"])
def test_words_about_the_users_photos_still_speak_of_them(prompt: str) -> None:
    assert asked.speaks_of_own_media(prompt)


@pytest.mark.anyio
async def test_a_video_made_from_nothing_as_asked_never_speaks_of_their_photos(
    rich: Client, sim: Simulator
) -> None:
    out = await ask(
        rich,
        "generate",
        {"prompt": "我没猫的照片 让它自己生成就行", "new_project": True, "accept_cost": True},
    )
    assert out["status"] == "done", out
    assert not any("照片" in item for item in out["not_as_asked"]), out
    assert "你的照片" not in out["reply"] and not any("upload" in s for s in out["next_steps"]), out


# --- F2: a request with a question after it goes ahead ---------------------------------------

TRAILING = ["做个15秒的猫粮促销视频 配乐能商用吗？", "做个15秒的猫粮促销视频，配乐能商用吗？"]


@pytest.mark.parametrize("prompt", TRAILING)
def test_a_request_before_its_question_is_the_request(prompt: str) -> None:
    assert route(prompt).action is Action.AGENT
    assert asked.read(prompt).seconds == 15
    assert not asked.only_questions(prompt)


@pytest.mark.parametrize("prompt", ["如果是竖屏，有音乐吗？", "音乐是不是太大了，能调小吗？"])
def test_a_condition_or_a_question_before_a_question_asks_nothing_to_check(prompt: str) -> None:
    assert asked.read(prompt) == asked.Asked()


@pytest.mark.anyio
@pytest.mark.parametrize("prompt", TRAILING)
async def test_a_request_with_a_question_is_sent_checked_and_its_question_kept(
    rich: Client, sim: Simulator, tmp_path: Path, prompt: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "catfood.jpg")})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done" and len(requests_to(sim, "run_sse")) == 1, out
    assert any("15" in item for item in out["as_asked"]), out  # its length checked
    assert "配乐能商用吗" in out["reply"], out["reply"]  # the question said, not lost


# --- F3: what the timeline answers is answered for free ----------------------------------------


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("现在视频多长？", Action.STATUS),
        ("用的什么音乐？", Action.STATUS),
        ("标题是什么？", Action.STATUS),
        ("现在音量多少？", Action.STATUS),
        ("what song is it using?", Action.STATUS),
        ("用什么音乐好？", Action.ASK),  # advice: for the agent, confirmed first
        ("为什么没有音乐？", Action.ASK),
        ("配什么音乐合适？", Action.ASK),
        ("what music would fit better?", Action.ASK),
        ("换什么音乐？", Action.ASK),
    ],
)
def test_a_question_about_what_the_video_has_now_is_for_status(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


@pytest.mark.anyio
@pytest.mark.priced
@pytest.mark.parametrize(
    ("prompt", "answer"), [("现在视频多长？", "6 秒"), ("用的什么音乐？", "Lo-fi Chill")]
)
async def test_a_question_the_timeline_answers_is_answered_free(
    settings: Settings, sim: Simulator, tmp_path: Path, prompt: str, answer: str
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "cat.jpg")})
        await ask(client, "generate", {"prompt": "做一个6秒的视频，配点音乐"})
        turns, left = len(requests_to(sim, "run_sse")), (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": prompt})
        assert out["status"] == "done" and not out.get("cost_warning"), out
        assert answer in out["reply"], out["reply"]
        assert len(requests_to(sim, "run_sse")) == turns
        assert (await ask(client, "credits"))["available"] == left


# --- F4: each clause a space parts is its own checkable ask -----------------------------------


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("音乐调小到20% 标题改成 萌宠日 每张图3秒", "萌宠日"),
        ("标提改成 萌宠节", "萌宠节"),  # 标提: 标题 slipped on a pinyin keyboard
        ("标题改成萌宠日", "萌宠日"),
    ],
)
def test_a_title_said_without_quotes_is_asked_and_wanted_on_screen(prompt: str, title: str) -> None:
    stated = asked.read(prompt)
    assert stated.title == title, stated
    assert title in asked.wanted_quotes(prompt, stated)


def test_the_other_clauses_beside_a_title_are_still_read() -> None:
    stated = asked.read("音乐调小到20% 标题改成 萌宠日 每张图3秒")
    assert stated.music_rel == "down" and stated.clip_seconds == 3


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("prompt", "met"),
    [("音乐调小到20% 标题改成 萌宠日 每张图3秒", "音乐小了"), ("不要音乐 标题改成 萌宠日", "没有音乐")],
)
async def test_space_separated_asks_are_each_checked_none_left_unread(
    rich: Client, tmp_path: Path, prompt: str, met: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "a.jpg", "b.jpg")})
    await ask(rich, "generate", {"prompt": "做一个6秒的视频，配点音乐"})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["not_checked"] == [], out  # never 「标题改成」、「萌宠日」 as unreadable words
    assert any(met in item for item in out["as_asked"]), out
    # the simulator leaves an unquoted title alone: said missing, never read as done
    assert any("萌宠日" in item for item in out["not_as_asked"]), out


# --- F5: what an export says of earlier requests -----------------------------------------------


def _turn(prompt: str, at: float, changed: bool | None, sent: bool = True) -> Generation:
    return Generation(
        f"gen_{at}", "prj", prompt, prompt, TurnState.DONE, "", None, True, None, None, None, changed, 100.0,
        50.0, at, at, route="agent" if sent else "cancel", sent_at=at if sent else None,
    )  # fmt: skip


NOW = read_timeline(timeline(15, ("cat",), ("Lo-fi Chill (free music)", 35), (("萌宠日", 0, 3),)).draft)


@pytest.mark.parametrize("later", ["还是改成15秒吧", "算了 还是改成15秒吧", "那就改成15秒"])
def test_a_length_asked_again_later_is_no_lack_of_the_earlier(later: str) -> None:
    earlier, again = _turn("做一个20秒的视频", 1.0, False), _turn(later, 2.0, True)
    assert asked.read(later).seconds == 15
    assert replies.earlier_unchanged([earlier], "zh", NOW, [earlier, again]) == []


@pytest.mark.parametrize("later", ["算了 音乐不换了", "音乐还是不换了", "音乐不换了 就这样 先别导出"])
def test_a_music_change_given_up_later_is_no_lack(later: str) -> None:
    earlier, withdrawn = _turn("换个音乐", 1.0, False), _turn(later, 2.0, None, sent=False)
    assert "music" in asked.withdrawn(asked._zh_gaps(later))
    assert replies.earlier_unchanged([earlier], "zh", NOW, [earlier, withdrawn]) == []


@pytest.mark.anyio
@pytest.mark.parametrize("change", ["音乐来点别的风格", "bgm来点别的"])
async def test_a_music_change_given_up_is_not_said_lacking_by_the_export(
    rich: Client, sim: Simulator, tmp_path: Path, change: str
) -> None:
    """A music change that changed nothing, then "算了 音乐不换了" (a cancel, nothing sent): the
    export said "这个文件里没有「音乐来点别的风格」要求的改动"."""
    await ask(rich, "upload", {"files": photo_files(tmp_path, "cat.jpg")})
    await ask(rich, "generate", {"prompt": "做一个6秒的视频，配点钢琴音乐"})
    unchanged = await ask(rich, "generate", {"prompt": change, "accept_cost": True})
    assert unchanged["timeline_changed"] is False, unchanged
    turns = len(requests_to(sim, "run_sse"))
    await ask(rich, "generate", {"prompt": "算了 音乐不换了"})
    assert len(requests_to(sim, "run_sse")) == turns
    out = await export_done(rich)
    assert change not in out["reply"], out["reply"]


@pytest.mark.anyio
async def test_the_same_file_after_edits_changed_back_never_says_the_timeline_never_changed(
    rich: Client, tmp_path: Path
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "cat.jpg")})
    await ask(rich, "generate", {"prompt": "做一个6秒的视频，配点音乐"})
    first = await export_done(rich)
    await ask(rich, "generate", {"prompt": "标题改成「萌宠日」"})
    await ask(rich, "generate", {"prompt": "标题改回「我的视频」"})
    again = await export_done(rich)
    assert again["path"] == first["path"], again
    assert "时间线没有变化" not in again["reply"] and "改回" in again["reply"], again["reply"]


@pytest.mark.anyio
async def test_two_versions_asked_with_the_export_held_never_offer_to_export_first(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "cat.jpg")})
    await ask(rich, "generate", {"prompt": "做一个6秒的视频，配点音乐"})
    out = await ask(rich, "generate", {"prompt": "做个竖版的 横版的也留着 先别导出"})
    assert out["status"] == "needs_confirmation" and len(requests_to(sim, "run_sse")) == 1, out
    assert "先导出" not in out["reply"], out["reply"]
    assert not any("调用 export" in s and "不要调用 export" not in s for s in out["next_steps"]), out
    assert all("不要调用 export" in s for s in out["next_steps"]), out
