"""Play-test 19 (简体, a B&B owner): what a request asks is read clause by clause, whatever parts
the clauses (a comma, or the space Chinese users often type instead), and checked against the
verified change.

I. "把「A」删掉 标题换回「B」" / "remove 'A' and change the title back to 'B'": A is checked gone and
   B present; never "already as asked: the timeline has A".
E/G. A time range in one clause ("放在第3到6秒") hides no length said in another ("改回15秒");
   "总时长设成20秒", "换成竖屏的", "调到30%" are read and checked; an unchanged volume is never said
   as "from 35% to 35%".
A. A caption added that took the title's place, though nothing asked the title to go, is said.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mcp import Client

from ai_video_music import replies
from ai_video_music.asked import only_questions, read
from ai_video_music.config import Settings
from ai_video_music.mentions import described
from ai_video_music.models import SessionState
from ai_video_music.simulator import Simulator
from ai_video_music.store import Project
from ai_video_music.tools import create_server

from .conftest import ask, export_done, kinds, requests_to
from .timelines import checked as facts
from .timelines import timeline


def state(
    seconds: float = 10,
    texts: tuple[tuple[str, float, float], ...] = (),
    volume: int = 35,
    size: tuple[int, int] = (1920, 1080),
) -> SessionState:
    clips = ("beach.jpg", "city-lights.jpg")
    return timeline(seconds, clips, ("Upbeat Pop (free music)", volume), texts, size)


def said(out: dict[str, Any], lang: str = "zh") -> list[str]:
    """The not-as-asked lines the answer says for these facts."""
    return replies.not_as_asked(SimpleNamespace(fact_map=out), lang)  # type: ignore[arg-type]


# --- I. a removal and a title asked back, in one request ----------------------------------------


@pytest.mark.parametrize(
    ("prompt", "gone", "back"),
    [
        ("把「特价 199元/晚」删掉 标题换回「住过的都说好」", "特价 199元/晚", "住过的都说好"),
        ("把「特价 199元/晚」删掉，标题改回「住过的都说好」", "特价 199元/晚", "住过的都说好"),
        ("删掉「特价 199元/晚」 然后把标题恢复成「住过的都说好」", "特价 199元/晚", "住过的都说好"),
        ("remove 'Sale 199' and change the title back to 'Loved by guests'", "Sale 199", "Loved by guests"),
        ("Delete 'Sale 199', then put the title back to 'Loved by guests'.", "Sale 199", "Loved by guests"),
    ],
)
def test_a_removal_and_a_title_asked_back_are_each_read(prompt: str, gone: str, back: str) -> None:
    stated = read(prompt)
    assert stated.removed == (gone,) and stated.title == back and stated.projects == (), stated


def test_nothing_done_is_never_already_as_asked() -> None:
    """Step 35-36: the agent said "已删除标题" and changed nothing."""
    prompt = "把「特价 199元/晚」删掉 标题换回「住过的都说好」"
    before = state(10, texts=(("特价 199元/晚", 0, 3),))
    out = facts(before, before, prompt)
    assert "quote_shown" not in kinds(out.get("as_asked")), out
    assert kinds(out.get("not_as_asked")) == ["quote_missing", "text_kept"], out
    lines = said(out)
    assert "住过的都说好" in lines[0] and "仍在时间线上" in lines[1], lines


def test_a_removal_done_is_as_asked_and_only_the_title_asked_back_is_missing() -> None:
    """Step 32: the price was removed; the answer said the price was missing and offered a fix."""
    prompt = "把「海景房 388元/晚」删掉 标题换回「国庆住三送一」"
    before = state(15, texts=(("海景房 388元/晚", 0, 3),))
    out = facts(before, state(15), prompt)
    assert kinds(out.get("not_as_asked")) == ["quote_missing"], out
    assert out["not_as_asked"][0]["name"] == "国庆住三送一"
    assert "text_removed" in kinds(out.get("as_asked")), out
    done = facts(before, state(15, texts=(("国庆住三送一", 0, 3),)), prompt)
    assert "not_as_asked" not in done and {"text_removed", "title"} <= set(kinds(done["as_asked"])), done


# --- E/G. a length, a shape, a level, said beside a time range -------------------------------------

E17 = "改回15秒 价格「海景房 388元/晚」做成单独一行字幕 放在第3到6秒 标题「国庆住三送一」保留"


@pytest.mark.parametrize(
    ("prompt", "seconds"),
    [
        (E17, 15),
        ("改成15秒 标题放在第2到4秒出现", 15),
        ("整个视频总时长设成20秒 三张图平均分", 20),
        ("改短点 15秒 音乐小声点 调到30%", 15),
        ("视频改回20秒，字幕放在第3到6秒", 20),
        ("make it 15 seconds and put the price from 3 to 6 s", 15),
        ("change it back to 15 seconds, the price caption at 3-6s", 15),
    ],
)
def test_a_length_is_read_beside_a_time_range(prompt: str, seconds: float) -> None:
    assert read(prompt).seconds == seconds, read(prompt)


@pytest.mark.parametrize(
    "prompt",
    ["标题放在第3到6秒", "前 3 秒 加标题", "每张 2 秒", "字幕显示 3秒 左右", "put the title from 3 to 6 s"],
)
def test_a_time_range_or_a_part_s_seconds_is_no_length(prompt: str) -> None:
    assert read(prompt).seconds is None, read(prompt)


def test_the_length_asked_back_is_as_asked_never_an_unasked_change() -> None:
    """Step 17: "请求没有要求改时长，但视频从 6 秒变成了 15 秒", and a paid fix offered."""
    before = state(6, texts=(("国庆住三送一", 0, 3),))
    after = state(15, texts=(("国庆住三送一", 0, 3), ("海景房 388元/晚", 3, 6)))
    out = facts(before, after, E17)
    assert "length_unasked" not in kinds(out.get("not_as_asked")), out
    assert "seconds" in kinds(out.get("as_asked")), out


def test_a_length_and_a_shape_said_with_other_asks_are_checked_not_left_unchecked() -> None:
    """Step 27 and 29: both landed, and the whole prompt went into not_checked."""
    out = facts(state(5), state(20), "整个视频总时长设成20秒 三张图平均分")
    assert "seconds" in kinds(out.get("as_asked")), out
    assert "整个视频总时长设成20秒 三张图平均分" not in out.get("not_checked", []), out
    prompt = "换成竖屏的 字幕改成黄色"
    out = facts(state(15), state(15, size=(1080, 1920)), prompt)
    assert "shape" in kinds(out.get("as_asked")), out
    assert prompt not in out.get("not_checked", []), out


def test_a_level_asked_and_a_length_not_done_are_said_and_no_change_is_no_change() -> None:
    """Step 14: the agent claimed 15 s and 30%; the answer said "音量从 35% 变成了 35%" only."""
    before = state(20)
    out = facts(before, before, "改短点 15秒 音乐小声点 调到30%")
    assert kinds(out.get("not_as_asked")) == ["seconds", "volume_at"], out
    lines = said(out)
    assert "15" in lines[0] and "30%" in lines[1], lines
    assert not any("35% 变成了 35%" in line for line in lines), lines
    quieter = facts(before, before, "音乐小声点")
    lines = said(quieter) + said(quieter, "en")
    assert lines == [
        "要求音乐小一点，但音量没有变（仍是 35%）",
        "the request asked for quieter music, but the volume stayed at 35%",
    ]


@pytest.mark.parametrize(
    ("prompt", "level"),
    [
        ("音乐小声点 调到30%", 30),
        ("turn the music down to 30%", 30),
        ("music at 30% volume", 30),
        ("音量调到30%", 30),
    ],
)
def test_a_volume_level_is_read(prompt: str, level: float) -> None:
    assert read(prompt).music_at == level, read(prompt)


# --- A. a caption added that took the title's place ----------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "把价格「海景房 388元/晚」加上 放在标题下面 红色的字",
        "加一行字「海景房 388元/晚」，放在标题下面",
        "add the price 'Sea view 388' under the title, in red",
    ],
)
def test_a_caption_that_replaced_the_title_unasked_is_said(prompt: str) -> None:
    """Step 10: changes said 标题 "国庆住三送一" → "海景房 388元/晚"; the verdict was as asked only."""
    price = "Sea view 388" if "Sea view" in prompt else "海景房 388元/晚"
    before = state(15, texts=(("国庆住三送一", 0, 3),))
    out = facts(before, state(15, texts=((price, 0, 3),)), prompt)
    assert "text_gone" in kinds(out.get("not_as_asked")), out
    lines = said(out)
    assert any("国庆住三送一" in line and price in line for line in lines), lines
    kept = facts(before, state(15, texts=(("国庆住三送一", 0, 3), (price, 3, 6))), prompt)
    assert "not_as_asked" not in kept, kept


@pytest.mark.parametrize(
    "prompt",
    [
        "标题换成「海景房 388元/晚」",
        "把标题改成「海景房 388元/晚」",
        "replace the title with 'Sea view 388'",
        "把标题删掉 加上「海景房 388元/晚」",
        "标题写「海景房 388元/晚」",
        "做个横屏的 15秒 标题写「海景房 388元/晚」 音乐欢快点",
        "「海景房 388元/晚」做标题",
        "开头加个标题「海景房 388元/晚」",
        "add the title 'Sea view 388'",
        "use 'Sea view 388' as the title",
    ],
)
def test_a_title_asked_to_change_or_go_is_no_unasked_loss(prompt: str) -> None:
    before = state(15, texts=(("国庆住三送一", 0, 3),))
    out = facts(before, state(15, texts=(("海景房 388元/晚", 0, 3),)), prompt)
    assert "text_gone" not in kinds(out.get("not_as_asked")), out


# --- H. an export lists only the parts of a request the file lacks ---------------------------------


@pytest.mark.anyio
async def test_an_export_lists_only_the_parts_of_an_unchanged_request_its_file_lacks(
    rich: Client, sim: Simulator, image: Path
) -> None:
    """Step 30: the file was 15 s and showed the price; not_in_file held the whole request."""
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "做一个15秒的视频"})
    await ask(rich, "generate", {"prompt": "标题改成「海景房 388元/晚」"})
    sim.configure(next_lie=True)
    out = await ask(rich, "generate", {"prompt": E17})
    if out["status"] == "needs_confirmation":
        out = await ask(rich, "generate", {"prompt": E17, "accept_cost": True})
    assert out["timeline_changed"] is False, out
    done = await export_done(rich)
    assert done["duration_s"] == pytest.approx(15, abs=1), done
    assert E17 not in done["not_in_file"], done["not_in_file"]
    assert any("国庆住三送一" in item for item in done["not_in_file"]), done["not_in_file"]
    # the price asked as a caption at 3-6 s is only the title at 0-3 s: said where it is (play26zh F8)
    lacks = done["not_in_file"]
    assert not any("15" in item or ("海景房" in item and "0-3" not in item) for item in lacks), lacks
    assert "这个文件里没有它要求的" in done["reply"] and "一部分" not in done["reply"], done["reply"]


# --- C. a request cancelled while it ran, that changed nothing ------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("edit", "stop", "told", "steps_not"),
    [
        ("改短点 15秒 音乐小声点 调到30%", "取消", "你在运行中取消了", ("与要求不符", "约 50 积分")),
        (
            "make it 15 seconds and the music at 30%",
            "cancel",
            "You cancelled",
            ("Not as asked", "about 50 credits"),
        ),
    ],
    ids=["zh", "en"],
)
async def test_a_cancelled_request_that_changed_nothing_is_told_as_cancelled_with_no_fix(
    settings: Settings,
    sim: Simulator,
    image: Path,
    edit: str,
    stop: str,
    told: str,
    steps_not: tuple[str, str],
) -> None:
    """Step 14: status led with "与要求不符…", never said the cancel, and offered a paid fix."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token, tool_budget=1.5))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "做一个20秒的视频"})
        sim.configure(next_lie=True)
        with sim.hold("run_sse") as gate:
            assert (await ask(client, "generate", {"prompt": edit}))["status"] == "working"
            cancel = await ask(client, "generate", {"prompt": stop})
            gate.release()
        assert cancel["action"] == "cancel", cancel
        out = await ask(client, "status")
        answer = out["answers"][0]
        assert answer["withdrawn"] is True and answer["timeline_changed"] is False, answer
        assert answer["not_as_asked"] == [] and answer["as_asked"] == [], answer
        assert out["reply"].startswith(told), out["reply"]
        for words in steps_not:
            assert words not in out["reply"] and words not in " ".join(out["next_steps"]), out


