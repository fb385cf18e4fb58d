"""Play-test 22 (English, a candle-shop owner typing casually): what a request asks is read from
its words and judged on the timeline (before and after it), never left "not checked" when the
timeline shows it, never said done when it is not.

F3.  A quoted caption 'After' is on screen only where a text track has it: a clip named
     kitchen_after is no caption, at every answer and in the export (main's play22zh F2 rule,
     replayed here through the tools with the sitting's words).
F4.  "remove the 'Before' title": the title gone from the text track is said gone, though the
     clip kitchen_before still has the word in its name.
F5.  A music level said loosely ("soft piano at like 20%", "a bit louder, like 50%") is read and
     judged: met or not, never "not checked".
F6.  "move the lavender-candle clip to the very start", "put sunrise first" are orders, judged.
F7.  "put that title at the end of the video not the start": the title the timeline had before
     is judged at the place asked.
F8.  "make a short square vid for insta …": the square frame is read and said as asked.
F9.  Remarks and where a video goes ("its our best seller", "ill check it first", "for the insta
     feed too") are no asks; "keep the Before one" is judged on the change; a square asked and not
     made is never also "the frame is still 9:16" as asked.
F10. An export after a no-change request sent twice (once with accept_cost) says it once, and
     says the missing caption, never "this file has only part of what it asked".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music import replies
from ai_video_music.asked import read
from ai_video_music.models import SessionState
from ai_video_music.simulator import Simulator

from .conftest import ask, export_done, kinds
from .timelines import checked as facts
from .timelines import timeline

KITCHEN = ("kitchen_before", "kitchen_after")
CANDLES = ("honey-candle", "lavender-candle", "cedar-candle")
TRIP = ("beach", "city-lights", "forest", "sunrise")
PIANO = ("Calm Piano (free music)", 35)


def state(
    seconds: float,
    clips: tuple[str, ...],
    music: tuple[str, int] | None = None,
    texts: tuple[tuple[str, float, float], ...] = (),
    size: tuple[int, int] = (1920, 1080),
) -> SessionState:
    return timeline(seconds, clips, music, texts, size)


def said(items: list[dict[str, Any]] | None, lang: str = "en") -> str:
    return "; ".join(replies.not_met_lines(items or [], lang))


def met_said(items: list[dict[str, Any]] | None, lang: str = "en") -> str:
    return "; ".join(replies.met_items(items or [], lang))


def _photos(tmp_path: Path, *names: str) -> list[str]:
    out = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(b"\xff\xd8\xff" + b"\0" * 500)
        out.append(str(path))
    return out


# --- F4: a title removed is gone, whatever a clip is named -------------------------------------


@pytest.mark.parametrize(
    ("prompt", "text"),
    [
        ("remove the 'Before' title, it looks cheesy", "Before"),
        ("take the 'After' caption off pls", "After"),
        ("把「装修前」这个标题删掉", "装修前"),
    ],
)
def test_a_title_removed_from_the_text_track_is_gone_though_a_clip_has_its_word(
    prompt: str, text: str
) -> None:
    """18:19: "Not as asked: … remove “Before”, but it is still on the timeline" (and a paid fix
    offered) while only the clip kitchen_before had the word; main then said nothing at all."""
    clips = ("客厅装修前", "客厅装修后") if "装" in text else KITCHEN
    before = state(15, clips, PIANO, ((text, 0, 3),))
    out = facts(before, state(15, clips, PIANO), prompt)
    assert "text_removed" in kinds(out.get("as_asked")), out
    assert "text_kept" not in kinds(out.get("not_as_asked")), out
    assert "no longer on the timeline" in met_said(out.get("as_asked")), out
    assert "时间线上已没有" in met_said(out.get("as_asked"), "zh"), out
    kept = facts(before, before, prompt)  # still on the text track: said still there
    assert "text_kept" in kinds(kept.get("not_as_asked")), kept


# --- F5: a level said loosely ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "level"),
    [
        ("before/after video of the kitchen reno, 10 sec, soft piano at like 20%", 20.0),
        ("change the title to 'Fall Collection' and make the music a bit louder, like 50%", 50.0),
        ("the guitar to like 30% pls", 30.0),
        ("turn the music down a bit, maybe 25%", 25.0),
    ],
)
def test_a_music_level_said_loosely_is_judged_never_left_unchecked(prompt: str, level: float) -> None:
    """18:01: "soft piano at like 20%" in not_checked while the music was at 35%; 18:11: "like
    50%" in not_checked beside "the music is louder: 35% → 50%"."""
    assert read(prompt).music_at == level
    texts = (("Fall Collection", 0, 3),)
    before = state(10, KITCHEN, ("Calm Piano (free music)", 35 if level != 35 else 40), texts)
    wrong = facts(before, before, prompt)
    assert "volume_at" in kinds(wrong.get("not_as_asked")), wrong
    assert f"asked: {level:g}%" in said(wrong.get("not_as_asked")) or f"{level:g}%" in said(
        wrong.get("not_as_asked")
    ), wrong
    right = facts(before, state(10, KITCHEN, ("Calm Piano (free music)", int(level)), texts), prompt)
    assert "volume_at" in kinds(right.get("as_asked")), right
    assert not any("%" in a for a in right.get("not_checked", [])), right


