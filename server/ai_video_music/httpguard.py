"""Who may talk to ``serve --http``: the local user's own MCP client, and nobody else.

Three checks on every request, before the MCP app sees it:

- **Host** must name the loopback address and port we are bound to: a page that rebinds its
  own DNS name to 127.0.0.1 still sends its name, and is refused (403);
- **Origin**, when a browser sends one, must be a loopback origin: a page on the internet is
  refused (403) even before it could guess anything;
- **Authorization: Bearer <secret>** must carry the secret only the local user can read
  (see :mod:`httpsecret`), compared in constant time; anything else gets 401. A browser
  page on another loopback port passes the Origin rule but never knows the secret, and its
  CORS preflight (which carries no credentials) is refused too.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from .links import is_loopback
from .messages import Lang, t

log = logging.getLogger(__name__)

MCP_PATH = "/mcp"
LOCALHOST = "localhost"
REALM = "ai-video-music"


def bind_address(host: str) -> str:
    """The address to bind for ``--host``: ``localhost`` is pinned to 127.0.0.1 (a name could
    resolve to anything a hosts file says)."""
    name = host.strip().lower().removeprefix("[").removesuffix("]")
    return "127.0.0.1" if name == LOCALHOST else name


def _host_value(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def allowed_hosts(address: str, port: int) -> frozenset[str]:
    """Host header values that name our socket: its address, and ``localhost``, with our port."""
    return frozenset({_host_value(address, port), f"{LOCALHOST}:{port}"})


def loopback_origin(origin: str) -> bool:
    """An http(s) origin on a loopback host (``null`` and other schemes are not)."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        return False
    if parts.username is not None or parts.password is not None:
        return False
    return is_loopback(parts.hostname)


@dataclass(frozen=True)
class Verdict:
    status: int
    key: str


class LocalOnly:
    """ASGI middleware: Host, Origin and bearer secret checked on every HTTP request."""

    def __init__(self, app: ASGIApp, *, secret: str, hosts: Iterable[str], lang: Lang = "en") -> None:
        if not secret:
            raise ValueError("a secret is required")
        self.app = app
        self._expected = f"Bearer {secret}".encode()
        self._hosts = frozenset(h.lower() for h in hosts)
        self._lang = lang

    def verdict(self, headers: Headers) -> Verdict | None:
        """Why a request is refused, or None to let it through."""
        if headers.get("host", "").strip().lower() not in self._hosts:
            return Verdict(403, "http.bad_host")
        origin = headers.get("origin")
        if origin is not None and not loopback_origin(origin):
            return Verdict(403, "http.bad_origin")
        given = headers.get("authorization", "").strip().encode("latin-1", "replace")
        # compare_digest: the time taken says nothing about how much of a guess was right.
        if not hmac.compare_digest(given, self._expected):
            return Verdict(401, "http.no_secret")
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):  # lifespan: the app's own start and stop
            await self.app(scope, receive, send)
            return
        refused = self.verdict(Headers(scope=scope))
        if refused is None:
            await self.app(scope, receive, send)
            return
        log.warning(
            "refused an HTTP request to %s (%d, %s)", scope.get("path", "?"), refused.status, refused.key
        )
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        headers = {"WWW-Authenticate": f'Bearer realm="{REALM}"'} if refused.status == 401 else {}
        response = PlainTextResponse(t(refused.key, self._lang) + "\n", refused.status, headers=headers)
        await response(scope, receive, send)
