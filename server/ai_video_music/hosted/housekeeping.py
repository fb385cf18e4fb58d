"""Expired codes, tokens, sign-in requests, upload links, unused clients and old counters leave
the database.

Used refresh tokens stay until they expire (a replay of one must still be recognised); revoked
grants go with their last token. Every instance sweeps: the deletes are idempotent.
"""

from __future__ import annotations

import logging

import anyio
from psycopg_pool import AsyncConnectionPool

from .ratelimit import SWEEP_STATEMENT

log = logging.getLogger(__name__)

SWEEP_EVERY = 600.0
_EXPIRED: tuple[bytes, ...] = (
    b"DELETE FROM signin_requests WHERE expires_at < now()",
    b"DELETE FROM auth_codes WHERE expires_at < now()",
    b"DELETE FROM access_tokens WHERE expires_at < now()",
    b"DELETE FROM refresh_tokens WHERE expires_at < now()",
    b"DELETE FROM signin_failures WHERE at < now() - interval '1 day'",
    b"DELETE FROM free_accounts WHERE at < now() - interval '60 days'",
    b"DELETE FROM rate_windows WHERE window_start < now() - interval '1 hour'",
    # A removed member's requests: kept until every request they overlapped has ended and been billed.
    b"DELETE FROM team_spend WHERE user_id IS NULL AND started_at < now() - interval '1 day'",
    # A day after it expired, an upload link no longer needs to say "expired" or "already used".
    b"DELETE FROM upload_links WHERE expires_at < now() - interval '1 day'",
    b"DELETE FROM grants g WHERE revoked_at IS NOT NULL"
    b" AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = g.id)",
    # Registering needs no sign-in: a client that never obtained a grant (or whose grants all
    # ended) within a day is forgotten; one that comes back registers again.
    b"DELETE FROM oauth_clients c WHERE coalesce(c.fetched_at, c.created_at) < now() - interval '1 day'"
    b" AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.client_id = c.client_id)",
    SWEEP_STATEMENT,
)


async def sweep(pool: AsyncConnectionPool) -> int:
    """Delete what has expired; returns how many rows went."""
    gone = 0
    async with pool.connection() as conn, conn.transaction():
        for statement in _EXPIRED:
            cur = await conn.execute(statement)
            gone += max(cur.rowcount, 0)
    return gone


async def sweep_forever(pool: AsyncConnectionPool, every: float = SWEEP_EVERY) -> None:
    """Sweep now and then until cancelled; a failed sweep (database away) waits for the next."""
    while True:
        try:
            gone = await sweep(pool)
            if gone:
                log.info("removed %d expired sign-in rows", gone)
        except Exception:
            log.warning("sweep of expired rows failed", exc_info=True)
        await anyio.sleep(every)
