"""Real-time soak: minutes-long agent turn and render, driven as a host would drive them.

    .venv/bin/python bench/long_run.py [--minutes 3]

The server runs over stdio with its default 40 s budget; the client gives up on any call after
60 s, as Claude Desktop does. Every call must answer in time and the MP4 must still arrive.
The test suite runs the same scenario scaled down (tests/test_faults.py); this is the real clock.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
from mcp import Client, StdioServerParameters

from ai_video_music.simulator import SimConfig, Simulator

HOST_TIMEOUT_S = 60


async def drive(sim: Simulator, work: Path) -> dict[str, Any]:
    image = work / "photo.jpg"
    image.write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    params = StdioServerParameters(
        command=str(Path(sys.executable).with_name("ai-video-music")),
        env={
            "NEMO_API_BASE": sim.base_url,
            "NEMO_HOME": str(work / "home"),
            "NEMO_OUTPUT_DIR": str(work / "out"),
            "NEMO_POLL_INTERVAL": "10",
            "NEMO_LOG_LEVEL": "WARNING",
        },
    )
    durations: list[tuple[str, float]] = []
    async with Client(params, read_timeout_seconds=HOST_TIMEOUT_S) as client:

        async def call(tool: str, args: dict[str, Any]) -> Any:
            start = time.perf_counter()
            result = await client.call_tool(tool, args)  # raises if the host would have given up
            durations.append((tool, time.perf_counter() - start))
            print(f"  {tool:9} answered in {durations[-1][1]:5.1f} s", flush=True)
            return result.structured_content or {}

        await call("upload", {"files": [str(image)]})
        out = await call("generate", {"prompt": "make a video"})
        if out.get("status") == "working":  # the agent's answer comes through status
            while not (await call("status", {})).get("replies"):
                pass
        out = await call("export", {})
        while out.get("status") != "done":
            out = await call("export", {})
    return {"path": out["path"], "calls": len(durations), "slowest_s": max(d for _, d in durations)}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--minutes", type=float, default=3.0, help="length of the agent turn and of the render"
    )
    args = parser.parse_args()
    seconds = args.minutes * 60
    config = SimConfig(agent_seconds=seconds, heartbeat_every=5, render_seconds=seconds, no_text_rate=0)
    with tempfile.TemporaryDirectory(prefix="nemo-soak-") as tmp, Simulator(config) as sim:
        result = anyio.run(drive, sim, Path(tmp))
        ok = Path(result["path"]).read_bytes()[4:8] == b"ftyp"
    print(f"{result['calls']} calls, slowest {result['slowest_s']:.1f} s (host limit {HOST_TIMEOUT_S} s)")
    print(f"MP4 arrived and is valid: {ok}")
    return 0 if ok and result["slowest_s"] < HOST_TIMEOUT_S else 1


if __name__ == "__main__":
    sys.exit(main())
