"""Issue 9's crash and start-up cases over real stdio, with the console script as hosts start it:
a lone surrogate (item 1), broken local state (8), SIGKILL mid-work (10), two processes on one
NEMO_HOME (11). The backend is the hostile double."""

from __future__ import annotations

import os
import shlex
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult

from ..conftest import server_command
from .conftest import call, stdio_env, text
from .double import DRAFT, Hostile, Request, echo_auth, fail, hang_up, silence, sse, stall, then

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


class Process:
    """One ``ai-video-music`` server on stdio; its pid is known, so a test can SIGKILL it."""

    def __init__(
        self, hostile: Hostile, tmp_path: Path, name: str = "a", *, flags: str = "", **env: str
    ) -> None:
        self.pidfile = tmp_path / f"{name}.pid"
        self.errlog = tmp_path / f"{name}.stderr"
        script = f'echo $$ > "{self.pidfile}"; exec {shlex.join(server_command())} {flags} 2>>"{self.errlog}"'
        self.params = StdioServerParameters(
            command="/bin/sh", args=["-c", script], env=stdio_env(hostile, tmp_path, **env)
        )

    @asynccontextmanager
    async def client(self) -> AsyncIterator[Client]:
        async with Client(self.params) as client:
            yield client

    def kill(self) -> None:
        os.kill(int(self.pidfile.read_text(encoding="utf-8")), signal.SIGKILL)

    def log(self) -> str:
        return self.errlog.read_text(encoding="utf-8", errors="replace") if self.errlog.exists() else ""


def jpeg(path: Path) -> Path:
    path.write_bytes(b"\xff\xd8\xff" + b"\0" * 200)
    return path


async def arrived(hostile: Hostile, route: str, count: int = 1) -> list[Request]:
    return await anyio.to_thread.run_sync(lambda: hostile.wait_for(route, count))


async def until(client: Client, tool: str, done: Any, args: dict[str, Any] | None = None) -> CallToolResult:
    for _ in range(100):
        result = await call(client, tool, args)
        if done(result):
            return result
        await anyio.sleep(0.1)  # an assistant polling again
    raise AssertionError(f"{tool} never got there: {text(result)[:500]}")


def done(result: CallToolResult) -> bool:
    return not result.is_error and (result.structured_content or {}).get("status") == "done"


# --- 1 ------------------------------------------------------------------------------------------------


async def test_1_a_cut_emoji_in_every_backend_text_never_kills_the_stdio_server(
    hostile: Hostile, tmp_path: Path
) -> None:
    hostile.draft = {"t": [{"tt": 7, "sg": [{"n": "Summer \ud83c", "d": 3000}]}], "m": {"name": "\udfff"}}
    hostile.on("run_sse", sse({"type": "text", "content": "Here \ud83d you go"}))
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / os.fsdecode(b"\xe9t\xe9.jpg")).write_bytes(b"\xff\xd8\xff\0")
    server = Process(hostile, tmp_path)
    async with server.client() as client:
        await call(client, "upload", {"files": [str(jpeg(tmp_path / "p.jpg"))]})
        turn = await until(client, "generate", done, {"prompt": "add a title"})
        assert "Here \ufffd you go" in text(turn)
        status = await call(client, "status")
        assert "Summer \ufffd" in text(status)
        hostile.on("credits", fail(5000, "quota \udc80 exceeded"))
        assert (await call(client, "credits")).is_error
        assert (await call(client, "upload", {"files": [str(odd / "*.jpg")]})).is_error
        assert not (await call(client, "status")).is_error  # the same process, still answering
    assert "Traceback" not in server.log()


