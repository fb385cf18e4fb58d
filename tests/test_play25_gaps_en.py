"""Play-test gaps left from earlier sittings (English, with the 中文 phrasing beside where the same
reading serves both): answers that would have made the assistant say something false.

G1. "beach (backyard) first, then sunset": a note in brackets on a clip's word is no ask of its own;
    the order is read and judged (as asked or not), never sent as a question or left unchecked.
G2. "a 10 s video from my photos with piano music": the length beside the uploads is no word on how
    many of them; every upload on the video track is said as asked, never "not checked".
G3. "the music is too quiet, make it 40%": the level said is the ask, checked as such, not "louder".
G4. A square file exported after "a square one, keep the vertical one": the answer says where the
    vertical file kept is (the file saved of the timeline the request replaced).
G8. A square version sent anyway (accept_cost) after a vertical one, with a square file of an older
    cut saved: that file is never taken as the new square one, nor as an older cut of the vertical.
G5. An export whose render began before a request that then landed in part: the file has none of
    that request (not_in_file names it whole), never "earlier, … was not all done as asked" with
    parts read off the timeline the request changed.
G6. The credits answer's per-project line says the credits held for a request still running there
    (it said "“Video 1”: 50 (1)" while 50 more were held for the request running in it).
G7. "change the music to something jazzy" and another track now: the swap is said as asked.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import anyio
import pytest
from mcp import Client

from ai_video_music import asked
from ai_video_music.config import Settings
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.timeline import read_timeline
from ai_video_music.tools import create_server

from .conftest import ask, export_done, photo_files
from .timelines import checked, timeline

PHOTOS = ("sunset.jpg", "beach.jpg", "forest.jpg", "city-lights.jpg")


async def _photos(client: Client, tmp_path: Path) -> None:
    await ask(client, "upload", {"files": photo_files(tmp_path, *PHOTOS), "new_project": True})


# --- G1: an order with a bracketed note ------------------------------------------------------------

ORDERS = [
    ("beach (backyard) first, then sunset", "“beach”"),
    ("put the beach (the backyard one) photo first", "“beach”"),
    ("海滩（后院）那张放最前面", "「海滩」"),
]


@pytest.mark.parametrize(("prompt", "word"), ORDERS)
def test_g1_an_order_with_a_note_in_brackets_is_an_edit(prompt: str, word: str) -> None:
    assert route(prompt).action is Action.AGENT
    assert asked.read(prompt).order[0][1] == "first", asked.read(prompt)


@pytest.mark.parametrize("prompt", ["make it 10 seconds (no music)", "add the title (Hello) first"])
def test_g1_a_bracket_that_asks_or_names_no_clip_reads_no_order(prompt: str) -> None:
    assert asked.read(prompt).order == ()


@pytest.mark.anyio
@pytest.mark.parametrize(("prompt", "word"), ORDERS)
async def test_g1_an_order_with_a_note_in_brackets_is_judged_on_the_video_track(
    rich: Client, tmp_path: Path, prompt: str, word: str
) -> None:
    await _photos(rich, tmp_path)
    made = await ask(rich, "generate", {"prompt": "make a 10 second video"})
    assert made["status"] == "done", made
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done", out  # sent as the edit it is, never held as a question
    judged = " ".join(out["as_asked"] + out["not_as_asked"])
    assert word in judged, out  # the order is checked against the video track ...
    assert out["not_checked"] == [], out  # ... and no part of it is left unchecked


# --- G2: "from my photos" beside a length and the music --------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    "prompt",
    [
        "a 10 s video from my photos with piano music",
        "from my photos, 10 s, piano music",
        "用我的照片做一个10秒的视频，配钢琴音乐",
    ],
)
async def test_g2_the_uploads_beside_a_length_are_said_used(
    rich: Client, tmp_path: Path, prompt: str
) -> None:
    await _photos(rich, tmp_path)
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done", out
    used = [line for line in out["as_asked"] if "sunset" in line and "city-lights" in line]
    assert used, out["as_asked"]
    assert out["not_checked"] == [], out


@pytest.mark.parametrize(
    "prompt",
    ["a 10 s video from 2 of my photos", "only use my first photo, 10 s", "用我的两张照片做10秒视频"],
)
def test_g2_a_part_of_the_uploads_is_still_no_ask_for_all_of_them(prompt: str) -> None:
    tl = read_timeline(timeline(10, ("sunset", "beach", "forest", "city-lights")).draft)
    assert asked.uploads_on_timeline(prompt, tl, (list(PHOTOS), 4)) == []


# --- G3: a level beside "too quiet" ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "level"),
    [
        ("the music is too quiet, make it 40%", 40.0),
        ("the song is way too loud, make it about 15% please", 15.0),
        ("音乐太小声了，调到40%", 40.0),
    ],
)
def test_g3_a_level_beside_too_quiet_is_the_level_asked(prompt: str, level: float) -> None:
    stated = asked.read(prompt)
    assert (stated.music_at, stated.music_rel) == (level, None), stated


@pytest.mark.anyio
async def test_g3_the_level_asked_beside_too_quiet_is_checked(rich: Client, tmp_path: Path) -> None:
    await _photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": "make a 10 second video with piano music"})
    out = await ask(rich, "generate", {"prompt": "the music is too quiet, make it 40%"})
    assert out["status"] == "done", out
    assert any("(asked: 40%)" in line for line in out["as_asked"]), out["as_asked"]
    assert not any("louder" in line for line in out["as_asked"]), out["as_asked"]


# --- G7: a music swap that landed ---------------------------------------------------------------------

SWAPS = [
    ("change the music to something jazzy", "another track than before", True),
    ("swap the music", "another track than before", False),
    ("use a different song", "another track than before", False),
    ("换个音乐", "音乐换成了另一首", False),
    ("把音乐换成爵士风格的", "音乐换成了另一首", True),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("prompt", "words", "style_open"), SWAPS)
async def test_g7_a_music_swap_that_landed_is_said_as_asked(
    rich: Client, tmp_path: Path, prompt: str, words: str, style_open: bool
) -> None:
    await _photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": "make a 10 second video with piano music"})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done" and out["timeline_changed"], out
    swapped = [line for line in out["as_asked"] if words in line]
    assert swapped and "Calm Piano" in swapped[0], out["as_asked"]
    # a style no track's name can show ("jazzy") stays unchecked; a bare swap is all checked
    assert (prompt in out["not_checked"]) is style_open, out["not_checked"]


def test_g7_music_kept_when_another_was_asked_is_still_not_as_asked() -> None:
    before = timeline(10, ("a", "b"), ("Calm Piano (free music)", 35))
    after = timeline(10, ("a", "b"), ("Calm Piano (free music)", 20))
    for prompt in ("swap the music", "换个音乐"):
        facts = checked(before, after, prompt)
        assert {"kind": "same_music", "names": ["Calm Piano (free music)"]} in facts["not_as_asked"], facts
        assert not facts.get("as_asked"), facts


# --- G6: the credits held for a request still running ------------------------------------------------

HELD = {
    "en": (
        "make a 6 second video",
        "make it 8 seconds",
        "“Video 1”: 50 (1), 1 request still running, 50 credits held",
    ),
    "zh": ("做一个6秒的视频", "改成8秒", "「视频 1」：50（1 个），1 个请求仍在进行，已为其预留 50 积分"),
}


@pytest.mark.anyio
@pytest.mark.priced
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_g6_the_credits_per_project_say_what_is_held_for_a_running_request(
    settings: Settings, sim: Simulator, image: Path, lang: str
) -> None:
    first, second, line = HELD[lang]
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token, tool_budget=5.0))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": first})
        assert made["status"] == "done", made
        with sim.hold("run_sse"):
            working = await ask(client, "generate", {"prompt": second})
            assert working["status"] == "working", working
            during = await ask(client, "credits")
            assert during["frozen"] == 50, during
            assert line in during["reply"], during["reply"]
            assert "not charged yet" not in during["reply"] and "尚未扣费" not in during["reply"], during[
                "reply"
            ]


# --- G4: where the version kept is, after an export in the new frame ---------------------------------

KEEP = {
    "en": ("make a 10 second vertical video", "now make a square version for instagram, keep both",
           "The 180x320 (9:16) version you asked to keep is the file exported before: "),
    "zh": ("做一个10秒的竖屏视频", "再做一个方形的版本发朋友圈，两个版本都要留着",
           "你要求保留的 180x320（9:16） 版本是之前导出的文件："),
}  # fmt: skip


@pytest.mark.anyio
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_g4_a_square_export_says_where_the_vertical_file_kept_is(
    rich: Client, tmp_path: Path, lang: str
) -> None:
    first, square, words = KEEP[lang]
    await _photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": first})
    vertical = await export_done(rich)
    assert (vertical["width"], vertical["height"]) == (180, 320), vertical
    out = await ask(rich, "generate", {"prompt": square})
    assert out["status"] == "done" and out["timeline_changed"], out
    saved = await export_done(rich)
    assert (saved["width"], saved["height"]) == (180, 180), saved
    assert words + str(vertical["path"]) in saved["reply"], saved["reply"]


@pytest.mark.anyio
async def test_g4_an_export_in_the_same_frame_names_no_kept_file(rich: Client, tmp_path: Path) -> None:
    await _photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": "make a 10 second vertical video"})
    await export_done(rich)
    await ask(rich, "generate", {"prompt": "make it 8 seconds"})
    saved = await export_done(rich)
    assert "asked to keep" not in saved["reply"], saved["reply"]


# --- G8: a second frame sent anyway, and a saved file of that frame from an older cut ------------------

SECOND = {
    "en": (
        ("make a 10 second square video", "make it vertical 9:16 and 15 seconds",
         "now make a square version for instagram, keep both"),
        "is an older version of it",
        "is a 180x180 (1:1) video of an older cut (10s), not the square version asked for now",
    ),
    "zh": (
        ("做一个10秒的方形视频", "改成竖屏9:16，15秒", "再做一个方形的版本发朋友圈，两个版本都要留着"),
        "是它更早的版本",
        "是更早剪辑的 180x180（1:1） 视频（10秒），不是现在要的方形版本",
    ),
}  # fmt: skip


@pytest.mark.anyio
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_g8_a_saved_file_of_the_second_frame_from_an_older_cut_is_never_the_new_one(
    rich: Client, tmp_path: Path, lang: str
) -> None:
    (square, vertical, both), wrong, right = SECOND[lang]
    await _photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": square})
    old = await export_done(rich)
    assert (old["width"], old["height"]) == (180, 180), old
    made = await ask(rich, "generate", {"prompt": vertical})
    assert made["status"] == "done" and made["timeline_changed"], made
    held = await ask(rich, "generate", {"prompt": both})
    assert held["status"] == "needs_confirmation", held
    name = Path(str(old["path"])).name
    # the square file is no older cut of the vertical video it would replace, nor the square asked
    assert wrong not in held["reply"] and right in held["reply"] and name in held["reply"], held["reply"]
    sent = await ask(rich, "generate", {"prompt": both, "accept_cost": True})
    assert sent["status"] == "done" and sent["timeline_changed"], sent
    assert right in sent["reply"] and name in sent["reply"], sent["reply"]


# --- G5: a request that landed in part while an export rendered ------------------------------------

LATER = {
    "en": (
        "make a 10 second video",
        "make it 8 seconds and put the beach photo first",
        "not all done as asked",
    ),
    "zh": ("做一个10秒的视频", "改成8秒，把海滩那张放第一个", "没有完全照要求完成"),
}


@pytest.mark.anyio
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_g5_an_export_begun_before_a_request_landed_in_part_lacks_all_of_it(
    settings: Settings, sim: Simulator, tmp_path: Path, lang: str
) -> None:
    first, later, wrong = LATER[lang]
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await _photos(client, tmp_path)
        await ask(client, "generate", {"prompt": first})
        saved: dict[str, dict[str, object]] = {}

        async def export() -> None:
            saved["out"] = await ask(client, "export")

        with sim.hold("render", during_call=True) as gate:
            async with anyio.create_task_group() as tg:
                tg.start_soon(export)
                assert await gate.entered()
                edit = await ask(client, "generate", {"prompt": later})
                # it landed in part: the length made, the order not
                assert edit["timeline_changed"] and edit["as_asked"] and edit["not_as_asked"], edit
                gate.release()
        out = saved["out"]
        assert out["status"] == "done" and out["duration_s"] == 10.0, out
        assert out["not_in_file"] == [later], out["not_in_file"]
        assert wrong not in str(out["reply"]), out["reply"]
