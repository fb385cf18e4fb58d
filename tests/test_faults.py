"""Faults injected into the simulator, driven through the MCP tools as an assistant would."""

from __future__ import annotations

import dataclasses
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client, StdioServerParameters
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult

from ai_video_music.client import NemoClient
from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.store import Store
from ai_video_music.tools import create_server

from .conftest import FakeSleep, call, inject, requests_to, text
from .test_stdio import console_script, server_env

pytestmark = pytest.mark.anyio

MakeServer = Callable[..., MCPServer[Any]]


@pytest.fixture
def make_server(settings: Settings, fake_sleep: FakeSleep) -> MakeServer:
    """A server whose client never really sleeps; settings and client options overridable."""

    def make(**overrides: Any) -> MCPServer[Any]:
        fields = {f.name for f in dataclasses.fields(Settings)}
        conf = dataclasses.replace(settings, **{k: v for k, v in overrides.items() if k in fields})
        client_kw = {k: v for k, v in overrides.items() if k not in fields}
        return create_server(conf, client_factory=lambda c: NemoClient(c, sleep=fake_sleep, **client_kw))

    return make


async def flow(client: Client, image: Path) -> CallToolResult:
    """upload → generate → export; every step must succeed."""
    for tool, args in (("upload", {"files": [str(image)]}), ("generate", {"prompt": "make a video"})):
        result = await call(client, tool, args)
        assert not result.is_error, text(result)
    result = await call(client, "export")
    assert not result.is_error, text(result)
    assert result.structured_content and result.structured_content["status"] == "done"
    return result


# --- 1001 / 1002 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["session", "upload", "state", "run_sse", "render", "render_poll"])
async def test_a_token_refused_on_any_endpoint_is_renewed_and_the_flow_completes(
    make_server: MakeServer, sim: Simulator, image: Path, route: str
) -> None:
    inject(sim, route, "1001")
    async with Client(make_server()) as client:
        await flow(client, image)
    assert len(requests_to(sim, "token")) == 2
    assert len(requests_to(sim, "run_sse")) == (2 if route == "run_sse" else 1)


async def test_token_expiring_between_steps(make_server: MakeServer, sim: Simulator, image: Path) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        sim.state.tokens = {t: (u, 0.0) for t, (u, _) in sim.state.tokens.items()}
        gen = await call(client, "generate", {"prompt": "make a video"})
        assert not gen.is_error
    assert len(requests_to(sim, "token")) == 2


