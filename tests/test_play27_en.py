"""Play-test 27 (English, a chemistry teacher with several projects): answers that would have made
the assistant say something false or act unasked.

S1. "make the cupcake pic show longer than the cookie one" was sent to the current video, while
    cupcake.jpg / cookies.jpg were another project's.
S2. "the upbeat pop one", a track the last answer offered, was taken for a video.
S3. Checkable asks listed as "not checked" (a level said of "it", a length, a swap of two photos,
    a frame as a ratio, "no photos", "whatever"), and exports that said an ask changed on purpose
    was lacking, or "the same file" after two edits.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music import replies
from ai_video_music.asked import photos_left_out, read
from ai_video_music.config import Settings
from ai_video_music.mentions import described, edits_elsewhere
from ai_video_music.replies import not_met_lines
from ai_video_music.simulator import Simulator
from ai_video_music.store import Generation, Project
from ai_video_music.timeline import Segment, Timeline, Track, aspect_ratio, read_timeline
from ai_video_music.tools import create_server
from ai_video_music.turns import compare

from .conftest import ask, export_done, photo_files, requests_to
from .test_play23_en_checks import _unchanged
from .timelines import checked, timeline


def _project(name: str) -> Project:
    return Project(name, "session", None, name, "en", None, None, 0.0, 0.0, 1)


ACIDS, BAKE, SAFETY = _project("Acids and bases"), _project("Bake Sale"), _project("Lab safety")
FILES = {
    ACIDS.id: ["beaker.jpg", "flask.jpg", "litmus_paper.jpg"],
    BAKE.id: ["cupcake.jpg", "cookies.jpg"],
    SAFETY.id: [],
}


# --- S1: a photo called by a word of its file's name ties the request to the project holding it -----


@pytest.mark.parametrize(
    ("prompt", "meant"),
    [
        ("make the cupcake pic show longer than the cookie one", (BAKE,)),
        ("make the cookie photo longer", (BAKE,)),  # cookies.jpg: singular or plural
        ("put the cupcakes shot first", (BAKE,)),
        ("swap the beaker and flask pics", (ACIDS,)),
        ("move the litmus paper image to the end", (ACIDS,)),
    ],
)
def test_s1_a_photo_called_by_its_file_words_is_the_project_holding_it(
    prompt: str, meant: tuple[Project, ...]
) -> None:
    found = edits_elsewhere(prompt, SAFETY, [ACIDS, BAKE], FILES, {})
    assert found is not None and found.named == meant and found.by == "photo", found


def test_s1_a_photo_several_projects_hold_asks_which() -> None:
    files = {**FILES, SAFETY.id: ["goggles.jpg"], ACIDS.id: ["beaker.jpg", "cupcake.jpg"]}
    found = edits_elsewhere("make the cupcake pic longer", SAFETY, [ACIDS, BAKE], files, {})
    assert found is not None and set(found.named) == {ACIDS, BAKE}, found


@pytest.mark.parametrize(
    "prompt",
    [
        "make the beaker pic longer",  # the current project holds it
        "make the first pic longer",  # an order, no photo's words
        "make the blue cupcake pic longer",  # a word no file has: no tie
        "make it like the cookie one",  # a model, not an edit of that photo
    ],
)
def test_s1_a_photo_the_current_project_may_mean_is_not_held(prompt: str) -> None:
    assert edits_elsewhere(prompt, ACIDS, [BAKE, SAFETY], FILES, {}) is None


@pytest.mark.anyio
async def test_s1_the_cupcake_pic_of_another_project_is_held_free_naming_it(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        bake = await _made(
            client, photo_files(tmp_path, "cupcake.jpg", "cookies.jpg"), "a 6 second bake sale video"
        )
        acids = await _made(
            client, photo_files(tmp_path, "beaker.jpg", "flask.jpg"), "a 6 second video", new=True
        )
        assert acids["project"]["name"] != bake["project"]["name"]
        sent, left = len(requests_to(sim, "run_sse")), (await ask(client, "credits"))["available"]
        out = await ask(
            client, "generate", {"prompt": "make the cupcake pic show longer than the cookie one"}
        )
        assert out["status"] == "needs_confirmation", out
        assert bake["project"]["name"] in out["reply"] and "cupcake pic" in out["reply"], out["reply"]
        assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent to the current video"
        assert (await ask(client, "credits"))["available"] == left


async def _made(client: Client, files: list[str], prompt: str, *, new: bool = False) -> dict[str, Any]:
    await ask(client, "upload", {"files": files, "new_project": new})
    made = await ask(client, "generate", {"prompt": prompt, "accept_cost": True})
    assert made["status"] == "done", made
    return made


# --- S2: a track the last answer offered is music, never a video ---------------------------------

LAKE = _project("Lake Trip 2026")
OFFERED = (
    "Here are a few free tracks that would fit: Upbeat Pop (energetic), Calm Piano (gentle) or "
    "Lo-fi Chill (relaxed). Which one should I use?"
)
SAID = {BAKE.id: ["use the same upbeat pop song as the lake trip video"]}


@pytest.mark.parametrize(
    "prompt", ["the upbeat pop one", "go with the upbeat pop one", "use the calm piano one"]
)
def test_s2_a_track_the_last_answer_offered_is_no_video(prompt: str) -> None:
    files = {LAKE.id: ["lake_shore.jpg"], BAKE.id: ["cupcake.jpg"], SAFETY.id: ["goggles.jpg"]}
    texts = {**SAID, LAKE.id: ["a calm piano video of the lake"]}
    assert described(prompt, SAFETY, [LAKE, BAKE], files, texts, OFFERED) is None


def test_s2_a_video_described_beside_an_answer_of_no_such_track_is_still_found() -> None:
    files = {LAKE.id: ["lake_shore.jpg"], BAKE.id: ["cupcake.jpg"], SAFETY.id: ["goggles.jpg"]}
    found = described("on the lake one bump the music up", SAFETY, [LAKE, BAKE], files, SAID, OFFERED)
    assert found is not None and found.named == (LAKE,), found


# --- S3: checkable asks judged from the timeline, never "not checked" --------------------------------

LAB = ("beaker", "flask", "tube")
LOFI = ("Lo-fi Chill (free music)", 40)
UPLOADS = (["beaker.jpg", "flask.jpg", "tube.jpg"], 3)


def _kinds(facts: dict[str, Any], key: str) -> list[str]:
    return [str(i.get("kind")) for i in facts.get(key) or []]


def _facts(before: Any, after: Any, prompt: str, said_before: str = "") -> dict[str, Any]:
    out = compare(before, after, prompt, UPLOADS, (), said_before)
    assert out is not None
    return out[1]


@pytest.mark.parametrize(("level", "met"), [(20, True), (40, False)])
def test_s3_turn_it_down_to_a_level_is_the_musics_level(level: int, met: bool) -> None:
    facts = checked(
        timeline(6, LAB, LOFI),
        timeline(6, LAB, ("Lo-fi Chill (free music)", level)),
        "turn it down to like 20%",
    )
    assert "volume_at" in _kinds(facts, "as_asked" if met else "not_as_asked"), facts
    assert not facts.get("not_checked"), facts


@pytest.mark.parametrize(("level", "met"), [(25, True), (40, False)])
def test_s3_a_level_of_it_after_talk_of_the_music_volume_is_the_musics(level: int, met: bool) -> None:
    after = timeline(6, LAB, ("Lo-fi Chill (free music)", level))
    facts = _facts(timeline(6, LAB, LOFI), after, "put it at 25%", "how loud is the music right now?")
    assert "volume_at" in _kinds(facts, "as_asked" if met else "not_as_asked"), facts
    assert not facts.get("not_checked"), facts


def test_s3_a_level_of_it_after_other_talk_stays_unchecked() -> None:
    facts = _facts(timeline(6, LAB, LOFI), timeline(6, LAB, LOFI), "put it at 25%", "make the title bigger")
    assert facts.get("not_checked") == ["put it at 25%"], facts  # "it" may be anything: not judged


@pytest.mark.parametrize(
    "prompt", ["10 seconds instead then", "ok 10 seconds instead then", "make it 10s instead then"]
)
@pytest.mark.parametrize(("seconds", "met"), [(10, True), (6, False)])
def test_s3_a_length_said_instead_is_judged(prompt: str, seconds: int, met: bool) -> None:
    facts = checked(timeline(6, LAB, LOFI), timeline(seconds, LAB, LOFI), prompt)
    assert "seconds" in _kinds(facts, "as_asked" if met else "not_as_asked"), facts
    assert not facts.get("not_checked"), facts


@pytest.mark.parametrize(
    ("prompt", "swapped", "kept"),
    [
        ("swap the 2nd and 3rd photo", ("beaker", "tube", "flask"), ("flask", "beaker", "tube")),
        ("swap the beaker and flask pics", ("flask", "beaker", "tube"), ("beaker", "tube", "flask")),
        (
            "can you switch the first and last photos?",
            ("tube", "flask", "beaker"),
            ("flask", "beaker", "tube"),
        ),
        ("把第二张和第三张换一下", ("beaker", "tube", "flask"), ("tube", "flask", "beaker")),
    ],
)
def test_s3_two_photos_swapped_are_judged_on_the_change(
    prompt: str, swapped: tuple[str, ...], kept: tuple[str, ...]
) -> None:
    before = timeline(6, LAB, LOFI)
    done = checked(before, timeline(6, swapped, LOFI), prompt)
    assert "clips_swapped" in _kinds(done, "as_asked"), done
    assert not done.get("not_checked"), done
    missed = checked(before, timeline(6, kept, LOFI), prompt)
    assert "clips_swapped" in _kinds(missed, "not_as_asked"), missed
    assert not missed.get("not_checked"), missed


@pytest.mark.parametrize(
    "prompt", ["change the frame to 9:16", "aspect ratio 9:16", "set the format to vertical"]
)
@pytest.mark.parametrize(("size", "met"), [((1080, 1920), True), ((1920, 1080), False)])
def test_s3_a_frame_named_by_its_word_is_judged(prompt: str, size: tuple[int, int], met: bool) -> None:
    facts = checked(timeline(6, LAB, LOFI), timeline(6, LAB, LOFI, size=size), prompt)
    assert "shape" in _kinds(facts, "as_asked" if met else "not_as_asked"), facts
    assert not facts.get("not_checked"), facts


@pytest.mark.parametrize(("clips", "met"), [(("AI lab scene",), True), (("beaker", "AI lab scene"), False)])
def test_s3_no_photos_is_judged_against_the_uploads(clips: tuple[str, ...], met: bool) -> None:
    facts = _facts(None, timeline(6, clips, LOFI), "make a 6 sec video about acids, no photos")
    assert "no_photos" in _kinds(facts, "as_asked" if met else "not_as_asked"), facts
    assert not facts.get("not_checked"), facts


@pytest.mark.parametrize(
    "prompt",
    [
        "whatever",
        "whatever you think",
        "10 seconds instead, whatever you think",
        "make it 10s, whatever music you think",
    ],
)
def test_s3_whatever_asks_nothing_left_unchecked(prompt: str) -> None:
    facts = checked(timeline(6, LAB, LOFI), timeline(10, LAB, LOFI), prompt)
    assert not facts.get("not_checked"), facts


def test_s3_the_swap_is_said_in_the_answer_words() -> None:
    facts = checked(timeline(6, LAB, LOFI), timeline(6, LAB, LOFI), "swap the 2nd and 3rd photo")
    lines = not_met_lines(facts.get("not_as_asked"), "en")
    assert any("trade places" in line and "flask" in line for line in lines), lines


# --- S3: exports -------------------------------------------------------------------------------------


def _turn(n: int, prompt: str, before: Any, after: Any) -> Generation:
    facts = checked(before, after, prompt)
    return dataclasses.replace(
        _unchanged(prompt),
        id=f"gen_{n}",
        prompt_key=f"key_{n}",
        created_at=100.0 * n,
        timeline_changed=before.draft != after.draft,
        facts=json.dumps(facts),
    )


@pytest.mark.parametrize(
    "later", ["actually 10s", "nah 10s", "no wait 10s", "actually 10s is better", "on second thought 10s"]
)
def test_s3_a_length_changed_on_purpose_later_is_no_lack_of_the_file(later: str) -> None:
    """ "make it 15s" (12 s made), then "nah 10s": the file at 10 s lacks nothing the user still wants."""
    six, twelve, ten = timeline(6, LAB, LOFI), timeline(12, LAB, LOFI), timeline(10, LAB, LOFI)
    first, second = _turn(1, "make it 15s", six, twelve), _turn(2, later, twelve, ten)
    now = read_timeline(ten.draft)
    lines = [lack.line for lack in replies.file_lacks([second, first], None, "en", now).values()]
    lines += [lack.line for lack in replies.earlier_unchanged([second, first], "en", now, [second, first])]
    assert not any("15" in line for line in lines), lines


@pytest.mark.anyio
async def test_s3_an_export_after_edits_that_changed_the_timeline_and_back_never_says_it_did_not_change(
    rich: Client, tmp_path: Path
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "beaker.jpg", "flask.jpg")})
    await ask(rich, "generate", {"prompt": "make a 6 second video", "accept_cost": True})
    first = await export_done(rich)
    same = await export_done(rich)  # nothing since: the same file, the timeline unchanged
    assert same["path"] == first["path"] and "hasn't changed since" in same["reply"], same["reply"]
    for prompt in ("set the music volume to 20%", "set the music volume to 35%"):
        edit = await ask(rich, "generate", {"prompt": prompt, "accept_cost": True})
        assert edit["timeline_changed"], edit
    again = await export_done(rich)
    assert again["path"] == first["path"], again  # the same timeline: the same file
    assert "hasn't changed" not in again["reply"], again["reply"]
    assert "changed since this file was saved" in again["reply"], again["reply"]


@pytest.mark.parametrize("later", ["actually 10", "10 is fine", "make it 10 instead"])
@pytest.mark.parametrize(("seconds", "met"), [(10, True), (12, False)])
def test_s3_a_number_alone_after_talk_of_the_length_is_the_length(
    later: str, seconds: int, met: bool
) -> None:
    facts = _facts(timeline(12, LAB, LOFI), timeline(seconds, LAB, LOFI), later, "make it 15s")
    assert "seconds" in _kinds(facts, "as_asked" if met else "not_as_asked"), facts
    assert "length_unasked" not in _kinds(facts, "not_as_asked"), facts  # never "asked nothing of it"
    assert not facts.get("not_checked"), facts


def test_s3_a_number_alone_after_other_talk_is_no_length() -> None:
    facts = _facts(timeline(12, LAB, LOFI), timeline(12, LAB, LOFI), "make it 10 instead", "add a title")
    assert "seconds" not in _kinds(facts, "as_asked") + _kinds(facts, "not_as_asked"), facts


@pytest.mark.parametrize("later", ["actually 10", "make it 10 instead"])
def test_s3_a_length_said_as_a_number_later_is_no_lack_of_the_file(later: str) -> None:
    twelve, ten = timeline(12, LAB, LOFI), timeline(10, LAB, LOFI)
    first = _turn(1, "make it 15s", timeline(6, LAB, LOFI), twelve)
    second = dataclasses.replace(
        _turn(2, later, twelve, ten), facts=json.dumps(_facts(twelve, ten, later, "make it 15s"))
    )
    now = read_timeline(ten.draft)
    lines = [lack.line for lack in replies.file_lacks([second, first], None, "en", now).values()]
    lines += [lack.line for lack in replies.earlier_unchanged([second, first], "en", now, [second, first])]
    assert not lines, lines


def test_s2_a_video_named_so_is_still_that_video_beside_an_answer_that_named_it() -> None:
    """The answer said "I added Calm Piano music to your Lake Trip video": "the lake trip one" is
    still the video of that name."""
    said = "I added Calm Piano music to your Lake Trip 2026 video."
    files = {LAKE.id: ["shore.jpg"], BAKE.id: ["cupcake.jpg"], SAFETY.id: ["goggles.jpg"]}
    found = described(
        "now on the lake trip one make the title bigger", SAFETY, [LAKE, BAKE], files, SAID, said
    )
    assert found is not None and found.named == (LAKE,), found


@pytest.mark.parametrize("prompt", ["swap the music with something jazzy", "swap the song and the title"])
def test_s3_a_swap_of_the_music_or_a_text_is_no_swap_of_photos(prompt: str) -> None:
    assert read(prompt).swap == ()


def test_s3_no_photos_is_never_said_met_from_a_track_read_in_part() -> None:
    """Two clips on the track, one listed (a capped read): the unlisted one may be an upload."""
    video = Track("video", "", [Segment("AI lab scene", 0, 3, None)], 2)
    part = Timeline((video,), 1, 6.0, 1920, 1080, aspect_ratio(1920, 1080))
    assert photos_left_out(True, part, (["beaker.jpg"], 1)) is None
    whole = Timeline(
        (Track("video", "", [Segment("AI lab scene", 0, 3, None)], 1),),
        1,
        3.0,
        1920,
        1080,
        aspect_ratio(1920, 1080),
    )
    assert photos_left_out(True, whole, (["beaker.jpg"], 1)) == {
        "kind": "no_photos",
        "names": [],
        "met": True,
    }
