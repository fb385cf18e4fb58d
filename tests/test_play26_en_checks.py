"""Play-test 26 (English, "Dana", a coffee cart): answers that would have made the assistant say
something false about a request, each judged here against the timeline.

F18. "what other songs can i pick from? just curious, dont change anything", sent anyway: the music
     swapped is a change the words said not to make (not as asked), never "not checked".
F20. "title should be 'Happy 60th Mom!'" replaced the title as asked: never "the request did not ask
     for “Happy Bday Mom!” to go" with a paid fix offered.
F22. "start over: 5 sec clip of ocean waves at sunset, vertical, no title": a clip made from words
     speaks of no photos of the user's; never held or judged as if it did.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music import asked
from ai_video_music.simulator import Simulator

from .conftest import ask, requests_to
from .timelines import checked, timeline

CAFE = ("latte", "cart")
LOFI = ("Lo-fi Chill (free music)", 10)
PIANO = ("Calm Piano (free music)", 10)


def _kinds(facts: dict[str, object], key: str) -> list[str]:
    items = facts.get(key) or []
    assert isinstance(items, list)
    return [str(i.get("kind")) for i in items]


# --- F18: "dont change anything" judged on the change ------------------------------------------------

CURIOUS = "what other songs can i pick from? just curious, dont change anything"


@pytest.mark.parametrize(
    "prompt",
    [CURIOUS, "which music can i choose from? don't change anything", "有哪些音乐可以选？先别改任何东西"],
)
def test_f18_a_change_made_though_the_words_said_change_nothing_is_not_as_asked(prompt: str) -> None:
    before = timeline(6, CAFE, LOFI, (("YT intro", 0, 3),))
    after = timeline(6, CAFE, PIANO, (("YT intro", 0, 3),))
    facts = checked(before, after, prompt)
    assert "no_change" in _kinds(facts, "not_as_asked"), facts
    assert facts.get("not_checked") in (None, []), facts  # "just curious", "dont change anything": no asks


def test_f18_nothing_changed_is_as_asked() -> None:
    same = timeline(6, CAFE, LOFI)
    facts = checked(same, same, CURIOUS)
    assert "no_change" in _kinds(facts, "as_asked"), facts
    assert "no_change" not in _kinds(facts, "not_as_asked"), facts


@pytest.mark.parametrize(
    "prompt",
    [
        "make the music louder, dont change anything else",
        "swap the song for something jazzy, dont change anything else",
    ],
)
def test_f18_anything_else_beside_an_edit_is_no_ask_to_change_nothing(prompt: str) -> None:
    before = timeline(6, CAFE, LOFI)
    after = timeline(6, CAFE, ("Jazz Cafe (free music)", 40))
    assert "no_change" not in _kinds(checked(before, after, prompt), "not_as_asked")


@pytest.mark.anyio
@pytest.mark.priced
async def test_f18_the_question_sent_anyway_says_the_swap_was_not_asked(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    from .conftest import photo_files

    await ask(rich, "upload", {"files": photo_files(tmp_path, "beach.jpg"), "new_project": True})
    made = await ask(rich, "generate", {"prompt": "make a 6 second video"})
    assert made["status"] == "done", made
    held = await ask(rich, "generate", {"prompt": CURIOUS})
    assert held["status"] == "needs_confirmation", held
    out = await ask(rich, "generate", {"prompt": CURIOUS, "accept_cost": True})
    assert out["status"] == "done", out
    if out["timeline_changed"]:
        assert any("asked to change nothing" in i for i in out["not_as_asked"]), out
    else:
        assert not out["not_as_asked"], out
    assert not any("change anything" in i or "curious" in i for i in out["not_checked"]), out


# --- F20: "title should be 'X'" asks the title replaced ----------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "title should be 'Happy 60th Mom!'",
        "title = 'Happy 60th Mom!'",
        "the title needs to be 'Happy 60th Mom!'",
        "title should say 'Happy 60th Mom!' not just happy bday",
        "make the title 'Happy 60th Mom!'",
        "标题应该是「Happy 60th Mom!」",
    ],
)
def test_f20_a_title_said_as_what_it_should_be_replaces_the_title_as_asked(prompt: str) -> None:
    before = timeline(10, ("mom-cake", "mom-garden"), LOFI, (("Happy Bday Mom!", 0, 3),))
    after = timeline(10, ("mom-cake", "mom-garden"), LOFI, (("Happy 60th Mom!", 0, 3),))
    facts = checked(before, after, prompt)
    assert "text_gone" not in _kinds(facts, "not_as_asked"), facts
    assert "text_unasked" not in _kinds(facts, "not_as_asked"), facts


def test_f20_a_caption_added_beside_the_title_still_says_a_title_gone() -> None:
    before = timeline(10, ("mom-cake", "mom-garden"), LOFI, (("Happy Bday Mom!", 0, 3),))
    after = timeline(10, ("mom-cake", "mom-garden"), LOFI, (("Love you", 0, 3),))
    assert "text_gone" in _kinds(checked(before, after, "add 'Love you' at the end"), "not_as_asked")


# --- F22: a clip made from words speaks of no photos ----------------------------------------------------

MADE_CLIPS = [
    "start over: 5 sec clip of ocean waves at sunset, vertical, no title",
    "a 10-second clip of rain on a window",
    "6s clip of steam rising from a coffee cup",
]


@pytest.mark.parametrize("prompt", MADE_CLIPS)
def test_f22_a_clip_of_a_length_is_the_video_to_make(prompt: str) -> None:
    assert not asked.speaks_of_own_media(prompt)


@pytest.mark.parametrize(
    "prompt",
    ["use my clips from the beach", "put the 5 sec clip of my dog first", "make a video from these clips"],
)
def test_f22_the_users_own_clips_still_speak_of_their_media(prompt: str) -> None:
    assert asked.speaks_of_own_media(prompt)


@pytest.mark.anyio
@pytest.mark.priced
async def test_f22_a_new_clip_from_words_is_sent_and_judged_without_photos(
    rich: Client, sim: Simulator
) -> None:
    sent = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": MADE_CLIPS[0], "new_project": True})
    assert out["status"] == "done", out  # sent as asked: no hold about photos the user never named
    assert "photos" not in out["reply"], out["reply"]
    assert len(requests_to(sim, "run_sse")) == sent + 1
    assert not any("photos" in i for i in out["not_as_asked"]), out
