"""Async client for the NemoVideo backend: auth, attribution headers, errors, limits, retries.

The client knows no project: every session-scoped call takes the session id, and the
caller (the project owner) handles a lost session. Everything the backend sends is
untrusted: bodies are capped after decompression, ids are escaped into URL paths, URLs are
checked before they are fetched, and every request is bounded in time by the tool's budget
(:mod:`budget`) or by its own limit in a background job.

What may be sent again, and when, is one table (:data:`RETRY`), applied by one loop
(:meth:`NemoClient._exchange`). Credits are money, so a request the backend may have acted on
(an agent message, an upload, a render start) is never re-sent.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import io
import logging
import mimetypes
import os
import random
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import quote, urljoin, urlsplit

import anyio
import anyio.lowlevel
import httpx
import uuid_utils

from . import budget
from .config import PRODUCTION_API_BASE, SKILL_SOURCE, Settings
from .errors import (
    ApiTimeoutError,
    BadResponseError,
    Caller,
    ConnectionFailedError,
    DownloadError,
    InputError,
    MissingClientIdError,
    NemoError,
    RateLimitedError,
    ServerError,
    TimeLimitError,
    TokenInvalidError,
    Wait,
    error_for,
)
from .links import LinkPolicy, Refusal, UnsafeLinkError
from .media import MAX_FILES_PER_UPLOAD, OpenedUpload, open_upload_file
from .models import (
    ClaimGrant,
    Credits,
    DecodedBodies,
    RenderStatus,
    SessionInfo,
    SessionState,
    TokenGrant,
    UploadedFile,
    UploadResult,
    decode_body,
    parse,
    unwrap,
)
from .pinning import PinError, PinFailure, Pinned
from .quota import Quota
from .redact import remember_secret
from .sanitize import whole
from .sse import AgentEvent, ErrorEvent, EventReader
from .tls import shared_context
from .tokens import TokenCache, TokenRecord

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

_testing = False


def set_testing(on: bool) -> None:
    """In a test suite: re-send at once instead of waiting out a backoff or a Retry-After (as
    stamina's ``set_testing``). Only the default wait is skipped: a ``sleep`` passed to
    :class:`NemoClient` still receives every delay, so tests of the delays see them."""
    global _testing  # one switch for the process, set once by the test harness
    _testing = on


async def _wait(seconds: float) -> None:
    """The default ``sleep``: a real wait, or only a checkpoint under :func:`set_testing`."""
    if _testing:
        await anyio.lowlevel.checkpoint()
    else:
        await anyio.sleep(seconds)


FilesFactory = Callable[[ExitStack], list[tuple[str, tuple[str, IO[bytes], str]]]]

SSE_LIMIT_S = 15 * 60
SSE_IDLE_S = 300.0  # heartbeats keep a live stream busy; five silent minutes means it is dead
DEFAULT_RATE_LIMIT_WAIT_S = 30.0
MAX_BACKGROUND_WAIT_S = 15 * 60  # a longer Retry-After is reported, not waited out
MAX_BODY_BYTES = 8 * 1024 * 1024  # a JSON answer, after decompression
INLINE_DECODE_BYTES = 32 * 1024  # larger answers (a few hundred clips) are parsed in a worker thread
MAX_EVENT_BYTES = 1024 * 1024
MAX_REPLY_CHARS = 20_000
MIN_DOWNLOAD_RATE = 16 * 1024  # bytes/s, averaged over RATE_WINDOW_S
RATE_WINDOW_S = 30.0  # a download below the floor for this long (a drip) is stopped
_CHUNK = 1024 * 1024
_MAX_REDIRECTS = 5


class Failure(enum.Enum):
    """Why an attempt failed, as far as re-sending is concerned."""

    NOT_SENT = "the connection never opened"
    LOST = "the connection broke or went silent after the request was sent"
    SERVER = "the backend answered 5xx"
    TOKEN = "the backend refused the token (1001)"  # noqa: S105 - a description, not a secret
    CLIENT_ID = "the backend refused the client id of a free-token request (400)"
    RATE = "the backend is rate limiting (429)"


@dataclass(frozen=True)
class Rule:
    attempts: int  # further attempts allowed after the first failure of this kind
    any_request: bool  # False: only idempotent requests are re-sent


#: What may be re-sent, when. A refused token or client id, a 429 and a connection that never
#: opened are rejections: the backend did nothing, so even an agent message is sent again. A
#: broken connection or a 5xx may hide an action already taken: only reads are repeated.
#: (1002 is not here: the project owner opens a new session and calls once more.)
RETRY: dict[Failure, Rule] = {
    Failure.NOT_SENT: Rule(attempts=3, any_request=True),
    Failure.LOST: Rule(attempts=3, any_request=False),
    Failure.SERVER: Rule(attempts=3, any_request=False),
    Failure.TOKEN: Rule(attempts=1, any_request=True),
    Failure.CLIENT_ID: Rule(attempts=1, any_request=True),
    Failure.RATE: Rule(attempts=1, any_request=True),
}


@dataclass
class Request:
    """One logical call; mutated by the retry loop (a new client id, a refused token)."""

    method: str
    target: str  # a path on the API, or an absolute URL
    idempotent: bool
    json: Any = None
    files: FilesFactory | None = None
    token_call: bool = False  # the anonymous-token request itself (no Authorization)
    limit: float = 60.0  # seconds one attempt may take in a background job
    idle: float = 60.0  # seconds without a byte before the connection counts as dead
    accept: str = "application/json"
    client_id: str | None = None
    refused: str | None = None  # a token the backend just refused
    started: bool = False  # a stream consumer saw the backend act: never re-send from here
    extra_headers: dict[str, str] = field(default_factory=dict)
    extensions: dict[str, str] = field(default_factory=dict)  # httpx's (a pinned link's TLS name)


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with default ports filled in: the unit of trust for our headers."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def path_segment(value: str) -> str:
    """An id escaped into one URL path segment: ``../../auth/x`` can't reach another endpoint."""
    if not value or value in (".", "..") or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise BadResponseError("error.bad_id")
    return quote(value, safe="")


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
        data = os.read(self._fd, left if size < 0 else min(left, max(size, _CHUNK)))
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


async def decoded_chunks(
    response: httpx.Response, cap: int | None, batch: int | None = _CHUNK
) -> AsyncIterator[bytes]:
    """The body, decompressed here in bounded steps (a 1 MB gzip bomb never becomes 1 GB in
    memory), stopping with an error past ``cap`` bytes. ``batch``: bytes gathered before a chunk
    is handed on (fewer thread hops for a file); None hands on each read as it arrives (a stream,
    whose small events and clock must not wait for a megabyte to pile up)."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib, by header
    elif encoding not in ("", "identity"):
        raise BadResponseError("error.bad_encoding", encoding=encoding[:40])
    else:
        inflater = None
    total = 0
    async for raw in response.aiter_raw(batch):
        pending = raw
        while pending:
            if inflater is None:
                out, pending = pending, b""
            else:
                try:
                    out = inflater.decompress(pending, _CHUNK)
                except zlib.error as err:
                    raise BadResponseError("error.bad_encoding", encoding=encoding) from err
                pending = inflater.unconsumed_tail
            total += len(out)
            if cap is not None and total > cap:
                raise BadResponseError("error.too_large", mb=round(cap / 1024**2))
            if out:
                yield out


class NemoClient:
    """One instance per server process; safe to share between concurrent tool calls."""

    # Hosted team mode only: the member's own quota as last read with the balance (a team
    # member's client reports the quota left as ``credits().available``); None elsewhere.
    quota: Quota | None = None

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        sleep: Sleep = _wait,
        backoff_base: float = 0.5,
        sse_limit: float = SSE_LIMIT_S,
        min_rate: tuple[float, float] = (MIN_DOWNLOAD_RATE, RATE_WINDOW_S),
    ) -> None:
        self.settings = settings
        self._http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(30.0, read=60.0), follow_redirects=False, verify=shared_context()
        )
        self._sleep = sleep
        self._backoff_base = backoff_base
        self.sse_limit = sse_limit
        self.links = LinkPolicy(settings.api_base)
        self.min_rate = min_rate  # a download's floor: bytes/s, over a window of seconds
        self._cache = TokenCache(settings.home)
        self._bodies = DecodedBodies()
        self._record: TokenRecord | None = None
        self._token_lock = anyio.Lock()
        remember_secret(settings.token)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> NemoClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- identity ---------------------------------------------------------------------------

    @property
    def anonymous(self) -> bool:
        return self.settings.token is None

    def registration_link(self) -> str:
        """Where an anonymous user registers; ``bind`` keeps their free work (the anonymous user id)."""
        record = self._record  # loaded with the token: an anonymous user's first call reads it
        base = f"{self.settings.web_url}/register"
        return f"{base}?bind={quote(record.user_id, safe='')}" if record and record.user_id else base

    def _caller(self, request: Request) -> Caller:
        return Caller(
            token_call=request.token_call,
            register_url=self.registration_link() if self.anonymous else None,
        )

    def _attribution(self) -> dict[str, str]:
        return {
            "X-Skill-Source": SKILL_SOURCE,
            "X-Skill-Version": self.settings.version,
            "X-Skill-Platform": self.settings.platform,
        }

    async def _token(self, *, refused: str | None = None) -> str:
        """The token to send; ``refused`` names one the backend just rejected (1001)."""
        if self.settings.token:
            if refused:  # the user's own token: theirs to renew, never swapped for a free one
                raise TokenInvalidError(
                    "error.1001_signin" if self.settings.token_from_signin else "error.1001_user"
                )
            return self.settings.token
        async with self._token_lock:
            record = self._record
            if record is not None and record.usable() and record.token != refused:
                assert record.token is not None
                return record.token
            wait = budget.remaining()
            async with self._cache.locked(wait=30.0 if wait is None else max(0.0, min(30.0, wait - 1))):
                # Another call, or another server process, may have renewed it while we waited.
                record = self._cache.load() or record
                if record is None or not record.usable() or record.token == refused:
                    record = await self._fetch_anonymous(record)
                    self._cache.save(record)
                self._record = record
            assert record.token is not None
            remember_secret(record.token)
            return record.token

    async def new_anonymous_account(self) -> TokenRecord:
        """A new free anonymous account for hosted mode's "Start free": not cached here (the
        caller stores it as the user's token). A 429 is the backend's per-address limit."""
        return await self._fetch_anonymous(None)

    async def _fetch_anonymous(self, record: TokenRecord | None) -> TokenRecord:
        request = Request(
            "POST",
            "/api/auth/anonymous-token",
            idempotent=False,
            token_call=True,
            client_id=record.client_id if record else str(uuid_utils.uuid4()),
        )
        grant = parse(TokenGrant, await self._exchange(request, self._json))
        remember_secret(grant.token)
        assert request.client_id is not None
        log.info("obtained a free anonymous token")
        return TokenRecord(
            client_id=request.client_id, token=grant.token, expires_at=grant.expires_at, user_id=grant.user_id
        )

    # --- the one loop ------------------------------------------------------------------------

    async def _exchange(self, request: Request, consume: Callable[[httpx.Response], Awaitable[T]]) -> T:
        """Send ``request`` and hand the response to ``consume``, re-sending per :data:`RETRY`."""
        tries: dict[Failure, int] = {}
        while True:
            # The token comes from its own exchange, with its own retries: a failure there is final
            # here (retrying it in this loop too would multiply the attempts).
            token = await self._token(refused=request.refused) if self._authorised(request) else None
            try:
                return await self._attempt(request, consume, token)
            except NemoError as err:
                failure = _classify(err, request)
                rule = RETRY.get(failure) if failure else None
                if (
                    failure is None
                    or rule is None
                    or request.started
                    or tries.get(failure, 0) >= rule.attempts
                    or not (rule.any_request or request.idempotent)
                ):
                    raise
                tries[failure] = tries.get(failure, 0) + 1
                delay = 0.0
                if failure is Failure.TOKEN:
                    request.refused = token or "?"  # the one sent, not a newer one another call fetched
                elif failure is Failure.CLIENT_ID:
                    request.client_id = str(uuid_utils.uuid4())
                elif failure is Failure.RATE and isinstance(err, RateLimitedError):
                    delay = err.retry_after if err.retry_after is not None else DEFAULT_RATE_LIMIT_WAIT_S
                elif failure in (Failure.LOST, Failure.SERVER, Failure.NOT_SENT):
                    n = tries[failure]
                    delay = self._backoff_base * 2 ** (n - 1) * (1 + random.random() / 2)  # noqa: S311
                await self._pause(delay, err)
                log.info(
                    "%s %s: %s; attempt %d", request.method, _where(request), failure.value, tries[failure]
                )

    async def _pause(self, delay: float, err: NemoError) -> None:
        """Wait before a re-send, unless the wait doesn't fit: then the error says how long to wait."""
        left = budget.remaining()
        limit = MAX_BACKGROUND_WAIT_S if left is None else left - 1.0
        if delay > limit:
            raise err
        if delay > 0:
            await self._sleep(delay)

    def _url(self, request: Request) -> str:
        return request.target if "://" in request.target else self.settings.api_base + request.target

    def _authorised(self, request: Request) -> bool:
        """Whether the request carries our token: only to the API itself, never to a storage host."""
        return not request.token_call and origin(self._url(request)) == origin(self.settings.api_base)

    async def _attempt(
        self, request: Request, consume: Callable[[httpx.Response], Awaitable[T]], token: str | None
    ) -> T:
        url = self._url(request)
        own = origin(url) == origin(self.settings.api_base)
        headers = {"Accept": request.accept, **request.extra_headers}
        if own:  # our identity goes only to the API itself, never to a storage host
            headers.update(self._attribution())
            if request.token_call:
                headers["X-Client-Id"] = request.client_id or ""
            elif token is not None:
                headers["Authorization"] = f"Bearer {token}"
        left = budget.remaining()
        limit = request.limit if left is None else min(request.limit, left)
        if limit <= 0:
            raise TimeLimitError("time.budget", wait=Wait(self.settings.tool_budget))
        try:
            with anyio.fail_after(limit), ExitStack() as stack:
                async with _mapped_errors():
                    sent = self._http.build_request(
                        request.method,
                        url,
                        headers=headers,
                        json=request.json,
                        files=request.files(stack) if request.files else None,
                        timeout=httpx.Timeout(30.0, read=request.idle),
                        extensions=dict(request.extensions),
                    )
                    response = await self._http.send(sent, stream=True)
                try:
                    if response.status_code >= 400:
                        await self._json(response)  # raises the mapped error
                    async with _mapped_errors():
                        return await consume(response)
                finally:
                    await response.aclose()
        except TimeoutError:
            if left is not None and limit >= left:
                raise TimeLimitError("time.budget", wait=Wait(self.settings.tool_budget)) from None
            raise ApiTimeoutError() from None

    async def _json(self, response: httpx.Response) -> dict[str, Any]:
        """A JSON envelope's payload; any error it carries (or its status) is raised, mapped."""
        body = bytearray()
        async for chunk in decoded_chunks(response, MAX_BODY_BYTES):
            body += chunk
        caller = self._caller(Request("GET", "", idempotent=True, token_call=_is_token_call(response)))
        raw = bytes(body)
        if len(raw) < INLINE_DECODE_BYTES:
            decoded = decode_body(raw)
        else:  # a big draft: parsed off the event loop every call shares, and once per body
            decoded = await self._bodies.decode(raw)
        return unwrap(response.status_code, decoded, _retry_after(response), caller)

    async def _call(self, method: str, path: str, *, idempotent: bool, **kw: Any) -> dict[str, Any]:
        return await self._exchange(Request(method, path, idempotent=idempotent, **kw), self._json)

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
    ) -> int:
        """Stream ``url`` into ``dest`` (a part file the caller owns and later renames); returns its size.

        Bounded: a size cap (also after decompression), one overall deadline for every attempt and
        redirect (``deadline``, monotonic; default ``download_timeout`` from now) and a minimum rate
        (a drip below it for a rate window is stopped). Our Authorization goes only to the API's
        own origin: a pre-signed storage URL on another host (and every redirect) gets a bare
        request. A storage host's failure says so (it is not the user's connection).
        """
        end = time.monotonic() + self.settings.download_timeout if deadline is None else deadline
        try:
            with anyio.fail_after(max(0.0, end - time.monotonic())):
                return await self._download(url, dest, on_bytes, end)
        except TimeoutError:
            raise DownloadError("download.deadline", wait=Wait(self.settings.download_timeout)) from None

    async def _download(
        self, url: str, dest: Path, on_bytes: Callable[[int], None] | None, end: float
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
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                try:
                    # Each read as it arrives (batch=None): the rate is checked on every read, so a
                    # drip is stopped; silence longer than the window is the idle timeout.
                    async for chunk in decoded_chunks(response, cap, batch=None):
                        pending += chunk
                        total += len(chunk)
                        window_bytes += len(chunk)
                        if len(pending) >= _CHUNK:
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


def disk_error(err: OSError, where: Path) -> NemoError:
    """A local write failed: say which kind, in words (a full disk is not "rendering 100%")."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return DownloadError("download.disk_full", path=str(where.parent))
    if isinstance(err, PermissionError):
        return DownloadError("download.permission", path=str(where.parent))
    return DownloadError("download.write_failed", path=str(where.parent), reason=err.strerror or str(err))


def _classify(err: NemoError, request: Request) -> Failure | None:
    if isinstance(err, ConnectionFailedError):
        return Failure.LOST if err.sent else Failure.NOT_SENT
    if isinstance(err, ServerError):
        return Failure.SERVER
    if isinstance(err, TokenInvalidError) and not request.token_call and err.message_key == "error.1001":
        return Failure.TOKEN
    if isinstance(err, MissingClientIdError) and request.token_call:
        return Failure.CLIENT_ID
    if isinstance(err, RateLimitedError):
        return Failure.RATE
    return None


def _where(request: Request) -> str:
    return urlsplit(request.target).path if "://" in request.target else request.target


def _is_token_call(response: httpx.Response) -> bool:
    return response.request.url.path.endswith("/api/auth/anonymous-token")


def _stream_error(event: ErrorEvent) -> NemoError:
    """An error inside a 200 stream goes through the same factory as an HTTP error."""
    err = error_for(status=200, code=whole(event.code), message=event.message)
    if err.message_key == "error.api":  # no code we know: say it came from the agent
        return BadResponseError("error.agent_error", detail=event.message)
    return err


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw)) if float(raw) < 1e7 else None
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(raw).timestamp() - time.time())
        except (TypeError, ValueError, OverflowError):
            return None


class _mapped_errors(contextlib.AbstractAsyncContextManager[None]):
    """Turn httpx transport errors into our tree; ``sent`` tells whether a retry could double up."""

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        if exc is None or not isinstance(exc, httpx.TransportError):
            return
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            raise ConnectionFailedError(sent=False) from exc
        if isinstance(exc, httpx.TimeoutException):
            raise ApiTimeoutError() from exc
        if isinstance(exc, httpx.LocalProtocolError):
            raise ConnectionFailedError("error.local_protocol", sent=True) from exc
        raise ConnectionFailedError(sent=True) from exc
