"""Play-test 22 (简体, WeChat style: a mug shop, a trip, a living-room makeover): what a request
asks is read from its words and judged on the timeline, never from a photo's file name.

F2. A quoted caption is on screen only where a text track has it: a clip named 客厅装修前 shows no
    「装修前」. Missing, it is said with the clip name that holds the words.
F3. 「改成10秒 0-5秒显示「A」」: the length is read though a span follows it after a space.
F4. A caption asked over a span (「从第5秒到第10秒显示「装修后」」, "'After' from 5 to 10 s") is judged
    on its start and end, and said with the user's span, never a start time they did not say.
F8. 「红色那个杯子放最前面」 is an order; a quote that is a project's name, asked as the title, is
    looked for; two quoted texts each with its own place are each judged.
F9. A frame said as 「改回方形」/「杯子方形版」, a length or a level followed by the next ask after a
    space, 「红色的放第一个」, and other music asked with the track unchanged are all checked.
F10. A purpose (「发小红书」, "to post on Instagram"), a dislike (「lofi不太搭」) and the kind of video
    (「做个装修前后对比」) are no asks: never "can't be checked".
F11. 「音乐调到20% 把beach.jpg放最后」: the level is read, and said met when it already was.
"""

from __future__ import annotations

from typing import Any

import pytest

from ai_video_music import replies
from ai_video_music.asked import read
from ai_video_music.models import SessionState

from .conftest import kinds
from .timelines import checked as facts
from .timelines import timeline

RENO = ("客厅装修前", "客厅装修后")
MUGS = ("mug-blue", "mug-box", "mug-red")
TRIP = ("beach", "city-lights", "forest", "sunrise")
LOFI = ("Lo-fi Chill (free music)", 35)


def state(
    seconds: float,
    clips: tuple[str, ...],
    music: tuple[str, int] | None = None,
    texts: tuple[tuple[str, float, float], ...] = (),
    size: tuple[int, int] = (1080, 1080),
) -> SessionState:
    return timeline(seconds, clips, music, texts, size)


def zh(items: list[dict[str, Any]] | None) -> str:
    return "；".join(replies.not_met_lines(items or [], "zh"))


def en(items: list[dict[str, Any]] | None) -> str:
    return "; ".join(replies.not_met_lines(items or [], "en"))


def named(items: list[dict[str, Any]] | None, kind: str) -> list[str]:
    return [str(i.get("name")) for i in items or [] if i["kind"] == kind]


# --- F2: a caption is on screen only on a text track --------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "没看到「装修前」「装修后」的字 在第一张上加「装修前」 第二张上加「装修后」 音乐去掉",
        "画面上加字「装修前」「装修后」",
        "add the captions 'Before' and 'After'",
    ],
)
def test_a_quote_only_a_clip_s_name_holds_is_missing_never_on_the_timeline(prompt: str) -> None:
    """Calls 6-7: 「时间线上有「装修前」」 with no text track at all; the clips were named after the
    photos 客厅装修前.jpg / 客厅装修后.jpg."""
    clips = RENO if "装修" in prompt else ("Before the move", "After the move")
    bare = state(10, clips, LOFI)
    out = facts(bare, state(10, clips), prompt)
    wanted = ["装修前", "装修后"] if "装修" in prompt else ["Before", "After"]
    assert named(out.get("not_as_asked"), "quote_missing") == wanted, out
    assert "quote_shown" not in kinds(out.get("as_asked")), out
    # where the words are is said: a clip's name, not a caption
    said = zh(out.get("not_as_asked")) + en(out.get("not_as_asked"))
    assert "没有出现在画面上" in said and clips[0] in said and "a clip" in said, said
    # the place asked for a text that is nowhere is no "can't be checked" beside it
    assert out.get("not_checked", []) == [], out
    captioned = state(10, clips, texts=((wanted[0], 0, 5), (wanted[1], 5, 10)))
    done = facts(bare, captioned, prompt)
    assert "quote_missing" not in kinds(done.get("not_as_asked")), done


def test_a_caption_named_in_a_removal_is_not_said_gone_while_a_clip_has_the_name() -> None:
    """A quote asked to go that only a clip's name holds is never said removed."""
    tl = state(10, ("beach", "forest"))
    out = facts(tl, tl, "把「beach」删掉")
    assert "text_removed" not in kinds(out.get("as_asked")), out


