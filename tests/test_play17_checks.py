"""Play-tests 17 (EN and 中文): what a request asked, checked against the verified timeline.

1. A length said as people say it ("make the whole video about 16 seconds long", "改回20秒",
   "剪短到8秒", "20秒左右") is a length ask: never "a length change nobody asked for".
2. A quoted text the request asks to remove is checked as absent: gone is as asked, still there
   is not as asked; never "not on the timeline, although the request quoted it".
3. A quoted text asked to be added and nowhere on the timeline is not as asked, wherever the
   place phrase is; a place we can't read is not checked, never silently dropped.
4. "no music (I will add a voiceover)": the aside after "no music" hides nothing.
5. A part is in exactly one of as_asked / not_as_asked / not_checked: what the timeline (or the
   change) shows is never also "not checked" ("a bit quieter" beside 35% → 20%).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music.asked import length_unasked, met, read, unmet
from ai_video_music.models import SessionState
from ai_video_music.simulator import Simulator
from ai_video_music.timeline import Segment, Timeline, Track
from ai_video_music.unchecked import not_checked

from .conftest import ask, kinds
from .timelines import checked
from .timelines import timeline as built

pytestmark = pytest.mark.anyio


def timeline(
    seconds: float = 16,
    volume: float | None = 20.0,
    texts: tuple[tuple[str, float, float], ...] = (("See you soon", 0, 3),),
    music: str = "Calm Piano (free music)",
) -> Timeline:
    video = Track(
        "video",
        "",
        [Segment("beach.jpg", 0, seconds / 2, None), Segment("sunrise.jpg", seconds / 2, seconds, None)],
        2,
    )
    tracks = [video]
    if volume is not None:
        tracks.append(Track("audio", "", [Segment(music, 0, seconds, volume)], 1))
    if texts:
        tracks.append(Track("text", "", [Segment(n, s, e, None) for n, s, e in texts], len(texts)))
    return Timeline(
        tracks=tuple(tracks), tracks_total=len(tracks), duration_s=float(seconds), width=1080, height=1920
    )


def state(
    seconds: float = 16,
    volume: float | None = 35.0,
    texts: tuple[tuple[str, float, float], ...] = (),
    music: str = "Lo-fi Chill (free music)",
) -> SessionState:
    sound = (music, volume) if volume is not None else None
    return built(seconds, ("beach.jpg", "sunrise.jpg"), sound, texts, (1080, 1920))


def facts(prompt: str, before: SessionState, after: SessionState) -> dict[str, Any]:
    return checked(before, after, prompt)


# --- 1. a length said as people say it ------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "seconds"),
    [
        ("make the whole video about 16 seconds long", 16),
        ("Make it about 12 seconds.", 12),
        ("make it around 15 seconds", 15),
        ("about 15 seconds", 15),
        ("roughly 20 seconds long please", 20),
        ("cut it down to 8 seconds", 8),
        ("trim it to 10s", 10),
        ("shorten it to 8 seconds", 8),
        ("extend it to 20 seconds", 20),
        ("change it back to 20 seconds", 20),
        ("make it 20 seconds again", 20),
        ("the whole video should be about 16 seconds", 16),
        ("15 seconds or so", 15),
        ("改回20秒", 20),
        ("夏天那个视频改回20秒", 20),
        ("城市那个视频改成8秒", 8),
        ("把视频剪短到8秒", 8),
        ("改成15秒", 15),
        ("剪到8秒", 8),
        ("缩短到8秒", 8),
        ("延长到20秒", 20),
        ("变成15秒", 15),
        ("20秒左右", 20),
        ("大约20秒", 20),
        ("时长控制在20秒左右", 20),
        ("改回二十秒", 20),
        ("剪成十五秒吧", 15),
    ],
)
def test_a_length_said_as_people_say_it_is_read(prompt: str, seconds: float) -> None:
    assert read(prompt).seconds == seconds, read(prompt)
    assert not_checked(prompt, timeline(seconds)) == [], "checked: never also not checked"


@pytest.mark.parametrize(
    "prompt",
    [
        "extend it by 5 seconds",
        "make it 5 seconds longer",
        "cut 5 seconds",
        "延长5秒",
        "缩短5秒",
        "只保留前8秒",
        "keep it under 15 seconds",
        "每张照片2秒",
        "字幕显示3秒",
        "在最后两秒加一条字幕",
        "the title for about 5 seconds",
    ],
)
def test_a_part_s_seconds_or_a_change_by_is_no_length(prompt: str) -> None:
    assert read(prompt).seconds is None


def test_a_length_asked_beside_a_text_s_place_is_no_unasked_length_change() -> None:
    """en F1: "Not as asked: the request asked nothing of the length, but the video went from 12
    to 16 seconds" for "… make the whole video about 16 seconds long"."""
    prompt = (
        'Move "See you soon" to the last few seconds of the video, and make the whole video about 16 '
        "seconds long."
    )
    out = facts(
        prompt, state(12, texts=(("See you soon", 0, 3),)), state(16, texts=(("See you soon", 0, 3),))
    )
    assert "length_unasked" not in kinds(out.get("not_as_asked"))
    assert "seconds" in kinds(out.get("as_asked"))
    # The text stayed at 0-3 s though the request asked for the last few seconds: said.
    assert {"kind": "text_at", "name": "See you soon", "where": "end", "found": "0-3"} in out["not_as_asked"]
    assert out.get("not_checked") is None
    for zh in (
        "夏天那个视频改回20秒，开头标题「夏天的尾巴」要留着，「明年见」只放在最后两秒",
        "把视频剪短到8秒，只保留前8秒",
    ):
        before = Timeline(
            tracks=(Track("video", "", [Segment("a.jpg", 0, 2, None)], 1),), tracks_total=1, duration_s=2.0
        )
        after = Timeline(
            tracks=(Track("video", "", [Segment("a.jpg", 0, 20, None)], 1),), tracks_total=1, duration_s=20.0
        )
        assert length_unasked(zh, before, after) is None, zh


