"""``ai-video-music demo``: the offline end-to-end run a newcomer tries first.

Starts the backend simulator on loopback, launches the real MCP server over stdio (as an
assistant would), and drives upload → generate → export, ending with a playable MP4.
"""

from __future__ import annotations

import os
import struct
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any, TextIO

import anyio
from mcp import Client, StdioServerParameters

from .config import Settings, resolve_output_dir
from .simulator import SimConfig, Simulator

PHOTOS = (("sunrise", (250, 170, 80)), ("beach", (60, 160, 220)), ("forest", (40, 140, 70)))


def solid_png(rgb: tuple[int, int, int], width: int = 64, height: int = 36) -> bytes:
    """A valid PNG of one colour: demo photos without shipping binary files."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


class Bar:
    """A one-line progress bar on stderr."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def step(self, label: str) -> None:
        self.out.write(f"\n▶ {label}\n")
        self.out.flush()

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        if total:
            filled = int(30 * min(progress, total) / total)
            bar = "█" * filled + "░" * (30 - filled)
            self.out.write(f"\r  [{bar}] {progress / total:4.0%} {message or ''}"[:100].ljust(100))
        else:
            self.out.write(f"\r  … {message or 'working'}"[:100].ljust(100))
        self.out.flush()


def _text(result: Any) -> str:
    return "\n".join(getattr(c, "text", "") for c in result.content)


def _show(text: str, out: TextIO) -> None:
    print("  " + text.strip().replace("\n", "\n  "), file=out)


async def _drive(sim: Simulator, work: Path, output: Path, bar: Bar, out: TextIO) -> Path:
    photos = []
    for name, rgb in PHOTOS:
        path = work / f"{name}.png"
        path.write_bytes(solid_png(rgb))
        photos.append(str(path))
    env = {
        "NEMO_API_BASE": sim.base_url,
        "NEMO_HOME": str(work / "state"),
        "NEMO_OUTPUT_DIR": str(output),
        "NEMO_POLL_INTERVAL": "1",
        "NEMO_LOG_LEVEL": "WARNING",  # keep the server's stderr from drawing over the progress bar
        "PATH": os.environ.get("PATH", ""),
    }
    params = StdioServerParameters(command=sys.executable, args=["-m", "ai_video_music"], env=env)
    async with Client(params) as client:
        tools = [t.name for t in (await client.list_tools()).tools]
        bar.step(f"Connected to the MCP server over stdio; tools: {', '.join(tools)}")

        async def call(tool: str, args: dict[str, Any]) -> Any:
            result = await client.call_tool(tool, args, progress_callback=bar)
            out.write("\n")
            if result.is_error:
                raise RuntimeError(f"{tool} failed: {_text(result)}")
            return result

        bar.step("upload: three holiday photos")
        _show(_text(await call("upload", {"files": photos})), out)
        prompt = "Make a 12-second 1080p video from these photos with upbeat free background music"
        bar.step(f'generate: "{prompt}"')
        result = await call("generate", {"prompt": prompt})
        while (result.structured_content or {}).get("status") == "working":
            result = await call("status", {})
        _show(_text(result), out)
        bar.step("generate: add a title")
        _show(_text(await call("generate", {"prompt": 'add the title "Summer 2026"'})), out)
        bar.step("status: the timeline that will be rendered")
        _show((await call("status", {})).structured_content["timeline"], out)
        bar.step("export: render and download the MP4")
        result = await call("export", {"format": "mp4", "quality": "high"})
        while (result.structured_content or {}).get("status") != "done":
            result = await call("export", {})
        return Path(result.structured_content["path"])


def run_demo(output: Path | None = None, out: TextIO = sys.stderr) -> Path:
    """Run the demo; returns the MP4's path."""
    folder = output or resolve_output_dir(Settings.from_env())
    bar = Bar(out)
    config = SimConfig(agent_seconds=2.0, heartbeat_every=0.5, no_text_rate=0.0, render_seconds=4.0, seed=1)
    with tempfile.TemporaryDirectory(prefix="nemo-demo-") as tmp, Simulator(config) as sim:
        bar.step(f"Started the offline NemoVideo simulator at {sim.base_url}")
        path = anyio.run(_drive, sim, Path(tmp), folder, bar, out)
    bar.step(f"Done. Your video: {path}")
    return path
