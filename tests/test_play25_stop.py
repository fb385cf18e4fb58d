"""Play-test 25 (中文 S1): "停止 先别导出了 音乐还没去掉", sent while an export rendered, was sent to
the agent and charged as a 50-credit edit; the render went on and the answer never said so. A stop
beside a held export and a remark on what is still wrong stops the render, sends nothing to the
(paid) agent, and says the remark was not sent."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, requests_to

pytestmark = [pytest.mark.anyio, pytest.mark.priced]

STOPS = [
    ("zh", "停止 先别导出了 音乐还没去掉", "音乐还没去掉"),
    ("zh", "停一下 先别导出 字幕还没加上", "字幕还没加上"),
    ("en", "wait stop the export, the music is still there", "the music is still there"),
    ("en", "stop, dont export yet, the music isnt removed yet", "the music isnt removed yet"),
]
NOT_SENT = {"en": "was not sent to NemoVideo", "zh": "没有发给 NemoVideo"}


@pytest.mark.parametrize(("lang", "prompt", "remark"), STOPS)
async def test_a_stop_during_an_export_stops_the_render_and_spends_nothing(
    settings: Settings, sim: Simulator, image: Path, lang: str, prompt: str, remark: str
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    conf = dataclasses.replace(settings, token=token, tool_budget=5.0)
    async with Client(create_server(conf)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        made = await ask(
            client, "generate", {"prompt": "做一个6秒的视频" if lang == "zh" else "make a 6 second video"}
        )
        assert made["status"] == "done", made
        turns = len(requests_to(sim, "run_sse"))
        left = (await ask(client, "credits"))["available"]
        with sim.hold("render"):
            rendering = await ask(client, "export")
            assert rendering["status"] == "rendering", rendering
            stopped = await ask(client, "generate", {"prompt": prompt})
        assert stopped["action"] == "cancel", stopped
        assert len(requests_to(sim, "run_sse")) == turns, "nothing was sent to the paid agent"
        assert any(
            r["path"].endswith(rendering["render_id"] + "/cancel") for r in requests_to(sim, "render_cancel")
        ), "the render was stopped at the service"
        reply = stopped["reply"]
        # What is still wrong is quoted back as not sent, with what sending it would cost.
        assert f"“{remark}”" in reply and NOT_SENT[lang] in reply and "50" in reply, reply
        listed = await ask(client, "status")
        ended = next(e for e in listed["exports"] if e["render_id"] == rendering["render_id"])
        assert ended["status"] == "cancelled", ended
        assert (await ask(client, "credits"))["available"] == left, "nothing was charged"
