"""A slow storage host leaves the API's own download route its share of the time (issue 17,
class 10, round 3). The host sends just above the minimum rate, so only the overall deadline
could stop it; it used to spend all of it, and the export failed without trying the API's route,
blamed on the download as a whole."""

from __future__ import annotations

import asyncio

import pytest
from mcp import Client

from .conftest import MakeServer, call, text
from .double import DRAFT, Answer, Conn, Hostile, Request, drip
from .test_items import status_is, until

pytestmark = pytest.mark.anyio


def trickle(size: int = 4 * 1024 * 1024, per_s: int = 48 * 1024) -> Answer:
    """A storage host that sends a large file steadily, above the minimum rate, far too slowly."""

    async def answer(req: Request, conn: Conn) -> None:
        await conn.head(200, [("Content-Type", "video/mp4")], size)
        for _ in range(size // (per_s // 20)):
            await conn.write(b"\0" * (per_s // 20))
            await asyncio.sleep(0.05)

    return answer


async def test_a_slow_storage_host_leaves_the_api_route_time_to_deliver(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    hostile.on("file", trickle())
    async with Client(make_server(download_timeout=2.0, min_rate=(16 * 1024, 0.5))) as client:
        await call(client, "generate", {"prompt": "new video"})
        done = await until(client, "export", lambda r: r.is_error or status_is("done")(r))
    assert status_is("done")(done), text(done)
    assert hostile.requests("file") and hostile.requests("download")


async def test_when_both_are_too_slow_the_storage_host_is_named_first(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    hostile.on("file", trickle())
    hostile.on("download", drip(hostile.video, every=0.2, content_type="video/mp4"))
    async with Client(make_server(download_timeout=1.0, min_rate=(16 * 1024, 0.5))) as client:
        await call(client, "generate", {"prompt": "new video"})
        failed = await until(client, "export", lambda r: r.is_error or status_is("done")(r))
    assert failed.is_error, text(failed)
    said = text(failed)
    assert "storage host 127.0.0.1 sent the video too slowly" in said, said
    assert "download route was tried too" in said and "didn't finish within" in said, said
