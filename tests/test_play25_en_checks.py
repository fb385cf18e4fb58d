"""Play-test 25 (English, a long sitting, a lying agent, 100 free credits): answers of the tools that
would have made the assistant say something false or act unasked, each judged here against the
timeline or the records.

F1. "remove the music" (not done: the music stayed), then "actually keep the music": an export
    never says the file still lacks "no music", a wish the user withdrew.
F6. status listed a saved file of another length with ``matches_timeline: null`` and no warning:
    another project's file whose timeline a later request changed is said not to match it; a
    file of another length or frame than the timeline never matches it.
F7. The registration paragraph (how to register / top up) was repeated in later answers, also
    after the user registered: said in full once a conversation, then a line with the link; after
    the user says they registered, only the top-up.
F10 (sitting 24). "export it as it is" after an answer said what was not done: the export says the
    user accepted what the file lacks, never only repeats it as news.
F2. "move the caption 'Made it!' …" and the caption where it was (the agent claimed it moved): not
    moved, never "on the timeline"; moved to a place no check reads: not checked.
F3. A request cancelled while it ran that landed anyway cut the video from 20 s to 3 s: nothing it
    did is wanted any more, so the cut is said as unasked (not_as_asked), never as asked.
F4. "put 'Made it!' when the summit shot shows up": judged against that clip (starts with it).
F5. "make it like 15 sec", "keep it vertical", "keep the music": a loose length, a frame kept and
    the music kept are checked (as asked or not), never "not checked".
F8 (sitting 24). "keep the wide one" alone asks no edit: held free, as "横版的也要留着".
F9 (sitting 24). "change the music back to the piano one" asks another track (the one before):
    the same music left is said, the piano track back is as asked.
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
from ai_video_music.costs import said_registered
from ai_video_music.exports import accepts_as_is
from ai_video_music.records import TurnState
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.status import _same_measure
from ai_video_music.store import Generation, Render
from ai_video_music.timeline import read_timeline
from ai_video_music.tools import create_server

from .conftest import ask, export_done, requests_to
from .timelines import checked, timeline

CLIPS = ("summit", "trail", "lake")
PIANO = ("Calm Piano (free music)", 30)
LOFI = ("Lo-fi Chill (free music)", 35)
TALL = (1080, 1920)


def _kinds(facts: dict[str, Any], key: str = "not_as_asked") -> list[str]:
    return [str(item.get("kind")) for item in facts.get(key, [])]


# --- F5: a loose length, a frame kept, the music kept: checked ---------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "ok make it like 15 sec, keep it vertical and keep the music",
        "make it like 15 sec pls. keep it vertical. keep the music",
        "cut it to like 15 sec, keep it vertical, and actually keep the music",
    ],
)
def test_f5_a_loose_length_a_frame_and_the_music_kept_are_checked(prompt: str) -> None:
    before = timeline(20, CLIPS, PIANO, size=TALL)
    after = timeline(15, CLIPS, PIANO, size=TALL)
    facts = checked(before, after, prompt)
    assert "not_checked" not in facts, facts
    kinds = _kinds(facts, "as_asked")
    assert {"seconds", "shape", "music_kept"} <= set(kinds), facts


def test_f5_the_frame_and_the_music_not_kept_are_said() -> None:
    before = timeline(20, CLIPS, PIANO, size=TALL)
    after = timeline(15, CLIPS, None)
    facts = checked(before, after, "make it like 15 sec, keep it vertical and keep the music")
    kinds = _kinds(facts)
    assert "shape" in kinds and "music_kept" in kinds, facts
    lines = " ".join(replies.not_met_lines(facts["not_as_asked"], "en"))
    assert "keep the music" in lines and "no music" in lines, lines
    assert "保留音乐" in " ".join(replies.not_met_lines(facts["not_as_asked"], "zh"))


def test_f5_the_music_replaced_though_kept_is_said_with_its_name() -> None:
    facts = checked(timeline(20, CLIPS, PIANO), timeline(20, CLIPS, LOFI), "keep the music")
    item = next(i for i in facts.get("not_as_asked", []) if i.get("kind") == "music_kept")
    assert item["names"] == [LOFI[0]], facts


@pytest.mark.parametrize(
    ("prompt", "keep"),
    [
        ("keep the music", True),
        ("actually keep the music", True),
        ("leave the music in", True),
        ("keep the music down", False),  # a level, not the track
        ("keep the music under 20%", False),
    ],
)
def test_f5_keep_the_music_is_read(prompt: str, keep: bool) -> None:
    assert asked.read(prompt).keep_music is keep


def test_f5_keep_this_vertical_one_is_the_version_not_a_frame_asked() -> None:
    stated = asked.read("keep this vertical one")
    assert stated.keep_frame and stated.shape is None


# --- F8: keep the wide one, alone ------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt", ["keep the wide one", "keep the wide one too", "but keep the wide one for youtube", "keep both"]
)
def test_f8_keeping_the_version_there_alone_is_no_paid_edit(prompt: str) -> None:
    assert route(prompt).action is Action.ASK
    assert route("横版的也要留着").action is Action.ASK  # as in 中文


def test_f8_a_new_version_beside_the_keep_is_still_an_edit() -> None:
    assert route("make a vertical version for reels, keep the wide one too").action is Action.AGENT


@pytest.mark.anyio
@pytest.mark.priced
async def test_f8_keep_the_wide_one_after_a_vertical_version_sends_and_spends_nothing(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)], "new_project": False})
        made = await ask(client, "generate", {"prompt": "Make a 6-second wide video called 'Summit Day'"})
        assert made["status"] == "done", made
        sent = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": "keep the wide one"})
        assert out["status"] != "done", out
        assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"


# --- F9: the music asked back ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "change the music back to the piano one",
        "go back to the piano track",
        "bring back the piano music",
        "put the piano music back",
    ],
)
def test_f9_the_music_asked_back_is_judged(prompt: str) -> None:
    assert asked.read(prompt).new_music
    kept = checked(timeline(20, CLIPS, LOFI), timeline(20, CLIPS, LOFI), prompt)
    assert "same_music" in _kinds(kept), kept
    back = checked(timeline(20, CLIPS, LOFI), timeline(20, CLIPS, PIANO), prompt)
    assert {"kind": "music_style", "names": [PIANO[0]]} in back.get("as_asked", []), back
    assert "not_checked" not in back, back


@pytest.mark.parametrize("prompt", ["use the beach one again", "go back to the old one"])
def test_f9_a_clip_or_a_version_asked_back_is_no_music_ask(prompt: str) -> None:
    assert not asked.read(prompt).new_music


# --- F1: a wish withdrawn is nothing the file lacks ------------------------------------------------


def _gen(prompt: str, at: float, before: Any, after: Any) -> Generation:
    """The record of ``prompt`` sent at ``at``, with the facts ``compare`` gives of it."""
    facts = checked(before, after, prompt)
    changed = facts["timeline"]["before"] != facts["timeline"]["after"]
    return Generation(
        f"gen_{at}", "prj", prompt, prompt.casefold(), TurnState.DONE, "", None, True, None, None, None,
        changed, 100.0, 50.0, at, at, route="agent", facts=json.dumps(facts),
    )  # fmt: skip


WITH = timeline(20, CLIPS, PIANO)
LOUDER = timeline(20, CLIPS, ("Calm Piano (free music)", 60))
NOW = read_timeline(WITH.draft)


@pytest.mark.parametrize(
    "then", ["actually keep the music", "never mind, keep the music", "leave the music in"]
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_f1_music_kept_after_remove_the_music_is_not_said_missing(then: str, lang: str) -> None:
    # the agent changed the volume, not the music: "remove the music" not as asked
    removed = _gen("remove the music", 1.0, WITH, LOUDER)
    assert "music" in _kinds(json.loads(removed.facts or "{}"))
    landed = _gen(then, 2.0, LOUDER, WITH)  # the keep changed the timeline since
    assert replies.earlier_unchanged([removed], lang, NOW, [removed, landed]) == []
    # the keep changed nothing: both led to this file (newest first)
    still = _gen(then, 2.0, LOUDER, LOUDER)
    lacks = replies.file_lacks([still, removed], None, lang, read_timeline(LOUDER.draft))  # type: ignore[arg-type]
    assert lacks == {}, lacks


def test_f1_an_unrelated_later_request_leaves_the_music_said_missing() -> None:
    removed = _gen("remove the music", 1.0, WITH, LOUDER)
    later = _gen("make it 20 seconds", 2.0, LOUDER, WITH)
    lines = replies.earlier_unchanged([removed], "en", NOW, [removed, later])
    assert len(lines) == 1 and "still lacks" in lines[0].line and "music" in lines[0].line, lines
    still = _gen("make it 20 seconds", 2.0, LOUDER, LOUDER)
    lacks = replies.file_lacks([still, removed], None, "en", read_timeline(LOUDER.draft))
    assert list(lacks) == [removed.id], lacks


# --- F10: export it as it is ----------------------------------------------------------------------


async def _export_by_words(client: Client, words: str) -> dict[str, Any]:
    out = await ask(client, "generate", {"prompt": words})
    for _ in range(40):
        if out["status"] == "done":
            return out
        out = await ask(client, "generate", {"prompt": words})
    raise AssertionError(f"the export never finished: {out}")


@pytest.mark.anyio
@pytest.mark.priced
@pytest.mark.parametrize(("words", "accepted"), [("export it as it is", True), ("export it", False)])
async def test_f10_export_as_it_is_says_the_misses_were_accepted(
    settings: Settings, sim: Simulator, image: Path, words: str, accepted: bool
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "Make a 20-second video."})
        sim.configure(next_lie=True)
        lied = await ask(client, "generate", {"prompt": "Make it 12 seconds."})
        assert lied["timeline_changed"] is False and lied["not_as_asked"], lied
        out = await _export_by_words(client, words)
        assert out["action"] == "export", out
        said = "Exported as it is, as the user asked: they accepted" in out["reply"]
        assert said is accepted, out["reply"]
        assert "Make it 12 seconds." in out["reply"], out["reply"]


@pytest.mark.parametrize(
    ("words", "as_is"),
    [
        ("export it as it is", True),
        ("just export it anyway", True),
        ("ok that's fine, export", True),
        ("export it", False),
        ('export it with the title "As It Is"', False),  # a quoted title, no acceptance
    ],
)
def test_f10_words_that_export_as_it_is(words: str, as_is: bool) -> None:
    assert accepts_as_is(words) is as_is


# --- F6: a saved file of another length ------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.priced
async def test_f6_another_projects_file_left_behind_by_a_later_edit_is_said_not_to_match(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)], "new_project": False})
        made = await ask(client, "generate", {"prompt": "Make a 6-second video called 'Summit Day'"})
        assert made["status"] == "done", made
        saved = await export_done(client)
        assert saved["status"] == "done", saved
        longer = await ask(client, "generate", {"prompt": "make it 10 seconds"})
        assert longer["timeline_changed"] is True, longer
        await ask(client, "upload", {"files": [str(image)], "new_project": True})
        other = await ask(client, "generate", {"prompt": "Make a 6-second video called 'Lake Day'"})
        assert other["status"] == "done", other
        st = await ask(client, "status")
        item = next(e for e in st["exports"] if e["render_id"] == saved["render_id"])
        assert item["matches_timeline"] is False, item
        assert "not that project's timeline" in st["reply"], st["reply"]


def _render(seconds: float, size: tuple[int, int]) -> Render:
    return Render(
        "r1", "prj", None, "downloaded", None, "mp4", "high", None, "/tmp/x.mp4", None, "fp", 1, None,  # type: ignore[arg-type]
        seconds, size[0], size[1], 100, None, None, 0.0, 0.0,
    )  # fmt: skip


def test_f6_a_file_of_another_length_or_frame_never_matches_the_timeline() -> None:
    now = read_timeline(timeline(20, CLIPS, PIANO).draft)
    assert _same_measure(_render(20.0, (1920, 1080)), now)
    assert not _same_measure(_render(3.0, (1920, 1080)), now)
    assert not _same_measure(_render(20.0, TALL), now)


# --- F2: a caption asked to move ------------------------------------------------------------------

SUMMIT = ("trail", "summit", "lake")
BARE = timeline(21, SUMMIT, PIANO, (("Made it!", 0, 3),))


@pytest.mark.parametrize(
    "prompt",
    [
        'move "Made it!" a bit later',
        "move the 'Made it!' caption to the summit shot",
        'nudge "Made it!" over a little',
    ],
)
def test_f2_a_caption_asked_to_move_and_where_it_was_is_not_as_asked(prompt: str) -> None:
    facts = checked(BARE, BARE, prompt)  # the agent said it moved it; the timeline is as it was
    assert not any(i.get("kind") == "quote_shown" for i in facts.get("as_asked", [])), facts
    missed = [i for i in facts.get("not_as_asked", []) if i.get("name") == "Made it!"]
    assert [i["kind"] for i in missed] == ["text_not_moved"], facts
    assert "not_checked" not in facts, facts
    line = replies.not_met_lines(missed, "en")[0]
    assert "Made it!" in line and "0-3" in line, line


@pytest.mark.parametrize(
    ("prompt", "span", "kind"),
    [
        # over the whole video: from the start, never "at the end" (play25zh F5), and not moved
        ("move the caption to the end", (0, 21), "text_at"),
        ('move "Made it!" to the end', (0, 21), "text_at"),
        ("move the caption to the end", (16, 21), "text_not_moved"),  # at the end, but not moved
    ],
)
def test_f2_a_caption_asked_to_the_end_that_did_not_move_is_said_not_moved(
    prompt: str, span: tuple[float, float], kind: str
) -> None:
    was = timeline(21, SUMMIT, PIANO, (("Made it!", *span),))
    facts = checked(was, was, prompt)
    assert [i["kind"] for i in facts.get("not_as_asked", [])] == [kind], facts
    assert "as_asked" not in facts, facts


def test_f2_a_caption_moved_where_no_check_reads_is_not_checked_never_on_the_timeline() -> None:
    after = timeline(21, SUMMIT, PIANO, (("Made it!", 5, 8),))
    facts = checked(BARE, after, 'move "Made it!" a bit later')
    assert "as_asked" not in facts and "not_as_asked" not in facts, facts
    assert facts.get("not_checked") == ['move "Made it!" a bit later'], facts


def test_f2_the_answer_says_the_caption_did_not_move_in_either_language() -> None:
    facts = checked(BARE, BARE, 'move "Made it!" a bit later')
    assert "still where it was" in replies.not_met_lines(facts["not_as_asked"], "en")[0]
    assert "仍在原处" in replies.not_met_lines(facts["not_as_asked"], "zh")[0]


# --- F4: a caption placed by an event -------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "put 'Made it!' when the summit shot shows up",
        'add the caption "Made it!" when the summit photo appears',
        'show "Made it!" on the summit shot',
    ],
)
def test_f4_a_caption_placed_by_a_clip_is_judged_against_that_clip(prompt: str) -> None:
    before = timeline(21, SUMMIT, PIANO)
    right = checked(before, timeline(21, SUMMIT, PIANO, (("Made it!", 7, 10),)), prompt)
    assert [i["kind"] for i in right.get("as_asked", [])] == ["text_clip"], right
    assert "not_checked" not in right, right
    wrong = checked(before, timeline(21, SUMMIT, PIANO, (("Made it!", 0, 3),)), prompt)
    item = next(i for i in wrong.get("not_as_asked", []) if i.get("kind") == "text_clip")
    assert item["clip"] == "summit" and item["at"] == "7-14" and item["found"] == "0-3", item
    assert not any(i.get("kind") == "quote_shown" for i in wrong.get("as_asked", [])), wrong
    en, zh = (replies.not_met_lines([item], lang)[0] for lang in ("en", "zh"))  # type: ignore[arg-type]
    assert "“summit”" in en and "7-14" in en and "0-3" in en, en
    assert "「summit」" in zh and "0-3" in zh, zh


def test_f4_a_clip_word_that_names_no_one_clip_is_left_not_checked() -> None:
    before = timeline(21, SUMMIT, PIANO)
    after = timeline(21, SUMMIT, PIANO, (("Made it!", 7, 10),))
    facts = checked(before, after, "put 'Made it!' when the waterfall shot shows up")
    assert facts.get("not_checked"), facts


# --- F3: a cancelled request that landed anyway ----------------------------------------------------


@pytest.mark.anyio
@pytest.mark.priced
async def test_f3_a_cut_made_by_a_cancelled_request_that_landed_is_said_unasked(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    quick = dataclasses.replace(settings, token=token, tool_budget=1.5)
    async with Client(create_server(quick)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "Make a 20-second video."})
        assert made["status"] == "done", made
        with sim.hold("run_sse") as gate:
            working = await ask(client, "generate", {"prompt": "Make it 3 seconds."})
            assert working["status"] == "working", working
            stop = await ask(client, "generate", {"prompt": "Wait, stop, I don't want that change anymore."})
            gate.release()
        assert stop["action"] == "cancel", stop
        out = await ask(client, "status")  # waits for the request that ran on
        answer = out["answers"][0]
        assert answer["withdrawn"] is True and answer["timeline_changed"] is True, answer
        assert any("Length: 20s → 3s" in item for item in answer["not_as_asked"]), answer
        assert not answer["as_asked"], answer


# --- F7: the registration paragraph, once -----------------------------------------------------------

PARAGRAPH = "Not registered yet? Registering (free) gives more credits"


@pytest.mark.anyio
async def test_f7_how_to_register_is_said_once_and_never_after_the_user_registered(
    settings: Settings, sim: Simulator
) -> None:
    async with Client(create_server(settings)) as client:  # an anonymous token
        await ask(client, "credits")
        sim.state.set_credits(10)
        first = await ask(client, "credits")
        assert PARAGRAPH in first["reply"] and "register?bind=" in first["reply"], first["reply"]
        again = await ask(client, "credits")
        assert PARAGRAPH not in again["reply"], again["reply"]
        assert "register?bind=" in again["reply"], "the link is still there, in a line"
        told = await ask(client, "generate", {"prompt": "ok I just registered"})
        assert PARAGRAPH not in told["reply"], told["reply"]
        after = await ask(client, "credits")
        assert "register" not in after["reply"].casefold(), after["reply"]
        assert "Top up at https://nemovideo.com" in after["reply"], after["reply"]


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("ok I just registered", True),
        ("done, I signed up", True),
        ("我注册好了", True),
        ("I haven't registered yet", False),
        ("how do I register?", False),
        ("我还没注册", False),
    ],
)
def test_f7_words_that_say_the_user_registered(words: str, said: bool) -> None:
    assert said_registered(words) is said