# --- F3: a length, then spans after a space -----------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "改成10秒 0-5秒显示「装修前」 5-10秒显示「装修后」 先别导出",
        "时长改成10秒 3-6秒那段调亮一点",
        "make it 10 seconds, 'Before' from 0 to 5 seconds",
    ],
)
def test_a_length_said_before_a_span_is_read_and_never_unasked(prompt: str) -> None:
    """Call 17: 「请求没有要求改时长，但视频从 5 秒变成了 10 秒」 and a paid fix offered to undo it."""
    assert read(prompt).seconds == 10.0
    before = state(5, RENO, texts=(("装修后", 0, 3),))
    out = facts(before, state(10, RENO, texts=(("装修前", 0, 3),)), prompt)
    assert "length_unasked" not in kinds(out.get("not_as_asked")), out
    assert "seconds" in kinds(out.get("as_asked")), out


# --- F4 (and F2's later calls): a caption over a span -------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "text", "span"),
    [
        ("从第5秒到第10秒显示文字「装修后」", "装修后", (5.0, 10.0)),
        ("5秒到10秒显示「装修后」", "装修后", (5.0, 10.0)),
        ("「明年见」放在第5到8秒", "明年见", (5.0, 8.0)),
        ("show 'After' from 5 to 10 seconds", "After", (5.0, 10.0)),
        ("'After' between 5 and 10 s", "After", (5.0, 10.0)),
    ],
)
def test_a_caption_asked_over_a_span_is_said_with_that_span(
    prompt: str, text: str, span: tuple[float, float]
) -> None:
    """Call 15: 「要求「装修后」在第 10 秒出现」, a time the user never said (they said from 5 to 10)."""
    assert read(prompt).text_span == ((text, *span),)
    assert read(prompt).text_time == ()
    before = state(10, RENO)
    wrong = facts(before, state(10, RENO, texts=((text, 0, 3),)), prompt)
    items = [i for i in wrong.get("not_as_asked", []) if i["kind"] == "text_span"]
    assert items and items[0]["found"] == "0-3", wrong
    said = zh(items)
    assert f"从第 {span[0]:g} 秒显示到第 {span[1]:g} 秒" in said and "0-3" in said, said
    assert "quote_shown" not in kinds(wrong.get("as_asked")), wrong
    right = facts(before, state(10, RENO, texts=((text, *span),)), prompt)
    assert "text_span" in kinds(right.get("as_asked")), right
    assert "text_span" not in kinds(right.get("not_as_asked")), right


def test_two_captions_each_after_its_own_span_are_each_judged() -> None:
    """Calls 9 and 17: 「装修后」 never on screen, 「装修前」 at 0-3 s, both said "on the timeline"."""
    prompt = "加文字：0到5秒显示「装修前」 5到10秒显示「装修后」 标题不用了"
    assert read(prompt).text_span == (("装修前", 0.0, 5.0), ("装修后", 5.0, 10.0))
    out = facts(state(10, RENO), state(10, RENO, texts=(("装修前", 0, 3),)), prompt)
    unmet = out.get("not_as_asked", [])
    assert named(unmet, "quote_missing") == ["装修后"], out
    assert [(i["name"], i["found"]) for i in unmet if i["kind"] == "text_span"] == [("装修前", "0-3")]
    assert out.get("as_asked") is None, out


# --- F8: an order by what the photo shows; a project's name asked as the title ------------------


def test_an_order_by_what_the_photo_shows_is_judged() -> None:
    """Call 2: 「红色那个杯子放最前面」 was in no list while mug-red stayed at 10-15 s."""
    tl = state(15, MUGS, LOFI, size=(1080, 1920))
    prompt = "红色那个杯子放最前面 音乐小声点调到20% 对了这个音乐能商用吗 我们要投信息流广告的"
    out = facts(tl, tl, prompt)
    orders = [i for i in out.get("not_as_asked", []) if i["kind"] == "order"]
    assert [(o["where"], o["found"]) for o in orders] == [("first", "mug-blue")], out
    assert "volume_at" in kinds(out.get("not_as_asked")), "音乐…调到20%: the level, said with 35%"
    assert out.get("not_checked", []) == [], out
    done = state(15, ("mug-red", "mug-blue", "mug-box"), ("Lo-fi Chill (free music)", 20))
    met = facts(tl, done, prompt)
    assert "order" in kinds(met.get("as_asked")) and "volume_at" in kinds(met.get("as_asked")), met


