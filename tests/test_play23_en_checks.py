"""Play-test 23 (English, a wedding photographer who is also a parent): answers that would have
made the assistant say something false, each judged here against the timeline or the records.

F1. A quoted text with "!" or "," inside ("Leo is 6!", "Sept 14, 2026") that only another project
    has is an edit of that project's text: read whole, never cut at its own punctuation.
F2. "the wedding teaser", "the barn trailer": a photographer's words for a video describe it.
F3. "put the first dance pic first": a clip whose name starts with "first" is an order, judged.
F4. "put the barn video back to 12 seconds": a length, judged (as asked), never "not checked".
F5. "a birthday recap from these pics", "swap the music to something upbeat": what the timeline
    shows is never listed as "not checked"; a look ("a brighter video") still is.
F6. An export after a request that changed nothing says what the file verifiably lacks of it.
F7. The credits answer never says "0 (0)" of a project whose only request still runs.
"""

from __future__ import annotations

from typing import Any

import pytest

from ai_video_music import replies
from ai_video_music.asked import read
from ai_video_music.costs import Spent
from ai_video_music.mentions import described, edited_texts, edits_elsewhere
from ai_video_music.models import SessionState
from ai_video_music.records import TurnState
from ai_video_music.store import Generation, Project
from ai_video_music.timeline import read_timeline

from .test_play22_en_checks import facts, state

WEDDING = ("vows", "rings", "first-dance", "cake")
BARN = ("barn-before", "barn-after")
LEO = ("candles", "balloons", "cake-leo")
FOLK = ("Acoustic Folk (free music)", 35)
PIANO = ("Soft Piano (free music)", 35)


def _project(name: str) -> Project:
    return Project(name, "session", None, name, "en", None, None, 0.0, 0.0, 1)


MAYA, WILLOW, LEO_P, LAKE = (_project(n) for n in ("Maya & Theo", "Willow Barn", "Leo is 6", "Lake weekend"))
PROJECTS = [MAYA, WILLOW, LEO_P, LAKE]
FILES = {
    MAYA.id: [f"{c}.jpg" for c in WEDDING],
    WILLOW.id: [f"{c}.jpg" for c in BARN],
    LEO_P.id: [f"{c}.jpg" for c in LEO],
    LAKE.id: ["dock.jpg", "canoe.jpg"],
}
# The user's words and the texts the verified changes showed, as the service gathers them.
WORDS = {
    MAYA.id: [
        'make a 20 sec vertical teaser for ig stories from these pics, title "Maya & Theo"',
        "Sept 14, 2026",
    ],
    WILLOW.id: ['Willow Barn: a before/after of the barn setup, square, caption "Before"', "Before"],
    LEO_P.id: ['make a birthday recap from these pics, upbeat fun music, title "Leo is 6!"', "Leo is 6!"],
    LAKE.id: ['new video called "Lake weekend": a little montage of our lake weekend from my photos'],
}


# --- F1: a quote is read whole, whatever punctuation it holds --------------------------------------


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        ('move the "Leo is 6!" text to the end', "Leo is 6!"),
        ("move 'Leo is 6!' to 2s, and make the music softer", "Leo is 6!"),
        ('change "Sept 14, 2026" to show at the start', "Sept 14, 2026"),
        ('remove "Wait... what?" please', "Wait... what?"),
        ("把「生日快乐！」挪到最后，再加上「再见」", "生日快乐！"),
    ],
)
def test_a_quoted_text_is_read_whole_though_it_holds_a_clause_mark(prompt: str, text: str) -> None:
    """23:41: "move the "Leo is 6!" text to the end" read no quote (the "!" cut it in half)."""
    assert edited_texts(prompt) == [text]


@pytest.mark.parametrize(
    ("current", "prompt", "meant"),
    [
        (LAKE, 'move the "Leo is 6!" text to the end', LEO_P),
        (LEO_P, 'move "Sept 14, 2026" to the last 3 seconds', MAYA),
        (MAYA, "remove 'Leo is 6!'", LEO_P),
    ],
)
def test_an_edit_of_a_text_with_punctuation_only_another_project_has_is_held(
    current: Project, prompt: str, meant: Project
) -> None:
    """Sent to "Lake weekend", it changed nothing there and cost 50 credits."""
    found = edits_elsewhere(prompt, current, PROJECTS, FILES, WORDS)
    assert found is not None and found.named == (meant,) and found.by == "text", found


