"""Play-test 20 (English, with the 中文 phrasings beside): what a request asked of the clips, read
in the words people use, and judged against the verified timeline.

F3. Clip order said as "open with the sunrise one obviously", "save the beach shot for last",
    "X for the ending", "close on X", "X那张压轴", "X留到最后", "开场用X", "order: a, b, c" is
    judged (as asked, or not as asked and named again by the export); a remark ("sunrise looks
    kinda washed out") and a withdrawal ("ugh ok forget the order", "算了顺序不用管了") are no
    requests, and what a withdrawal takes back is not checked at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.asked import files_asked, files_wanted, read, unmet, withdrawal
from ai_video_music.unchecked import not_checked

from .conftest import ask, export_done, photo_files
from .test_play19_checks import timeline

FOUR = ("sunrise.jpg", "beach.jpg", "forest.jpg", "city-lights.jpg")

# --- F3: clip order in more words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "order"),
    [
        (
            "open with the sunrise one obviously and save the beach shot for last",
            [("sunrise", "first"), ("beach", "last")],
        ),
        ("save the beach shot for last", [("beach", "last")]),
        ("keep the beach pic for the end", [("beach", "last")]),
        ("the beach picture for the ending", [("beach", "last")]),
        ("close on the beach shot", [("beach", "last")]),
        ("kick off with the sunrise image", [("sunrise", "first")]),
        ("actually open with the sunrise one instead", [("sunrise", "first")]),
        ("海滩那张压轴", [("海滩", "last")]),
        ("用海滩那张压轴", [("海滩", "last")]),
        ("海滩留到最后", [("海滩", "last")]),
        ("开场用日出那张", [("日出", "first")]),
        ("日出那张开场", [("日出", "first")]),
        ("beach.jpg for the end", [("beach.jpg", "last")]),
    ],
)  # fmt: skip
def test_an_order_in_everyday_words_is_read_and_judged(prompt: str, order: list[tuple[str, str]]) -> None:
    stated = read(prompt)
    assert list(stated.order) == order, stated
    tl = timeline(FOUR)  # sunrise first, beach second, city lights last
    assert not_checked(prompt, tl) == [], not_checked(prompt, tl)
    wrong = {(i["name"], i["where"]) for i in unmet(stated, tl) if i["kind"] == "order"}
    assert wrong == {o for o in order if o != ("sunrise", "first") and o != ("日出", "first")}, wrong


@pytest.mark.parametrize(
    ("prompt", "names"),
    [
        ("so order: city lights, sunrise, forest, beach", ("city lights", "sunrise", "forest", "beach")),
        ("顺序：城市夜景、日出、森林、海滩", ("城市夜景", "日出", "森林", "海滩")),
    ],
)
def test_an_order_listed_after_its_heading_is_a_sequence(prompt: str, names: tuple[str, ...]) -> None:
    stated = read(prompt)
    assert stated.sequence == names, stated
    assert "sequence" in {i["kind"] for i in unmet(stated, timeline(FOUR))}


@pytest.mark.parametrize(
    "prompt",
    [
        "sunrise looks kinda washed out",
        "the beach one is nice",
        "日出那张看起来有点发白",
        "ugh ok forget the order",
        "never mind the music",
        "forget the week5 one",
        "算了顺序不用管了",
        "音乐不用管了",
    ],
)
def test_a_remark_or_a_withdrawal_is_no_request(prompt: str) -> None:
    assert not_checked(prompt, timeline(FOUR)) == [], not_checked(prompt, timeline(FOUR))


@pytest.mark.parametrize(
    "prompt",
    [
        "open with the beach photo and make it 10 seconds. actually forget the order",
        "先放海滩那张，算了顺序不用管了",
    ],
)
def test_a_withdrawn_part_is_not_checked_at_all(prompt: str) -> None:
    stated = read(prompt)
    assert (stated.order, stated.sequence) == ((), ()), stated
    assert not_checked(prompt, timeline(FOUR)) == [], not_checked(prompt, timeline(FOUR))


@pytest.mark.parametrize(
    "prompt", ["make it brighter", "the sunrise looks washed out, make it brighter", "sunrise is too dark"]
)
def test_a_remark_that_asks_a_change_is_still_a_request(prompt: str) -> None:
    assert not_checked(prompt, timeline(FOUR)) != [], prompt


def test_a_removal_said_with_a_shrug_is_no_withdrawal() -> None:
    assert withdrawal("把音乐删了就算了") is None


# --- through the tools ------------------------------------------------------------------------------

F3_PROMPT = (
    'make me a 20 sec promo for my saturday class, call it "Sunrise Sweat Club" - open with the sunrise '
    "one obviously and save the beach shot for last. upbeat music, something with energy. oh and can I "
    "use the music in paid instagram ads? gonna boost it"
)


async def photos(rich: Client, tmp_path: Path, names: tuple[str, ...] = FOUR) -> list[str]:
    files = photo_files(tmp_path, *names)
    await ask(rich, "upload", {"files": files, "new_project": True})
    return files


@pytest.mark.anyio
async def test_save_the_beach_shot_for_last_is_judged_and_named_by_the_export(
    rich: Client, tmp_path: Path
) -> None:
    """play20 F3: sunrise first (as asked) and beach second (not as asked) were both "not checked";
    the export's not_in_file then left the beach part out."""
    await photos(rich, tmp_path)
    out = await ask(rich, "generate", {"prompt": F3_PROMPT})
    assert any("“beach” last" in item for item in out["not_as_asked"]), out
    assert any("sunrise" in item for item in out["as_asked"]), out
    assert not any("sunrise" in item or "beach" in item for item in out["not_checked"]), out
    saved = await export_done(rich)
    assert any("beach" in item for item in saved["not_in_file"]), saved