def test_a_project_s_name_asked_as_the_title_and_a_text_s_place_are_each_judged() -> None:
    """Calls 5/12: only the order was said; 「厦门三日」 was nowhere and 「下次再见 厦门」 still at 0-3 s."""
    prompt = "「厦门三日」标题要在开头 「下次再见 厦门」放到最后3秒 然后sunrise第一张 city-lights最后一张"
    tl = state(30, TRIP, ("Calm Piano (free music)", 35), (("下次再见 厦门", 0, 3),), (1920, 1080))
    out = facts(tl, tl, prompt, projects=("厦门三日",))
    unmet = out.get("not_as_asked", [])
    assert named(unmet, "quote_missing") == ["厦门三日"], out
    assert [(i["name"], i["found"]) for i in unmet if i["kind"] == "text_at"] == [("下次再见 厦门", "0-3")]
    assert "quote_shown" not in kinds(out.get("as_asked")), out


# --- F9: what the timeline shows is checked -----------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "asked"),
    [
        (
            "杯子方形版 1:1 15秒 红色的放第一个 标题「秋冬新品马克杯」 音乐音量20%",
            {"seconds", "shape", "order"},
        ),
        ("改回方形 时长10秒", {"seconds", "shape"}),
        ("change it back to square, 10 seconds", {"seconds", "shape"}),
        ("用这几张杯子图做个方形视频 15秒左右", {"seconds", "shape"}),
    ],
)
def test_a_frame_a_length_and_an_order_the_timeline_shows_are_checked(prompt: str, asked: set[str]) -> None:
    """Calls 13-14: 「杯子方形版 1:1 15秒」, 「红色的放第一个」 and 「改回方形」 went to "请看视频确认"."""
    seconds = 10 if "10" in prompt else 15
    clips = ("mug-red", "mug-blue", "mug-box")
    done = state(seconds, clips, ("Lo-fi Chill (free music)", 20), (("秋冬新品马克杯", 0, 3),))
    out = facts(state(seconds, clips, size=(1080, 1920)), done, prompt)
    assert asked <= set(kinds(out.get("as_asked"))), out
    assert out.get("not_checked", []) == [], out
    wrong = state(seconds + 5, MUGS, size=(1080, 1920))
    off = facts(wrong, wrong, prompt)
    assert asked <= set(kinds(off.get("not_as_asked"))), off


@pytest.mark.parametrize("prompt", ["海边旅行那个视频 音乐换成吉他的", "swap the music for guitar music"])
def test_other_music_asked_and_the_same_track_is_not_as_asked_even_when_nothing_changed(prompt: str) -> None:
    """Call 19: 「音乐换成吉他的」 in not_checked while the track was plainly still Lo-fi Chill."""
    tl = state(15, MUGS, LOFI)
    out = facts(tl, tl, prompt)
    assert "same_music" in kinds(out.get("not_as_asked")), out
    assert "Lo-fi Chill" in zh(out.get("not_as_asked")), out
    assert out.get("not_checked", []) == [], out


# --- F10: a purpose, a dislike, the kind of video: no asks ---------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "用这几张杯子图做个竖屏视频 15秒 发小红书",
        "竖屏 15秒 发朋友圈用",
        "sunrise那张放第一个 音乐换成钢琴曲 lofi不太搭",
        "做个装修前后对比 方形 10秒",
        "make it vertical, 15 seconds, to post on Instagram",
        "switch the music to piano, the lofi doesn't really fit",
    ],
)
def test_a_purpose_or_a_remark_is_neither_listed_nor_checked(prompt: str) -> None:
    """Calls 1, 7, 11, 18: 「发小红书」, 「发朋友圈」, 「lofi不太搭」, 「做个装修前后对比」 as "can't be
    checked", with next steps forbidding "done as asked"."""
    clips = ("sunrise", "beach") if "sunrise" in prompt else MUGS
    seconds = 10 if "10秒" in prompt else 15
    size = (1080, 1080) if "方形" in prompt else (1080, 1920)
    out = facts(state(0, ()), state(seconds, clips, ("Calm Piano (free music)", 35), size=size), prompt)
    assert out.get("not_checked", []) == [], out


# --- F11: a level said before the next ask after a space ----------------------------------------


@pytest.mark.parametrize("prompt", ["音乐调到20% 把beach.jpg放最后", "背景音乐音量20% 然后beach放最后"])
def test_a_level_already_there_is_said_as_asked_beside_a_part_that_is_not(prompt: str) -> None:
    """Call 16: `"as_asked": []` though the music was at 20%: the user might pay to resend it."""
    assert read(prompt).music_at == 20.0
    tl = state(15, ("mug-red", "mug-blue", "mug-box"), ("Lo-fi Chill (free music)", 20))
    uploads = (["mug-red.jpg", "mug-blue.jpg", "mug-box.jpg", "beach.jpg"], 4)
    out = facts(tl, tl, prompt, uploads)
    assert "volume_at" in kinds(out.get("as_asked")), out
    assert "volume_at" not in kinds(out.get("not_as_asked")), out