# --- 2. a quoted text asked to be removed ----------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        'On the waves intro, remove the music and the "My Video" title. I don\'t want either.',
        "把开头那行“我的视频”的字删掉，不要标题，音乐也不要",
        "去掉标题「My Video」",
        "「My Video」这行字不要了",
        'delete the "My Video" text',
        'get rid of "My Video"',
        'take "My Video" off the video',
    ],
)
def test_a_quoted_text_asked_removed_is_checked_as_absent(prompt: str) -> None:
    name = "我的视频" if "我的视频" in prompt else "My Video"
    before = state(5, texts=((name, 0, 3),))
    gone = facts(prompt, before, state(5, volume=None))
    assert "missing_quotes" not in gone and "quote_missing" not in kinds(gone.get("not_as_asked"))
    assert {"kind": "text_removed", "name": name} in gone["as_asked"], gone
    kept = facts(prompt, before, state(5, volume=None, texts=((name, 0, 3),)))
    assert {"kind": "text_kept", "name": name} in kept["not_as_asked"], kept
    assert "text_at" not in kinds(kept.get("not_as_asked")) + kinds(kept.get("as_asked"))


def test_removing_the_music_is_no_music_and_not_also_unchecked() -> None:
    prompt = 'On the waves intro, remove the music and the "My Video" title. I don\'t want either.'
    out = facts(prompt, state(5, texts=(("My Video", 0, 3),)), state(5, volume=None))
    assert {"kind": "music"} in out["as_asked"] and out.get("not_checked") is None, out
    for words in (
        "Remove the music, no music at all.",
        "音乐也不要",
        "把音乐删掉",
        "音乐去掉吧",
        "drop the music",
    ):
        assert read(words).no_music, words
        assert not_checked(words, timeline(volume=None)) == [], words


@pytest.mark.parametrize(
    "prompt",
    [
        'change the title "My Video" to "Waves"',
        "把标题「My Video」改成「Waves」",
        'replace "My Video" with "Waves"',
    ],
)
def test_the_text_a_request_replaces_is_not_asked_to_be_there(prompt: str) -> None:
    out = facts(prompt, state(5, texts=(("My Video", 0, 3),)), state(5, texts=(("Waves", 0, 3),)))
    assert "quote_missing" not in kinds(out.get("not_as_asked")) and "missing_quotes" not in out, out
    lied = facts(prompt, state(5, texts=(("My Video", 0, 3),)), state(5, texts=(("My Video", 0, 3),)))
    assert {"kind": "quote_missing", "name": "Waves"} in lied["not_as_asked"], lied


# --- 3. a quoted caption asked to be added ---------------------------------------------------------


def test_a_caption_asked_for_and_nowhere_is_not_as_asked_and_never_already_as_asked() -> None:
    """zh F2: "在视频最后两秒加一条字幕「明年见」，开头的标题「夏天的尾巴」保留不动" changed nothing and was
    told "the timeline was already as asked; don't suggest it again"."""
    prompt = "在视频最后两秒加一条字幕「明年见」，开头的标题「夏天的尾巴」保留不动"
    same = state(20, texts=(("夏天的尾巴", 0, 3),))
    out = facts(prompt, same, same)
    assert {"kind": "quote_missing", "name": "明年见"} in out["not_as_asked"], out


