"""The OAuth 2.1 authorization server's storage: the SDK's provider protocol over PostgreSQL.

The SDK (``mcp.server.auth``) parses and checks the requests (PKCE S256, redirect URIs, client
authentication, expiry); this provider decides what exists. Codes and tokens are random values
kept only as their SHA-256; a code works once and a refresh token works once and is replaced
(a replayed one of either ends the whole grant); revoking any token of a grant ends the grant.
Access tokens are bound to one audience, the MCP endpoint (RFC 8707). Client descriptions are
checked by :mod:`client_metadata`.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from typing import Any

from mcp.server.auth.provider import (
    AccessToken,
    AuthorizationCode,
    AuthorizationParams,
    AuthorizeError,
    OAuthAuthorizationServerProvider,
    RefreshToken,
    RegistrationError,
    TokenError,
    construct_redirect_uri,
)
from mcp.shared.auth import OAuthClientInformationFull, OAuthToken
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool
from pydantic import AnyHttpUrl, AnyUrl, ValidationError
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from .call_limit import read_body, replay
from .client_documents import CACHE_SECONDS, ClientDocuments, is_document_url
from .client_metadata import Destination, destination, problem
from .clients import scope_client_key
from .config import HostedConfig
from .secrets_box import SecretBox, digest, new_secret

SIGNIN_PATH = "/signin"
SCOPE = "mcp"  # one scope: the user's own videos, all of them

# Whether this request may fetch a client's metadata document: only /authorize, which is limited
# per address and where a client starts every sign-in. Elsewhere (/token, /revoke) the SDK also
# looks the client up, and a fetch there would let anyone make the server send a GET to a URL of
# their choosing per request (attack7 A5); a client that never came to /authorize holds no code
# or refresh token to present anyway.
_may_fetch_documents: ContextVar[bool] = ContextVar("may_fetch_documents", default=False)
_document_asker: ContextVar[str | None] = ContextVar("document_asker", default=None)


def fetching_documents(app: ASGIApp) -> ASGIApp:
    """``app`` (the /authorize route), allowed to fetch client metadata documents."""

    async def allowed(scope: Scope, receive: Receive, send: Send) -> None:
        token = _may_fetch_documents.set(True)
        asker = _document_asker.set(scope_client_key(scope))  # its lookups are counted by address
        try:
            await app(scope, receive, send)
        finally:
            _document_asker.reset(asker)
            _may_fetch_documents.reset(token)

    return allowed


def only_our_resource(app: ASGIApp, resource_url: str) -> ASGIApp:
    """``app`` (the /token route), refusing a request that names another ``resource`` (RFC 8707
    §2.2: ``invalid_target``): the SDK passes it to no provider method, and a client that asked
    for another resource would take our token for that one's (attack16b F5). The form is a few
    KiB at most (``bodies``); it is read here and handed on, parsed by the form parser the SDK
    uses (Starlette's, multipart too: a urlencoded-only reading missed ``resource`` in a
    multipart body, attack17 A5)."""

    async def checked(scope: Scope, receive: Receive, send: Send) -> None:
        _, read = await read_body(receive)
        try:
            async with Request(scope, replay(read, receive)).form() as form:
                named: list[object] = list(form.getlist("resource"))
        except (HTTPException, MultiPartException, ValueError):  # malformed: the SDK answers it
            named = []
        if any(not (isinstance(r, str) and same_resource(r, resource_url)) for r in named):
            error = {
                "error": "invalid_target",
                "error_description": f"this server only issues tokens for {resource_url}",
            }
            response = JSONResponse(error, status_code=400, headers={"Cache-Control": "no-store"})
            await response(scope, receive, send)
            return
        await app(scope, replay(read, receive), send)

    return checked


def same_resource(a: str, b: str) -> bool:
    """RFC 8707 resources compared as URLs (case of the host, default port), a trailing slash aside."""
    try:
        return str(AnyHttpUrl(a)).removesuffix("/") == str(AnyHttpUrl(b)).removesuffix("/")
    except ValidationError:
        return False


class PostgresOAuthProvider(OAuthAuthorizationServerProvider[AuthorizationCode, RefreshToken, AccessToken]):
    """The SDK's provider protocol (subclassed explicitly: its default refuses the SEP-990
    identity-assertion grant, which we don't offer)."""

    def __init__(
        self,
        pool: AsyncConnectionPool,
        config: HostedConfig,
        box: SecretBox,
        documents: ClientDocuments | None = None,
    ) -> None:
        self.pool = pool
        self.config = config
        self.box = box
        self.documents = documents
        self.issuer = config.public_url  # what the metadata names (app.py sets the exact spelling)

    # --- clients (RFC 7591, and metadata documents) -----------------------------------------

    async def get_client(self, client_id: str) -> OAuthClientInformationFull | None:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT info, secret, fetched_at IS NOT NULL AS fetched,"
                " fetched_at > now() - make_interval(secs => %s) AS fresh"
                " FROM oauth_clients WHERE client_id = %s",
                (CACHE_SECONDS, client_id),
            )
            row = await cur.fetchone()
        may_fetch = _may_fetch_documents.get()
        # A stale document is fetched again only at /authorize; elsewhere the stored one serves.
        if row is not None and (not row[2] or row[3] or not may_fetch):
            info: dict[str, Any] = row[0]
            if any(destination(str(uri)) is None for uri in info.get("redirect_uris") or []):
                return None  # registered before such redirects were refused: never sent a code
            secret = self.box.open(row[1]) if row[1] is not None else None
            return OAuthClientInformationFull.model_validate(info | {"client_secret": secret})
        if not may_fetch or self.documents is None or not is_document_url(client_id):
            return None
        client = await self.documents.fetch(client_id, _document_asker.get())
        if client is None:
            return None
        client.scope = SCOPE  # a document can't be granted scopes we don't have; ours is the one
        info = client.model_dump(mode="json", exclude={"client_secret"})
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO oauth_clients (client_id, info, fetched_at) VALUES (%s, %s, now())"
                " ON CONFLICT (client_id) DO UPDATE SET info = EXCLUDED.info, fetched_at = now()"
                " WHERE oauth_clients.fetched_at IS NOT NULL",  # never overwrite a registered client
                (client_id, json.dumps(info)),
            )
        return client

    async def register_client(self, client_info: OAuthClientInformationFull) -> None:
        refused = problem(client_info)
        if refused is not None:
            raise RegistrationError(*refused)
        info = client_info.model_dump(mode="json", exclude={"client_secret"})
        sealed = self.box.seal(client_info.client_secret) if client_info.client_secret else None
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO oauth_clients (client_id, info, secret) VALUES (%s, %s, %s)",
                (client_info.client_id, json.dumps(info), sealed),
            )

    # --- authorization: hand over to the sign-in page ---------------------------------------

    async def authorize(self, client: OAuthClientInformationFull, params: AuthorizationParams) -> str:
        resource = params.resource or self.config.resource_url
        if not same_resource(resource, self.config.resource_url):
            only = self.config.resource_url
            raise AuthorizeError("invalid_target", f"this server only issues tokens for {only}")
        scopes = params.scopes or (client.scope.split() if client.scope else [SCOPE])
        pending = {
            "state": params.state,
            "scopes": scopes,
            "code_challenge": params.code_challenge,
            "redirect_uri": str(params.redirect_uri),
            "redirect_explicit": params.redirect_uri_provided_explicitly,
            "resource": self.config.resource_url,
        }
        request_id = new_secret()
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO signin_requests (id_hash, client_id, params, expires_at)"
                " VALUES (%s, %s, %s, now() + make_interval(secs => %s))",
                (digest(request_id), client.client_id, json.dumps(pending), self.config.signin_ttl),
            )
        return construct_redirect_uri(self.config.public_url + SIGNIN_PATH, request=request_id)

    async def signin_pending(self, request_id: str) -> bool:
        """Whether a sign-in page's request is still waiting (not used, not expired)."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT 1 FROM signin_requests WHERE id_hash = %s AND expires_at > now()",
                (digest(request_id),),
            )
            return await cur.fetchone() is not None

    async def signin_client(self, request_id: str) -> tuple[str | None, tuple[Destination, str] | None]:
        """Who is asking, for the sign-in page: the name the client gave itself (anyone can
        choose any name) and what the browser returns to (which the name can't fake): a site's
        host or an app's scheme."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT c.info ->> 'client_name', s.params ->> 'redirect_uri' FROM signin_requests s"
                " JOIN oauth_clients c USING (client_id) WHERE s.id_hash = %s",
                (digest(request_id),),
            )
            row = await cur.fetchone()
        if row is None:
            return None, None
        name = str(row[0])[:100] if row[0] else None
        returns_to = destination(str(row[1] or ""))
        return name, returns_to  # a long host is cut at its start, never its end

    async def complete_signin(self, request_id: str, user_id: str) -> str | None:
        """The user signed in: one code for the waiting request, and where to send the browser
        (the client's redirect URI). None if the request is unknown, used or expired."""
        code = new_secret()
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "DELETE FROM signin_requests WHERE id_hash = %s AND expires_at > now()"
                " RETURNING client_id, params",
                (digest(request_id),),
            )
            row = await cur.fetchone()
            if row is None:
                return None
            client_id, pending = row[0], row[1]
            grant_id = new_secret()
            await conn.execute(
                "INSERT INTO grants (id, user_id, client_id, scopes, resource) VALUES (%s, %s, %s, %s, %s)",
                (grant_id, user_id, client_id, pending["scopes"], pending["resource"]),
            )
            await conn.execute(
                "INSERT INTO auth_codes (code_hash, grant_id, code_challenge, redirect_uri,"
                " redirect_explicit, expires_at)"
                " VALUES (%s, %s, %s, %s, %s, now() + make_interval(secs => %s))",
                (
                    digest(code),
                    grant_id,
                    pending["code_challenge"],
                    pending["redirect_uri"],
                    pending["redirect_explicit"],
                    self.config.auth_code_ttl,
                ),
            )
        # RFC 9207: the issuer in the response, so a client talking to several servers can't be
        # tricked into sending this code to another one.
        return construct_redirect_uri(
            pending["redirect_uri"], code=code, state=pending["state"], iss=self.issuer
        )

    # --- codes ------------------------------------------------------------------------------

    async def load_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: str
    ) -> AuthorizationCode | None:
        async with self.pool.connection() as conn:
            cur = await conn.cursor(row_factory=dict_row).execute(
                "SELECT c.code_challenge, c.redirect_uri, c.redirect_explicit,"
                " extract(epoch FROM c.expires_at)::float8 AS expires_at,"
                " g.scopes, g.resource, g.user_id, g.client_id"
                " FROM auth_codes c JOIN grants g ON g.id = c.grant_id"
                " WHERE c.code_hash = %s AND g.client_id = %s AND g.revoked_at IS NULL"
                " AND c.used_at IS NULL",
                (digest(authorization_code), client.client_id),
            )
            row = await cur.fetchone()
        if row is None:
            await self._replayed(authorization_code)
            return None
        return AuthorizationCode(
            code=authorization_code,
            scopes=list(row["scopes"]),
            expires_at=row["expires_at"],
            client_id=row["client_id"],
            code_challenge=row["code_challenge"],
            redirect_uri=AnyUrl(row["redirect_uri"]),
            redirect_uri_provided_explicitly=row["redirect_explicit"],
            resource=row["resource"],
            subject=row["user_id"],
        )

    async def exchange_authorization_code(
        self, client: OAuthClientInformationFull, authorization_code: AuthorizationCode
    ) -> OAuthToken:
        async with self.pool.connection() as conn, conn.transaction():
            # Marking it used is what makes a code single-use, also between two instances racing;
            # the row stays (until it expires) so that a replay is recognised.
            cur = await conn.execute(
                "UPDATE auth_codes SET used_at = now() WHERE code_hash = %s AND used_at IS NULL"
                " RETURNING grant_id",
                (digest(authorization_code.code),),
            )
            row = await cur.fetchone()
            if row is not None:
                return await self._issue(conn, row[0], authorization_code.scopes)
        await self._replayed(authorization_code.code)  # the racing twin got it first
        raise TokenError("invalid_grant", "authorization code was already used")

    async def _replayed(self, code: str) -> None:
        """A code that was already exchanged came back: someone kept a copy (RFC 6749 §4.1.2).
        The tokens it gave may be in the wrong hands, so the whole grant ends."""
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "SELECT grant_id FROM auth_codes WHERE code_hash = %s AND used_at IS NOT NULL",
                (digest(code),),
            )
            row = await cur.fetchone()
            if row is not None:
                await self._revoke_grant(conn, row[0])

    async def _issue(self, conn: AsyncConnection, grant_id: str, scopes: list[str]) -> OAuthToken:
        access, refresh = new_secret(), new_secret()
        await conn.execute(
            "INSERT INTO access_tokens (token_hash, grant_id, expires_at)"
            " VALUES (%s, %s, now() + make_interval(secs => %s))",
            (digest(access), grant_id, self.config.access_token_ttl),
        )
        await conn.execute(
            "INSERT INTO refresh_tokens (token_hash, grant_id, expires_at)"
            " VALUES (%s, %s, now() + make_interval(secs => %s))",
            (digest(refresh), grant_id, self.config.refresh_token_ttl),
        )
        return OAuthToken(
            access_token=access,
            expires_in=self.config.access_token_ttl,
            scope=" ".join(scopes),
            refresh_token=refresh,
        )

    # --- refresh tokens ---------------------------------------------------------------------

    async def load_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: str
    ) -> RefreshToken | None:
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.cursor(row_factory=dict_row).execute(
                "SELECT r.grant_id, r.used_at IS NOT NULL AS used,"
                " extract(epoch FROM r.expires_at)::bigint AS expires_at, g.scopes, g.resource, g.user_id"
                " FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id"
                " WHERE r.token_hash = %s AND g.client_id = %s AND g.revoked_at IS NULL",
                (digest(refresh_token), client.client_id),
            )
            row = await cur.fetchone()
            if row is None:
                return None
            if row["used"]:
                # A rotated token came back: someone kept a copy. End the grant for both holders.
                await self._revoke_grant(conn, row["grant_id"])
                return None
        return RefreshToken(
            token=refresh_token,
            client_id=client.client_id,
            scopes=list(row["scopes"]),
            expires_at=row["expires_at"],
            resource=row["resource"],
            subject=row["user_id"],
        )

    async def exchange_refresh_token(
        self, client: OAuthClientInformationFull, refresh_token: RefreshToken, scopes: list[str]
    ) -> OAuthToken:
        async with self.pool.connection() as conn, conn.transaction():
            # Marking it used is what makes it single-use, also between two requests racing.
            cur = await conn.execute(
                "UPDATE refresh_tokens SET used_at = now()"
                " WHERE token_hash = %s AND used_at IS NULL AND expires_at > now() RETURNING grant_id",
                (digest(refresh_token.token),),
            )
            row = await cur.fetchone()
            if row is not None:
                # The access tokens of the old pair end with it: one live pair per grant.
                await conn.execute("DELETE FROM access_tokens WHERE grant_id = %s", (row[0],))
                return await self._issue(conn, row[0], scopes)
        # Raised outside the transaction (TokenError is a frozen dataclass: the context managers
        # can't attach their traceback to it, which made this a 500 and kept the grant).
        await self._refresh_replayed(refresh_token.token)  # the racing twin got it first
        raise TokenError("invalid_grant", "refresh token was already used")

    async def _refresh_replayed(self, token: str) -> None:
        """A rotated refresh token came back, at the same moment as its first use: one of the two
        is a copy, and we can't tell which, so the whole grant ends (as for a later replay)."""
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "SELECT grant_id FROM refresh_tokens WHERE token_hash = %s AND used_at IS NOT NULL",
                (digest(token),),
            )
            row = await cur.fetchone()
            if row is not None:
                await self._revoke_grant(conn, row[0])

    # --- access tokens ----------------------------------------------------------------------

    async def load_access_token(self, token: str) -> AccessToken | None:
        async with self.pool.connection() as conn:
            cur = await conn.cursor(row_factory=dict_row).execute(
                "SELECT g.client_id, g.scopes, g.resource, g.user_id,"
                " extract(epoch FROM a.expires_at)::bigint AS expires_at"
                " FROM access_tokens a JOIN grants g ON g.id = a.grant_id JOIN users u ON u.id = g.user_id"
                " WHERE a.token_hash = %s AND a.expires_at > now() AND g.revoked_at IS NULL"
                # A forgotten token ends the user's sign-ins; a team member has none of their own.
                " AND (u.nemo_token IS NOT NULL OR u.kind = 'team')",
                (digest(token),),
            )
            row = await cur.fetchone()
        if row is None:
            return None
        return AccessToken(
            token=token,
            client_id=row["client_id"],
            scopes=list(row["scopes"]),
            expires_at=row["expires_at"],
            resource=row["resource"],
            subject=row["user_id"],
        )

    # --- revocation (RFC 7009) --------------------------------------------------------------

    async def revoke_token(self, token: AccessToken | RefreshToken) -> None:
        hashed = digest(token.token)
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "SELECT grant_id FROM access_tokens WHERE token_hash = %s"
                " UNION SELECT grant_id FROM refresh_tokens WHERE token_hash = %s",
                (hashed, hashed),
            )
            for (grant_id,) in await cur.fetchall():
                await self._revoke_grant(conn, grant_id)

    @staticmethod
    async def _revoke_grant(conn: AsyncConnection, grant_id: str) -> None:
        await conn.execute("UPDATE grants SET revoked_at = now() WHERE id = %s", (grant_id,))
        await conn.execute("DELETE FROM access_tokens WHERE grant_id = %s", (grant_id,))
        await conn.execute("DELETE FROM refresh_tokens WHERE grant_id = %s", (grant_id,))
        await conn.execute("DELETE FROM auth_codes WHERE grant_id = %s", (grant_id,))

    async def revoke_user(self, user_id: str) -> None:
        """End every grant of a user (sign-out everywhere, "forget my token")."""
        async with self.pool.connection() as conn, conn.transaction():
            await self.revoke_user_in(conn, user_id)

    @classmethod
    async def revoke_user_in(cls, conn: AsyncConnection, user_id: str) -> None:
        """:meth:`revoke_user` in the caller's transaction: for a change of the user that must
        not be seen by a grant that outlives it (a pasted token taking over a free account)."""
        cur = await conn.execute(
            "SELECT id FROM grants WHERE user_id = %s AND revoked_at IS NULL", (user_id,)
        )
        for (grant_id,) in await cur.fetchall():
            await cls._revoke_grant(conn, grant_id)