# --- B. a video described by what it shows, that is another project ----------------------------------


def project(pid: str, name: str, named: int = 1) -> Project:
    return Project(pid, "session", None, name, "zh", None, None, 0.0, 0.0, named)


SEA = project("sea", "听海小筑")
CITY = project("city", "视频 2", named=0)
FILES = {"sea": ["beach.jpg", "sunrise.jpg", "forest.jpg"], "city": ["city-lights.jpg"]}
TEXTS = {"sea": ["听海小筑", "订房请私信"], "city": ["国庆住三送一", "海景房 388元/晚"]}


@pytest.mark.parametrize(
    ("prompt", "meant"),
    [
        ("海边民宿那个视频的音乐也换成欢快点的", "sea"),
        ("把海边的那个视频改成15秒", "sea"),
        ("change the music in the beach video to something upbeat", "sea"),
        ("make the sunrise one 10 seconds", "sea"),
        ("海边民宿那个视频的音乐也换成欢快点的", None),  # current: the seaside one itself
        ("把海边那张放最后", None),  # a photo, not a video
        ("城市夜景那个视频的音乐换一下", None),  # the current video fits
        ("国庆那个视频的标题改成红色", None),
        ("刚才那个视频再导出一次", None),
        ("make the other one 10 seconds", None),
        ("put the beach photo first", None),
        ("make it look like the beach video", None),
    ],
)
def test_a_video_described_by_what_it_shows_is_told_apart(prompt: str, meant: str | None) -> None:
    current = SEA if meant is None and "海边民宿" in prompt else CITY
    found = described(prompt, current, [SEA, CITY], FILES, TEXTS)
    assert (found.named[0].id if found else None) == meant, found


