"""Benchmarks: every row against a baseline measured in the same run, on loopback.

    .venv/bin/python bench/run.py            # full run (about 6 minutes), writes bench/results.json
    .venv/bin/python bench/run.py --smoke    # tiny sizes: checks that every benchmark runs

Each row runs ours (A) and its baseline (B) as interleaved pairs, the order alternating from
pair to pair (A B, B A, ...) so drift and a neighbour's load hit both alike, and reports the
min / median / max of the per-pair ratios. Absolute times are printed for context only: on a
shared machine they move, the ratios hold.

1. tool-call overhead: ``credits`` through our server over stdio vs a bare MCPServer tool doing
   one raw httpx GET to the same simulator endpoint (``floor_server.py``, its own process);
2. cold start: spawn to ``tools/list`` answered, vs a bare MCPServer with five empty tools;
3. upload of a large file through ``upload`` vs ``curl -F``; the server's RSS growth;
4. SSE decoding: ``sse.EventReader`` vs a plain httpx-sse reader, same bytes (no socket);
5. export latency: the backend's completion → the MP4 on disk, for renders of 10-120 s, and the
   polls made vs a fixed 5 s poll;
6. history: ``status``, ``export`` (unchanged, already saved) and start-up with 10k / 100k rows
   of history (projects, renders with their files, media, agent turns, uploads) vs 100 rows,
   the servers' memory at each size, and memory over thousands of ``export`` calls.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import anyio
import httpx
from httpx_sse import aconnect_sse
from mcp import Client, StdioServerParameters
from mcp.types import CallToolResult

from ai_video_music.simulator import SimConfig, Simulator
from ai_video_music.simulator.state import RenderJob
from ai_video_music.sse import EventReader, TextEvent

HERE = Path(__file__).resolve().parent
SCRIPT = Path(sys.executable).with_name("ai-video-music")
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"  # enough for the upload's type check
JPEG = b"\xff\xd8\xff" + b"\0" * 500
FIXED_POLL_S = 5.0
Timed = Callable[[], Awaitable[float]]

# --- measuring --------------------------------------------------------------------------------


def spread(values: list[float], digits: int = 3) -> dict[str, float]:
    return {
        "min": round(min(values), digits),
        "median": round(statistics.median(values), digits),
        "max": round(max(values), digits),
    }


async def interleaved(ours: Timed, base: Timed, pairs: int) -> tuple[list[float], list[float]]:
    """``pairs`` timings of each, A B then B A alternately."""
    a: list[float] = []
    b: list[float] = []
    for i in range(pairs):
        if i % 2 == 0:
            a.append(await ours())
            b.append(await base())
        else:
            b.append(await base())
            a.append(await ours())
    return a, b


def compare(a: list[float], b: list[float]) -> dict[str, Any]:
    """Per-pair time ratios ours/baseline (lower is better) and differences; times in ms."""
    return {
        "pairs": len(a),
        "ours_ms": spread([x * 1000 for x in a]),
        "base_ms": spread([x * 1000 for x in b]),
        "ratio": spread([x / y for x, y in zip(a, b, strict=True)]),
        "diff_ms": spread([(x - y) * 1000 for x, y in zip(a, b, strict=True)]),
    }


def timer(fn: Callable[[], Awaitable[Any]]) -> Timed:
    async def run() -> float:
        start = time.perf_counter()
        await fn()
        return time.perf_counter() - start

    return run


def tool(client: Client, name: str, args: dict[str, Any] | None = None) -> Callable[[], Awaitable[Any]]:
    async def call() -> CallToolResult:
        result = await client.call_tool(name, args or {})
        if result.is_error:
            raise RuntimeError(f"{name} failed: {_text(result)[:500]}")
        return result

    return call


def _text(result: CallToolResult) -> str:
    return "\n".join(getattr(c, "text", "") for c in result.content)


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    """Resident memory of a process from /proc (Linux), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not found for pid {pid}")


def reset_peak(pid: int) -> None:
    """Start VmHWM afresh (Linux ≥ 4.0), so the peak is the measured part's alone."""
    Path(f"/proc/{pid}/clear_refs").write_text("5", encoding="ascii")


