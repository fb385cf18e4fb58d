"""The storage host (another origin, like a pre-signed S3 URL): rendered files and uploaded media.

It refuses requests that carry ``Authorization``, as S3 does for a pre-signed URL.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from ..state import SimState

_XML = "application/xml"


def _refused(request: Request) -> Response | None:
    if "authorization" in request.headers:
        return Response("<Error><Code>InvalidArgument</Code></Error>", 400, media_type=_XML)
    return None


async def storage(state: SimState, request: Request) -> Response:
    if (refused := _refused(request)) is not None:
        return refused
    with state.lock:
        job = state.renders.get(request.path_params["name"].removesuffix(".mp4"))
    if job is None or job.status != "completed" or job.path is None:
        return Response("<Error><Code>NoSuchKey</Code></Error>", 404, media_type=_XML)
    mp4 = await anyio.to_thread.run_sync(job.path.read_bytes)
    fault = state.faults.take("storage", {"drop", "slow"})
    if fault is not None:
        body = _truncated(mp4) if fault.kind == "drop" else _trickle(mp4, seconds=6.0)
        return StreamingResponse(body, media_type="video/mp4", headers={"Content-Length": str(len(mp4))})
    return _ranged(request, mp4)


def _ranged(request: Request, data: bytes) -> Response:
    """The whole file, or the one byte range asked for (as S3 answers ``Range: bytes=a-b``)."""
    asked = re.fullmatch(r"bytes=(\d+)-(\d*)", request.headers.get("range", ""))
    if asked is None:
        return Response(data, media_type="video/mp4", headers={"Accept-Ranges": "bytes"})
    start = int(asked.group(1))
    end = min(len(data) - 1, int(asked.group(2))) if asked.group(2) else len(data) - 1
    if start >= len(data) or end < start:
        return Response(b"", 416, headers={"Content-Range": f"bytes */{len(data)}"})
    return Response(
        data[start : end + 1],
        206,
        media_type="video/mp4",
        headers={"Content-Range": f"bytes {start}-{end}/{len(data)}", "Accept-Ranges": "bytes"},
    )


async def media(state: SimState, request: Request) -> Response:
    """An uploaded file, as the service's CDN would serve it."""
    if (refused := _refused(request)) is not None:
        return refused
    key = f"/media/{request.path_params['key']}/"
    with state.lock:
        found = next((m for m in state.media.values() if key in m.url and m.path is not None), None)
    if found is None or found.path is None or not found.path.is_file():
        return Response("<Error><Code>NoSuchKey</Code></Error>", 404, media_type=_XML)
    return FileResponse(found.path)


async def _trickle(data: bytes, seconds: float) -> AsyncIterator[bytes]:
    """Serve ``data`` slowly, so a test can interrupt a download half-way."""
    pieces = 20
    step = len(data) // pieces + 1
    for i in range(0, len(data), step):
        yield data[i : i + step]
        await asyncio.sleep(seconds / pieces)


async def _truncated(data: bytes) -> AsyncIterator[bytes]:
    yield data[: len(data) // 2]
    raise ConnectionResetError("storage dropped the connection")
