"""Play-test 29 (中文, a watch repairer's three videos): a question wrapped in a pause word or
followed by a remark was sent to the paid agent as an edit, and was charged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.asked import read, unasked, wanted_quotes
from ai_video_music.config import Settings
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.timeline import Segment, Timeline, Track, aspect_ratio
from ai_video_music.tools import create_server
from ai_video_music.unchecked import not_checked

from .conftest import ask, requests_to


@pytest.mark.parametrize(
    ("prompt", "actions"),
    [
        # F7: a licence question between a pause word and a remark (sent, 50 credits)
        ("等下 这个bgm能商用吗 我抖音要挂小黄车的", {Action.ASK}),
        ("这个bgm能商用吗 我抖音要挂小黄车的", {Action.ASK}),
        # F15: how loud the music is, then how it sounds to them (sent as "louder", 50 credits)
        ("等等 现在bgm多大声 我耳机里听着有点小", {Action.STATUS}),
        ("现在bgm多大声", {Action.STATUS}),
        # F17: a yes/no question that ends in 吧, then a remark (sent, 50 credits)
        ("诶 现在是横屏的吧 我记得是", {Action.STATUS, Action.ASK}),
        ("现在是竖屏的对吧", {Action.STATUS, Action.ASK}),
        # F13: the length and the frame, both on the timeline: free, never a paid question
        ("现在这个多长来着 是竖屏吗", {Action.STATUS}),
        # p2 call 21: 啥 asks as 什么 does (sent as an edit, 50 credits); "加点啥", "啥都行" don't ask
        ("标题现在是啥来着", {Action.STATUS}),
        ("现在用的啥音乐", {Action.STATUS}),
        ("随便加点啥", {Action.AGENT}),
        ("换个啥都行 别用钢琴", {Action.AGENT}),
        # still requests: an instruction beside a question, a suggestion ending in 吧
        ("加个字幕 这个bgm能商用吗", {Action.AGENT}),
        ("换成横屏吧", {Action.AGENT}),
        ("bgm大声点 我耳机里听着有点小", {Action.AGENT}),
        ("时长改成12秒 先别导出哈", {Action.AGENT}),
    ],
)
def test_a_question_beside_a_pause_word_or_a_remark_is_still_a_question(
    prompt: str, actions: set[Action]
) -> None:
    assert route(prompt).action in actions, route(prompt)


@pytest.mark.anyio
@pytest.mark.priced
@pytest.mark.parametrize(
    "prompt", ["等下 这个bgm能商用吗 我抖音要挂小黄车的", "诶 现在是横屏的吧 我记得是", "标题现在是啥来着"]
)
async def test_a_wrapped_question_spends_nothing(
    settings: Settings, sim: Simulator, image: Path, prompt: str
) -> None:
    """F7/F17/F20: each of these was sent to the agent and charged 50 credits, no one having agreed."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "做一个6秒的横屏视频"})
        assert made["status"] == "done", made
        turns = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": prompt})
        assert out["status"] in ("needs_confirmation", "done"), out
        assert len(requests_to(sim, "run_sse")) == turns, "nothing was sent to the paid agent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"


def _tl(music: str, title: str, seconds: float = 15.0) -> Timeline:
    half = seconds / 2
    clips = [Segment("beach", 0, half, None), Segment("city-lights", half, seconds, None)]
    video = Track("video", "", clips, 2)
    tracks = [video, Track("audio", "", [Segment(music, 0, seconds, 35.0)], 1)]
    tracks.append(Track("text", "", [Segment(title, 0, 3, None)], 1))
    return Timeline(tuple(tracks), 3, seconds, 1920, 1080, aspect_ratio(1920, 1080))


@pytest.mark.parametrize(
    "prompt",
    [
        "字幕「感谢老顾客」放最后三秒 bgm换成老上海那种爵士",  # F6: "bgm" right before Chinese words
        "字幕「感谢老顾客」放最后三秒 换个jazz",
        "标题改成「十年匠心」 把lofi换掉",
    ],
)
def test_music_named_in_english_inside_chinese_is_music_asked_for(prompt: str) -> None:
    """F6: "请求没有提到音乐，但音乐被换了" was said of a request that said "bgm换成…": an English word
    beside Chinese ones has no word boundary to a regex, so it went unread."""
    before = _tl("Lo-fi Chill (free music)", "周记钟表十年")
    after = _tl("Calm Piano (free music)", "周记钟表十年")
    assert [c for c in unasked(prompt, before, after) if c["kind"] == "music_unasked"] == []
    # the same change beside a request of the title alone is still said as unasked
    assert [c["kind"] for c in unasked("标题改成「十年匠心」", before, after)] == ["music_unasked"]


def test_a_project_name_quoted_as_the_title_beside_another_quote_is_checked() -> None:
    """F8: "开头标题还是「周记钟表十年」 「感谢老顾客」放最后3秒": the title (also the project's name)
    was nowhere on the timeline, yet the answer said only the length was not as asked: with the
    second quote in the same clause, the name was read as the project the words go to."""
    prompt = "时长改回15秒 开头标题还是「周记钟表十年」 「感谢老顾客」放最后3秒"
    projects = ("周记钟表十年", "老周修表")
    assert wanted_quotes(prompt, read(prompt), projects) == ["周记钟表十年", "感谢老顾客"]
    # a project's name the words only go to is still no text asked for
    going = "回到「周记钟表十年」 加上「感谢老顾客」"
    assert wanted_quotes(going, read(going), projects) == ["感谢老顾客"]


