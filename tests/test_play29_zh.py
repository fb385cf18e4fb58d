"""Play-test 29 (中文, a watch repairer's three videos): a question wrapped in a pause word or
followed by a remark was sent to the paid agent as an edit, and was charged."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.router import Action, route
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, requests_to


@pytest.mark.parametrize(
    ("prompt", "actions"),
    [
        # F7: a licence question between a pause word and a remark (sent, 50 credits)
        ("等下 这个bgm能商用吗 我抖音要挂小黄车的", {Action.ASK}),
        ("这个bgm能商用吗 我抖音要挂小黄车的", {Action.ASK}),
        # F15: how loud the music is, then how it sounds to them (sent as "louder", 50 credits)
        ("等等 现在bgm多大声 我耳机里听着有点小", {Action.STATUS}),
        ("现在bgm多大声", {Action.STATUS}),
        # F17: a yes/no question that ends in 吧, then a remark (sent, 50 credits)
        ("诶 现在是横屏的吧 我记得是", {Action.STATUS, Action.ASK}),
        ("现在是竖屏的对吧", {Action.STATUS, Action.ASK}),
        # F13: the length and the frame, both on the timeline: free, never a paid question
        ("现在这个多长来着 是竖屏吗", {Action.STATUS}),
        # still requests: an instruction beside a question, a suggestion ending in 吧
        ("加个字幕 这个bgm能商用吗", {Action.AGENT}),
        ("换成横屏吧", {Action.AGENT}),
        ("bgm大声点 我耳机里听着有点小", {Action.AGENT}),
        ("时长改成12秒 先别导出哈", {Action.AGENT}),
    ],
)
def test_a_question_beside_a_pause_word_or_a_remark_is_still_a_question(
    prompt: str, actions: set[Action]
) -> None:
    assert route(prompt).action in actions, route(prompt)


@pytest.mark.anyio
@pytest.mark.priced
@pytest.mark.parametrize("prompt", ["等下 这个bgm能商用吗 我抖音要挂小黄车的", "诶 现在是横屏的吧 我记得是"])
async def test_a_wrapped_question_spends_nothing(
    settings: Settings, sim: Simulator, image: Path, prompt: str
) -> None:
    """F7/F17: each of these was sent to the agent and charged 50 credits, no one having agreed."""
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "做一个6秒的横屏视频"})
        assert made["status"] == "done", made
        turns = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": prompt})
        assert out["status"] in ("needs_confirmation", "done"), out
        assert len(requests_to(sim, "run_sse")) == turns, "nothing was sent to the paid agent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"
