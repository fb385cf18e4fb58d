"""Draft JSON → summary: the documented example, tolerant keys, change lists."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ai_video_music.timeline import changes, is_exportable, summarize

EXAMPLE = {
    "t": [
        {"tt": 0, "sg": [{"n": "city timelapse", "s": 0, "d": 10000}]},
        {"tt": 1, "sg": [{"name": "Lo-fi", "start": 0, "duration": 10000, "volume": 0.35}]},
        {"tt": 7, "sg": [{"text": "Urban Dreams", "st": 0, "e": 3000}]},
    ]
}


def test_the_contract_example_reads_as_documented() -> None:
    assert summarize(EXAMPLE) == (
        "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) "
        '3. Title: "Urban Dreams" (0-3s)'
    )


def test_names_in_metadata_unknown_track_types_and_long_tracks() -> None:
    draft = {
        "t": [
            {"tt": 3, "m": {"name": "Stickers"}, "sg": [{"m": {"name": "star"}, "s": 1500, "d": 500}]},
            {"tt": 0, "sg": [{"n": f"clip{i}", "s": i * 1000, "d": 1000} for i in range(5)]},
        ]
    }
    assert summarize(draft) == (
        "Timeline (2 tracks): 1. Stickers: star (1.5-2s) "
        "2. Video: clip0 (0-1s), clip1 (1-2s), clip2 (2-3s), +2 more"
    )


def test_empty_and_broken_drafts() -> None:
    assert summarize(None) == "Timeline is empty."
    assert summarize({"t": "nope"}) == "Timeline is empty."
    assert summarize({"t": [{"tt": 0, "sg": []}]}) == "Timeline (1 track): 1. Video: (empty)"
    assert not is_exportable({"t": [{"tt": 0, "sg": []}]})
    assert is_exportable(EXAMPLE)


def test_changes_name_what_was_added_changed_and_removed() -> None:
    before = {"t": [{"tt": 0, "sg": [{"n": "a", "d": 1000}]}, {"tt": 7, "sg": [{"n": "Hi", "d": 1000}]}]}
    after = {
        "t": [{"tt": 0, "sg": [{"n": "a", "d": 2000}]}, {"tt": 1, "sg": [{"n": "Jazz", "d": 2000, "v": 50}]}]
    }
    assert changes(before, after) == [
        "Changed Video: a (0-2s)",
        "Added BGM: Jazz (0-2s, 50%)",
        'Removed Title: "Hi" (0-1s)',
    ]
    assert changes(after, after) == []


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["t", "tt", "sg", "n", "s", "d", "v", "m"]), inner, max_size=5)
    ),
    max_leaves=30,
)


@given(json_values)
def test_the_summariser_never_crashes(draft: Any) -> None:
    text = summarize(draft if isinstance(draft, dict) else {"t": draft})
    assert text.startswith("Timeline")
