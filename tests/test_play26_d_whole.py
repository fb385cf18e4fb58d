"""Play-test 26 (English) F12: a text asked on screen the whole video is judged on the timeline.

"title should say 'Night Brew Co.' … and keep it on screen the whole vid" and the paid retry
"title = 'Night Brew Co.' for all 10 sec": the title at 0-3 s of 10 s is not as asked (the
export said "no check can tell whether it has 'keep it on screen the whole vid'", and left the
retry out of not_in_file); 0-10 s is as asked.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from ai_video_music import replies
from ai_video_music.naming import quoted
from ai_video_music.timeline import read_timeline

from .test_play22_zh_checks import en, state, zh
from .test_play23_en_checks import _unchanged
from .timelines import checked

LOFI = ("Lo-fi Chill (free music)", 10)
CLIPS = ("night-brew-cart", "latte-art")
FIRST = "title should say 'Night Brew Co.' not just night brew. and keep it on screen the whole vid"
RETRY = "title = 'Night Brew Co.' for all 10 sec"


def tl(title: str, end: float) -> Any:
    return state(10, CLIPS, LOFI, ((title, 0, end),), (1080, 1920))


@pytest.mark.parametrize(
    "prompt",
    [FIRST, RETRY, "keep the caption 'Open 7-11' on screen the whole time", "标题「周末咖啡」全程显示"],
)
def test_a_text_asked_the_whole_video_is_judged(prompt: str) -> None:
    name = quoted(prompt)[0]
    before = tl("Night Brew", 3)
    short = checked(before, tl(name, 3), prompt)
    said = en(short.get("not_as_asked")) + zh(short.get("not_as_asked"))
    assert "whole video" in said and "0-3" in said and "全程显示" in said, short
    assert not any("whole" in a or "all 10" in a or "全程" in a for a in short.get("not_checked") or []), (
        short
    )
    full = checked(before, tl(name, 10), prompt)
    assert not any(i["kind"] == "text_whole" for i in full.get("not_as_asked") or []), full
    assert "text_whole" in [i["kind"] for i in full.get("as_asked") or []], full
    assert not any("whole" in a or "all 10" in a or "全程" in a for a in full.get("not_checked") or []), full


def _turn(gen_id: str, prompt: str, at: float, changed: bool) -> Any:
    return dataclasses.replace(_unchanged(prompt), id=gen_id, created_at=at, timeline_changed=changed)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_export_says_the_title_is_not_on_screen_the_whole_video(lang: str) -> None:
    """Call 40: the title "Night Brew Co." at 0-3 s of 10 s after call 37 changed it."""
    now = read_timeline(tl("Night Brew Co.", 3).draft)
    first = _turn("g17", FIRST, 100.0, False)
    retry = _turn("g19", RETRY, 110.0, False)
    title = _turn("g37", "change the title to 'Night Brew Co.'", 200.0, True)
    lines = replies.earlier_unchanged([title, retry, first], lang, now, [title, retry, first])
    said = " ".join(lack.line for lack in lines)
    assert "0-3" in said and ("whole video" in said or "全程显示" in said), said
    assert "no check can tell" not in said and "无法核对" not in said, said
    assert RETRY in said, said  # the paid retry, said as the latest ask of it
    done = read_timeline(tl("Night Brew Co.", 10).draft)
    assert replies.earlier_unchanged([title, retry, first], lang, done, [title, retry, first]) == []
