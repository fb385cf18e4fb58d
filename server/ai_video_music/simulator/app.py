"""The routes: each endpoint's name (used by fault injection and the request log) and handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .envelope import Handler, endpoint
from .handlers import admin, auth, render, run_sse, session, storage, upload
from .state import SimState

# (name, method, path, handler)
ROUTES: tuple[tuple[str, str, str, Handler], ...] = (
    ("token", "POST", "/api/auth/anonymous-token", auth.anonymous_token),
    ("claim", "POST", "/api/auth/claim-token", auth.claim_token),
    ("session", "POST", "/api/tasks/me/with-session/nemo_agent", session.create_session),
    ("credits", "GET", "/api/credits/balance/simple", session.credits),
    ("state", "GET", "/api/state/nemo_agent/me/{sid}/latest", session.latest_state),
    ("upload", "POST", "/api/upload-video/nemo_agent/me/{sid}", upload.upload),
    ("run_sse", "POST", "/run_sse", run_sse.run_sse),
    ("render", "POST", "/api/render/proxy/lambda", render.render_start),
    ("render_poll", "GET", "/api/render/proxy/lambda/{rid}", render.render_poll),
    ("render_cancel", "POST", "/api/render/proxy/lambda/{rid}/cancel", render.render_cancel),
    ("download", "GET", "/api/render/proxy/{rid}/download", render.render_download),
    ("storage", "GET", "/storage/{name}", storage.storage),
    ("media", "GET", "/media/{key}/{name}", storage.media),
)
ADMIN: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/_sim/faults", admin.add_fault),
    ("POST", "/_sim/config", admin.configure),
    ("GET", "/_sim/log", admin.log),
    ("POST", "/_sim/{action}", admin.action),
)
ROUTE_NAMES = frozenset(name for name, *_ in ROUTES)


def _bound(state: SimState, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def call(request: Request) -> Response:
        return await handler(state, request)

    return call


def build_app(state: SimState) -> Starlette:
    """The simulator as an ASGI app over ``state``."""
    routes = [Route(path, endpoint(state, name, h), methods=[m]) for name, m, path, h in ROUTES]
    routes += [Route(path, _bound(state, h), methods=[m]) for m, path, h in ADMIN]
    return Starlette(routes=routes)
