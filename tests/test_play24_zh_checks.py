"""Play-test 24 (简体): what a request asks is read whole and judged on the timeline.

F1. 「改短到8秒 「青岛三日」第2秒出现」: 改短到N秒 asks a length, and a quote after a length said
    whole opens the next ask; never "请求没有要求改时长" when the length asked was made.
F2. 「把演奏会那个视频改短到10秒」, 「画面改成1:1正方形 1080x1080」: the length and the frame are
    checked (as asked, or not), never "无法对照时间线核实".
F3. 「…标题「A」 city-lights那张放第一个」: a photo's name after a quote, with no comma, opens an
    order that is judged on the video track.
F4. 「在第6秒加上字幕「翻新后」」: a text put at a point is checked against where it starts.
F5. An export after 「再出一个方形1:1的发朋友圈，竖的那个要留着」 (which changed nothing; a later request
    made the square): keeping the earlier vertical file is no part this file lacks.
F6. 「音乐换回刚才那个lofi的」: a track asked back is another track asked; the music left as it was
    is said, never only "can't be checked".
F7. 「…用我上传的花束照片 标题叫「初夏花束」 配轻快一点的音乐…」: every upload on the video track is
    as asked (never "can't be checked"), and the music's mood after a quote is listed as unchecked.
"""

from __future__ import annotations

from typing import Any

import pytest

from ai_video_music import replies
from ai_video_music.asked import read
from ai_video_music.timeline import read_timeline
from ai_video_music.turns import compare

from .conftest import kinds
from .test_play22_zh_checks import state, zh
from .test_play23_en_checks import _unchanged

TRIP = ("beach", "city-lights", "forest", "sunrise")
PIANO = ("Calm Piano (free music)", 35)
PROJECTS = ("初夏花束", "朵朵的第一次演奏会", "视频 3", "青岛三日")


def facts(before: Any, after: Any, prompt: str) -> dict[str, Any]:
    out = compare(before, after, prompt, None, PROJECTS)
    assert out is not None
    return out[1]


def tl(
    seconds: float = 30,
    clips: tuple[str, ...] = TRIP,
    texts: tuple[tuple[str, float, float], ...] = (("我的视频", 0, 3),),
    size: tuple[int, int] = (1920, 1080),
) -> Any:
    return state(seconds, clips, PIANO, texts, size)


def unchecked(out: dict[str, Any]) -> str:
    return " ".join(out.get("not_checked") or [])


# --- F1, F2: a length said as 改短到N秒 ------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "seconds"),
    [
        ("改短到8秒 「青岛三日」第2秒出现", 8),
        ("把演奏会那个视频改短到10秒", 10),
        ("视频改长到20秒吧", 20),  # new: the other way
        ("把这个视频变短到12秒", 12),  # new: 变短到
        ("改短到十秒 「开业大吉」第3秒出现", 10),  # new: Chinese numerals, another quote
    ],
)
def test_a_length_said_as_shortened_to_is_checked(prompt: str, seconds: float) -> None:
    """Call 44: 「请求没有要求改时长，但视频从 30 秒变成了 8 秒」 for a length the user asked."""
    assert read(prompt).seconds == seconds
    done = facts(tl(30), tl(seconds), prompt)
    assert "seconds" in kinds(done.get("as_asked")), done
    said = zh(done.get("not_as_asked"))
    assert "改时长" not in said and "没有要求" not in said, done
    assert not any(w in unchecked(done) for w in ("改短", "改长", "变短")), done
    missed = facts(tl(30), tl(30), prompt)  # the length did not change: said, with both numbers
    assert "seconds" in kinds(missed.get("not_as_asked")), missed
    said = zh(missed.get("not_as_asked"))
    assert f"{seconds:g} 秒" in said and "30 秒" in said, missed


def test_the_title_time_after_a_length_is_still_checked() -> None:
    prompt = "改短到8秒 「青岛三日」第2秒出现"
    out = facts(tl(30), tl(8, texts=(("青岛三日", 0, 3),)), prompt)
    assert "seconds" in kinds(out.get("as_asked")), out
    assert "第 2 秒" in zh(out.get("not_as_asked")) and "时长" not in zh(out.get("not_as_asked")), out


