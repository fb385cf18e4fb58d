"""Play-test 23 (简体): what a request asks is judged on the timeline, in the user's words.

F2. 「标题改成「A」 “我的视频”太土了」: the quote the user wants gone is never "asked to be there".
F3. An order said as 放开头 / 放第一个 / 要第一个出现 / 第一张换成X, or with the file's name in
    brackets after the photo's (「日出那张(sunrise.jpg)放开头」), is judged on the video track.
F6. 「做个抖音用的竖屏」: the frame is checked (the platform said before it, not after).
F7. 「毕业旅行那个做吧」 (the video named, go ahead) and 「那个视频太长了」 beside a length checked
    are no asks: never "can't be checked". Nor is a liking said as a reason (「夜景收尾好看」).
F8. 「再弄个方形的 竖的那个也要留着」 with no new frame made: only the frame not made is said.
"""

from __future__ import annotations

from typing import Any

import pytest

from ai_video_music.asked import read
from ai_video_music.turns import compare

from .conftest import kinds
from .test_play22_zh_checks import state

TRIP = ("beach", "city-lights", "forest", "sunrise")
BAKE = ("caomei_cake1", "choco", "bread")
PIANO = ("Calm Piano (free music)", 35)
PROJECTS = ("甜心烘焙 新品上市", "毕业旅行2026", "新店面对比")


def facts(before: Any, after: Any, prompt: str) -> dict[str, Any]:
    out = compare(before, after, prompt, None, PROJECTS)
    assert out is not None
    return out[1]


def trip(title: str = "我的视频", clips: tuple[str, ...] = TRIP, seconds: float = 30) -> Any:
    return state(seconds, clips, PIANO, ((title, 0, 3),), (1920, 1080))


# --- F2: a quoted text the user dislikes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "old", "new"),
    [
        ("标题改成「毕业快乐 我们的2026」 “我的视频”太土了", "我的视频", "毕业快乐 我们的2026"),
        ("标题换成「开业大吉」，「新店」这个标题有点土", "新店", "开业大吉"),
        ("change the title to 'Class of 2026', 'My video' is so cheesy", "My video", "Class of 2026"),
    ],
)
def test_a_quote_the_user_dislikes_is_one_to_go_never_one_missing(prompt: str, old: str, new: str) -> None:
    """Call: 「与要求不符：请求要的「我的视频」没有出现在时间线上」 and a paid fix offered."""
    assert old in read(prompt).removed
    out = facts(trip(old), trip(new), prompt)
    assert "quote_missing" not in kinds(out.get("not_as_asked")), out
    assert "text_removed" in kinds(out.get("as_asked")), out
    kept = facts(trip(old), trip(old), prompt)  # nothing changed: the old title is still there
    assert "quote_missing" in kinds(kept.get("not_as_asked")), kept  # the new one is missing
    assert [i["name"] for i in kept["not_as_asked"] if i["kind"] == "quote_missing"] == [new], kept


# --- F3: orders said in everyday ways ------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "orders"),
    [
        ("毕业旅行那个做吧 横屏 30秒 热血点的音乐 日出那张(sunrise.jpg)放开头", [("first", "beach")]),
        ("日出那张(sunrise)放第一个 标题改成「毕业快乐 我们的2026」", [("first", "beach")]),
        ("sunrise.jpg要第一个出现 其他不变 音乐大声点 50%", [("first", "beach")]),
        ("第一张换成sunrise 最后一张放city-lights 夜景收尾好看", [("first", "beach"), ("last", "sunrise")]),
        ("森林那张（forest.jpg）放最后", [("last", "sunrise")]),
        ("beach.jpg出现在最后", [("last", "sunrise")]),
        ("日出那张要最后出场", []),  # sunrise is last already: as asked
    ],
)
def test_an_order_said_in_everyday_words_is_judged(prompt: str, orders: list[tuple[str, str]]) -> None:
    """Calls a-d: sunrise stayed last each time, and no answer said so."""
    tl = trip()
    out = facts(tl, tl, prompt)
    unmet = [(i["where"], i["found"]) for i in out.get("not_as_asked", []) if i["kind"] == "order"]
    assert unmet == orders, out
    assert not any("sunrise" in a or "第一" in a for a in out.get("not_checked", [])), out
    if not orders:
        assert "order" in kinds(out.get("as_asked")), out


