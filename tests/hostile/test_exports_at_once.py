"""Attack 24 A24-4: several sessions of one ``serve --http`` (two chats of one user) asking for
the export of one render at the same time. Each session's tracker followed and downloaded it:
the downloads dropped each other's part files, one session's running video check was "an
earlier check that never finished" in the next, so an honest export was told as "not a video
file" and the same video was saved once per session. One save per render in the process: the
other sessions wait for it and take its file and its verdict."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from mcp import Client

from ai_video_music.config import Settings

from .conftest import MakeServer, call, text
from .double import DRAFT, Hostile
from .test_items import status_is, until

pytestmark = pytest.mark.anyio


async def test_sessions_exporting_one_render_at_once_are_all_told_it_is_saved_in_one_file(
    make_server: MakeServer, hostile: Hostile, hsettings: Settings
) -> None:
    hostile.draft = DRAFT
    server = make_server()
    answers: list[tuple[bool, str, str | None]] = []
    async with Client(server) as first:
        await call(first, "generate", {"prompt": "new video"})

        async def session() -> None:
            async with Client(server) as client:
                result = await until(client, "export", lambda r: r.is_error or status_is("done")(r))
                path = (result.structured_content or {}).get("path")
                answers.append((result.is_error, text(result), path))

        with anyio.fail_after(60):
            async with anyio.create_task_group() as tg:
                for _ in range(3):
                    tg.start_soon(session)
    assert [error for error, _, _ in answers] == [False] * 3, [said for _, said, _ in answers]
    assert hsettings.output_dir is not None
    saved = list(Path(hsettings.output_dir).glob("*.mp4"))
    assert len(saved) == 1, f"one render saved {len(saved)} times"
    assert {path for _, _, path in answers} == {str(saved[0])}  # each told the one file
    assert len(hostile.requests("render")) == 1
