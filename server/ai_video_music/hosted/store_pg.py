"""The project store in PostgreSQL for hosted mode: :class:`~ai_video_music.store.Store`'s methods
over the tables of ``migrations/``, every row owned by one user (this module: the connection,
projects, media and settings; ``store_pg_work``: agent turns, uploads, cancels, renders).

Same methods, same rows, same answers as the SQLite store, so every module above it (projects,
turns, renders, status) runs unchanged; what differs is only where the rows live and who owns
them. Every query names ``user_id``: a user can't read or touch another's row even by guessing
its id. Every method is one transaction on a pooled connection (committed when it returns,
rolled back when it raises).

Across instances, ownership is a lease rather than a process id: an agent turn's row holds the
instance reading its stream (``owner``) and ``lease_until`` by the database's clock, renewed by
the heartbeat the turn already writes while its stream is read (``update_generation``). A
turn whose lease ran out is settled exactly once, by whichever instance is asked first (``FOR
UPDATE SKIP LOCKED``), and never sent again; one running turn per project is a unique index.

The schema is the local store's (``migrations/``, one file a version for both engines, run by
``migrate.py``); only the indexes differ, each engine's following its queries.

The methods are synchronous, like the SQLite store's (their callers are): each is one or two
round trips to the database on a pooled connection, milliseconds on a local network.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from ..errors import LocalStateError
from ..records import OPEN_RENDER
from ..store import Media, Project, Store, _text
from ..store_rows import project_row
from ..store_sql import ADD_MEDIA, ADD_PROJECT, PUT, pg

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

_instance: list[tuple[int, str]] = []


def instance() -> str:
    """This instance in ``owner`` and ``claim`` columns: its host and process, and a nonce. Made
    in the process that uses it: a forked child is an instance of its own."""
    pid = os.getpid()
    if not _instance or _instance[0][0] != pid:
        _instance[:] = [(pid, f"{socket.gethostname()}:{pid}:{uuid.uuid4().hex[:8]}")]
    return _instance[0][1]


_NOW = "extract(epoch from clock_timestamp())"  # the database's clock: one clock for every instance
_OPEN = ", ".join(f"'{s.value}'" for s in OPEN_RENDER)
_RENDER_COLS = "r.*, p.name AS project_name"
_RENDER_FROM = "renders r LEFT JOIN projects p ON p.id = r.project_id AND p.user_id = r.user_id"


def make_store_pool(url: str, *, max_size: int = 10, wait: float = 10.0) -> ConnectionPool:
    """The store's pool (synchronous, like the store's callers); opened by the caller. Checked
    connections (a restarted database costs a reconnect); ``wait``: how long a call waits for
    one before it says the database can't be reached."""
    return ConnectionPool(
        url,
        min_size=1,
        max_size=max_size,
        open=False,
        timeout=wait,
        reconnect_timeout=wait,  # as the sign-in pool's (db.make_pool): back within seconds
        check=ConnectionPool.check_connection,
        kwargs={"connect_timeout": 10},
    )


def _pg(value: Any) -> Any:
    """A value as the SQLite store keeps it: text with surrogates fixed and tokens masked (and no
    NUL, which PostgreSQL's text can't hold), a state as its value (psycopg would send an enum's
    name), a flag as 0/1."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return _text(value).replace("\x00", "\ufffd")
    return int(value) if isinstance(value, bool) else value


def db_call(method: Callable[P, R]) -> Callable[P, R]:
    """A database failure becomes the store's own error (said to the user, details in the log)."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (psycopg.Error, PoolTimeout) as err:
            log.exception("project store query failed")
            raise LocalStateError("state.database") from err

    return run


