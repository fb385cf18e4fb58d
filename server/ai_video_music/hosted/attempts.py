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

from psycopg import sql
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
        self, pool: AsyncConnectionPool, allowed: int, window: int, table: Table = "signin_failures"
    ) -> None:
        self.pool = pool
        self.allowed = allowed  # attempts per client ...
        self.window = window  # ... in this many seconds
        self.table = table

    async def claim(self, key: str) -> Attempt | None:
        """Count one attempt of the client ``key`` (a :func:`clients.client_key`) now, against the
        client and its site (:func:`clients.keys_of`), or None if either has had its allowance in
        the window (nothing counted then)."""
        table = sql.Identifier(self.table)
        keys = keys_of(key)
        async with self.pool.connection() as conn, conn.transaction():
            # Held to the end of the transaction (in one order: no two claims wait on each other):
            # the next attempt of this client, or of its site, counts this one.
            for name, _ in sorted(keys):
                await conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{self.table}:{name}",))
            for name, factor in keys:
                cur = await conn.execute(
                    sql.SQL(
                        "SELECT count(*) FROM {} WHERE address = %s"
                        " AND at > now() - make_interval(secs => %s)"
                    ).format(table),
                    (name, self.window),
                )
                row = await cur.fetchone()
                if row is not None and int(row[0]) >= self.allowed * factor:
                    return None
            cur = await conn.execute("SELECT now()")
            now = await cur.fetchone()
            assert now is not None
            for name, _ in keys:
                await conn.execute(
                    sql.SQL("INSERT INTO {} (address, at) VALUES (%s, %s)").format(table), (name, now[0])
                )
        return Attempt(tuple(name for name, _ in keys), now[0])

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