# --- F6: orders in more wordings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "clips", "word", "where"),
    [
        ("move the lavender-candle clip to the very start", CANDLES, "lavender-candle", "first"),
        ("put sunrise first and add 'obrigado Lisboa' at the end", TRIP, "sunrise", "first"),
        ("move city-lights to the very end", TRIP, "city-lights", "last"),
        ("put forest first pls", TRIP, "forest", "first"),
    ],
)
def test_an_order_in_any_of_these_wordings_is_judged(
    prompt: str, clips: tuple[str, ...], word: str, where: str
) -> None:
    """17:59 / 18:05: "not checked" while the video plainly still started with honey-candle/beach."""
    assert (word, where) in read(prompt).order
    tl = state(20, clips, PIANO, size=(1080, 1920))
    out = facts(tl, tl, prompt)
    orders = [i for i in out.get("not_as_asked", []) if i["kind"] == "order"]
    assert [o["name"] for o in orders] == [word], out
    assert not any(word in a for a in out.get("not_checked", [])), out
    first, rest = (word,), tuple(c for c in clips if c != word)
    moved = state(20, first + rest if where == "first" else rest + first, PIANO, size=(1080, 1920))
    done = facts(tl, moved, prompt)
    assert "order" in kinds(done.get("as_asked")) and "order" not in kinds(done.get("not_as_asked")), done


@pytest.mark.parametrize(
    "prompt", ["put the title at the very end", "put it first", "ill check it first", "lemme see it first"]
)
def test_no_clip_order_is_read_where_no_clip_is_named(prompt: str) -> None:
    assert read(prompt).order == ()


# --- F7: the title at a place, unquoted ----------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "put that title at the end of the video not the start",
        "move the title to the end, not the beginning",
        "把标题放到最后",
    ],
)
def test_the_title_asked_at_the_end_is_judged_on_the_title_it_had(prompt: str) -> None:
    """18:12: "not checked" while "Fall Collection" stayed at 0-3 s of a 10 s video."""
    assert read(prompt).title_at == "end" and read(prompt).order == ()
    before = state(10, CANDLES, PIANO, (("Fall Collection", 0, 3),), (1080, 1080))
    out = facts(before, before, prompt)
    placed = [i for i in out.get("not_as_asked", []) if i["kind"] == "text_at"]
    assert [(i["name"], i["found"]) for i in placed] == [("Fall Collection", "0-3")], out
    assert "at the end, but it is at 0-3 s" in said(placed), said(placed)
    assert out.get("not_checked", []) == [], out
    moved = facts(before, state(10, CANDLES, PIANO, (("Fall Collection", 7, 10),), (1080, 1080)), prompt)
    assert "text_at" in kinds(moved.get("as_asked")) and moved.get("not_checked", []) == [], moved


def test_the_title_asked_at_a_place_with_no_one_title_before_stays_unchecked() -> None:
    """No text (or several at the start) before the request: which is "that title" is not known."""
    bare = state(10, CANDLES, PIANO)
    out = facts(bare, bare, "put that title at the end of the video not the start")
    assert out.get("not_checked"), out


# --- F8: a frame said with a size word before it -----------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "shape"),
    [
        (
            "make a short square vid for insta from these candle pics, like 15 sec, chill acustic music, "
            "title 'Wick & Co Autumn'",
            "square",
        ),
        ("make a quick vertical clip for tiktok", "vertical"),
        ("make a short square vid of the beach pics", "square"),
    ],
)
def test_a_frame_after_a_size_word_is_read_and_said_as_asked(prompt: str, shape: str) -> None:
    """17:54: "make a short square vid for insta …" went to not_checked though it was 1080x1080."""
    assert read(prompt).shape == shape
    size = (1080, 1080) if shape == "square" else (1080, 1920)
    made = state(15, CANDLES, PIANO, (("Wick & Co Autumn", 0, 3),), size)
    out = facts(state(0, ()), made, prompt)
    assert "shape" in kinds(out.get("as_asked")), out
    assert not any(shape in a or "vid" in a or "clip" in a for a in out.get("not_checked", [])), out


# --- F9: remarks, where it goes, keeping a text, a frame kept beside none ------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "swap the music to acoustic guitar pls and put the lavender one first, its our best seller",
        "make it 15 sec and dont export yet, ill check it first",
        "make a square version for the insta feed too, keep the vertical one for tiktok tho",
        "also do a square one for the insta feed too",
        "make it 12 sec, thats the one for the shop window",
        "put sunrise first, it's for my moms birthday",
    ],
)
def test_a_remark_or_where_the_video_goes_is_no_ask(prompt: str) -> None:
    """17:55 "its our best seller", 18:16 "ill check it first", 18:07 "for the insta feed too":
    each listed as a request that couldn't be checked."""
    tl = state(20, TRIP + CANDLES, ("Acoustic Guitar (free music)", 35), size=(1080, 1920))
    out = facts(tl, tl, prompt)
    assert out.get("not_checked", []) == [], out