@pytest.mark.anyio
async def test_a_remark_and_a_withdrawal_are_not_listed_as_unchecked_requests(
    rich: Client, tmp_path: Path
) -> None:
    await photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": "make a 20 second video"})
    out = await ask(
        rich,
        "generate",
        {"prompt": "ugh ok forget the order then. sunrise looks kinda washed out. make it 15 seconds"},
    )
    assert not any("order" in item or "washed" in item for item in out["not_checked"]), out
    assert not any("order" in item for item in out["not_as_asked"]), out


# --- F2: files the request wants on the timeline ---------------------------------------------------

F2_PROMPT = (
    "yeah go for it but forget the week5 one. replace the AI scene with forest.jpg then sunrise.jpg, "
    'and set the title to "Jess: 10 Weeks"'
)


@pytest.mark.anyio
async def test_named_photos_left_off_and_the_ai_scene_kept_are_not_as_asked(
    rich: Client, tmp_path: Path
) -> None:
    """play20 F2: the AI scene stayed the only clip and forest/sunrise were on no track; the answer
    put the swap under not_checked."""
    out = await ask(
        rich, "generate", {"prompt": "make a 12 second video of a sunrise run", "new_project": True}
    )
    await ask(rich, "upload", {"files": photo_files(tmp_path, "forest.jpg", "sunrise.jpg")})
    out = await ask(rich, "generate", {"prompt": F2_PROMPT})
    said = " ".join(out["not_as_asked"])
    assert "“forest.jpg”, “sunrise.jpg” on the video, but they are on no track" in said, out
    assert "“AI scene” to be replaced or removed, but it is still on the video track" in said, out
    assert out["not_checked"] == [], out
    assert out["reply"].startswith("Not as asked: "), out["reply"]
    saved = await export_done(rich)
    assert any("forest.jpg" in item for item in saved["not_in_file"]), saved
    assert any("AI scene" in item for item in saved["not_in_file"]), saved


@pytest.mark.anyio
async def test_photos_swapped_in_by_chinese_words_are_judged_too(rich: Client, tmp_path: Path) -> None:
    await ask(rich, "generate", {"prompt": "做一个12秒的日出视频", "new_project": True})
    path = tmp_path / "forest.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"\0" * 500)
    await ask(rich, "upload", {"files": [str(path)]})
    out = await ask(rich, "generate", {"prompt": "把AI那段换成forest.jpg"})
    said = "".join(out["not_as_asked"])
    assert "要求把「forest.jpg」放进视频" in said and "「AI scene」" in said, out
    assert out["not_checked"] == [], out


@pytest.mark.parametrize(
    ("prompt", "wanted", "going"),
    [
        ("replace the AI scene with forest.jpg then sunrise.jpg", ["forest.jpg", "sunrise.jpg"], []),
        ("use a.jpg and b.jpg", ["a.jpg", "b.jpg"], []),
        ("swap the AI clip for forest.jpg", ["forest.jpg"], []),
        ("把AI那段换成forest.jpg", ["forest.jpg"], []),
        ("replace forest.jpg with sunrise.jpg", ["sunrise.jpg"], ["forest.jpg"]),
        ("把forest.jpg换成sunrise.jpg", ["sunrise.jpg"], ["forest.jpg"]),
        ("don't use forest.jpg", [], ["forest.jpg"]),
        ("without forest.jpg please", [], ["forest.jpg"]),
        ("should I use forest.jpg?", [], []),
        ("用forest.jpg和sunrise.jpg替换AI生成的那段", ["forest.jpg", "sunrise.jpg"], []),
        ("use a.jpg, b.jpg and c.jpg", ["a.jpg", "b.jpg", "c.jpg"], []),
        ("use forest.jpg instead of sunrise.jpg", ["forest.jpg"], ["sunrise.jpg"]),
        # named, not asked for: a remark, a report, a file asked to go
        ("forest.jpg looks blurry", [], []),
        ("I uploaded forest.jpg by mistake", [], []),
        ("I want forest.jpg removed", [], []),
        ("forest.jpg不要了", [], []),
    ],
)
def test_the_files_a_request_wants_on_and_off_the_video(
    prompt: str, wanted: list[str], going: list[str]
) -> None:
    assert files_wanted(prompt) == (wanted, going)