# --- 3 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["registered", "anonymous"])
async def test_3_an_echoed_token_reaches_no_answer_no_debug_log_and_no_store(
    hostile: Hostile, tmp_path: Path, who: str
) -> None:
    secret = "plainsecret-9x8y7z-stdio"  # not token-shaped: only the known-value redaction masks it
    hostile.token = secret
    hostile.on("credits", echo_auth(status=500))
    hostile.on("run_sse", sse({"type": "error", "message": f"bad token {secret}"}, {"errorMessage": secret}))
    env = {"NEMO_TOKEN": secret} if who == "registered" else {}
    server = Process(hostile, tmp_path, flags="-v", **env)
    async with server.client() as client:
        await call(client, "upload", {"files": [str(jpeg(tmp_path / "p.jpg"))]}, (secret,))
        assert (await call(client, "credits", secrets=(secret,))).is_error
        turn = await call(client, "generate", {"prompt": "add a title"}, (secret,))
        if not turn.is_error:  # still running at the budget: the end shows in status
            turn = await until(client, "status", lambda r: "reported an error" in text(r))
        assert "reported an error" in text(turn), text(turn)
        await call(client, "status", secrets=(secret,))
    assert "DEBUG" in server.log() and secret not in server.log()
    stored = [p for p in (tmp_path / "home").rglob("*") if p.is_file() and p.name != "token.json"]
    assert stored and all(secret.encode() not in p.read_bytes() for p in stored)


# --- 8 ------------------------------------------------------------------------------------------------


async def test_8_a_corrupt_store_is_moved_aside_named_and_a_fresh_one_started(
    hostile: Hostile, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "store.db").write_bytes(b"this is not a database" * 100)
    server = Process(hostile, tmp_path)
    async with server.client() as client:
        first = await call(client, "status")
        second = await call(client, "status")
    aside = [p for p in home.iterdir() if p.name.startswith("store.db.corrupt-")]
    assert len(aside) == 1
    assert str(aside[0]) in text(first) and str(aside[0]) not in text(second)  # said once
    assert str(aside[0]) in server.log()


@pytest.mark.parametrize("kind", ["a file", "inside a file"])
async def test_8_an_unusable_state_folder_still_starts_and_every_tool_says_why(
    hostile: Hostile, tmp_path: Path, kind: str
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    home = blocker if kind == "a file" else blocker / "state"
    server = Process(hostile, tmp_path, NEMO_HOME=str(home))
    async with server.client() as client:
        names = {t.name for t in (await client.list_tools()).tools}
        answers = [await call(client, name) for name in ("status", "credits", "export")]
        answers.append(await call(client, "generate", {"prompt": "make a video"}))
    assert names == {"generate", "upload", "status", "credits", "export"}
    for answer in answers:
        assert answer.is_error and str(home) in text(answer) and "NEMO_HOME" in text(answer), text(answer)
        assert "\n" not in text(answer).strip()  # one line
    assert str(home) in server.log()
    assert not hostile.requests()  # nothing was sent without a place to keep it


# --- 10 -----------------------------------------------------------------------------------------------


async def test_10_killed_mid_upload_the_next_process_says_the_upload_was_interrupted(
    hostile: Hostile, tmp_path: Path
) -> None:
    hostile.on("upload", silence(), times=1)
    first = Process(hostile, tmp_path)
    async with first.client() as client, anyio.create_task_group() as tg:
        tg.start_soon(lambda: client.call_tool("upload", {"files": [str(jpeg(tmp_path / "sea.jpg"))]}))
        await arrived(hostile, "upload")
        first.kill()
        tg.cancel_scope.cancel()
    hostile.release()
    async with Process(hostile, tmp_path, "b").client() as client:
        status = await call(client, "status")
        again = await call(client, "status")
    assert "sea.jpg" in text(status) and "interrupted" in text(status), text(status)
    assert "interrupted" not in text(again)  # told once


@pytest.mark.parametrize("submit", ["arrived", "lost"])
async def test_10_killed_mid_render_submit_the_render_is_followed_never_sent_twice(
    hostile: Hostile, tmp_path: Path, submit: str
) -> None:
    hostile.draft = DRAFT
    hostile.on("render", silence() if submit == "arrived" else hang_up(), times=1)
    if submit == "lost":  # the backend never took it: it doesn't know the id either
        hostile.on("render_poll", fail(404, "no such render", status=404), times=1)
    first = Process(hostile, tmp_path)
    async with first.client() as client:
        await call(client, "generate", {"prompt": "new video"})
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: client.call_tool("export", {}))
            await arrived(hostile, "render")
            first.kill()
            tg.cancel_scope.cancel()
    hostile.release()
    async with Process(hostile, tmp_path, "b").client() as client:
        result = await until(client, "export", done)
    ids = {r.json()["id"] for r in hostile.requests("render")}
    assert len(ids) == 1, ids  # one render id: resumed (or re-sent once under the same id)
    assert Path((result.structured_content or {})["path"]).is_file()