class Server:
    """Our console script over stdio, its pid known through a tiny shell wrapper."""

    def __init__(self, sim: Simulator, work: Path, *, out: Path | None = None, **env: str) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self.home = work / "home"
        self.out = out or work / "out"
        self.pidfile = work / f"pid-{time.monotonic_ns()}"
        self.params = StdioServerParameters(
            command="/bin/sh",
            args=["-c", f'echo $$ > "{self.pidfile}"; exec "{SCRIPT}"'],
            env={
                "NEMO_API_BASE": sim.base_url,
                "NEMO_HOME": str(self.home),
                "NEMO_OUTPUT_DIR": str(self.out),
                "NEMO_LOG_LEVEL": "WARNING",
                "HOME": str(work),
                **env,
            },
        )

    @property
    def pid(self) -> int:
        return int(self.pidfile.read_text(encoding="utf-8"))

    def token(self) -> str:
        return str(json.loads((self.home / "token.json").read_text(encoding="utf-8"))["token"])

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Read the server's store from outside (read-only; WAL lets both go on)."""
        with sqlite3.connect(f"file:{self.home / 'store.db'}?mode=ro", uri=True, timeout=10) as db:
            return db.execute(sql, args).fetchall()

    def session_id(self) -> str:
        rows = self.query(
            "SELECT p.session_id FROM projects p JOIN kv ON kv.value = p.id WHERE kv.key = 'current_project'"
        )
        return str(rows[0][0])


async def make_video(client: Client, folder: Path) -> None:
    """A project with a timeline: one photo uploaded, one generation turn."""
    photo = folder / "photo.jpg"
    photo.write_bytes(JPEG)
    await tool(client, "upload", {"files": [str(photo)]})()
    result = await tool(client, "generate", {"prompt": "make a 6 second video from my photo"})()
    if (result.structured_content or {}).get("status") != "done":
        raise RuntimeError(f"generate did not finish: {_text(result)[:300]}")


async def export_done(client: Client) -> dict[str, Any]:
    """``export`` until the MP4 is saved (each call waits up to the tool budget)."""
    for _ in range(20):
        out = (await tool(client, "export")()).structured_content or {}
        if out.get("status") == "done":
            return out
    raise RuntimeError("export never finished")


# --- 1. tool-call overhead ------------------------------------------------------------------------


