"""Play-test 25 (简体): what a request asks is read whole and judged on the timeline.

F1. 「做成方形的」 then 「算了 还是横屏吧」: the square was replaced by the landscape asked after it;
    the export never says the file is "not square".
F2. 「做个视频 叫「小猫洗澡」」 names the video: never an on-screen title asked (nor missing), even
    when the request speaks of captions elsewhere.
F3. 「日落那张放最后」 that did not land, said after a quote, bare (「日落放最后」) or 「放到最后面去」:
    judged on the video track, never "can't be checked" nor left out.
F4. 「视频要15秒」 (after a quote, or 「我要15秒的视频」) on a 3 s timeline: not as asked, said.
F5. A caption at 0-3 s on a 3 s video is at its start: never said to be 「在结尾」.
F8. An export after a request that changed nothing, some of whose asks the file had already: never
    "this file has only part of what it asked" (read as done in part); what it lacks, and what no
    check reads, each said as such.
F7. 「注册好了」, 「等下」, 「再来一次」 beside an ask are remarks: never listed as "not checked".
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ai_video_music import replies
from ai_video_music.asked import Shape, read
from ai_video_music.records import TurnState
from ai_video_music.store import Generation
from ai_video_music.timeline import Timeline, read_timeline

from .conftest import kinds
from .test_play22_zh_checks import zh
from .timelines import checked, timeline

CATS = ("cat-before", "cat-bath", "cat-after")
PIANO = ("Calm Piano (free music)", 35)


def _tl(seconds: float = 15, size: tuple[int, int] = (1920, 1080), **kw: Any) -> Timeline:
    return read_timeline(timeline(seconds, kw.get("clips", CATS), PIANO, kw.get("texts", ()), size).draft)


def _gen(prompt: str, at: float, changed: bool, facts: dict[str, Any]) -> Generation:
    return Generation(
        f"gen_{at:g}", "prj", prompt, prompt, TurnState.DONE, "", None, True, None, None, None, changed,
        100.0, 50.0, at, at, route="agent", facts=json.dumps(facts),
    )  # fmt: skip


# --- F1: a frame asked, then another frame asked instead -----------------------------------------

SQUARE_MISSED = {"kind": "shape", "asked": "square", "width": 1920, "height": 1080}
WIDE_MET = {"kind": "shape", "asked": "horizontal", "width": 1920, "height": 1080}


@pytest.mark.parametrize("then", ["算了 还是横屏吧", "还是横屏吧", "不要方形了，用横屏", "改回横屏"])
def test_a_frame_asked_then_replaced_is_read(then: str) -> None:
    assert read(then).shape is Shape.HORIZONTAL


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("changed", [False, True])
@pytest.mark.parametrize("then", ["算了 还是横屏吧", "横屏就行"])
def test_a_frame_replaced_by_a_later_ask_is_no_miss_of_the_file(lang: str, changed: bool, then: str) -> None:
    """The export said the landscape file was "not square" after the user had asked for landscape."""
    first = "做成方形的 15秒" if changed else "做成方形的"
    square = _gen(first, 1, changed, {"not_as_asked": [SQUARE_MISSED]})
    wide = _gen(then, 2, False, {"as_asked": [WIDE_MET]})
    now = _tl()
    lacks = replies.file_lacks([wide, square], None, lang, now)  # the newest first
    said = " ".join(lack.line for lack in lacks.values())
    assert "方形" not in said and "square" not in said.casefold(), lacks
    earlier = replies.earlier_unchanged([square], lang, now, [wide, square])
    assert earlier == [], earlier


def test_a_frame_never_asked_again_is_still_a_miss() -> None:
    square = _gen("做成方形的", 1, False, {"not_as_asked": [SQUARE_MISSED]})
    music = _gen("音乐换成钢琴曲", 2, False, {})
    lacks = replies.file_lacks([music, square], None, "zh", _tl())
    assert "方形" in " ".join(lack.line for lack in lacks.values()), lacks


# --- F2: a name given with 叫「…」 ---------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "做个视频 叫「小猫洗澡」",
        "做个视频 叫「小猫洗澡」 加点字幕",  # new: text on screen spoken of elsewhere
        "做个视频 名字叫「小猫洗澡」 字幕用中文",  # new
        "帮我做个视频，就叫「小猫洗澡」，字幕大一点",  # new
    ],
)
def test_a_name_given_with_jiao_is_no_title_asked(prompt: str) -> None:
    """「小猫洗澡」 was reported as the title the user asked for on screen."""
    stated = read(prompt)
    assert stated.title is None and stated.named_only == "小猫洗澡", stated
    empty = timeline(0, (), None, (), (1920, 1080))
    for texts in ((), (("小猫洗澡", 0, 3),)):
        out = checked(empty, timeline(15, CATS, PIANO, texts), prompt, ([f"{c}.jpg" for c in CATS], 3))
        assert "title" not in kinds(out.get("as_asked")), out
        assert "quote_missing" not in kinds(out.get("not_as_asked")), out


@pytest.mark.parametrize(
    "prompt", ["标题叫「小猫洗澡」", "字幕就叫「小猫洗澡」", "视频叫「小猫洗澡」 标题也用这个名字"]
)
def test_a_title_called_so_is_still_a_title(prompt: str) -> None:
    assert read(prompt).title == "小猫洗澡"


# --- F3: an order that did not land ---------------------------------------------------------------

SUNSET = ("sunset", "cat-bath", "cat-after")


@pytest.mark.parametrize(
    "prompt",
    [
        "做个视频 叫「小猫洗澡」 日落那张放最后",
        "标题「小猫洗澡」 日落那张放最后",  # new: after a title
        "日落放最后",  # new: bare
        "日落那张放到最后面去",  # new
        "字幕「洗香香」 日落的照片放在最后",  # new
    ],
)
def test_an_order_that_did_not_land_is_said(prompt: str) -> None:
    """「日落那张放最后」 did not land and the answer called it unverifiable, or said nothing."""
    tl = timeline(15, SUNSET, PIANO, (("小猫洗澡", 0, 3),))
    out = checked(tl, tl, prompt)
    orders = [i for i in out.get("not_as_asked", []) if i["kind"] == "order"]
    assert [(i["where"], i["found"]) for i in orders] == [("last", "cat-after")], out
    assert not any("日落" in a for a in out.get("not_checked") or []), out
    assert "text_at" not in kinds(out.get("not_as_asked")), out  # the place is the photo's
    done = timeline(15, ("cat-bath", "cat-after", "sunset"), PIANO, (("小猫洗澡", 0, 3),))
    assert "order" in kinds(checked(tl, done, prompt).get("as_asked")), prompt


@pytest.mark.parametrize("prompt", ["我觉得放最后", "标题放最后", "音乐放最后"])
def test_no_photo_is_named_by_other_words_before_a_place(prompt: str) -> None:
    assert read(prompt).order == ()


# --- F4: a length said as 视频要N秒 ------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "做个视频 叫「小猫洗澡」 视频要15秒",
        "在结尾加上字幕「谢谢观看」 视频要15秒",  # new
        "我要15秒的视频",  # new
        "视频要十五秒的",  # new
    ],
)
def test_a_length_asked_and_not_made_is_said(prompt: str) -> None:
    """A 3 s video for 「视频要15秒」, and no answer said so."""
    assert read(prompt).seconds == 15, read(prompt)
    short = timeline(3, CATS, PIANO)
    out = checked(timeline(0, (), None), short, prompt)
    assert "seconds" in kinds(out.get("not_as_asked")), out
    said = zh(out.get("not_as_asked"))
    assert "15 秒" in said and "3 秒" in said, said


def test_a_time_after_a_quote_stays_the_quotes_own() -> None:
    assert read("「A」 15秒出现").text_time == (("A", 15.0),)


# --- F5: where a caption is, from the timeline --------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_caption_from_the_first_second_is_never_said_at_the_end(lang: str) -> None:
    """A 3 s video with 「谢谢观看」 at 0-3 s: the answer said it was 「在结尾」."""
    prompt = "在结尾加上字幕「谢谢观看」"
    tl = timeline(3, ("cat-bath",), None, (("谢谢观看", 0, 3),))
    out = checked(timeline(3, ("cat-bath",)), tl, prompt)
    assert "text_at" not in kinds(out.get("as_asked")), out
    said = " ".join(replies.not_met_lines(out.get("not_as_asked"), lang))  # type: ignore[arg-type]
    assert "0-3" in said, out
    at_end = timeline(15, CATS, None, (("谢谢观看", 12, 15),))
    assert "text_at" in kinds(checked(timeline(15, CATS), at_end, prompt).get("as_asked"))


# --- F7: remarks beside an ask --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "kind"),
    [
        ("注册好了 做个15秒的视频", "seconds"),
        ("等下 音乐换成钢琴曲", None),
        ("再来一次 日落那张放最后", "order"),
        ("我充值好了，视频要15秒", "seconds"),  # new
        ("等一会 改成横屏", "shape"),  # new
        ("好了 重来一次，日落那张放最后", "order"),  # new
    ],
)
def test_a_remark_beside_an_ask_is_no_unchecked_ask(prompt: str, kind: str | None) -> None:
    """「注册好了」, 「等下」 and 「再来一次」 were listed as asks that can't be checked."""
    tl = timeline(15, SUNSET, PIANO, (("小猫洗澡", 0, 3),))
    out = checked(tl, tl, prompt)
    assert out.get("not_checked") is None, out
    if kind is not None:
        assert kind in kinds(out.get("as_asked")) + kinds(out.get("not_as_asked")), out


