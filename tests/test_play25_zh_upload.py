"""Play-test 25 (中文 F10): the first upload, of "小猫洗澡前.jpg" and "小猫洗澡后.jpg" before any
request, was answered in English (its arguments carry none of the user's words). Chinese in the
files' names says Chinese until a request says otherwise; names that say nothing leave it."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from .conftest import ask, photo_files

pytestmark = pytest.mark.anyio


async def test_a_first_upload_of_chinese_named_files_is_answered_in_chinese(
    rich: Client, tmp_path: Path
) -> None:
    out = await ask(rich, "upload", {"files": photo_files(tmp_path, "小猫洗澡前.jpg", "小猫洗澡后.jpg")})
    assert out["language"] == "zh", out
    assert "小猫洗澡前" in out["reply"] and "已" in out["reply"], out["reply"]


async def test_files_named_in_latin_letters_leave_the_language(rich: Client, tmp_path: Path) -> None:
    out = await ask(rich, "upload", {"files": photo_files(tmp_path, "cat-before.jpg")})
    assert out["language"] == "en", out  # the default: nothing said otherwise


async def test_the_users_own_words_beat_a_files_name(rich: Client, tmp_path: Path) -> None:
    await ask(rich, "credits")
    made = await ask(rich, "generate", {"prompt": "make a 6 second video"})
    assert made["language"] == "en", made
    out = await ask(rich, "upload", {"files": photo_files(tmp_path, "小猫洗澡前.jpg")})
    assert out["language"] == "en", out


async def test_after_chinese_requests_an_upload_stays_chinese(rich: Client, tmp_path: Path) -> None:
    await ask(rich, "generate", {"prompt": "做一个6秒的视频"})
    out = await ask(rich, "upload", {"files": photo_files(tmp_path, "cat-after.jpg")})
    assert out["language"] == "zh", out
