"""Play-test 26: what an exported file lacks of earlier requests, said as facts.

EN F11. "put forest at the end and make the whole thing 20 sec" and "just add the forest photo
    after the sunrise one" changed nothing, forest.jpg on no track: the file lacks the photo, said
    plainly (never "no check can tell", never "unless a later request did what it asked").
ZH F16. 「把beach放最后当彩蛋，总长还是20秒」 (20 s already so), beach.jpg on no track: never
    "无法核对是否有「把beach放最后当彩蛋」": the file lacks beach.jpg.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music import replies
from ai_video_music.simulator.config import SimConfig
from ai_video_music.store import Generation
from ai_video_music.timeline import read_timeline

from .conftest import ask, export_done, fast_config, photo_files
from .test_play22_zh_checks import state
from .test_play23_en_checks import _unchanged

LOFI = ("Lo-fi Chill (free music)", 20)
TRIP = ["beach.jpg", "sunrise.jpg", "forest.jpg"]
CAFE = ["coffee-shop.jpg", "latte.jpg", "beach.jpg"]


@pytest.mark.parametrize(
    ("prompt", "clips", "uploads", "off", "seconds"),
    [
        ("put forest at the end and make the whole thing 20 sec", ("beach", "sunrise"), TRIP, "forest", 15),
        (
            # (", dont care about the length" is a part waived: EN F5, another fix's)
            "just add the forest photo after the sunrise one",
            ("beach", "sunrise"),
            TRIP,
            "forest",
            15,
        ),
        ("把beach放最后当彩蛋，总长还是20秒", ("coffee-shop", "latte"), CAFE, "beach", 20),
        (
            "night-street放最后，一共12秒",
            ("city-lights", "forest"),
            ["city-lights.jpg", "forest.jpg", "night-street.jpg"],
            "night-street",
            12,
        ),
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_export_says_a_photo_asked_for_and_on_no_track_is_not_in_the_file(
    prompt: str, clips: tuple[str, ...], uploads: list[str], off: str, seconds: float, lang: str
) -> None:
    """EN call 35, ZH calls 53/73: "no check can tell whether it has 'put forest at the end'"."""
    now = read_timeline(state(seconds, clips, LOFI).draft)
    gen = _unchanged(prompt)
    lines = replies.earlier_unchanged([gen], lang, now, [], (uploads, len(uploads)))
    assert len(lines) == 1, lines
    line = lines[0].line
    assert f"{off}.jpg" in line, line
    hedges = ("no check can tell", "unless a later request", "无法核对", "除非")
    assert not any(h in line for h in hedges), line
    for lack in replies.file_lacks([gen], None, lang, now, (uploads, len(uploads))).values():
        assert not any(h in lack.line for h in hedges), lack.line  # all of it missing, said plainly


def test_a_photo_on_the_track_is_never_said_missing_from_the_file() -> None:
    now = read_timeline(state(15, ("beach", "sunrise", "forest"), LOFI).draft)
    gen = _unchanged("put forest at the end")
    lines = replies.earlier_unchanged([gen], "en", now, [], (TRIP, 3))
    assert all("forest.jpg" not in lack.line for lack in lines), lines


@pytest.fixture
def sim_config() -> SimConfig:
    """Every edit claims a change and makes none (the sitting's lying agent)."""
    return fast_config(lie_rate=1.0)


@pytest.mark.anyio
async def test_the_export_tool_says_the_photo_left_out_is_not_in_the_file(
    rich: Client, tmp_path: Path
) -> None:
    """EN calls 22, 23, 35 through the tools: forest.jpg uploaded, the edit made nothing."""
    await ask(rich, "upload", {"files": photo_files(tmp_path, "beach.jpg", "sunrise.jpg")})
    await ask(rich, "generate", {"prompt": "make a 10 second video from my photos"})
    await ask(rich, "upload", {"files": photo_files(tmp_path, "forest.jpg")})
    edit = await ask(rich, "generate", {"prompt": "put forest at the end"})
    assert edit["timeline_changed"] is False, edit
    assert "forest.jpg" in " ".join(edit.get("not_as_asked") or []), edit
    out = await export_done(rich)
    said = out["reply"]
    assert "forest.jpg" in said and "no check can tell" not in said and "unless a later" not in said, said


def _turn(gen_id: str, prompt: str, at: float, changed: bool) -> Generation:
    return dataclasses.replace(_unchanged(prompt), id=gen_id, created_at=at, timeline_changed=changed)


@pytest.mark.parametrize(
    ("retry", "dropped"),
    [
        ("把画面改成竖屏，9:16，字体算了不管了", True),  # call 11: the font taken back
        ("make it vertical 9:16, forget the font", True),  # new: the same in English
        ("把画面改成竖屏，9:16", False),  # the font still asked: the file may lack it
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_ask_taken_back_later_is_no_part_the_file_lacks(retry: str, dropped: bool, lang: str) -> None:
    """ZH call 27: 「…只有它要求的一部分：无法核对是否有「标题字再大一点」」 after 「字体算了不管了」."""
    now = read_timeline(
        state(10, ("city-lights", "forest"), LOFI, (("城市与森林", 0, 3),), (1080, 1920)).draft
    )
    first = _turn("gen_9", "改成竖屏9:16，标题字再大一点", 100.0, False)
    later = _turn("gen_11", retry, 200.0, True)
    lines = replies.earlier_unchanged([first], lang, now, [later, first])
    said = " ".join(lack.line for lack in lines)
    assert ("标题字再大一点" not in said) is dropped, said


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "请求没有要求删掉「海边的清晨」"), ("en", "did not ask for “海边的清晨” to go")]
)
def test_a_title_replaced_unasked_is_still_said_at_the_export_after_a_later_change(
    lang: str, said: str
) -> None:
    """ZH call 38: the export of 海边的清晨 said nothing, though call 24 had replaced its title
    「海边的清晨」 by 「下次见」 unasked and call 37 (the music) left it so."""
    facts = {"not_as_asked": [{"kind": "text_gone", "names": ["海边的清晨"], "by": ["下次见"]}]}
    first = dataclasses.replace(
        _turn("gen_24", "改回15秒，加上字幕「下次见」，放在12到15秒", 100.0, True), facts=json.dumps(facts)
    )
    music = _turn("gen_37", "海边那个视频的音乐换成钢琴曲", 200.0, True)
    now = read_timeline(
        state(15, ("beach", "sunrise"), ("Calm Piano (free music)", 35), (("下次见", 0, 3),)).draft
    )
    lines = replies.earlier_unchanged([music, first], lang, now, [music, first])
    line = " ".join(lack.line for lack in lines)
    assert said in line and "下次见" in line, line
    # the title back on screen (asked again later, say): nothing lacking of it
    back = read_timeline(
        state(
            15,
            ("beach", "sunrise"),
            ("Calm Piano (free music)", 35),
            (("海边的清晨", 0, 3), ("下次见", 12, 15)),
        ).draft
    )
    assert all(
        "海边的清晨" not in lack.line for lack in replies.earlier_unchanged([first], lang, back, [first])
    )


