"""A draft is read off the event loop on every path (round 12 B5: a 7 MB draft of 9,000 clips held
the loop 2.8 s in generate's cost check and in the timeline resource, so every other session of a
hosted instance waited). The spy records which thread reads a draft: never the event loop's."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music import drafts, turns
from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask

pytestmark = pytest.mark.anyio


async def test_no_path_reads_a_draft_on_the_event_loop(
    settings: Settings, sim: Simulator, image: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop_thread = threading.get_ident()
    on_loop: list[str] = []

    def spy(module: Any) -> None:
        real = module.read_timeline

        def read(*args: Any, **kwargs: Any) -> Any:
            if threading.get_ident() == loop_thread:
                on_loop.append(module.__name__)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, "read_timeline", read)

    spy(drafts)
    spy(turns)
    token, _ = sim.state.register_user(credits=1000)
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": [str(image)]})
        await ask(client, "generate", {"prompt": "Make a 10-second video."})
        await ask(client, "generate", {"prompt": "Make it brighter."})  # the cost check reads the draft
        await ask(client, "status")
        await client.read_resource("nemo://timeline")
        await ask(client, "export")
    assert on_loop == [], on_loop