@pytest.mark.anyio
async def test_a_request_about_the_seaside_video_is_held_while_another_is_current(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    """Step 11: "海边民宿那个视频的音乐也换成欢快点的" went to 视频 2 and cost 50 credits."""
    beach, city = tmp_path / "beach.jpg", tmp_path / "city-lights.jpg"
    for path in (beach, city):
        path.write_bytes(b"\xff\xd8\xff" + b"\0" * 500)
    await ask(rich, "upload", {"files": [str(beach)]})
    await ask(rich, "generate", {"prompt": "做一个10秒的视频 开头加个标题「听海小筑」"})
    await ask(rich, "upload", {"files": [str(city)], "new_project": True})
    await ask(rich, "generate", {"prompt": "做一个10秒的视频"})
    sent = len(requests_to(sim, "run_sse"))
    held = await ask(rich, "generate", {"prompt": "海边民宿那个视频的音乐也换成欢快点的"})
    assert held["status"] == "needs_confirmation", held
    assert "听海小筑" in held["reply"] and "视频 2" in held["reply"], held["reply"]
    assert held["credits_used"] in (None, 0), held
    assert len(requests_to(sim, "run_sse")) == sent, "not sent to 视频 2"
    same = await ask(rich, "generate", {"prompt": "把海边那张放最后"})
    assert same["status"] != "needs_confirmation", same


@pytest.mark.anyio
async def test_a_description_the_user_gave_the_current_video_is_its_own(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    beach, city = tmp_path / "beach.jpg", tmp_path / "city-lights.jpg"
    for path in (beach, city):
        path.write_bytes(b"\xff\xd8\xff" + b"\0" * 500)
    await ask(rich, "upload", {"files": [str(beach)]})
    await ask(rich, "generate", {"prompt": "做一个10秒的视频"})
    await ask(rich, "upload", {"files": [str(city)], "new_project": True})
    await ask(rich, "generate", {"prompt": "做一个海边民宿的宣传视频 10秒"})
    out = await ask(rich, "generate", {"prompt": "海边民宿那个视频的音乐换成欢快点的"})
    assert out["status"] != "needs_confirmation", out


ASIDE = "标题字换成白色带黑边的 大一点 然后视频最后加一句「订房请私信」 对了这个背景音乐能商用吗 我要投dou+的"


@pytest.mark.parametrize(
    "prompt", [ASIDE, "make it 10 seconds, by the way is the music free?", "把音乐删掉 顺便问一下 能商用吗"]
)
def test_an_aside_question_leaves_the_edit_before_it_an_ask(prompt: str) -> None:
    assert not only_questions(prompt), prompt


@pytest.mark.anyio
async def test_an_export_lists_an_unchanged_request_with_a_question_aside_as_missing(
    rich: Client, sim: Simulator, image: Path
) -> None:
    """Step 6: the export's not_in_file was empty though "「订房请私信」" had never landed (its aside
    "对了…能商用吗" made the whole request read as a question)."""
    await ask(rich, "upload", {"files": [str(image)]})
    await ask(rich, "generate", {"prompt": "做一个20秒的视频 开头加个标题「听海小筑」"})
    sim.configure(next_lie=True)
    out = await ask(rich, "generate", {"prompt": ASIDE})
    if out["status"] == "needs_confirmation":
        out = await ask(rich, "generate", {"prompt": ASIDE, "accept_cost": True})
    assert out["timeline_changed"] is False, out
    done = await export_done(rich)
    assert done["not_in_file"] and "订房请私信" in done["reply"], done


@pytest.mark.parametrize(
    "prompt",
    [
        "每张都太短了 改成每张3秒 最后加上「欢迎报名」",
        "change each photo to 3 seconds, then add 'Welcome' at the end",
    ],
)
def test_a_length_changed_beside_an_added_text_still_says_the_title_it_replaced(prompt: str) -> None:
    """play21zh: 「最后加上「欢迎报名」」 replaced the opening title; 改 in another clause (a length)
    kept the loss unsaid and the caption was judged "at the end", as asked."""
    before = state(3, texts=(("学员作品集", 0, 3),))
    out = facts(before, state(3, texts=(("Welcome" if "Welcome" in prompt else "欢迎报名", 0, 3),)), prompt)
    assert "text_gone" in kinds(out.get("not_as_asked")), out
