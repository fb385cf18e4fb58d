"""Play-test 26 (English "Dana", a coffee cart; 中文, a 小红书 creator): answers about requests,
files and names that would have made the assistant say something false.

EN F1. "try the title thing again" of a request refused for want of credits: it was asked, never
       "sent", and sending it is not "again".
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, export_done, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


@pytest.mark.parametrize(
    ("prompt", "lang", "sent_words"),
    [
        ("try the title thing again", "en", ("sent less", "Sending it again")),
        ("标题那个再试一次", "zh", ("发送）", "再次发送")),
    ],
)
async def test_f1_a_retry_of_a_request_never_sent_never_calls_it_sent(
    settings: Settings, sim: Simulator, image: Path, prompt: str, lang: str, sent_words: tuple[str, str]
) -> None:
    token, _ = sim.state.register_user(credits=150)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(
            client, "generate", {"prompt": "做一个6秒的视频" if lang == "zh" else "make a 6 second video"}
        )
        assert made["status"] == "done", made
        for user in sim.state.users.values():
            user.credits = 0
        words = "把标题移到最后3秒" if lang == "zh" else "move the title to the end, like the last 3 secs"
        refused = await ask(client, "generate", {"prompt": words})
        assert refused["status"] == "cannot_run", refused
        for user in sim.state.users.values():
            user.credits = 1000  # the user registered
        sent = len(requests_to(sim, "run_sse"))
        again = await ask(client, "generate", {"prompt": prompt})
    assert again["status"] == "needs_confirmation", again
    assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"
    reply = again["reply"]
    assert words in reply, reply
    for said in sent_words:
        assert said not in reply, reply


@pytest.mark.parametrize(
    ("lang", "made_words", "edit_words"),
    [("en", "make a 6 second video", "make the music louder"), ("zh", "做一个6秒的视频", "音乐大声一点")],
)
async def test_f17_a_request_that_ran_on_the_last_credits_says_its_cost_once_as_a_fact(
    settings: Settings, sim: Simulator, image: Path, lang: str, made_words: str, edit_words: str
) -> None:
    token, _ = sim.state.register_user(credits=150)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": made_words})
        assert made["status"] == "done", made
        for user in sim.state.users.values():
            user.credits = 50  # enough for this edit, none after it
        out = await ask(client, "generate", {"prompt": edit_words})
    assert out["status"] == "done", out
    assert out["credits_left"] == 0, out
    reply = out["reply"]
    top_up = "https://nemovideo.com"
    assert reply.count(top_up) == 1, reply  # the way to more credits, once
    assert "uses about" not in reply and "约消耗" not in reply, reply  # no forecast of a request that ran
    assert not out.get("cost_note"), out


@pytest.mark.parametrize(
    ("lang", "made_words", "edit_words", "cancel_words", "done_words", "unchanged", "cost_words"),
    [
        (
            "zh",
            "做一个10秒的视频",
            "最后加一句「关注我 明天见」",
            "取消",
            "已经完成",
            "没有改动时间线",
            "50 积分",
        ),
        (
            "en",
            "make a 10 second video",
            'add "follow for more" at the end',
            "cancel",
            "finished",
            "changed nothing",
            "50 credits",
        ),
    ],
)
async def test_zh_f20_a_cancel_after_a_request_that_changed_nothing_says_so_and_its_cost(
    settings: Settings, sim: Simulator, image: Path, lang: str, made_words: str, edit_words: str,
    cancel_words: str, done_words: str, unchanged: str, cost_words: str,
) -> None:  # fmt: skip
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": made_words})
        sim.configure(lie_rate=1.0)  # the agent claims the caption and adds none
        lied = await ask(client, "generate", {"prompt": edit_words})
        assert lied["status"] == "done" and lied["timeline_changed"] is False, lied
        assert lied["credits_used"] == 50, lied
        out = await ask(client, "generate", {"prompt": cancel_words})
    reply = out["reply"]
    assert edit_words in reply, reply
    assert done_words not in reply, reply  # never read as "the caption is done"
    assert unchanged in reply and cost_words in reply, reply


@pytest.mark.parametrize("edit_between", [True, False])
@pytest.mark.parametrize(
    ("lang", "made_words", "edit_words", "both_words", "saved_words"),
    [
        ("zh", "做一个竖屏的6秒视频", "改成4秒", "再出个横屏16:9的版本发B站，竖屏的也要留着", "已保存的文件"),
        (
            "en",
            "make a vertical 6 second video",
            "make it 4 seconds",
            "also make a wide 16:9 version, keep the vertical one too",
            "the saved file",
        ),
    ],
)
async def test_zh_f17_a_deleted_file_is_never_called_saved_and_never_counts_as_a_copy(
    settings: Settings, sim: Simulator, image: Path, lang: str, made_words: str, edit_words: str,
    both_words: str, saved_words: str, edit_between: bool,
) -> None:  # fmt: skip
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": made_words})
        assert made["status"] == "done", made
        out = await export_done(client)
        Path(out["path"]).unlink()  # the user deleted it
        if edit_between:
            assert (await ask(client, "generate", {"prompt": edit_words}))["status"] == "done"
        sent = len(requests_to(sim, "run_sse"))
        both = await ask(client, "generate", {"prompt": both_words})
    assert both["status"] == "needs_confirmation", both  # the only copy of the vertical one is at stake
    assert len(requests_to(sim, "run_sse")) == sent, "nothing was sent"
    assert saved_words not in both["reply"], both["reply"]
    assert Path(out["path"]).name in both["reply"], both["reply"]  # the file it had, said gone
