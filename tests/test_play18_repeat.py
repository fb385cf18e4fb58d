"""Play-test 18 (zh): "再来一次" and the cancel after it name the project's latest request, with
facts from its record; a grumble before "try again" is that retry, never a paid question; a hold
said after "改完" is free.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music import router, service
from ai_video_music.config import Settings
from ai_video_music.router import Action, Decision
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, balance, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


EDIT = "给我把日出那张放到最前面"


async def test_again_names_the_latest_request_even_one_sent_as_a_question_and_cancel_says_it_was_charged(
    rich: Client, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    await ask(rich, "generate", {"prompt": "做一个6秒的视频"})
    # The latest request went the question path (confirmed, then sent and charged).
    monkeypatch.setattr(service, "route", lambda p: Decision(Action.ASK) if p == EDIT else router.route(p))
    sent = await ask(rich, "generate", {"prompt": EDIT, "accept_cost": True})
    assert sent["status"] == "done" and len(requests_to(sim, "run_sse")) == 2
    assert sent["timeline_changed"] is False, sent  # as in play18zh U34: charged, nothing changed
    spent = balance(sim)
    again = await ask(rich, "generate", {"prompt": "再来一次"})
    assert again["status"] == "needs_confirmation", again["reply"]
    assert "日出那张" in again["reply"] and "做一个6秒" not in again["reply"], again["reply"]
    dropped = await ask(rich, "generate", {"prompt": "算了算了，不弄了"})
    assert "已经发给 NemoVideo" in dropped["reply"] and "已扣积分" in dropped["reply"], dropped["reply"]
    assert "日出那张" in dropped["reply"], dropped["reply"]
    assert len(requests_to(sim, "run_sse")) == 2 and balance(sim) == spent, "repeat not sent"


@pytest.mark.parametrize("prompt", ["改完先别导出哈", "done editing, don't export yet"])
async def test_a_hold_after_done_editing_is_free(rich: Client, sim: Simulator, prompt: str) -> None:
    await ask(rich, "generate", {"prompt": "做一个6秒的视频"})
    spent = balance(sim)
    held = await ask(rich, "generate", {"prompt": prompt})
    assert held["action"] == "held" and held["status"] == "done", held
    assert len(requests_to(sim, "run_sse")) == 1 and balance(sim) == spent
    out = await ask(rich, "export")
    assert prompt not in " ".join(out.get("not_in_file") or []), out


@pytest.mark.parametrize("prompt", ["怎么又没改？？再试一次", "why didn't it change?? try again"])
async def test_a_grumble_before_try_again_is_the_confirmed_repeat(
    rich: Client, sim: Simulator, prompt: str
) -> None:
    await ask(rich, "generate", {"prompt": "做一个6秒的视频"})
    again = await ask(rich, "generate", {"prompt": prompt})
    assert again["status"] == "needs_confirmation", again["reply"]
    assert "6秒" in again["reply"], again["reply"]  # names the request it would redo, not "this question"
    assert len(requests_to(sim, "run_sse")) == 1


@pytest.mark.parametrize(
    ("prompt", "insufficient"),
    [("咋还没好，再来一次？", "积分不足"), ("still not done?? try again", "not enough")],
)
async def test_again_while_the_request_runs_leads_with_it_never_a_cost_refusal(
    settings: Settings, sim: Simulator, image: Path, prompt: str, insufficient: str
) -> None:
    token, _ = sim.state.register_user(credits=150)  # the edit spends the last 50
    conf = dataclasses.replace(settings, token=token, tool_budget=5.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "做一个6秒的视频"})
        assert made["status"] == "done", made
        with sim.hold("run_sse") as gate:
            working = await ask(client, "generate", {"prompt": "把音乐调小一点"})
            assert working["status"] == "working", working
            again = await ask(client, "generate", {"prompt": prompt})
            gate.release()
    assert again["status"] == "working" and again.get("attached"), again
    assert insufficient not in again["reply"] and "把音乐调小一点" in again["reply"], again["reply"]
    assert len(requests_to(sim, "run_sse")) == 2, "not sent twice"


async def test_the_same_words_again_at_low_credits_lead_with_what_already_landed(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token)
    words = 'ok just make the title say "SUP Rentals"'
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "make a 6 second video"})
        done = await ask(client, "generate", {"prompt": words})
        assert done["status"] == "done", done
        for user in sim.state.users.values():
            user.credits = 10  # play18en F11: 10 left, under an edit's 50
        again = await ask(client, "generate", {"prompt": words})
    assert again["status"] == "cannot_run", again
    reply = again["reply"]
    assert "already" in reply and reply.index("already") < reply.index("50 credits"), reply


async def test_confirming_a_request_held_for_a_missing_file_never_makes_a_second_project(
    rich: Client, sim: Simulator
) -> None:
    words = "new vid for thursday night glow paddle, use city-lights.jpg and kayak.jpg, 8 seconds"
    held = await ask(rich, "generate", {"prompt": words, "new_project": True})
    assert held["status"] == "needs_confirmation", held
    name, pid = held["project"]["name"], held["project"]["id"]
    step = " ".join(held["next_steps"])
    assert f'project="{name}"' in step and "same arguments" not in step, step
    assert requests_to(sim, "run_sse") == []
    # What the step says: the project by name, the same prompt, accept_cost (no new_project).
    sent = await ask(rich, "generate", {"prompt": words, "project": name, "accept_cost": True})
    assert sent["project"]["id"] == pid, sent
    assert "new, empty project" not in sent["reply"], sent["reply"]


async def test_the_same_arguments_with_new_project_confirm_the_held_request_in_its_project(
    rich: Client, sim: Simulator
) -> None:
    words = "new vid for thursday night glow paddle, use city-lights.jpg and kayak.jpg, 8 seconds"
    held = await ask(rich, "generate", {"prompt": words, "new_project": True})
    assert held["status"] == "needs_confirmation", held
    sent = await ask(rich, "generate", {"prompt": words, "new_project": True, "accept_cost": True})
    assert sent["project"]["id"] == held["project"]["id"], sent
    assert "new, empty project" not in sent["reply"], sent["reply"]


@pytest.mark.parametrize(
    ("prompt", "question"),
    [
        ("用这张照片做个6秒视频，这音乐能商用不？", "这音乐能商用不？"),
        ("make a 6 second video from the photo. is this music ok to use in an ad?", "is this music ok"),
    ],
)
async def test_a_video_request_ending_in_a_side_question_is_the_request_with_the_question_noted(
    rich: Client, sim: Simulator, image: Path, prompt: str, question: str
) -> None:
    await ask(rich, "upload", {"files": [str(image)]})
    out = await ask(rich, "generate", {"prompt": prompt})
    assert out["status"] == "done" and len(requests_to(sim, "run_sse")) == 1, out
    assert any(question in step for step in out["next_steps"]), out["next_steps"]
