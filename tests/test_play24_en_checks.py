"""Play-test 24 (English, a dog groomer who is also a real-estate agent): answers that would have
made the assistant say something false, each judged here against the timeline or the records.

F1. "on the house walkthrough the piano music is too quiet": a video described by a real-estate
    word for it ("walkthrough", "tour", "listing") is read as a description, never sent here.

F2. "make a vertical 9:16 version of this": a version of the video there is an edit of it, so the
    length, music and title it changed unasked are said (not taken for a new video's own).
F3. "put the title 'X' back at the start": "back" speaks of the title, so a length cut unasked
    is said; "undo that" still leaves the whole video to the agent.
F4. "add a caption at the very end 'X' and turn the music down": "turn" is the music's, so the
    opening title the caption replaced is said as gone unasked.
F5. "keep the 42 Harbor Lane title at the start" and that title gone: not as asked, never
    "not checked".
F6. (in part) "lofi chill music" and the track "Lo-fi Chill", "bump it to 30%" after a clause about
    the music: judged (as asked), never "not checked".
F8. (in part) "wrong video! i meant the harbor lane house one": beside "wrong video", "the <its
    words> one" names that project, offered directly (not "which project?"); the answer says what
    the request before it did to the current video, and its cost.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music import asked, replies
from ai_video_music.config import Settings
from ai_video_music.mentions import described, elsewhere
from ai_video_music.models import SessionState
from ai_video_music.records import TurnState
from ai_video_music.simulator import Simulator
from ai_video_music.store import Generation, Project
from ai_video_music.timeline import Timeline, read_timeline
from ai_video_music.tools import create_server

from .conftest import ask, requests_to
from .timelines import checked, timeline

HOUSE = ("city-lights", "beach", "sunrise")
PIANO = ("Calm Piano (free music)", 30)
LOFI = ("Lo-fi Chill (free music)", 35)


def _tl(state: SessionState) -> Timeline:
    return read_timeline(state.draft)


def _kinds(facts: dict[str, Any], key: str = "not_as_asked") -> list[str]:
    return [str(item.get("kind")) for item in facts.get(key, [])]


@pytest.mark.parametrize(
    "prompt",
    [
        "also make a vertical 9:16 version of this for reels, keep the wide one too",
        "make a square version of it for instagram",
        "can you make a portrait version for tiktok stories",
        "做一个竖屏版的，发抖音用",
    ],
)
def test_f2_a_version_of_this_video_says_what_changed_unasked(prompt: str) -> None:
    before = timeline(20, HOUSE, PIANO, (("Open House Sat 1-4pm", 0, 3),))
    after = timeline(10, HOUSE, LOFI, (("My Video", 0, 3),), size=(1080, 1920))
    kinds = _kinds(checked(before, after, prompt))
    assert "music_unasked" in kinds
    assert "text_unasked" in kinds or "text_gone" in kinds
    assert "length_unasked" in kinds
    assert "frame_unasked" not in kinds  # the frame was asked for


def test_f2_a_new_video_from_other_photos_is_still_its_own() -> None:
    before = timeline(20, HOUSE, PIANO)
    after = timeline(10, ("dog1", "dog2"), LOFI)
    assert asked.unasked("make a new video of my dog photos with upbeat music", _tl(before), _tl(after)) == []


@pytest.mark.parametrize(
    "prompt",
    [
        'i wanted both: put the title "42 Harbor Lane" back at the start like before, and "Open House"'
        " at the end, last 3 seconds",
        'bring the "Sold!" caption back at the end',
        "把原来的标题「42 Harbor Lane」放回开头",
    ],
)
def test_f3_a_part_put_back_leaves_the_length_asked_nothing(prompt: str) -> None:
    before = timeline(20, HOUSE, PIANO, (("Open House Sat 1-4pm", 0, 3),))
    after = timeline(3, HOUSE, PIANO, (("42 Harbor Lane", 0, 1), ("Open House Sat 1-4pm", 2, 3)))
    facts = checked(before, after, prompt)
    assert "length_unasked" in _kinds(facts)


@pytest.mark.parametrize("prompt", ["undo that", "put it back the way it was", "改回原来的样子"])
def test_f3_the_whole_video_put_back_is_still_open(prompt: str) -> None:
    before = timeline(20, HOUSE, PIANO, (("Open House Sat 1-4pm", 0, 3),))
    after = timeline(3, HOUSE, PIANO, (("42 Harbor Lane", 0, 1),))
    assert asked.unasked(prompt, _tl(before), _tl(after)) == []


@pytest.mark.parametrize(
    "prompt",
    [
        'add a caption at the very end "Open House Sat 1-4pm" and turn the music down to 15%, its a bit loud',
        'put "Open House Sat 1-4pm" at the end and switch the music to something calmer',
    ],
)
def test_f4_a_title_replaced_by_an_added_caption_is_said_gone(prompt: str) -> None:
    before = timeline(20, HOUSE, PIANO, (("42 Harbor Lane", 0, 3),))
    after = timeline(20, HOUSE, ("Calm Piano (free music)", 15), (("Open House Sat 1-4pm", 0, 3),))
    facts = checked(before, after, prompt)
    gone = [item for item in facts.get("not_as_asked", []) if item.get("kind") == "text_gone"]
    assert gone and gone[0]["names"] == ["42 Harbor Lane"] and gone[0]["by"] == ["Open House Sat 1-4pm"]


@pytest.mark.parametrize(
    "prompt",
    [
        'make it 20 seconds again, and add the text "Open House Sat 1-4pm" from 17s to the end.'
        " keep the 42 Harbor Lane title at the start",
        'add "Open House Sat 1-4pm" at the end, and keep the Harbor Lane title at the beginning',
    ],
)
def test_f5_a_title_asked_to_stay_and_gone_is_not_as_asked(prompt: str) -> None:
    before = timeline(10, HOUSE, PIANO, (("42 Harbor Lane", 0, 3),))
    after = timeline(20, HOUSE, PIANO, (("Open House Sat 1-4pm", 0, 3),))
    facts = checked(before, after, prompt)
    missed = [i for i in facts.get("not_as_asked", []) if "42 Harbor Lane" in str(i)]
    assert missed == [{"kind": "text_stays", "name": "42 Harbor Lane"}], facts
    unchecked = " ".join(str(i) for i in facts.get("not_checked", []))
    assert "keep" not in unchecked.lower(), facts


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "the request asked to keep “42 Harbor Lane”"), ("zh", "要求保留")],
)
def test_f5_the_answer_says_the_keep_asked_in_either_language(lang: str, words: str) -> None:
    before = timeline(10, HOUSE, PIANO, (("42 Harbor Lane", 0, 3),))
    after = timeline(20, HOUSE, PIANO, (("Open House Sat 1-4pm", 0, 3),))
    facts = checked(
        before, after, 'add "Open House Sat 1-4pm" at the end. keep the 42 Harbor Lane title at the start'
    )
    text = " ".join(replies.not_met_lines(facts["not_as_asked"], lang))  # type: ignore[arg-type]
    assert words in text and "42 Harbor Lane" in text


# --- F1: a video described by what it shows ----------------------------------------------------------


def _project(name: str) -> Project:
    return Project(name, "session", None, name, "en", None, None, 0.0, 0.0, 1)


SUDS, HARBOR, BELLA = (_project(n) for n in ("Pawfect Suds", "42 Harbor Lane", "Bella glow up"))
FILES = {
    SUDS.id: ["beach.jpg", "forest.jpg", "sunrise.jpg"],
    HARBOR.id: ["city-lights.jpg", "beach.jpg", "sunrise.jpg"],
    BELLA.id: ["forest.jpg", "sunrise.jpg"],
}
WORDS = {
    SUDS.id: ['call it "Pawfect Suds", 10 seconds, square, lofi chill music, beach pic first then forest'],
    HARBOR.id: ["42 Harbor Lane walkthrough: a 20 second wide video of the house, calm piano music"],
    BELLA.id: ["a vertical before/after of Bella's grooming, forest.jpg is before and sunrise.jpg is after"],
}


@pytest.mark.parametrize(
    "prompt",
    [
        "on the house walkthrough the piano music is too quiet now, bump it to 30%",
        "make the harbor lane tour 15 seconds",
        "the house listing needs a louder track",
    ],
)
def test_f1_another_video_described_by_a_walkthrough_word_is_that_one(prompt: str) -> None:
    found = described(prompt, SUDS, [SUDS, HARBOR, BELLA], FILES, WORDS)
    assert found is not None and found.named == (HARBOR,), found
    assert found.words.startswith("the "), found


@pytest.mark.parametrize(
    "prompt",
    [
        "on the house walkthrough the piano music is too quiet now, bump it to 30%",  # the current one
        "make the whole walkthrough 15 seconds",  # no description: the current one
    ],
)
def test_f1_the_current_walkthrough_stays_its_own(prompt: str) -> None:
    assert described(prompt, HARBOR, [SUDS, HARBOR, BELLA], FILES, WORDS) is None


@pytest.mark.anyio
@pytest.mark.priced
async def test_f1_an_edit_for_the_walkthrough_sent_from_another_project_is_held_unsent(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)], "new_project": False})
        house = await ask(
            client,
            "generate",
            {"prompt": "42 Harbor Lane walkthrough: wide video of the house, title '42 Harbor Lane'"},
        )
        assert house["status"] == "done", house
        await ask(client, "upload", {"files": [str(image)], "new_project": True})
        suds = await ask(
            client, "generate", {"prompt": "Make a 6-second video with the title 'Pawfect Suds'"}
        )
        assert suds["status"] == "done" and suds["project"]["name"] == "Pawfect Suds", suds
        sent = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        out = await ask(
            client,
            "generate",
            {"prompt": "on the house walkthrough the piano music is too quiet now, bump it to 30%"},
        )
        assert out["status"] == "needs_confirmation", out
        assert "42 Harbor Lane" in out["reply"] and "the house walkthrough" in out["reply"], out["reply"]
        assert out["project"]["name"] == "Pawfect Suds"
        assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"


# --- F6: checkable parts judged --------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt", ["lofi chill music, 10 seconds", "switch to some lofi music", "some hiphop music please"]
)
def test_f6_a_style_written_without_its_hyphen_is_the_track(prompt: str) -> None:
    track = ("Hip-hop Groove (free music)", 35) if "hiphop" in prompt else LOFI
    before = timeline(10, HOUSE, PIANO)
    after = timeline(10, HOUSE, track)
    facts = checked(before, after, prompt)
    assert {"kind": "music_style", "names": [track[0]]} in facts.get("as_asked", []), facts
    assert not any("music" in ask or "beats" in ask for ask in facts.get("not_checked", [])), facts


@pytest.mark.parametrize(
    ("prompt", "level"),
    [
        ("on the house walkthrough the piano music is too quiet now, bump it to 30%", 30.0),
        ("bump the music to 30%", 30.0),
        ("the song is way too loud, knock it down to 10%", 10.0),
        ("crank the volume up to 60%", 60.0),
    ],
)
def test_f6_a_level_bumped_to_is_read(prompt: str, level: float) -> None:
    assert asked.read(prompt).music_at == level


@pytest.mark.parametrize(
    ("prompt", "way"),
    [
        ("the piano music is too quiet now", "up"),
        ("the song's way too quiet", "up"),
        ("the music is a bit too loud", "down"),
        ("its way too loud, the music", "down"),
        ("make sure the music isnt too loud", None),  # a wish, nothing said of what is
        ("the title is too small", None),  # not the music
    ],
)
def test_f6_music_said_too_quiet_or_too_loud_asks_the_other_way(prompt: str, way: str | None) -> None:
    assert asked.read(prompt).music_rel == way


# --- F8: the video meant, named beside "wrong video" ---------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "meant"),
    [
        (
            "wrong video! i meant the harbor lane house one, bump its piano music to 30%."
            " the shampoo one was fine",
            HARBOR,
        ),
        ("oops wrong video, the bella one", BELLA),
        ("wrong project - i meant the Harbor Lane one", HARBOR),
    ],
)
def test_f8_the_one_meant_beside_wrong_video_is_named(prompt: str, meant: Project) -> None:
    found = elsewhere(prompt, SUDS, [SUDS, HARBOR, BELLA])
    assert found is not None and found.wrong and found.named == (meant,), found


@pytest.mark.parametrize("prompt", ["make the harbor lane one 10 seconds", "use the bella one first"])
def test_f8_the_one_without_wrong_video_stays_cautious(prompt: str) -> None:
    assert elsewhere(prompt, SUDS, [SUDS, HARBOR, BELLA]) is None


F8_WORDS = {
    "en": (
        "42 Harbor Lane",
        "Pawfect Suds",
        "make it 8 seconds long",
        "wrong video! i meant the harbor lane one, make it 8 seconds",
        "It cost {cost} credits",
    ),
    "zh": (
        "八十大寿",
        "洗澡前后",
        "改成 8 秒",
        "发错了，我是说八十大寿那个视频要改成 8 秒",
        "它消耗了 {cost} 积分",
    ),
}


@pytest.mark.anyio
@pytest.mark.priced
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_f8_wrong_video_offers_the_one_meant_and_says_what_the_last_request_did_here(
    settings: Settings, sim: Simulator, image: Path, lang: str
) -> None:
    first, second, edit_words, wrong_words, cost_words = F8_WORDS[lang]
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)], "new_project": False})
        made = await ask(client, "generate", {"prompt": f"Make a 6-second video with the title '{first}'"})
        assert made["status"] == "done" and made["project"]["name"] == first, made
        await ask(client, "upload", {"files": [str(image)], "new_project": True})
        made = await ask(client, "generate", {"prompt": f"Make a 6-second video with the title '{second}'"})
        assert made["status"] == "done" and made["project"]["name"] == second, made
        left = (await ask(client, "credits"))["available"]
        edit = await ask(client, "generate", {"prompt": edit_words})
        assert edit["status"] == "done", edit
        cost = left - (await ask(client, "credits"))["available"]
        assert cost > 0
        sent = len(requests_to(sim, "run_sse"))
        out = await ask(client, "generate", {"prompt": wrong_words})
        assert out["status"] == "needs_confirmation", out
        assert f'project="{first}"' in out["next_steps"][0], out["next_steps"]
        assert f"“{edit_words}”" in out["reply"] and f"“{second}”" in out["reply"], out["reply"]
        assert cost_words.format(cost=f"{cost:g}") in out["reply"], out["reply"]
        assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"


# --- F7: an export after a request not all done as asked -------------------------------------------


def _changed(prompt: str, unmet: list[dict[str, Any]], at: float = 1.0) -> Generation:
    facts = json.dumps({"not_as_asked": unmet})
    return Generation(
        f"gen_{at}", "prj", prompt, prompt, TurnState.DONE, "", None, True, None, None, None, True, 100.0,
        50.0, at, at, route="agent", facts=facts,
    )  # fmt: skip


TEAR_FREE = 'make it 12 seconds, put "Tear-free formula" at 4-7s, and add sunrise.jpg at the end'


@pytest.mark.parametrize(("lang", "words"), [("en", "still lacks"), ("zh", "仍然没有")])
def test_f7_an_export_says_what_an_earlier_request_not_done_as_asked_still_lacks(
    lang: str, words: str
) -> None:
    now = _tl(timeline(12, ("beach", "forest"), LOFI, (("Pawfect Suds", 0, 3),), size=(1080, 1080)))
    earlier = _changed(TEAR_FREE, [{"kind": "quote_missing", "name": "Tear-free formula"}])
    lines = replies.earlier_unchanged([earlier], lang, now, [earlier])
    assert len(lines) == 1, lines
    assert words in lines[0].line and "Tear-free formula" in lines[0].line, lines[0].line
    assert "sunrise.jpg" in lines[0].line, lines[0].line
    assert any("Tear-free formula" in item for item in lines[0].missing)


def test_f7_an_earlier_miss_done_since_is_not_said() -> None:
    now = _tl(
        timeline(12, ("beach", "forest", "sunrise"), LOFI, (("Tear-free formula", 4, 7),), size=(1080, 1080))
    )
    earlier = _changed(TEAR_FREE, [{"kind": "quote_missing", "name": "Tear-free formula"}])
    assert replies.earlier_unchanged([earlier], "en", now, [earlier]) == []
