"""Play-test 26 (English "Dana", 中文 小红书 creator): a checkable fact said inside a longer clause
was filed as "not checked", which tells the assistant not to say it was done. Each is judged here.

EN F3, F19 / ZH F12. A track asked back ("switch it back to the lofi song", "put the lofi music back
    on it") or asked after naming the video ("海边那个视频的音乐换成钢琴曲"): judged on the music.
EN F5. "dont care about the length": a part waived, no ask.
EN F6 / ZH F4. "6 sec intro", "做个10秒的vlog片头": the video made is the intro, its length judged.
EN F8, F16 / ZH F18. "can i get a vertical one for stories", "wide 16:9 yt intro",
    "做个横屏16:9的B站版本": a frame, judged.
EN F10. "its too quiet" beside a level asked: the reason, no ask.
EN F19 / ZH F1, F6. "at 10% like before", "调小点到20%吧", "音乐声音小一丢丢": a level or a way, judged.
EN F24. "remove the title" (unquoted): judged on the change.
ZH F7. "每张图4秒": each photo's length, judged; the length change it brings is asked; one file
    on no track is "it", never "they".
ZH F8, F15. A time said after a quote and a comma ("，放在12到15秒", "，第1秒出现") is the quote's.
"""

from __future__ import annotations

from typing import Any

import pytest

from ai_video_music import replies

from .conftest import kinds
from .timelines import checked, timeline

CLIPS = ("beach", "sunrise")
LOFI = "Lo-fi Chill (free music)"
PIANO = "Calm Piano (free music)"
EMPTY = timeline(0, ())


def _said(items: Any, lang: str = "zh") -> str:
    return " ".join(replies.not_met_lines(items, lang))  # type: ignore[arg-type]


# --- music asked back, or after the video's name --------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    ["switch it back to the lofi song", "put the lofi music back on it", "swap it back to the lofi track"],
)
def test_en_f3_a_track_asked_back_that_landed_is_as_asked(prompt: str) -> None:
    out = checked(timeline(10, CLIPS, (PIANO, 20)), timeline(10, CLIPS, (LOFI, 20)), prompt)
    assert "not_checked" not in out, out
    assert "not_as_asked" not in out, out


def test_en_f19_a_track_asked_back_that_did_not_land_is_said_and_the_level_judged() -> None:
    prompt = "put the lofi music back on it, at 10% like before"
    out = checked(timeline(6, CLIPS, (PIANO, 10)), timeline(6, CLIPS, (PIANO, 10)), prompt)
    assert "not_checked" not in out, out
    assert "same_music" in kinds(out.get("not_as_asked")), out
    assert "volume_at" in kinds(out.get("as_asked")), out


@pytest.mark.parametrize("prompt", ["海边那个视频的音乐换成钢琴曲", "海边那个的音乐换成钢琴曲"])
def test_zh_f12_music_asked_after_naming_the_video_is_judged(prompt: str) -> None:
    out = checked(timeline(15, CLIPS, (LOFI, 20)), timeline(15, CLIPS, (PIANO, 20)), prompt)
    assert "not_checked" not in out, out
    assert "music_style" in kinds(out.get("as_asked")), out


# --- a part waived; a reason beside a level ---------------------------------------------------------


@pytest.mark.parametrize("waived", ["dont care about the length", "don't really care about the order"])
def test_en_f5_a_part_waived_is_no_ask(waived: str) -> None:
    tl = timeline(15, CLIPS, (LOFI, 20))
    out = checked(tl, tl, f"just make the beach photo first, {waived}")
    assert waived not in (out.get("not_checked") or []), out


@pytest.mark.parametrize(
    "prompt",
    [
        "on the beach video, turn the music up to 50%, its too quiet",
        "music to 50% pls, it's way too quiet",
    ],
)
def test_en_f10_the_reason_beside_a_level_is_no_ask(prompt: str) -> None:
    out = checked(timeline(10, CLIPS, (LOFI, 20)), timeline(10, CLIPS, (LOFI, 50)), prompt)
    assert "not_checked" not in out, out
    assert "volume_at" in kinds(out.get("as_asked")), out


# --- a level or a way said loosely -------------------------------------------------------------------


@pytest.mark.parametrize("prompt", ["音乐有点吵 调小点到20%吧", "音乐有点吵，调低一点到20%"])
def test_zh_f1_a_level_after_its_way_is_judged(prompt: str) -> None:
    out = checked(timeline(15, CLIPS, (LOFI, 35)), timeline(15, CLIPS, (LOFI, 20)), prompt)
    assert "not_checked" not in out, out
    assert "volume_at" in kinds(out.get("as_asked")), out


@pytest.mark.parametrize("prompt", ["音乐声音小一丢丢", "音乐再小一丁点"])
def test_zh_f6_a_tiny_bit_quieter_unchanged_is_not_as_asked(prompt: str) -> None:
    tl = timeline(15, CLIPS, (LOFI, 35))
    out = checked(tl, tl, prompt)
    assert "not_checked" not in out, out
    assert "volume_moved" in kinds(out.get("not_as_asked")), out


# --- the video's length and frame said with its kind -------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "seconds"),
    [
        ("new video called 'YT intro': 6 sec intro, steamy coffee cup, moody vibe", 6),
        ("make a 6 second intro for my channel", 6),
        ("做个10秒的vlog片头，叫「城市与森林」", 10),
        ("做一个8秒的片头", 8),
    ],
)
def test_en_f6_zh_f4_the_length_of_an_intro_made_is_judged(prompt: str, seconds: int) -> None:
    made = timeline(seconds, ("scene",), (LOFI, 20))
    out = checked(EMPTY, made, prompt)
    assert "seconds" in kinds(out.get("as_asked")), out
    assert not any(str(seconds) in part for part in out.get("not_checked") or []), out
    wrong = checked(EMPTY, timeline(seconds + 5, ("scene",), (LOFI, 20)), prompt)
    assert "seconds" in kinds(wrong.get("not_as_asked")), wrong


