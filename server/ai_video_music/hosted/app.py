"""The hosted server as one ASGI app: health, OAuth, sign-in and the per-user MCP endpoint.

Routes: ``/healthz``; the SDK's OAuth routes (``/.well-known/oauth-authorization-server``,
``/authorize``, ``/token``, ``/register``, ``/revoke``) and protected-resource metadata
(``/.well-known/oauth-protected-resource/mcp``), all with CORS where browsers call them;
``/signin`` and ``/signout``; ``/mcp``, which needs a bearer token issued for ``<public>/mcp``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from mcp.server.auth.handlers.metadata import MetadataHandler
from mcp.server.auth.middleware.auth_context import AuthContextMiddleware
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser, BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.provider import ProviderTokenVerifier
from mcp.server.auth.routes import (
    build_metadata,
    build_resource_metadata_url,
    cors_middleware,
    create_auth_routes,
    create_protected_resource_routes,
)
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from mcp.server.transport_security import (
    DEFAULT_MAX_REQUEST_BODY_SIZE,
    RequestBodyLimitMiddleware,
    TransportSecuritySettings,
)
from pydantic import AnyHttpUrl
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from ..config import Settings
from . import db
from .accounts import Accounts
from .attempts import SigninLimit
from .client_documents import ClientDocuments
from .config import MCP_PATH, HostedConfig
from .dbaway import DatabaseAway
from .housekeeping import sweep_forever
from .oauth import SCOPE, PostgresOAuthProvider
from .secrets_box import SecretBox
from .signin import SignIn
from .store_pg import make_store_pool
from .users import UserServers

log = logging.getLogger(__name__)
METADATA_PATH = "/.well-known/oauth-authorization-server"


class McpEndpoint:
    """``/mcp`` after the bearer check: find the user the token belongs to, hand the request to
    their own server."""

    def __init__(self, accounts: Accounts, servers: UserServers, metadata_url: str) -> None:
        self.accounts = accounts
        self.servers = servers
        self.challenge = f'Bearer error="invalid_token", resource_metadata="{metadata_url}"'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        auth_user = scope.get("user")
        assert isinstance(auth_user, AuthenticatedUser)  # RequireAuthMiddleware let it through
        user_id = auth_user.access_token.subject
        user = await self.accounts.load(user_id) if user_id else None
        if user is None:  # forgotten between the token check and here
            response = JSONResponse(
                {"error": "invalid_token"}, status_code=401, headers={"WWW-Authenticate": self.challenge}
            )
            await response(scope, receive, send)
            return
        await self.servers.handle(user, scope, receive, send)


def transport_security(config: HostedConfig) -> TransportSecuritySettings:
    """Host and Origin checks on /mcp: only our public name, only our origin or listed ones."""
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[config.public_host],
        allowed_origins=[config.public_origin, *config.allowed_origins],
    )


def oauth_routes(provider: PostgresOAuthProvider, config: HostedConfig) -> list[Route]:
    """The SDK's OAuth routes, with our own server metadata: it also says that client ID metadata
    documents work and that authorization responses carry ``iss`` (RFC 9207)."""
    issuer = AnyHttpUrl(config.public_url)
    registration = ClientRegistrationOptions(enabled=True, valid_scopes=[SCOPE], default_scopes=[SCOPE])
    revocation = RevocationOptions(enabled=True)
    metadata = build_metadata(issuer, None, registration, revocation)
    metadata.client_id_metadata_document_supported = True
    metadata.authorization_response_iss_parameter_supported = True
    provider.issuer = str(metadata.issuer)  # the exact spelling clients compare iss with
    routes = [
        route
        for route in create_auth_routes(
            provider,
            issuer_url=issuer,
            client_registration_options=registration,
            revocation_options=revocation,
        )
        if route.path != METADATA_PATH
    ]
    handler = cors_middleware(MetadataHandler(metadata).handle, ["GET", "OPTIONS"])
    return [Route(METADATA_PATH, endpoint=handler, methods=["GET", "OPTIONS"]), *routes]


def create_app(
    config: HostedConfig,
    settings: Settings,
    *,
    clock: Callable[[], float] = time.monotonic,
    client_documents: ClientDocuments | None = None,
) -> Starlette:
    """The app; the database is opened (and migrated) when the app starts, not here.
    ``clock`` times how long a user's server has been idle; ``client_documents`` fetches client
    ID metadata documents (default: from public addresses only). Tests replace both."""
    pool = db.make_pool(config.database_url, wait=config.database_wait)
    store_pool = make_store_pool(
        config.database_url, max_size=config.store_connections, wait=config.database_wait
    )
    box = SecretBox(config.secret_key)
    provider = PostgresOAuthProvider(pool, config, box, client_documents or ClientDocuments())
    accounts = Accounts(pool, box)
    servers = UserServers(
        settings,
        Path(settings.home) / "hosted",
        transport_security(config),
        store_pool,
        idle_after=config.idle_after,
        requests_per_user=config.requests_per_user,
        clock=clock,
    )
    resource = AnyHttpUrl(config.resource_url)
    metadata_url = build_resource_metadata_url(resource)

    async def healthz(_: Request) -> Response:
        ok = await db.healthy(pool)
        return JSONResponse({"status": "ok" if ok else "unavailable"}, status_code=200 if ok else 503)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await pool.open(wait=True, timeout=30)
        try:
            async with pool.connection() as conn:
                await db.migrate(conn)
            await anyio.to_thread.run_sync(lambda: store_pool.open(wait=True, timeout=30))
            async with servers.run(), anyio.create_task_group() as tg:
                tg.start_soon(sweep_forever, pool)
                yield
                tg.cancel_scope.cancel()
        finally:
            await anyio.to_thread.run_sync(store_pool.close)
            await pool.close()

    limit = SigninLimit(pool, config.signin_failures_allowed, config.signin_failures_window)
    signin = SignIn(config, settings, provider, accounts, servers.forget, limit)
    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        *oauth_routes(provider, config),
        *create_protected_resource_routes(
            resource_url=resource,
            authorization_servers=[AnyHttpUrl(config.public_url)],
            scopes_supported=[SCOPE],
            resource_name="AI Video Generator with Free Music",
        ),
        *signin.routes(),
        Route(
            MCP_PATH,
            RequireAuthMiddleware(McpEndpoint(accounts, servers, str(metadata_url)), [SCOPE], metadata_url),
        ),
    ]
    middleware = [
        # Outermost: a database away (restarting) is said as such, whatever was asking it.
        Middleware(DatabaseAway, mcp_path=MCP_PATH),
        # Forms and OAuth requests are small; /mcp has its own limit in the SDK's transport.
        Middleware(RequestBodyLimitMiddleware, max_body_size=DEFAULT_MAX_REQUEST_BODY_SIZE),
        Middleware(
            AuthenticationMiddleware,
            backend=BearerAuthBackend(ProviderTokenVerifier(provider), resource_server_url=resource),
        ),
        Middleware(AuthContextMiddleware),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.servers = servers
    return app
