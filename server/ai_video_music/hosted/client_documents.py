"""Client ID metadata documents (draft-ietf-oauth-client-id-metadata-document, what claude.ai
prefers): a client whose ``client_id`` is an https URL publishes its metadata at that URL, so it
needs no registration. We fetch the document, bounded (size, time, no redirects, public
addresses only: the URL comes from anyone), and accept only public clients (PKCE, no secret).
"""

from __future__ import annotations

import json
import logging
import ssl
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

log = logging.getLogger(__name__)

MAX_DOCUMENT = 5 * 1024  # the draft's suggested limit
FETCH_TIMEOUT = 5.0
CACHE_SECONDS = 3600


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
    ) -> None:
        self._verify = verify or shared_context()
        self._transport = transport
        self.allow_private = allow_private
        self._resolve = resolve

    def _allowed(self, address: str) -> bool:
        return self.allow_private or local_kind(address) is None

    async def fetch(self, url: str) -> OAuthClientInformationFull | None:
        """The client the document at ``url`` describes, or None if it can't be used."""
        if not is_document_url(url):
            return None
        try:
            # Resolved once, every address public, and fetched from the address checked.
            target = await anyio.to_thread.run_sync(pin, url, self._allowed, self._resolve)
        except PinError as err:
            log.warning("client metadata document refused: its host is %s", err.failure.value)
            return None
        body = await self._download(target)
        if body is None:
            return None
        try:
            data = json.loads(body)
            metadata = OAuthClientMetadata.model_validate(data)
        except (ValueError, ValidationError):
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

    async def _download(self, target: Pinned) -> bytes | None:
        """The body, or None: not 200, larger than the limit, slower than the limit, or unreachable."""
        # A client per fetch (they are rare): it belongs to the event loop of the request.
        body: bytes | None = None
        try:
            async with httpx.AsyncClient(verify=self._verify, transport=self._transport) as client:
                with anyio.move_on_after(FETCH_TIMEOUT):
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