class PgProjects(Store):
    """One user's projects, media and settings in the shared store (agent turns, uploads, cancels
    and renders: :class:`~.store_pg_work.PgStore`). Cheap to make: the pool is the instance's."""

    shared = True  # every instance writes these rows

    def __init__(self, pool: ConnectionPool, user_id: str, home: Path) -> None:
        # Not Store.__init__: there is no SQLite file. ``home`` is the user's folder for what
        # is still local (previews); ``moved_aside`` never happens to a database.
        self.home = home
        self.path = home / "store.db"  # named in messages only; never opened
        self.moved_aside = None
        self.pool = pool
        self.user = user_id

    def state_error(self, err: Exception) -> LocalStateError:
        return LocalStateError("state.database")

    def close(self) -> None:
        """The pool belongs to the instance, not to one user's server."""

    # The user is always the query's first parameter: no query of these three can leave it out.
    def _one(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        with self.pool.connection() as conn:
            return conn.cursor(row_factory=dict_row).execute(sql, (self.user, *params)).fetchone()

    def _all(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self.pool.connection() as conn:
            return conn.cursor(row_factory=dict_row).execute(sql, (self.user, *params)).fetchall()

    def _write(self, sql: str, params: Iterable[Any] = ()) -> int:
        with self.pool.connection() as conn:
            return conn.execute(sql, (self.user, *params)).rowcount

    def _update(self, table: str, row_id: str, fields: dict[str, Any]) -> None:
        # Table and column names come from this module's callers, never from user input.
        fields = {k: _pg(v) for k, v in fields.items()}
        fields.setdefault("updated_at", time.time())
        cols = ", ".join(f"{k}=%s" for k in fields)
        with self.pool.connection() as conn:
            conn.execute(
                f"UPDATE {table} SET {cols} WHERE user_id=%s AND id=%s",  # noqa: S608
                (*fields.values(), self.user, row_id),
            )

    # --- key/value ---------------------------------------------------------------------------

    @db_call
    def get(self, key: str) -> str | None:
        row = self._one("SELECT value FROM kv WHERE user_id=%s AND key=%s", (key,))
        return None if row is None else str(row["value"])

    @db_call
    def put(self, **values: str) -> None:
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.executemany(
                pg(PUT),
                [(self.user, k, _pg(v)) for k, v in values.items()],
            )

    # --- projects ----------------------------------------------------------------------------

    @db_call
    def add_project(
        self,
        project_id: str,
        session_id: str,
        task_id: str | None,
        name: str,
        language: str,
        named: bool = True,
    ) -> None:
        now = time.time()
        self._write(
            pg(ADD_PROJECT),
            (project_id, session_id, task_id, _pg(name), language, int(named), now, now),
        )

    @db_call
    def project_count(self) -> int:
        row = self._one("SELECT COUNT(*) AS n FROM projects WHERE user_id=%s")
        return int(row["n"]) if row else 0

    @db_call
    def project(self, project_id: str) -> Project | None:
        row = self._one("SELECT * FROM projects WHERE user_id=%s AND id=%s", (project_id,))
        return None if row is None else project_row(row)

    def find_project(self, ref: str) -> Project | None:
        found = self.find_projects(ref)
        return found[0] if len(found) == 1 else None

    @db_call
    def find_projects(self, ref: str, limit: int = 10) -> list[Project]:
        ref = ref.strip()
        row = self._one("SELECT * FROM projects WHERE user_id=%s AND id=%s", (ref,))
        if row is not None:
            return [project_row(row)]
        rows = self._all(
            "SELECT * FROM projects WHERE user_id=%s AND lower(name)=lower(%s)"
            " ORDER BY updated_at DESC LIMIT %s",
            (ref, limit),
        )
        return [project_row(r) for r in rows]

    @db_call
    def projects_starting(self, ref: str, limit: int = 10) -> list[Project]:
        # As a range on the (user_id, lower(name)) index, like the SQLite store's prefix query.
        prefix = ref.strip().lower()
        rows = self._all(
            "SELECT * FROM projects WHERE user_id=%s AND lower(name) >= %s AND lower(name) < %s"
            " ORDER BY updated_at DESC LIMIT %s",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [project_row(r) for r in rows]

    @db_call
    def name_taken(self, name: str, but: str | None = None) -> bool:
        row = self._one(
            "SELECT 1 FROM projects WHERE user_id=%s AND lower(name)=lower(%s)"
            " AND id IS DISTINCT FROM %s LIMIT 1",
            (name, but),
        )
        return row is not None

    @db_call
    def recent_projects(self, limit: int) -> tuple[list[Project], int]:
        rows = self._all(
            "SELECT *, COUNT(*) OVER () AS total FROM projects WHERE user_id=%s"
            " ORDER BY updated_at DESC LIMIT %s",
            (limit,),
        )
        total = int(rows[0]["total"]) if rows else self.project_count()
        return [project_row({k: v for k, v in r.items() if k != "total"}) for r in rows], total

    @db_call
    def touch_project(self, project_id: str, **fields: Any) -> None:
        self._update("projects", project_id, fields)

    @db_call
    def swap_session(self, project_id: str, expected: str, session_id: str, task_id: str | None) -> str:
        with self.pool.connection() as conn:
            cur = conn.execute(
                "UPDATE projects SET session_id=%s, task_id=%s, claim_token=NULL, claim_expires=NULL,"
                " updated_at=%s WHERE user_id=%s AND id=%s AND session_id=%s RETURNING session_id",
                (session_id, task_id, time.time(), self.user, project_id, expected),
            )
            if cur.fetchone() is not None:
                return session_id
            row = conn.execute(
                "SELECT session_id FROM projects WHERE user_id=%s AND id=%s", (self.user, project_id)
            ).fetchone()
        return str(row[0]) if row else session_id

    # --- media -------------------------------------------------------------------------------

    @db_call
    def add_media(self, project_id: str, items: Iterable[dict[str, Any]], source: str) -> None:
        now = time.time()
        with self.pool.connection() as conn, conn.cursor() as cur:
            cur.executemany(
                pg(ADD_MEDIA),
                [
                    (self.user, project_id, _pg(str(i.get("name"))), _pg(i.get("kind")), _pg(i.get("url")),
                     source, "{}", now)
                    for i in items
                ],
            )  # fmt: skip

    @db_call
    def media_page(self, project_id: str, limit: int) -> tuple[list[Media], int]:
        rows = self._all(
            "SELECT name, kind, url, source FROM media WHERE user_id=%s AND project_id=%s"
            " ORDER BY id DESC LIMIT %s",
            (project_id, limit),
        )
        total = self._one("SELECT COUNT(*) AS n FROM media WHERE user_id=%s AND project_id=%s", (project_id,))
        media = [Media(r["name"], r["kind"], r["url"], r["source"]) for r in reversed(rows)]
        return media, max(len(media), int(total["n"]) if total else 0)
