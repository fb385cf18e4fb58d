"""``ai-video-music demo``: the offline end-to-end run a newcomer tries first.

Starts the backend simulator on loopback, launches the real MCP server over stdio (as an
assistant would), and drives upload → generate → export with the user's photos (or generated
ones), ending with an MP4 of the length and frame it asked for. It reads only the ``status``
and ``path`` fields of the tools' structured output and prints their text, so it keeps working
while the tools' output grows.

The video goes to a folder of its own, named before the run starts (``demo`` in the state
folder, or ``--output``): a try-out leaves nothing among the user's real videos.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import anyio
from mcp import Client, StdioServerParameters

from .config import Settings, resolve_output_dir
from .messages import locale_language, parse_language, t

PROMPT = "Make a 12-second vertical 9:16 1080p video from these photos with upbeat free background music"
TITLE_PROMPT = 'add the title "Summer 2026"'
SECONDS, WIDTH, HEIGHT = 12, 1080, 1920  # what PROMPT asks for
DEMO_FPS = 12  # frames per second of the demo's render: smooth enough, quick on two cores
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".mp4", ".mov", ".webm", ".mkv")
MAX_PHOTOS = 12
GENERATED = ("sunrise", "beach", "forest", "city lights")
DEMO_FOLDER = "demo"  # inside the state folder (NEMO_HOME)
WORKING = ("working", "rendering", "waiting")


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


def user_photos(folder: Path) -> list[Path]:
    """The photos and clips in ``folder`` (not its subfolders), by name, at most ``MAX_PHOTOS``."""
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PHOTO_TYPES)
    if not found:
        raise ValueError(f"no photos or clips ({', '.join(PHOTO_TYPES)}) in {folder}")
    return found[:MAX_PHOTOS]


def generated_photos(folder: Path) -> list[Path]:
    """A few varied landscape pictures, drawn with Pillow: demo photos without shipping binaries."""
    from PIL import ImageDraw

    from .simulator.pictures import font, scene

    paths = []
    for name in GENERATED:
        image = scene(f"demo photo {name}", 1600, 1200)
        # In the middle, so a vertical crop keeps it.
        ImageDraw.Draw(image).text((800, 240), name.title(), font=font(72), fill=(255, 255, 255), anchor="mm")
        path = folder / f"{name.replace(' ', '-')}.jpg"
        image.save(path, quality=90)
        paths.append(path)
    return paths


def _text(result: Any) -> str:
    return "\n".join(getattr(c, "text", "") for c in result.content)


def _status(result: Any) -> str:
    return str((result.structured_content or {}).get("status") or "")


def _show(text: str, out: TextIO) -> None:
    print("  " + text.strip().replace("\n", "\n  "), file=out)


async def _drive(sim_url: str, photos: list[Path], work: Path, output: Path, bar: Bar, out: TextIO) -> Path:
    env = {
        "NEMO_API_BASE": sim_url,
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

        async def until_done(tool: str, args: dict[str, Any], again: str) -> Any:
            result = await call(tool, args)
            for _ in range(60):
                if _status(result) not in WORKING:
                    return result
                result = await call(again, {})
            raise RuntimeError(f"{tool} did not finish: {_text(result)}")

        bar.step(f"upload: {len(photos)} photo(s): {', '.join(p.name for p in photos)}")
        _show(_text(await call("upload", {"files": [str(p) for p in photos]})), out)
        bar.step(f'generate: "{PROMPT}"')
        _show(_text(await until_done("generate", {"prompt": PROMPT}, "status")), out)
        bar.step(f"generate: {TITLE_PROMPT}")
        _show(_text(await until_done("generate", {"prompt": TITLE_PROMPT}, "status")), out)
        bar.step("status: the timeline that will be rendered")
        _show(_text(await call("status", {})), out)
        bar.step("export: render and download the MP4")
        result = await until_done("export", {"format": "mp4", "quality": "high"}, "export")
        if _status(result) != "done" or not (result.structured_content or {}).get("path"):
            raise RuntimeError(f"export did not deliver a file: {_text(result)}")
        _show(_text(result), out)
        return Path(result.structured_content["path"])


def _facts(path: Path) -> str:
    import av

    with av.open(str(path)) as container:
        video = container.streams.video[0]
        seconds = (container.duration or 0) / 1_000_000
        return f"{seconds:.1f} s, {video.width}x{video.height}, {path.stat().st_size / 1e6:.1f} MB"


def demo_folder(settings: Settings) -> Path:
    """Where the demo's video goes by default: its own folder in the state folder, created
    private (not ~/Videos, where the user's real videos are)."""
    return resolve_output_dir(Settings(output_dir=settings.home / DEMO_FOLDER))


T = TypeVar("T")


async def _stopped_by_ctrl_c(run: Callable[[], Awaitable[T]]) -> T:
    """``run()``, which the first Ctrl-C stops (KeyboardInterrupt once the server and simulator
    are shut down) and a second one leaves at once. asyncio's own Ctrl-C handling cancels the task
    once, and a cancellation that lands inside one of the MCP client's own cancel scopes could be
    absorbed there: the demo then ran on to the end. anyio's cancellation of an enclosing scope is
    delivered again at every await until the scope is left."""
    loop = asyncio.get_running_loop()
    interrupted = False

    def on_ctrl_c() -> None:
        nonlocal interrupted
        if interrupted:
            raise KeyboardInterrupt
        interrupted = True
        scope.cancel()

    with anyio.CancelScope() as scope:
        try:
            loop.add_signal_handler(signal.SIGINT, on_ctrl_c)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            return await run()
        try:
            return await run()
        except Exception:
            if interrupted:  # what the cancellation broke on its way out
                raise KeyboardInterrupt from None
            raise
        finally:
            loop.remove_signal_handler(signal.SIGINT)
    raise KeyboardInterrupt  # the scope absorbed its own cancellation: Ctrl-C


def run_demo(
    output: Path | None = None, photos: Path | None = None, out: TextIO = sys.stderr, fps: int = DEMO_FPS
) -> Path:
    """Run the demo with the photos in ``photos`` (else generated ones); returns the MP4's path.
    ``fps``: frames per second of the simulated render (fewer render faster; length and frame stay)."""
    try:
        from .simulator import SimConfig, Simulator
    except ImportError as err:
        raise RuntimeError(str(err)) from err
    folder = output or demo_folder(Settings.from_env())
    chosen = user_photos(photos) if photos is not None else None
    bar = Bar(out)
    lang = parse_language(os.environ.get("NEMO_LANGUAGE")) or locale_language(os.environ)
    bar.step(t("demo.folder", lang, folder=str(folder)))
    config = SimConfig(
        agent_seconds=1.0,
        heartbeat_every=0.25,
        no_text_rate=0.0,
        render_seconds=2.0,
        render_fps=fps,
        seed=1,
    )
    with tempfile.TemporaryDirectory(prefix="nemo-demo-") as tmp, Simulator(config) as sim:
        bar.step(f"Started the offline NemoVideo simulator at {sim.base_url}")
        work = Path(tmp)
        if chosen is None:
            (work / "photos").mkdir()
            chosen = generated_photos(work / "photos")
        photos_ = chosen
        path = anyio.run(_stopped_by_ctrl_c, lambda: _drive(sim.base_url, photos_, work, folder, bar, out))
    bar.step(f"Done. Your video: {path} ({_facts(path)})")
    return path