@pytest.mark.parametrize("prompt", ["add a 3 sec intro with the logo", "加一个3秒的片头"])
def test_an_intro_added_to_a_video_is_no_length_of_it(prompt: str) -> None:
    tl = timeline(15, CLIPS, (LOFI, 20))
    out = checked(tl, tl, prompt)
    assert "seconds" not in kinds(out.get("not_as_asked")), out


@pytest.mark.parametrize(
    ("prompt", "size", "before"),
    [
        ("can i get a vertical one for stories", (1080, 1920), (1080, 1080)),
        ("new video: wide 16:9 yt intro, 6 sec, steamy coffee cup, moody vibe", (1920, 1080), None),
        ("做个横屏16:9的B站版本，12秒，叫「城市与森林 横屏版」", (1920, 1080), None),
        ("做个竖屏的抖音版本", (1080, 1920), None),
    ],
)
def test_en_f8_f16_zh_f18_a_frame_said_with_its_kind_is_judged(
    prompt: str, size: tuple[int, int], before: tuple[int, int] | None
) -> None:
    start = EMPTY if before is None else timeline(6, CLIPS, (LOFI, 20), size=before)
    out = checked(start, timeline(6, CLIPS, (LOFI, 20), size=size), prompt)
    assert "shape" in kinds(out.get("as_asked")), out
    assert not any(
        w in p for p in out.get("not_checked") or [] for w in ("vertical", "16:9", "横屏", "竖屏")
    ), out
    other = (size[1], size[0])
    wrong = checked(start, timeline(6, CLIPS, (LOFI, 20), size=other), prompt)
    assert "shape" in kinds(wrong.get("not_as_asked")), wrong


# --- a title removed, named by its kind --------------------------------------------------------------


@pytest.mark.parametrize("prompt", ["remove the title", "get rid of the title pls", "把标题去掉"])
def test_en_f24_a_title_removed_is_judged_on_the_change(prompt: str) -> None:
    before = timeline(5, ("scene",), (LOFI, 20), (("My Video", 0, 3),))
    out = checked(before, timeline(5, ("scene",), (LOFI, 20)), prompt)
    assert "not_checked" not in out, out
    assert "text_removed" in kinds(out.get("as_asked")), out
    kept = checked(before, timeline(5, ("scene",), (LOFI, 30), (("My Video", 0, 3),)), prompt)
    assert "not_checked" not in kept, kept
    assert "text_kept" in kinds(kept.get("not_as_asked")), kept
    assert "My Video" in _said(kept["not_as_asked"], "en"), kept


# --- each photo's length --------------------------------------------------------------------------


def test_zh_f7_each_photos_length_is_judged_and_asks_the_length() -> None:
    prompt = "把night-street.jpg加到视频最后，每张图4秒"
    before = timeline(12, ("city-lights", "forest"), (PIANO, 30))
    after = timeline(4, ("city-lights", "forest"), (PIANO, 30))
    out = checked(before, after, prompt, (["city-lights.jpg", "forest.jpg", "night-street.jpg"], 3))
    assert "not_checked" not in out, out
    missed = kinds(out.get("not_as_asked"))
    assert "clip_seconds" in missed and "length_unasked" not in missed, out
    said = _said(out["not_as_asked"])
    assert "4 秒" in said and "2 秒" in said and "它们" not in said, said
    assert "2 s" in _said(out["not_as_asked"], "en"), out
    met = checked(before, timeline(8, ("city-lights", "forest"), (PIANO, 30)), "每张图4秒")
    assert "clip_seconds" in kinds(met.get("as_asked")), met


def test_one_file_on_no_track_is_it() -> None:
    tl = timeline(8, ("city-lights", "forest"), (PIANO, 30))
    out = checked(
        tl, tl, "把night-street.jpg加到视频最后", (["city-lights.jpg", "forest.jpg", "night-street.jpg"], 3)
    )
    said = _said(out.get("not_as_asked"))
    assert "night-street.jpg" in said and "它们" not in said and "它不在" in said, said
    en = _said(out.get("not_as_asked"), "en")
    assert "it is on no track" in en, en


# --- a time after a quote and a comma -----------------------------------------------------------------


def test_zh_f8_a_span_after_a_quote_is_its_place() -> None:
    prompt = "改回15秒，加上字幕「下次见」，放在12到15秒"
    before = timeline(10, CLIPS, (PIANO, 30), (("海边的清晨", 0, 3),))
    out = checked(before, timeline(15, CLIPS, (PIANO, 30), (("下次见", 0, 3),)), prompt)
    assert "not_checked" not in out, out
    assert "text_span" in kinds(out.get("not_as_asked")), out
    assert "quote_shown" not in kinds(out.get("as_asked")), out
    done = checked(before, timeline(15, CLIPS, (PIANO, 30), (("下次见", 12, 15),)), prompt)
    assert "text_span" in kinds(done.get("as_asked")), done


def test_zh_f15_a_time_after_a_quote_is_its_place() -> None:
    prompt = "加上字幕「今日份拉花」，第1秒出现"
    out = checked(
        timeline(10, CLIPS, (PIANO, 30)), timeline(10, CLIPS, (PIANO, 30), (("今日份拉花", 1, 3),)), prompt
    )
    assert "not_checked" not in out, out
    assert "text_time" in kinds(out.get("as_asked")), out
