"""Scale benchmarks: big timelines, a stalled event loop, memory over real renders, HTTP overhead.

    .venv/bin/python bench/scale.py                      # full run; writes bench/scale.json
    .venv/bin/python bench/scale.py --smoke              # tiny sizes: checks that every row runs
    .venv/bin/python bench/scale.py --only memory --cycles 1500

Every row is ours against a baseline measured in the same run, with ``bench/run.py``'s
harness (interleaved pairs, ratios; absolute times for context only):

1. ``status`` on a 2,000-clip timeline vs a 20-clip one (two servers, pairs interleaved), and
   the answer of a 48 x 1,000-clip timeline: its time, its size and how many clips it leaves out;
2. ``credits`` latency (p50, p99) while ``status`` of a 48 x 1,000-clip timeline runs in a loop
   beside it, vs ``credits`` alone; a stalled event loop would show here; and the longest wait
   of another call during the **first** ``status`` after a new huge draft, vs a repeated one;
3. memory over real generate / status / export cycles against the simulator (each renders,
   downloads, verifies and makes a contact sheet): RSS sampled, the slope of its second half;
4. per-call overhead over streamable HTTP: ``credits`` through ``serve --http`` vs a bare
   MCPServer whose one tool makes the same raw GET (``bench/floor_server.py --http``), at 1, 4
   and 16 concurrent sessions: calls per second and CPU per call.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from ai_video_music.httpsecret import read_secret
from run import (
    JPEG,
    SCRIPT,
    Server,
    compare,
    interleaved,
    machine,
    rss_kb,
    spread,
    timer,
    tool,
)

HERE = Path(__file__).resolve().parent


class SimChild:
    """The simulator in its own process (``bench/sim_child.py``): its work on a huge draft
    neither slows this process's client nor counts as our server's."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "sim_child.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.base_url = str(self._read()["base_url"])

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the simulator process ended")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, **msg: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(msg) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def set_draft(sim: SimChild, server: Server, tracks: int, clips: int) -> None:
    sim.ask(cmd="draft", session=server.session_id(), tracks=tracks, clips=clips)


def rich_token(sim: SimChild) -> str:
    return str(sim.ask(cmd="register", credits=1e9)["token"])


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc, ticks of 1/100 s)."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


async def with_project(client: Client, folder: Path) -> None:
    photo = folder / "photo.jpg"
    photo.write_bytes(JPEG)
    await tool(client, "upload", {"files": [str(photo)]})()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- 1. status vs the timeline's size ------------------------------------------------------------------


async def bench_status_size(
    sim: SimChild, work: Path, pairs: int, big: int, huge: tuple[int, int]
) -> dict[str, Any]:
    token = rich_token(sim)
    small_s = Server(sim, work / "small", NEMO_TOKEN=token, **_checkout())
    big_s = Server(sim, work / "big", NEMO_TOKEN=token, **_checkout())
    async with Client(small_s.params) as small, Client(big_s.params) as large:
        await with_project(small, work / "small")
        await with_project(large, work / "big")
        set_draft(sim, small_s, 1, 20)
        set_draft(sim, big_s, 1, big)
        a, b = tool(large, "status"), tool(small, "status")
        await interleaved(timer(a), timer(b), 3)  # warm: each draft worked out once
        cpu_big, cpu_small = cpu_s(big_s.pid), cpu_s(small_s.pid)
        mine, theirs = await interleaved(timer(a), timer(b), pairs)
        cpu_big, cpu_small = cpu_s(big_s.pid) - cpu_big, cpu_s(small_s.pid) - cpu_small
        row = {"clips": big, "base_clips": 20, **compare(mine, theirs)}
        # Our server's own cost: its CPU per call (the wall time also holds the backend's work).
        row["ours_cpu_ms_per_call"] = round(cpu_big / pairs * 1000, 2)
        row["base_cpu_ms_per_call"] = round(cpu_small / pairs * 1000, 2)
        row["cpu_ratio"] = round(cpu_big / max(0.01, cpu_small), 2)
        # The biggest timeline: first call (worked out) and the next ones (kept), and the answer.
        set_draft(sim, big_s, *huge)
        times, answer = [], None
        for _ in range(4):
            start = time.perf_counter()
            answer = await a()
            times.append(time.perf_counter() - start)
        out = answer.structured_content or {}
        view = out.get("timeline") or {}
        listed = sum(len(t["segments"]) for t in view.get("tracks", []))
        row["huge"] = {
            "tracks": huge[0],
            "clips": huge[0] * huge[1],
            "first_ms": round(times[0] * 1000, 1),
            "next_ms": spread([x * 1000 for x in times[1:]], 1),
            "answer_chars": len(json.dumps(out)) + sum(len(getattr(c, "text", "")) for c in answer.content),
            "clips_listed": listed,
            "clips_not_listed": view.get("clips_not_listed"),
        }
        row["target"] = "≤ 2x the 20-clip time"
        row["met"] = row["ratio"]["median"] <= 2.0 and row["cpu_ratio"] <= 2.0
    return row


