"""Users: who signed in with which NemoVideo token (kept encrypted), found by a keyed hash.

A user is the NemoVideo token they connected: signing in again with the same token finds the
same user (and their projects); "forget my token" deletes the stored token, after which none
of the user's OAuth tokens work any more.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, replace

from psycopg_pool import AsyncConnectionPool

from ..client import NemoClient
from ..config import Settings
from ..errors import ApiError, NemoError, TokenInvalidError
from .secrets_box import SecretBox, new_secret

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


@dataclass(frozen=True)
class User:
    """One signed-in person. ``id`` is opaque and random (it names their state folder)."""

    id: str
    nemo_token: str = ""  # decrypted, for this process only; never logged (masked in repr)

    def __repr__(self) -> str:
        return f"User(id={self.id!r})"


class Accounts:
    def __init__(self, pool: AsyncConnectionPool, box: SecretBox) -> None:
        self.pool = pool
        self.box = box

    async def connect(self, nemo_token: str) -> str:
        """Store a checked token; returns its user's id (the existing one for a known token)."""
        sealed = self.box.seal(nemo_token)
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "INSERT INTO users (id, lookup, nemo_token) VALUES (%s, %s, %s)"
                " ON CONFLICT (lookup) DO UPDATE SET nemo_token = EXCLUDED.nemo_token, updated_at = now()"
                " RETURNING id",
                (new_secret()[:22], self.box.lookup(nemo_token), sealed),
            )
            row = await cur.fetchone()
        assert row is not None  # INSERT ... RETURNING always returns the row
        return str(row[0])

    async def find(self, nemo_token: str) -> str | None:
        """The user this token belongs to, if it is stored."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT id FROM users WHERE lookup = %s AND nemo_token IS NOT NULL",
                (self.box.lookup(nemo_token),),
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
            cur = await conn.execute("SELECT nemo_token FROM users WHERE id = %s", (user_id,))
            row = await cur.fetchone()
        if row is None or row[0] is None:
            return None
        token = self.box.open(row[0])
        return None if token is None else User(user_id, token)
