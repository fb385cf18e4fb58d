"""The MCP layer: five thin tools over :class:`VideoService`, plus resources.

Only a ``ToolError``'s text reaches the client, so every :class:`NemoError` is turned into
one at this boundary, with its message and remedy.
"""

from __future__ import annotations

import inspect
import logging
import mimetypes
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resources import FileResource
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from .client import NemoClient
from .config import Settings, skill_version
from .errors import NemoError
from .outputs import CreditsOutput, ExportOutput, GenerateOutput, StatusOutput, UploadOutput
from .service import Reporter, VideoService
from .store import Store
from .timeline import read_timeline, summary

log = logging.getLogger(__name__)
ToolFn = Callable[..., Awaitable[CallToolResult]]

SERVER_NAME = "ai-video-generator-free-music"
INSTRUCTIONS = """\
Makes videos with free background music from the user's photos and clips (NemoVideo).
Typical flow: upload (local files or links) -> generate (describe the video, or an edit)
-> status (see the timeline) -> export (render and save the MP4 locally; free).
Long work continues in the background: when a tool answers "still working" with a handle,
call status (or export again) a minute later instead of repeating the request.
Never show tokens or raw API responses to the user."""

Prompt = Annotated[
    str,
    Field(
        description="What the user wants, in their words and language: e.g. 'make a 30-second 1080p video "
        "from my photos with upbeat free music', 'add the title \"Summer\"', '把背景音乐换成钢琴曲'."
    ),
]
Files = Annotated[
    list[str],
    Field(
        description="Absolute paths of local images, videos or audio files; wildcards like ~/trip/*.jpg work."
    ),
]
Urls = Annotated[list[str], Field(description="http(s) links to media the service should fetch.")]
Format = Annotated[
    Literal["mp4"], Field(description="Container format; MP4 (H.264) is what the service renders.")
]
Quality = Annotated[Literal["high", "medium", "low"], Field(description="Render quality.")]


def _reporter(ctx: Context) -> Reporter:
    """Progress for one request. MCP wants each value larger than the last, and one call may
    wait on several jobs in turn (a render at 60%, then an agent turn at its start)."""
    last = -1.0

    async def report(progress: float, total: float | None, message: str) -> None:
        nonlocal last
        if progress <= last:
            progress = last + 0.01
        last = progress
        if total is not None and progress > total:
            total = None
        try:
            await ctx.report_progress(progress, total, message)
        except (anyio.BrokenResourceError, anyio.ClosedResourceError):
            log.debug("progress not delivered: client went away")

    return report


ToolOutput = GenerateOutput | UploadOutput | StatusOutput | CreditsOutput | ExportOutput


def _result(out: ToolOutput) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=out.text())],
        structured_content=out.model_dump(mode="json"),
    )


async def _run(call: Awaitable[ToolOutput]) -> CallToolResult:
    try:
        out = await call
    except NemoError as err:
        raise ToolError(str(err)) from err
    return _result(out)


