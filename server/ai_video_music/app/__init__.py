"""The MCP App (``io.modelcontextprotocol/ui``): a player and timeline for ``status`` and ``export``.

Hosts that render MCP Apps show the HTML at :data:`APP_URI` in a sandboxed iframe next to the
result of a tool whose ``_meta.ui.resourceUri`` names it; the app receives the tool's
structured output and may call ``status`` and ``export`` back through the host.

Wiring (in the module that builds the server)::

    apps = build_apps(media_origins)                 # media_origins() -> URLs or origins
    server = MCPServer(..., extensions=[apps])       # extensions are fixed at construction
    server.add_tool(status, ..., meta=app_tool_meta())
    server.add_tool(export, ..., meta=app_tool_meta())

The document is self-contained (hosts block external scripts): :func:`app_html` inlines the
CSS, the app's script and the vendored ext-apps client. The video's URL lives on a media CDN,
so the resource declares that origin in its CSP ``resourceDomains``; the list is computed
each time a host reads the resource, from ``media_origins()``.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from mcp.server.apps import APP_MIME_TYPE, Apps
from mcp.server.mcpserver.resources import Resource
from pydantic import Field

from ..links import is_loopback

log = logging.getLogger(__name__)

APP_URI = "ui://ai-video-generator-free-music/player.html"
EXT_APPS_VERSION = "2.0.4"
"""Version of ``@modelcontextprotocol/ext-apps`` in ``vendor/ext-apps.js`` (scripts/vendor-ext-apps)."""

MediaOrigins = Callable[[], Iterable[str] | Awaitable[Iterable[str]]]
"""Where the videos the app may play live: URLs or origins, sync or async, read per resource read."""

_INLINE = re.compile(r"/\* @inline ([\w./-]+) \*/")
# Inside an inline <script>/<style> these would end the element early or switch the parser's mode.
_BREAKS_INLINE = re.compile(r"</(script|style)|<!--", re.IGNORECASE)
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")  # no wildcard


@functools.cache
def app_html() -> str:
    """The app as one HTML document, with its CSS and scripts inlined (read once, then cached)."""
    files = resources.files(__name__)

    def inline(match: re.Match[str]) -> str:
        name = match.group(1)
        text = files.joinpath(name).read_text(encoding="utf-8")
        if _BREAKS_INLINE.search(text):
            raise ValueError(f"{name} contains </script, </style or <!-- and cannot be inlined")
        return text

    return _INLINE.sub(inline, files.joinpath("player.html").read_text(encoding="utf-8"))


def app_tool_meta() -> dict[str, Any]:
    """The ``_meta`` that binds a tool to the app: pass it as ``meta=`` to ``MCPServer.add_tool``."""
    return {"ui": {"resourceUri": APP_URI}}


def media_origin(value: str) -> str | None:
    """The CSP source for a media URL or origin (``scheme://host[:port]``), or None if unusable.

    https only, except http for loopback (the simulator); an exact origin, never a wildcard
    (``https://*.example.com`` is refused: it would let any host of that name in). Anything
    that could smuggle another CSP token (spaces, quotes, ``;``) is refused by the strict host
    pattern.
    """
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    scheme = parts.scheme.lower()
    if not host or scheme not in ("https", "http"):
        return None
    loopback = is_loopback(host)
    if scheme == "http" and not loopback:
        return None
    if ":" in host:  # IPv6 literal (only loopback reaches here over http; keep brackets)
        shown = f"[{host}]"
    elif _HOST.fullmatch(host):
        shown = host
    else:
        return None
    default = {"https": 443, "http": 80}[scheme]
    return f"{scheme}://{shown}" + (f":{port}" if port is not None and port != default else "")


def _origins(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        origin = media_origin(value) if isinstance(value, str) else None
        if origin:
            seen.setdefault(origin)
    return list(seen)


class AppResource(Resource):
    """The app's ``ui://`` resource; each read returns the CSP for the media known at that moment.

    ``MCPServer.read_resource`` takes the content's ``_meta`` from ``resource.meta`` right
    after ``read()`` returns, so ``read()`` sets it after its last ``await``: no other read
    can interleave, and ``resources/list`` shows the latest value.
    """

    media_origins: MediaOrigins = Field(exclude=True)

    async def read(self) -> str:
        try:
            found = self.media_origins()
            values = await found if inspect.isawaitable(found) else found
            domains = _origins(values)
        except Exception:  # a bad lookup must not take the whole player down
            log.warning("could not list media origins for the app's CSP", exc_info=True)
            domains = []
        html = app_html()
        ui: dict[str, Any] = {"prefersBorder": True}
        if domains:
            ui["csp"] = {"resourceDomains": domains}
        self.meta = {"ui": ui}
        return html


def build_apps(media_origins: MediaOrigins) -> Apps:
    """The Apps extension carrying the app's resource; pass it to ``MCPServer(extensions=[...])``.

    ``media_origins`` is called on every ``resources/read`` of the app: return the configured
    media origins plus the URLs (or origins) of known exports. Bind ``status`` and ``export``
    with ``meta=app_tool_meta()``.
    """
    apps = Apps()
    apps.add_resource(
        AppResource(
            uri=APP_URI,
            name="player",
            title="Video player and timeline",
            description="Plays the exported video and draws its timeline; exports and refreshes.",
            mime_type=APP_MIME_TYPE,
            meta={"ui": {"prefersBorder": True}},
            media_origins=media_origins,
        )
    )
    return apps


__all__ = [
    "APP_URI",
    "EXT_APPS_VERSION",
    "AppResource",
    "MediaOrigins",
    "app_html",
    "app_tool_meta",
    "build_apps",
    "media_origin",
]
