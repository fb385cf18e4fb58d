"""Play-test 19 (English and 简体): what an upload refused, what a held request asks next, and
what requests cost, against the simulator.

F6. An upload naming a file that isn't there uploads nothing: the answer says so, how many of the
    other files were fine, and the way forward (upload again without it, or find it).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import call, requests_to, text

pytestmark = pytest.mark.anyio


def photos(folder: Path, source: Path, *names: str) -> list[str]:
    out = []
    for name in names:
        shutil.copyfile(source, folder / name)
        out.append(str(folder / name))
    return out


@pytest.mark.parametrize(
    ("lang", "nothing", "fine", "without"),
    [
        ("en", "Nothing was uploaded", "3 other files", "without"),
        ("zh", "没有上传任何文件", "另外 3 个", "去掉"),
    ],
)
async def test_an_upload_with_one_missing_file_says_nothing_was_uploaded_and_how_to_go_on(
    settings: Settings,
    sim: Simulator,
    image: Path,
    tmp_path: Path,
    lang: str,
    nothing: str,
    fine: str,
    without: str,
) -> None:
    files = photos(tmp_path, image, "sunrise.jpg", "forest.jpg", "sea.jpg")
    missing = str(tmp_path / "breakfast.jpg")
    async with Client(create_server(dataclasses.replace(settings, language=lang))) as client:
        result = await call(client, "upload", {"files": [*files, missing], "new_project": True})
        said = text(result)
        assert result.is_error
        assert "breakfast.jpg" in said and nothing in said and fine in said and without in said, said
        assert "sunrise.jpg" not in said, "the good files are counted, not blamed"
    assert requests_to(sim, "upload") == [], "nothing was uploaded"


async def test_an_upload_of_one_missing_file_names_it_without_speaking_of_others(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    async with Client(create_server(settings)) as client:
        result = await call(client, "upload", {"files": [str(tmp_path / "breakfast.jpg")]})
    said = text(result)
    assert result.is_error and "breakfast.jpg" in said and "other" not in said, said