async def test_10_killed_mid_agent_turn_status_says_so_at_once_and_shows_what_landed(
    hostile: Hostile, tmp_path: Path
) -> None:
    def agent_acts(req: Request) -> None:
        hostile.draft = DRAFT

    hostile.on(
        "run_sse", then(agent_acts, sse({"type": "text", "content": "Working on"}, close=False)), times=1
    )
    first = Process(hostile, tmp_path)
    async with first.client() as client:
        await call(client, "upload", {"files": [str(jpeg(tmp_path / "p.jpg"))]})
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: client.call_tool("generate", {"prompt": "make a beach video"}))
            await arrived(hostile, "run_sse")
            first.kill()
            tg.cancel_scope.cancel()
    hostile.release()
    async with Process(hostile, tmp_path, "b").client() as client:
        status = await call(client, "status")
    body = text(status)
    assert "make a beach video" in body and "interrupted" in body, body
    assert 'Title: "Summer"' in body  # what the agent applied, read back from the session
    assert len(hostile.requests("run_sse")) == 1  # never re-sent


# --- 11 -----------------------------------------------------------------------------------------------

# Held work answers "working" when a call's budget runs out: a shorter one shows the same sooner.
SHORT = {"NEMO_TOOL_BUDGET": "1.2"}


async def test_11_two_processes_on_one_home_send_one_agent_turn_at_a_time(
    hostile: Hostile, tmp_path: Path
) -> None:
    hostile.on("run_sse", sse({"type": "text", "content": "First done."}, close=False), times=1)
    a, b = Process(hostile, tmp_path, "a", **SHORT), Process(hostile, tmp_path, "b", **SHORT)
    async with a.client() as first:
        await call(first, "upload", {"files": [str(jpeg(tmp_path / "p.jpg"))]})
        async with b.client() as second:
            working = await call(first, "generate", {"prompt": "make a video"})
            assert (working.structured_content or {}).get("status") == "working"
            busy = await call(second, "generate", {"prompt": "add calm music"})
            assert "still busy" in text(busy), text(busy)
            assert len(hostile.requests("run_sse")) == 1
            hostile.release()
            await until(first, "status", lambda r: "First done." in text(r))
            await until(second, "generate", done, {"prompt": "add calm music"})
    assert len(hostile.requests("run_sse")) == 2


async def test_11_two_processes_download_a_render_once_and_keep_each_others_files(
    hostile: Hostile, tmp_path: Path
) -> None:
    hostile.draft = DRAFT
    hostile.on("file", stall(hostile.video, len(hostile.video) // 2), times=1)
    a, b = Process(hostile, tmp_path, "a", **SHORT), Process(hostile, tmp_path, "b", **SHORT)
    async with a.client() as first:
        await call(first, "generate", {"prompt": "new video"})
        async with b.client() as second:
            rendering = await call(first, "export")
            assert (rendering.structured_content or {}).get("status") == "rendering", text(rendering)
            await arrived(hostile, "file")
            parts = list((tmp_path / "out").glob(".*.part"))
            assert len(parts) == 1
            other = await call(second, "export")
            assert not other.is_error, text(other)
            assert parts[0].exists()  # the second process left the first one's download alone
            assert len(hostile.requests("render")) == 1 and len(hostile.requests("file")) == 1
            hostile.release()
            one = await until(first, "export", done)
            two = await until(second, "export", done)
    assert (one.structured_content or {})["path"] == (two.structured_content or {})["path"]
    assert len(hostile.requests("render")) == 1 and len(hostile.requests("file")) == 1
