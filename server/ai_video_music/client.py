"""Async client for the NemoVideo backend: auth, attribution headers, errors, retries.

Retry rules, because credits are money:
- idempotent reads (credits, state, render poll, download) retry network errors and 5xx a
  bounded number of times with exponential backoff and jitter;
- a message to the agent, an upload or a render start is never re-sent once the backend may
  have received it; only a connection that never opened is retried;
- 1001 renews the anonymous token and 400 renews the client id, once; 1002 opens a new
  session, once; 429 waits ``Retry-After`` (else 30 s), once.
"""

from __future__ import annotations

import contextlib
import io
import logging
import mimetypes
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import ExitStack
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any, TypeVar, cast
from urllib.parse import urljoin, urlsplit

import anyio
import httpx
import uuid_utils
from httpx_sse import SSEError, aconnect_sse

from .config import REGISTER_URL, SKILL_SOURCE, Settings
from .errors import (
    ACCEPTED_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    ApiTimeoutError,
    BadResponseError,
    ConnectionFailedError,
    FileTooLargeError,
    InputError,
    MissingClientIdError,
    NemoError,
    OutOfCreditsError,
    RateLimitedError,
    ServerError,
    SessionNotFoundError,
    TokenInvalidError,
    UnsupportedFileTypeError,
    error_for,
)
from .fsutil import temp_sibling
from .models import (
    Credits,
    RenderStatus,
    SessionInfo,
    SessionState,
    TokenGrant,
    UploadedFile,
    UploadResult,
    parse,
    unwrap,
)
from .sse import AgentEvent, EndEvent, ErrorEvent, EventDecoder
from .tokens import TokenCache, TokenRecord

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
# Called with (new session, the one it replaces); returns the session to use, which may be
# another process's if that one won the race to replace it.
SessionHook = Callable[[SessionInfo, str | None], Awaitable[SessionInfo]]

SSE_LIMIT_S = 15 * 60
DEFAULT_RATE_LIMIT_WAIT_S = 30.0
_CHUNK = 1024 * 1024


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with default ports filled in: the unit of trust for our headers."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def check_upload_file(path: Path) -> int:
    """Validate a local file before any byte is sent; returns its size."""
    try:
        path = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(
                f"{path} is a broken symbolic link.", remedy="Point it at a real file."
            ) from None
        raise InputError(f"{path} doesn't exist.", remedy="Check the path (use an absolute path).") from None
    except PermissionError:
        raise InputError(
            f"{path} can't be read (permission denied).", remedy="Check its permissions."
        ) from None
    except (RuntimeError, OSError) as err:  # a symbolic link loop (RuntimeError before 3.13, ELOOP after)
        raise InputError(
            f"{path} can't be resolved: it is a loop of symbolic links.", remedy="Point it at the real file."
        ) from err
    if path.is_dir():
        raise InputError(f"{path} is a folder.", remedy="Pass the media files inside it, one path each.")
    ext = path.suffix.lower().lstrip(".")
    if ext not in ACCEPTED_EXTENSIONS:
        raise UnsupportedFileTypeError(f"{path.name}: .{ext or '(none)'} files aren't supported.")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path.name} is empty.", remedy="Pick the complete file.")
    if size > MAX_UPLOAD_BYTES:
        raise FileTooLargeError(f"{path.name} is {size / 1024**2:.0f} MB, over the 500 MB limit.")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path.name} can't be read (permission denied).", remedy="Check its permissions.")
    return size


class _LargeReads(io.RawIOBase):
    """A file whose ``read(n)`` returns at least 1 MB: httpx's multipart encoder asks for 64 KB
    at a time, which halves upload throughput. httpx still does all the multipart framing."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw

    def read(self, size: int = -1) -> bytes:
        return self._raw.read(size if size < 0 else max(size, _CHUNK))

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:  # lets httpx size the part with fstat, for Content-Length
        return self._raw.fileno()

    def close(self) -> None:
        self._raw.close()
        super().close()


def check_upload_url(url: str) -> None:
    """Only http(s) URLs go to the backend: file:// or ftp:// would fail there or leak local paths."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(
            f"{url!r} isn't an http(s) URL.",
            remedy="Pass web links as urls and local files as files.",
        )