@pytest.mark.parametrize(
    ("prompt", "where"),
    [
        ('put the caption "See you soon" near the end', "end"),
        ('Move "See you soon" to the last few seconds of the video', "end"),
        ('"See you soon" towards the end please', "end"),
        ("「明年见」放在最后几秒", "end"),
        ("结尾加一行字「明年见」", "end"),
        ("「明年见」放到视频快结束的时候", "end"),
        ('put "Hello" near the beginning', "start"),
    ],
)
def test_a_caption_s_place_said_loosely_is_judged(prompt: str, where: str) -> None:
    assert [w for _, w in read(prompt).text_at] == [where], read(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        'put "See you soon" in the middle',
        "「明年见」放在中间",
        'show "Hi" after the second photo',
        # "第5秒出现「明年见」" is a start time, checked since play 20 (test_play20_zh_checks.py)
        # "「明年见」放在第5到8秒" is a span, checked since play 22 (test_play22_zh_checks.py)
    ],
)
def test_a_caption_s_place_we_cannot_read_is_not_checked(prompt: str) -> None:
    tl = timeline(texts=(("See you soon", 0, 3), ("明年见", 0, 3), ("Hi", 0, 3)))
    assert read(prompt).text_at == ()
    assert not_checked(prompt, tl) == [prompt], prompt


# --- 4. "no music" followed by an aside ------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        'A 16:9 teaser called "Pier Diaries" from the beach photo, 8 seconds, no music (I will add a '
        'voiceover). Title "Pier Diaries".',
        "no music (I'll do the narration myself)",
        "no music — I'll add my own voiceover",
        "without music — thanks",
        "no music!!",
        "不要音乐（我自己配音）",
        "不要音乐（后期我自己加旁白）",
        "不要音乐——谢谢",
    ],
)
def test_no_music_followed_by_an_aside_is_read(prompt: str) -> None:
    assert read(prompt).no_music, prompt
    listed = not_checked(prompt, timeline(8, volume=None, texts=(("Pier Diaries", 0, 3),)))
    assert not any("music" in item or "音乐" in item for item in listed), listed


@pytest.mark.parametrize("prompt", ["no music, just the sound of the waves", "不要音乐，只要海浪的声音"])
def test_no_music_with_other_sound_wanted_is_still_not_read(prompt: str) -> None:
    assert not read(prompt).no_music


# --- 5. what the timeline shows is never also "not checked" ---------------------------------------


@pytest.mark.parametrize(
    ("prompt", "down"),
    [
        ("make the music a bit quieter", True),
        ("turn the music down a bit", True),
        ("音乐小一点", True),
        ("音量调小一点", True),
        ("turn the music up a bit", False),
        ("music a little louder please", False),
        ("音乐大声一点", False),
    ],
)
def test_a_relative_volume_is_checked_against_the_change(prompt: str, down: bool) -> None:
    quieter, louder = state(volume=20.0), state(volume=50.0)
    done = facts(prompt, state(volume=35.0), quieter if down else louder)
    assert "volume_moved" in kinds(done.get("as_asked")) and done.get("not_checked") is None, done
    missed = facts(prompt, state(volume=35.0), louder if down else quieter)
    assert "volume_moved" in kinds(missed.get("not_as_asked")), missed
    same = facts(prompt, state(volume=35.0), state(volume=35.0))
    assert "volume_moved" in kinds(same.get("not_as_asked")), same


@pytest.mark.parametrize(
    "prompt",
    [
        "用这三张照片做一个竖屏小视频，20秒左右",
        "音乐小一点，调到20%吧",
        "音量20%就行",
        "音乐也不要",
        "about 20 seconds",
    ],
)
def test_colloquial_checked_asks_are_not_also_unchecked(prompt: str) -> None:
    tl = timeline(20, volume=20.0 if "音乐也不要" not in prompt else None)
    assert not_checked(prompt, tl) == [], prompt
    assert unmet(read(prompt), tl) == [], prompt
    assert met(read(prompt), tl), prompt


def test_a_music_style_in_chinese_named_by_the_track_is_as_asked() -> None:
    out = facts("背景音乐换成钢琴曲", state(volume=35.0), state(volume=35.0, music="Calm Piano (free music)"))
    assert "music_style" in kinds(out.get("as_asked")) and out.get("not_checked") is None, out


