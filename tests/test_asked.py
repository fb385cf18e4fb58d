"""What the user's own words ask of the timeline (no music, a length, a shape), checked against
the verified timeline after the turn: a labelled corpus for the reader's precision, and a real
MCP client session in each language for what the assistant is told."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music.asked import Asked, Shape, asks_for_a_video, read, same_music, unmet
from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.timeline import read_timeline
from ai_video_music.tools import create_server

from .conftest import ask

CORPUS = Path(__file__).with_name("asked_corpus.tsv")


def labelled() -> list[tuple[str, Asked]]:
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        prompt, music, seconds, shape, *more = line.split("\t")
        cells = (more + ["0", "", "", "", "", "", "", "0", ""][len(more) :])[:8]
        no_text, under, level, order, removed, text_at, sequence, keep_frame = cells
        rows.append(
            (
                prompt,
                Asked(
                    music == "1",
                    float(seconds) if seconds else None,
                    Shape(shape) if shape else None,
                    no_text=no_text == "1",
                    music_under=float(under.removeprefix("<=")) if under else None,
                    music_at_most=under.startswith("<="),
                    music_at=float(level) if level else None,
                    order=tuple(
                        (word, where) for word, _, where in (o.rpartition(":") for o in order.split("|") if o)
                    ),
                    removed=tuple(r for r in removed.split("|") if r),
                    text_at=tuple(
                        (text, where)
                        for text, _, where in (o.rpartition(":") for o in text_at.split("|") if o)
                    ),
                    sequence=tuple(w for w in sequence.split("|") if w),
                    keep_frame=keep_frame == "1",
                ),
            )
        )
    return rows


def test_the_corpus_reads_no_constraint_the_words_do_not_state() -> None:
    """Precision is exact: a constraint read where the user stated none (a caption, a question, a
    condition, "no more music changes", a time span) would tell the user something false."""
    rows = labelled()
    assert len(rows) >= 80 and sum(1 for _, a in rows if a == Asked()) >= 40
    wrong = []
    for prompt, want in rows:
        got = read(prompt)
        misread = (
            (got.no_music and not want.no_music)
            or (got.seconds is not None and got.seconds != want.seconds)
            or (got.shape is not None and got.shape is not want.shape)
            or (got.no_text and not want.no_text)
            or (got.music_under is not None and got.music_under != want.music_under)
            or (got.music_under is not None and got.music_at_most != want.music_at_most)
            or (got.music_at is not None and got.music_at != want.music_at)
            or not set(got.order) <= set(want.order)
            or not set(got.removed) <= set(want.removed)
            or not set(got.text_at) <= set(want.text_at)
            or (got.sequence != () and got.sequence != want.sequence)
            or (got.keep_frame and not want.keep_frame)
        )
        if misread:
            wrong.append((prompt, got))
    assert wrong == []


def test_the_corpus_catches_most_plainly_stated_constraints() -> None:
    rows = labelled()
    stated = [(p, a) for p, a in rows if a != Asked()]
    caught = [p for p, a in stated if read(p) == a]
    assert len(caught) / len(stated) >= 0.85, sorted({p for p, _ in stated} - set(caught))


@pytest.mark.parametrize(
    ("prompt", "new"),
    [
        ("make a video of a forest", True),
        ("Can you create another reel for the sale?", True),
        ("再做一个森林的视频", True),
        ("生成一段新的视频", True),
        ("做一个 海边的视频", True),
        ("再做一个 森林的视频 竖屏 15秒", True),
        ("Make the sneaker video 10 seconds.", False),
        ("make the title red", False),
        ("把视频剪成 10 秒", False),
        ("把它做成竖屏视频", False),
        ("should I make a video of the forest?", False),
        ("Add the caption 'make a video today'", False),
        ("要不要再做一个视频？", False),
    ],
)
def test_a_request_for_a_video_of_its_own_is_told_from_an_edit(prompt: str, new: bool) -> None:
    """A team quota reserves a generation's price for the first (NemoVideo may make a new video)."""
    assert asks_for_a_video(prompt) is new


def test_unmet_says_only_what_the_timeline_lacks() -> None:
    draft: dict[str, Any] = {
        "d": 6000,
        "m": {"w": 1080, "h": 1080},
        "t": [
            {"tt": 0, "sg": [{"n": "beach.jpg", "s": 0, "d": 6000}]},
            {"tt": 1, "sg": [{"n": "Lo-fi Chill", "s": 0, "d": 6000, "v": 35}]},
        ],
    }
    tl = read_timeline(draft)
    assert unmet(Asked(seconds=6.0, shape=Shape.SQUARE), tl) == [], "as asked: nothing to say"
    assert unmet(Asked(no_music=True), tl) == [{"kind": "music", "names": ["Lo-fi Chill"]}]
    assert unmet(Asked(seconds=15.0, shape=Shape.VERTICAL), tl) == [
        {"kind": "seconds", "asked": 15.0, "found": 6.0},
        {"kind": "shape", "asked": "vertical", "width": 1080, "height": 1080},
    ]
    muted = read_timeline(
        {**draft, "t": [draft["t"][0], {"tt": 1, "sg": [{"n": "x", "s": 0, "d": 6000, "v": 0}]}]}
    )
    assert unmet(Asked(no_music=True), muted) == [], "a track at 0% is no music"


