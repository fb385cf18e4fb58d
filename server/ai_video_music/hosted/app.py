"""The hosted server as one ASGI app: health, OAuth, sign-in and the per-user MCP endpoint.

Routes: ``/healthz``; the SDK's OAuth routes (``/.well-known/oauth-authorization-server``,
``/authorize``, ``/token``, ``/register``, ``/revoke``) and protected-resource metadata
(``/.well-known/oauth-protected-resource/mcp``), all with CORS where browsers call them;
``/signin`` and ``/signout``; ``/upload/<secret>``, the upload page the ``upload`` tool links to;
``/mcp``, which needs a bearer token issued for ``<public>/mcp``.
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
    AUTHORIZATION_PATH,
    TOKEN_PATH,
    build_metadata,
    build_resource_metadata_url,
    cors_middleware,
    create_auth_routes,
    create_protected_resource_routes,
)
from mcp.server.auth.settings import ClientRegistrationOptions, RevocationOptions
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import AnyHttpUrl
from starlette.applications import Starlette
from starlette.authentication import AuthCredentials, AuthenticationBackend, UnauthenticatedUser
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import Settings
from ..messages import t
from . import db
from .accounts import Accounts
from .attempts import AddressLimit
from .bodies import HELD_BUDGET, MCP_RULE, SIGNOUT_RULE, SMALL_RULE, BodyGuard, HeldBytes, Rule
from .call_limit import CallLimit, TooDeep, read_body, refuse, replay, too_deep, tool_calls
from .client_documents import ClientDocuments
from .config import MCP_PATH, HostedConfig
from .dbaway import DatabaseAway, request_languages
from .housekeeping import sweep_forever
from .oauth import SCOPE, PostgresOAuthProvider, fetching_documents, only_our_resource
from .page import page_language, render
from .ratelimit import BadBearers, Limited, LimitedPaths, RateLimit
from .secrets_box import SecretBox
from .signin import SIGNOUT_PATH, SignIn
from .store_pg import make_store_pool
from .team import TeamLedger
from .upload_links import UPLOAD_PATH, UploadLinks
from .upload_page import UploadDesk
from .users import UserServers, too_many

log = logging.getLogger(__name__)
METADATA_PATH = "/.well-known/oauth-authorization-server"


class McpEndpoint:
    """``/mcp`` after the bearer check: find the user the token belongs to, hand the request to
    their own server."""

    def __init__(
        self, accounts: Accounts, servers: UserServers, metadata_url: str, calls: CallLimit | None = None
    ) -> None:
        self.accounts = accounts
        self.servers = servers
        self.challenge = f'Bearer error="invalid_token", resource_metadata="{metadata_url}"'
        self.calls = calls  # tool calls per user per minute, across instances

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        auth_user = scope.get("user")
        assert isinstance(auth_user, AuthenticatedUser)  # RequireAuthMiddleware let it through
        user_id = auth_user.access_token.subject
        user = await self.accounts.load_for(user_id, auth_user.access_token.token) if user_id else None
        if user is None:  # forgotten between the token check and here
            response = JSONResponse(
                {"error": "invalid_token"}, status_code=401, headers={"WWW-Authenticate": self.challenge}
            )
            await response(scope, receive, send)
            return
        # The user's slot first, then their body: a body that never comes holds one of their
        # requests_per_user, not one of the instance's (attack18 B1).
        with self.servers.slot(user.id) as taken:
            if not taken:
                await too_many(scope, receive, send)
                return
            if self.calls is not None and scope.get("method") == "POST":
                body, read = await read_body(receive)
                receive = replay(read, receive)
                try:
                    calls = tool_calls(body)
                except TooDeep:
                    await too_deep(request_languages(scope), scope, receive, send)
                    return
                if calls:
                    verdict = await self.calls.take(user.id)
                    if not verdict.allowed:
                        await refuse(calls, verdict, self.calls.per_minute, scope, receive, send)
                        return
            await self.servers.handle(user, scope, receive, send)


class BearersOnly:
    """ASGI middleware: the bearer check (``AuthenticationMiddleware``: a database lookup of the
    token) only on the paths that use a token, ``path`` and those under ``prefix``; elsewhere the
    request is anonymous whatever it carries, so a made-up token sent to /healthz or an unknown
    path costs no lookup (attack17 A6: only /mcp's were limited)."""

    def __init__(self, app: ASGIApp, *, path: str, prefix: str, backend: AuthenticationBackend) -> None:
        self.app = app
        self.path = path
        self.prefix = prefix
        self.checked = AuthenticationMiddleware(app, backend=backend)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        if path == self.path or path.startswith(self.prefix):
            await self.checked(scope, receive, send)
            return
        scope["auth"], scope["user"] = AuthCredentials(), UnauthenticatedUser()
        await self.app(scope, receive, send)


def transport_security(config: HostedConfig) -> TransportSecuritySettings:
    """Host and Origin checks on /mcp: only our public name, only our origin or listed ones."""
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[config.public_host],
        allowed_origins=[config.public_origin, *config.allowed_origins],
    )


