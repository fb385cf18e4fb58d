"""Benchmarks, side by side in one run against the simulator on loopback.

    .venv/bin/python bench/run.py            # full run (several minutes), writes bench/results.json
    .venv/bin/python bench/run.py --smoke    # tiny sizes: checks that every benchmark runs

1. tool-call overhead: ``credits`` through the MCP server over stdio vs a raw httpx GET;
2. cold start: spawn to ``tools/list`` answered, vs a bare MCPServer with five empty tools;
3. upload of a 500 MB file through ``upload`` vs ``curl -F``, and the server's peak RSS;
4. a 100k-event SSE stream through ``generate``: events/s, and the server's RSS over time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client, StdioServerParameters

from ai_video_music.simulator import SimConfig, Simulator
from ai_video_music.store import Store

HERE = Path(__file__).resolve().parent
SCRIPT = Path(sys.executable).with_name("ai-video-music")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    """Resident memory of a process from /proc (Linux), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not found for pid {pid}")


class Server:
    """Our console script over stdio, with its pid known (through a tiny shell wrapper)."""

    def __init__(self, sim: Simulator, work: Path, **env: str) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self.pidfile = work / f"pid-{time.monotonic_ns()}"
        self.params = StdioServerParameters(
            command="/bin/sh",
            args=["-c", f'echo $$ > "{self.pidfile}"; exec "{SCRIPT}"'],
            env={
                "NEMO_API_BASE": sim.base_url,
                "NEMO_HOME": str(work / "home"),
                "NEMO_OUTPUT_DIR": str(work / "out"),
                "NEMO_LOG_LEVEL": "WARNING",
                "HOME": str(work),
                **env,
            },
        )

    @property
    def pid(self) -> int:
        return int(self.pidfile.read_text(encoding="utf-8"))