class NemoClient:
    """One instance per server process; safe to share between concurrent tool calls."""

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        sleep: Sleep = anyio.sleep,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        on_session: SessionHook | None = None,
        sse_limit: float = SSE_LIMIT_S,
    ) -> None:
        self.settings = settings
        self._http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(30.0, read=120.0), follow_redirects=False
        )
        self._sleep = sleep
        self._max_retries = max_retries
        self._backoff_base = backoff_base
        self.sse_limit = sse_limit
        self._cache = TokenCache(settings.home)
        self._record: TokenRecord | None = None
        self._token_lock = anyio.Lock()
        self._session_lock = anyio.Lock()
        self.session: SessionInfo | None = None
        self.language = "en"
        self.on_session = on_session

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

    @property
    def client_id(self) -> str | None:
        return self._record.client_id if self._record else None

    def registration_link(self) -> str:
        """Where an anonymous user registers, binding this client's free-credit history."""
        cid = self.client_id or (self._cache.load() or TokenRecord(client_id="")).client_id
        return f"{REGISTER_URL}?bind={cid}" if cid else REGISTER_URL

    def _attribution(self) -> dict[str, str]:
        return {
            "X-Skill-Source": SKILL_SOURCE,
            "X-Skill-Version": self.settings.version,
            "X-Skill-Platform": self.settings.platform,
        }

    async def _token(self, *, refused: str | None = None) -> str:
        """The token to send; ``refused`` names one the backend just rejected (1001)."""
        if self.settings.token:
            if refused:
                raise TokenInvalidError(
                    "The token in NEMO_TOKEN was rejected as expired or invalid.",
                    remedy="Renew it in your NemoVideo account, or unset NEMO_TOKEN to use free credits.",
                )
            return self.settings.token
        async with self._token_lock:
            record = self._record
            if record is not None and record.usable() and record.token != refused:
                assert record.token is not None
                return record.token
            async with self._cache.locked():
                # Another call, or another server process, may have renewed it while we waited.
                record = self._cache.load() or record
                if record is not None and record.usable() and record.token != refused:
                    self._record = record
                    assert record.token is not None
                    return record.token
                self._record = await self._fetch_anonymous(record)
                self._cache.save(self._record)
            assert self._record.token is not None
            return self._record.token

    async def _fetch_anonymous(self, record: TokenRecord | None) -> TokenRecord:
        client_id = record.client_id if record else str(uuid_utils.uuid4())
        for attempt in range(2):
            try:
                payload = await self._send(
                    "POST",
                    "/api/auth/anonymous-token",
                    idempotent=False,
                    headers={**self._attribution(), "X-Client-Id": client_id},
                )
            except MissingClientIdError:
                if attempt:
                    raise
                client_id = str(uuid_utils.uuid4())
                continue
            grant = parse(TokenGrant, payload)
            until = (
                time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(grant.expires_at))
                if grant.expires_at
                else "?"
            )
            log.info("obtained a free anonymous token (valid until %s)", until)
            return TokenRecord(
                client_id=client_id, token=grant.token, expires_at=grant.expires_at, user_id=grant.user_id
            )
        raise AssertionError("unreachable")

    # --- transport ---------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.settings.api_base + path

    async def _send(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        headers: dict[str, str],
        json: Any = None,
        files: Callable[[ExitStack], list[tuple[str, tuple[str, IO[bytes], str]]]] | None = None,
        rate_limit_retry: bool = True,
    ) -> dict[str, Any]:
        """One logical call: retries per the module rules, then the unwrapped payload."""
        attempt = 0
        rate_limited = False
        while True:
            try:
                with ExitStack() as stack:
                    async with _mapped_errors():
                        response = await self._http.request(
                            method,
                            self._url(path),
                            headers=headers,
                            json=json,
                            files=files(stack) if files else None,
                        )
                    return self._decode(response)
            except RateLimitedError as err:
                if rate_limited or not rate_limit_retry:
                    raise
                rate_limited = True
                wait = err.retry_after if err.retry_after is not None else DEFAULT_RATE_LIMIT_WAIT_S
                log.info("rate limited on %s; retrying once in %.0f s", path, wait)
                await self._sleep(wait)
            except (ServerError, ConnectionFailedError) as err:
                never_sent = isinstance(err, ConnectionFailedError) and not err.sent
                if attempt >= self._max_retries or not (idempotent or never_sent):
                    raise
                attempt += 1
                delay = self._backoff_base * 2 ** (attempt - 1) * (1 + random.random() / 2)  # noqa: S311
                log.info("%s %s failed (%s); retry %d in %.1f s", method, path, err.message, attempt, delay)
                await self._sleep(delay)

    def _decode(self, response: httpx.Response) -> dict[str, Any]:
        retry_after = _retry_after(response)
        try:
            body = response.json()
        except ValueError:
            body = None
        return unwrap(response.status_code, body, retry_after)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        files: Callable[[ExitStack], list[tuple[str, tuple[str, IO[bytes], str]]]] | None = None,
    ) -> dict[str, Any]:
        """An authenticated call; a refused token is renewed and the call made once more."""

        async def send(token: str) -> dict[str, Any]:
            headers = {**self._attribution(), "Authorization": f"Bearer {token}"}
            return await self._send(
                method, path, idempotent=idempotent, headers=headers, json=json, files=files
            )

        token = await self._token()
        try:
            try:
                return await send(token)
            except TokenInvalidError:
                # A refused token means the backend did nothing, so even a generate is safe to resend.
                return await send(await self._token(refused=token))
        except OutOfCreditsError as err:
            raise self._credits_error(err) from None

    def _credits_error(self, err: OutOfCreditsError) -> OutOfCreditsError:
        if self.anonymous:
            err.remedy = (
                f"Register to keep going: {self.registration_link()} (your free work stays linked). "
                "Exporting finished videos stays free."
            )
        return err

    # --- sessions ----------------------------------------------------------------------------

    async def create_session(self, language: str | None = None) -> SessionInfo:
        """Open a new agent session; the ``on_session`` hook persists it."""
        if language:
            self.language = language
        payload = await self._request(
            "POST",
            "/api/tasks/me/with-session/nemo_agent",
            idempotent=False,
            json={"task_name": "project", "language": self.language},
        )
        previous = self.session.session_id if self.session else None
        created = parse(SessionInfo, payload)
        log.info("opened session %s", created.session_id)
        self.session = await self.on_session(created, previous) if self.on_session else created
        return self.session

    async def ensure_session(self) -> SessionInfo:
        async with self._session_lock:
            return self.session or await self.create_session()

    async def _in_session(self, call: Callable[[str], Awaitable[T]]) -> T:
        """Run ``call(session_id)``; if the backend lost the session, open a new one and retry once."""
        session = await self.ensure_session()
        try:
            return await call(session.session_id)
        except SessionNotFoundError:
            session = await self._replace_lost_session(session)
            return await call(session.session_id)

    async def _replace_lost_session(self, lost: SessionInfo) -> SessionInfo:
        """The backend forgot ``lost``: open a new session, unless a concurrent call already did."""
        async with self._session_lock:
            if self.session is None or self.session.session_id == lost.session_id:
                await self.create_session()
        assert self.session is not None
        log.warning("session %s was lost; continuing in %s", lost.session_id, self.session.session_id)
        return self.session

    # --- endpoints ---------------------------------------------------------------------------

    async def credits(self) -> Credits:
        """Available / frozen / total credits."""
        return parse(Credits, await self._request("GET", "/api/credits/balance/simple", idempotent=True))

    async def state(self) -> SessionState:
        """The session's latest draft and media."""

        async def call(sid: str) -> SessionState:
            payload = await self._request("GET", f"/api/state/nemo_agent/me/{sid}/latest", idempotent=True)
            if not isinstance(payload.get("state"), dict) and "draft" not in payload:
                # Reading this as "empty timeline" would tell the user their work is gone.
                raise BadResponseError("The video service's session state had no timeline in it.")
            return parse(SessionState, payload)

        return await self._in_session(call)

    async def upload_files(self, paths: Sequence[Path]) -> list[UploadedFile]:
        """Stream local files as multipart ``files``; every file is checked before any byte is sent."""
        checked = [Path(p).expanduser() for p in paths]
        for path in checked:
            check_upload_file(path)

        def files(stack: ExitStack) -> list[tuple[str, tuple[str, IO[bytes], str]]]:
            # Opened per attempt, read in chunks by httpx: never whole in memory.
            return [
                (
                    "files",
                    (
                        p.name,
                        cast(IO[bytes], _LargeReads(stack.enter_context(p.open("rb")))),  # duck-typed file
                        mimetypes.guess_type(p.name)[0] or "application/octet-stream",
                    ),
                )
                for p in checked
            ]

        async def call(sid: str) -> list[UploadedFile]:
            payload = await self._request(
                "POST", f"/api/upload-video/nemo_agent/me/{sid}", idempotent=False, files=files
            )
            return parse(UploadResult, payload).files

        return await self._in_session(call)

    async def upload_urls(self, urls: Sequence[str]) -> list[UploadedFile]:
        """Hand the backend web URLs to fetch itself."""
        for url in urls:
            check_upload_url(url)

        async def call(sid: str) -> list[UploadedFile]:
            payload = await self._request(
                "POST",
                f"/api/upload-video/nemo_agent/me/{sid}",
                idempotent=False,
                json={"urls": list(urls), "source_type": "url"},
            )
            return parse(UploadResult, payload).files

        return await self._in_session(call)

    async def start_render(
        self, draft: dict[str, Any], *, fmt: str = "mp4", quality: str = "high"
    ) -> RenderStatus:
        """Submit a render of ``draft``; never re-sent once it may have reached the backend."""

        async def call(sid: str) -> RenderStatus:
            payload = await self._request(
                "POST",
                "/api/render/proxy/lambda",
                idempotent=False,
                json={
                    "id": f"render_{int(time.time() * 1000)}",
                    "sessionId": sid,
                    "draft": draft,
                    "output": {"format": fmt, "quality": quality},
                },
            )
            status = parse(RenderStatus, payload)
            if not status.id:
                raise BadResponseError("The render was accepted but the service returned no job id.")
            return status

        return await self._in_session(call)

    async def render_status(self, render_id: str) -> RenderStatus:
        """Poll one render job."""
        payload = await self._request("GET", f"/api/render/proxy/lambda/{render_id}", idempotent=True)
        status = parse(RenderStatus, payload)
        return status if status.id else status.model_copy(update={"id": render_id})

    async def cancel_render(self, render_id: str) -> None:
        await self._request("POST", f"/api/render/proxy/lambda/{render_id}/cancel", idempotent=True)

    def fallback_download_url(self, render_id: str) -> str:
        return self._url(f"/api/render/proxy/{render_id}/download")

    async def download(self, url: str, dest: Path) -> Path:
        """Stream ``url`` to ``dest`` atomically: the final name appears only when complete.

        Our Authorization and attribution headers go only to the API's own origin; a
        pre-signed storage URL on another host gets a bare request (and so do redirects).
        """
        attempt = 0
        while True:
            try:
                return await self._download_once(url, dest)
            except (ServerError, ConnectionFailedError) as err:
                if attempt >= self._max_retries:
                    raise
                attempt += 1
                log.info("download failed (%s); retry %d", err.message, attempt)
                await self._sleep(self._backoff_base * 2 ** (attempt - 1))

    async def _download_once(self, url: str, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        # Leftovers of an earlier attempt that was killed mid-way (never under the final name).
        for stale in dest.parent.glob(f".{dest.name}.*.part"):
            with contextlib.suppress(OSError):
                stale.unlink()
        tmp = temp_sibling(dest)
        try:
            for _ in range(5):
                headers: dict[str, str] = {}
                if origin(url) == origin(self.settings.api_base):
                    headers = {**self._attribution(), "Authorization": f"Bearer {await self._token()}"}
                async with _mapped_errors(), self._http.stream("GET", url, headers=headers) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        await response.aread()
                        self._decode(response)
                    async with await anyio.open_file(tmp, "wb") as fh:
                        async for chunk in response.aiter_bytes(_CHUNK):
                            await fh.write(chunk)
                        await fh.flush()
                        await anyio.to_thread.run_sync(os.fsync, fh.wrapped.fileno())
                    os.replace(tmp, dest)
                    return dest
            raise BadResponseError("The download redirected too many times.")
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    # --- the agent ---------------------------------------------------------------------------

    async def stream_message(self, text: str) -> AsyncIterator[AgentEvent]:
        """Send one message to the agent and yield its events as they arrive, then ``EndEvent``.

        Never re-sent once the request may have reached the backend. A refused token,
        a lost session (before any event) and a 429 are rejections, so those are retried once.
        """
        session = await self.ensure_session()
        refused: str | None = None
        lost = limited = started = False
        while True:
            token = await self._token(refused=refused)
            try:
                async for event in self._stream_once(session.session_id, token, text):
                    started = True
                    yield event
            except (TokenInvalidError, SessionNotFoundError, RateLimitedError) as err:
                if started:
                    raise  # the agent already acted on this message: never send it twice
                if isinstance(err, TokenInvalidError):
                    if refused:
                        raise
                    refused = token
                elif isinstance(err, SessionNotFoundError):
                    if lost:
                        raise
                    lost = True
                    session = await self._replace_lost_session(session)
                else:
                    if limited:
                        raise
                    limited = True
                    await self._sleep(
                        err.retry_after if err.retry_after is not None else DEFAULT_RATE_LIMIT_WAIT_S
                    )
            except OutOfCreditsError as err:
                raise self._credits_error(err) from None
            else:
                return

    async def _stream_once(self, sid: str, token: str, text: str) -> AsyncIterator[AgentEvent]:
        decoder = EventDecoder()
        body = {
            "app_name": "nemo_agent",
            "user_id": "me",
            "session_id": sid,
            "new_message": {"parts": [{"text": text}]},
        }
        headers = {
            **self._attribution(),
            "Authorization": f"Bearer {token}",
            "Accept": "text/event-stream",
        }
        # Heartbeats keep the socket busy; five silent minutes means the stream is dead.
        timeout = httpx.Timeout(30.0, read=300.0)
        deadline = time.monotonic() + self.sse_limit
        async with (
            _mapped_errors(),
            aconnect_sse(
                self._http, "POST", self._url("/run_sse"), json=body, headers=headers, timeout=timeout
            ) as source,
        ):
            response = source.response
            if response.status_code >= 400 or "text/event-stream" not in response.headers.get(
                "content-type", ""
            ):
                await response.aread()
                self._decode(response)  # raises for any error envelope
                raise BadResponseError("The agent answered without an event stream.")
            try:
                async for sse in source.aiter_sse():
                    if time.monotonic() > deadline:
                        raise sse_timeout(self.sse_limit)
                    for event in decoder.feed(sse.data):
                        if isinstance(event, ErrorEvent):
                            raise _stream_error(event)
                        yield event
            except SSEError as err:
                raise BadResponseError("The agent's event stream was malformed.") from err
        yield EndEvent()


def sse_timeout(limit: float) -> ApiTimeoutError:
    """The agent ran past the backend's documented limit for one request."""
    span = f"{limit / 60:g}-minute" if limit >= 60 else f"{limit:g}-second"
    return ApiTimeoutError(
        f"The agent didn't finish within its {span} limit.",
        remedy="Check status to see what it changed, then try a smaller request.",
    )


def _stream_error(event: ErrorEvent) -> NemoError:
    """An error inside a 200 stream goes through the same mapping as an HTTP error."""
    code: int | None
    try:
        code = int(event.code) if event.code else None
    except ValueError:
        code = None
    err = error_for(status=200, code=code, message=event.message)
    if type(err).__name__ == "ApiError":
        err.message = f"The video agent reported an error: {event.message}."
    return err


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(raw).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class _mapped_errors(contextlib.AbstractAsyncContextManager[None]):
    """Turn httpx transport errors into our tree; ``sent`` tells whether a retry could double up."""

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        if exc is None or not isinstance(exc, httpx.TransportError):
            return
        sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
        err: ConnectionFailedError
        err = ApiTimeoutError() if isinstance(exc, httpx.TimeoutException) else ConnectionFailedError()
        err.sent = sent
        raise err from exc
