"""Play-test 25 (简体): what a request asks is read whole and judged on the timeline.

F1. 「做成方形的」 then 「算了 还是横屏吧」: the square was replaced by the landscape asked after it;
    the export never says the file is "not square".
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

from .timelines import timeline

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
