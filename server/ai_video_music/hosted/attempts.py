"""Limits per client address, shared by every instance (PostgreSQL): refused sign-in tokens, and
free accounts started.

Without the first, the sign-in form would let anyone try NemoVideo tokens in bulk through us;
without the second, one visitor could use up the few free accounts NemoVideo gives this server's
address, for everyone.
"""

from __future__ import annotations

from typing import Literal

from psycopg import sql
from psycopg_pool import AsyncConnectionPool

Table = Literal["signin_failures", "free_accounts"]


class AddressLimit:
    def __init__(
        self, pool: AsyncConnectionPool, allowed: int, window: int, table: Table = "signin_failures"
    ) -> None:
        self.pool = pool
        self.allowed = allowed  # events per address ...
        self.window = window  # ... in this many seconds
        self.table = sql.Identifier(table)

    async def blocked(self, address: str) -> bool:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                sql.SQL(
                    "SELECT count(*) FROM {} WHERE address = %s AND at > now() - make_interval(secs => %s)"
                ).format(self.table),
                (address, self.window),
            )
            row = await cur.fetchone()
        return row is not None and int(row[0]) >= self.allowed

    async def add(self, address: str) -> None:
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute(sql.SQL("INSERT INTO {} (address) VALUES (%s)").format(self.table), (address,))


SigninLimit = AddressLimit  # the refused-token limit, by its older name
