"""A limit on refused sign-in tokens per client address, shared by every instance (PostgreSQL).

Without it the sign-in form would let anyone try NemoVideo tokens in bulk through us.
"""

from __future__ import annotations

from psycopg_pool import AsyncConnectionPool


class SigninLimit:
    def __init__(self, pool: AsyncConnectionPool, allowed: int, window: int) -> None:
        self.pool = pool
        self.allowed = allowed  # refused tokens per address ...
        self.window = window  # ... in this many seconds

    async def blocked(self, address: str) -> bool:
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT count(*) FROM signin_failures"
                " WHERE address = %s AND at > now() - make_interval(secs => %s)",
                (address, self.window),
            )
            row = await cur.fetchone()
        return row is not None and int(row[0]) >= self.allowed

    async def refused(self, address: str) -> None:
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute("INSERT INTO signin_failures (address) VALUES (%s)", (address,))
