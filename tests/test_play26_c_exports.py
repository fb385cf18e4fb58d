"""Play-test 26 (English): what an export says of the requests before it.

EN F14. "dont export the night brew one yet, i still wanna fix the title on it later" (sent, it
        changed nothing) was listed by the export as a change "this file does not have": a hold
        and a plan for later ask no change, and no file lacks one.
"""

from __future__ import annotations

import dataclasses
import json

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


def _replaced(prompt: str, at: float = 1.0) -> Generation:
    unmet = [{"kind": "version_replaced", "before": [1080, 1080, "1:1"], "found": [1080, 1920, "9:16"]}]
    return Generation(
        f"gen_{at}", "prj", prompt, prompt, TurnState.DONE, "", None, True, None, None, None, True, 100.0,
        50.0, at, at, route="agent", facts=json.dumps({"not_as_asked": unmet}),
    )  # fmt: skip


@pytest.mark.parametrize(("lang", "words"), [("en", "keep the 1080x1080"), ("zh", "要求保留 1080x1080")])
def test_f13_an_export_after_a_later_edit_still_says_the_kept_version_was_replaced(
    lang: str, words: str
) -> None:
    """EN F13: the square Night Brew replaced by a vertical one, then a title edit, then the
    export: it says the square one is gone, as the export right after the replacement did."""
    now = read_timeline(timeline(10, CITY, LOFI, (("Night Brew Co.", 0, 3),), size=(1080, 1920)).draft)
    earlier = _replaced("can i get a vertical one for stories but keep the square one as well")
    title = _unchanged("change the title to 'Night Brew Co.'", at=2.0)
    title = dataclasses.replace(title, timeline_changed=True)
    lines = replies.earlier_unchanged([title, earlier], lang, now, [earlier, title])
    assert any(words in lack.line for lack in lines), lines


def test_f13_a_file_in_the_kept_frame_lacks_nothing_of_it() -> None:
    now = read_timeline(timeline(10, CITY, LOFI, (("Night Brew Co.", 0, 3),), size=(1080, 1080)).draft)
    earlier = _replaced("can i get a vertical one for stories but keep the square one as well")
    assert replies.earlier_unchanged([earlier], "en", now, [earlier]) == []
