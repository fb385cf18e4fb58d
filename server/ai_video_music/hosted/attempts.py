"""Limits per client (:mod:`clients`), shared by every instance (PostgreSQL): sign-in tries
(tokens and member codes) that may be refused, and free accounts started.

Without the first, the sign-in form would let anyone try NemoVideo tokens in bulk through us;
without the second, one visitor could use up the few free accounts NemoVideo gives this server's
address, for everyone.

An attempt is counted *before* the work it allows (asking NemoVideo, up to seconds), in one
transaction holding an advisory lock on the client's key: posts sent in parallel are counted one
after the other, so the limit holds however many arrive at once (checking first and recording
after the answer let every parallel post through). An attempt that turns out not to count (the
token was good; NemoVideo could not be reached) is given back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from psycopg import AsyncConnection, sql
from psycopg_pool import AsyncConnectionPool

from .clients import keys_of

Table = Literal["signin_failures", "free_accounts"]


@dataclass(frozen=True)
class Attempt:
    """One counted attempt: its rows, one a key it counts against (rows are only ever inserted
    and swept, so key and time name them)."""

    keys: tuple[str, ...]
    at: datetime


class AddressLimit:
    def __init__(
        self,
        pool: AsyncConnectionPool,
        allowed: int,
        window: int,
        table: Table = "signin_failures",
        *,
        fresh_client_try: bool = False,
    ) -> None:
        self.pool = pool
        self.allowed = allowed  # attempts per client ...
        self.window = window  # ... in this many seconds
        self.table = table
        # A client with no attempt of its own in the window may make one even while its site
        # is over its allowance: one customer of an ISP's /48 can't lock every neighbour out of
        # signing in. Not for what the site key guards as a scarce resource (free accounts).
        self.fresh_client_try = fresh_client_try

    async def claim(self, key: str) -> Attempt | None:
        """Count one attempt of the client ``key`` (a :func:`clients.client_key`) now, against the
        client and its site (:func:`clients.keys_of`), or None if either has had its allowance in
        the window (nothing counted then); with ``fresh_client_try``, a client with no attempt
        counted in the window is let through once past its site's allowance (counted as its own)."""
        table = sql.Identifier(self.table)
        keys = keys_of(key)
        async with self.pool.connection() as conn, conn.transaction():
            # Held to the end of the transaction (in one order: no two claims wait on each other):
            # the next attempt of this client, or of its site, counts this one.
            for name, _ in sorted(keys):
                await conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{self.table}:{name}",))
            used = [await self._count(conn, name) for name, _ in keys]
            over = [n >= self.allowed * factor for n, (_, factor) in zip(used, keys, strict=True)]
            counted = keys
            if over[0]:
                return None
            if any(over):
                if not (self.fresh_client_try and used[0] == 0):
                    return None
                # Only its site is over: this client's one try counts on its own key only, so
                # the site isn't held over for longer by its neighbours' tries.
                counted = keys[:1]
            cur = await conn.execute("SELECT now()")
            now = await cur.fetchone()
            assert now is not None
            for name, _ in counted:
                await conn.execute(
                    sql.SQL("INSERT INTO {} (address, at) VALUES (%s, %s)").format(table), (name, now[0])
                )
        return Attempt(tuple(name for name, _ in counted), now[0])

    async def _count(self, conn: AsyncConnection, key: str) -> int:
        """The attempts counted against ``key`` in the window."""
        cur = await conn.execute(
            sql.SQL(
                "SELECT count(*) FROM {} WHERE address = %s AND at > now() - make_interval(secs => %s)"
            ).format(sql.Identifier(self.table)),
            (key, self.window),
        )
        row = await cur.fetchone()
        return 0 if row is None else int(row[0])

    async def release(self, attempt: Attempt) -> None:
        """Give an attempt back: it did not count after all."""
        table = sql.Identifier(self.table)
        async with self.pool.connection() as conn, conn.transaction():
            # Two rows of one key and time are the same attempt twice: removing either is right.
            for key in attempt.keys:
                await conn.execute(
                    sql.SQL(
                        "DELETE FROM {0} WHERE ctid ="
                        " (SELECT ctid FROM {0} WHERE address = %s AND at = %s LIMIT 1)"
                    ).format(table),
                    (key, attempt.at),
                )