def test_a_text_with_punctuation_the_current_project_has_is_its_own() -> None:
    assert edits_elsewhere('move the "Leo is 6!" text to the end', LEO_P, PROJECTS, FILES, WORDS) is None
    assert edits_elsewhere('add "Leo is 6!" at the end', LAKE, PROJECTS, FILES, WORDS) is None  # added


# --- F2: a teaser, a trailer, a film: a video described ---------------------------------------------


@pytest.mark.parametrize(
    ("current", "prompt", "meant"),
    [
        (WILLOW, 'on the wedding teaser change the title to "Maya + Theo"', MAYA),
        (MAYA, "make the barn trailer 10 seconds", WILLOW),
        (WILLOW, "the birthday recap needs louder music", LEO_P),
        (LEO_P, "on the lake montage put the canoe pic first", LAKE),
    ],
)
def test_a_photographers_word_for_a_video_describes_it(current: Project, prompt: str, meant: Project) -> None:
    """00:12: "on the wedding teaser change the title …" replaced the barn video's "Before" title."""
    found = described(prompt, current, PROJECTS, FILES, WORDS)
    assert found is not None and found.named == (meant,), found
    assert found.words.startswith("the "), found  # quoted back as the user said it


@pytest.mark.parametrize(
    ("current", "prompt"),
    [
        (MAYA, 'on the wedding teaser change the title to "Maya + Theo"'),  # the current one is it
        (WILLOW, "make the whole teaser brighter"),  # no description: the current one
        (WILLOW, "make the new teaser 10 seconds"),
    ],
)
def test_a_teaser_the_current_project_may_be_is_not_held(current: Project, prompt: str) -> None:
    assert described(prompt, current, PROJECTS, FILES, WORDS) is None


# --- F3: a clip named "first …" --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "word", "where"),
    [
        ("put the first dance pic first, turn the music down to 20%", "first dance", "first"),
        ("move the first dance photo to the very end", "first dance", "last"),
        ("first dance pic first please", "first dance", "first"),
    ],
)
def test_a_clip_whose_name_starts_with_first_is_an_order_judged(prompt: str, word: str, where: str) -> None:
    """18:50: "Not checked …: “put the first dance pic first”" while the video still began with vows."""
    assert (word, where) in read(prompt).order
    before = state(20, WEDDING, PIANO)
    out = facts(before, before, prompt)
    assert "order" in replies_kinds(out.get("not_as_asked")), out
    line = "; ".join(replies.not_met_lines(out.get("not_as_asked") or [], "en"))
    assert "first-dance" in line or "first dance" in line, line
    assert not any("first dance" in q for q in out.get("not_checked") or []), out
    moved = (
        ("first-dance", "vows", "rings", "cake")
        if where == "first"
        else ("vows", "rings", "cake", "first-dance")
    )
    done = facts(before, state(20, moved, PIANO), prompt)
    assert "order" in replies_kinds(done.get("as_asked")), done


@pytest.mark.parametrize(
    "prompt", ["put the first photo last", "put the first one at the end", "move the last pic first"]
)
def test_an_ordinal_is_still_no_clip_name(prompt: str) -> None:
    assert read(prompt).order == ()


def replies_kinds(items: list[dict[str, Any]] | None) -> list[str]:
    return [str(i.get("kind")) for i in items or []]


# --- F4: "back to 12 seconds" -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "seconds"),
    [
        ("put the barn video back to 12 seconds", 12.0),
        ("take the wedding one back to 20 sec", 20.0),
        ("bring the video back to 15s please", 15.0),
        ("set it back down to 8 seconds", 8.0),
    ],
)
def test_a_length_put_back_is_judged_never_left_unchecked(prompt: str, seconds: float) -> None:
    """21:05: "Length: 6s → 12s" and, beside it, "Not checked: “put the barn video back to 12 seconds”"."""
    assert read(prompt).seconds == seconds
    before, after = state(6, BARN, FOLK, size=(1080, 1080)), state(seconds, BARN, FOLK, size=(1080, 1080))
    done = facts(before, after, prompt)
    assert "seconds" in replies_kinds(done.get("as_asked")), done
    assert not done.get("not_checked"), done
    missed = facts(before, before, prompt)
    assert "seconds" in replies_kinds(missed.get("not_as_asked")), missed


