"""Draft JSON → Timeline → what a person reads: summaries and change lists in English and
Chinese, frame and aspect ratio, caps, and a draft that is hostile in every way."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_video_music.messages import CATALOGUE, Lang
from ai_video_music.timeline import (
    MAX_NAME,
    MAX_SEGMENTS,
    MAX_SUMMARY,
    MAX_TRACKS,
    Segment,
    Timeline,
    Track,
    aspect_ratio,
    diff,
    fingerprint,
    is_exportable,
    read_timeline,
    summary,
)

# backend-api.md's example, with segment keys spelled three different ways.
CONTRACT = {
    "t": [
        {"tt": 0, "sg": [{"n": "city timelapse", "s": 0, "d": 10000}]},
        {"tt": 1, "sg": [{"name": "Lo-fi", "start": 0, "duration": 10000, "volume": 0.35}]},
        {"tt": 7, "sg": [{"text": "Urban Dreams", "st": 0, "e": 3000}]},
    ]
}

# What the simulator writes: n/s/d/v/src segments, frame in the draft's metadata.
VERTICAL = {
    "d": 12000,
    "m": {"w": 1080, "h": 1920, "fps": 30},
    "t": [
        {
            "tt": 0,
            "m": {"name": "Video"},
            "sg": [
                {"n": "beach", "s": 0, "d": 4000, "src": "https://cdn/b.jpg"},
                {"n": "forest", "s": 4000, "d": 4000},
                {"n": "city", "s": 8000, "d": 4000},
            ],
        },
        {"tt": 1, "m": {"name": "BGM"}, "sg": [{"n": "Calm Piano", "s": 0, "d": 12000, "v": 35}]},
        {"tt": 7, "m": {"name": "Title"}, "sg": [{"n": "Summer", "s": 0, "d": 3000}]},
    ],
}


@pytest.mark.parametrize(
    ("draft", "lang", "expected"),
    [
        (
            CONTRACT,
            "en",
            'Timeline: 10s, 3 tracks. 1. Video: city timelapse (0-10s) 2. BGM: "Lo-fi" (0-10s, 35%) '
            '3. Title: "Urban Dreams" (0-3s)',
        ),
        (
            CONTRACT,
            "zh",
            "时间线：10 秒，3 条轨道。1. 视频：city timelapse（0-10 秒）；"
            "2. 背景音乐：“Lo-fi”（0-10 秒，35%）；3. 标题：“Urban Dreams”（0-3 秒）",
        ),
        (
            VERTICAL,
            "en",
            "Timeline: 12s, 1080x1920 (9:16), 3 tracks. 1. Video: beach (0-4s), forest (4-8s), city (8-12s) "
            '2. BGM: "Calm Piano" (0-12s, 35%) 3. Title: "Summer" (0-3s)',
        ),
        (
            VERTICAL,
            "zh",
            "时间线：12 秒，1080x1920（9:16），3 条轨道。"
            "1. 视频：beach（0-4 秒）、forest（4-8 秒）、city（8-12 秒）；"
            "2. 背景音乐：“Calm Piano”（0-12 秒，35%）；3. 标题：“Summer”（0-3 秒）",
        ),
        (None, "en", "Timeline is empty: no video yet (its length and frame come with the first one)."),
        (None, "zh", "时间线是空的：还没有视频（时长和画面比例随第一个视频而定）。"),
        (
            {"t": "nope"},
            "en",
            "Timeline is empty: no video yet (its length and frame come with the first one).",
        ),
        ({"t": [{"tt": 0, "sg": []}]}, "en", "Timeline: 1 track. 1. Video: (empty)"),
        ({"t": [{"tt": 0, "sg": []}]}, "zh", "时间线：1 条轨道。1. 视频：（空）"),
        (
            {
                "t": [
                    {"tt": 3, "m": {"name": "Stickers"}, "sg": [{"m": {"name": "star"}, "s": 1500, "d": 500}]}
                ]
            },
            "en",
            "Timeline: 2s, 1 track. 1. Stickers: star (1.5-2s)",
        ),
        (
            {"t": [{"tt": 9, "sg": [{"s": 2000}]}]},
            "en",
            "Timeline: 2s, 1 track. 1. Track: untitled (from 2s)",
        ),
        ({"t": [{"tt": 9, "sg": [{"s": 2000}]}]}, "zh", "时间线：2 秒，1 条轨道。1. 轨道：未命名（2 秒起）"),
    ],
)
def test_summary_in_both_languages(draft: Any, lang: Lang, expected: str) -> None:
    assert summary(read_timeline(draft), lang) == expected


def test_the_timeline_object_holds_every_fact() -> None:
    tl = read_timeline(VERTICAL)
    assert (tl.duration_s, tl.width, tl.height, tl.aspect_ratio, tl.tracks_total) == (
        12.0,
        1080,
        1920,
        "9:16",
        3,
    )
    assert [track.kind for track in tl.tracks] == ["video", "audio", "text"]
    assert tl.tracks[0].label == "Video"
    assert tl.tracks[0].segments[1] == Segment("forest", 4.0, 8.0, None)
    assert tl.tracks[1].segments == (Segment("Calm Piano", 0.0, 12.0, 35.0),)


def test_every_clip_up_to_the_cap_then_a_count() -> None:
    draft = {"t": [{"tt": 0, "sg": [{"n": f"clip{i}", "s": i * 1000, "d": 1000} for i in range(60)]}]}
    text = summary(read_timeline(draft), "en")
    assert "clip0 (0-1s), clip1 (1-2s)" in text
    assert "clip49 (49-50s), +10 more" in text
    assert "clip50" not in text
    assert summary(read_timeline(draft), "zh").endswith("clip49（49-50 秒）、另有 10 个")
    assert summary(read_timeline(draft), "en", max_clips=2).endswith("clip1 (1-2s), +58 more")


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (1920, 1080, "16:9"),
        (1080, 1920, "9:16"),
        (1080, 1080, "1:1"),
        (1080, 1350, "4:5"),
        (1440, 1080, "4:3"),
        (1920, 1088, "16:9"),  # within 1%: encoders pad to multiples of 16
        (1000, 700, "10:7"),
        (2560, 1080, "2.39:1"),  # 2.37: within 1% of the cinema ratio
        (1234, 567, "2.18:1"),
        (567, 1234, "1:2.18"),
        (1998, 1080, "1.85:1"),
        (4096, 2160, "1.9:1"),
    ],
)
def test_aspect_ratios_snap_reduce_or_read_as_decimals(width: int, height: int, expected: str) -> None:
    assert aspect_ratio(width, height) == expected


@pytest.mark.parametrize(
    ("draft", "canvas", "frame"),
    [
        ({"m": {"w": 1920, "h": 1080}}, None, (1920, 1080, "16:9")),
        ({"m": {"width": "720", "height": 1280.0}}, None, (720, 1280, "9:16")),
        ({"m": {"fps": 30}}, {"width": 1080, "height": 1080}, (1080, 1080, "1:1")),
        ({"m": {"w": 1080, "h": 1920}}, {"width": 1920, "height": 1080}, (1080, 1920, "9:16")),
        ({"m": {"w": "Infinity", "h": 1080}}, None, (None, None, None)),
        ({"m": {"w": 0, "h": -5}}, {"width": True, "height": 1e999}, (None, None, None)),
        ({"m": "junk"}, "junk", (None, None, None)),
    ],
)
def test_frame_from_the_draft_metadata_else_the_canvas(
    draft: Any, canvas: Any, frame: tuple[Any, ...]
) -> None:
    tl = read_timeline(draft, canvas)
    assert (tl.width, tl.height, tl.aspect_ratio) == frame


def test_length_from_the_draft_else_the_latest_clip_end() -> None:
    clips = [{"tt": 0, "sg": [{"n": "a", "s": 0, "d": 4000}, {"n": "b", "s": 4000, "e": 9500}]}]
    assert read_timeline({"d": 20000, "t": clips}).duration_s == 20.0
    for bad in ("Infinity", float("nan"), 1e999, "²", True, 0, -1, None, [1]):
        assert read_timeline({"d": bad, "t": clips}).duration_s == 9.5, bad
    assert read_timeline({"t": []}).duration_s is None


def test_names_are_one_clean_line_of_bounded_length() -> None:
    draft = {
        "t": [
            {
                "tt": 7,
                "sg": [
                    {"n": "Summer \ud83c"},
                    {"n": "  two\n\tlines \x1b[2J here  "},
                    {"n": {"not": "a name"}, "name": "fallback"},
                    {"n": "x" * 100_000},
                    {"n": 2024},
                ],
            }
        ]
    }
    names = [s.name for s in read_timeline(draft).tracks[0].segments]
    assert names[:3] == ["Summer \ufffd", "two lines here", "fallback"]
    assert len(names[3]) == MAX_NAME and names[3].endswith("…")
    assert names[4] == "2024"


def test_volume_as_fraction_or_percent() -> None:
    segments = [{"v": 0.35}, {"volume": 35}, {"vol": "0.5"}, {"v": "NaN"}, {"m": {"volume": 80}}]
    volumes = [s.volume for s in read_timeline({"t": [{"tt": 1, "sg": segments}]}).tracks[0].segments]
    assert volumes == [35.0, 35.0, 50.0, None, 80.0]


def test_is_exportable_when_some_track_has_a_clip() -> None:
    assert is_exportable(CONTRACT)
    assert not is_exportable({"t": [{"tt": 0, "sg": []}]})
    assert not is_exportable({"t": [{"tt": 0, "sg": ["junk"]}]})
    assert not is_exportable(None)
    assert not is_exportable({"t": {"tt": 0}})


# --- changes -----------------------------------------------------------------------------------------


def _edit(**changes: Any) -> dict[str, Any]:
    draft = copy.deepcopy(VERTICAL)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node: Any = draft
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return draft


TITLE_RENAMED = _edit(t__2__sg__0__n="Spring Sale")
NO_MUSIC = {**VERTICAL, "t": [VERTICAL["t"][0], VERTICAL["t"][2]]}
NO_TITLE = {**VERTICAL, "t": VERTICAL["t"][:2]}
FOUR_CLIPS = _edit(t__0__sg=[*VERTICAL["t"][0]["sg"], {"n": "lake", "s": 12000, "d": 4000}])
SWAPPED = _edit(t__0__sg=[{"n": "desert", "s": 0, "d": 4000}, *VERTICAL["t"][0]["sg"][1:], {"n": "lake"}])


@pytest.mark.parametrize(
    ("before", "after", "en", "zh"),
    [
        (
            TITLE_RENAMED,
            VERTICAL,
            ['Title: "Spring Sale" → "Summer" (0-3s)'],
            ["标题：“Spring Sale” → “Summer”（0-3 秒）"],
        ),
        (
            NO_MUSIC,
            VERTICAL,
            ['Added BGM: "Calm Piano" (0-12s, 35%)'],
            ["新增背景音乐：“Calm Piano”（0-12 秒，35%）"],
        ),
        (VERTICAL, _edit(t__1__sg__0__v=20), ["Music volume: 35% → 20%"], ["音乐音量：35% → 20%"]),
        (_edit(d=10000), _edit(d=20000), ["Length: 10s → 20s"], ["时长：10 秒 → 20 秒"]),
        (
            _edit(m={"w": 1920, "h": 1080}),
            VERTICAL,
            ["Frame: 1920x1080 (16:9) → 1080x1920 (9:16)"],
            ["画面：1920x1080（16:9） → 1080x1920（9:16）"],
        ),
        (VERTICAL, NO_TITLE, ['Removed Title: "Summer" (0-3s)'], ["删除标题：“Summer”（0-3 秒）"]),
        (
            VERTICAL,
            FOUR_CLIPS,
            ["Video: 3 clips → 4 clips (added lake (12-16s))"],
            ["视频：3 个片段 → 4 个片段（新增 lake（12-16 秒））"],
        ),
        (
            VERTICAL,
            SWAPPED,
            ["Video: 3 clips → 4 clips (added desert (0-4s), lake (from 0s); removed beach (0-4s))"],
            ["视频：3 个片段 → 4 个片段（新增 desert（0-4 秒）、lake（0 秒起）；删除 beach（0-4 秒））"],
        ),
        (
            VERTICAL,
            _edit(t__2__sg__0__d=5000),
            ['Title: "Summer" (0-3s) → "Summer" (0-5s)'],
            ["标题：“Summer”（0-3 秒） → “Summer”（0-5 秒）"],
        ),
        (VERTICAL, copy.deepcopy(VERTICAL), [], []),
    ],
)
def test_diff_names_each_kind_of_change_in_both_languages(
    before: Any, after: Any, en: list[str], zh: list[str]
) -> None:
    old, new = read_timeline(before), read_timeline(after)
    assert diff(old, new, "en") == en
    assert diff(old, new, "zh") == zh


def test_diff_lists_several_changes_and_treats_an_unknown_before_as_empty() -> None:
    after = _edit(t__1__sg__0__v=20, t__2__sg__0__n="Sale", d=14000)
    assert diff(read_timeline(VERTICAL), read_timeline(after), "en") == [
        "Length: 12s → 14s",
        "Music volume: 35% → 20%",
        'Title: "Summer" → "Sale" (0-3s)',
    ]
    assert diff(None, read_timeline(CONTRACT), "en") == [
        "Added Video: city timelapse (0-10s)",
        'Added BGM: "Lo-fi" (0-10s, 35%)',
        'Added Title: "Urban Dreams" (0-3s)',
    ]
    assert diff(read_timeline(None), read_timeline(None), "zh") == []


def test_volume_appearing_and_a_named_clip_among_several() -> None:
    one = {"t": [{"tt": 1, "sg": [{"n": "A", "d": 1000}, {"n": "B", "d": 1000, "v": 50}]}]}
    two = {"t": [{"tt": 1, "sg": [{"n": "A", "d": 1000, "v": 20}, {"n": "B", "d": 1000, "v": 50}]}]}
    assert diff(read_timeline(one), read_timeline(two), "en") == ['Music volume ("A"): default → 20%']
    assert diff(read_timeline(one), read_timeline(two), "zh") == ["音乐音量（“A”）：默认 → 20%"]


# --- fingerprints ------------------------------------------------------------------------------------


def test_fingerprint_is_stable_across_key_order_and_changes_with_content() -> None:
    reordered = json.loads(json.dumps(VERTICAL, sort_keys=True))
    assert fingerprint(reordered) == fingerprint(VERTICAL)
    assert fingerprint(_edit(t__1__sg__0__v=20)) != fingerprint(VERTICAL)
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint(VERTICAL))


def test_fingerprint_of_anything() -> None:
    deep: list[Any] = []
    node = deep
    for _ in range(5000):
        node.append([])
        node = node[0]
    for value in (None, float("nan"), {"n": "\ud83c"}, {1: "a", "b": 2}, {"s": {1, 2}}, deep):
        assert re.fullmatch(r"[0-9a-f]{64}", fingerprint(value))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=300) | st.dictionaries(st.text(max_size=5), inner, max_size=300),
    max_leaves=2000,
)
# A quarter of the profile's count (25 by default, derandomized; 250 under
# --hypothesis-profile=fuzz): an example is up to 2000 values (~25 ms), and a draft wider than the
# encoder's batch, which these rarely reach, has a test of its own (the next one).
BIG_EXAMPLES = max(25, settings.default.max_examples // 4)


@settings(max_examples=BIG_EXAMPLES)
@given(_JSON)
def test_a_fingerprint_is_the_one_earlier_versions_recorded(draft: Any) -> None:
    # Renders keep the fingerprint of the draft they were made of: an export of an unchanged
    # timeline finds its render, also one recorded before the dump was made in pieces.
    canonical = json.dumps(draft, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert fingerprint(draft) == hashlib.sha256(canonical.encode("ascii")).hexdigest()


def test_a_big_draft_keeps_its_fingerprint() -> None:
    tracks = [{"tt": 1, "sg": [{"n": f"c{i}", "s": i, "v": [i] * 3} for i in range(700)]} for _ in range(3)]
    draft = {"t": tracks, "m": {str(i): i for i in range(600)}, "x": [[i] for i in range(600)]}
    canonical = json.dumps(draft, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert fingerprint(draft) == hashlib.sha256(canonical.encode("ascii")).hexdigest()


# --- hostile drafts ------------------------------------------------------------------------------------


def test_huge_drafts_are_capped_with_true_totals() -> None:
    # A hundred times the tracks kept, their clip names 1.5 million characters (a 200,000-track
    # draft goes through the whole server in tests/hostile/test_items.py).
    tracks = MAX_TRACKS * 100
    draft = {"t": [{"tt": 0, "sg": [{"n": "x" * 150, "d": 1}]} for _ in range(tracks)]}
    tl = read_timeline(draft)
    assert (len(tl.tracks), tl.tracks_total) == (MAX_TRACKS, tracks)
    text = summary(tl, "en")
    assert len(text) <= MAX_SUMMARY
    assert text.startswith(f"Timeline: 0s, {tracks} tracks. 1. Video: xxx")
    wide = read_timeline({"t": [{"tt": 0, "sg": [{"n": "y" * 200, "d": 1000}] * 50_000}]})
    assert (len(wide.tracks[0].segments), wide.tracks[0].segments_total) == (MAX_SEGMENTS, 50_000)
    assert len(summary(wide, "zh")) <= MAX_SUMMARY
    assert all(len(line) <= 1000 for line in diff(None, wide, "en"))


def test_more_tracks_than_kept_are_counted_in_the_summary() -> None:
    draft = {"t": [{"tt": 7, "sg": [{"n": str(i)}]} for i in range(MAX_TRACKS + 5)]}
    assert summary(read_timeline(draft), "en").endswith('100. Title: "99" (from 0s) +5 more tracks')


NASTY_STRINGS = ["Infinity", "-Infinity", "NaN", "1e999", "²", "١٢", "\ud83c", "\x1b[31m", "", " 12 ", "0x10"]
json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(NASTY_STRINGS)
    | st.text(alphabet=st.characters(exclude_categories=()), max_size=8)
)
draft_keys = st.sampled_from(
    ["t", "tt", "sg", "d", "m", "n", "name", "s", "start", "e", "v", "volume", "w", "h", "width", "height"]
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(draft_keys, inner, max_size=6),
    max_leaves=50,
)


@given(json_values, json_values, st.sampled_from(["en", "zh"]))
def test_never_raises_on_any_draft(draft: Any, other: Any, lang: Lang) -> None:
    drafts = [draft, {"t": draft}, {"t": [draft]}, {"t": [{"tt": 0, "sg": draft}]}, {"t": [{"sg": [draft]}]}]
    for value in drafts:
        tl = read_timeline(value, canvas=other)
        text = summary(tl, lang)
        assert len(text) <= MAX_SUMMARY
        text.encode("utf-8")  # no lone surrogate can reach the stdio writer
        lines = diff(read_timeline(other), tl, lang)
        "".join(lines).encode("utf-8")
        assert isinstance(is_exportable(value), bool)
        assert len(fingerprint(value)) == 64


def test_the_timeline_catalogue_has_both_languages_with_the_same_placeholders() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    keys = [k for k in CATALOGUE if k.startswith("timeline.")]
    assert len(keys) > 30
    for key in keys:
        en, zh = CATALOGUE[key]
        assert en and zh, key
        assert fields(en) == fields(zh), key


def test_dataclasses_are_plain_values() -> None:
    track = Track("audio", "", (Segment("a", 0.0, 1.0, 35.0),), 1)
    assert Timeline((track,), 1) == Timeline((track,), 1)
    assert summary(Timeline((track,), 1), "en") == 'Timeline: 1 track. 1. BGM: "a" (0-1s, 35%)'


def test_a_replaced_title_says_where_it_is_so_a_caption_asked_for_the_end_can_be_checked() -> None:
    # Play-test: "add the caption 「下次见」 at the end"; the agent replaced the opening title.
    before, after = _edit(t__2__sg__0__n="My Video"), _edit(t__2__sg__0__n="下次见")
    assert diff(read_timeline(before), read_timeline(after), "en") == ['Title: "My Video" → "下次见" (0-3s)']
    assert diff(read_timeline(before), read_timeline(after), "zh") == [
        "标题：“My Video” → “下次见”（0-3 秒）"
    ]
