"""Bad input through the tools: each gets a clear, actionable message and nothing is sent or lost."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.store import Store
from ai_video_music.tools import create_server

from .conftest import call, inject, requests_to, text

pytestmark = pytest.mark.anyio


@pytest.fixture
async def mcp(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings)) as client:
        yield client


def error_text(result: CallToolResult) -> str:
    assert result.is_error, "expected an error result"
    return text(result)


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp / "folder.mp4"
    folder.mkdir()
    empty = tmp / "empty.jpg"
    empty.touch()
    huge = tmp / "huge.mov"
    with huge.open("wb") as fh:
        fh.truncate(500 * 1024 * 1024 + 1)
    loop_a, loop_b = tmp / "loop_a.mp4", tmp / "loop_b.mp4"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    broken = tmp / "broken.png"
    broken.symlink_to(tmp / "gone.png")
    text = tmp / "notes.docx"
    text.write_bytes(b"PK")
    return {
        "missing": (tmp / "nope.mp4", "doesn't exist"),
        "directory": (folder, "is a folder"),
        "empty": (empty, "is empty"),
        "over 500 MB": (huge, "over the 500 MB limit"),
        "symlink loop": (loop_a, "can't be resolved"),
        "broken symlink": (broken, "broken symbolic link"),
        "unsupported": (text, "files aren't supported"),
    }


@pytest.mark.parametrize(
    "case", ["missing", "directory", "empty", "over 500 MB", "symlink loop", "broken symlink", "unsupported"]
)
async def test_bad_local_files_are_refused_before_anything_is_sent(
    mcp: Client, sim: Simulator, tmp_path: Path, case: str
) -> None:
    path, expected = _bad_files(tmp_path)[case]
    good = tmp_path / "good.jpg"
    good.write_bytes(b"\xff\xd8\xff\0")
    message = error_text(await call(mcp, "upload", {"files": [str(good), str(path)]}))
    assert expected in message
    assert requests_to(sim, "upload") == [], "one bad file stops the whole batch before any byte is sent"


def test_an_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ai_video_music import client
    from ai_video_music.errors import InputError

    secret = tmp_path / "private.mp4"
    secret.write_bytes(b"\0" * 10)
    secret.chmod(0o000)
    if os.geteuid() == 0:
        # Root reads any file, so the OS can't refuse it: make access() answer as it would for a user.
        real_access = os.access
        monkeypatch.setattr(
            client.os, "access", lambda p, mode: False if Path(p) == secret else real_access(p, mode)
        )
    with pytest.raises(InputError) as info:
        client.check_upload_file(secret)
    assert "can't be read (permission denied)" in str(info.value)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/a.mp4", "javascript:alert(1)", "/tmp/a.mp4"]
)
async def test_non_http_links_are_refused(mcp: Client, sim: Simulator, url: str) -> None:
    assert "isn't an http(s) URL" in error_text(await call(mcp, "upload", {"urls": [url]}))
    assert requests_to(sim, "upload") == []


async def test_an_upload_naming_nothing_explains_itself(mcp: Client) -> None:
    assert "files=[" in error_text(await call(mcp, "upload", {}))


@pytest.mark.parametrize(("prompt", "expected"), [("", "prompt is empty"), ("   \n", "prompt is empty")])
async def test_empty_prompts_are_refused_without_spending_credits(
    mcp: Client, sim: Simulator, prompt: str, expected: str
) -> None:
    assert expected in error_text(await call(mcp, "generate", {"prompt": prompt}))
    assert requests_to(sim, "run_sse") == []


async def test_a_huge_prompt_is_refused_with_the_limit(mcp: Client, sim: Simulator) -> None:
    message = error_text(await call(mcp, "generate", {"prompt": "make it pop " * 2000}))
    assert "limit is 8000" in message and "Shorten" in message
    assert requests_to(sim, "run_sse") == []


@pytest.mark.parametrize("args", [{"format": "gif"}, {"quality": "ultra"}, {"format": 3}])
async def test_invalid_export_options_are_refused(mcp: Client, sim: Simulator, args: dict[str, Any]) -> None:
    message = error_text(await call(mcp, "export", args))
    assert "format" in message or "quality" in message
    assert requests_to(sim, "render") == []


async def test_an_unwritable_output_folder_fails_before_rendering(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    conf = dataclasses.replace(settings, output_dir=blocker / "videos")
    async with Client(create_server(conf)) as client:
        image = tmp_path / "a.png"
        image.write_bytes(b"\x89PNG")
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        message = error_text(await call(client, "export"))
    assert "Can't write to the output folder" in message and "NEMO_OUTPUT_DIR" in message
    assert requests_to(sim, "render") == [], "no render is started that could not be saved"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("malformed", "couldn't be read"),
        ("html", "internal error (HTTP 502)"),
        ("shape", "unexpected Credits response"),
    ],
)
async def test_unreadable_backend_answers_are_explained(
    mcp: Client, sim: Simulator, kind: str, expected: str
) -> None:
    await call(mcp, "credits")
    inject(sim, "credits", kind, times=10)
    assert expected in error_text(await call(mcp, "credits"))


async def test_a_bad_call_loses_nothing_already_stored(
    mcp: Client, settings: Settings, tmp_path: Path
) -> None:
    image = tmp_path / "keep.jpg"
    image.write_bytes(b"\xff\xd8\xff\0")
    await call(mcp, "upload", {"files": [str(image)]})
    store = Store(settings.home)
    sid = store.get("session_id")
    assert sid
    before = store.media(sid)
    error_text(await call(mcp, "upload", {"files": [str(tmp_path / "missing.jpg")]}))
    error_text(await call(mcp, "generate", {"prompt": ""}))
    assert Store(settings.home).media(sid) == before
    assert Store(settings.home).get("session_id") == sid