async def bench_overhead(sim: Simulator, work: Path, pairs: int) -> dict[str, Any]:
    ours = Server(sim, work / "ours")
    async with Client(ours.params) as client:
        await tool(client, "credits")()  # token fetched: out of the measurement
        floor = StdioServerParameters(
            command=sys.executable,
            args=[str(HERE / "floor_server.py")],
            env={"NEMO_API_BASE": sim.base_url, "BENCH_TOKEN": ours.token()},
        )
        async with Client(floor) as bare:
            a, b = tool(client, "credits"), tool(bare, "credits")
            await interleaved(timer(a), timer(b), max(5, pairs // 10))  # warm both paths
            mine, base = await interleaved(timer(a), timer(b), pairs)
    row = compare(mine, base)
    row["target"] = "our share ≤ 1 ms"
    row["met"] = row["diff_ms"]["median"] <= 1.0
    return row


# --- 2. cold start ----------------------------------------------------------------------------------


async def spawn_to_list(params: StdioServerParameters, resources: bool = False) -> float:
    start = time.perf_counter()
    async with Client(params) as client:
        tools = await client.list_tools()
        if resources:
            await client.list_resources()
            await client.list_resource_templates()
        elapsed = time.perf_counter() - start
    assert len(tools.tools) == 5
    return elapsed


async def bench_cold_start(sim: Simulator, work: Path, pairs: int) -> dict[str, Any]:
    ours = Server(sim, work)
    bare = StdioServerParameters(command=sys.executable, args=[str(HERE / "bare_server.py")])
    if pairs > 1:  # its store exists, as on every start but the first (a smoke run skips this)
        await spawn_to_list(ours.params)
    mine, base = await interleaved(lambda: spawn_to_list(ours.params), lambda: spawn_to_list(bare), pairs)
    row = compare(mine, base)
    row["target"] = "none (context)"
    return row


# --- 3. upload ---------------------------------------------------------------------------------------


async def bench_upload(sim: Simulator, work: Path, size_mb: int, pairs: int) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    big = work / "big.mp4"
    with big.open("wb") as fh:  # sparse: reads come from memory for both, the disk is not measured
        fh.write(MP4_HEAD)
        fh.truncate(size_mb * 1024 * 1024)
    server = Server(sim, work)
    curl = shutil.which("curl")
    row: dict[str, Any] = {"size_mb": size_mb, "curl": curl is not None}
    async with Client(server.params, read_timeout_seconds=900) as client:
        photo = work / "photo.jpg"
        photo.write_bytes(JPEG)
        await tool(client, "upload", {"files": [str(photo)]})()  # token, project, session first
        upload = tool(client, "upload", {"files": [str(big)]})
        url = f"{sim.base_url}/api/upload-video/nemo_agent/me/{server.session_id()}"
        args = ["-sS", "-f", "-o", os.devnull, "-H", f"Authorization: Bearer {server.token()}"]
        args += ["-F", f"files=@{big};type=video/mp4", url]

        async def by_curl() -> None:
            assert curl is not None
            with anyio.fail_after(900):
                await anyio.run_process([curl, *args])

        await upload()  # warm the page cache and the paths once
        gc.collect()
        idle_kb = rss_kb(server.pid)
        reset_peak(server.pid)
        if curl:
            await by_curl()
            mine, base = await interleaved(timer(upload), timer(by_curl), pairs)
            row.update(compare(mine, base))
            row["speed"] = spread([b / a for a, b in zip(mine, base, strict=True)])
            row["ours_mb_s"] = round(size_mb / statistics.median(mine), 1)
            row["curl_mb_s"] = round(size_mb / statistics.median(base), 1)
        else:
            mine = [await timer(upload)() for _ in range(pairs)]
            row["ours_mb_s"] = round(size_mb / statistics.median(mine), 1)
        peak_kb = rss_kb(server.pid, "VmHWM")
    big.unlink()
    row["rss_idle_mb"] = round(idle_kb / 1024, 1)
    row["rss_growth_mb"] = round((peak_kb - idle_kb) / 1024, 2)
    row["target"] = "speed ≥ 0.9x curl, RSS growth < 16 MB"
    row["met"] = bool(curl) and row["speed"]["median"] >= 0.9 and row["rss_growth_mb"] < 16
    return row


# --- 4. SSE decoding ----------------------------------------------------------------------------------

SSE_URL = "http://bench/run_sse"


def sse_events(n: int) -> list[bytes]:
    """A turn's worth of traffic: heartbeats, comments, tool calls, text, ADK partials."""
    kinds: list[bytes] = [
        b'data: {"type": "heartbeat"}\n\n',
        b": ping\n\n",
        b'data: {"type": "text", "content": "I\'ve added a free Lo-fi track at 35% volume."}\n\n',
        'data: {"type": "text", "content": "已添加背景音乐。"}\n\n'.encode(),
        b'data: {"type": "tool_call", "name": "edit_multitrack", "args": {"op": "add_bgm", "v": 35}}\n\n',
        b'data: {"type": "tool_result", "name": "edit_multitrack", "result": {"ok": true}}\n\n',
        b'data: {"author": "nemo_agent", "content": {"role": "model", "parts": [{"text": "Adding the '
        b'music now"}]}, "partial": true}\n\n',
        b'data: {"author": "nemo_agent", "content": {"role": "model", "parts": [{"functionCall": '
        b'{"name": "edit_multitrack", "args": {"op": "title"}}}]}}\n\n',
    ]
    return [kinds[i % len(kinds)] for i in range(n)]


def _mock(chunks: list[bytes]) -> httpx.MockTransport:
    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    return httpx.MockTransport(handler)


async def sse_baseline(chunks: list[bytes]) -> int:
    """The plain reader: httpx-sse, and ``json.loads`` of each ``data``."""
    count = 0
    async with (
        httpx.AsyncClient(transport=_mock(chunks)) as http,
        aconnect_sse(http, "POST", SSE_URL) as source,
    ):
        async for sse in source.aiter_sse():
            json.loads(sse.data)
            count += 1
    return count


async def sse_ours(chunks: list[bytes]) -> int:
    """Ours as the client runs it: a deadline check per chunk, full decoding into typed events."""
    deadline = time.monotonic() + 900

    def check() -> None:
        if time.monotonic() > deadline:
            raise TimeoutError

    count = 0
    reader = EventReader(on_chunk=check, max_text_chars=1 << 62)
    async with httpx.AsyncClient(transport=_mock(chunks)) as http, http.stream("POST", SSE_URL) as response:
        async for event in reader.events(response.aiter_bytes()):
            count += isinstance(event, TextEvent)
    return count


async def bench_sse(events: int, pairs: int) -> dict[str, Any]:
    stream = sse_events(events)
    body = b"".join(stream)
    row: dict[str, Any] = {"events": events, "mb": round(len(body) / 1e6, 1)}
    for label, chunks in (
        ("per_event", stream),
        ("chunks_64k", [body[i : i + 65536] for i in range(0, len(body), 65536)]),
    ):

        def run(fn: Callable[[list[bytes]], Coroutine[Any, Any, int]], chunks: list[bytes] = chunks) -> Timed:
            async def timed() -> float:
                gc.collect()
                start = time.perf_counter()
                await fn(chunks)
                return time.perf_counter() - start

            return timed

        assert await sse_ours(chunks) > 0  # warm both (and check ours sees the text)
        await sse_baseline(chunks)
        mine, base = await interleaved(run(sse_ours), run(sse_baseline), pairs)
        part = compare(mine, base)
        part["speed"] = spread([b / a for a, b in zip(mine, base, strict=True)])
        row[label] = part
    row["speed"] = row["per_event"]["speed"]  # one event per chunk: a server flushing per event
    row["target"] = "speed ≥ 0.95x httpx-sse"
    row["met"] = min(row["per_event"]["speed"]["median"], row["chunks_64k"]["speed"]["median"]) >= 0.95
    return row


# --- 5. export latency ----------------------------------------------------------------------------------


async def bench_export_latency(
    sim: Simulator, work: Path, lengths: list[float], repeats: int
) -> dict[str, Any]:
    """Renders of each length run side by side (one server and project each); a render's backend
    completion is the later of its simulated length and its encoder finishing."""
    slots = [length for _ in range(repeats) for length in lengths]
    servers = [Server(sim, work / f"slot{i}") for i in range(len(slots))]
    measured: list[dict[str, Any]] = []
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(Client(s.params, read_timeout_seconds=300)) for s in servers
        ]
        async with anyio.create_task_group() as tg:
            for i, client in enumerate(clients):
                tg.start_soon(make_video, client, servers[i].home.parent)
        async with anyio.create_task_group() as tg:
            for length, server, client in zip(slots, servers, clients, strict=True):
                with sim.state.lock:
                    known = set(sim.state.renders)
                sim.configure(render_seconds=length)
                record: dict[str, Any] = {"render_s": length, "encoded": anyio.Event()}
                measured.append(record)
                tg.start_soon(_export_one, sim, server, client, record)
                with anyio.fail_after(30):
                    while True:  # submitted: the next one may get another length
                        with sim.state.lock:
                            new = [j for k, j in sim.state.renders.items() if k not in known]
                        if new:
                            break
                        await anyio.sleep(0.01)
                tg.start_soon(_finished, new[0], record)
    rows = []
    for length in lengths:
        mine = [r for r in measured if r["render_s"] == length]
        rows.append(
            {
                "render_s": length,
                "renders": len(mine),
                "latency_s": spread([r["latency_s"] for r in mine]),
                "polls": spread([r["polls"] for r in mine], 1),
                "fixed5_polls": spread([r["fixed5_polls"] for r in mine], 1),
                "poll_ratio": spread([r["polls"] / r["fixed5_polls"] for r in mine]),
                "seen_late_s": spread([r["seen_late_s"] for r in mine]),
                "on_disk_s": spread([r["on_disk_s"] for r in mine]),
            }
        )
    worst = max(r["latency_s"] for r in measured)
    worst_polls = max(r["polls"] / r["fixed5_polls"] for r in measured)
    return {
        "rows": rows,
        "renders": measured,
        "latency_s": spread([r["latency_s"] for r in measured]),
        "poll_ratio": spread([r["polls"] / r["fixed5_polls"] for r in measured]),
        "target": "≤ 3 s after the backend, polls ≤ a fixed 5 s poll's",
        "met": worst <= 3.0 and worst_polls <= 1.0,
    }


async def _finished(job: RenderJob, record: dict[str, Any]) -> None:
    await anyio.to_thread.run_sync(job.finished.wait)
    record["encoded_at"] = time.time()
    record["job"] = job
    record["encoded"].set()


async def _export_one(sim: Simulator, server: Server, client: Client, record: dict[str, Any]) -> None:
    out = (await tool(client, "export")()).structured_content or {}
    rid = str(out["render_id"])
    with anyio.fail_after(record["render_s"] + 120):
        while True:  # the tool answered "rendering" (past its budget) or "done": the job goes on
            rows = server.query("SELECT status, updated_at, local_path FROM renders WHERE id=?", rid)
            if rows and rows[0][0] in ("downloaded", "failed", "cancelled"):
                break
            await anyio.sleep(0.2)
    status, saved_at, path = rows[0]
    if status != "downloaded" or not Path(path).stat().st_size:
        raise RuntimeError(f"render {rid} ended {status}")
    await record.pop("encoded").wait()
    job: RenderJob = record.pop("job")
    done_at = max(job.started + job.seconds, record.pop("encoded_at"))
    since_start = done_at - job.started
    fixed = max(1, math.ceil(since_start / FIXED_POLL_S - 1e-9))  # looks at 5, 10, ... s
    looks = [r["at"] for r in sim.requests("render_poll") if r["path"].endswith("/" + rid)]
    record.update(
        latency_s=saved_at - done_at,
        polls=len(looks),
        looks_s=[round(at - job.started, 2) for at in looks],  # for a closer look at the schedule
        done_s=round(since_start, 2),
        seen_late_s=round(looks[-1] - done_at, 2),  # the look that saw it done, after it was
        on_disk_s=round(os.stat(path).st_ctime - done_at, 2),  # renamed into place (ctime)
        fixed5_polls=fixed,
    )


# --- 6. history ------------------------------------------------------------------------------------------


def pad_history(server: Server, rows: int) -> None:
    """``rows`` of each kind of history, older than the real project's, written with plain SQL:
    projects, renders (each with its file in the output folder), media, agent turns, uploads."""
    server.out.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(server.home / "store.db", isolation_level=None)
    try:
        (current,) = db.execute("SELECT value FROM kv WHERE key='current_project'").fetchone()
        (oldest,) = db.execute("SELECT MIN(created_at) FROM renders").fetchone()
        t0 = float(oldest) - rows - 10
        projects = [f"prj_hist{i:07d}" for i in range(max(1, rows // 10))]
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO projects(id, session_id, task_id, name, language, created_at, updated_at)"
            " VALUES(?,?,?,?,?,?,?)",
            [(p, f"sess_{p}", None, f"Old video {i}", "en", t0 + i, t0 + i) for i, p in enumerate(projects)],
        )
        renders = []
        for i in range(rows):
            path = server.out / f"nemovideo-history-{i:07d}.mp4"
            path.touch()
            owner = current if i % 2 else projects[i % len(projects)]
            renders.append(
                (f"render_hist{i:07d}", owner, "sess", "downloaded", 100, "mp4", "high",
                 f"http://127.0.0.1/storage/h{i}.mp4", str(path), f"fp{i}", 1, 6.0, 320, 180, 1000,
                 t0 + i, t0 + i)
            )  # fmt: skip
        db.executemany(
            "INSERT INTO renders(id, project_id, session_id, status, progress, format, quality, output_url,"
            " local_path, draft_fp, attempt, duration_s, width, height, size_bytes, created_at, updated_at)"
            " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            renders,
        )
        db.executemany(
            "INSERT INTO media(project_id, name, kind, url, source, info, created_at) VALUES(?,?,?,?,?,?,?)",
            [(current, f"photo{i}.jpg", "image", f"http://127.0.0.1/media/{i}.jpg", "upload", "{}", t0 + i)
             for i in range(rows)],
        )  # fmt: skip
        db.executemany(
            "INSERT INTO generations(id, project_id, session_id, prompt, prompt_key, status, reply,"
            " delivered, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
            [(f"gen_hist{i:07d}", current, "s", f"edit {i}", f"edit {i}", "done", "Done.", 1, t0 + i, t0 + i)
             for i in range(rows)],
        )  # fmt: skip
        db.executemany(
            "INSERT INTO uploads(id, project_id, names, status, delivered, created_at, updated_at)"
            " VALUES(?,?,?,?,?,?,?)",
            [
                (f"upload_hist{i:07d}", current, '["photo.jpg"]', "done", 1, t0 + i, t0 + i)
                for i in range(rows)
            ],
        )
        db.execute("COMMIT")
    finally:
        db.close()


async def bench_history(
    sim: Simulator, work: Path, sizes: list[int], pairs: int, start_pairs: int, memory_calls: int
) -> dict[str, Any]:
    """Homes with ``sizes`` rows of history, each a copy of one real project with a saved export."""
    origin = Server(sim, work / "origin", NEMO_POLL_INTERVAL="0.2")  # its export is setup, not measured
    async with Client(origin.params, read_timeout_seconds=120) as client:
        await make_video(client, origin.home.parent)
        await export_done(client)
    servers: dict[int, Server] = {}
    for rows in sizes:
        server = Server(sim, work / f"rows{rows}", out=work / f"rows{rows}" / "out")
        shutil.copytree(origin.home, server.home)
        pad_history(server, rows - 1)  # plus the real render: ``rows`` exports in all
        servers[rows] = server
    base_rows = sizes[0]
    result: dict[str, Any] = {"sizes": sizes, "startup": [], "status": [], "export": [], "rss": []}
    base = servers[base_rows]
    for rows in sizes[1:]:
        mine, theirs = await interleaved(
            lambda rows=rows: spawn_to_list(servers[rows].params, resources=True),  # type: ignore[misc]
            lambda: spawn_to_list(base.params, resources=True),
            start_pairs,
        )
        result["startup"].append({"rows": rows, **compare(mine, theirs)})
    async with AsyncExitStack() as stack:
        clients = {n: await stack.enter_async_context(Client(s.params)) for n, s in servers.items()}
        for name in ("status", "export"):
            for rows in sizes[1:]:
                a, b = tool(clients[rows], name), tool(clients[base_rows], name)
                await interleaved(timer(a), timer(b), 3)  # warm
                mine, theirs = await interleaved(timer(a), timer(b), pairs)
                result[name].append({"rows": rows, **compare(mine, theirs)})
        listed = await clients[sizes[-1]].list_resources()
        result["resources_listed"] = len(listed.resources)
        gc_rss = {n: rss_kb(s.pid) for n, s in servers.items()}
        for rows in sizes[1:]:
            result["rss"].append(
                {"rows": rows, "rss_mb": round(gc_rss[rows] / 1024, 1),
                 "above_base_mb": round((gc_rss[rows] - gc_rss[base_rows]) / 1024, 2)}
            )  # fmt: skip
        # Memory over many exports in one process: sampled every tenth of the calls, after a warm-up.
        export = tool(clients[base_rows], "export")
        tenth = max(1, memory_calls // 10)
        for _ in range(tenth):
            await export()
        samples = [rss_kb(base.pid)]
        started = time.perf_counter()
        for _ in range(9):
            for _ in range(tenth):
                await export()
            samples.append(rss_kb(base.pid))
        per_call = (time.perf_counter() - started) / (9 * tenth)
    result["memory"] = {
        "export_calls": 10 * tenth,
        "rss_samples_mb": [round(kb / 1024, 2) for kb in samples],
        "growth_mb": round((samples[-1] - samples[0]) / 1024, 2),
        "second_half_growth_mb": round((samples[-1] - samples[len(samples) // 2]) / 1024, 2),
        "export_ms": round(per_call * 1000, 2),
    }
    worst = max(r["ratio"]["median"] for key in ("startup", "status", "export") for r in result[key])
    result["target"] = "≤ 1.2x the 100-row time; memory flat"
    result["met"] = (
        worst <= 1.2
        and max(r["above_base_mb"] for r in result["rss"]) < 4
        and result["memory"]["growth_mb"] < 2
    )
    return result


# --- report -----------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load_at_start": round(os.getloadavg()[0], 2),  # a shared machine: what else was running
    }


def _r(s: dict[str, float], fmt: str = "{:.2f}", unit: str = "x") -> str:
    return f"{fmt.format(s['min'])} / {fmt.format(s['median'])} / {fmt.format(s['max'])}{unit}"


def table(res: dict[str, Any]) -> str:
    o, c, u, s, e, h = (
        res[k] for k in ("overhead", "cold_start", "upload", "sse", "export_latency", "history")
    )
    yes = {True: "yes", False: "NO"}
    rows = [
        ("benchmark", "ours (median)", "baseline (median)", "min / median / max", "target", "met"),
        ("credits call: our share over the floor", f"{o['ours_ms']['median']:.2f} ms",
         f"{o['base_ms']['median']:.2f} ms", _r(o["diff_ms"], unit=" ms"), "≤ 1 ms", yes[o["met"]]),
        ("credits call: time ratio", "", "", _r(o["ratio"]), "", ""),
        ("cold start to tools/list vs bare MCPServer", f"{c['ours_ms']['median']:.0f} ms",
         f"{c['base_ms']['median']:.0f} ms", _r(c["ratio"]), "(context)", ""),
    ]  # fmt: skip
    if u["curl"]:
        rows.append(
            (f"upload {u['size_mb']} MB: speed vs curl -F", f"{u['ours_mb_s']:.0f} MB/s",
             f"{u['curl_mb_s']:.0f} MB/s", _r(u["speed"]), "≥ 0.9x", yes[u["met"]])
        )  # fmt: skip
    else:
        rows.append(
            (f"upload {u['size_mb']} MB", f"{u['ours_mb_s']:.0f} MB/s", "curl missing", "", "≥ 0.9x", "n/a")
        )
    rows.append(
        (
            "upload: server RSS growth",
            f"+{u['rss_growth_mb']:.1f} MB",
            "",
            "",
            "< 16 MB",
            yes[u["rss_growth_mb"] < 16],
        )
    )
    for label, key in (("one event per chunk", "per_event"), ("64 KiB chunks", "chunks_64k")):
        part = s[key]
        rows.append(
            (f"SSE decode {s['events']} events, {label}: speed", f"{part['ours_ms']['median']:.0f} ms",
             f"{part['base_ms']['median']:.0f} ms", _r(part["speed"]), "≥ 0.95x",
             yes[part["speed"]["median"] >= 0.95])
        )  # fmt: skip
    for r in e["rows"]:
        rows.append(
            (f"export {r['render_s']:g} s render: backend done → MP4", f"{r['latency_s']['median']:.2f} s",
             "backend done", _r(r["latency_s"], unit=" s"), "≤ 3 s",
             yes[r["latency_s"]["max"] <= 3])
        )  # fmt: skip
        rows.append(
            (f"export {r['render_s']:g} s render: polls", f"{r['polls']['median']:.0f}",
             f"fixed 5 s: {r['fixed5_polls']['median']:.0f}", _r(r["poll_ratio"]), "≤ 1x",
             yes[r["poll_ratio"]["max"] <= 1])
        )  # fmt: skip
    base_rows = h["sizes"][0]
    for key in ("status", "export", "startup"):
        for r in h[key]:
            rows.append(
                (f"{key} at {r['rows']:,} rows vs {base_rows}", f"{r['ours_ms']['median']:.1f} ms",
                 f"{r['base_ms']['median']:.1f} ms", _r(r["ratio"]), "≤ 1.2x",
                 yes[r["ratio"]["median"] <= 1.2])
            )  # fmt: skip
    for r in h["rss"]:
        rows.append(
            (f"server RSS at {r['rows']:,} rows vs {base_rows}", f"{r['rss_mb']:.1f} MB", "",
             f"{r['above_base_mb']:+.2f} MB", "flat", yes[r["above_base_mb"] < 4])
        )  # fmt: skip
    m = h["memory"]
    rows.append(
        (f"server RSS over {m['export_calls']:,} export calls", f"{m['rss_samples_mb'][-1]:.1f} MB",
         f"{m['rss_samples_mb'][0]:.1f} MB", f"{m['growth_mb']:+.2f} MB", "flat (< 2 MB)",
         yes[m["growth_mb"] < 2])
    )  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


SIZES: dict[bool, dict[str, Any]] = {
    True: {  # smoke: every benchmark runs, in seconds
        "calls": 10, "cold": 1, "upload_mb": 2, "upload_pairs": 1, "events": 500, "sse_pairs": 2,
        "renders": [0.5], "repeats": 1, "history": [10, 100], "history_pairs": 2,
        "start_pairs": 1, "memory_calls": 10,
    },
    False: {
        "calls": 400, "cold": 10, "upload_mb": 400, "upload_pairs": 5, "events": 100_000, "sse_pairs": 9,
        "renders": [10.0, 30.0, 60.0, 120.0], "repeats": 3, "history": [100, 10_000, 100_000],
        "history_pairs": 50, "start_pairs": 7, "memory_calls": 10_000,
    },
}  # fmt: skip


async def run(smoke: bool, only: frozenset[str] = frozenset()) -> dict[str, Any]:
    n = SIZES[smoke]
    config = SimConfig(
        agent_seconds=0.2,
        heartbeat_every=0.05,
        no_text_rate=0.0,
        render_seconds=0.5,
        canvas_width=320,  # real renders, small: the encoder's time is not what is measured
        canvas_height=180,
        render_fps=2,
        anon_tokens_per_minute=1000,
        anonymous_credits=100_000,
        seed=7,
    )
    results: dict[str, Any] = {"machine": machine(), "smoke": smoke, "sizes": n, "section_seconds": {}}
    with tempfile.TemporaryDirectory(prefix="nemo-bench-") as tmp, Simulator(config) as sim:
        work = Path(tmp)
        sections: dict[str, Callable[[], Awaitable[dict[str, Any]]]] = {
            "sse": lambda: bench_sse(n["events"], n["sse_pairs"]),
            "overhead": lambda: bench_overhead(sim, work / "overhead", n["calls"]),
            "cold_start": lambda: bench_cold_start(sim, work / "cold", n["cold"]),
            "upload": lambda: bench_upload(sim, work / "upload", n["upload_mb"], n["upload_pairs"]),
            "export_latency": lambda: bench_export_latency(sim, work / "export", n["renders"], n["repeats"]),
            "history": lambda: bench_history(
                sim, work / "history", n["history"], n["history_pairs"], n["start_pairs"], n["memory_calls"]
            ),
        }
        for name, section in sections.items():
            if only and name not in only:
                continue
            started = time.perf_counter()
            sim.configure(render_seconds=config.render_seconds)
            results[name] = await section()
            results["section_seconds"][name] = round(time.perf_counter() - started, 1)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check that everything runs")
    parser.add_argument("--json-out", type=Path, default=HERE / "results.json")
    parser.add_argument("--only", default="", help="comma-separated sections to run (while working on one)")
    args = parser.parse_args()
    started = time.perf_counter()
    results = anyio.run(run, args.smoke, frozenset(filter(None, args.only.split(","))))
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_at_end"] = round(os.getloadavg()[0], 2)
    if not args.only:
        print(table(results))
    args.json_out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\n{results['seconds']:.0f} s; details in {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
