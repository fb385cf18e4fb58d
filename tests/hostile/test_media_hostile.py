"""Hostile media, links, downloads and uploads against the raw double: a hostile MP4 from the
backend, links to this machine, unreachable storage, drips, and files swapped or cut mid-upload."""

from __future__ import annotations

import dataclasses
import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path

import anyio.lowlevel
import pytest
from mcp import Client

from ai_video_music import errors
from ai_video_music.client import NemoClient
from ai_video_music.config import Settings

from .conftest import MakeServer, call, text
from .double import DRAFT, Hostile, drip, fail, json_reply, ok
from .test_items import status_is, until

pytestmark = pytest.mark.anyio

APP = "ui://ai-video-generator-free-music/player.html"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def completed(url: str) -> object:
    return json_reply({"data": {"status": "completed", "progress": 100, "outputUrl": url}})


@pytest.fixture
def video_swap(hostile: Hostile) -> Iterator[None]:
    original = hostile.video
    yield
    hostile.video = original


# --- hostile MP4 -------------------------------------------------------------------------------------


def _nested(depth: int) -> bytes:
    inner = struct.pack(">I4s", 8, b"mdat")
    for _ in range(depth):
        inner = struct.pack(">I4s", 8 + len(inner), b"trak") + inner
    return inner


@pytest.mark.parametrize("kind", ["deep nesting", "millions of boxes"])
async def test_a_hostile_mp4_from_the_backend_is_refused_and_the_server_stays_small(
    make_server: MakeServer, hostile: Hostile, video_swap: None, kind: str
) -> None:
    ftyp = struct.pack(">I4s", 20, b"ftyp") + b"isom\0\0\2\0isom"
    body = _nested(5000) if kind == "deep nesting" else struct.pack(">I4s", 8, b"free") * 1_000_000
    hostile.video = ftyp + struct.pack(">I4s", 8 + len(body), b"moov") + body + b"\0" * 1_000_000
    hostile.draft = DRAFT
    before = rss_mb()
    async with Client(make_server()) as client:
        await call(client, "generate", {"prompt": "new video"})
        result = await until(client, "export", lambda r: r.is_error or status_is("done")(r))
    assert result.is_error and "not a video" in text(result), text(result)
    # The server's own growth: this worker's absolute size depends on the tests it ran before. The
    # 300 MB bound on what reads the file is the capped child's (tests/test_videocheck.py).
    assert rss_mb() - before < 50


# --- links and the App's policy ------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "https://10.0.0.1/v.mp4",  # the LAN (a loopback backend allows loopback only)
        "https://169.254.169.254/latest/meta-data/",
        "https://*.evil.example/v.mp4",
        "javascript:alert(1)",
        "https://xn--nemovido-k2a.ai/v.mp4",
    ],
)
async def test_a_hostile_download_link_is_never_fetched_shown_or_allowed_in_the_app(
    make_server: MakeServer, hostile: Hostile, link: str
) -> None:
    hostile.draft = DRAFT
    hostile.on("render_poll", completed(link))
    async with Client(make_server()) as client:
        await call(client, "generate", {"prompt": "new video"})
        done = await until(client, "export", status_is("done"))
        app = await client.read_resource(APP)
    assert hostile.requests("download") and not hostile.requests("file")  # the API's own route
    shown = text(done) + json.dumps(done.structured_content)
    assert link not in shown
    domains = (app.contents[0].meta or {}).get("ui", {}).get("csp", {}).get("resourceDomains", [])
    assert all("*" not in d and "169.254" not in d and "ffff" not in d and "xn--" not in d for d in domains)


