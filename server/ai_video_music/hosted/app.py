"""The hosted server as one ASGI app: health, OAuth, sign-in and the per-user MCP endpoint."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..config import Settings
from . import db
from .config import HostedConfig
from .secrets_box import SecretBox

log = logging.getLogger(__name__)


@dataclass
class Hosted:
    """What every route shares, built once at start: configuration, database, keys."""

    config: HostedConfig
    settings: Settings  # the local settings every user's service starts from
    box: SecretBox = field(init=False)
    pool: AsyncConnectionPool | None = None

    def __post_init__(self) -> None:
        self.box = SecretBox(self.config.secret_key)

    @property
    def db(self) -> AsyncConnectionPool:
        if self.pool is None:
            raise RuntimeError("the database pool is not open yet")
        return self.pool


async def healthz(request: Request) -> Response:
    hosted: Hosted = request.app.state.hosted
    ok = hosted.pool is not None and await db.healthy(hosted.pool)
    return JSONResponse({"status": "ok" if ok else "unavailable"}, status_code=200 if ok else 503)


def create_app(config: HostedConfig, settings: Settings) -> Starlette:
    """The app; the database is opened (and migrated) when the app starts, not here."""
    hosted = Hosted(config, settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        pool = await db.open_pool(config.database_url)
        try:
            async with pool.connection() as conn:
                await db.migrate(conn)
            hosted.pool = pool
            yield
        finally:
            hosted.pool = None
            await pool.close()

    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.hosted = hosted
    return app