def test_the_order_asked_and_made_is_as_asked() -> None:
    prompt = "第一张换成sunrise 最后一张放city-lights 夜景收尾好看"
    done = trip(clips=("sunrise", "beach", "forest", "city-lights"))
    out = facts(trip(), done, prompt)
    assert [i["kind"] for i in out.get("as_asked", [])].count("order") == 2, out
    assert "order" not in kinds(out.get("not_as_asked")) and out.get("not_checked") is None, out


@pytest.mark.parametrize(
    "prompt",
    [
        "日出那张(很好看)放第一个",  # words in brackets that are no file's name
        "我觉得sunrise 最后那段有点暗",
        "把 sunrise.jpg 放到第一个",
    ],
)
def test_brackets_and_spaces_change_no_other_reading(prompt: str) -> None:
    got = read(prompt).order
    assert all(word in ("sunrise", "sunrise.jpg", "日出") for word, _ in got), got


# --- F6: a platform said before the frame --------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "shape"),
    [
        ("做个抖音用的竖屏 15秒左右 标题叫「甜心烘焙 新品上市」", "vertical"),
        ("来个发小红书的竖版视频", "vertical"),
        ("给我做个朋友圈用的方形", "square"),
    ],
)
def test_a_frame_said_after_what_it_is_for_is_checked(prompt: str, shape: str) -> None:
    assert read(prompt).shape is not None and read(prompt).shape.value == shape
    size = (1080, 1920) if shape == "vertical" else (1080, 1080)
    out = facts(state(15, BAKE, size=size), state(15, BAKE, PIANO, size=size), prompt)
    assert "shape" in kinds(out.get("as_asked")), out
    assert not any("竖" in a or "方形" in a for a in out.get("not_checked", [])), out


def test_a_frame_named_by_its_platform_only_is_no_frame() -> None:
    assert read("做个抖音用的视频").shape is None
    assert read("抖音用的竖屏不太好看").shape is None


# --- F7: the video named, a remark on its length -------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "seconds"),
    [
        ("毕业旅行那个视频太长了 改成20秒吧", 20),
        ("毕业旅行那个做吧 横屏 30秒", 30),
        ("烘焙那个做吧，竖屏 15秒", 15),
        ("this one is way too long, make it 20 seconds", 20),
    ],
)
def test_a_name_for_the_video_or_a_remark_on_its_length_is_no_unchecked_ask(
    prompt: str, seconds: int
) -> None:
    """「毕业旅行那个视频太长了」 in not_checked, with next_steps saying not to call it done."""
    size = (1080, 1920) if "竖" in prompt else (1920, 1080)
    before = state(30 if seconds != 30 else 20, TRIP, PIANO, size=size)
    out = facts(before, state(seconds, TRIP, PIANO, size=size), prompt)
    assert out.get("not_checked") is None, out
    assert "seconds" in kinds(out.get("as_asked")), out


def test_a_remark_on_the_length_with_no_length_asked_is_still_said() -> None:
    """No length stated: "too long" is the ask itself, never dropped."""
    tl = trip()
    out = facts(tl, tl, "那个视频太长了 剪短一点")
    assert out.get("not_checked") or out.get("not_as_asked"), out


# --- F8: keep the old frame beside a new one that was not made ----------------------------------


@pytest.mark.parametrize(
    "prompt",
    ["再弄个方形的发朋友圈 竖的那个也要留着", "do a square one for the feed, keep the vertical one"],
)
def test_keeping_the_old_frame_is_not_met_when_no_new_frame_was_made(prompt: str) -> None:
    tl = state(15, BAKE, PIANO, size=(1080, 1920))
    out = facts(tl, tl, prompt)
    assert [i["kind"] for i in out.get("not_as_asked", [])] == ["shape"], out
    assert "version_replaced" not in kinds(out.get("as_asked")), out