async def test_the_app_allows_exactly_the_origin_of_a_verified_export(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    async with Client(make_server()) as client:
        before = await client.read_resource(APP)
        await call(client, "generate", {"prompt": "new video"})
        await until(client, "export", status_is("done"))
        after = await client.read_resource(APP)

    def domains(read: object) -> list[str]:
        meta = read.contents[0].meta or {}  # type: ignore[attr-defined]
        return list(meta.get("ui", {}).get("csp", {}).get("resourceDomains", []))

    assert hostile.base_url not in domains(before)
    assert hostile.base_url in domains(after)


# --- downloads -------------------------------------------------------------------------------------


async def test_an_unreachable_storage_host_falls_back_to_the_api_route(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    hostile.on("render_poll", completed("http://127.0.0.1:1/v.mp4"))  # nothing listens there
    async with Client(make_server()) as client:
        await call(client, "generate", {"prompt": "new video"})
        done = await until(client, "export", status_is("done"))
    assert Path(done.structured_content["path"]).read_bytes() == hostile.video  # type: ignore[index]
    assert hostile.requests("download")


async def test_when_storage_and_the_api_route_both_fail_the_storage_host_is_named(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    hostile.on("render_poll", completed("http://127.0.0.1:1/v.mp4"))
    hostile.on("download", fail(5000, "storage backend down", status=502))
    async with Client(make_server()) as client:
        await call(client, "generate", {"prompt": "new video"})
        result = await until(client, "export", lambda r: r.is_error)
    said = text(result)
    assert "storage host 127.0.0.1 couldn't be reached" in said and "own download route" in said, said
    assert "internet connection" not in said


async def test_a_drip_below_the_minimum_rate_is_stopped_in_words(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.draft = DRAFT
    hostile.on("file", drip(hostile.video, every=0.05, content_type="video/mp4"))
    hostile.on("download", drip(hostile.video, every=0.05, content_type="video/mp4"))
    async with Client(make_server(min_rate=(1000.0, 0.3))) as client:
        await call(client, "generate", {"prompt": "new video"})
        result = await until(client, "export", lambda r: r.is_error or status_is("done")(r))
    assert result.is_error and "below the minimum speed" in text(result), text(result)


# --- uploads -----------------------------------------------------------------------------------------


async def test_a_file_swapped_for_a_link_during_a_429_wait_is_never_read_through_the_link(
    hsettings: Settings, hostile: Hostile, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"ORIGINAL" * 100)
    key = tmp_path / "id_rsa.jpg"
    key.write_bytes(b"\xff\xd8\xff-----BEGIN OPENSSH PRIVATE KEY-----SECRET")
    hostile.on("upload", fail(429, "slow down", status=429, headers=[("Retry-After", "1")]), times=1)

    async def swap_while_waiting(seconds: float) -> None:
        photo.unlink()
        photo.symlink_to(key)
        await anyio.lowlevel.checkpoint()

    async with NemoClient(hsettings, sleep=swap_while_waiting) as client:
        files = await client.upload_files("s1", [photo])
    assert files
    sent = [r.body for r in hostile.requests("upload")]
    assert len(sent) == 2
    assert b"ORIGINAL" in sent[-1] and b"PRIVATE KEY" not in sent[-1]


async def test_a_file_cut_short_during_a_429_wait_is_said_not_a_protocol_error(
    hsettings: Settings, hostile: Hostile, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0\0\0\x18ftypmp42" + b"\0" * (3 * 1024**2))
    hostile.on("upload", fail(429, "slow down", status=429, headers=[("Retry-After", "1")]), times=1)

    async def cut_while_waiting(seconds: float) -> None:
        os.truncate(clip, 1024)
        await anyio.lowlevel.checkpoint()

    async with NemoClient(hsettings, sleep=cut_while_waiting) as client:
        with pytest.raises(errors.InputError) as info:
            await client.upload_files("s1", [clip])
    assert "clip.mp4 got shorter while it was being uploaded" in str(info.value)
    assert "LocalProtocol" not in str(info.value) and "request couldn't be sent" not in str(info.value)


async def test_a_fifo_is_refused_at_once_not_waited_on(hsettings: Settings, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    async with NemoClient(hsettings) as client:
        with anyio.fail_after(5), pytest.raises(errors.InputError) as info:
            await client.upload_files("s1", [fifo])
    assert "isn't a regular file" in str(info.value)


async def test_media_links_from_an_upload_answer_are_checked(
    hsettings: Settings, hostile: Hostile, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    files = [{"filename": "photo.jpg", "file_type": "image", "cdn_url": "javascript:alert(1)"}]
    hostile.on("upload", ok({"files": files}))
    conf = dataclasses.replace(hsettings)
    async with NemoClient(conf) as client:
        uploaded = await client.upload_files("s1", [photo])
    assert [f.cdn_url for f in uploaded] == [None]