# --- 2. other calls while a huge status runs --------------------------------------------------------------


@asynccontextmanager
async def _beside_status_loop(
    sim: SimChild, folder: Path
) -> AsyncIterator[tuple[subprocess.Popen[str], str, str, str]]:
    """``serve --http`` with another session (``bench/status_loop.py``, its own process) that
    has a project: yields that process, its backend session id, the server's URL and secret."""
    folder.mkdir(parents=True, exist_ok=True)
    home, port = folder / "home", _free_port()
    photo = folder / "photo.jpg"
    photo.write_bytes(JPEG)
    env = _http_env(sim, folder, rich_token(sim))
    url = f"http://127.0.0.1:{port}/mcp"
    async with http_server([str(SCRIPT), "serve", "--http", "--port", str(port)], env, port):
        secret = read_secret(home) or ""
        loop = subprocess.Popen(  # noqa: ASYNC220 - setup, not measured
            [sys.executable, str(HERE / "status_loop.py"), url, secret, str(photo)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert loop.stdout is not None
            if loop.stdout.readline().strip() != "ready":
                raise RuntimeError("the status loop did not start")
            with sqlite3.connect(f"file:{home / 'store.db'}?mode=ro", uri=True, timeout=10) as db:
                newest = "SELECT session_id FROM projects ORDER BY created_at DESC LIMIT 1"
                (sid,) = db.execute(newest).fetchone()
            yield loop, sid, url, secret
        finally:
            loop.kill()
            loop.wait(timeout=10)


async def bench_stall(
    sim: SimChild, work: Path, calls: int, huge: tuple[int, int], rounds: int = 6
) -> dict[str, Any]:
    """Over streamable HTTP: another session (``bench/status_loop.py``, its own process) calls
    ``status`` on a huge timeline in a loop while this one times ``credits`` and ``prompts/list``
    (no backend call: the server's own event loop alone)."""
    async with _beside_status_loop(sim, work / "stall") as (loop, sid, url, secret):
        sim.ask(cmd="draft", session=sid, tracks=huge[0], clips=huge[1])
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {secret}"})
        async with http, Client(streamable_http_client(url, http_client=http)) as client:
            credits, listing = tool(client, "credits"), client.list_prompts
            await credits()
            # The draft worked out once (its first read is not what this row measures).
            _tell(loop, "go", "going")
            _tell(loop, "stop", "stopped")
            alone: list[float] = []
            alone_list: list[float] = []
            beside: list[float] = []
            beside_list: list[float] = []
            per_phase = max(5, calls // rounds)
            looped, looped_s = 0, 0.0  # the other session's status calls, and the time they had
            # Phases with and without the loop alternate (A B, B A, ...): a neighbour's load
            # hits both alike.
            for r in range(rounds):
                for with_loop in (False, True) if r % 2 == 0 else (True, False):
                    if with_loop:
                        _tell(loop, "go", "going")
                    into, into_list = (beside, beside_list) if with_loop else (alone, alone_list)
                    phase_start = time.perf_counter()
                    for _ in range(per_phase):
                        into.append(await timer(credits)())
                        into_list.append(await timer(listing)())
                        await anyio.sleep(0.01)
                    if with_loop:
                        said = _tell(loop, "stop", "stopped")
                        looped += sum(int(x.split()[1]) for x in said if x.startswith("calls "))
                        looped_s += time.perf_counter() - phase_start

    def pct(values: list[float]) -> dict[str, float]:
        ms = [x * 1000 for x in values]
        return {"p50": round(percentile(ms, 0.5), 2), "p99": round(percentile(ms, 0.99), 2)}

    row = {
        "clips": huge[0] * huge[1],
        "calls": len(beside),
        "rounds": rounds,
        "alone_ms": pct(alone),
        "beside_ms": pct(beside),
        "prompts_list_alone_ms": pct(alone_list),
        "prompts_list_beside_ms": pct(beside_list),
        # How hard the other session pressed: a faster status is more of them beside each call.
        "other_status_calls_per_s": round(looped / max(0.001, looped_s), 2),
    }
    row["p99_ratio"] = round(row["beside_ms"]["p99"] / max(0.01, row["alone_ms"]["p99"]), 2)
    row["target"] = "credits p99 beside a huge status ≤ 100 ms (never stalled)"
    row["met"] = row["beside_ms"]["p99"] <= 100
    return row


async def bench_first_status(sim: SimChild, work: Path, rounds: int, huge: tuple[int, int]) -> dict[str, Any]:
    """The other session's **first** ``status`` after its draft became a new huge one (read,
    parsed, fingerprinted and described anew) vs a repeated ``status`` on a draft already seen,
    alternating (A B, B A, ...): the longest ``prompts/list`` (no backend call) this session
    waited during each call. A stall of the server's event loop (a full garbage collection
    holds every thread) shows as one long wait."""
    async with _beside_status_loop(sim, work / "first") as (loop, sid, url, secret):
        variant = 0
        sim.ask(cmd="draft", session=sid, tracks=huge[0], clips=huge[1], variant=variant)
        _tell(loop, "once", "done")
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {secret}"})
        async with http, Client(streamable_http_client(url, http_client=http)) as client:
            await client.list_prompts()
            first: list[float] = []
            repeated: list[float] = []
            call_s: dict[str, list[float]] = {"first": [], "repeated": []}
            for r in range(rounds):
                for new in (True, False) if r % 2 == 0 else (False, True):
                    if new:
                        variant += 1
                        sim.ask(cmd="draft", session=sid, tracks=huge[0], clips=huge[1], variant=variant)
                    waits, took = await _waits_during(loop, client)
                    (first if new else repeated).append(max(waits))
                    call_s["first" if new else "repeated"].append(took)
    ms = [round(x * 1000, 1) for x in first]
    base = [round(x * 1000, 1) for x in repeated]
    row: dict[str, Any] = {
        "clips": huge[0] * huge[1],
        "rounds": rounds,
        "first_status_longest_wait_ms": ms,
        "repeated_status_longest_wait_ms": base,
        "first_status_call_s": spread(call_s["first"], 2),
        "repeated_status_call_s": spread(call_s["repeated"], 2),
        "median_ratio": round(statistics.median(ms) / max(0.1, statistics.median(base)), 2),
    }
    row["target"] = "the longest wait during a first status close to a repeated one's (never stalled)"
    return row


async def _waits_during(loop: subprocess.Popen[str], client: Client) -> tuple[list[float], float]:
    """``prompts/list`` times, back to back, while the other session makes one ``status`` call."""
    waits: list[float] = []
    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        done = anyio.Event()

        async def one_status() -> None:
            await anyio.to_thread.run_sync(_tell, loop, "once", "done")
            done.set()

        tg.start_soon(one_status)
        while not done.is_set():
            waits.append(await timer(client.list_prompts)())
    return waits, time.perf_counter() - start


def _tell(loop: subprocess.Popen[str], command: str, answer: str) -> list[str]:
    """Tell the status loop to start or stop, and wait until it has (see ``status_loop.py``);
    the lines it said before its answer."""
    assert loop.stdin is not None
    assert loop.stdout is not None
    loop.stdin.write(command + "\n")
    loop.stdin.flush()
    said = []
    while (line := loop.stdout.readline().strip()) != answer:
        if not line:
            raise RuntimeError("the status loop ended")
        said.append(line)
    return said


# --- 3. memory over real renders -------------------------------------------------------------------------


async def bench_memory(
    sim: SimChild, work: Path, cycles: int, trace: Path | None = None, snapshots: bool = False
) -> dict[str, Any]:
    # Small, short videos: the renders are real (encoded, downloaded, verified, a contact sheet
    # made) but cheap, so a run of many cycles measures our process, not the encoder.
    sim.ask(
        cmd="configure",
        fields={
            "agent_seconds": 0.01,
            "generation_seconds": 0.01,
            "render_seconds": 0.05,
            "no_text_rate": 0.0,
            "canvas_width": 160,
            "canvas_height": 90,
            "render_fps": 5,
        },
    )
    server = Server(sim, work / "memory", NEMO_TOKEN=rich_token(sim), NEMO_POLL_INTERVAL="0.05")
    snaps_at: tuple[int, ...] = ()
    if trace is not None:
        server.params = _traced(server, trace)
    if trace is not None and snapshots:
        # Tracing starts once warm; snapshots a third of the way in (past the first steps: caches
        # filling, arenas taken) and at the end.
        snaps_at = (cycles // 6, cycles // 3, cycles - 1)
    samples: list[tuple[int, int]] = []
    every = max(1, cycles // 30)
    window = max(2, min(300, cycles // 5))  # the same run's baseline: the first cycles vs the last
    window_rss: dict[int, int] = {}
    started = time.perf_counter()
    async with Client(server.params, read_timeout_seconds=120) as client:
        await with_project(client, work / "memory")
        await tool(client, "generate", {"prompt": "make a 1 second video from my photo"})()
        for i in range(cycles):
            # A different volume each time: the timeline changes, so every export renders anew
            # (accept_cost: the same words 80 cycles later would otherwise be confirmed first).
            out = await tool(
                client, "generate", {"prompt": f"set the music volume to {10 + i % 80}%", "accept_cost": True}
            )()
            if (out.structured_content or {}).get("status") == "working":
                await tool(client, "status")()
            await tool(client, "status")()
            for _ in range(20):
                if ((await tool(client, "export")()).structured_content or {}).get("status") == "done":
                    break
            if i % every == 0 or i == cycles - 1:
                samples.append((i, rss_kb(server.pid)))
                print(f"memory: cycle {i}, RSS {samples[-1][1] / 1024:.1f} MB", file=sys.stderr, flush=True)
                if trace is not None:
                    await _signal(server.pid, signal.SIGUSR2, trace / f"stats-{len(samples)}")
            if i in (0, window - 1, cycles - window, cycles - 1):
                window_rss[i] = rss_kb(server.pid)
            if i in snaps_at and trace is not None:
                await _signal(server.pid, signal.SIGUSR1, trace / f"done-{snaps_at.index(i)}")
        renders = int(sim.ask(cmd="renders")["n"])
    second = samples[len(samples) // 2 :]
    xs, ys = [x for x, _ in second], [y for _, y in second]
    slope = statistics.linear_regression(xs, ys).slope if len(set(xs)) > 1 else 0.0
    first_kb = (window_rss[window - 1] - window_rss[0]) / max(1, window - 1)
    last_kb = (window_rss[cycles - 1] - window_rss[cycles - window]) / max(1, window - 1)
    row = {
        "cycles": cycles,
        "renders": renders,
        "seconds": round(time.perf_counter() - started, 1),
        "rss_mb": [[x, round(y / 1024, 1)] for x, y in samples],
        "second_half_slope_kb_per_cycle": round(slope, 3),
        "window_cycles": window,
        "first_window_kb_per_cycle": round(first_kb, 2),
        "last_window_kb_per_cycle": round(last_kb, 2),
        "growth_mb": round((samples[-1][1] - samples[0][1]) / 1024, 2),
    }
    if trace is not None:
        lines = (trace / "stats.jsonl").read_text(encoding="utf-8").splitlines()
        row["stats"] = [[x, json.loads(line)] for (x, _), line in zip(samples, lines, strict=False)]
    if snaps_at and trace is not None:
        row["trace"] = _compare_snapshots(trace, snaps_at)
    row["target"] = "flat: second-half slope ≤ 1 KiB per cycle"
    row["met"] = slope <= 1.0
    return row


def _traced(server: Server, trace: Path) -> Any:
    """The server started through ``bench/traced_server.py`` (tracemalloc on; SIGUSR1 dumps)."""
    trace.mkdir(parents=True, exist_ok=True)
    script = f'echo $$ > "{server.pidfile}"; exec "{sys.executable}" "{HERE / "traced_server.py"}"'
    env = {**(server.params.env or {}), "BENCH_TRACE_DIR": str(trace)}
    return server.params.model_copy(update={"args": ["-c", script], "env": env})


async def _signal(pid: int, signum: int, done: Path) -> None:
    """Ask the traced server for stats or a snapshot, and wait until it is written."""
    os.kill(pid, signum)
    deadline = time.monotonic() + 300
    while not done.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("the traced server wrote nothing")
        await anyio.sleep(0.05)


def _where(frame: tracemalloc.Frame) -> str:
    return f"{frame.filename.rsplit('/site-packages/', 1)[-1]}:{frame.lineno}"


def _compare_snapshots(trace: Path, snaps_at: tuple[int, ...]) -> dict[str, Any]:
    """What grew between the two snapshots: allocation sites (by traceback) and object types."""
    first, last = snaps_at[1:]
    old = tracemalloc.Snapshot.load(str(trace / "snap-1.tracemalloc"))
    new = tracemalloc.Snapshot.load(str(trace / "snap-2.tracemalloc"))
    ignore = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    ]
    diff = new.filter_traces(ignore).compare_to(old.filter_traces(ignore), "traceback")
    cycles = max(1, last - first)
    sites = []
    for stat in diff[:12]:
        sites.append(
            {
                "kb": round(stat.size_diff / 1024, 1),
                "bytes_per_cycle": round(stat.size_diff / cycles, 1),
                "blocks": stat.count_diff,
                "traceback": [_where(f) for f in stat.traceback][-8:],
            }
        )
    types_old = dict(json.loads((trace / "types-1.json").read_text(encoding="utf-8")))
    types_new = dict(json.loads((trace / "types-2.json").read_text(encoding="utf-8")))
    grown = sorted(((types_new.get(k, 0) - types_old.get(k, 0), k) for k in types_new), reverse=True)[:15]
    total = sum(s.size_diff for s in diff)
    return {
        "cycles": [first, last],
        "traced_growth_kb": round(total / 1024, 1),
        "traced_bytes_per_cycle": round(total / cycles, 1),
        "sites": sites,
        "types_grown": [[k, n] for n, k in grown if n > 0],
    }


# --- 4. per-call overhead over HTTP ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _http_env(sim: SimChild, folder: Path, token: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(folder),
        "NEMO_HOME": str(folder / "home"),
        "NEMO_API_BASE": sim.base_url,
        "NEMO_OUTPUT_DIR": str(folder / "out"),
        "NEMO_TOKEN": token,
        "NEMO_LOG_LEVEL": "WARNING",
        "BENCH_TOKEN": token,
        **_checkout(),
    }


def _checkout() -> dict[str, str]:
    """Another checkout's package first (a before/after on the same harness), when given."""
    return {"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}


@asynccontextmanager
async def http_server(
    cmd: list[str], env: dict[str, str], port: int
) -> AsyncIterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(  # noqa: ASYNC220 - started once, before anything is measured
        cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/mcp", timeout=1)  # noqa: ASYNC210 - setup, not measured
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{cmd} did not start") from None
                await anyio.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def _throughput(
    url: str, headers: dict[str, str], sessions: int, seconds: float, pid: int
) -> dict[str, float]:
    """Calls of ``credits`` per second from ``sessions`` concurrent client sessions, and CPU per call."""
    calls = 0
    async with AsyncExitStack() as stack:
        clients: list[Client] = []
        for _ in range(sessions):
            http = await stack.enter_async_context(create_mcp_http_client(headers=headers))
            client = await stack.enter_async_context(Client(streamable_http_client(url, http_client=http)))
            await client.call_tool("credits", {})  # warm
            clients.append(client)
        cpu0, t0 = cpu_s(pid), time.perf_counter()
        stop = t0 + seconds

        async def drive(client: Client) -> None:
            nonlocal calls
            while time.perf_counter() < stop:
                await client.call_tool("credits", {})
                calls += 1

        async with anyio.create_task_group() as tg:
            for client in clients:
                tg.start_soon(drive, client)
        elapsed, cpu = time.perf_counter() - t0, cpu_s(pid) - cpu0
    return {"calls_per_s": round(calls / elapsed, 1), "cpu_ms_per_call": round(cpu / max(1, calls) * 1000, 3)}


async def bench_http(sim: SimChild, work: Path, seconds: float, sessions: list[int]) -> dict[str, Any]:
    home = work / "http" / "home"
    ours_port, floor_port = _free_port(), _free_port()
    env = _http_env(sim, work / "http", rich_token(sim))
    rows = []
    async with (
        http_server([str(SCRIPT), "serve", "--http", "--port", str(ours_port)], env, ours_port) as ours,
        http_server(
            [sys.executable, str(HERE / "floor_server.py"), "--http", str(floor_port)], env, floor_port
        ) as floor,
    ):
        secret = read_secret(home) or ""
        ours_url, floor_url = f"http://127.0.0.1:{ours_port}/mcp", f"http://127.0.0.1:{floor_port}/mcp"
        for n in sessions:
            # Alternating order, twice: a neighbour's load hits both alike.
            a1 = await _throughput(ours_url, {"Authorization": f"Bearer {secret}"}, n, seconds, ours.pid)
            b1 = await _throughput(floor_url, {}, n, seconds, floor.pid)
            b2 = await _throughput(floor_url, {}, n, seconds, floor.pid)
            a2 = await _throughput(ours_url, {"Authorization": f"Bearer {secret}"}, n, seconds, ours.pid)
            ours_rate = (a1["calls_per_s"] + a2["calls_per_s"]) / 2
            floor_rate = (b1["calls_per_s"] + b2["calls_per_s"]) / 2
            ours_cpu = (a1["cpu_ms_per_call"] + a2["cpu_ms_per_call"]) / 2
            floor_cpu = (b1["cpu_ms_per_call"] + b2["cpu_ms_per_call"]) / 2
            rows.append(
                {
                    "sessions": n,
                    "ours_calls_per_s": round(ours_rate, 1),
                    "floor_calls_per_s": round(floor_rate, 1),
                    "throughput_ratio": round(ours_rate / max(0.1, floor_rate), 2),
                    "ours_cpu_ms_per_call": round(ours_cpu, 3),
                    "floor_cpu_ms_per_call": round(floor_cpu, 3),
                    "cpu_ratio": round(ours_cpu / max(0.001, floor_cpu), 2),
                }
            )
    worst = min(r["throughput_ratio"] for r in rows)
    return {"rows": rows, "target": "≥ 0.8x the floor's throughput", "met": worst >= 0.8}


# --- run ----------------------------------------------------------------------------------------------------


async def run(
    smoke: bool, only: frozenset[str], cycles: int, trace: Path | None = None, snapshots: bool = False
) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "smoke": smoke}
    huge = (4, 200) if smoke else (48, 1000)
    sim = SimChild()
    try:
        with tempfile.TemporaryDirectory(prefix="nemo-scale-") as tmp:
            work = Path(tmp)
            if not only or "status" in only:
                results["status_size"] = await bench_status_size(
                    sim, work, 6 if smoke else 40, 200 if smoke else 2000, huge
                )
            if not only or "stall" in only:
                results["stall"] = await bench_stall(sim, work, 20 if smoke else 300, huge, 2 if smoke else 6)
            if not only or "first" in only:
                results["first_status"] = await bench_first_status(sim, work, 2 if smoke else 6, huge)
            if not only or "memory" in only:
                results["memory"] = await bench_memory(sim, work, 5 if smoke else cycles, trace, snapshots)
            if not only or "http" in only:
                # Smoke: every row runs (a few calls each); its numbers mean nothing.
                results["http"] = await bench_http(
                    sim, work, 0.2 if smoke else 8.0, [1, 2] if smoke else [1, 4, 16]
                )
    finally:
        sim.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated: status,stall,first,memory,http")
    parser.add_argument("--cycles", type=int, default=1500)
    parser.add_argument("--out", type=Path, default=HERE / "scale.json")
    parser.add_argument(
        "--trace",
        type=Path,
        default=None,
        help="memory row: the server reports its allocator's, SQLite's and Python's memory into this folder",
    )
    parser.add_argument(
        "--snapshots",
        action="store_true",
        help="with --trace: tracemalloc snapshots too (slow), and what grew between them",
    )
    args = parser.parse_args()
    only = frozenset(x for x in args.only.split(",") if x)
    results = anyio.run(run, args.smoke, only, args.cycles, args.trace, args.snapshots)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if not args.smoke:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
