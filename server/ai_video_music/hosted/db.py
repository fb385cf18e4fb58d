"""PostgreSQL: a connection pool, and the schema brought up to date at start (``migrate``: the
numbered files in ``ai_video_music/migrations/`` that the local store runs too, see
:mod:`ai_video_music.migrate`; instances starting together take turns under an advisory lock)."""

from __future__ import annotations

import logging

from psycopg_pool import AsyncConnectionPool

from ..migrate import MIGRATION_LOCK, Migration, migrations
from ..migrate import migrate_postgresql as migrate

__all__ = ["MIGRATION_LOCK", "Migration", "healthy", "make_pool", "migrate", "migrations"]

log = logging.getLogger(__name__)


def make_pool(url: str, *, min_size: int = 1, max_size: int = 10, wait: float = 30.0) -> AsyncConnectionPool:
    """A pool, not yet open (``await pool.open()`` in the app's lifespan), whose connections are
    checked before use: a restarted PostgreSQL costs a reconnect, not a failed request. ``wait``:
    how long a request waits for a connection (then :class:`~psycopg_pool.PoolTimeout`)."""
    return AsyncConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        open=False,
        timeout=wait,
        # Reconnection backs off exponentially; giving up after ``wait`` lets the next request
        # start afresh, so the database back is used within seconds, not after a long backoff.
        reconnect_timeout=wait,
        check=AsyncConnectionPool.check_connection,
        kwargs={"connect_timeout": 10},
    )


async def healthy(pool: AsyncConnectionPool, wait: float = 3.0) -> bool:
    """One round trip to the database, waiting at most ``wait`` seconds for a connection (a
    balancer's health check waits seconds, not more)."""
    try:
        async with pool.connection(timeout=wait) as conn:
            await conn.execute("SELECT 1")
    except Exception:  # any failure means "not healthy", which /healthz says
        log.warning("database health check failed", exc_info=True)
        return False
    return True
