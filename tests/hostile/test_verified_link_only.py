"""The export's link, the video the App plays and the App's CSP name only where the verified
bytes came from (attack19 L1): a render link that served something else, or was never reached,
is forgotten once the video was got from the API's own download route."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from ai_video_music.app import APP_URI
from tests.hostile.conftest import MakeServer, call, text
from tests.hostile.double import DRAFT, Conn, Hostile, Request, json_reply, reply
from tests.hostile.test_items import status_is, until

pytestmark = pytest.mark.anyio

UNREACHED = "https://storage-never-reached.example/v.mp4"  # .example never resolves


def poll_with(url: str) -> Any:
    async def answer(req: Request, conn: Conn) -> None:
        rid = req.params.get("id", "")
        data = {"id": rid, "status": "completed", "progress": 100, "outputUrl": url}
        await json_reply({"success": True, "data": data})(req, conn)

    return answer


async def export_and_csp(make_server: MakeServer) -> tuple[dict[str, Any], list[str]]:
    async with Client(make_server()) as client:
        await call(client, "generate", {"prompt": "new video"})
        done = await until(client, "export", lambda r: r.is_error or status_is("done")(r))
        assert status_is("done")(done), text(done)
        contents = (await client.read_resource(APP_URI)).contents
        ui = (contents[0].meta or {}).get("ui", {})
        return done.structured_content or {}, (ui.get("csp") or {}).get("resourceDomains") or []


async def test_a_render_link_that_served_a_page_is_not_the_videos_link(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    page = b"<html><body>not a video</body></html>" * 40
    hostile.on("file", reply(page, content_type="text/html"))
    out, csp = await export_and_csp(make_server)
    assert hostile.requests("download"), "the video came from the API's own route"
    assert out["path"]
    assert out.get("url") is None
    assert not any("127.0.0.1" in o for o in csp), csp


async def test_a_render_link_never_reached_stays_out_of_the_apps_policy(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    hostile.on("render_poll", poll_with(UNREACHED))
    out, csp = await export_and_csp(make_server)
    assert hostile.requests("download"), "the video came from the API's own route"
    assert out.get("url") is None
    assert "https://storage-never-reached.example" not in csp


async def test_a_render_link_that_served_the_video_stays_its_link(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    out, _ = await export_and_csp(make_server)
    assert not hostile.requests("download")
    assert "/files/" in (out.get("url") or "")