def test_keeping_the_opening_title_is_checked_against_the_title_before() -> None:
    prompt = "在视频结尾加一句字幕「下次一起吃蛋糕」，开头的标题别动"
    before = state(20, texts=(("夏天的尾巴", 0, 3),))
    replaced = facts(prompt, before, state(20, texts=(("下次一起吃蛋糕", 0, 3),)))
    assert "title_kept" in kinds(replaced.get("not_as_asked")), replaced
    kept = facts(prompt, before, state(20, texts=(("夏天的尾巴", 0, 3), ("下次一起吃蛋糕", 17, 20))))
    assert "title_kept" in kinds(kept.get("as_asked")) and kept.get("not_checked") is None, kept


# --- through the MCP tools, against the simulator --------------------------------------------------


async def test_a_removed_title_is_told_as_removed_not_as_missing(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    made = await ask(rich, "generate", {"prompt": 'Make a 5 second video with the title "My Video"'})
    assert made["timeline_changed"] is not False
    out = await ask(rich, "generate", {"prompt": 'remove the music and the "My Video" title'})
    with sim.state.lock:
        drafts = [s.draft for s in sim.state.sessions.values()]
    shown = [
        seg.get("n") for d in drafts for tr in d.get("t", []) if tr.get("tt") == 7 for seg in tr.get("sg", [])
    ]
    assert "My Video" not in shown, "the simulator's agent removes the title"
    assert "Not on the timeline" not in out["reply"] and out["not_as_asked"] == [], out
    assert out["not_checked"] == [], out
    said = " ".join(out["as_asked"])
    assert "My Video" in said and "no music" in said, out
    again = await ask(rich, "generate", {"prompt": 'remove the music and the "My Video" title'})
    # en F14: a repeat of a request that fully landed says the timeline already has it.
    assert again["status"] == "needs_confirmation", again
    assert (
        "That request is already as asked: there is no music; “My Video” is no longer on the timeline."
        in (again["reply"])
    ), again["reply"]


async def test_a_length_asked_back_is_as_asked_not_an_unasked_change(rich: Client, image: Path) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "做一个10秒的视频"})
    await ask(rich, "generate", {"prompt": "剪成2秒"})
    out = await ask(rich, "generate", {"prompt": "夏天那个视频改回20秒"})
    assert out["timeline_changed"] is True and out["not_as_asked"] == [], out
    assert "时间线是 20 秒" in out["as_asked"] and out["not_checked"] == [], out
    assert not out["reply"].startswith("与要求不符"), out["reply"]


async def test_quieter_music_is_told_as_done_and_not_as_unchecked(rich: Client, image: Path) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "Make a 10 second video with calm piano music"})
    out = await ask(rich, "generate", {"prompt": "make the music a bit quieter"})
    assert out["not_checked"] == [] and out["not_as_asked"] == [], out
    assert any(item.startswith("the music is quieter: ") for item in out["as_asked"]), out


async def test_a_caption_that_did_not_land_is_never_told_as_already_as_asked(
    rich: Client, sim: Simulator, image: Path
) -> None:
    """zh F2, through the tools: the answer and status both say 「明年见」 is missing, first."""
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "做一个10秒的视频，标题「夏天的尾巴」"})
    sim.configure(lie_rate=1.0)  # the agent claims the edit and makes none
    out = await ask(
        rich, "generate", {"prompt": "在视频最后两秒加一条字幕「明年见」，开头的标题「夏天的尾巴」保留不动"}
    )
    assert out["timeline_changed"] is False, out
    assert "请求要的「明年见」没有出现在时间线上" in out["not_as_asked"], out
    assert out["reply"].startswith("与要求不符：请求要的「明年见」没有出现在时间线上"), out["reply"]
    st = await ask(rich, "status")
    steps = "\n".join(out["next_steps"] + st["next_steps"])
    assert "本来就符合要求" not in steps and "时间线本来就" not in steps, steps


async def test_no_music_beside_a_voiceover_the_user_adds_is_checked(rich: Client, image: Path) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    out = await ask(
        rich, "generate", {"prompt": "A 16:9 teaser, 8 seconds, no music (I will add a voiceover)."}
    )
    assert out["reply"].startswith("Not as asked: the request said no music"), out["reply"]


@pytest.mark.parametrize(
    ("prompt", "way"),
    [
        ("音乐换成钢琴，字小一点", None),
        ("音乐，小一点", "down"),
        ("don't make the music louder", None),
        ("lower the music to about 20%", None),  # the level is the ask
        ("make the title smaller", None),
    ],
)
def test_a_relative_volume_is_read_only_of_the_music(prompt: str, way: str | None) -> None:
    assert read(prompt).music_rel == way