def create_server(
    settings: Settings | None = None,
    *,
    client_factory: Callable[[Settings], NemoClient] | None = None,
) -> MCPServer[VideoService]:
    """Build the MCP server. Nothing is read or opened until the server starts (lifespan)."""
    running: dict[str, VideoService] = {}
    server: MCPServer[VideoService]

    def add_video_resource(path: Path) -> None:
        uri = path.resolve().as_uri()
        server.add_resource(
            FileResource(
                uri=uri,
                name=path.name,
                title=f"Exported video {path.name}",
                description="A video exported by ai-video-generator-free-music",
                mime_type=mimetypes.guess_type(path.name)[0] or "video/mp4",
                path=path.resolve(),
            )
        )

    @asynccontextmanager
    async def lifespan(_: MCPServer[VideoService]) -> AsyncIterator[VideoService]:
        conf = settings or Settings.from_env()
        store = Store(conf.home)
        for rec in store.renders():
            if rec.local_path and Path(rec.local_path).is_file():
                add_video_resource(Path(rec.local_path))

        async def on_export(path: Path) -> None:
            add_video_resource(path)

        client = client_factory(conf) if client_factory else NemoClient(conf)
        async with client, anyio.create_task_group() as tg:
            service = VideoService(conf, client, store, tg, on_export=on_export)
            running["service"] = service
            try:
                yield service
            finally:
                running.pop("service", None)
                tg.cancel_scope.cancel()

    server = MCPServer(
        name=SERVER_NAME,
        title="AI Video Generator with Free Music",
        instructions=INSTRUCTIONS,
        version=(settings.version if settings else skill_version()),
        lifespan=lifespan,
    )

    def tool(**hints: Any) -> Callable[[ToolFn], ToolFn]:
        """Register a tool; its docstring, dedented, is the description the assistant reads."""

        def register(fn: ToolFn) -> ToolFn:
            server.add_tool(
                fn, description=inspect.cleandoc(fn.__doc__ or ""), annotations=ToolAnnotations(**hints)
            )
            return fn

        return register

    def service_of(ctx: Context) -> VideoService:
        return cast(VideoService, ctx.request_context.lifespan_context)

    @tool(
        title="Create or edit the video",
        read_only_hint=False,
        destructive_hint=True,
        idempotent_hint=False,
        open_world_hint=True,
    )
    async def generate(prompt: Prompt, ctx: Context) -> Annotated[CallToolResult, GenerateOutput]:
        """Ask the NemoVideo agent to create or edit the video: make a video from the uploaded media,
        add or change free background music, titles, cuts, length, resolution, style.

        Short requests that only mean "export", "credits", "status" or "upload" (in English or
        Chinese) run that action directly without spending credits. Each agent request costs
        credits, so never repeat one that is still running.

        A request takes 1-2 minutes. This tool waits up to its time budget (about 40 s); if the
        agent is not done it answers status="working" with a job_id and the work continues:
        call `status` a minute later to get the agent's answer. Send one request at a time.
        """
        return await _run(service_of(ctx).generate(prompt, _reporter(ctx)))

    @tool(
        title="Upload media",
        read_only_hint=False,
        destructive_hint=False,
        idempotent_hint=False,
        open_world_hint=True,
    )
    async def upload(
        ctx: Context,
        files: Files = [],  # noqa: B006 - the documented signature; never mutated
        urls: Urls = [],  # noqa: B006
    ) -> Annotated[CallToolResult, UploadOutput]:
        """Upload the user's photos, clips or music to the video project, from local paths and/or links.

        Accepted: mp4, mov, avi, webm, mkv, jpg, jpeg, png, gif, webp, mp3, wav, m4a, aac; up to
        500 MB per file (MP4, MOV, JPG and PNG work best). Use absolute paths. Files are checked
        before anything is sent. Upload first, then call `generate` to describe the video.
        """
        return await _run(service_of(ctx).upload(list(files), list(urls), _reporter(ctx)))

    @tool(
        title="Project status",
        read_only_hint=False,  # it may save a finished export to disk
        destructive_hint=False,
        idempotent_hint=True,
        open_world_hint=True,
    )
    async def status(ctx: Context) -> Annotated[CallToolResult, StatusOutput]:
        """Show the project: the timeline (tracks and clips), uploaded media, exports, and the answer
        to any request that was still running. Waits (within its time budget) for running work,
        and downloads a finished export. Call it after any tool answered "still working".
        """
        return await _run(service_of(ctx).status(_reporter(ctx)))

    @tool(
        title="Credit balance",
        read_only_hint=True,
        destructive_hint=False,
        idempotent_hint=True,
        open_world_hint=True,
    )
    async def credits(ctx: Context) -> Annotated[CallToolResult, CreditsOutput]:
        """Show the NemoVideo credit balance: available, frozen (reserved by running jobs) and total.
        Generating costs credits; exporting is free.
        """
        return await _run(service_of(ctx).credits())

    @tool(
        title="Export the video",
        read_only_hint=False,
        destructive_hint=False,
        idempotent_hint=False,
        open_world_hint=True,
    )
    async def export(
        ctx: Context, format: Format = "mp4", quality: Quality = "high"
    ) -> Annotated[CallToolResult, ExportOutput]:
        """Render the current timeline and save the MP4 on this computer (free: no credits).
        Returns the local file path and the download link.

        A render takes 30-90 s. This tool waits up to its time budget; if the render is not done it
        answers status="rendering" with a render_id and the render continues: call `export` again
        (it resumes the same render, it does not start a new one) or `status` a minute later.
        """
        return await _run(service_of(ctx).export(format, quality, _reporter(ctx)))

    @server.resource(
        "nemo://timeline",
        name="timeline",
        title="Current timeline",
        description="The project's tracks and clips as text.",
        mime_type="text/plain",
    )
    async def timeline() -> str:
        svc = running.get("service")
        if svc is None or svc.session_id is None:
            return "No project yet."
        try:
            return summary(read_timeline((await svc.client.state()).draft), "en")
        except NemoError as err:
            return f"Timeline unavailable: {err}"

    return server
