"""Sign-in helpers for the accounts tests: a scripted browser that presses "Start free" or types
a member code, and the hosted app with a changed configuration."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from mcp.shared.auth import AuthorizationCodeResult

from ai_video_music.config import Settings
from ai_video_music.tls import shared_context

from .oauth_client import Browser, hidden_fields
from .serving import listen, loopback_config, running

KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!")


@contextmanager
def hosted_with(database_url: str, settings: Settings, **changes: Any) -> Iterator[str]:
    """The hosted app on loopback with some settings changed (``allow_anonymous``, ``team_token``...)."""
    sock = listen()
    config = dataclasses.replace(loopback_config(database_url, sock, KEY), **changes)
    with running(config, settings, sock) as base:
        yield base


@dataclasses.dataclass
class FormBrowser(Browser):
    """Follows /authorize to the sign-in page and posts ``fields`` (with the page's hidden ones)."""

    fields: dict[str, str] = dataclasses.field(default_factory=dict)

    async def open(self, url: str) -> None:
        async with httpx.AsyncClient(verify=shared_context(), timeout=30) as browser:
            page = await browser.get(url, follow_redirects=True)
            self.pages.append(page)
            form = {k: v for k, v in hidden_fields(page.text).items() if k != "start_free"} | self.fields
            answer = await browser.post(page.url.copy_with(query=None), data=form)
            self.pages.append(answer)
        if answer.status_code != 303:
            return
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        self.result = AuthorizationCodeResult(
            code=query["code"][0], state=query.get("state", [None])[0], iss=query.get("iss", [None])[0]
        )


def start_free_browser() -> FormBrowser:
    return FormBrowser("", fields={"start_free": "1"})


def member_browser(code: str) -> FormBrowser:
    return FormBrowser("", fields={"member_code": code})
