"""Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document, what claude.ai
prefers): a client whose ``client_id`` is an https URL publishes its metadata at that URL, so it
needs no registration. We fetch the document, bounded (size, time, no redirects, public
addresses only: the URL comes from anyone), and accept only public clients (PKCE, no secret).

The host's name is looked up (a blocking ``getaddrinfo``, which can't be cancelled) on a few
threads of our own, never the process's shared ones, within the fetch's one deadline, and one
client address (an IPv4 address, an IPv6 /64), and one IPv6 site (its /48), has at most
``LOOKUPS_PER_ADDRESS`` lookups on them at once, counted until each lookup really ends: a domain
whose nameserver never answers held the shared threads that every user's calls wait for (attack16b
F6). ``LOOKUP_THREADS`` is many times that (a thread is started only when one is needed), so a
few addresses whose lookups hang hold a few threads, never the pool: two /64s of one /48 filled
the four threads there were, and everyone else's sign-in by document timed out (attack17 A4).
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import ssl
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from urllib.parse import urlsplit

import anyio
import httpx
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata
from pydantic import ValidationError

from ..errors import BadResponseError
from ..links import local_kind
from ..pinning import PinError, Pinned, Resolver, pin, system_resolver
from ..tls import shared_context
from ..transport import decoded_chunks
from .client_metadata import problem
from .clients import keys_of

log = logging.getLogger(__name__)

MAX_DOCUMENT = 5 * 1024  # the draft's suggested limit
FETCH_TIMEOUT = 5.0  # the lookup and the download together
LOOKUP_THREADS = 64  # hung lookups of 32 different addresses or sites to fill
LOOKUPS_PER_ADDRESS = 2  # and per IPv6 site
CACHE_SECONDS = 3600
MAX_NESTING = 16  # a document is an object of lists and small objects (jwks: 4 levels)


def nesting(body: bytes) -> int:
    """How deep a JSON text's arrays and objects nest (brackets inside strings aside), without
    parsing it: a 1,100-byte document of "[" made json.loads raise RecursionError (attack17 A7)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def is_document_url(client_id: str) -> bool:
    """An https URL with a path: the shape of a metadata-document client id."""
    parts = urlsplit(client_id)
    return (
        parts.scheme == "https"
        and bool(parts.hostname)
        and parts.path not in ("", "/")
        and not (parts.username or parts.password or parts.fragment)
    )


class ClientDocuments:
    """Fetches and checks metadata documents. ``verify``, ``transport`` and ``allow_private``
    are for tests (a loopback https site with its own certificate); the defaults are for real."""

    def __init__(
        self,
        *,
        verify: ssl.SSLContext | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        allow_private: bool = False,
        resolve: Resolver = system_resolver,
        deadline: float = FETCH_TIMEOUT,
    ) -> None:
        self._verify = verify or shared_context()
        self._transport = transport
        self.allow_private = allow_private
        self._resolve = resolve
        self.deadline = deadline
        self._lookups = ThreadPoolExecutor(LOOKUP_THREADS, thread_name_prefix="client-document-dns")
        self._lock = threading.Lock()
        self._looking_up: Counter[str] = Counter()  # lookups not yet ended, by client address

    def _allowed(self, address: str) -> bool:
        return self.allow_private or local_kind(address) is None

    async def fetch(self, url: str, asker: str | None = None) -> OAuthClientInformationFull | None:
        """The client the document at ``url`` describes, or None if it can't be used (or not
        within the deadline). ``asker``: the client address it is fetched for."""
        if not is_document_url(url):
            return None
        body: bytes | None = None
        with anyio.move_on_after(self.deadline):
            target = await self._pin(url, asker)
            if target is None:
                return None
            body = await self._download(target)
        if body is None:
            return None
        if nesting(body) > MAX_NESTING:  # (json.loads raised RecursionError: a server_error)
            return None
        try:
            data = json.loads(body)
            metadata = OAuthClientMetadata.model_validate(data)
        except (ValueError, ValidationError, RecursionError):
            return None
        # The document must name itself, and describe a public client: a secret published in a
        # document anyone can read would be no secret.
        if not isinstance(data, dict) or data.get("client_id") != url or "client_secret" in data:
            return None
        if metadata.token_endpoint_auth_method not in (None, "none") or not metadata.redirect_uris:
            return None
        fields = metadata.model_dump() | {"client_id": url, "token_endpoint_auth_method": "none"}
        client = OAuthClientInformationFull.model_validate(fields)
        return None if problem(client) is not None else client

    async def _pin(self, url: str, asker: str | None) -> Pinned | None:
        """Resolved once, every address public (it is fetched from the address checked), on our
        own threads; None when refused or when ``asker`` has its lookups under way already."""
        counted = [] if asker is None else [key for key, _ in keys_of(asker)]  # (and its /48)
        with self._lock:
            if any(self._looking_up[key] >= LOOKUPS_PER_ADDRESS for key in counted):
                log.warning("client metadata document not fetched: its asker's lookups are all under way")
                return None
            for key in counted:
                self._looking_up[key] += 1
        lookup: Future[Pinned] = self._lookups.submit(pin, url, self._allowed, self._resolve)
        for key in counted:  # (at once when it has ended already: outside the lock)
            lookup.add_done_callback(functools.partial(self._ended, key))
        try:
            # Cancelled at the deadline: a lookup not begun is dropped, one under way runs out.
            return await asyncio.wrap_future(lookup)
        except PinError as err:
            log.warning("client metadata document refused: its host is %s", err.failure.value)
            return None

    def _ended(self, asker: str, _: object = None) -> None:
        with self._lock:
            self._looking_up[asker] -= 1
            if self._looking_up[asker] <= 0:
                del self._looking_up[asker]

    async def _download(self, target: Pinned) -> bytes | None:
        """The body, or None: not 200, larger than the limit, or unreachable (the caller's
        deadline bounds the time)."""
        # A client per fetch (they are rare): it belongs to the event loop of the request.
        body: bytes | None = None
        try:
            async with httpx.AsyncClient(verify=self._verify, transport=self._transport) as client:
                body = await self._read(client, target)
        except httpx.HTTPError:
            log.info("client metadata document could not be fetched", exc_info=True)
        return body

    @staticmethod
    async def _read(client: httpx.AsyncClient, target: Pinned) -> bytes | None:
        headers = {"Accept": "application/json", **target.headers}
        async with client.stream(
            "GET", target.url, headers=headers, extensions=target.extensions, follow_redirects=False
        ) as response:
            if response.status_code != 200:
                return None
            body = bytearray()
            if response.headers.get("content-encoding", "identity").strip().lower() in ("", "identity"):
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_DOCUMENT:
                        return None
                return bytes(body)
            try:
                # Compressed: inflated here in bounded steps, stopped past the cap (httpx's own
                # decoders inflate "gzip, gzip, gzip" whole: 294 bytes became 4 GiB, before sign-in).
                async for chunk in decoded_chunks(response, MAX_DOCUMENT):
                    body += chunk
            except BadResponseError:
                return None
            return bytes(body)