def test_keeping_a_text_named_unquoted_is_judged_on_the_change() -> None:
    """18:04: "keep the Before one" in not_checked, and then in the export's not_in_file though the
    file had the Before title."""
    prompt = "add a caption 'After' at 7.5s when the after pic shows up, keep the Before one"
    assert read(prompt).keep_text == ("Before",)
    before = state(15, KITCHEN, PIANO, (("Before", 0, 3),))
    same = facts(before, before, prompt)
    assert "text_stays" in kinds(same.get("as_asked")), same
    assert "“Before” is still on the timeline" in met_said(same.get("as_asked")), same
    assert "quote_missing" in kinds(same.get("not_as_asked")), same  # the After caption: nowhere
    assert same.get("not_checked", []) == [], same
    gone = facts(before, state(15, KITCHEN, PIANO, (("After", 7.5, 10),)), prompt)
    assert "Before" in said(gone.get("not_as_asked")), gone
    assert "text_stays" not in kinds(gone.get("as_asked")), gone
    # "keep the Sale one" where no text is called Sale: not judged, left to look at
    assert facts(before, before, "keep the Sale one").get("not_checked") == ["keep the Sale one"]


@pytest.mark.parametrize(
    "prompt",
    [
        "make a square version for the insta feed too, keep the vertical one for tiktok tho",
        "also do a square one for insta feed but keep this vertical one",
        "再做一个方形的，竖版的也要留着",
    ],
)
def test_a_frame_not_made_is_never_also_the_frame_kept_as_asked(prompt: str) -> None:
    """18:07: not_as_asked "asked for a square frame, but the timeline is 1080x1920" and as_asked
    "the frame is still 1080x1920 (9:16)" in one answer."""
    tall = state(20, TRIP, PIANO, size=(1080, 1920))
    out = facts(tall, tall, prompt)
    assert "shape" in kinds(out.get("not_as_asked")), out
    assert "version_replaced" not in kinds(out.get("as_asked")), out
    assert out.get("not_checked", []) == [], out


# --- through the tools: F3, F4, F9, F10 with the sitting's words ----------------------------------

FIRST = (
    "before/after video of the kitchen reno, wide 16:9 for youtube, 10 sec, caption 'Before' on the "
    "first pic and 'After' on the 2nd one, soft piano at like 20%"
)
AFTER = "add a caption 'After' at 7.5s when the after pic shows up, keep the Before one"


@pytest.mark.anyio
async def test_the_kitchen_sitting_tells_the_after_caption_missing_once_and_the_before_title_gone(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    await ask(rich, "upload", {"files": _photos(tmp_path, "kitchen_before.jpg", "kitchen_after.jpg")})
    first = await ask(rich, "generate", {"prompt": FIRST})
    assert any("“After”" in item and "kitchen_after" in item for item in first["not_as_asked"]), first
    assert any("20%" in item for item in first["not_as_asked"]), "the level said loosely, judged"
    assert not any("20%" in item for item in first["not_checked"]), first
    assert not any("“After” is on the timeline" in item for item in first["as_asked"]), first
    for more in ({}, {"accept_cost": True}):  # the agent claims the caption; nothing changes
        sim.configure(next_lie=True)
        out = await ask(rich, "generate", {"prompt": AFTER, **more})
        assert out["timeline_changed"] is False, out
        assert any("“After”" in item for item in out["not_as_asked"]), out
        assert "“Before” is still on the timeline" in out["as_asked"], out
        assert out["not_checked"] == [], out
    exported = await export_done(rich)
    assert exported["reply"].count(AFTER[:40]) == 1, exported["reply"]
    assert "only part of what it asked" not in exported["reply"], exported["reply"]
    assert len(set(exported["not_in_file"])) == len(exported["not_in_file"]), exported["not_in_file"]
    assert any("“After”" in item for item in exported["not_in_file"]), exported["not_in_file"]
    assert "keep the Before one" not in exported["not_in_file"], exported["not_in_file"]
    removed = await ask(rich, "generate", {"prompt": "remove the 'Before' title, it looks cheesy"})
    with sim.state.lock:
        texts = [
            seg.get("n")
            for s in sim.state.sessions.values()
            for tr in s.draft.get("t", [])
            if tr.get("tt") == 7
            for seg in tr.get("sg", [])
        ]
    assert "Before" not in texts, "the simulator's agent removed the title"
    assert "“Before” is no longer on the timeline" in removed["as_asked"], removed
    assert removed["not_as_asked"] == [], removed