# --- F2: a frame with its size said after it -------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "size"),
    [
        ("画面改成1:1正方形 1080x1080", (1080, 1080)),
        ("改成正方形 1080×1080", (1080, 1080)),  # new: the × sign
        ("做成竖屏 1080x1920", (1080, 1920)),  # new: another frame
    ],
)
def test_a_frame_and_its_size_are_checked(prompt: str, size: tuple[int, int]) -> None:
    """Call 17: 1080x1080 was made and the answer said 「无法对照时间线核实」."""
    done = facts(tl(size=(1920, 1080) if size != (1920, 1080) else (1080, 1080)), tl(size=size), prompt)
    assert "shape" in kinds(done.get("as_asked")), done
    assert not unchecked(done), done
    missed = facts(tl(size=(1920, 1080)), tl(size=(1920, 1080)), prompt)
    assert "shape" in kinds(missed.get("not_as_asked")), missed


def test_a_frame_and_a_size_that_disagree_are_no_frame_asked() -> None:
    assert read("改成竖屏 1080x1080").shape is None


# --- F3: an order after a quote, with no comma -----------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "word", "where"),
    [
        (
            "横屏16:9 20秒 配钢琴曲 音量20% 标题「朵朵的第一次演奏会」 city-lights那张放第一个",
            "city-lights",
            "first",
        ),
        ("标题改成「周末愉快」 sunrise放最后", "sunrise", "last"),  # new
        ("字幕「海边的一天」 forest.jpg放开头", "forest", "first"),  # new: a file's name
    ],
)
def test_an_order_after_a_quote_is_judged(prompt: str, word: str, where: str) -> None:
    """Call 11: city-lights stayed second and the order was filed as can't be checked."""
    assert [(w.removesuffix(".jpg"), p) for w, p in read(prompt).order] == [(word, where)]
    clips = ("beach", "city-lights") if word == "city-lights" else ("sunrise", "beach", "forest")
    out = facts(tl(clips=clips), tl(clips=clips), prompt)
    assert "order" in kinds(out.get("not_as_asked")), out
    assert word not in unchecked(out), out


# --- F4: a text put at a point ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "text", "at"),
    [
        ("在第6秒加上字幕「翻新后」", "翻新后", 6),
        ("第3秒的时候打上标题「开业大吉」", "开业大吉", 3),  # new
        ("在5秒处放上文字「谢谢观看」", "谢谢观看", 5),  # new
    ],
)
def test_a_text_put_at_a_point_is_checked_where_it_starts(prompt: str, text: str, at: float) -> None:
    """Call 30: 「翻新后」 was at 0-3 s, asked at 6 s, and the answer said it can't be checked."""
    assert read(prompt).text_time == ((text, at),)
    wrong = facts(tl(12), tl(12, texts=((text, 0, 3),)), prompt)
    assert f"第 {at:g} 秒" in zh(wrong.get("not_as_asked")), wrong
    assert text not in unchecked(wrong), wrong
    right = facts(tl(12), tl(12, texts=((text, at, at + 3),)), prompt)
    assert f"第 {at:g} 秒" not in zh(right.get("not_as_asked")), right


@pytest.mark.parametrize(
    "prompt", ["加一个6秒的字幕「翻新后」", "前3秒加字幕「翻新后」", "每张3秒 加上字幕「翻新后」"]
)
def test_a_text_for_a_time_is_no_text_at_a_point(prompt: str) -> None:
    assert read(prompt).text_time == ()


# --- F6: a track asked back -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "把标题改回「初夏花束」 音乐换回刚才那个lofi的 音量30%",
        "配乐改回之前那首",  # new
        "背景音乐用回第一版的钢琴曲",  # new
    ],
)
def test_music_asked_back_and_left_as_it_was_is_said(prompt: str) -> None:
    """Call 8: the BGM stayed "Upbeat Pop" and the answer only said the ask can't be checked."""
    pop = ("Upbeat Pop (free music)", 30)
    before = state(15, TRIP, pop, (("初夏花束", 0, 3),), (1080, 1920))
    out = facts(before, before, prompt)
    assert "same_music" in kinds(out.get("not_as_asked")), out
    assert "Upbeat Pop" in zh(out.get("not_as_asked")), out
    lofi = state(15, TRIP, ("Lo-fi Chill (free music)", 30), (("初夏花束", 0, 3),), (1080, 1920))
    changed = facts(before, lofi, prompt)
    assert "same_music" not in kinds(changed.get("not_as_asked")), changed


# --- F7: the uploads asked for as a whole; a music mood after a quote -------------------------------

