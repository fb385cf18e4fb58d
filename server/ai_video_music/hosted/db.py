"""PostgreSQL: a connection pool, and the schema brought up to date at start.

Migrations are numbered ``.sql`` files shipped in ``migrations/``; each runs once, in its own
transaction, recorded in ``schema_migrations``. Instances starting together take turns through
an advisory lock, so exactly one of them applies a new migration. (A runner of our own, a few
lines, rather than Alembic: Alembic brings SQLAlchemy, and plain SQL files are all we need.)
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

log = logging.getLogger(__name__)

# Any constant that no other application on the database uses: "nemo" in ASCII.
MIGRATION_LOCK = 0x6E656D6F
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The shipped migrations, in order; a gap or a duplicate number is a packaging bug."""
    found: list[Migration] = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n: {[m.name for m in found]}")
    return found


async def migrate(conn: AsyncConnection) -> list[str]:
    """Apply the migrations this database lacks; returns their names."""
    applied: list[str] = []
    await conn.set_autocommit(True)
    # Session-level lock: held across the per-migration transactions below.
    await conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cur = await conn.execute("SELECT version FROM schema_migrations")
        done = {row[0] for row in await cur.fetchall()}
        for migration in migrations():
            if migration.version in done:
                continue
            async with conn.transaction():
                await conn.execute(migration.sql.encode("utf-8"))
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
            log.info("applied migration %s", migration.name)
            applied.append(migration.name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return applied


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


async def healthy(pool: AsyncConnectionPool) -> bool:
    """One round trip to the database."""
    try:
        async with pool.connection(timeout=3) as conn:  # a balancer waits seconds, not more
            await conn.execute("SELECT 1")
    except Exception:  # any failure means "not healthy", which /healthz says
        log.warning("database health check failed", exc_info=True)
        return False
    return True