def busy_page(request: Request, limit: RateLimit) -> Response:
    """/authorize over its limit: a browser is showing this, so a page, in the user's language."""
    lang = page_language(request)
    minutes = max(1, limit.window // 60)
    alert = t("hosted.authorize.too_many", lang, minutes=minutes)
    page = render(request, lang, title_key="hosted.signin.title", alert=alert, status=429)
    page.headers["Retry-After"] = str(limit.window)
    return page


def busy_signout_page(request: Request, limit: RateLimit) -> Response:
    """/signout over its limit: a page, in the user's language."""
    lang = page_language(request)
    alert = t("hosted.signout.too_many", lang, minutes=max(1, limit.window // 60))
    page = render(request, lang, title_key="hosted.signout.title", alert=alert, status=429)
    page.headers["Retry-After"] = str(limit.window)
    return page


def busy_upload_page(request: Request, limit: RateLimit) -> Response:
    """/upload/<link> over its limit: a page, in the user's language."""
    lang = page_language(request)
    alert = t("hosted.upload.pages_limited", lang, minutes=max(1, limit.window // 60))
    page = render(request, lang, title_key="hosted.upload.title", alert=alert, status=429)
    page.headers["Retry-After"] = str(limit.window)
    return page


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
    for route in routes:
        if isinstance(route, Route) and route.path == AUTHORIZATION_PATH:
            route.app = fetching_documents(route.app)  # the one place a client's document is fetched
        if isinstance(route, Route) and route.path == TOKEN_PATH:
            route.app = only_our_resource(route.app, config.resource_url)
    handler = cors_middleware(MetadataHandler(metadata).handle, ["GET", "OPTIONS"])
    return [Route(METADATA_PATH, endpoint=handler, methods=["GET", "OPTIONS"]), *routes]


def create_app(
    config: HostedConfig,
    settings: Settings,
    *,
    clock: Callable[[], float] = time.monotonic,
    client_documents: ClientDocuments | None = None,
    wall_clock: Callable[[], float] = time.time,
    small_body: Rule = SMALL_RULE,
    mcp_body: Rule = MCP_RULE,
    held_budget: int = HELD_BUDGET,
) -> Starlette:
    """The app; the database is opened (and migrated) when the app starts, not here.
    ``clock`` times how long a user's server has been idle; ``client_documents`` fetches client
    ID metadata documents (default: from public addresses only); ``wall_clock`` places tool calls
    in their minute for the rate limit; ``small_body`` and ``mcp_body`` bound a body's size and
    the time it may take to arrive (every route, and a signed-in ``/mcp``), ``held_budget`` the body
    bytes held at once (``bodies``). Tests replace them."""
    pool = db.make_pool(config.database_url, wait=config.database_wait)
    store_pool = make_store_pool(
        config.database_url, max_size=config.store_connections, wait=config.database_wait
    )
    box = SecretBox(config.secret_key)
    provider = PostgresOAuthProvider(pool, config, box, client_documents or ClientDocuments())
    accounts = Accounts(pool, box, config.team_token)
    team = TeamLedger(pool, config.team_quota, config.team_quota_days) if config.team else None
    links = UploadLinks(pool, config.public_url, config.upload_link_ttl)
    servers = UserServers(
        settings,
        Path(settings.home) / "hosted",
        transport_security(config),
        store_pool,
        idle_after=config.idle_after,
        max_resident=config.resident_users,
        requests_per_user=config.requests_per_user,
        clock=clock,
        team=team,
        upload_pages=links.for_user,
    )
    desk = UploadDesk(config, settings, links, accounts, store_pool, Path(settings.home) / "hosted")
    resource = AnyHttpUrl(config.resource_url)
    metadata_url = build_resource_metadata_url(resource)

    async def healthz(_: Request) -> Response:
        ok = await db.healthy(pool, config.health_wait)
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

    limit = AddressLimit(
        pool, config.signin_failures_allowed, config.signin_failures_window, fresh_client_try=True
    )
    free = (
        AddressLimit(pool, config.free_per_address, config.free_window, "free_accounts")
        if config.allow_anonymous and not config.team
        else None
    )
    signin = SignIn(config, settings, provider, accounts, servers.forget, limit, free)
    calls = CallLimit(pool, config.calls_per_minute, wall_clock) if config.calls_per_minute > 0 else None
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
        *desk.routes(),
        Route(
            MCP_PATH,
            RequireAuthMiddleware(
                McpEndpoint(accounts, servers, str(metadata_url), calls), [SCOPE], metadata_url
            ),
        ),
    ]
    window = config.anonymous_window
    anonymous = {
        "/register": Limited(RateLimit(pool, "register", config.registrations_per_address, window)),
        "/authorize": Limited(
            RateLimit(pool, "authorize", config.authorizations_per_address, window, fresh_client_try=True),
            refuse=busy_page,
        ),
        # Each token request looks its client up (and checks a code or refresh token) in the database.
        TOKEN_PATH: Limited(RateLimit(pool, "token", config.tokens_per_address, window)),
        # Sent by the same client servers as /token; a client lookup and up to three token lookups.
        "/revoke": Limited(RateLimit(pool, "revoke", config.tokens_per_address, window)),
        # The page each /authorize leads to, its form and its language switch: a request lookup each.
        "/signin": Limited(
            RateLimit(pool, "signin", 3 * config.authorizations_per_address, window, fresh_client_try=True),
            refuse=busy_page,
        ),
        # "Forget my token": its page and form, counted before the form is read (a stalled one
        # held an instance: attack18 B2) and before a free account's cookie is looked up (B4).
        SIGNOUT_PATH: Limited(
            RateLimit(pool, "signout", config.authorizations_per_address, window, fresh_client_try=True),
            refuse=busy_signout_page,
        ),
    }
    # An upload link (its page and its form) is looked up on each request.
    upload_pages = {
        UPLOAD_PATH: Limited(
            RateLimit(pool, "upload", 3 * config.authorizations_per_address, window, fresh_client_try=True),
            refuse=busy_upload_page,
        )
    }
    middleware = [
        # Outermost: a database away (restarting) is said as such, whatever was asking it.
        Middleware(DatabaseAway, mcp_path=MCP_PATH),
        # Bodies are counted as they are read, never held here: forms and OAuth requests are small,
        # a signed-in /mcp up to 4 MiB, each within a deadline and the instance's budget; the upload
        # page streams, within its own limits.
        Middleware(
            BodyGuard,
            rules={MCP_PATH: mcp_body, SIGNOUT_PATH: SIGNOUT_RULE},
            default=small_body,
            held=HeldBytes(held_budget),
            unbounded=UPLOAD_PATH,
            mcp_path=MCP_PATH,
        ),
        Middleware(LimitedPaths, limits=anonymous, prefixes=upload_pages),
        # /mcp with a token no one was given: counted per address (valid tokens never are).
        Middleware(
            BadBearers, path=MCP_PATH, limit=RateLimit(pool, "bad_bearer", config.tokens_per_address, window)
        ),
        Middleware(
            BearersOnly,
            path=MCP_PATH,
            prefix=UPLOAD_PATH,  # the upload page tells a signed-in user someone else's link
            backend=BearerAuthBackend(ProviderTokenVerifier(provider), resource_server_url=resource),
        ),
        Middleware(AuthContextMiddleware),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.servers = servers
    return app