@pytest.mark.parametrize(
    ("prompt", "asks"),
    [
        ("Swap the music for something with a hip-hop beat, keep it under 40% volume.", True),
        ("change the music to something calmer", True),
        ("把音乐换成钢琴曲，再在结尾加一句「欢迎预约」。", True),
        ("keep the music", False),
        ("swap the photos for newer ones", False),
        ("don't change the music to rock", False),
        ("Did you change the music to piano?", False),
    ],
)
def test_other_music_asked_for_is_checked_against_the_music_before(prompt: str, asks: bool) -> None:
    draft: dict[str, Any] = {
        "d": 6000,
        "t": [{"tt": 1, "sg": [{"n": "Upbeat Pop", "s": 0, "d": 6000, "v": 35}]}],
    }
    before = read_timeline(draft)
    louder = read_timeline(
        {"d": 6000, "t": [{"tt": 1, "sg": [{"n": "Upbeat Pop", "s": 0, "d": 6000, "v": 40}]}]}
    )
    other = read_timeline(
        {"d": 6000, "t": [{"tt": 1, "sg": [{"n": "Hip-hop Beat", "s": 0, "d": 6000, "v": 35}]}]}
    )
    stated = read(prompt)
    expected = {"kind": "same_music", "names": ["Upbeat Pop"]} if asks else None
    assert same_music(stated, before, louder) == expected, "only the volume moved: the same track"
    assert same_music(stated, before, other) is None, "another track: as asked"


pytestmark = [pytest.mark.anyio, pytest.mark.priced]


def music_on_timeline(sim: Simulator) -> list[str]:
    with sim.state.lock:
        drafts = [s.draft for s in sim.state.sessions.values()]
    return [
        str(seg.get("n"))
        for draft in drafts
        for track in draft.get("t", [])
        if track.get("tt") == 1
        for seg in track.get("sg", [])
    ]


async def test_no_music_that_the_agent_ignored_is_said_first_and_the_fix_is_offered(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    done = await ask(
        rich, "generate", {"prompt": "Holiday teaser: just this photo, 6 seconds, square, no music"}
    )
    assert music_on_timeline(sim), "the simulator's agent adds music to every new video"
    assert done["reply"].startswith("Not as asked: the request said no music, but the timeline has music (“")
    assert len(done["not_as_asked"]) == 1, "6 seconds and square were done as asked: not listed"
    assert not any(s.startswith("When the user wants the file") for s in done["next_steps"])
    assert any(s.startswith("Tell the user first what differs") for s in done["next_steps"])
    fixed = await ask(rich, "generate", {"prompt": "remove the music"})
    assert not music_on_timeline(sim) and fixed["not_as_asked"] == []


async def test_in_chinese_too_and_a_length_and_shape_not_met_are_said(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    done = await ask(rich, "generate", {"prompt": "做一个6秒的视频，不要音乐"})
    assert done["reply"].startswith("与要求不符：要求不要音乐，但时间线上有音乐（「")
    assert any(s.startswith("先告诉用户哪里与要求不符") for s in done["next_steps"])
    sim.configure(lie_rate=1.0)  # the agent claims the edit and makes none
    lied = await ask(rich, "generate", {"prompt": "改成竖屏，剪成 10 秒"})
    assert (
        "要求 10 秒，但时间线实际是 6 秒" in lied["reply"] and "要求竖屏画面，但时间线实际是" in lied["reply"]
    )


async def test_words_that_state_no_constraint_raise_no_alarm(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    done = await ask(rich, "generate", {"prompt": "Make a 6 second square video, lo-fi music"})
    assert done["not_as_asked"] == [] and any("call export" in s for s in done["next_steps"])
    for prompt in ("Add the caption 'no music, no life'", "no more music changes, just make it brighter"):
        assert music_on_timeline(sim), "music is there: a misread 'no music' would be flagged"
        out = await ask(rich, "generate", {"prompt": prompt})
        # The simulator's agent puts an added caption in the title's place: that loss is said
        # (play19 A), and nothing else may be.
        misread = [
            i for i in out["not_as_asked"] if not i.startswith("the request did not ask for “My Video” to go")
        ]
        assert misread == [] and "the request said no music" not in out["reply"], prompt


async def test_a_name_given_to_the_video_is_not_asked_for_as_on_screen_text(
    rich: Client, sim: Simulator, image: Path
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    done = await ask(
        rich, "generate", {"prompt": "再做一个新视频，叫「开业倒计时」，只用这张照片，方形，6 秒，不要音乐。"}
    )
    with sim.state.lock:
        texts = [
            seg.get("n")
            for s in sim.state.sessions.values()
            for tr in s.draft.get("t", [])
            if tr.get("tt") == 7
            for seg in tr.get("sg", [])
        ]
    assert done["project"]["name"] == "开业倒计时"
    items = "；".join(done["not_as_asked"])
    assert "要求不要音乐" in items
    assert "开业倒计时" in texts, "the simulator's agent shows the first quoted text as the title"
    # A video called X that shows X as its title is what most people mean: a plain note, no alarm.
    assert "开业倒计时" not in items, items
    assert "视频的名字「开业倒计时」也作为标题显示在画面上。" in done["reply"], done["reply"]
    assert not any("开业倒计时" in step for step in done["next_steps"] if "不符" in step), done["next_steps"]
    assert "请求里引用的文字没有出现在时间线上" not in done["reply"], "a name is not text to show"


async def test_an_answer_told_by_status_says_it_first_and_offers_the_fix(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=2.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        with sim.hold("run_sse"):
            working = await ask(client, "generate", {"prompt": "6 秒，方形，不要音乐"})
            assert working["status"] == "working"
        st = await ask(client, "status")
    (answer,) = st["answers"]
    assert answer["not_as_asked"] and answer["reply"].startswith("与要求不符：要求不要音乐")
    assert st["next_steps"][0].startswith("先告诉用户哪里与要求不符")
    assert not any(s.startswith("用户需要成品文件时") for s in st["next_steps"])
