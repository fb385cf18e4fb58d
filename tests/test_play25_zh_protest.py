"""Play-test 25 (中文 F6): "不对不对", said after an edit, was priced as a question for NemoVideo's
agent (50 credits, to confirm). A protest names no change and asks the agent nothing: answered for
free with the video as it is now, and what to ask the user; nothing sent, nothing charged."""

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

pytestmark = [pytest.mark.anyio, pytest.mark.priced]

PROTESTS = ["不对不对", "不是这样", "错了错了", "不对不对！！", "哎呀 不对", "这不是我要的", "不是这样的"]


@pytest.mark.parametrize("prompt", PROTESTS)
def test_a_protest_is_no_question_for_the_agent(prompt: str) -> None:
    decision = route(prompt)
    assert (decision.action, decision.protest) == (Action.STATUS, True), decision


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("不对不对 标题要在结尾", Action.AGENT),  # the change named beside it is the request
        ("不对，我要的是横屏", Action.AGENT),
        ("不对吗？", Action.ASK),  # a question
        ("不是", Action.ASK),  # a bare "no" may answer the agent's question
        ("不对 取消", Action.CANCEL),
    ],
)
def test_a_protest_beside_a_request_leaves_it_as_it_was(prompt: str, action: Action) -> None:
    decision = route(prompt)
    assert decision.action is action and not decision.protest, decision


async def test_a_protest_after_an_edit_is_answered_free_with_the_video_now(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=1.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "做一个6秒的视频"})
        assert made["status"] == "done", made
        turns = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        out = await ask(client, "generate", {"prompt": "不对不对"})
        assert out["status"] == "done" and out["action"] == "status", out
        assert not out.get("cost_warning"), out
        assert "“不对不对”" in out["reply"] and "没有发给 NemoVideo" in out["reply"], out["reply"]
        assert "哪里不对" in out["next_steps"][0], out["next_steps"]
        assert len(requests_to(sim, "run_sse")) == turns, "nothing was sent to the paid agent"
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"