@pytest.mark.parametrize(
    ("prompt", "removed"),
    [
        ("删掉「A」和「B」", ("A", "B")),
        ("不要把「A」改成「B」", ()),
        ('remove everything except "Hello"', ()),
        ('remove the blur from "Sunset"', ()),
        ('don\'t remove "Hello"', ()),
        ('Is "Hello" removed?', ()),
    ],
)
def test_only_a_quoted_text_plainly_asked_to_go_is_read_as_removed(
    prompt: str, removed: tuple[str, ...]
) -> None:
    assert read(prompt).removed == removed


@pytest.mark.parametrize(
    ("prompt", "where", "removed"),
    [
        ('Take the "Maya" text off the start and put it at the very end instead.', (("Maya", "end"),), ()),
        ("把「A」从开头挪到结尾", (("A", "end"),), ()),
        ('move "Hi" from the start to the end', (("Hi", "end"),), ()),
        ("把「A」从开头删掉，放到结尾", (), ()),
    ],
)
def test_a_text_moved_is_neither_removed_nor_placed_where_it_came_from(
    prompt: str, where: tuple[tuple[str, str], ...], removed: tuple[str, ...]
) -> None:
    stated = read(prompt)
    assert (stated.text_at, stated.removed) == (where, removed)
    tl = timeline(texts=(("Maya", 13, 16), ("A", 13, 16), ("Hi", 13, 16)))
    assert not_checked(prompt, tl) == ([] if where else ["放到结尾"])


def test_a_place_said_again_and_a_loud_music_said_kindly_leave_nothing_unchecked() -> None:
    tl = timeline(20, volume=30.0, texts=(("Maya", 17, 20),))
    assert (
        not_checked('Put it back to 20 seconds, and move the "Maya" text to the end, the last 3 seconds.', tl)
        == []
    )
    assert not_checked("音乐别太吵，音量30%就行", tl) == []
    assert read("帮我直接生成一段5秒的海浪空镜，不用我的照片").seconds == 5


async def test_an_export_says_an_earlier_caption_that_never_landed_is_not_in_the_file(
    rich: Client, sim: Simulator, image: Path
) -> None:
    """An earlier request that changed nothing is left out of the export's answer only when all it
    asked is on the file's timeline: a quoted caption too, not only the length beside it."""
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "做一个10秒的视频"})
    sim.configure(lie_rate=1.0)
    lied = await ask(rich, "generate", {"prompt": "10秒，在结尾加上字幕「下次见」"})
    assert lied["timeline_changed"] is False, lied
    sim.configure(lie_rate=0.0)
    await ask(rich, "generate", {"prompt": "把音乐调到20%"})
    out = await ask(rich, "export")
    assert "下次见" in out["reply"], out["reply"]


def test_a_quoted_text_found_is_as_asked_once() -> None:
    out = facts('Add the caption "Hi"', state(5), state(5, texts=(("Hi", 0, 3),)))
    assert out["as_asked"] == [{"kind": "quote_shown", "name": "Hi"}] and "not_as_asked" not in out, out
    titled = facts('Add the title "Hi"', state(5), state(5, texts=(("Hi", 0, 3),)))
    assert kinds(titled["as_asked"]) == ["title"], titled
    placed = facts('Put "Hi" at the end', state(5), state(5, texts=(("Hi", 0, 3),)))
    assert "as_asked" not in placed and kinds(placed["not_as_asked"]) == ["text_at"], placed


@pytest.mark.parametrize(
    ("prompt", "removed"),
    [
        ("把「A」删掉，把「B」加在结尾", ("A",)),
        ('Move "B" to the end and remove "A"', ("A",)),
        ('remove "A" and put it back later', ()),
    ],
)
def test_a_removal_beside_another_text_placed_is_still_a_removal(
    prompt: str, removed: tuple[str, ...]
) -> None:
    assert read(prompt).removed == removed


async def test_a_repeat_of_a_colloquial_volume_that_landed_says_it_is_already_as_asked(
    rich: Client, image: Path
) -> None:
    """zh F7 (calls 36, 37): the repeat said "改动了时间线（但这不代表…）" of a volume met."""
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "做一个10秒的视频，配上钢琴音乐"})
    done = await ask(rich, "generate", {"prompt": "音乐别太吵，音量30%就行"})
    assert done["not_checked"] == [] and done["not_as_asked"] == [], done
    again = await ask(rich, "generate", {"prompt": "音乐别太吵，音量30%就行"})
    assert again["status"] == "needs_confirmation", again
    assert "时间线已经符合那个请求的要求：音乐音量 30%" in again["reply"], again["reply"]
