"""Async client for the NemoVideo backend: its endpoints, each parsed at the wire boundary.

The client knows no project: every session-scoped call takes the session id, and the
caller (the project owner) handles a lost session. Everything the backend sends is
untrusted: ids are escaped into URL paths, URLs are checked (and their addresses pinned)
before they are fetched, downloads have a size cap, one deadline and a minimum rate. How a
request is sent, authorised, bounded and retried is :mod:`~ai_video_music.transport`'s.
"""

from __future__ import annotations

import contextlib
import errno
import io
import logging
import mimetypes
import os
import stat
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import urljoin, urlsplit

import anyio
import anyio.lowlevel
import httpx

from .config import PRODUCTION_API_BASE, Settings
from .errors import (
    BadResponseError,
    ConnectionFailedError,
    DownloadError,
    InputError,
    NemoError,
    ServerError,
    TimeLimitError,
    Wait,
    error_for,
)
from .links import LinkPolicy, Refusal, UnsafeLinkError
from .media import MAX_FILES_PER_UPLOAD, OpenedUpload, open_upload_file
from .models import (
    ClaimGrant,
    Credits,
    RenderStatus,
    SessionInfo,
    SessionState,
    UploadedFile,
    UploadResult,
    parse,
)
from .pinning import PinError, PinFailure, Pinned
from .quota import Quota
from .sanitize import whole
from .sse import AgentEvent, ErrorEvent, EventReader
from .transport import (
    CHUNK_BYTES,
    Request,
    Sleep,
    Transport,
    backoff_sleep,
    decoded_chunks,
    origin,
    path_segment,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
SSE_LIMIT_S = 15 * 60
SSE_IDLE_S = 300.0  # heartbeats keep a live stream busy; five silent minutes means it is dead
MAX_EVENT_BYTES = 1024 * 1024
MAX_REPLY_CHARS = 20_000
MIN_DOWNLOAD_RATE = 16 * 1024  # bytes/s, averaged over RATE_WINDOW_S
RATE_WINDOW_S = 30.0  # a download below the floor for this long (a drip) is stopped
_MAX_REDIRECTS = 5


def check_media_url(url: str, links: LinkPolicy) -> str:
    """A URL the backend gave us to fetch, checked by the one link rule (:mod:`links`); anything
    else is refused before a request is made."""
    try:
        return links.check(url)
    except UnsafeLinkError:
        raise BadResponseError("error.bad_url") from None


async def pin_media_url(checked: str, links: LinkPolicy) -> Pinned:
    """Where to connect for a checked link (its name resolved once, every address judged by the
    link rule: :meth:`LinkPolicy.pin`). A name that leads to this machine or its network is a
    link we can't use; one that resolves nowhere is a storage host we can't reach."""
    try:
        return await anyio.to_thread.run_sync(links.pin, checked)
    except PinError as err:
        if err.failure is PinFailure.LOCAL:
            raise BadResponseError("error.bad_url") from None
        raise ConnectionFailedError(sent=False) from None


_STRICT = LinkPolicy(PRODUCTION_API_BASE)


def check_upload_url(url: str, links: LinkPolicy = _STRICT) -> str:
    """A web link the user asks the backend to fetch: the same rule as the backend's links (an
    https page on the public internet), so the backend can't be made to probe a private address."""
    text = url.strip()
    try:
        return links.check(text)
    except UnsafeLinkError as err:
        if err.reason is Refusal.CREDENTIALS:
            raise InputError("input.url_credentials", host=err.host) from None
        if err.reason is Refusal.LOCAL:
            raise InputError("input.url_local", host=err.host) from None
        if err.reason is Refusal.LOOKALIKE:
            raise InputError("input.url_lookalike", host=err.host) from None
        raise InputError("input.url_scheme", url=text[:200]) from None


class _CheckedReads(io.RawIOBase):
    """An opened upload, read as it was checked: exactly ``size`` bytes from its start, through
    the descriptor opened before anything was sent (a retry never reopens the path), at least
    1 MB per read (httpx's multipart encoder asks for 64 KB, which halves throughput). Its length
    comes from ``seek``/``tell``, not ``fstat``, so the declared Content-Length is the checked
    size; a file cut short says so instead of breaking the request's framing."""

    def __init__(self, fd: int, size: int, name: str) -> None:
        super().__init__()
        self._fd, self._size, self._name, self._pos = fd, size, name, 0

    def read(self, size: int = -1) -> bytes:
        left = self._size - self._pos
        if left <= 0:
            return b""
        os.lseek(self._fd, self._pos, os.SEEK_SET)
        data = os.read(self._fd, left if size < 0 else min(left, max(size, CHUNK_BYTES)))
        if not data:
            raise InputError("input.cut_short", name=self._name)
        self._pos += len(data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        self._pos = max(0, min(self._size, base + offset))
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if not self.closed:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        super().close()


class NemoClient(Transport):
    """The backend's endpoints (credits, sessions, uploads, renders, downloads, the agent) over
    :class:`~ai_video_music.transport.Transport`: one instance per server process, safe to share
    between concurrent tool calls."""

    # Hosted team mode only: the member's own quota as last read with the balance (a team
    # member's client reports the quota left as ``credits().available``); None elsewhere.
    quota: Quota | None = None

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        sleep: Sleep = backoff_sleep,
        backoff_base: float | None = None,
        sse_limit: float = SSE_LIMIT_S,
        min_rate: tuple[float, float] = (MIN_DOWNLOAD_RATE, RATE_WINDOW_S),
    ) -> None:
        super().__init__(settings, http=http, sleep=sleep, backoff_base=backoff_base)
        self.sse_limit = sse_limit
        self.links = LinkPolicy(settings.api_base)
        self.min_rate = min_rate  # a download's floor: bytes/s, over a window of seconds

    # --- endpoints ---------------------------------------------------------------------------

    async def credits(self) -> Credits:
        """Available / frozen / total credits."""
        return parse(Credits, await self._call("GET", "/api/credits/balance/simple", idempotent=True))

    async def create_session(self, language: str) -> SessionInfo:
        """Open a new agent session (one project)."""
        payload = await self._call(
            "POST",
            "/api/tasks/me/with-session/nemo_agent",
            idempotent=False,
            json={"task_name": "project", "language": language},
        )
        created = parse(SessionInfo, payload)
        log.info("opened session %s", created.session_id)
        return created

    async def claim_token(self, task_id: str | None, session_id: str) -> ClaimGrant:
        """A token that opens this project in NemoVideo's web editor (never the API token)."""
        payload = await self._call(
            "POST",
            "/api/auth/claim-token",
            idempotent=True,  # it only mints a link: asking twice is harmless
            json={"task_id": task_id, "session_id": session_id},
        )
        return parse(ClaimGrant, payload)

    async def state(self, sid: str) -> SessionState:
        """The session's latest draft."""
        path = f"/api/state/nemo_agent/me/{path_segment(sid)}/latest"
        payload = await self._call("GET", path, idempotent=True)
        if not isinstance(payload.get("state"), dict) and "draft" not in payload:
            # Reading this as "empty timeline" would tell the user their work is gone.
            raise BadResponseError("error.no_timeline")
        return parse(SessionState, payload)

    async def upload_files(self, sid: str, paths: Sequence[Path]) -> list[UploadedFile]:
        """Stream local files as multipart ``files``; every file is checked before any byte is sent."""
        if len(paths) > MAX_FILES_PER_UPLOAD:
            raise InputError("input.too_many", n=len(paths), max=MAX_FILES_PER_UPLOAD)
        opened: list[OpenedUpload] = []
        try:
            for p in paths:  # every file opened and checked before any byte is sent
                opened.append(open_upload_file(p))
            return await self._send_files(sid, opened)
        finally:
            for upload in opened:
                upload.close()

    async def upload_opened(self, sid: str, opened: Sequence[OpenedUpload]) -> list[UploadedFile]:
        """Stream files the caller already opened and checked (an upload page's spooled files);
        the caller closes them."""
        if len(opened) > MAX_FILES_PER_UPLOAD:
            raise InputError("input.too_many", n=len(opened), max=MAX_FILES_PER_UPLOAD)
        return await self._send_files(sid, list(opened))

    async def _send_files(self, sid: str, opened: list[OpenedUpload]) -> list[UploadedFile]:
        def files(stack: ExitStack) -> list[tuple[str, tuple[str, IO[bytes], str]]]:
            # Per attempt, a duplicate of each checked descriptor (closed with the attempt), read
            # in chunks by httpx: never whole in memory, never the path opened again.
            return [
                (
                    "files",
                    (
                        u.name,
                        cast(IO[bytes], stack.enter_context(_CheckedReads(os.dup(u.fd), u.size, u.name))),
                        mimetypes.guess_type(u.name)[0] or "application/octet-stream",
                    ),
                )
                for u in opened
            ]

        total = sum(u.size for u in opened)
        request = Request(
            "POST",
            f"/api/upload-video/nemo_agent/me/{path_segment(sid)}",
            idempotent=False,
            files=files,
            limit=600 + total / (256 * 1024),  # generous: a slow uplink is not a dead backend
        )
        try:
            payload = await self._exchange(request, self._json)
        except InputError:
            raise  # already says which file (cut short while it was read)
        except NemoError:
            for upload in opened:
                with contextlib.suppress(OSError):
                    if upload.current_size() != upload.size:
                        raise InputError("input.changed", name=upload.name) from None
            raise
        return self._checked_links(parse(UploadResult, payload).files)

    def _checked_links(self, files: list[UploadedFile]) -> list[UploadedFile]:
        """Media links the backend gave for uploaded files, kept only when they pass the link rule
        (they are shown to the assistant)."""
        return [
            f if f.cdn_url is None else f.model_copy(update={"cdn_url": self.links.safe(f.cdn_url)})
            for f in files
        ]

    async def upload_urls(self, sid: str, urls: Sequence[str]) -> list[UploadedFile]:
        """Hand the backend web URLs to fetch itself."""
        links = [check_upload_url(u, self.links) for u in urls]
        payload = await self._call(
            "POST",
            f"/api/upload-video/nemo_agent/me/{path_segment(sid)}",
            idempotent=False,
            json={"urls": links, "source_type": "url"},
        )
        return self._checked_links(parse(UploadResult, payload).files)

    async def start_render(
        self, sid: str, render_id: str, draft: dict[str, Any], *, fmt: str = "mp4", quality: str = "high"
    ) -> RenderStatus:
        """Submit a render of ``draft`` under our own ``render_id`` (persisted before this call)."""
        payload = await self._call(
            "POST",
            "/api/render/proxy/lambda",
            idempotent=False,
            json={
                "id": render_id,
                "sessionId": sid,
                "draft": draft,
                "output": {"format": fmt, "quality": quality},
            },
        )
        status = parse(RenderStatus, payload)
        return status if status.id else status.model_copy(update={"id": render_id})

    async def render_status(self, render_id: str) -> RenderStatus:
        """Poll one render job."""
        payload = await self._call(
            "GET", f"/api/render/proxy/lambda/{path_segment(render_id)}", idempotent=True
        )
        status = parse(RenderStatus, payload)
        # A download link that fails the link rule is dropped here, once: it is never fetched,
        # shown or let into the App's policy (the API's own download route is used instead).
        update: dict[str, Any] = {} if status.id == render_id else {"id": render_id}
        if status.output_url is not None and self.links.safe(status.output_url) is None:
            log.warning("render %s: an unusable download link was dropped", render_id)
            update["output_url"] = None
        return status.model_copy(update=update) if update else status

    async def cancel_render(self, render_id: str) -> None:
        await self._call(
            "POST", f"/api/render/proxy/lambda/{path_segment(render_id)}/cancel", idempotent=True
        )

    def fallback_download_url(self, render_id: str) -> str:
        return self.settings.api_base + f"/api/render/proxy/{path_segment(render_id)}/download"

    async def download(
        self,
        url: str,
        dest: Path,
        *,
        on_bytes: Callable[[int], None] | None = None,
        deadline: float | None = None,
        on_source: Callable[[str], None] | None = None,
    ) -> int:
        """Stream ``url`` into ``dest`` (a part file the caller owns and later renames); returns its size.
        ``on_source`` is told the URL the bytes came from (after redirects): only that one was
        verified, so only that one may be kept as the video's link.

        Bounded: a size cap (also after decompression), one overall deadline for every attempt and
        redirect (``deadline``, monotonic; default ``download_timeout`` from now) and a minimum rate
        (a drip below it for a rate window is stopped). Our Authorization goes only to the API's
        own origin: a pre-signed storage URL on another host (and every redirect) gets a bare
        request. A storage host's failure says so (it is not the user's connection).
        """
        end = time.monotonic() + self.settings.download_timeout if deadline is None else deadline
        try:
            with anyio.fail_after(max(0.0, end - time.monotonic())):
                return await self._download(url, dest, on_bytes, end, on_source)
        except TimeoutError:
            raise DownloadError("download.deadline", wait=Wait(self.settings.download_timeout)) from None

    async def _download(
        self,
        url: str,
        dest: Path,
        on_bytes: Callable[[int], None] | None,
        end: float,
        on_source: Callable[[str], None] | None,
    ) -> int:
        cap = self.settings.max_download_bytes
        for _ in range(_MAX_REDIRECTS + 1):
            target = check_media_url(url, self.links)
            location: list[str] = []

            async def save(
                response: httpx.Response, target: str = target, location: list[str] = location
            ) -> int:
                if response.is_redirect:
                    location.append(urljoin(target, response.headers.get("location", "")))
                    return 0
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cap:
                    raise DownloadError("download.too_big", mb=round(int(declared) / 1024**2))
                return await self._write(response, dest, cap, on_bytes)

            try:
                pinned = await pin_media_url(target, self.links)
                request = Request(
                    "GET",
                    pinned.url,
                    idempotent=True,
                    limit=max(0.001, end - time.monotonic()),
                    idle=self.min_rate[1],
                    accept="*/*",
                    extra_headers={"Accept-Encoding": "identity", **pinned.headers},
                    extensions=pinned.extensions,
                )
                size = await self._exchange(request, save)
            except (ConnectionFailedError, ServerError) as err:
                if origin(target) == origin(self.settings.api_base):
                    raise
                host = urlsplit(target).hostname or "?"
                if isinstance(err, ServerError):
                    status = err.status or 500
                    raise DownloadError("download.storage_error", host=host, status=status) from err
                if isinstance(err, ConnectionFailedError) and not err.sent:
                    raise DownloadError("download.storage_unreachable", host=host) from err
                raise DownloadError("download.storage_silent", host=host) from err
            if not location:
                if on_source is not None:
                    on_source(target)
                return size
            url = location[0]
        raise BadResponseError("error.redirects")

    async def _write(
        self, response: httpx.Response, dest: Path, cap: int, on_bytes: Callable[[int], None] | None
    ) -> int:
        floor, window = self.min_rate
        total = 0
        window_start, window_bytes = time.monotonic(), 0
        pending = bytearray()  # bytes gathered for one write: a thread hop per megabyte, not per read
        try:
            fd = open_part(dest)
            with os.fdopen(fd, "wb") as fh:
                try:
                    # Each read as it arrives (batch=None): the rate is checked on every read, so a
                    # drip is stopped; silence longer than the window is the idle timeout.
                    async for chunk in decoded_chunks(response, cap, batch=None):
                        pending += chunk
                        total += len(chunk)
                        window_bytes += len(chunk)
                        if len(pending) >= CHUNK_BYTES:
                            await anyio.to_thread.run_sync(fh.write, bytes(pending))
                            pending.clear()
                        if on_bytes:
                            on_bytes(total)
                        now = time.monotonic()
                        if now - window_start >= window:
                            if window_bytes / (now - window_start) < floor:
                                raise DownloadError("download.too_slow")
                            window_start, window_bytes = now, 0
                except BadResponseError as err:
                    if err.message_key == "error.too_large":
                        raise DownloadError("download.too_big", mb=round(cap / 1024**2)) from None
                    raise
                if pending:
                    await anyio.to_thread.run_sync(fh.write, bytes(pending))
                await anyio.to_thread.run_sync(fh.flush)
                await anyio.to_thread.run_sync(os.fsync, fh.fileno())
        except OSError as err:
            raise disk_error(err, dest) from None
        return total

    # --- the agent ---------------------------------------------------------------------------

    async def run_agent(
        self,
        sid: str,
        text: str,
        on_event: Callable[[AgentEvent], Awaitable[None]],
        on_accepted: Callable[[], None] | None = None,
    ) -> bool:
        """Send one message to the agent and hand each event to ``on_event`` until the stream ends.

        Returns whether the reply text was cut at its cap. Never re-sent once the backend may
        have acted on it; a rejection before any event (1001, 429, a connection that never
        opened) is sent again per :data:`RETRY`. The 15-minute limit holds even when only
        comment heartbeats arrive.
        """
        deadline = time.monotonic() + self.sse_limit
        request = Request(
            "POST",
            "/run_sse",
            idempotent=False,
            json={
                "app_name": "nemo_agent",
                "user_id": "me",
                "session_id": sid,
                "new_message": {"parts": [{"text": text}]},
            },
            limit=self.sse_limit + 60,
            idle=SSE_IDLE_S,
            accept="text/event-stream",
        )

        def tick() -> None:
            if time.monotonic() > deadline:
                raise TimeLimitError("time.agent", wait=Wait(self.sse_limit))

        async def consume(response: httpx.Response) -> bool:
            if "text/event-stream" not in response.headers.get("content-type", ""):
                await self._json(response)  # an error envelope raises here
                raise BadResponseError("error.no_stream")
            request.started = True  # the backend accepted the message: it is being acted on
            if on_accepted is not None:
                on_accepted()
            reader = EventReader(
                max_event_bytes=MAX_EVENT_BYTES, max_text_chars=MAX_REPLY_CHARS, on_chunk=tick
            )
            async for event in reader.events(decoded_chunks(response, None, batch=None)):
                if isinstance(event, ErrorEvent):
                    raise _stream_error(event)
                await on_event(event)
            return reader.stats.text_cut

        return await self._exchange(request, consume)


def open_part(path: Path) -> int:
    """A new part file of our own at ``path``, open for writing. Whatever has the name is removed
    first (an earlier attempt's part; or, in an output folder other accounts can write to, a
    link one of them planted: unlinking it never touches its target), then the file is created
    exclusively without following links, so a name planted meanwhile fails the write instead of
    redirecting it into another file; and it is checked to be a plain file of ours."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    info = os.fstat(fd)
    geteuid = getattr(os, "geteuid", None)
    if not stat.S_ISREG(info.st_mode) or (geteuid is not None and info.st_uid != geteuid()):
        os.close(fd)
        raise OSError(errno.EEXIST, "not a new file of our own", str(path))
    return fd


def disk_error(err: OSError, where: Path) -> NemoError:
    """A local write failed: say which kind, in words (a full disk is not "rendering 100%")."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return DownloadError("download.disk_full", path=str(where.parent))
    if isinstance(err, PermissionError):
        return DownloadError("download.permission", path=str(where.parent))
    return DownloadError("download.write_failed", path=str(where.parent), reason=err.strerror or str(err))


def _stream_error(event: ErrorEvent) -> NemoError:
    """An error inside a 200 stream goes through the same factory as an HTTP error."""
    err = error_for(status=200, code=whole(event.code), message=event.message)
    if err.message_key == "error.api":  # no code we know: say it came from the agent
        return BadResponseError("error.agent_error", detail=event.message)
    return err
