"""Play-test 26: project names the user never gave, and names that stopped working.

EN F2.  "chill music pls" named the project “Chill”: what the music is like is no subject. A name
        the answer said ("use that name with project=") keeps finding the project after a title
        asked for later renamed it ("Moms bday" → “Happy Bday Mom”, then "no project called").
EN F15. "new video: wide 16:9 yt intro, …" named the project “wide 16”: a ratio's colon is no
        heading, and a frame, a platform and a place in the video name nothing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.naming import name_from
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import ask, call, photo_files, text


@pytest.mark.parametrize(
    "prompt",
    [
        "make it like 15 sec, vertical for insta, chill music pls. beach first then sunrise",
        "new video: wide 16:9 yt intro, 6 sec, steamy coffee cup, moody vibe",
        "Wide 16:9 yt intro, 6 sec, moody vibe",
        "a 9:16 reel for tiktok, happy song",
    ],
)
def test_f2_f15_a_style_or_a_frame_names_no_project(prompt: str) -> None:
    assert name_from(prompt) == ""


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("new video for my moms bday: slideshow of my photos, 10 sec, happy music", "Moms bday"),
        ("make a video for my coffee cart with chill music", "Coffee cart"),
        ("new video: Harbour Days", "Harbour Days"),
        ("Summer 2024: beach photos, 10 seconds", "Summer 2024"),
    ],
)
def test_f2_f15_a_subject_still_names_it(prompt: str, name: str) -> None:
    assert name_from(prompt) == name


@pytest.mark.anyio
async def test_f2_a_name_once_said_still_finds_the_project_after_a_title_renames_it(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    token, _ = sim.state.register_user(credits=1000)
    files = photo_files(tmp_path, "mom-cake.jpg", "mom-garden.jpg")
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        await ask(client, "upload", {"files": files})
        made = await ask(
            client,
            "generate",
            {"prompt": "new video for my moms bday: slideshow of my photos, 10 sec, happy music"},
        )
        assert made["project"]["name"] == "Moms bday", made["project"]
        assert any("Moms bday" in step for step in made["next_steps"]), made["next_steps"]
        await ask(client, "generate", {"prompt": "add a title 'Happy Bday Mom!'"})
        found = await call(client, "status", {"project": "Moms bday"})
        assert not found.is_error, text(found)
        assert found.structured_content is not None
        assert found.structured_content["project"]["id"] == made["project"]["id"]
