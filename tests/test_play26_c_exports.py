"""Play-test 26 (English): what an export says of the requests before it.

EN F14. "dont export the night brew one yet, i still wanna fix the title on it later" (sent, it
        changed nothing) was listed by the export as a change "this file does not have": a hold
        and a plan for later ask no change, and no file lacks one.
"""

from __future__ import annotations

import pytest

from ai_video_music import replies
from ai_video_music.records import TurnState
from ai_video_music.router import Action, route
from ai_video_music.store import Generation
from ai_video_music.timeline import read_timeline

from .timelines import timeline

CITY = ("city-lights",)
LOFI = ("Lo-fi Chill (free music)", 35)


def _unchanged(prompt: str, at: float = 1.0) -> Generation:
    return Generation(
        f"gen_{at}", "prj", prompt, prompt, TurnState.DONE, "", None, True, None, None, None, False, 100.0,
        50.0, at, at, route="agent",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("prompt", "lang"),
    [
        ("dont export the night brew one yet, i still wanna fix the title on it later", "en"),
        ("don't export yet, i need to change the music later", "en"),
        ("先别导出，标题我回头再改", "zh"),
    ],
)
def test_f14_a_hold_and_a_plan_sent_earlier_is_no_change_a_file_lacks(prompt: str, lang: str) -> None:
    now = read_timeline(timeline(10, CITY, LOFI, (("Night Brew", 0, 3),), size=(1080, 1920)).draft)
    earlier = _unchanged(prompt)
    assert replies.earlier_unchanged([earlier], lang, now, [earlier]) == []


def test_f14_a_hold_and_a_plan_is_held_not_sent() -> None:
    decision = route("dont export the night brew one yet, i still wanna fix the title on it later")
    assert decision.action is not Action.AGENT and decision.only_held, decision


def test_f14_an_edit_beside_a_hold_is_still_one_a_file_can_lack() -> None:
    now = read_timeline(timeline(10, CITY, LOFI, (("Night Brew", 0, 3),), size=(1080, 1920)).draft)
    earlier = _unchanged("dont export yet, put 'Open 7am' at the end")
    lines = replies.earlier_unchanged([earlier], "en", now, [earlier])
    assert lines and "Open 7am" in lines[0].line, lines
