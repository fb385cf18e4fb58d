"""Play-test 20 (简体, a pet-grooming shop): what a request asks is read and checked, however a
Chinese user runs the asks together.

1. An order said as 「以X开头」, 「X开头」, 「X放最后(一个)」, with a file's name (「sunrise.jpg」), two
   or more in one unpunctuated sentence beside a length, a frame or a volume, is checked against
   the video track, never left "can't be checked" while the track shows the reverse.
3. 「百分之二十」 is 20%, and 「还是20秒」/"keep it at 20 seconds" a length, both checked.
4. A caption asked to appear at a time (「「洗澡前」改到第1秒出现」, "show 'Before' at 1s") is checked
   against where it starts, never "the timeline has 「洗澡前」" with the time left unchecked.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ai_video_music import replies
from ai_video_music.asked import read
from ai_video_music.models import SessionState

from .conftest import kinds
from .timelines import checked as facts
from .timelines import timeline

PROMO = ("city-lights.jpg", "beach.jpg", "sunrise.jpg")


def state(
    seconds: float = 20,
    texts: tuple[tuple[str, float, float], ...] = (),
    volume: int = 35,
    size: tuple[int, int] = (1080, 1920),
    clips: tuple[str, ...] = PROMO,
) -> SessionState:
    return timeline(seconds, clips, ("Upbeat Pop (free music)", volume), texts, size)


# --- 1. an order said the way Chinese users type it ---------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "做个20秒的竖版宣传片 以sunrise那张开头 city-lights放最后",
        "把sunrise.jpg放第一个 city-lights.jpg放最后一个 背景音乐音量35%",
        "sunrise开头 city-lights最后",
        "以 sunrise 开头 city-lights.jpg放最后",
        "sunrise.jpg first and city-lights.jpg last",
        "Start with sunrise.jpg, city-lights.jpg last.",
    ],
)
def test_an_order_the_track_reverses_is_not_as_asked_never_unchecked(prompt: str) -> None:
    """Calls 2-4 and 22-23: the order went into not_checked while city-lights still opened."""
    reversed_ = state()
    out = facts(reversed_, reversed_, prompt)
    orders = [i for i in out.get("not_as_asked", []) if i["kind"] == "order"]
    assert len(orders) == 2, out
    assert {o["where"] for o in orders} == {"first", "last"}, orders
    assert out.get("not_checked", []) == [], out
    done = state(clips=("sunrise.jpg", "beach.jpg", "city-lights.jpg"))
    met = facts(reversed_, done, prompt)
    assert "order" not in kinds(met.get("not_as_asked")), met
    assert met.get("not_checked", []) == [], met


def test_the_length_and_frame_beside_an_order_are_checked() -> None:
    """Call 4: 20秒 and 竖版 were met, and listed as unverifiable with the order."""
    tl = state()
    prompt = "做个20秒的竖版宣传片 以sunrise那张开头 city-lights放最后 标题写「毛孩子SPA宠物美容」"
    out = facts(tl, tl, prompt)
    assert {"seconds", "shape"} <= set(kinds(out.get("as_asked"))), out
    assert not any("20秒" in item for item in out.get("not_checked", [])), out


# --- 3. a level in Chinese numerals, a length asked to stay -------------------------------------


@pytest.mark.parametrize(
    ("prompt", "level"),
    [("音乐调到百分之二十", 20), ("背景音乐音量百分之五十", 50), ("音乐调到百分之35", 35)],
)
def test_a_level_in_chinese_numerals_is_checked(prompt: str, level: float) -> None:
    """Calls 8, 14, 21: 「音乐调到百分之二十」 was unchecked while 「音量20%」 was verified."""
    at = facts(state(), state(volume=int(level)), prompt)
    assert "volume_at" in kinds(at.get("as_asked")) and at.get("not_checked", []) == [], at
    other = 35 if level != 35 else 20
    off = facts(state(volume=other), state(volume=other), prompt)
    assert "volume_at" in kinds(off.get("not_as_asked")) and off.get("not_checked", []) == [], off


@pytest.mark.parametrize(
    "prompt", ["还是20秒", "保持20秒", "仍然20秒", "长度保持20秒不变", "keep it at 20 seconds", "still 20s"]
)
def test_a_length_asked_to_stay_is_checked(prompt: str) -> None:
    """Call 30: 「还是20秒」 went to not_checked though the timeline was 20 s."""
    kept = facts(state(), state(), prompt)
    assert "seconds" in kinds(kept.get("as_asked")) and kept.get("not_checked", []) == [], kept
    cut = facts(state(), state(seconds=1), prompt)
    assert "seconds" in kinds(cut.get("not_as_asked")), cut


# --- 4. a caption asked at a time ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "text", "at"),
    [
        ("「洗澡前」改到第1秒出现", "洗澡前", 1),
        ("字幕「洗澡前」在1秒的时候出现", "洗澡前", 1),
        ("第8秒出现「洗澡后」", "洗澡后", 8),
        ("show 'Before' at 1s", "Before", 1),
        ("'After' at the 8 second mark", "After", 8),
        ("move 'Before' to 1s", "Before", 1),
        ("总长度要15秒 字幕「洗澡前」在1秒的时候出现 「洗澡后」在8秒的时候出现", "洗澡后", 8),
    ],
)
def test_a_caption_asked_at_a_time_is_checked_where_it_starts(prompt: str, text: str, at: float) -> None:
    """Calls 17-18: 「洗澡前」 sat at 0-3 s; the answer said "时间线上有「洗澡前」", 1 s unchecked."""
    assert (text, at) in read(prompt).text_time, read(prompt)
    elsewhere = state(texts=((text, at + 3, at + 5),))
    out = facts(elsewhere, elsewhere, prompt)
    wrong = [i for i in out.get("not_as_asked", []) if i["kind"] == "text_time" and i["name"] == text]
    assert wrong and wrong[0]["found"] == at + 3, out
    assert not any(i.get("name") == text for i in out.get("as_asked", [])), out
    assert not any(text in item for item in out.get("not_checked", [])), out
    lines = replies.not_as_asked(SimpleNamespace(fact_map=out), "zh")  # type: ignore[arg-type]
    assert any(f"第 {at + 3:g} 秒开始" in line and text in line for line in lines), lines
    there = state(texts=((text, at, at + 2),))
    done = facts(elsewhere, there, prompt)
    assert any(i["kind"] == "text_time" and i["name"] == text for i in done.get("as_asked", [])), done


@pytest.mark.parametrize(
    "prompt",
    [
        "「洗澡前」放在第3到6秒",
        "前3秒显示「洗澡前」",
        "show 'Before' from 3 to 6 s",
        "'Before' for 3 seconds",
    ],
)
def test_a_span_is_no_start_time(prompt: str) -> None:
    assert read(prompt).text_time == (), read(prompt)


def test_a_run_on_edit_with_an_order_and_a_level_in_words_is_checked() -> None:
    """Call 5: 「我要sunrise开头 city-lights最后 … 调到百分之二十」: order and level unchecked."""
    prompt = "顺序反了吧 我要sunrise开头 city-lights最后 帮我调过来 音乐也小声点 调到百分之二十"
    tl = state()
    out = facts(tl, tl, prompt)
    assert kinds(out.get("not_as_asked")).count("order") == 2, out
    assert "volume_at" in kinds(out.get("not_as_asked")), out
    assert not any("sunrise" in item or "百分之" in item for item in out.get("not_checked", [])), out


# --- play21zh: a total length, and a frame and length after a quoted name ------------------------


@pytest.mark.parametrize("prompt", ["每张3秒 一共6秒 开头标题「学员作品集」", "总共6秒就行"])
def test_a_total_length_is_checked(prompt: str) -> None:
    """play21zh: 「一共6秒」 sat in not_checked while the answer itself said the video was 1 s."""
    cut = facts(state(seconds=6), state(seconds=1), prompt)
    assert "seconds" in kinds(cut.get("not_as_asked")), cut
    assert not any("6秒" in item for item in cut.get("not_checked", [])), cut


def test_a_frame_and_length_after_a_quoted_name_are_checked() -> None:
    """play21zh: 「叫「春季新品」 竖屏 15秒左右」 went wholly to not_checked though both were met."""
    tl = state(seconds=15)
    out = facts(tl, tl, "用这两张做个新品短视频 叫「春季新品」 竖屏 15秒左右 音乐轻快点")
    assert {"seconds", "shape"} <= set(kinds(out.get("as_asked"))), out
    assert not any("竖屏" in item or "15秒" in item for item in out.get("not_checked", [])), out
