"""How answers look on the wire: the two documented envelopes, errors, and endpoint-level faults."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .config import Envelope
from .faults import ENDPOINT_FAULTS
from .state import Session, SimState, User

HTTP_FOR_CODE = {1001: 401, 1002: 404, 2001: 403, 4001: 415, 4002: 413, 400: 400, 402: 402, 429: 429}
ATTRIBUTION = ("x-skill-source", "x-skill-version", "x-skill-platform")

Handler = Callable[[SimState, Request], Awaitable[Response]]


class ApiReject(Exception):
    """Raised by a handler: becomes an error body in the configured envelope."""

    def __init__(self, code: int, message: str, http: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.code, self.message, self.retry_after = code, message, retry_after
        self.http = http or HTTP_FOR_CODE.get(code, 400)


def ok(state: SimState, data: dict[str, Any] | None, top: dict[str, Any] | None = None) -> JSONResponse:
    """A success in the configured envelope; ``top`` fields sit beside it (documented for some
    endpoints), and ``data=None`` leaves ``data`` out (everything at the top level)."""
    body: dict[str, Any]
    if state.config.envelope == Envelope.SUCCESS:
        body = {"success": True, "data": data, "error": None}
    else:
        body = {"code": 0, "message": "ok", "data": data}
    if data is None:
        del body["data"]
    return JSONResponse(body | (top or {}))


def fail(state: SimState, exc: ApiReject) -> Response:
    headers = {"Retry-After": f"{exc.retry_after:g}"} if exc.retry_after is not None else None
    body: dict[str, Any]
    if state.config.envelope == Envelope.SUCCESS:
        body = {"success": False, "data": None, "error": {"code": exc.code, "message": exc.message}}
    else:
        body = {"code": exc.code, "message": exc.message, "data": None}
    return JSONResponse(body, status_code=exc.http, headers=headers)


def user_for(state: SimState, request: Request) -> User:
    auth = request.headers.get("authorization", "")
    token = auth.removeprefix("Bearer ").strip()
    with state.lock:
        entry = state.tokens.get(token)
        if not auth.startswith("Bearer ") or entry is None:
            raise ApiReject(1001, "token invalid")
        user_id, expires = entry
        if time.time() >= expires:
            raise ApiReject(1001, "token expired")
        return state.users[user_id]


def session_for(state: SimState, user: User, sid: str) -> Session:
    with state.lock:
        session = state.sessions.get(sid)
    if session is None or session.user_id != user.user_id:
        raise ApiReject(1002, "session not found")
    return session


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _record(state: SimState, request: Request, name: str) -> None:
    entry = {
        "route": name,
        "method": request.method,
        "path": request.url.path,
        "port": request.url.port,
        "authorization": "authorization" in request.headers,
        "attribution": {h: request.headers.get(h) for h in ATTRIBUTION},
        "client_id": request.headers.get("x-client-id"),
        "range": request.headers.get("range"),  # a storage read in pieces, or whole
        "at": time.time(),
    }
    with state.lock:
        state.requests.append(entry)


def _injected(state: SimState, name: str) -> Response | None:
    fault = state.faults.take(name, ENDPOINT_FAULTS)
    if fault is None:
        return None
    kind = fault.kind
    if kind.isdigit() and int(kind) in HTTP_FOR_CODE:
        code = int(kind)
        retry = fault.retry_after if code == 429 else None
        return fail(state, ApiReject(code, f"injected {code}", retry_after=retry))
    if kind in ("500", "502", "503"):
        return fail(state, ApiReject(int(kind), "injected server error", http=int(kind)))
    if kind == "html":
        return Response("<html><body>502 Bad Gateway</body></html>", 502, media_type="text/html")
    if kind == "malformed":
        return Response('{"code": 0, "data": {', 200, media_type="application/json")
    return JSONResponse({"code": 0, "data": ["unexpected", "list"]})  # "shape"


def endpoint(state: SimState, name: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Record the request, answer an injected fault if one is queued, else run the handler."""

    async def wrapped(request: Request) -> Response:
        _record(state, request, name)
        if (request.url.port == state.storage_port) != (name in ("storage", "media")):
            return Response("not found", 404)  # the API and the storage host are different origins
        injected = _injected(state, name)
        if injected is not None:
            return injected
        try:
            return await handler(state, request)
        except ApiReject as exc:
            return fail(state, exc)

    return wrapped
