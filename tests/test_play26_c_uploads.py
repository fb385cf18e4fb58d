"""Play-test 26 (English): EN F23. Photos uploaded again to the project that has them were
answered "Uploaded 2 file(s)", and the project then held each twice: the same file again is said
to be there already, and is not sent a second time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, photo_files, requests_to

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("lang", "words"), [("en", "Already in this project"), ("zh", "已经在这个项目里")])
async def test_f23_the_same_files_uploaded_again_are_said_there_already_and_not_doubled(
    settings: Settings, sim: Simulator, tmp_path: Path, lang: str, words: str
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    files = photo_files(tmp_path, "mom-cake.jpg", "mom-garden.jpg")
    (tmp_path / "more").mkdir()
    newer = photo_files(tmp_path / "more", "sunrise.jpg")
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": files})
        await ask(
            client, "generate", {"prompt": "做一个6秒的视频" if lang == "zh" else "make a 6 second video"}
        )
        sent = len(requests_to(sim, "upload"))
        again = await ask(client, "upload", {"files": [str(tmp_path / "mom-*")]})
        assert len(requests_to(sim, "upload")) == sent, "nothing sent again"
        assert words in again["reply"] and "mom-cake.jpg" in again["reply"], again["reply"]
        assert "Uploaded" not in again["reply"] and "已上传" not in again["reply"], again["reply"]
        mixed = await ask(client, "upload", {"files": [*files, *newer]})
        assert words in mixed["reply"] and "sunrise.jpg" in mixed["reply"], mixed["reply"]
        status = await ask(client, "status")
    names = [m["name"] for m in status["media"]]
    assert sorted(names) == ["mom-cake.jpg", "mom-garden.jpg", "sunrise.jpg"], names  # each once
