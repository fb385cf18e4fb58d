"""How every request reaches the NemoVideo backend: who we are (the token, the attribution
headers), one attempt bounded in time and size, and the one loop that decides what is sent again.

What may be sent again, and when, is one table (:data:`RETRY`), applied by one loop
(:meth:`Transport._exchange`). Credits are money, so a request the backend may have acted on
(an agent message, an upload, a render start) is never re-sent. Bodies are capped after
decompression; every request is bounded by the tool's budget (:mod:`budget`) or by its own
limit in a background job. The endpoints themselves are :class:`~ai_video_music.client.NemoClient`'s.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import random
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import IO, Any, Self, TypeVar
from urllib.parse import quote, urlsplit

import anyio
import anyio.lowlevel
import httpx
import uuid_utils

from . import budget
from .config import SKILL_SOURCE, Settings
from .errors import (
    ApiTimeoutError,
    BadResponseError,
    Caller,
    ConnectionFailedError,
    MissingClientIdError,
    NemoError,
    RateLimitedError,
    ServerError,
    TimeLimitError,
    TokenInvalidError,
    Wait,
)
from .models import DecodedBodies, TokenGrant, decode_body, parse, unwrap
from .redact import remember_secret
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


async def backoff_sleep(seconds: float) -> None:
    """The default ``sleep``: a real wait, or only a checkpoint under :func:`set_testing`."""
    if _testing:
        await anyio.lowlevel.checkpoint()
    else:
        await anyio.sleep(seconds)


FilesFactory = Callable[[ExitStack], list[tuple[str, tuple[str, IO[bytes], str]]]]

DEFAULT_RATE_LIMIT_WAIT_S = 30.0
MAX_BACKGROUND_WAIT_S = 15 * 60  # a longer Retry-After is reported, not waited out
MAX_BODY_BYTES = 8 * 1024 * 1024  # a JSON answer, after decompression
INLINE_DECODE_BYTES = 32 * 1024  # larger answers (a few hundred clips) are parsed in a worker thread
CHUNK_BYTES = 1024 * 1024


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


async def decoded_chunks(
    response: httpx.Response, cap: int | None, batch: int | None = CHUNK_BYTES
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
                    out = inflater.decompress(pending, CHUNK_BYTES)
                except zlib.error as err:
                    raise BadResponseError("error.bad_encoding", encoding=encoding) from err
                pending = inflater.unconsumed_tail
            total += len(out)
            if cap is not None and total > cap:
                raise BadResponseError("error.too_large", mb=round(cap / 1024**2))
            if out:
                yield out


class Transport:
    """Who we are to the backend and how a request is sent: one per server process, shared by
    concurrent tool calls."""

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        sleep: Sleep = backoff_sleep,
        backoff_base: float | None = None,
    ) -> None:
        self.settings = settings
        self._http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(30.0, read=60.0), follow_redirects=False, verify=shared_context()
        )
        self._sleep = sleep
        self._backoff_base = settings.retry_backoff if backoff_base is None else backoff_base
        self._cache = TokenCache(settings.home)
        self._bodies = DecodedBodies()
        self._record: TokenRecord | None = None
        # The anonymous user known to have registered (its balance rose as registering raises it:
        # Shared.read_credits; kept in the store across restarts): for them the way to more
        # credits is a top-up, never "register", in every answer, the backend's 2001 included.
        # "*": registered, its id unknown. A new anonymous token is a new user: "register" again.
        self.registered_user: str | None = None
        self._token_lock = anyio.Lock()
        remember_secret(settings.token)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- identity ---------------------------------------------------------------------------

    @property
    def anonymous(self) -> bool:
        return self.settings.token is None

    @property
    def unregistered(self) -> bool:
        """Whether the user can still register: an anonymous token not known to have registered."""
        if not self.anonymous:
            return False
        user = self._record.user_id if self._record else None
        return self.registered_user is None or self.registered_user not in ("*", user)

    @property
    def anonymous_user(self) -> str | None:
        """The anonymous user's id (none for a user's own token, or before the first call)."""
        return self._record.user_id if self._record else None

    def mark_registered(self) -> str:
        """The anonymous user has registered (seen from their balance): who, to be remembered."""
        user = self._record.user_id if self._record and self._record.user_id else "*"
        self.registered_user = user
        return user

    def registration_link(self) -> str:
        """Where an anonymous user registers; ``bind`` keeps their free work (the anonymous user id)."""
        record = self._record  # loaded with the token: an anonymous user's first call reads it
        base = f"{self.settings.web_url}/register"
        return f"{base}?bind={quote(record.user_id, safe='')}" if record and record.user_id else base

    def _caller(self, request: Request) -> Caller:
        return Caller(
            token_call=request.token_call,
            register_url=self.registration_link() if self.unregistered else None,
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
