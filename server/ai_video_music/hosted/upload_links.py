"""Upload links: ``<public>/upload/<secret>``, one user's, for one of their projects, once, briefly.

The secret travels only in the link; the database keeps its SHA-256 (as for OAuth codes and
tokens). Using a link is one ``UPDATE … WHERE used_at IS NULL AND expires_at > now()``: of two
posts racing (two tabs, two instances), exactly one gets it. The database's clock decides expiry,
so instances with skewed clocks agree.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from ..messages import Lang, parse_language
from ..uploads import UploadPage
from .secrets_box import digest, new_secret

UPLOAD_PATH = "/upload/"


class LinkState(enum.StrEnum):
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # never made, or swept a day after it expired


@dataclass(frozen=True)
class Grant:
    """What a link allows: files into ``project_id`` of ``user_id``, while ``state`` is OPEN."""

    state: LinkState
    user_id: str = ""
    project_id: str = ""
    lang: Lang = "en"
    expires_at: float = 0.0  # epoch seconds

    def seconds_left(self) -> float:
        return max(0.0, self.expires_at - time.time())


_COLUMNS = (
    "user_id, project_id, language, extract(epoch FROM expires_at)::float8 AS expires_at,"
    " CASE WHEN used_at IS NOT NULL THEN 'used' WHEN expires_at <= now() THEN 'expired'"
    " ELSE 'open' END AS state"
)


def _grant(row: dict[str, Any] | None) -> Grant:
    if row is None:
        return Grant(LinkState.UNKNOWN)
    return Grant(
        LinkState(row["state"]),
        row["user_id"],
        row["project_id"],
        parse_language(row["language"]) or "en",
        float(row["expires_at"]),
    )


def well_formed(secret: str) -> bool:
    """What :func:`new_secret` makes (43 url-safe characters); anything else is not looked up."""
    return len(secret) == 43 and all(c.isalnum() or c in "-_" for c in secret)


class UploadLinks:
    def __init__(self, pool: AsyncConnectionPool, public_url: str, ttl: int) -> None:
        self.pool = pool
        self.public_url = public_url
        self.ttl = ttl

    async def make(self, user_id: str, project_id: str, lang: Lang) -> UploadPage:
        secret = new_secret()
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(
                "INSERT INTO upload_links (token_hash, user_id, project_id, language, expires_at)"
                " VALUES (%s, %s, %s, %s, now() + make_interval(secs => %s))"
                " RETURNING extract(epoch FROM expires_at)::float8",
                (digest(secret), user_id, project_id, lang, self.ttl),
            )
            row = await cur.fetchone()
        assert row is not None  # INSERT … RETURNING always returns the row
        return UploadPage(f"{self.public_url}{UPLOAD_PATH}{secret}", float(row[0]), max(1, self.ttl // 60))

    async def look(self, secret: str) -> Grant:
        """The link's grant and state, changing nothing (opening the page doesn't use it)."""
        if not well_formed(secret):
            return Grant(LinkState.UNKNOWN)
        async with self.pool.connection() as conn:
            cur = conn.cursor(row_factory=dict_row)
            await cur.execute(
                f"SELECT {_COLUMNS} FROM upload_links WHERE token_hash = %s",  # noqa: S608 - constant
                (digest(secret),),
            )
            return _grant(await cur.fetchone())

    async def use(self, secret: str) -> Grant:
        """Use the link: OPEN for exactly one caller; every other one learns why not."""
        if not well_formed(secret):
            return Grant(LinkState.UNKNOWN)
        async with self.pool.connection() as conn, conn.transaction():
            cur = conn.cursor(row_factory=dict_row)
            await cur.execute(
                "UPDATE upload_links SET used_at = now()"
                " WHERE token_hash = %s AND used_at IS NULL AND expires_at > now()"
                " RETURNING user_id, project_id, language,"
                " extract(epoch FROM expires_at)::float8 AS expires_at, 'open' AS state",
                (digest(secret),),
            )
            row = await cur.fetchone()
        return _grant(row) if row is not None else await self.look(secret)

    def for_user(self, user_id: str) -> UserUploadPages:
        return UserUploadPages(self, user_id)


@dataclass(frozen=True)
class UserUploadPages:
    """The :class:`~ai_video_music.uploads.UploadPages` a signed-in user's tools use."""

    links: UploadLinks
    user_id: str

    async def open(self, project_id: str, lang: Lang) -> UploadPage:
        return await self.links.make(self.user_id, project_id, lang)