FLOWERS = (["flowers1.jpg", "flowers2.jpg"], 2)


@pytest.mark.parametrize(
    "prompt",
    [
        "做个15秒的竖屏9:16视频 用我上传的花束照片 标题叫「初夏花束」 配轻快一点的音乐 音量30%",
        "用我的照片做个视频 标题「花」",  # new
        "make a video from the photos I uploaded, title 'Flowers'",  # new: the same rule in English
    ],
)
def test_every_upload_on_the_track_is_as_asked(prompt: str) -> None:
    """Call 2: both photos were on the video track and the answer said it can't be checked."""
    made = state(15, ("flowers1", "flowers2"), ("Lo-fi Chill (free music)", 30), (), (1080, 1920))
    out = compare(state(0, (), None, (), (1080, 1920)), made, prompt, FLOWERS, PROJECTS)
    assert out is not None
    facts_ = out[1]
    used = [i for i in facts_.get("as_asked", []) if i["kind"] == "clips_used"]
    assert used and set(used[0]["names"]) == {"flowers1", "flowers2"}, facts_
    assert not any("照片" in a or "photos" in a for a in facts_.get("not_checked") or []), facts_


@pytest.mark.parametrize(
    "prompt", ["只用我上传的第一张照片", "just use one of my photos", "用我的照片做个视频"]
)
def test_a_part_of_the_uploads_or_one_left_off_is_never_all_as_asked(prompt: str) -> None:
    made = state(15, ("flowers1",), ("Lo-fi Chill (free music)", 30), (), (1080, 1920))
    out = compare(state(0, (), None, (), (1080, 1920)), made, prompt, FLOWERS, PROJECTS)
    assert out is not None
    assert "clips_used" not in kinds(out[1].get("as_asked")), out[1]


def test_a_music_mood_after_a_quote_is_listed_as_unchecked() -> None:
    prompt = "做个15秒的竖屏9:16视频 用我上传的花束照片 标题叫「初夏花束」 配轻快一点的音乐 音量30%"
    made = state(
        15, ("flowers1", "flowers2"), ("Lo-fi Chill (free music)", 30), (("初夏花束", 0, 3),), (1080, 1920)
    )
    out = compare(state(0, (), None, (), (1080, 1920)), made, prompt, FLOWERS, PROJECTS)
    assert out is not None
    assert "配轻快一点的音乐" in (out[1].get("not_checked") or []), out[1]


# --- F5: keeping the earlier file is nothing this file lacks ----------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "prompt",
    [
        "再出一个方形1:1的发朋友圈，竖的那个要留着",
        "再做个方形的 横版那个也保留",  # new
        "make a square one too, keep the vertical one",  # new: the same rule in English
    ],
)
def test_keeping_the_earlier_file_is_no_part_the_file_lacks(prompt: str, lang: str) -> None:
    """Call 36: the file was 1080x1080 as asked and not_in_file listed 「竖的那个要留着」."""
    square = read_timeline(state(15, TRIP, PIANO, (("初夏花束", 0, 3),), (1080, 1080)).draft)
    gen = _unchanged(prompt)
    assert replies.earlier_unchanged([gen], lang, square, []) == [], prompt
    assert replies.file_lacks([gen], None, lang, square) == {}, prompt
    wide = read_timeline(state(15, TRIP, PIANO, (("初夏花束", 0, 3),), (1920, 1080)).draft)
    lines = replies.earlier_unchanged([gen], lang, wide, [])  # no square made: that is said
    assert len(lines) == 1 and "1920x1080" in lines[0].line, lines
    assert "无法核对" not in lines[0].line and "no check can tell" not in lines[0].line, lines


@pytest.mark.parametrize(
    ("prompt", "text_at", "text_span"),
    [
        ("前3秒 「开业大吉」", (("开业大吉", "start"),), ()),
        ("0到5秒 「装修前」", (), (("装修前", 0.0, 5.0),)),
        ("0秒到10秒 「装修前」", (), (("装修前", 0.0, 10.0),)),
    ],
)
def test_a_span_before_a_quote_stays_the_quotes_own(prompt: str, text_at: Any, text_span: Any) -> None:
    """A quote after a length said whole opens the next ask (F1), never one after a span."""
    got = read(prompt)
    assert (got.text_at, got.text_span, got.seconds) == (text_at, text_span, None), got