def test_an_ask_beside_a_remark_is_still_listed() -> None:
    tl = timeline(15, SUNSET, PIANO)
    assert checked(tl, tl, "等下 画面亮一点").get("not_checked") == ["画面亮一点"]


# --- F8: a request that changed nothing is never "partly" in the file -----------------------------


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("视频要15秒 日落那张放最后", ["没有改动时间线", "日落", "cat-after"]),
        ("视频要15秒 配点轻松的音乐", ["没有改动时间线", "无法核对", "配点轻松的音乐"]),  # new
        ("视频要15秒 日落那张放最后 配点轻松的音乐", ["日落", "无法核对", "配点轻松的音乐"]),  # new
    ],
)
def test_a_request_that_changed_nothing_is_never_said_partly_in_the_file(
    prompt: str, said: list[str]
) -> None:
    """The export said the file had 「一部分」 of a request that changed nothing."""
    state = timeline(15, SUNSET, PIANO)
    now = read_timeline(state.draft)
    gen = _gen(prompt, 1, False, checked(state, state, prompt))  # what its answer said
    for lang, partly in (("zh", "一部分"), ("en", "part of")):
        lacks = replies.file_lacks([gen], None, lang, now)  # type: ignore[arg-type]
        line = lacks[gen.id].line
        assert partly not in line, line
        if lang == "zh":
            assert all(word in line for word in said), line
        earlier = replies.earlier_unchanged([gen], lang, now, [gen])  # type: ignore[arg-type]
        assert earlier and all(partly not in lack.line for lack in earlier), earlier
