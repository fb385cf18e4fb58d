"""Faults injected into the simulator, driven through the MCP tools as an assistant would."""

from __future__ import annotations

import dataclasses
import itertools
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult

from ai_video_music.client import NemoClient
from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.store import Store
from ai_video_music.tools import create_server

from .conftest import FakeSleep, call, inject, requests_to, server_command, text
from .test_stdio import server_env

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


def data(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, text(result)
    return result.structured_content or {}


async def flow(client: Client, image: Path) -> dict[str, Any]:
    """upload → generate → export; every step must succeed."""
    data(await call(client, "upload", {"files": [str(image)]}))
    data(await call(client, "generate", {"prompt": "make a video"}))
    out = data(await call(client, "export"))
    with anyio.fail_after(30):
        while out["status"] != "done":  # a loaded machine renders slower: export again, as an assistant does
            out = data(await call(client, "export"))
    return out


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
        sim.state.expire_tokens()
        data(await call(client, "generate", {"prompt": "make a video"}))
    assert len(requests_to(sim, "token")) == 2


async def test_a_lost_session_is_replaced_and_the_user_told(
    make_server: MakeServer, sim: Simulator, settings: Settings, image: Path
) -> None:
    async with Client(make_server()) as client:
        first = data(await call(client, "upload", {"files": [str(image)]}))["project"]["id"]
        store = Store(settings.home)
        lost = store.project(first)
        assert lost is not None
        sim.state.drop_sessions()
        gen = data(await call(client, "generate", {"prompt": "make a video"}))
        assert "new one was started" in gen["reply"] and "upload it again" in gen["reply"]
        again = data(await call(client, "status"))
        assert again["project"]["id"] == first, "the same project goes on, in a new session"
    replaced = Store(settings.home).project(first)
    assert replaced is not None and replaced.session_id != lost.session_id
    assert replaced.session_id in sim.state.sessions


# --- 429, 2001, 402 --------------------------------------------------------------------------------


@pytest.mark.parametrize(("retry_after", "waited"), [(12, 12.0), (None, 30.0)])
async def test_rate_limit_waits_then_retries_once(
    make_server: MakeServer, sim: Simulator, fake_sleep: FakeSleep, retry_after: float | None, waited: float
) -> None:
    async with Client(make_server(tool_budget=60)) as client:
        await call(client, "credits")
        inject(sim, "credits", "429", retry_after=retry_after)
        data(await call(client, "credits"))
        assert fake_sleep.calls == [waited]
        inject(sim, "credits", "429", times=2)
        limited = await call(client, "credits")
        assert limited.is_error and "rate limiting" in text(limited) and "Try again in" in text(limited)


async def test_a_long_retry_after_is_said_in_words_not_waited_inside_a_call(
    make_server: MakeServer, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    async with Client(make_server(tool_budget=5)) as client:
        inject(sim, "credits", "429", retry_after=3600)
        with anyio.fail_after(7):
            limited = await call(client, "credits")
    assert limited.is_error and "about an hour" in text(limited)
    assert fake_sleep.calls == [], "an hour is not waited inside a tool call"


async def test_out_of_credits_for_a_registered_user_says_top_up(
    make_server: MakeServer, sim: Simulator
) -> None:
    token, _ = sim.state.register_user(credits=0)
    async with Client(make_server(token=token)) as client:
        result = await call(client, "generate", {"prompt": "make a video", "accept_cost": True})
    # Nothing can run at zero credits, confirmed or not: not sent, and the way forward is a top-up.
    out = result.structured_content or {}
    assert out["status"] == "cannot_run" and "Top up" in text(result) and "?bind=" not in text(result)
    assert requests_to(sim, "run_sse") == [] and out["project"] is None, "not sent, no project made for it"
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
        data(await call(client, "credits"))
        inject(sim, "run_sse", "500")
        failed = await call(client, "generate", {"prompt": "make a video"})
        assert failed.is_error and "internal error" in text(failed)
        assert len(requests_to(sim, "run_sse")) == 1
        assert data(await call(client, "credits"))["available"] == 100, "a refused generate costs nothing"


async def test_a_render_start_lost_to_a_server_error_is_found_missing_and_sent_once_more(
    make_server: MakeServer, sim: Simulator, settings: Settings, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render", "500")
        out = data(await call(client, "export"))
        with anyio.fail_after(30):
            while out["status"] != "done":
                out = data(await call(client, "export"))
    submits = requests_to(sim, "render")
    assert len(submits) == 2, "the poll said the first never arrived: sent once more"
    _rows, total = Store(settings.home).renders_page(0, 10)
    assert total == 1, "under the same id: one render, not two"


# --- streams that break --------------------------------------------------------------------------


async def test_a_dropped_stream_returns_what_arrived_and_what_changed(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        inject(sim, "run_sse", "drop")
        result = await call(client, "generate", {"prompt": "make a 10 second video"})
        # The edit landed, so this is a result (with what broke), not an error the assistant would retry.
        out = data(result)
        assert out["timeline_changed"] is True
        body = out["reply"]
        # The verified change first, then the part of NemoVideo's words that arrived, marked as cut.
        assert body.index("Video: beach (0-10s)") < body.index("NemoVideo says:\n> Your 10-second video")
        assert "cut off" in body
        assert "connection to the video agent broke" in body
        assert "sending it again could charge twice" in body
        assert "Don't send the same request again" in " ".join(out["next_steps"]), "what to do: a next step"
        assert not (await call(client, "credits")).is_error, "the server survives"


async def test_the_agent_time_limit_gives_a_clear_message_and_status_still_works(
    make_server: MakeServer, sim: Simulator
) -> None:
    async with Client(make_server(sse_limit=1.0)) as client:
        with sim.hold("run_sse", during_call=True):
            result = await call(client, "generate", {"prompt": "make a video"})
        assert result.is_error
        assert "didn't finish within a second" in text(result)
        assert not (await call(client, "status")).is_error


async def test_a_render_that_never_finishes_is_failed_with_a_reason_and_a_new_one_can_start(
    make_server: MakeServer, sim: Simulator, settings: Settings, image: Path
) -> None:
    async with Client(make_server(render_timeout=1.0, tool_budget=8.0)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render", "slow")
        first = await call(client, "export")
        assert first.is_error and "didn't finish within a second" in text(first), text(first)
        listed = data(await call(client, "status"))["exports"]
        assert listed[0]["status"] == "failed"
        assert any(r["path"].endswith("/cancel") for r in requests_to(sim, "render_cancel"))
    async with Client(make_server()) as client:  # the usual time limit: a new render, which finishes
        again = data(await call(client, "export"))
        with anyio.fail_after(30):
            while again["status"] != "done":
                again = data(await call(client, "export"))
        assert again["render_id"] != listed[0]["render_id"]
    assert len(requests_to(sim, "render")) == 2


async def test_a_failed_render_is_submitted_again_once_under_a_new_id(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render", "render_fail")
        out = data(await call(client, "export"))
        with anyio.fail_after(30):
            while out["status"] != "done":  # as an assistant does when it answers "rendering"
                out = data(await call(client, "export"))
        exports = data(await call(client, "status"))["exports"]
    assert [e["status"] for e in exports] == ["downloaded", "failed"]
    assert "retried as " + out["render_id"] in exports[1]["error"]
    ids = {r["path"] for r in requests_to(sim, "render")}
    assert len(requests_to(sim, "render")) == 2 and len(ids) == 1  # same endpoint, two ids in the bodies


async def test_a_render_that_fails_twice_is_an_error_with_its_reason(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server()) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render", "render_fail", times=2)
        result = await call(client, "export")
        assert result.is_error and "failed" in text(result).lower()
        exports = data(await call(client, "status"))["exports"]
    assert [e["status"] for e in exports] == ["failed", "failed"]


# --- long work under a client that gives up after a few seconds -------------------------------------


async def test_slow_generate_and_render_finish_while_every_call_answers_in_time(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    # Scaled down: hosts give ~60 s and the budget is 40 s; here the client gives 3 s, the budget 1 s,
    # and the agent and the render each outlast a budget (held until released).
    calls = 0
    async with Client(make_server(tool_budget=1.0), read_timeout_seconds=3) as client:
        await client.call_tool("upload", {"files": [str(image)]})
        with sim.hold("run_sse") as gate:
            result = await client.call_tool("generate", {"prompt": "make a video"})
            assert (result.structured_content or {}).get("status") == "working"
            again = await client.call_tool("status", {})
            assert not again.is_error
            gate.release()
        replies: list[str] = []
        while not replies:
            replies = data(await client.call_tool("status", {}))["replies"]
            calls += 1
            assert calls < 30
        with sim.hold("render") as gate:
            first = data(await client.call_tool("export", {}))
            assert first["status"] == "rendering"
            gate.release()
        out: dict[str, Any] = {}
        while out.get("status") != "done":
            out = data(await client.call_tool("export", {}))
            calls += 1
            assert calls < 60
    assert Path(out["path"]).read_bytes()[4:8] == b"ftyp"
    assert len(requests_to(sim, "run_sse")) == 1 and len(requests_to(sim, "render")) == 1


# --- restarts, kills and concurrency ---------------------------------------------------------------


def _stdio_params(sim: Simulator, tmp_path: Path, pidfile: Path, **env: str) -> StdioServerParameters:
    return StdioServerParameters(
        command="/bin/sh",
        args=["-c", f'echo $$ > "{pidfile}"; exec {shlex.join(server_command())}'],
        env=server_env(sim, tmp_path, NEMO_TOOL_BUDGET="1", **env),
    )


async def _kill_after(params: StdioServerParameters, pidfile: Path, steps: Callable[[Client], Any]) -> Any:
    """Run ``steps`` in a server process, then SIGKILL it (no clean shutdown)."""
    result, killed = None, False
    try:
        async with Client(params) as client:
            result = await steps(client)
            os.kill(int(pidfile.read_text(encoding="utf-8")), signal.SIGKILL)
            killed = True
    except Exception:
        if not killed:
            raise  # the steps failed, not the kill: say why
        # else the session broke when its server died: that is the point
    return result


@pytest.mark.slow
async def test_a_render_survives_the_server_being_killed(sim: Simulator, tmp_path: Path, image: Path) -> None:
    pidfile = tmp_path / "pid"
    params = _stdio_params(sim, tmp_path, pidfile)

    async def start_render(client: Client) -> Any:
        await client.call_tool("upload", {"files": [str(image)]})
        await client.call_tool("generate", {"prompt": "make a video"})
        # On a loaded machine the request may outlast the 1 s budget: the export then waits for
        # it first; asked again, as an assistant would, it is rendering (one render all the same).
        with anyio.fail_after(30):
            while (out := (await client.call_tool("export", {})).structured_content or {})["status"] != (
                "rendering"
            ):
                await anyio.sleep(0.05)
        return out

    with sim.hold("render"):
        started = await _kill_after(params, pidfile, start_render)
    assert started and started["status"] == "rendering"
    async with Client(params) as client:
        with anyio.fail_after(30):
            while True:
                exports = ((await client.call_tool("status", {})).structured_content or {}).get("exports", [])
                if exports and exports[0]["path"]:
                    break
                await anyio.sleep(0.05)  # an assistant asking again, not a busy loop
    assert exports[0]["render_id"] == started["render_id"]
    assert Path(exports[0]["path"]).read_bytes()[4:8] == b"ftyp"
    assert len(requests_to(sim, "render")) == 1


@pytest.mark.slow
async def test_a_download_killed_half_way_leaves_no_half_file_and_resumes(
    sim: Simulator, tmp_path: Path, image: Path
) -> None:
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
                await anyio.sleep(0.05)  # an assistant asking again, not a busy loop
    video = next(out.glob("*.mp4"))
    assert video.read_bytes()[4:8] == b"ftyp"
    assert list(out.glob(".*.part")) == [], "the killed attempt's partial file is replaced, not left"


@pytest.mark.slow
def test_killing_a_writer_never_corrupts_the_store(tmp_path: Path) -> None:
    writer = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from ai_video_music.store import Store
        store = Store(Path({str(tmp_path)!r}))
        run, i = sys.argv[1], 0  # ids of its own: a writer after a kill adds, never collides
        while True:
            store.add_render(f"r{{run}}-{{i}}", "p", "s", "mp4", "high", "fp")
            store.update_render(f"r{{run}}-{{i}}", status="processing", progress=50.0)
            store.add_media("p", [{{"name": f"m{{run}}-{{i}}"}}], "upload")
            i += 1
            if i == 20:  # well into its writes: say so, and keep writing until killed
                print("writing", flush=True)
        """
    )
    for run in range(3):
        proc = subprocess.Popen([sys.executable, "-c", writer, str(run)], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"writing\n"  # killed mid-write, not after a fixed wait
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
    with sqlite3.connect(tmp_path / "store.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    renders, _total = Store(tmp_path).renders_page(0, 1_000_000)
    assert {r.id.split("-")[0] for r in renders} == {"r0", "r1", "r2"}, "each writer made progress"
    assert all(r.status in ("submitting", "processing") for r in renders)


async def test_two_servers_on_one_store_lose_nothing_and_act_as_one_user(
    make_server: MakeServer, sim: Simulator, settings: Settings, tmp_path: Path
) -> None:
    files = []
    for i in range(6):
        path = tmp_path / f"clip{i}.mp4"
        path.write_bytes(b"\0\0\0\x18ftypmp42" + b"\0" * 64)
        files.append(path)
    async with Client(make_server()) as one, Client(make_server()) as two:

        async def upload(client: Client, path: Path) -> None:
            data(await call(client, "upload", {"files": [str(path)]}))

        async with anyio.create_task_group() as tg:
            for i, path in enumerate(files):
                tg.start_soon(upload, one if i % 2 else two, path)
    store = Store(settings.home)
    projects, _ = store.recent_projects(10)
    names = sorted(m.name for p in projects for m in store.media_page(p.id, 100)[0])
    assert names == [f"clip{i}.mp4" for i in range(6)]
    uploaded = sorted(u["filename"] for s in sim.state.sessions.values() for u in s.uploads)
    assert uploaded == names
    assert len(requests_to(sim, "token")) == 1, "both processes must act as one user"


async def test_concurrent_generates_run_one_after_the_other(make_server: MakeServer, sim: Simulator) -> None:
    sim.configure(agent_seconds=0.15)  # long enough to overlap, were they sent at once
    results: list[CallToolResult] = []
    async with Client(make_server()) as client:
        data(await call(client, "generate", {"prompt": "make a video"}))

        async def generate(prompt: str) -> None:
            results.append(await call(client, "generate", {"prompt": prompt}))

        async with anyio.create_task_group() as tg:
            for prompt in ("add music", 'add the title "Hi"', "make it 8 seconds"):
                tg.start_soon(generate, prompt)
    assert all((r.structured_content or {}).get("status") == "done" for r in results), [
        text(r) for r in results
    ]
    turns = sorted(sim.state.agent_turns)
    assert len(turns) == 4
    assert all(prev_end <= start for (_, prev_end), (start, _) in itertools.pairwise(turns)), (
        "turns overlapped"
    )


async def test_a_render_the_service_no_longer_knows_is_marked_failed_not_polled_forever(
    make_server: MakeServer, sim: Simulator, settings: Settings, image: Path
) -> None:
    store = Store(settings.home)
    store.add_render("render_forgotten", "p0", "s0", "mp4", "high", "fp")
    store.update_render("render_forgotten", status="processing", claim=None)
    async with Client(make_server()) as client:
        forgotten: dict[str, Any] = {}
        with anyio.fail_after(10):
            while forgotten.get("status") != "failed":
                exports = data(await call(client, "status"))["exports"]
                forgotten = next(e for e in exports if e["render_id"] == "render_forgotten")
        assert "no longer knows" in forgotten["error"]
        await flow(client, image)
    polls = [r for r in requests_to(sim, "render_poll") if r["path"].endswith("render_forgotten")]
    assert len(polls) == 1


async def test_server_errors_while_polling_are_reported_and_the_render_is_picked_up_later(
    make_server: MakeServer, sim: Simulator, image: Path
) -> None:
    async with Client(make_server(tool_budget=3)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        inject(sim, "render_poll", "503", times=40)  # longer than the read retries: the job stops
        first = await call(client, "export")
        assert "internal error" in text(first)
        sim.faults.clear()
        out: dict[str, Any] = {}
        with anyio.fail_after(20):
            while out.get("status") != "done":
                result = await call(client, "export")
                out = result.structured_content or {} if not result.is_error else {}
    assert len(requests_to(sim, "render")) == 1, "picked up, not started again"


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
        ids = {data(r)["render_id"] for r in results}
        assert len(ids) == 1, "both calls follow the same render"
        final = data(await call(client, "export"))
        with anyio.fail_after(30):
            while final["status"] != "done":
                final = data(await call(client, "export"))
    assert final["render_id"] in ids
    assert len(requests_to(sim, "render")) == 1


async def test_an_agent_request_whose_connection_breaks_after_it_was_sent_is_never_sent_again_unasked(
    settings: Settings, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message went out, then the connection broke before any answer: NemoVideo took it (and
    charged). The user is told it may have been taken, not "couldn't reach"; the same words again
    ask first instead of paying a second time."""
    import httpx

    sim.configure(generation_cost=100, edit_cost=50)
    token, _ = sim.state.register_user(credits=1000)
    real_send = httpx.AsyncClient.send
    broken: list[str] = []

    async def send(self: httpx.AsyncClient, request: httpx.Request, **kw: Any) -> httpx.Response:
        response = await real_send(self, request, **kw)
        if request.url.path.endswith("/run_sse") and not broken:
            broken.append(request.url.path)
            await response.aclose()
            raise httpx.ReadError("the connection broke before the answer's headers")
        return response

    monkeypatch.setattr(httpx.AsyncClient, "send", send)
    prompt = "make a video of a beach"
    sim.configure(agent_seconds=30.0)  # the agent is still at work when the user asks again
    async with Client(create_server(dataclasses.replace(settings, token=token))) as client:
        first = await call(client, "generate", {"prompt": prompt, "accept_cost": True})
        again = await call(client, "generate", {"prompt": prompt})
        export = await call(client, "export")
    said = text(first)
    assert export.is_error and "may still be landing" in text(export), text(export)
    assert "generate first" not in text(export), "never the advice to send it again"
    assert "broke" in said and "charged twice" in said and "reach" not in said, said
    assert "did not change" not in said, "an answer cut off says nothing of what the agent will land"
    assert (again.structured_content or {}).get("status") == "needs_confirmation", text(again)
    assert len(sim.requests("run_sse")) == 1  # sent once; the repeat was asked about, not sent