@pytest.mark.parametrize(
    ("prompt", "aside"),
    [
        ("停 先别导了 停止", ()),  # F12: "停" was quoted back as maybe an edit to send (~50 credits)
        ("等下 先别导了", ()),  # "wait" beside a hold: no words left unsent
        ("停止 音乐还没去掉", ("音乐还没去掉",)),  # what is still wrong is still said back
    ],
)
def test_a_stop_or_wait_word_beside_a_cancel_or_hold_is_no_unsent_edit(
    prompt: str, aside: tuple[str, ...]
) -> None:
    assert route(prompt).aside == aside, route(prompt)


@pytest.mark.parametrize(
    ("prompt", "level", "order"),
    [
        # after a level, a space and a photo's name glued to its ask: both asks are checked (the
        # answer said only "nothing changed", neither the 20% nor sunrise first as not as asked)
        ("拆一块老上海那个 音量调到百分之二十 sunrise放第一个", 20.0, (("sunrise", "first"),)),
        ("音量调到20% sunrise放第一个", 20.0, (("sunrise", "first"),)),
        ("对 音乐调到15 sunrise放到最后 再来一次", None, (("sunrise", "last"),)),  # F4
    ],
)
def test_a_photo_named_after_a_level_opens_its_own_ask(
    prompt: str, level: float | None, order: tuple[tuple[str, str], ...]
) -> None:
    stated = read(prompt)
    assert (stated.music_at, stated.order) == (level, order), stated


def test_a_length_asked_in_pinyin_is_a_length_asked() -> None:
    """p2 call 23: "shichang改成10miao" (时长改成10秒, the keyboard left in pinyin) was answered
    "请求没有要求改时长" when the video went from 15 s to 3 s: the length was asked, and is now
    checked (10 s asked, 3 s found), never said to be unasked."""
    prompt = "shichang改成10miao 标题往后挪到最后三秒"
    assert read(prompt).seconds == 10.0
    before, after = (
        _tl("Calm Piano (free music)", "拆一块老上海"),
        _tl("Calm Piano (free music)", "拆一块老上海", 3.0),
    )
    assert [c for c in unasked(prompt, before, after) if c["kind"] == "length_unasked"] == []
    assert read("yinliang调到10%").music_at == 10.0  # 音量 in pinyin (play29zh F11)
    assert read("把zimu.jpg放最后").order == (("zimu.jpg", "last"),)  # a file's name stays a file's


@pytest.mark.parametrize(
    ("prompt", "listed"),
    [
        # F5: what the video is for, said of it, is no ask to list as "not checked"
        ("这个是店里十周年的 叫「周记钟表十年」 横屏 15秒 bgm来点复古的", ["bgm来点复古的"]),
        # F10: "新视频" was carried out before the request was sent
        ("新视频 招学徒用的 bgm来点复古的", ["招学徒用的", "bgm来点复古的"]),
        # F4: a bare yes before the ask
        ("对 bgm来点复古的", ["bgm来点复古的"]),
        ("这个是横屏的 加个转场", ["加个转场"]),
    ],
)
def test_a_yes_a_new_video_or_what_the_video_is_is_not_listed_as_unchecked(
    prompt: str, listed: list[str]
) -> None:
    video = Track("video", "", [Segment("beach", 0, 15, None)], 1)
    tl = Timeline((video,), 1, 15.0, 1920, 1080, aspect_ratio(1920, 1080))
    assert not_checked(prompt, tl) == listed


@pytest.mark.anyio
async def test_an_export_asked_after_a_hold_ends_it_even_when_it_is_the_same_file(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """F22: after "先别导出", the user asked for the export; the unchanged timeline handed the same
    file over again, and status still said not to export until the user asks for the file."""
    async with Client(create_server(settings)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "做一个6秒的视频"})
        assert made["status"] == "done", made
        first = await ask(client, "export")
        assert first["status"] == "done", first
        held = await ask(client, "generate", {"prompt": "先别导出"})
        assert held["action"] == "held", held
        held_step = held["next_steps"][-1]
        assert held_step in (await ask(client, "status"))["next_steps"]
        again = await ask(client, "export")  # the user asks for the video after all
        assert again["status"] == "done" and again["path"] == first["path"], again
        assert held_step not in (await ask(client, "status"))["next_steps"]


@pytest.mark.anyio
@pytest.mark.priced
async def test_keeping_the_square_one_beside_a_vertical_one_is_asked_first(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """F16: "再出一个竖屏版的 方的那个也要留着": 方的 (the square one) was not read as a frame to keep,
    so a square video never exported would have been replaced by the vertical one, unasked; with
    it read, nothing is sent until the user chooses (export the square one first, or a new project)."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "做一个6秒的方形视频"})
        assert made["status"] == "done", made
        turns = len(requests_to(sim, "run_sse"))
        out = await ask(client, "generate", {"prompt": "再出一个竖屏版的 方的那个也要留着 发视频号用"})
        assert out["status"] == "needs_confirmation", out
        assert len(requests_to(sim, "run_sse")) == turns, "the square video was not replaced unasked"


@pytest.mark.parametrize(("prompt", "level"), [("bgm 音量调到10%", 10.0), ("BGM 的音量调到15%", 15.0)])
def test_a_level_after_bgm_and_a_space_is_the_musics_level(prompt: str, level: float) -> None:
    """F11: "bgm 音量调到10%" (a space after bgm, as typed beside Chinese) was never read, so never
    checked."""
    assert read(prompt).music_at == level
