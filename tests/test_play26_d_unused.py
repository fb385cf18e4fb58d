"""Play-test 26: a photo the request names without its extension is judged on the video track.

EN F4. "put forest at the end", "just add the forest photo after the sunrise one", "put the
    sunrise pic at the end" with forest.jpg / sunrise.jpg uploaded and on no track: not as asked
    (the photo is not in the video), never "not checked".
ZH F5, F14. 「把night-street那张放最后面…」, 「把beach放最后当彩蛋…」, 「night-street放最后…」: the same.
ZH F11. 「顺序改成：第一张latte，第二张coffee-shop」: the place counted before a name is no part of
    it; the order is judged (coffee-shop still first: not as asked).
ZH F16. 「三张图都要用上」 with two of the three uploads on the track: the third is not in the video.
"""

from __future__ import annotations

from typing import Any

import pytest

from .test_play22_zh_checks import en, state, zh
from .timelines import checked

LOFI = ("Lo-fi Chill (free music)", 20)


def unchecked(out: dict[str, Any]) -> str:
    return " ".join(out.get("not_checked") or [])


@pytest.mark.parametrize(
    ("prompt", "clips", "uploads", "off"),
    [
        (
            "put forest at the end and make the whole thing 20 sec",
            ("beach", "sunrise"),
            ["beach.jpg", "sunrise.jpg", "forest.jpg"],
            "forest",
        ),
        (
            "just add the forest photo after the sunrise one, dont care about the length",
            ("beach", "sunrise"),
            ["beach.jpg", "sunrise.jpg", "forest.jpg"],
            "forest",
        ),
        (
            "put the sunrise pic at the end",
            ("mom-cake", "mom-garden"),
            ["mom-cake.jpg", "mom-garden.jpg", "sunrise.jpg"],
            "sunrise",
        ),
        (
            "把night-street那张放最后面，整个视频变成12秒，音乐声音小一丢丢",
            ("city-lights", "forest"),
            ["city-lights.jpg", "forest.jpg", "night-street.jpg"],
            "night-street",
        ),
        (
            "把beach放最后当彩蛋，总长还是20秒",
            ("coffee-shop", "latte"),
            ["coffee-shop.jpg", "latte.jpg", "beach.jpg"],
            "beach",
        ),
        (
            "night-street放最后，一共12秒",
            ("city-lights", "forest"),
            ["city-lights.jpg", "forest.jpg", "night-street.jpg"],
            "night-street",
        ),
        (
            "三张图都要用上",
            ("coffee-shop", "latte"),
            ["coffee-shop.jpg", "latte.jpg", "night-street.jpg"],
            "night-street",
        ),
        (  # new: the same in English, by count
            "use all three photos",
            ("coffee-shop", "latte"),
            ["coffee-shop.jpg", "latte.jpg", "night-street.jpg"],
            "night-street",
        ),
    ],
)
def test_a_photo_named_without_its_extension_on_no_track_is_not_as_asked(
    prompt: str, clips: tuple[str, ...], uploads: list[str], off: str
) -> None:
    """EN calls 23, 24, 67; ZH calls 15, 40, 50, 67: 'not checked' for a photo plainly left out."""
    before = state(15, clips, LOFI)
    for after in (before, state(15, clips, ("Lo-fi Chill (free music)", 10))):  # unchanged, or not
        out = checked(before, after, prompt, (uploads, len(uploads)))
        missing = [i for i in out.get("not_as_asked") or [] if i["kind"] == "files_unused"]
        assert [f"{off}.jpg"] == [n for i in missing for n in i["names"]], out
        said = en(out["not_as_asked"]) + zh(out["not_as_asked"])
        assert f"{off}.jpg" in said and "on no track" in said and "不在任何轨道上" in said, out
        assert off not in unchecked(out) and "三张图" not in unchecked(out), out


@pytest.mark.parametrize(
    ("prompt", "clips", "uploads"),
    [
        # on the track, or asked out, or a remark, a question: nothing said missing
        ("put forest at the end", ("beach", "forest"), ["beach.jpg", "forest.jpg"]),
        ("remove forest", ("beach", "sunrise"), ["beach.jpg", "sunrise.jpg", "forest.jpg"]),
        ("without the forest photo please", ("beach", "sunrise"), ["beach.jpg", "sunrise.jpg", "forest.jpg"]),
        ("forest looks blurry", ("beach", "sunrise"), ["beach.jpg", "sunrise.jpg", "forest.jpg"]),
        (
            "would forest look ok at the end?",
            ("beach", "sunrise"),
            ["beach.jpg", "sunrise.jpg", "forest.jpg"],
        ),
        ("不要beach那张", ("coffee-shop", "latte"), ["coffee-shop.jpg", "latte.jpg", "beach.jpg"]),
        ("use two photos", ("coffee-shop", "latte"), ["coffee-shop.jpg", "latte.jpg", "beach.jpg"]),
        # "forests" is no name of forest.jpg
        (
            "add more forests vibe at the end",
            ("beach", "sunrise"),
            ["beach.jpg", "sunrise.jpg", "forest.jpg"],
        ),
    ],
)
def test_a_photo_not_asked_for_is_never_said_left_out(
    prompt: str, clips: tuple[str, ...], uploads: list[str]
) -> None:
    before = state(15, clips, LOFI)
    out = checked(before, before, prompt, (uploads, len(uploads)))
    assert not any(i["kind"] == "files_unused" for i in out.get("not_as_asked") or []), out


def test_a_clip_under_another_name_may_be_the_upload_never_said_left_out() -> None:
    """A clip new since the request under no upload's name ("clip") may be forest.jpg itself."""
    uploads = ["beach.jpg", "sunrise.jpg", "forest.jpg"]
    out = checked(
        state(15, ("beach", "sunrise"), LOFI),
        state(15, ("beach", "sunrise", "clip"), LOFI),
        "put forest at the end",
        (uploads, 3),
    )
    assert not any(i["kind"] == "files_unused" for i in out.get("not_as_asked") or []), out


def test_an_order_counted_before_the_names_is_judged() -> None:
    """ZH call 33: 「第一张latte，第二张coffee-shop」 listed not checked, coffee-shop still first."""
    prompt = "顺序改成：第一张latte，第二张coffee-shop"
    uploads = ["coffee-shop.jpg", "latte.jpg"]
    before = state(20, ("coffee-shop", "latte"), LOFI)
    out = checked(before, before, prompt, (uploads, 2))
    assert out.get("not_as_asked"), out
    assert "latte" in zh(out["not_as_asked"]) and "coffee-shop" in zh(out["not_as_asked"]), out
    assert not unchecked(out), out
    done = checked(before, state(20, ("latte", "coffee-shop"), LOFI), prompt, (uploads, 2))
    assert not done.get("not_as_asked") and not unchecked(done) and done.get("as_asked"), done
