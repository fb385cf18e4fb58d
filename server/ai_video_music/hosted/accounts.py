"""Users: who signed in with which NemoVideo token (kept encrypted), found by a keyed hash.

A user is the NemoVideo token they connected: signing in again with the same token finds the
same user (and their projects); "forget my token" deletes the stored token, after which none
of the user's OAuth tokens work any more. Two more kinds: a free account this server started
("Start free": an anonymous NemoVideo token, stored exactly like a pasted one, which the browser
that started it may later replace with the user's own), and a team member (known by the member
code the operator gave them; their requests use the operator's team token).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from ..client import NemoClient
from ..config import Settings
from ..errors import ApiError, NemoError, TokenInvalidError
from .secrets_box import SecretBox, digest, new_secret

log = logging.getLogger(__name__)


class TokenCheck(enum.Enum):
    """What NemoVideo said about a pasted token."""

    ACCEPTED = "accepted"
    REFUSED = "refused"  # invalid, expired or deleted
    UNREACHABLE = "unreachable"  # couldn't ask: say "try again", not "bad token"


async def check_nemo_token(settings: Settings, token: str) -> TokenCheck:
    """Ask NemoVideo for the credit balance with this token: the cheapest call that needs it."""
    try:
        async with NemoClient(replace(settings, token=token)) as client:
            await client.credits()
    except TokenInvalidError:
        return TokenCheck.REFUSED
    except ApiError as err:
        # 401/403 without the 1001 code still means "not this token"; anything else is a hiccup.
        return TokenCheck.REFUSED if err.status in (401, 403) else TokenCheck.UNREACHABLE
    except NemoError:
        log.warning("could not check a NemoVideo token", exc_info=True)
        return TokenCheck.UNREACHABLE
    return TokenCheck.ACCEPTED


class Kind(enum.StrEnum):
    OWN = "own"  # a NemoVideo token the user pasted
    FREE = "free"  # an anonymous NemoVideo account started here
    TEAM = "team"  # a member on the operator's team token


def member_lookup(box: SecretBox, code: str) -> str:
    # Prefixed so that no NemoVideo token can ever be taken for a member code.
    return box.lookup("member:" + code)


@dataclass(frozen=True)
class User:
    """One signed-in person. ``id`` is opaque and random (it names their state folder)."""

    id: str
    nemo_token: str = ""  # decrypted, for this process only; never logged (masked in repr)
    kind: Kind = Kind.OWN
    nemo_user_id: str | None = None  # a free account's anonymous NemoVideo id (registration binds it)

    def __repr__(self) -> str:
        return f"User(id={self.id!r})"


@dataclass(frozen=True)
class Connected:
    """Whose a connected token is, and whether it took the place of a free account's."""

    user_id: str
    took_over_free: bool = False


# Ends every sign-in of a user inside the caller's transaction (the OAuth provider's).
EndSignIns = Callable[[AsyncConnection, str], Awaitable[None]]


