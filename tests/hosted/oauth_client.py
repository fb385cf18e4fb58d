"""A real MCP client that signs in the way claude.ai does: the SDK's OAuthClientProvider
(discovery, dynamic registration, PKCE), with a scripted "browser" that fills in the sign-in form."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx
import httpx2
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import (
    AuthorizationCodeResult,
    OAuthClientInformationFull,
    OAuthClientMetadata,
    OAuthToken,
)
from pydantic import AnyUrl

from ai_video_music.tls import shared_context

REDIRECT = "http://127.0.0.1:1/callback"  # never contacted: the browser stops at the redirect
_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


@dataclass
class MemoryStorage:
    tokens: OAuthToken | None = None
    client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


def hidden_fields(html: str) -> dict[str, str]:
    return dict(_HIDDEN.findall(html))


@dataclass
class Browser:
    """Follows /authorize to the sign-in page and submits ``nemo_token``."""

    nemo_token: str
    pages: list[httpx.Response] = field(default_factory=list)
    result: AuthorizationCodeResult | None = None

    async def open(self, url: str) -> None:
        async with httpx.AsyncClient(verify=shared_context(), timeout=30) as browser:
            page = await browser.get(url, follow_redirects=True)
            self.pages.append(page)
            form = hidden_fields(page.text) | {"nemo_token": self.nemo_token}
            answer = await browser.post(page.url.copy_with(query=None), data=form)
            self.pages.append(answer)
        if answer.status_code != 303:
            return
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        self.result = AuthorizationCodeResult(
            code=query["code"][0], state=query.get("state", [None])[0], iss=query.get("iss", [None])[0]
        )

    async def callback(self) -> AuthorizationCodeResult:
        if self.result is None:
            raise RuntimeError(f"sign-in did not complete: {self.pages[-1].status_code}")
        return self.result


@asynccontextmanager
async def signed_in(
    base: str,
    nemo_token: str,
    storage: MemoryStorage | None = None,
    *,
    client_metadata_url: str | None = None,
    browser: Browser | None = None,
    mode: str = "auto",
) -> AsyncIterator[Client]:
    """An MCP client session on ``<base>/mcp``, signed in with this NemoVideo token (registering
    itself, or known by its metadata document at ``client_metadata_url``)."""
    browser = browser or Browser(nemo_token)
    auth = OAuthClientProvider(
        server_url=f"{base}/mcp",
        client_metadata=OAuthClientMetadata(
            client_name="Hosted test client",
            redirect_uris=[AnyUrl(REDIRECT)],
            grant_types=["authorization_code", "refresh_token"],
            response_types=["code"],
            token_endpoint_auth_method="none",
        ),
        storage=storage or MemoryStorage(),
        redirect_handler=browser.open,
        callback_handler=browser.callback,
        client_metadata_url=client_metadata_url,
    )
    async with (
        httpx2.AsyncClient(verify=shared_context(), auth=auth, timeout=httpx2.Timeout(60.0)) as http,
        Client(streamable_http_client(f"{base}/mcp", http_client=http), mode=mode) as client,
    ):
        yield client