@pytest.mark.anyio
async def test_a_second_frame_made_in_another_project_is_no_lack_of_this_file(
    rich: Client, tmp_path: Path
) -> None:
    """ZH calls 28, 71-73: the landscape version asked beside the kept vertical one changed nothing
    here, was made in a new project (as the hold advises); the vertical file lacks nothing of it."""
    await ask(rich, "upload", {"files": photo_files(tmp_path, "city-lights.jpg", "forest.jpg")})
    await ask(rich, "generate", {"prompt": "用我上传的照片做个12秒的竖屏视频"})
    await export_done(rich)
    second = "再做个横屏16:9的发B站，竖屏的也要留着"
    held = await ask(rich, "generate", {"prompt": second})
    sent = (
        await ask(rich, "generate", {"prompt": second, "accept_cost": True})
        if held["status"] != "done"
        else held
    )
    assert sent["timeline_changed"] is False, sent
    first = await ask(rich, "status", {})
    made = await ask(
        rich, "generate", {"prompt": "做个横屏16:9的B站版本，12秒", "new_project": True, "accept_cost": True}
    )
    assert made["timeline_changed"], made
    out = await ask(rich, "export", {"project": first["project"]["name"]})
    out = out if out.get("path") else await export_done(rich)
    assert "横屏" not in out["reply"] and second not in " ".join(out.get("not_in_file") or []), out


@pytest.mark.parametrize(
    ("made", "elsewhere"),
    [
        ("做个横屏16:9的B站版本，12秒", True),
        ("做个方形的视频，12秒", False),  # another frame made there: the landscape one is not
    ],
)
def test_only_the_frame_asked_made_in_another_project_settles_it(made: str, elsewhere: bool) -> None:
    asked_here = _turn("gen_28", "再做个横屏16:9的发B站，竖屏的也要留着", 100.0, False)
    there = dataclasses.replace(_turn("gen_71", made, 200.0, True), project_id="other")
    assert replies.made_elsewhere(asked_here, [there, asked_here]) is elsewhere
    assert not replies.made_elsewhere(
        asked_here, [dataclasses.replace(there, project_id=asked_here.project_id)]
    )