async def timed(fn: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await fn()
    return time.perf_counter() - start


# --- 1. tool-call overhead -----------------------------------------------------------------------


async def bench_overhead(sim: Simulator, work: Path, calls: int) -> dict[str, Any]:
    server = Server(sim, work)
    async with Client(server.params) as client:
        await client.call_tool("credits", {})  # token, session: out of the measurement
        mcp_times = [await timed(lambda: client.call_tool("credits", {})) for _ in range(calls)]
    token = json.loads((work / "home" / "token.json").read_text(encoding="utf-8"))["token"]
    headers = {"Authorization": f"Bearer {token}", "X-Skill-Source": "bench"}
    async with httpx.AsyncClient(base_url=sim.base_url, headers=headers) as http:
        await http.get("/api/credits/balance/simple")
        raw_times = [await timed(lambda: http.get("/api/credits/balance/simple")) for _ in range(calls)]
    mcp_med, raw_med = statistics.median(mcp_times), statistics.median(raw_times)
    return {
        "calls": calls,
        "mcp_median_ms": mcp_med * 1000,
        "mcp_p95_ms": pct(mcp_times, 0.95) * 1000,
        "raw_median_ms": raw_med * 1000,
        "raw_p95_ms": pct(raw_times, 0.95) * 1000,
        "ratio_median": mcp_med / raw_med,
        "overhead_median_ms": (mcp_med - raw_med) * 1000,
    }


# --- 2. cold start --------------------------------------------------------------------------------


async def _spawn_to_list(params: StdioServerParameters) -> float:
    start = time.perf_counter()
    async with Client(params) as client:
        tools = await client.list_tools()
        elapsed = time.perf_counter() - start
    assert len(tools.tools) == 5
    return elapsed


async def bench_cold_start(sim: Simulator, work: Path, runs: int) -> dict[str, Any]:
    ours, bare = [], []
    bare_params = StdioServerParameters(command=sys.executable, args=[str(HERE / "bare_server.py")])
    for i in range(runs):  # interleaved, so drift hits both alike
        ours.append(await _spawn_to_list(Server(sim, work / f"cold{i}").params))
        bare.append(await _spawn_to_list(bare_params))
    return {
        "runs": runs,
        "ours_median_ms": statistics.median(ours) * 1000,
        "bare_median_ms": statistics.median(bare) * 1000,
        "ratio_median": statistics.median(ours) / statistics.median(bare),
    }


# --- 3. upload ---------------------------------------------------------------------------------------


async def bench_upload(sim: Simulator, work: Path, size_mb: int, rounds: int) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    big, small = work / "big.mp4", work / "small.mp4"
    with big.open("wb") as fh:
        fh.truncate(size_mb * 1024 * 1024)
    small.write_bytes(b"\0" * 1024)
    server = Server(sim, work)
    curl = shutil.which("curl")
    tool_times: list[float] = []
    curl_times: list[float] = []
    async with Client(server.params) as client:
        await client.call_tool("upload", {"files": [str(small)]})  # token and session first
        idle_kb = rss_kb(server.pid)
        token = json.loads((work / "home" / "token.json").read_text(encoding="utf-8"))["token"]
        url = f"{sim.base_url}/api/upload-video/nemo_agent/me/{Store(work / 'home').get('session_id')}"
        for _ in range(rounds):  # interleaved, so page cache and writeback hit both alike
            tool_times.append(await timed(lambda: client.call_tool("upload", {"files": [str(big)]})))
            if curl:
                args = [curl, "-sS", "-o", os.devnull, "-H", f"Authorization: Bearer {token}"]
                args += ["-F", f"files=@{big};type=video/mp4", url]
                with anyio.fail_after(900):
                    curl_times.append(await timed(lambda a=args: anyio.run_process(a)))  # type: ignore[misc]
        peak_kb = rss_kb(server.pid, "VmHWM")
    big.unlink()
    tool_s = statistics.median(tool_times)
    curl_s = statistics.median(curl_times) if curl_times else None
    return {
        "size_mb": size_mb,
        "rounds": rounds,
        "tool_s": tool_s,
        "tool_mb_s": size_mb / tool_s,
        "curl_s": curl_s,
        "curl_mb_s": size_mb / curl_s if curl_s else None,
        "throughput_ratio": curl_s / tool_s if curl_s else None,
        "server_idle_rss_mb": idle_kb / 1024,
        "server_peak_rss_mb": peak_kb / 1024,
        "server_peak_above_idle_mb": (peak_kb - idle_kb) / 1024,
    }


# --- 4. a long SSE stream ------------------------------------------------------------------------------


async def bench_sse(sim: Simulator, work: Path, events: int) -> dict[str, Any]:
    sim.state.config.burst_events = events
    sim.state.config.agent_seconds = 0
    sim.state.next_no_text = False
    server = Server(sim, work, NEMO_TOOL_BUDGET="900")
    samples: list[tuple[float, float]] = []
    async with Client(server.params) as client:
        await client.call_tool("credits", {})
        pid = server.pid
        done = anyio.Event()

        async def sample() -> None:
            start = time.perf_counter()
            while not done.is_set():
                samples.append((time.perf_counter() - start, rss_kb(pid) / 1024))
                await anyio.sleep(0.05)

        async with anyio.create_task_group() as tg:
            tg.start_soon(sample)
            start = time.perf_counter()
            result = await client.call_tool("generate", {"prompt": "make a video"})
            elapsed = time.perf_counter() - start
            done.set()
    sim.state.config.burst_events = 0
    assert not result.is_error
    rss = [mb for _, mb in samples] or [0.0]
    quarter = max(1, len(rss) // 4)
    return {
        "events": events,
        "seconds": elapsed,
        "events_per_s": events / elapsed,
        "rss_first_quarter_mb": max(rss[:quarter]),
        "rss_last_quarter_mb": max(rss[-quarter:]),
        "rss_growth_mb": max(rss[-quarter:]) - max(rss[:quarter]),
    }


# --- report --------------------------------------------------------------------------------------------


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
    }


def table(results: dict[str, Any]) -> str:
    o, c, u, s = results["overhead"], results["cold_start"], results["upload"], results["sse"]
    ratio = f"{u['throughput_ratio']:.2f}" if u["throughput_ratio"] else "n/a"
    curl = f"{u['curl_mb_s']:.0f} MB/s" if u["curl_mb_s"] else "curl missing"
    rows = [
        ("benchmark", "ours", "baseline", "result", "target"),
        ("credits call, median", f"{o['mcp_median_ms']:.2f} ms", f"{o['raw_median_ms']:.2f} ms",
         f"+{o['overhead_median_ms']:.2f} ms (x{o['ratio_median']:.2f})", "<= 1.2x + few ms"),
        ("credits call, p95", f"{o['mcp_p95_ms']:.2f} ms", f"{o['raw_p95_ms']:.2f} ms", "", ""),
        ("cold start to tools/list", f"{c['ours_median_ms']:.0f} ms", f"{c['bare_median_ms']:.0f} ms",
         f"x{c['ratio_median']:.2f}", "<= 1.3x"),
        (f"upload {u['size_mb']} MB", f"{u['tool_mb_s']:.0f} MB/s", curl, f"ratio {ratio}", ">= 0.8"),
        ("server peak RSS in upload", f"+{u['server_peak_above_idle_mb']:.1f} MB", "", "above idle",
         "< 64 MB"),
        (f"SSE {s['events']} events", f"{s['events_per_s']:.0f} ev/s", "",
         f"RSS {s['rss_first_quarter_mb']:.0f}->{s['rss_last_quarter_mb']:.0f} MB", "flat"),
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)) for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


async def run(smoke: bool) -> dict[str, Any]:
    sizes = {"calls": 20, "runs": 2, "upload_mb": 5, "rounds": 1, "events": 2000} if smoke else {
        "calls": 200, "runs": 7, "upload_mb": 500, "rounds": 3, "events": 100_000,
    }  # fmt: skip
    config = SimConfig(agent_seconds=0.0, no_text_rate=0.0, render_seconds=1.0, anon_tokens_per_minute=1000)
    with tempfile.TemporaryDirectory(prefix="nemo-bench-") as tmp, Simulator(config) as sim:
        work = Path(tmp)
        results: dict[str, Any] = {"machine": machine(), "smoke": smoke}
        results["overhead"] = await bench_overhead(sim, work / "overhead", sizes["calls"])
        results["cold_start"] = await bench_cold_start(sim, work / "cold", sizes["runs"])
        results["upload"] = await bench_upload(sim, work / "upload", sizes["upload_mb"], sizes["rounds"])
        results["sse"] = await bench_sse(sim, work / "sse", sizes["events"])
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check that everything runs")
    parser.add_argument("--json-out", type=Path, default=HERE / "results.json")
    args = parser.parse_args()
    results = anyio.run(run, args.smoke)
    print(table(results))
    print(json.dumps(results, indent=2))
    args.json_out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
