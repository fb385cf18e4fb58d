"""Play-test 14's findings (EN), through a real MCP client session, in both languages: a request
the timeline already satisfies ("make sure it is vertical so it fits my phone screen", "lower the
music to about 20%", "音量调到 20%") is told as already as asked, not as a failure; the clip order
asked for ("put the beach photo first", "把海滩那张放第一个") is checked against the video track; a
music style only partly in the track's name ("upbeat electronic" under "Upbeat Pop") is not
checked; quotes and "Ms."/"Dr." end no sentence; a video "called X" that shows X as its title is
no "not as asked"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music.asked import met, read, unmet
from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.timeline import Segment, Timeline, Track
from ai_video_music.unchecked import not_checked

from .conftest import ask, photo_files

pytestmark = pytest.mark.anyio


def told(out: dict[str, Any]) -> str:
    return str(out["reply"]) + "\n" + "\n".join(out["next_steps"])


# --- 2. a request already satisfied ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "again", "already", "item"),
    [
        (
            "Make a 20-second vertical video with calm piano music",
            "oh and make sure it is vertical so it fits my phone screen",
            "Already as asked: the frame is vertical (180x320).",
            "the frame is vertical (180x320)",
        ),
        (
            "做一个20秒的竖屏视频，配上舒缓的钢琴音乐",
            "确保是竖屏",
            "本来就符合要求：画面是竖屏（180x320）。",
            "画面是竖屏（180x320）",
        ),
        (
            "lower the music to 20%",
            "lower the music to about 20%",
            "Already as asked: the music is at 20% (asked: 20%).",
            "the music is at 20% (asked: 20%)",
        ),
        (
            "把音乐调到20%",
            "音量调到 20%",
            "本来就符合要求：音乐音量 20%（要求 20%）。",
            "音乐音量 20%（要求 20%）",
        ),
    ],
    ids=["shape-en", "shape-zh", "volume-en", "volume-zh"],
)
async def test_a_request_the_timeline_already_has_is_told_as_already_as_asked(
    rich: Client, tmp_path: Path, first: str, again: str, already: str, item: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "sunrise.jpg", "forest.jpg")})
    if "20%" in first:  # a video with music first, then its volume set
        await ask(rich, "generate", {"prompt": "Make a 20-second video with calm piano music"})
    done = await ask(rich, "generate", {"prompt": first})
    assert done["status"] == "done", done
    out = await ask(rich, "generate", {"prompt": again})
    assert out["timeline_changed"] is False, out
    assert out["as_asked"] == [item], out
    assert out["not_as_asked"] == [] and out["not_checked"] == [], out
    assert out["reply"].startswith(already), out["reply"]
    said = told(out)
    for failure in ("Note: the timeline did not change", "changed nothing", "注意：", "没有改动"):
        assert failure not in said, said


@pytest.mark.parametrize(
    "prompt", ["set the music to about 20%", "把音乐音量调到 20% 左右"], ids=["en", "zh"]
)
def test_a_volume_level_is_met_within_two_points_and_the_level_found_is_said(prompt: str) -> None:
    def at(volume: float) -> Timeline:
        video = Track("video", "", [Segment("a", 0, 10, None)], 1)
        return Timeline((video, Track("audio", "", [Segment("Calm Piano", 0, 10, volume)], 1)), 2, 10.0)

    stated = read(prompt)
    assert stated.music_at == 20
    for near in (18.0, 20.0, 22.0):
        assert unmet(stated, at(near)) == [] and met(stated, at(near)) == [
            {"kind": "volume_at", "asked": 20.0, "found": near}
        ]
    assert unmet(stated, at(35.0)) == [{"kind": "volume_at", "asked": 20.0, "found": 35.0}]
    assert met(stated, at(35.0)) == [] and not_checked(prompt, at(35.0)) == []
    # Said loosely beside the music, the level is the same ask, never also "not checked".
    loose = "lower the music a bit, to about 20%" if prompt.isascii() else "音乐小一点，20% 左右"
    assert read(loose).music_at == 20 and not_checked(loose, at(35.0)) == []


# --- 3. clip order ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "prompt", "unmet"),
    [
        (
            ("city-lights.jpg", "beach.jpg"),
            "make it 10 seconds and put the beach photo first",
            "the request asked for “beach” first, but the video starts with “city-lights”",
        ),
        (("城市.jpg", "海滩.jpg"), "把海滩那张放第一个", "要求把「海滩」放在最前面，但视频开头是「城市」"),
    ],
    ids=["en", "zh"],
)
async def test_a_clip_order_asked_for_is_checked_against_the_video_track(
    rich: Client, tmp_path: Path, names: tuple[str, str], prompt: str, unmet: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, *names)})
    await ask(rich, "generate", {"prompt": "Make a 15-second square video"})
    out = await ask(rich, "generate", {"prompt": prompt})
    video = next(tr for tr in (await ask(rich, "status"))["timeline"]["tracks"] if tr["kind"] == "video")
    assert video["segments"][0]["name"] == names[0].removesuffix(".jpg"), "the simulator leaves the order"
    assert unmet in out["not_as_asked"], out["not_as_asked"]
    assert not any("first" in p or "第一" in p for p in out["not_checked"]), out["not_checked"]
    assert out["reply"].startswith(("Not as asked:", "与要求不符")), out["reply"]


async def test_a_clip_order_met_is_as_asked_and_an_unknown_clip_stays_not_checked(
    rich: Client, tmp_path: Path
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "city-lights.jpg", "beach.jpg")})
    await ask(rich, "generate", {"prompt": "Make a 15-second square video"})
    out = await ask(rich, "generate", {"prompt": "put the city lights photo first"})
    assert out["as_asked"] == ["the video starts with “city-lights”"], out
    assert out["not_checked"] == [] and out["not_as_asked"] == [], out
    out = await ask(rich, "generate", {"prompt": "swap the order so the beach photo comes first"})
    assert out["not_as_asked"] == [
        "the request asked for “beach” first, but the video starts with “city-lights”"
    ], out
    out = await ask(rich, "generate", {"prompt": "put the dog photo last"})
    assert out["not_checked"] == ["put the dog photo last"], out
    assert out["not_as_asked"] == [], out


# --- 4. a music style only partly matched -----------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "unchecked"),
    [
        (
            "Make a square 15-second video called 'Night run crew' for our running club from these two "
            "photos, with upbeat electronic music",
            "with upbeat electronic music",
        ),
        ("change the music to upbeat electronic music", "change the music to upbeat electronic music"),
    ],
    ids=["made", "changed"],
)
async def test_a_style_word_shared_with_the_track_is_not_a_match(
    rich: Client, tmp_path: Path, prompt: str, unchecked: str
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "city-lights.jpg", "beach.jpg")})
    if prompt.startswith("change"):
        await ask(rich, "generate", {"prompt": "Make a 15-second square video with calm piano music"})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert "Upbeat Pop" in out["reply"], out["reply"]
    assert unchecked in out["not_checked"], out["not_checked"]
    assert any(unchecked in step for step in out["next_steps"]), out["next_steps"]


# --- quotes and abbreviations; a video called X titled X -----------------------------------------


@pytest.mark.parametrize(
    ("prompt", "name", "unchecked"),
    [
        (
            'Make a 12-second widescreen 16:9 thank-you video for my piano teacher called "Thank you, '
            'Ms. Ortega" with soft string music',
            "Thank you, Ms. Ortega",
            ["with soft string music"],
        ),
        (
            'Make a 12-second widescreen 16:9 farewell video called "Goodbye, Dr. Patel" with calm music',
            "Goodbye, Dr. Patel",
            [],
        ),
        (
            "做一个12秒的横屏视频，叫「谢谢你，Ms. Ortega」，配上柔和的弦乐",
            "谢谢你，Ms. Ortega",
            ["配上柔和的弦乐"],
        ),
    ],
    ids=["ms", "dr", "zh"],
)
async def test_a_quoted_name_is_one_ask_and_shown_as_the_title_is_no_alarm(
    rich: Client, tmp_path: Path, prompt: str, name: str, unchecked: list[str]
) -> None:
    await ask(rich, "upload", {"files": photo_files(tmp_path, "forest.jpg", "sunrise.jpg")})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["project"]["name"] == name, out["project"]
    assert out["not_checked"] == unchecked, out["not_checked"]
    assert out["not_as_asked"] == [], out["not_as_asked"]
    assert "Not as asked" not in out["reply"] and "与要求不符" not in out["reply"], out["reply"]
    note = (
        f"视频的名字「{name}」也作为标题显示在画面上。"
        if "叫" in prompt
        else f"The video's name “{name}” is also shown on screen as its title."
    )
    assert note in out["reply"], out["reply"]
    assert not any("differs" in step or "不符" in step for step in out["next_steps"]), out["next_steps"]


@pytest.mark.parametrize(
    ("prompt", "shape"),
    [
        ("对了，改成横屏", "horizontal"),
        ("改成横屏16:9", "horizontal"),
        ("横屏 16:9", "horizontal"),
        ("竖屏9:16，10秒", "vertical"),
        ("回到老房子那个视频，改成横屏", "horizontal"),
        ("by the way, make it horizontal", "horizontal"),
        ("back to the grandpa video, make it horizontal", "horizontal"),
    ],
)
def test_fillers_and_a_shape_with_its_ratio_leave_nothing_unchecked(prompt: str, shape: str) -> None:
    """Play-test 14 中文: "对了" and "横屏16:9" were listed as not checked, so an unchanged
    timeline that already had the frame was told as a failure ("没有变化")."""
    video = Track("video", "", [Segment("a.jpg", 0, 10, None)], 1)
    tl = Timeline(tracks=(video,), tracks_total=1, duration_s=10.0, width=1920, height=1080)
    assert read(prompt).shape is not None and read(prompt).shape.value == shape, prompt
    assert not_checked(prompt, tl) == [], prompt


def test_a_loose_volume_said_with_sheng_yin_beside_its_level_is_that_level() -> None:
    music = Track("audio", "", [Segment("Calm Piano (free music)", 0, 10, 20)], 1)
    tl = Timeline(tracks=(music,), tracks_total=1, duration_s=10.0)
    assert not_checked("音乐声音小一点，调到20%", tl) == []
    assert not_checked("对了，调亮一点", tl) == ["调亮一点"]


def test_a_quoted_text_asked_at_the_end_is_judged_by_where_it_stands() -> None:
    """Play-test 14 中文: "在视频最后加一句字幕「下次见」" landed at 0-3 s over the opening title, and
    the answer said only that the text was there: an assistant would say "加好了（在结尾）"."""
    video = Track("video", "", [Segment("a.jpg", 0, 10, None)], 1)
    early = Timeline(
        tracks=(video, Track("text", "", [Segment("下次见", 0, 3, None)], 1)), tracks_total=2, duration_s=10.0
    )
    late = Timeline(
        tracks=(video, Track("text", "", [Segment("下次见", 7, 10, None)], 1)),
        tracks_total=2,
        duration_s=10.0,
    )
    for prompt in ("在视频最后加一句字幕「下次见」", 'Put the caption "下次见" at the very end.'):
        asked = read(prompt)
        assert unmet(asked, early) == [{"kind": "text_at", "name": "下次见", "where": "end", "found": "0-3"}]
        assert unmet(asked, late) == [] and met(asked, late)[0]["kind"] == "text_at"
        assert not_checked(prompt, early) == []
    start = read("在开头加字幕「下次见」")
    assert unmet(start, early) == [] and unmet(start, late)[0]["where"] == "start"
    # Two quoted texts, a question, or the place inside the quote: no place is read.
    for prompt in (
        'Add the caption "Bye" at the end and the title "Hi" at the start',
        "如果最后加「下次见」会怎样？",
        'Add "the end" as a caption',
    ):
        assert read(prompt).text_at == (), prompt


async def test_the_answer_says_a_caption_landed_somewhere_else_than_asked(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    import dataclasses

    from ai_video_music.tools import create_server

    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "Make a 10-second video."})
        out = await ask(client, "generate", {"prompt": "在视频最后加一句字幕「下次见」"})
        st = await ask(client, "status")
        texts = [s for t in st["timeline"]["tracks"] if t["kind"] == "text" for s in t["segments"]]
        placed = [s for s in texts if "下次见" in s["name"]]
        assert placed, texts
        at_end = any(s["start_s"] >= 5 or (s["end_s"] or 0) >= 9.5 for s in placed)
        said = " ".join(out["not_as_asked"] + out["as_asked"])
        assert ("在结尾" in said) if at_end else ("要求把「下次见」放在结尾" in said), out


@pytest.mark.parametrize(
    ("prompt", "where"),
    [
        ('Add a closing caption "See you next season!" in the last 3 seconds.', "end"),
        ('show "Welcome" in the first 2 seconds', "start"),
        ("前3秒显示「欢迎」", "start"),
        ("最后5秒加字幕「再见」", "end"),
    ],
)
def test_a_text_placed_by_its_first_or_last_seconds_is_judged_there_and_is_no_length(
    prompt: str, where: str
) -> None:
    """Play-test 15: "a closing caption … in the last 3 seconds" replaced the opening title."""
    stated = read(prompt)
    assert [w for _, w in stated.text_at] == [where] and stated.seconds is None, stated