async def test_a_lost_session_is_replaced_and_the_user_told(
    make_server: MakeServer, sim: Simulator, settings: Settings, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        first = Store(settings.home).get("session_id")
        sim.state.sessions.clear()
        gen = await call(client, "generate", {"prompt": "make a video"})
        assert not gen.is_error
        assert "new one was started" in text(gen) and "upload it again" in text(gen)
    second = Store(settings.home).get("session_id")
    assert second and second != first
    assert second in sim.state.sessions


# --- 429, 2001, 402 --------------------------------------------------------------------------------


@pytest.mark.parametrize(("retry_after", "waited"), [(12, 12.0), (None, 30.0)])
async def test_rate_limit_waits_then_retries_once(
    make_server: MakeServer, sim: Simulator, fake_sleep: FakeSleep, retry_after: float | None, waited: float
) -> None:
    async with Client(make_server()) as client:
        await call(client, "credits")
        inject(sim, "credits", "429", retry_after=retry_after)
        result = await call(client, "credits")
        assert not result.is_error
        assert fake_sleep.calls == [waited]
        inject(sim, "credits", "429", times=2)
        limited = await call(client, "credits")
        assert limited.is_error and "rate limiting" in text(limited)


async def test_out_of_credits_for_a_registered_user_says_top_up(
    make_server: MakeServer, sim: Simulator
) -> None:
    token = httpx.post(f"{sim.base_url}/_sim/register-user", json={"credits": 0}).json()["token"]
    async with Client(make_server(token=token)) as client:
        result = await call(client, "generate", {"prompt": "make a video"})
    assert result.is_error and "Top up" in text(result) and "?bind=" not in text(result)
    assert token not in text(result)


async def test_export_blocked_by_plan_is_said_plainly(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render", "402")
        result = await call(client, "export")
    assert result.is_error
    assert "plan doesn't allow this export" in text(result) and "not a credit problem" in text(result)


# --- 5xx and timeouts: retried where idempotent, never where it could double-spend -----------------


async def test_reads_retry_server_errors_but_a_generate_is_never_resent(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        inject(sim, "credits", "502", times=2)
        assert not (await call(client, "credits")).is_error
        inject(sim, "run_sse", "500")
        failed = await call(client, "generate", {"prompt": "make a video"})
        assert failed.is_error and "internal error" in text(failed)
        assert len(requests_to(sim, "run_sse")) == 1
        credits_left = sim.state.users[next(iter(sim.state.users))].credits
        assert credits_left == 100, "a refused generate must not cost credits"


async def test_a_render_start_is_not_resent_after_a_server_error(
    make_server: MakeServer, sim: Simulator, settings: Settings, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render", "500")
        assert (await call(client, "export")).is_error
    assert len(requests_to(sim, "render")) == 1
    assert Store(settings.home).renders() == []


# --- streams that break --------------------------------------------------------------------------


async def test_a_dropped_stream_returns_what_arrived_and_the_timeline(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        inject(sim, "run_sse", "drop")
        result = await call(client, "generate", {"prompt": "make a 10 second video"})
        assert result.is_error
        body = text(result).removeprefix("Error executing tool generate: ")
        assert body.startswith("Your 10-second video")  # the part that arrived
        assert "cut off" in body
        assert "Timeline (3 tracks): 1. Video: beach (0-10s)" in body  # the edit had landed
        assert "Couldn't reach" in body or "connection" in body.lower()
        assert not (await call(client, "credits")).is_error, "the server survives"


async def test_the_agent_time_limit_gives_a_clear_message_and_status_still_works(
    make_server: MakeServer, sim: Simulator
) -> None:
    sim.state.config.agent_seconds = 5
    async with Client(make_server(sse_limit=1.0)) as client:
        result = await call(client, "generate", {"prompt": "make a video"})
        assert result.is_error
        assert "didn't finish within its 1-second limit" in text(result)
        assert not (await call(client, "status")).is_error


async def test_a_render_that_never_finishes_is_reported_and_kept_for_later(
    make_server: MakeServer, sim: Simulator, settings: Settings, image: Path
) -> None:
    async with Client(make_server(render_timeout=1.0, tool_budget=3.0)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render", "slow")
        first = await call(client, "export")
        data = first.structured_content or {}
        assert data["status"] == "waiting" and "didn't finish within 1 minutes" not in text(first)
        assert "didn't finish" in text(first) and data["render_id"] in text(first)
        polls = len(requests_to(sim, "render_poll"))
        again = await call(client, "export")
        assert (again.structured_content or {})["render_id"] == data["render_id"]
        assert len(requests_to(sim, "render_poll")) > polls, "the kept job is polled again"
    assert len(requests_to(sim, "render")) == 1
    assert [r.id for r in Store(settings.home).renders(unfinished=True)] == [data["render_id"]]


async def test_a_failed_render_is_an_error_and_listed_in_status(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render", "render_fail")
        result = await call(client, "export")
        assert result.is_error and "failed" in text(result) and "encoder crashed" in text(result)
        status = (await call(client, "status")).structured_content or {}
        assert status["renders"][-1]["status"] == "failed"


# --- long work under a client that gives up after a few seconds -------------------------------------


async def test_slow_generate_and_render_finish_while_every_call_answers_in_time(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    # Scaled down: hosts give ~60 s and the budget is 40 s; here the client gives 3 s, the budget 1 s,
    # and the agent and the render each take several budgets.
    sim.state.config.agent_seconds = 4
    sim.state.config.render_seconds = 4
    calls = 0
    async with Client(make_server(tool_budget=1.0), read_timeout_seconds=3) as client:
        await client.call_tool("upload", {"files": [str(image)]})
        result = await client.call_tool("generate", {"prompt": "make a video"})
        assert (result.structured_content or {}).get("status") == "working"
        while "ready" not in text(result):
            result = await client.call_tool("status", {})
            calls += 1
            assert calls < 30
        data: dict[str, Any] = {}
        while data.get("status") != "done":
            data = (await client.call_tool("export", {})).structured_content or {}
            calls += 1
            assert calls < 60
    assert Path(data["path"]).read_bytes()[4:8] == b"ftyp"
    assert len(requests_to(sim, "run_sse")) == 1 and len(requests_to(sim, "render")) == 1


# --- restarts, kills and concurrency ---------------------------------------------------------------


def _stdio_params(sim: Simulator, tmp_path: Path, pidfile: Path, **env: str) -> StdioServerParameters:
    return StdioServerParameters(
        command="/bin/sh",
        args=["-c", f'echo $$ > "{pidfile}"; exec "{console_script()}"'],
        env=server_env(sim, tmp_path, NEMO_TOOL_BUDGET="1", **env),
    )


async def _kill_after(params: StdioServerParameters, pidfile: Path, steps: Callable[[Client], Any]) -> Any:
    """Run ``steps`` in a server process, then SIGKILL it (no clean shutdown)."""
    result = None
    with suppress(Exception):  # the session breaks when its server dies: that is the point
        async with Client(params) as client:
            result = await steps(client)
            os.kill(int(pidfile.read_text(encoding="utf-8")), signal.SIGKILL)
            await anyio.sleep(0.2)
    return result


@pytest.mark.slow
async def test_a_render_survives_the_server_being_killed(sim: Simulator, tmp_path: Path, image: Path) -> None:
    sim.state.config.render_seconds = 3
    pidfile = tmp_path / "pid"
    params = _stdio_params(sim, tmp_path, pidfile)

    async def start_render(client: Client) -> Any:
        await client.call_tool("upload", {"files": [str(image)]})
        await client.call_tool("generate", {"prompt": "make a video"})
        return (await client.call_tool("export", {})).structured_content

    started = await _kill_after(params, pidfile, start_render)
    assert started and started["status"] == "rendering"
    async with Client(params) as client:
        with anyio.fail_after(30):
            while True:
                renders = ((await client.call_tool("status", {})).structured_content or {}).get("renders", [])
                if renders and renders[-1]["path"]:
                    break
    assert renders[-1]["id"] == started["render_id"]
    assert Path(renders[-1]["path"]).read_bytes()[4:8] == b"ftyp"
    assert len(requests_to(sim, "render")) == 1


@pytest.mark.slow
async def test_a_download_killed_half_way_leaves_no_half_file_and_resumes(
    sim: Simulator, tmp_path: Path, image: Path
) -> None:
    sim.state.config.render_seconds = 0.5
    inject(sim, "storage", "slow")
    pidfile = tmp_path / "pid"
    params = _stdio_params(sim, tmp_path, pidfile)
    out = tmp_path / "out"

    async def start_download(client: Client) -> Any:
        await client.call_tool("upload", {"files": [str(image)]})
        await client.call_tool("generate", {"prompt": "make a video"})
        await client.call_tool("export", {})
        with anyio.fail_after(20):
            while not list(out.glob(".*.part")):  # the download has begun
                await anyio.sleep(0.05)

    await _kill_after(params, pidfile, start_download)
    assert list(out.glob("*.mp4")) == [], "no file may appear under its final name"
    async with Client(params) as client:
        with anyio.fail_after(30):
            while not list(out.glob("*.mp4")):
                await client.call_tool("status", {})
    video = next(out.glob("*.mp4"))
    assert video.read_bytes()[4:8] == b"ftyp"
    assert list(out.glob(".*.part")) == [], "the killed attempt's partial file is cleaned up"


@pytest.mark.slow
def test_killing_a_writer_never_corrupts_the_store(tmp_path: Path) -> None:
    writer = textwrap.dedent(
        f"""
        from pathlib import Path
        from ai_video_music.store import Store
        store = Store(Path({str(tmp_path)!r}))
        i = 0
        while True:
            store.add_render(f"r{{i}}", "s", "mp4", "high", "pending")
            store.update_render(f"r{{i}}", status="processing", progress=50.0)
            store.add_media("s", [{{"name": f"m{{i}}"}}], "upload")
            i += 1
        """
    )
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", writer])
        time.sleep(0.7)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    with sqlite3.connect(tmp_path / "store.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = Store(tmp_path)
    renders = store.renders()
    assert renders, "the writer made progress"
    assert all(r.status in ("pending", "processing") for r in renders)


async def test_two_servers_on_one_store_share_one_session_and_lose_nothing(
    make_server: MakeServer, sim: Simulator, settings: Settings, tmp_path: Path
) -> None:
    files = []
    for i in range(6):
        path = tmp_path / f"clip{i}.mp4"
        path.write_bytes(b"\0" * 64)
        files.append(path)
    async with Client(make_server()) as one, Client(make_server()) as two:

        async def upload(client: Client, path: Path) -> None:
            result = await call(client, "upload", {"files": [str(path)]})
            assert not result.is_error, text(result)

        async with anyio.create_task_group() as tg:
            for i, path in enumerate(files):
                tg.start_soon(upload, one if i % 2 else two, path)
    store = Store(settings.home)
    sid = store.get("session_id")
    assert sid is not None
    assert sorted(m.name for m in store.media(sid)) == [f"clip{i}.mp4" for i in range(6)]
    assert sorted(u["filename"] for u in sim.state.sessions[sid].uploads) == [
        f"clip{i}.mp4" for i in range(6)
    ]
    assert len(requests_to(sim, "token")) == 1, "both processes must act as one user"


async def test_concurrent_generates_run_one_after_the_other(make_server: MakeServer, sim: Simulator) -> None:
    sim.state.config.agent_seconds = 0.5
    results: list[CallToolResult] = []
    async with Client(make_server()) as client:

        async def generate(prompt: str) -> None:
            results.append(await call(client, "generate", {"prompt": prompt}))

        async with anyio.create_task_group() as tg:
            for prompt in ("make a video", "add music", 'add the title "Hi"'):
                tg.start_soon(generate, prompt)
    assert all(not r.is_error and (r.structured_content or {})["status"] == "done" for r in results)
    turns = sorted(sim.state.agent_turns)
    assert len(turns) == 3
    assert all(prev_end <= start for (_, prev_end), (start, _) in itertools.pairwise(turns)), (
        "turns overlapped"
    )


async def test_a_render_the_service_no_longer_knows_is_marked_failed_not_polled_forever(
    make_server: MakeServer, sim: Simulator, settings: Settings, image: Path
) -> None:
    Store(settings.home).add_render("render_forgotten", None, "mp4", "high", "processing")
    async with Client(make_server()) as client:
        status = (await call(client, "status")).structured_content or {}
        assert status["renders"][-1]["status"] == "failed"
        assert "no longer knows" in status["renders"][-1]["error"]
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        assert (await call(client, "export")).structured_content["status"] == "done"  # type: ignore[index]
    assert len([r for r in requests_to(sim, "render_poll") if r["path"].endswith("render_forgotten")]) == 1


async def test_server_errors_while_polling_are_reported_and_the_render_is_picked_up_later(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render_poll", "503", times=4)  # more than the read retries
        first = await call(client, "export")
        data = first.structured_content or {}
        assert data["status"] == "waiting"
        assert "internal error" in text(first) and data["render_id"] in text(first)
        second = (await call(client, "export")).structured_content or {}
        assert second["status"] == "done" and second["render_id"] == data["render_id"]
    assert len(requests_to(sim, "render")) == 1


async def test_two_exports_at_once_share_one_render(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    results: list[CallToolResult] = []
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})

        async def export() -> None:
            results.append(await call(client, "export"))

        async with anyio.create_task_group() as tg:
            tg.start_soon(export)
            tg.start_soon(export)
    paths = {(r.structured_content or {}).get("path") for r in results}
    assert len(paths) == 1 and None not in paths
    assert len(requests_to(sim, "render")) == 1
