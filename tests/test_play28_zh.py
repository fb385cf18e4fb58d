"""Play-test 28 (中文: a square-dance team's organiser, pinyin typos), the S1s and S2s fixed.

S1 F8.  "等下 先别导了 取消取消 标题字太小了我要改" while an export rendered: no cancel, the render went
        on, and the message was sent to the agent and charged 50 credits.
S1 F12. "先导出来我看看效果" (看看效果: to see how it looks) was sent to the agent, charged 50.
S2 F20. "没积分了啊 那先把王姐那个导出来吧 字幕位置不对就先这样": "the (free) export needs credits".
S1 F14. "再做个横屏的发视频号 竖屏的也要留着发抖音" replaced the only vertical cut (the keep had a purpose).
S1 F23. "把王姐那个导出来发家族群" exported the current project, not the 王姐 video.
S1 F27. "发错了发错了 …" (said twice) was sent to the current project and charged.
S1 F28. "年终回顾那个视频 …" was sent to the current project: a description said in it earlier, pointing
        at the other video, counted as its own words.
S2 F1.  "还有把日出那张放第一个" / "把日出那张也加进去": the order and the photo went unread and unchecked.
S2 F9.  "这个视频就叫「王姐六十大寿」吧": "the video's name" was said, the project stayed "视频 2".
S2 F11. "啊？怎么变成5秒了 改回20秒 …": the length asked after the question went unchecked.
S2 F15. "再做个横屏的发视频号" read as a new video (视频号 is a platform): unasked changes went unsaid.
S2 F24. "标题改成「A」 字幕「B」放到最后5秒": the caption's place went unread.
S3 F3.  A render still going said "约一分钟后" beside poll_after_s=20.
S3 F4, F21. A reason or the user's own step ("日出开场寓意好", "免得我搞混", "充好值了") listed "not checked".
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.asked import asks_for_a_video, read, second_frame
from ai_video_music.asked.base import Shape
from ai_video_music.asked.changes import unasked
from ai_video_music.config import Settings
from ai_video_music.mentions import described, elsewhere
from ai_video_music.replies import side_questions
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.store import Project
from ai_video_music.timeline import read_timeline
from ai_video_music.tools import create_server
from ai_video_music.unchecked import not_checked

from .conftest import ask, balance, photo_files, requests_to
from .test_play22_zh_checks import state

# --- what the words ask (router) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        # F8: what is wrong, then only "I want it changed": beside a cancel, the cancel
        ("等下 先别导了 取消取消 标题字太小了我要改", Action.CANCEL),
        ("取消 音乐太吵了我想换", Action.CANCEL),
        ("标题字太小了我要改", Action.AGENT),  # alone it still says what is wrong: an edit
        # F12: 看看效果 is the result looked at, no effect asked for
        ("先导出来我看看效果", Action.EXPORT),
        ("导出来看一下效果", Action.EXPORT),
        ("加个转场效果", Action.AGENT),
        # F20: "就先这样" takes the video as it is; "没积分了" beside the export is a remark
        ("没积分了啊 那先把王姐那个导出来吧 字幕位置不对就先这样", Action.EXPORT),
        ("没积分了啊", Action.CREDITS),
        ("音乐换成钢琴 就先这样", Action.AGENT),
    ],
)
def test_what_the_words_ask(prompt: str, action: Action) -> None:
    assert route(prompt).action is action, route(prompt)


def test_a_want_to_change_beside_a_cancel_is_quoted_back_not_sent() -> None:
    decision = route("等下 先别导了 取消取消 标题字太小了我要改")
    assert decision.aside == ("标题字太小了我要改",), decision
    assert Action.EXPORT in decision.held_back, decision


# --- which video the words mean (mentions) --------------------------------------------------------


def _project(name: str, pid: str) -> Project:
    return Project(pid, "session", None, name, "zh", None, None, 0.0, 0.0, 1)


REVIEW, BIRTHDAY, RECRUIT = (
    _project("锦江姐妹花2026", "a"),
    _project("视频 2", "b"),
    _project("锦江姐妹花招新啦", "c"),
)
FILES = {
    "a": ["beach.jpg", "city-lights.jpg", "forest.jpg", "sunrise.jpg"],
    "b": ["beach.jpg", "forest.jpg"],
    "c": ["city-lights.jpg", "sunrise.jpg"],
}
WORDS = {
    "a": ["用这几张照片给我们广场舞队做个年终回顾的视频 叫「锦江姐妹花2026」 配点喜庆欢快的音乐"],
    "b": ["给我们队长王姐过60大寿做个视频 用海边和森林那两张 竖屏的 15秒 标题写「王姐生日快乐」"],
    "c": [
        "新视频：抖音招新用的 竖屏 10秒 用城市夜景那张照片 标题「锦江姐妹花招新啦」",
        "发错了发错了 刚才那个日出是要加到年终回顾那个里面的 不是招新的",
    ],
}


def test_wrong_video_said_twice_is_still_the_wrong_video() -> None:
    """F27: sent to the current project and charged 50."""
    found = elsewhere(
        "发错了发错了 刚才那个日出是要加到年终回顾那个里面的 不是招新的", RECRUIT, [REVIEW, BIRTHDAY]
    )
    assert found is not None and found.wrong, found


def test_a_video_pointed_at_in_another_is_no_word_of_that_other() -> None:
    """F28: "年终回顾那个里面", said in the recruiting video, made it fit "年终回顾那个视频"."""
    found = described("年终回顾那个视频 音乐再小一点 10%", RECRUIT, [REVIEW, BIRTHDAY], FILES, WORDS)
    assert found is not None and found.named == (REVIEW,), found


@pytest.mark.parametrize(
    ("prompt", "meant"),
    [("把王姐那个导出来发家族群", BIRTHDAY), ("年终回顾那个导出吧", REVIEW)],
)
def test_an_export_of_x_nage_is_of_that_video(prompt: str, meant: Project) -> None:
    """F23, F30: "X那个" alone beside an export is a video (an export is never of a photo)."""
    found = described(prompt, RECRUIT, [REVIEW, BIRTHDAY], FILES, WORDS, whole=True)
    assert found is not None and found.named == (meant,), found
    # An edit's "X那个" alone may be a photo ("把海边那个放最后"): not read as a video there.
    assert described(prompt, RECRUIT, [REVIEW, BIRTHDAY], FILES, WORDS) is None


# --- what the words ask of the video (asked) ------------------------------------------------------


def test_a_keep_with_its_purpose_is_still_a_keep() -> None:
    """F14: the second frame asked while the first is kept is held (nothing sent) when unsaved."""
    assert second_frame("招新那个 再做个横屏的发视频号 竖屏的也要留着发抖音") is Shape.HORIZONTAL
    assert second_frame("再做个方形的 原来的保留给网站用") is Shape.SQUARE
    assert not asks_for_a_video("再做个横屏的发视频号")  # F15: 视频号 is where it goes
    assert asks_for_a_video("再做一个新视频")


@pytest.mark.parametrize(
    ("prompt", "field", "value"),
    [
        # F1: a joiner opening the ask, and a photo put in with 把
        ("音乐声音有点大 调小一点到20%吧 还有把日出那张放第一个 开头亮堂一点", "order", (("日出", "first"),)),
        ("另外把日出那张放第一个", "order", (("日出", "first"),)),
        ("把日出那张也加进去 放在夜景后面", "uses", ("日出",)),
        ("给王姐做个视频 用海边和森林那两张 竖屏的", "uses", ("海边", "森林")),
        # F11: the asks after a question of why
        ("啊？怎么变成5秒了 改回20秒 最后5秒的字幕「福如东海 寿比南山」也再加一下", "seconds", 20.0),
        ("怎么还是30秒 改成20秒吧", "seconds", 20.0),
        # F5: a length said whole after another ask, parted by a space
        ("用这几张照片做个视频 配点喜庆欢快的音乐 30秒左右就行", "seconds", 30.0),
        ("标题出现 3秒左右", "seconds", None),  # how long the title shows, not the video
        ("结尾淡出 2 秒", "seconds", None),
        # F24: a caption's own ask after a quote
        (
            "把标题改成「王姐 生日快乐」 字幕「福如东海 寿比南山」放到最后5秒",
            "text_at",
            (("福如东海 寿比南山", "end"),),
        ),
    ],
)
def test_what_is_read_to_be_checked(prompt: str, field: str, value: object) -> None:
    assert getattr(read(prompt), field) == value, read(prompt)


@pytest.mark.parametrize("prompt", ["怎么变成5秒了", "如果太长 就剪到20秒", "为什么没换音乐"])
def test_a_question_or_a_condition_alone_asks_nothing_to_check(prompt: str) -> None:
    stated = read(prompt)
    assert stated.seconds is None and not stated.new_music, stated


# --- through the server ---------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.priced
async def test_a_cancel_with_a_want_to_change_stops_the_render_and_sends_nothing(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """F8: the render went on and the message was charged as a 50-credit edit."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token, tool_budget=1.0))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        assert (await ask(client, "generate", {"prompt": "做一个6秒的视频"}))["status"] == "done"
        turns, left = len(requests_to(sim, "run_sse")), balance(sim)
        with sim.hold("render"):
            rendering = await ask(client, "export")
            assert rendering["status"] == "rendering", rendering
            stopped = await ask(client, "generate", {"prompt": "等下 先别导了 取消取消 标题字太小了我要改"})
        assert stopped["action"] == "cancel", stopped
        assert any(
            r["path"].endswith(rendering["render_id"] + "/cancel") for r in requests_to(sim, "render_cancel")
        )
        assert "“标题字太小了我要改”" in stopped["reply"], stopped["reply"]  # quoted back, not sent
        assert len(requests_to(sim, "run_sse")) == turns and balance(sim) == left


