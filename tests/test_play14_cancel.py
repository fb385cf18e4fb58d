"""Play-test 14 (EN and 中文): "ah, never mind, forget that" right after a question that was never
sent, while an edit sent earlier had already finished but was not told yet, answered only about
the question. The finished edit leads the answer: sent, charged, not recallable."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import anyio
import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.store import Store
from ai_video_music.tools import create_server

from .conftest import ask

pytestmark = [pytest.mark.anyio, pytest.mark.priced]


WORDS = {
    "en": {
        "edit": 'make the title say "We will miss you"',
        "question": "What style is the music?",
        "cancel": "ah, never mind, forget that",
        "landed": '“make the title say "We will miss you"” was already sent to NemoVideo and has finished',
        "charged": "about 50",
        "unsent": "Nothing was sent for “What style is the music?”",
        "never": "nothing was charged",
    },
    "zh": {
        "edit": "把标题改成「我们会想你」",
        "question": "音乐是什么风格的？",
        "cancel": "啊，算了",
        "landed": "“把标题改成「我们会想你」”已经发给 NemoVideo，并且已经结束",
        "charged": "约 50",
        "unsent": "“音乐是什么风格的？”没有发送出去",
        "never": "也没有扣积分",
    },
}


async def _finished_untold(store: Store, project_id: str) -> None:
    """The edit has ended at NemoVideo, and no answer has told it yet."""
    with anyio.fail_after(30):
        while not store.undelivered_turns(project_id):
            await anyio.sleep(0.02)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_cancel_leads_with_a_sent_request_that_finished_but_was_not_told(
    settings: Settings, sim: Simulator, image: Path, lang: str
) -> None:
    words = WORDS[lang]
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=5.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(client, "generate", {"prompt": "make a 6 second video from the photo"})
        assert made["status"] == "done", made
        with sim.hold("run_sse") as gate:
            working = await ask(client, "generate", {"prompt": words["edit"]})
            assert working["status"] == "working", working
            gate.release()
        await _finished_untold(Store(conf.home), working["project"]["id"])
        held = await ask(client, "generate", {"prompt": words["question"]})
        assert held["status"] == "needs_confirmation", held
        out = await ask(client, "generate", {"prompt": words["cancel"]})
    assert out["action"] == "cancel", out
    reply = out["reply"]
    assert reply.startswith(words["landed"]), reply
    assert words["charged"] in reply and words["never"] not in reply, reply
    assert words["unsent"] in reply and reply.index(words["unsent"]) > reply.index(words["landed"])
    name = working["project"]["name"]
    assert out["next_steps"] and f'project="{name}"' in out["next_steps"][0], out["next_steps"]