class Accounts:
    def __init__(self, pool: AsyncConnectionPool, box: SecretBox, team_token: str | None = None) -> None:
        self.pool = pool
        self.box = box
        self.team_token = team_token

    async def connect(
        self, nemo_token: str, *, free_cookie: str | None = None, end_sign_ins: EndSignIns
    ) -> Connected:
        """Store a checked token; returns its user (the existing one for a known token).
        ``free_cookie``: the browser started a free account here; that account takes this token
        (same user, same projects) unless the token already belongs to a user. Whoever signed in
        with the free account is signed out then (``end_sign_ins``, and its open upload links
        end), in the same transaction: the cookie only says which browser started the account, not
        that the person pasting is the one whose apps hold it, and none of those apps may act
        with the pasted token, not even for one request."""
        sealed = self.box.seal(nemo_token)
        lookup = self.box.lookup(nemo_token)
        async with self.pool.connection() as conn, conn.transaction():
            if free_cookie:
                cur = await conn.execute(
                    "UPDATE users SET lookup = %s, nemo_token = %s, kind = 'own', free_key = NULL,"
                    " nemo_user_id = NULL, updated_at = now()"
                    " WHERE free_key = %s AND kind = 'free'"
                    " AND NOT EXISTS (SELECT 1 FROM users WHERE lookup = %s) RETURNING id",
                    (lookup, sealed, digest(free_cookie), lookup),
                )
                replaced = await cur.fetchone()
                if replaced is not None:
                    user_id = str(replaced[0])
                    await end_sign_ins(conn, user_id)
                    await conn.execute(
                        "UPDATE upload_links SET expires_at = least(expires_at, now())"
                        " WHERE user_id = %s AND used_at IS NULL",
                        (user_id,),
                    )
                    return Connected(user_id, took_over_free=True)
            cur = await conn.execute(
                "INSERT INTO users (id, lookup, nemo_token) VALUES (%s, %s, %s)"
                " ON CONFLICT (lookup) DO UPDATE SET nemo_token = EXCLUDED.nemo_token, updated_at = now()"
                " RETURNING id",
                (new_secret()[:22], lookup, sealed),
            )
            row = await cur.fetchone()
        assert row is not None  # INSERT ... RETURNING always returns the row
        return Connected(str(row[0]))

    async def start_free(self, nemo_token: str, nemo_user_id: str | None, free_cookie: str) -> str:
        """Store a new anonymous account's token (encrypted, like a pasted one); returns the user."""
        user_id = new_secret()[:22]
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO users (id, lookup, nemo_token, kind, nemo_user_id, free_key)"
                " VALUES (%s, %s, %s, 'free', %s, %s)",
                (user_id, self.box.lookup(nemo_token), self.box.seal(nemo_token), nemo_user_id,
                 digest(free_cookie)),
            )  # fmt: skip
        return user_id

    async def add_member(self, name: str) -> str:
        """A new team member; returns their member code (shown once to the operator, kept hashed)."""
        code = new_secret()
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO users (id, lookup, kind, member_name) VALUES (%s, %s, 'team', %s)",
                (new_secret()[:22], member_lookup(self.box, code), name),
            )
        return code

    async def remove_member(self, name: str) -> int:
        """Delete the members of this name (their projects' rows and sign-ins go with them)."""
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute("DELETE FROM users WHERE kind = 'team' AND member_name = %s", (name,))
            return max(cur.rowcount, 0)

    async def member(self, code: str) -> str | None:
        """The team member this code belongs to."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT id FROM users WHERE lookup = %s AND kind = 'team'", (member_lookup(self.box, code),)
            )
            row = await cur.fetchone()
        return None if row is None else str(row[0])

    async def find(self, nemo_token: str) -> str | None:
        """The user this token belongs to, if it is stored."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT id FROM users WHERE lookup = %s AND nemo_token IS NOT NULL",
                (self.box.lookup(nemo_token),),
            )
            row = await cur.fetchone()
        return None if row is None else str(row[0])

    async def find_free(self, free_cookie: str) -> str | None:
        """The free account the browser with this cookie started, if its token is still stored."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT id FROM users WHERE free_key = %s AND kind = 'free' AND nemo_token IS NOT NULL",
                (digest(free_cookie),),
            )
            row = await cur.fetchone()
        return None if row is None else str(row[0])

    async def forget(self, user_id: str) -> None:
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(
                "UPDATE users SET nemo_token = NULL, updated_at = now() WHERE id = %s", (user_id,)
            )

    async def load(self, user_id: str) -> User | None:
        """The user with their decrypted token; None when forgotten (or sealed with another key)."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT nemo_token, kind, nemo_user_id FROM users WHERE id = %s", (user_id,)
            )
            return self._user(user_id, await cur.fetchone())

    async def load_for(self, user_id: str, access_token: str) -> User | None:
        """:meth:`load`, only while this OAuth access token is still live: read in one snapshot,
        so a request whose token was checked just before its grant ended (a free account taken
        over by a pasted token) can't be served with the token that replaced the old one."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT u.nemo_token, u.kind, u.nemo_user_id FROM users u"
                " JOIN grants g ON g.user_id = u.id JOIN access_tokens a ON a.grant_id = g.id"
                " WHERE u.id = %s AND a.token_hash = %s AND a.expires_at > now() AND g.revoked_at IS NULL",
                (user_id, digest(access_token)),
            )
            return self._user(user_id, await cur.fetchone())

    def _user(self, user_id: str, row: tuple[Any, ...] | None) -> User | None:
        if row is None:
            return None
        kind = Kind(row[1])
        if kind is Kind.TEAM:
            # The operator's token, from the configuration: no team token now, no team member.
            return User(user_id, self.team_token, kind) if self.team_token else None
        if row[0] is None:
            return None
        token = self.box.open(row[0])
        return None if token is None else User(user_id, token, kind, row[2])