@pytest.mark.anyio
@pytest.mark.priced
async def test_export_to_see_how_it_looks_is_the_free_export(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """F12: "先导出来我看看效果" was sent to the agent and charged 50; nothing was exported."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        assert (await ask(client, "generate", {"prompt": "做一个6秒的视频"}))["status"] == "done"
        turns, left = len(requests_to(sim, "run_sse")), balance(sim)
        out = await ask(client, "generate", {"prompt": "先导出来我看看效果"})
        assert out["action"] == "export", out
        assert len(requests_to(sim, "run_sse")) == turns and balance(sim) == left


async def _video(client: Client, photo: str, prompt: str) -> dict[str, object]:
    await ask(client, "upload", {"files": [photo], "new_project": True})
    made = await ask(client, "generate", {"prompt": prompt})
    assert made["status"] == "done", made
    return dict(made["project"])


@pytest.mark.anyio
async def test_export_of_x_nage_exports_that_video(rich: Client, sim: Simulator, tmp_path: Path) -> None:
    """F23: "把王姐那个导出来发家族群" handed over the current (recruiting) video's file."""
    beach, city = photo_files(tmp_path, "beach.jpg", "city-lights.jpg")
    birthday = await _video(rich, beach, "给我们队长王姐过60大寿做个视频 6秒 标题写「王姐生日快乐」")
    await _video(rich, city, "做个招新视频 叫「锦江姐妹花招新啦」 6秒")
    turns = len(requests_to(sim, "run_sse"))
    out = await ask(rich, "generate", {"prompt": "把王姐那个导出来发家族群"})
    assert out["action"] == "export", out
    assert len(requests_to(sim, "run_sse")) == turns  # free, nothing sent
    listed = await ask(rich, "status")
    saved = [e["project_id"] for e in listed["exports"] if e["status"] == "downloaded"]
    assert saved == [birthday["id"]], listed["exports"]  # the birthday video's file, not the recruiting one's


@pytest.mark.anyio
async def test_a_video_named_in_so_many_words_takes_that_name(rich: Client, image: Path) -> None:
    """F9: "这个视频就叫「王姐六十大寿」吧" said "the video's name", and status(project=…) found nothing."""
    await ask(rich, "upload", {"files": [str(image)]})
    made = await ask(rich, "generate", {"prompt": "做一个6秒的视频 标题写「王姐生日快乐」"})
    assert made["status"] == "done", made
    await ask(rich, "generate", {"prompt": "这个视频就叫「王姐六十大寿」吧 免得我搞混"})
    shown = await ask(rich, "status", {"project": "王姐六十大寿"})
    assert shown["project"]["id"] == made["project"]["id"], shown["project"]


@pytest.mark.parametrize(
    ("prompt", "reason"),
    [
        ("注册好了 把sunrise挪到最前面 日出开场寓意好", "日出开场寓意好"),
        ("这个视频就叫「王姐六十大寿」吧 免得我搞混", "免得我搞混"),
        ("充好值了 招新那个标题改成「快来跳舞吧」", "充好值了"),
        ("新视频：抖音招新用的 竖屏 10秒 音乐要动感一点", "抖音招新用的"),
        ("加长到20秒吧 音乐换成钢琴的 王姐喜欢安静点的", "王姐喜欢安静点的"),
    ],
)
def test_a_reason_said_beside_an_ask_is_never_an_unchecked_ask(prompt: str, reason: str) -> None:
    """F4, F21: why they ask, or their own step, was listed "not checked" as if it were an ask (and an
    export then said it could not tell whether the file had 「日出开场寓意好」)."""
    now = read_timeline(state(10, ("city-lights",), ("Upbeat Pop (free music)", 35)).draft)
    assert reason not in not_checked(prompt, now)


@pytest.mark.anyio
async def test_a_render_still_going_says_the_same_wait_as_poll_after_s(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    """F3: "约一分钟后 … 再次调用 export" beside poll_after_s=20."""
    async with Client(create_server(dataclasses.replace(settings, tool_budget=1.0))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        assert (await ask(client, "generate", {"prompt": "做一个6秒的视频"}))["status"] == "done"
        with sim.hold("render"):
            rendering = await ask(client, "export")
        assert rendering["status"] == "rendering", rendering
        assert f"约 {rendering['poll_after_s']} 秒后" in rendering["next_steps"][0], rendering


@pytest.mark.anyio
async def test_wrong_video_sent_again_to_the_project_the_hold_named_goes_there(
    rich: Client, sim: Simulator, tmp_path: Path
) -> None:
    """Round 2: held ("这条请求说的是“重阳敬老”"), then sent with project="重阳敬老" as the hold advised,
    it was held again ("你说这个视频不对"), and the hold's own step led nowhere."""
    beach, city = photo_files(tmp_path, "beach.jpg", "city-lights.jpg")
    await _video(rich, city, "重阳节做个视频 叫「重阳敬老」 6秒")
    await _video(rich, beach, "端午节做个视频 叫「端午安康」 6秒")
    prompt = "发错了发错了 古筝是给重阳那个的 音乐换成古筝"
    held = await ask(rich, "generate", {"prompt": prompt})
    assert held["status"] == "needs_confirmation" and "重阳敬老" in held["reply"], held
    turns = len(requests_to(sim, "run_sse"))
    sent = await ask(rich, "generate", {"prompt": prompt, "project": "重阳敬老"})
    assert sent["action"] == "agent" and sent["status"] != "needs_confirmation", sent
    assert len(requests_to(sim, "run_sse")) == turns + 1


def test_a_frame_taken_back_and_made_anyway_is_said_unasked() -> None:
    """Round 2: "算了不要竖屏了 这个视频就叫「社区重阳会」吧": the agent made it vertical anyway; the change
    was flagged nowhere ("不要竖屏" counted as asking about the frame) and the words listed "not checked"."""
    music = ("Calm Piano (free music)", 35)
    wide = read_timeline(state(12, ("city-lights", "sunrise"), music, size=(1920, 1080)).draft)
    tall = read_timeline(state(12, ("city-lights", "sunrise"), music, size=(1080, 1920)).draft)
    prompt = "算了不要竖屏了 这个视频就叫「社区重阳会」吧 好记一点"
    assert [c["kind"] for c in unasked(prompt, wide, tall)] == ["frame_unasked"]
    assert "算了不要竖屏了" not in not_checked(prompt, tall)
    assert unasked("还是要竖屏的", wide, tall) == []  # asked: no alarm


def test_a_question_typed_with_sha_goes_with_the_edit_as_a_question() -> None:
    """Round 2: "森林那张放第一个 顺便问下这个音乐是啥风格的": 啥 (什么 as typed in chats) went unread, the
    question was listed "not checked" as an ask, and the answer never said it was sent unanswered."""
    prompt = "森林那张放第一个 顺便问下这个音乐是啥风格的"
    assert route(prompt).action is Action.AGENT
    assert side_questions(prompt) == ["这个音乐是啥风格的"]
    now = read_timeline(state(15, ("sunrise", "forest"), ("Lo-fi Chill (free music)", 35)).draft)
    assert not_checked(prompt, now) == []


def test_stop_said_thrice_is_the_cancel_itself() -> None:
    """F25: "停停停 取消" quoted 停停停 back as a change that was not sent."""
    assert route("停停停 取消").aside == ()
    assert route("停停停").action is Action.CANCEL


@pytest.mark.anyio
async def test_a_hold_of_x_nage_is_kept_for_that_video(rich: Client, tmp_path: Path) -> None:
    """F29: "先别导出哈 王姐那个我再想想" was kept for the current (recruiting) video."""
    beach, city = photo_files(tmp_path, "beach.jpg", "city-lights.jpg")
    birthday = await _video(rich, beach, "给我们队长王姐过60大寿做个视频 6秒 标题写「王姐生日快乐」")
    recruit = await _video(rich, city, "做个招新视频 叫「锦江姐妹花招新啦」 6秒")
    out = await ask(rich, "generate", {"prompt": "先别导出哈 王姐那个我再想想"})
    assert out["action"] == "held" and out["project"]["id"] == recruit["id"], out  # not switched
    there = await ask(rich, "status", {"project": str(birthday["id"])})
    assert "先不导出" in " ".join(there["next_steps"]), there["next_steps"]
    here = await ask(rich, "status", {"project": str(recruit["id"])})
    assert "先不导出" not in " ".join(here["next_steps"]), here["next_steps"]


@pytest.mark.anyio
@pytest.mark.priced
async def test_a_fix_too_few_credits_can_pay_is_not_offered(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    """F19: with 10 credits left, the next step still said to offer a paid fix (about 50 credits)."""
    token, _ = sim.state.register_user(credits=60)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": photo_files(tmp_path, "beach.jpg", "forest.jpg")})
        out = await ask(client, "generate", {"prompt": "做一个6秒的视频 把forest那张放第一个"})
        assert out["not_as_asked"] and out["credits_left"] == 10, out
        steps = " ".join(out["next_steps"])
        assert "需要先有更多积分" in steps and "并提出用 generate 修正" not in steps, steps


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("啊？怎么变成5秒了 改回20秒", Action.AGENT),
        ("怎么变成5秒了 改回20秒", Action.AGENT),
        ("为什么没有音乐 加个轻松的bgm", Action.AGENT),
        ("怎么变成5秒了 是不是出错了", Action.ASK),
        ("做个15秒的视频 配乐能商用吗？", Action.AGENT),
    ],
)
def test_a_why_beside_an_edit_is_that_edit_not_a_priced_question(prompt: str, action: Action) -> None:
    """F10: "怎么变成5秒了 改回20秒" (a why, then an edit, parted by a space) was held as a question
    for 50 credits: a question word asks of its own words, where a question mark asks of the last."""
    assert route(prompt).action is action