# --- F5: what the timeline shows is not "not checked" ---------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        'make a birthday recap from these pics, wide for the tv (16:9), upbeat fun music, title "Leo is 6!"',
        'new video called "Lake weekend": a little montage of our lake weekend from my photos, wide 16:9',
        "make a wedding highlight film from my photos, 16:9",
        "put together a graduation slideshow from all my pics, wide",
    ],
)
def test_a_video_of_a_kind_from_the_users_photos_is_shown_by_the_timeline(prompt: str) -> None:
    """19:12 and 23:30: "make a birthday recap from these pics" in not_checked, all photos on the track."""
    made = facts(
        SessionState(), state(10, LEO, ("Upbeat Fun (free music)", 50), (("Leo is 6!", 0, 3),)), prompt
    )
    assert not made.get("not_checked"), made


@pytest.mark.parametrize(
    ("prompt", "left"),
    [
        ("make a brighter video from these pics", "make a brighter video from these pics"),
        ("make a cinematic recap from my photos", "make a cinematic recap from my photos"),
    ],
)
def test_a_look_asked_of_the_video_stays_not_checked(prompt: str, left: str) -> None:
    made = facts(SessionState(), state(10, LEO, ("Upbeat Fun (free music)", 50)), prompt)
    assert left in (made.get("not_checked") or []), made


def test_music_swapped_to_a_style_the_track_has_is_not_listed_only_the_rest_is() -> None:
    """22:48: "swap the music to something upbeat" in not_checked beside "Acoustic Folk" → "Upbeat Pop"."""
    before = state(12, BARN, FOLK, size=(1080, 1080))
    after = state(12, BARN, ("Upbeat Pop (free music)", 35), size=(1080, 1080))
    out = facts(before, after, "swap the music to something upbeat, light pop")
    assert out.get("not_checked") == ["light pop"], out
    same = facts(before, before, "swap the music to something upbeat")
    assert same.get("not_as_asked") or same.get("not_checked"), same  # unchanged: never as asked


# --- F6: an export says what the file lacks, as a fact --------------------------------------------


def _unchanged(prompt: str) -> Generation:
    return Generation(
        "gen_1", "prj", prompt, prompt, TurnState.DONE, "", None, True, None, None, None, False, 100.0,
        50.0, 0.0, 0.0, route="agent",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("prompt", "draft", "said"),
    [
        (
            'add the caption "After" when the second photo starts, at 6s',
            state(12, BARN, FOLK, (("Before", 0, 6),), (1080, 1080)),
            ["“After”"],
        ),
        (
            'make it 20 seconds again and put the text "Sept 14, 2026" at the end, from 17s to 20s',
            state(3, WEDDING, PIANO, size=(1080, 1920)),
            ["“Sept 14, 2026”", "20"],
        ),
    ],
)
def test_an_export_says_what_the_file_lacks_of_an_earlier_request_that_changed_nothing(
    prompt: str, draft: SessionState, said: list[str]
) -> None:
    """21:20: "unless a later request did what it asked, this file does not have it either" while
    the file (and timeline) verifiably had no "After" caption."""
    now = read_timeline(draft.draft)
    lines = replies.earlier_unchanged([_unchanged(prompt)], "en", now, [])
    assert len(lines) == 1, lines
    line = lines[0].line
    assert "unless a later request" not in line and "does not have it" in line, line
    assert all(word in line for word in said), line
    zh = replies.earlier_unchanged([_unchanged(prompt)], "zh", now, [])[0].line
    assert "除非" not in zh and "这个文件里也没有" in zh, zh


def test_an_earlier_request_no_check_reads_is_still_said_as_maybe() -> None:
    now = read_timeline(state(12, BARN, FOLK, size=(1080, 1080)).draft)
    line = replies.earlier_unchanged([_unchanged("make the colours warmer")], "en", now, [])[0].line
    assert "unless a later request" in line, line


# --- F7: a project whose only request runs -------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "word"), [("en", "still running, not charged yet"), ("zh", "仍在进行，尚未扣费")]
)
def test_a_running_first_request_is_never_said_as_zero(lang: str, word: str) -> None:
    """18:49: "By project: “Maya & Theo”: 0 (0)" while its first request ran (50 held)."""
    text = replies.spent_text(Spent(running=1), [("Maya & Theo", Spent(running=1))], lang)  # type: ignore[arg-type]
    assert "0 (0)" not in text and "0（0" not in text, text
    assert word in text, text
    both = replies.spent_text(
        Spent(used=50, counted=1, running=1),
        [("Maya & Theo", Spent(used=50, counted=1)), ("Leo is 6", Spent(running=1))],
        lang,  # type: ignore[arg-type]
    )
    assert "50" in both and word in both and "0 (0)" not in both, both
