"""``POST /api/upload-video/nemo_agent/me/{sid}``: multipart ``files`` or JSON ``urls``.

The answer's shape follows ``upload_shape``: the documented ``data.files[]`` in full, or one of
the forms the contract allows (fields missing, camelCase, no list, the list at the top level).
"""

from __future__ import annotations

import shutil
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

import anyio.to_thread
import uuid_utils
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from .. import media
from ..config import UploadShape
from ..envelope import ApiReject, json_body, ok, session_for, user_for
from ..state import MediaFile, SimState

ACCEPTED = frozenset(
    {"mp4", "mov", "avi", "webm", "mkv", "jpg", "jpeg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac"}
)
IMAGE = frozenset({"jpg", "jpeg", "png", "gif", "webp"})
AUDIO = frozenset({"mp3", "wav", "m4a", "aac"})
MAX_FILES = 50


def _kind(name: str) -> tuple[str, str]:
    ext = PurePosixPath(name).suffix.lower().lstrip(".")
    if ext not in ACCEPTED:
        raise ApiReject(4001, f"unsupported file type .{ext[:10]}")
    return ext, "image" if ext in IMAGE else "audio" if ext in AUDIO else "video"


def _describe(name: str, kind: str, size: int, url: str, facts: media.Facts) -> dict[str, Any]:
    return {
        "filename": name,
        "file_type": kind,
        "cdn_url": url,
        "duration": facts.duration,
        "width": facts.width,
        "height": facts.height,
        "fps": facts.fps,
        "hash": uuid_utils.uuid4().hex,
        "size": size,
    }


def _keep(
    state: SimState, item: UploadFile, name: str, ext: str, kind: str
) -> tuple[dict[str, Any], MediaFile]:
    """Copy the spooled upload next to the simulator (if small enough) and read its facts."""
    item.file.seek(0, 2)
    size = item.file.tell()
    item.file.seek(0)
    if size > state.config.max_upload_bytes:
        raise ApiReject(4002, "file too large")
    key = uuid_utils.uuid4().hex
    url = f"{state.storage_origin}/media/{key}/{quote(name)}"
    path = None
    facts = media.Facts()
    if size <= state.config.keep_upload_bytes:
        folder = state.workdir / "media" / key
        folder.mkdir(parents=True)
        path = folder / f"upload.{ext}"
        with path.open("wb") as out:
            shutil.copyfileobj(item.file, out, 1024 * 1024)
        facts = media.probe(path, kind)
    return _describe(name, kind, size, url, facts), MediaFile(url, kind, name, path)


async def upload(state: SimState, request: Request) -> Response:
    session = session_for(state, user_for(state, request), request.path_params["sid"])
    described: list[tuple[dict[str, Any], MediaFile | None]] = []
    if request.headers.get("content-type", "").startswith("multipart/"):
        try:
            async with request.form(max_files=MAX_FILES) as form:
                for item in form.getlist("files"):
                    if isinstance(item, str):
                        continue
                    name = PurePosixPath((item.filename or "file").replace("\\", "/")).name[:200] or "file"
                    ext, kind = _kind(name)
                    described.append(await anyio.to_thread.run_sync(_keep, state, item, name, ext, kind))
        except ClientDisconnect:  # the client went away mid-upload (Ctrl-C in the demo): nobody to answer
            return Response(status_code=499)
    else:
        body = await json_body(request)
        urls = body.get("urls")
        urls = urls if isinstance(urls, list) else []
        for url in urls[:MAX_FILES]:
            name = PurePosixPath(urlsplit(str(url)).path).name[:200] or "remote.mp4"
            _, kind = _kind(name)
            described.append((_describe(name, kind, 0, str(url), media.Facts()), None))
    if not described:
        raise ApiReject(4001, "no files in request")
    gate = state.gate("upload")
    if gate is not None:  # a test holds uploads: the answer waits until it lets go
        gate.enter()
        await gate.released_event()
    with state.lock:
        for info, kept in described:
            session.uploads.append(info)
            if kept is not None:
                state.media[kept.url] = kept
    return shaped(state, [info for info, _ in described])


CAMEL = {"filename": "fileName", "file_type": "fileType", "cdn_url": "cdnUrl"}


def shaped(state: SimState, files: list[dict[str, Any]]) -> Response:
    """The answer in the configured ``upload_shape`` (the session keeps the full description)."""
    shape = state.config.upload_shape
    if shape is UploadShape.TOP_LEVEL:
        return ok(state, None, {"files": files})
    if shape is UploadShape.NO_FILES:
        return ok(state, {})
    if shape is UploadShape.PARTIAL:
        files = [{k: f[k] for k in ("filename", "cdn_url")} for f in files]
    elif shape is UploadShape.BARE:
        files = [{"cdn_url": f["cdn_url"]} for f in files]
    elif shape is UploadShape.CAMEL:
        files = [{CAMEL.get(k, k): v for k, v in f.items()} for f in files]
    return ok(state, {"files": files})
