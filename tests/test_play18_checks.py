"""Play-test 18 (简体 and English): what a request asks is checked against the timeline in the
words people use, and what asks nothing is not listed as unchecked.

1. A quoted project name the words go to ("回到小满那个「视频 2」") is no caption asked for; "别又把
   开头标题给我换了" is a keep-title ask, judged against the title before.
2. Clip order in Chinese without 把 ("日出那张放最前面", "城市夜景那张放第一个"), a file name
   ("把 sunrise.jpg 那张放到第一个", "put sunrise.jpg first"), and Chinese words for English file
   names ("日出" names sunrise.jpg): judged against the clip order.
3. "15秒左右的竖屏", "20秒的横屏vlog", "竖屏的发抖音", "时长回到15秒" are read as a shape and a length;
   a project named alone ("民宿那个") or a reason ("小红书上太长了没人看") is not an ask.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.asked import Shape, met, read, unmet, wanted_quotes
from ai_video_music.models import SessionState
from ai_video_music.naming import name_from
from ai_video_music.simulator import Simulator
from ai_video_music.timeline import Segment, Timeline, Track
from ai_video_music.turns import compare
from ai_video_music.unchecked import not_checked

from .conftest import ask, export_done, kinds
from .timelines import timeline as built


def timeline(seconds: float = 15, width: int = 1080, height: int = 1920) -> Timeline:
    video = Track(
        "video",
        "",
        [Segment("forest.jpg", 0, seconds / 2, None), Segment("city-lights.jpg", seconds / 2, seconds, None)],
        2,
    )
    music = Track("audio", "", [Segment("Calm Piano (free music)", 0, seconds, 35)], 1)
    return Timeline(tracks=(video, music), tracks_total=2, duration_s=seconds, width=width, height=height)


def state(seconds: float = 2, texts: tuple[tuple[str, float, float], ...] = ()) -> SessionState:
    return built(seconds, ("beach.jpg", "city-lights.jpg"), ("Upbeat Pop (free music)", 35), texts)


# --- 1. a project's quoted name; keeping the title --------------------------------------------------

U31 = "回到小满那个「视频 2」，最后两秒加一行字「下一站见」，这回一定要在结尾啊，别又把开头标题给我换了"


@pytest.mark.parametrize(
    ("prompt", "project", "caption"),
    [
        (U31, "视频 2", "下一站见"),
        ("切到「山间小院」，结尾加上「明天见」", "山间小院", "明天见"),
        ("「山间小院」那个项目，结尾加上「明天见」", "山间小院", "明天见"),
        ("back to 'Holiday teaser', and add 'See you' at the end", "Holiday teaser", "See you"),
        ("switch to the 'Grandpa' project and put 'Love you' at the end", "Grandpa", "Love you"),
    ],
)
def test_a_project_the_words_go_to_is_no_text_asked_for(prompt: str, project: str, caption: str) -> None:
    stated = read(prompt)
    assert project in stated.projects and wanted_quotes(prompt, stated) == [caption], stated


def test_one_of_the_user_s_project_names_quoted_is_no_text_asked_for() -> None:
    prompt = "给「视频 2」结尾加上「下一站见」"
    assert wanted_quotes(prompt, read(prompt), ("视频 2", "山间小院")) == ["下一站见"]
    out = compare(state(20), state(20, texts=(("视频 2", 0, 3),)), prompt, projects=("视频 2",))
    assert out is not None and "quote_shown" not in kinds(out[1].get("as_asked")), out
    # A project's name asked at a place (projects are named after titles) is still asked for.
    titled = "结尾加上「山间小院」"
    assert wanted_quotes(titled, read(titled), ("山间小院",)) == ["山间小院"]
    retitled = "标题改成「山间小院」"
    assert wanted_quotes(retitled, read(retitled), ("山间小院",)) == ["山间小院"]


@pytest.mark.parametrize(
    "prompt",
    [U31, "别把标题换了", "标题别换", "别又把标题改了", "不要再改标题了", "别再把开头标题换了",
     "不要动开头的标题", "don't change the title again", "Don't touch the title.",
     "do not replace the opening title"],
)  # fmt: skip
def test_keeping_the_title_is_read_in_the_words_people_use(prompt: str) -> None:
    assert read(prompt).keep_title, prompt


@pytest.mark.parametrize(
    "prompt", ["别把标题换成红色", "要不要把标题换了？", "如果不好就把标题换了", "change the title"]
)
def test_a_title_change_or_a_question_is_no_keep_title(prompt: str) -> None:
    assert not read(prompt).keep_title, prompt


def test_the_title_replaced_by_the_project_name_is_not_as_asked_and_never_shown_as_asked() -> None:
    """U31-U33: the agent turned "毕业快乐，小满" into "视频 2" (and the video into 2 seconds)."""
    before = state(20, texts=(("毕业快乐，小满", 0, 3),))
    after = state(2, texts=(("视频 2", 0, 1), ("下一站见", 1, 2)))
    out = compare(before, after, U31)
    assert out is not None
    facts = out[1]
    assert "title_kept" in kinds(facts.get("not_as_asked")), facts
    assert all(i.get("name") != "视频 2" for i in facts.get("as_asked", [])), facts
    assert not any("标题" in a for a in facts.get("not_checked", [])), facts
    kept = compare(before, state(20, texts=(("毕业快乐，小满", 0, 3), ("下一站见", 18, 20))), U31)
    assert kept is not None and "title_kept" in kinds(kept[1].get("as_asked")), kept


# --- 2. clip order --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "word", "where"),
    [
        ("日出那张放最前面", "日出", "first"),
        ("城市夜景那张放第一个", "城市夜景", "first"),
        ("把 sunrise.jpg 那张放到第一个", "sunrise.jpg", "first"),
        ("民宿那个，把 sunrise.jpg 那张放到第一个", "sunrise.jpg", "first"),
        ("嗯改吧。夜景那张挪到最前面，结尾加上「下一站见」，别的别动", "夜景", "first"),
        ("院子那张放最后", "院子", "last"),
        ("森林照片放开头吧", "森林", "first"),
        ("put sunrise.jpg first", "sunrise.jpg", "first"),
        ("put the sunrise.jpg photo at the end", "sunrise.jpg", "last"),
    ],
)
def test_a_clip_order_is_read_in_both_languages(prompt: str, word: str, where: str) -> None:
    assert read(prompt).order == ((word, where),), read(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "日出那张放最前面吗？",
        "如果日出那张放最前面",
        "最后那张放第一个",
        "第一张放最后",
        "put the first one last",
    ],
)
def test_a_question_a_condition_or_a_position_is_no_clip_order(prompt: str) -> None:
    assert read(prompt).order == (), prompt


@pytest.mark.parametrize(
    ("prompt", "first"),
    [
        ("城市夜景那张放第一个", False),
        ("夜景那张挪到最前面", False),
        ("森林那张放最前面", True),
        ("把 forest.jpg 那张放到第一个", True),
        ("put the city lights photo first", False),
    ],
)
def test_a_clip_order_is_judged_against_the_timeline(prompt: str, first: bool) -> None:
    tl = timeline()  # forest first, city-lights last
    stated = read(prompt)
    assert not_checked(prompt, tl) == [], prompt
    orders = [i for i in unmet(stated, tl) if i["kind"] == "order"]
    assert (orders == []) is first, orders


def test_a_chinese_word_names_only_the_clip_it_shows() -> None:
    tl = timeline()
    assert [i for i in unmet(read("日出那张放最前面"), tl) if i["kind"] == "order"] == []  # no sunrise clip
    assert not_checked("日出那张放最前面，配点纯音乐", tl) == ["日出那张放最前面", "配点纯音乐"]


# --- 3. shape and length; what asks nothing ---------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "seconds", "shape"),
    [
        ("先做个15秒左右的竖屏吧", 15.0, Shape.VERTICAL),
        ("15秒左右的竖屏", 15.0, Shape.VERTICAL),
        ("帮她弄个20秒的横屏vlog", 20.0, Shape.HORIZONTAL),
        ("20秒的横屏", 20.0, Shape.HORIZONTAL),
        ("再给我弄个竖屏的发抖音", None, Shape.VERTICAL),
        ("搞个方形的发小红书", None, Shape.SQUARE),
        ("时长回到15秒", 15.0, None),
        ("时长改成15秒", 15.0, None),
        ("15秒就够了", 15.0, None),
        ("「山间小院」那个帮我缩到10秒", 10.0, None),
        ("make it vertical for TikTok", None, Shape.VERTICAL),
        ("set the length back to 15 seconds", 15.0, None),
    ],
)
def test_a_shape_and_a_length_are_read_as_people_say_them(
    prompt: str, seconds: float | None, shape: Shape | None
) -> None:
    stated = read(prompt)
    assert (stated.seconds, stated.shape) == (seconds, shape), stated


@pytest.mark.parametrize("prompt", ["15秒左右的竖屏视频好看吗？", "如果是竖屏就15秒", "竖屏还是横屏好？"])
def test_a_question_about_shape_or_length_asks_nothing(prompt: str) -> None:
    stated = read(prompt)
    assert (stated.seconds, stated.shape) == (None, None), stated


def test_a_shape_and_length_met_are_as_asked_and_not_unchecked() -> None:
    prompt = "先做个15秒左右的竖屏吧，配点安安静静的纯音乐"
    tl = timeline(15)
    assert {i["kind"] for i in met(read(prompt), tl)} >= {"seconds", "shape"}
    assert not_checked(prompt, tl) == ["配点安安静静的纯音乐"]
    wide = timeline(15, 1920, 1080)
    assert [i["kind"] for i in unmet(read("再给我弄个竖屏的发抖音，15秒就够了"), wide)] == ["shape"]
    assert [i["kind"] for i in unmet(read("时长回到15秒"), timeline(2))] == ["seconds"]


@pytest.mark.parametrize(
    ("prompt", "left"),
    [
        ("哦对了，「山间小院」那个帮我缩到10秒，小红书上太长了没人看", []),
        ("对对，民宿那个", []),
        ("民宿那个，音乐换成更安静的", ["音乐换成更安静的"]),
        ("make it 10 seconds, because nobody watches long videos", []),
        ("小红书上太长了没人看，帮我加点滤镜", ["帮我加点滤镜"]),
    ],
)
def test_a_reason_or_a_project_named_alone_is_not_an_ask(prompt: str, left: list[str]) -> None:
    assert not_checked(prompt, timeline(10)) == left, prompt


# --- 4. an export names a request that changed nothing, whatever it was routed as -------------------

U33 = '啥玩意？？怎么变2秒了，标题也给我改成"视频 2"了！给我改回去：时长回到15秒，结尾加字幕「下一站见」'


@pytest.mark.anyio
async def test_an_export_names_a_request_read_as_a_question_that_asked_a_change_and_made_none(
    rich: Client, sim: Simulator, image: Path
) -> None:
    """U33-U35: the request went as a question (its first words are one) and changed nothing; the
    file still lacks the length and the caption it asked for, so the export says so."""
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "make a 10 second video"})
    sim.configure(next_lie=True)
    first = await ask(rich, "generate", {"prompt": U33})
    if first["status"] == "needs_confirmation":
        first = await ask(rich, "generate", {"prompt": U33, "accept_cost": True})
    assert first["timeline_changed"] is False, first
    out = await export_done(rich)
    assert out["not_in_file"], out["reply"]
    assert "下一站见" in out["reply"], out["reply"]


# --- 5. a platform is never a project's name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        (
            "Saturday Sunrise Paddle event video, vertical for insta stories. use sunrise.jpg and beach.jpg",
            "Saturday Sunrise Paddle",
        ),
        ("vertical for insta stories", ""),
        ("make a video for Insta", ""),
        ("A reel for TikTok", ""),
        ("做一个发抖音的视频", ""),
        ("Spring Sale video for TikTok", "Spring Sale"),
        ("Can you make a video of the beach", "Beach"),
        ("Another video please", ""),
    ],
)
def test_a_platform_is_never_a_project_s_name(prompt: str, name: str) -> None:
    assert name_from(prompt) == name, prompt


# --- 6. named files on the timeline are as asked ----------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "use beach.jpg and city-lights.jpg",
        "用 beach.jpg 和 city-lights.jpg",
        "Vertical. use beach.jpg, city-lights.jpg.",
    ],
)
def test_named_files_that_are_the_clips_are_as_asked_not_unchecked(prompt: str) -> None:
    out = compare(state(20), state(20), prompt)
    assert out is not None
    facts = out[1]
    assert "clips_used" in kinds(facts.get("as_asked")) and facts.get("not_checked") is None, facts


@pytest.mark.parametrize(
    ("prompt", "left"),
    [
        ("don't use beach.jpg", ["don't use beach.jpg"]),
        ("use beach.jpg for the opening", ["use beach.jpg for the opening"]),
        ("use beach.jpg and dock.jpg", ["dock.jpg"]),
    ],
)
def test_a_file_not_plainly_asked_for_or_not_there_is_never_as_asked(prompt: str, left: list[str]) -> None:
    out = compare(state(20), state(20), prompt)
    assert out is not None
    assert "clips_used" not in kinds(out[1].get("as_asked")), out[1]
    assert out[1].get("not_checked") == left, out[1]


@pytest.mark.anyio
async def test_a_guessed_project_name_gives_way_to_the_first_title_asked_for(
    rich: Client, image: Path
) -> None:
    """F3/F9: the user calls the project by the title they asked for, so that becomes its name
    (once: a later title leaves it); a name the user gave is never replaced."""
    await ask(rich, "upload", {"files": [str(image)], "new_project": True})
    await ask(rich, "generate", {"prompt": "Saturday Sunrise Paddle event video, vertical for insta stories"})

    async def current() -> str:
        return str(next(p["name"] for p in (await ask(rich, "status"))["projects"] if p["current"]))

    assert await current() == "Saturday Sunrise Paddle"
    out = await ask(rich, "generate", {"prompt": "change the title to 'Sunrise Paddle - Sat 6:30am'"})
    assert await current() == "Sunrise Paddle - Sat 6:30am", out["reply"]
    assert "Sunrise Paddle - Sat 6:30am" in out["reply"], out["reply"]
    await ask(rich, "generate", {"prompt": "change the title to 'See you Saturday'"})
    assert await current() == "Sunrise Paddle - Sat 6:30am"

    await ask(rich, "upload", {"files": [str(image)], "new_project": True})
    await ask(rich, "generate", {"prompt": "make a video titled 'Dock Day'"})
    await ask(rich, "generate", {"prompt": "change the title to 'Dock Day 2'"})
    assert await current() == "Dock Day"
