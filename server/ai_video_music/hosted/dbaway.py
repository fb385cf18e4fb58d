"""The database away (restarting, unreachable): a clear answer to try again, never a traceback.

The pools reconnect by themselves once PostgreSQL is back (their connections are checked before
use); until then a request that needs the database (the bearer check on ``/mcp``, sign-in)
waits ``NEMO_DATABASE_WAIT_S`` for a connection and then fails. Here that failure becomes a
503 with ``Retry-After``: on ``/mcp`` a JSON-RPC error the MCP client shows as the call's error,
elsewhere a small JSON body, in the language the request asks for (``Accept-Language``), else in
both (who the user is, and their language, live in the database that is away).
"""

from __future__ import annotations

import json
import logging

import psycopg
from psycopg_pool import PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import LocalStateError
from ..messages import LANGUAGES, Lang, parse_language, t
from ..sanitize import for_log

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5
SERVER_ERROR = -32000  # JSON-RPC's range for implementation-defined server errors
_AWAY = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout)


def database_away(err: BaseException) -> bool:
    """Whether ``err`` means the database can't be reached (not a bug in a query)."""
    if isinstance(err, BaseExceptionGroup):
        return all(database_away(e) for e in err.exceptions)
    if isinstance(err, LocalStateError):
        return err.message_key == "state.database"
    return isinstance(err, _AWAY)


def away_text(langs: tuple[Lang, ...]) -> str:
    return "\n".join(t("state.database", lang) + " " + t("state.database.remedy", lang) for lang in langs)


def request_languages(scope: Scope) -> tuple[Lang, ...]:
    for name, value in scope.get("headers") or []:
        if name == b"accept-language":
            found = parse_language(value.decode("latin-1").split(",")[0])
            if found:
                return (found,)
    return LANGUAGES


class DatabaseAway:
    """ASGI middleware: a database failure before the response started is answered as 503."""

    def __init__(self, app: ASGIApp, mcp_path: str) -> None:
        self.app = app
        self.mcp_path = mcp_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except BaseException as err:
            if started or not database_away(err):
                raise
            path = for_log(scope.get("path"))  # a client chooses it: escaped, capped
            log.warning("database unreachable: answered %s with 503", path, exc_info=True)
            await self._answer(scope, send)

    async def _answer(self, scope: Scope, send: Send) -> None:
        text = away_text(request_languages(scope))
        body: dict[str, object]
        if scope.get("path") == self.mcp_path:
            # The client pairs a null id with the request it sent (the body was never read).
            error = {"code": SERVER_ERROR, "message": text, "data": {"retry_after": RETRY_AFTER_S}}
            body = {"jsonrpc": "2.0", "id": None, "error": error}
        else:
            body = {"error": "temporarily_unavailable", "error_description": text}
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"retry-after", str(RETRY_AFTER_S).encode()),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