def test_a_clip_asked_to_go_is_judged_only_where_its_words_name_one() -> None:
    uploads = (["forest.jpg", "sunrise.jpg"], 2)
    ai = timeline(("AI scene",))
    kept = files_asked("swap the AI clip for forest.jpg", ai, uploads, ai)
    assert kept[1] == [
        {"kind": "files_unused", "names": ["forest.jpg"]},
        {"kind": "clip_kept", "names": ["AI scene"]},
    ], kept
    done = files_asked("swap the generated clip for forest.jpg", timeline(("forest.jpg",)), uploads, ai)
    assert done == (
        [{"kind": "clips_used", "names": ["forest.jpg"]}, {"kind": "clip_gone", "names": ["AI scene"]}],
        [],
        True,
    ), done
    assert files_asked("remove the beach photo", ai, uploads, ai)[1] == []
    for prompt in ("用forest.jpg换掉AI那段", "get rid of the AI scene and use forest.jpg"):
        assert {i["kind"] for i in files_asked(prompt, ai, uploads, ai)[1]} == {"files_unused", "clip_kept"}
    # the upload under another name ("Image 1"), new on the track: it may be forest.jpg, not judged
    renamed = files_asked("swap the AI clip for forest.jpg", timeline(("Image 1",)), uploads, ai)
    assert renamed[1] == [], renamed


# --- F7: "keep the wide one", confirmed or kept in a file -------------------------------------------

F7_PROMPT = (
    "ugh ok forget the order then, I will fix it in the editor. do the vertical 9:16 version for reels "
    "now, 15 seconds is plenty. keep the wide one"
)


@pytest.mark.anyio
async def test_keep_the_wide_one_after_it_was_exported_is_said_as_the_file_that_keeps_it(
    rich: Client, tmp_path: Path
) -> None:
    """play20 F7: the wide video was saved, so nothing was held; the answer opened with "Not as
    asked" although the user has the wide one (in the file)."""
    await photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": "make a 20 second horizontal video"})
    saved = await export_done(rich)
    out = await ask(rich, "generate", {"prompt": F7_PROMPT})
    assert out["status"] == "done", out
    name = Path(str(saved["path"])).name
    assert f"(16:9) version is kept in the file “{name}” exported before" in out["reply"], out
    assert not out["reply"].startswith("Not as asked"), out["reply"]
    assert out["not_as_asked"] == [] and out["not_checked"] == [], out
    later = await export_done(rich)
    assert not any("wide" in item for item in later["not_in_file"]), later


@pytest.mark.anyio
async def test_a_replacement_confirmed_with_accept_cost_is_a_fact_not_a_failure(
    rich: Client, tmp_path: Path
) -> None:
    await photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": "make a 20 second horizontal video"})
    prompt = "do a vertical 9:16 version for reels, keep the wide one"
    held = await ask(rich, "generate", {"prompt": prompt})
    assert held["status"] == "needs_confirmation", held
    out = await ask(rich, "generate", {"prompt": prompt, "accept_cost": True})
    assert out["reply"].startswith("As confirmed, the "), out["reply"]
    assert "(16:9) one was never exported" in out["reply"], out
    assert out["not_as_asked"] == [], out
    saved = await export_done(rich)
    assert not any("wide" in item or "16:9" in item for item in saved["not_in_file"]), saved


@pytest.mark.anyio
async def test_beach_saved_for_last_in_chinese_is_judged(rich: Client, tmp_path: Path) -> None:
    await photos(rich, tmp_path)
    out = await ask(
        rich, "generate", {"prompt": "做一个20秒的视频，开场用日出那张，海滩那张压轴。日出那张看起来有点发白"}
    )
    assert any("「海滩」" in item for item in out["not_as_asked"]), out
    assert any("日出" in item or "sunrise" in item for item in out["as_asked"]), out
    assert out["not_checked"] == [], out


def test_an_order_asked_after_the_withdrawal_is_read() -> None:
    assert read("forget the order and put the beach photo last").order == (("beach", "last"),)
    assert read('add the caption "forget the order"').order == ()


@pytest.mark.anyio
async def test_the_export_after_a_later_request_still_names_the_order_missed_before(
    rich: Client, tmp_path: Path
) -> None:
    """play20 F3 (call 07): the export listed only the later reorder request, not the first one's
    missed part, although the file has beach second."""
    await photos(rich, tmp_path)
    await ask(rich, "generate", {"prompt": F3_PROMPT})
    await ask(rich, "generate", {"prompt": "ugh the beach one ended up second, I wanted it at the end"})
    saved = await export_done(rich)
    assert any("“beach” last" in item for item in saved["not_in_file"]), saved
