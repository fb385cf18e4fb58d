"""Play-test 28 (English): a yoga-retreat organiser's long sitting. The S1s and S2s fixed: a cancel
said with what it should keep was sent as a second paid edit; a new video named after the user's
own photo was made from nothing; an export said a file lacked what a later request had undone."""

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
    ("prompt", "keep"),
    [
        ("actually cancel that, keep it 15", "keep it 15"),  # F1, call #25
        ("no wait cancel that, leave it square", "leave it square"),  # F1, call #52
        ("cancel that, keep it as it was", "keep it as it was"),
        ("stop, keep the old title", "keep the old title"),
        ("取消 保持15秒", "保持15秒"),
    ],
)
def test_a_cancel_with_what_it_should_keep_is_a_cancel(prompt: str, keep: str) -> None:
    decision = route(prompt)
    assert decision.action is Action.CANCEL, decision
    assert keep in decision.aside, decision  # said back as not sent


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("cancel, and make the intro shorter instead", Action.AGENT),  # a new change is named
        ("stop the render, keep the music but make it louder", Action.AGENT),
        ("keep it 15 seconds", Action.AGENT),  # no cancel: an edit
        ("no, don't cancel, keep rendering", Action.ASK),
    ],
)
def test_a_new_change_beside_a_cancel_is_still_the_request(prompt: str, action: Action) -> None:
    assert route(prompt).action is action


@pytest.mark.anyio
@pytest.mark.priced
@pytest.mark.parametrize("prompt", ["actually cancel that, keep it 15", "no wait cancel that, leave it square"])
async def test_cancel_that_keep_it_while_an_edit_runs_sends_nothing_more(
    settings: Settings, sim: Simulator, image: Path, prompt: str
) -> None:
    """F1: said while "make it 10 sec" ran, it waited for that edit, then went to NemoVideo as a
    second edit: 50 more credits, and the answer only said "the agent is still working on it"."""
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=1.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "make a 15 second square video from the photo"})
        assert made["status"] == "done", made
        with sim.hold("run_sse") as gate:
            working = await ask(client, "generate", {"prompt": "make it 10 sec instead of 15"})
            assert working["status"] == "working", working
            turns = len(requests_to(sim, "run_sse"))
            out = await ask(client, "generate", {"prompt": prompt})
            gate.release()
        assert out["action"] == "cancel", out
        reply = out["reply"]
        # The running edit can't be recalled, and the words beside the cancel were not sent.
        assert "can't be recalled" in reply and "was not sent to NemoVideo" in reply, reply
        assert prompt.split(", ")[1] in reply, reply
        status = await ask(client, "status")
        assert not status["working"], status
        assert len(requests_to(sim, "run_sse")) == turns, "no second paid request was sent"
