"""Persistent state in NEMO_HOME/store.db (SQLite, WAL): session, media, generations, renders.

SQLite gives atomic writes and safe concurrency across tool calls and server processes.
Every call opens a short-lived connection, so no connection is shared between threads.
The file is created 0600 (SQLite gives its WAL and SHM files the same mode).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT,
    url TEXT,
    source TEXT NOT NULL,
    info TEXT NOT NULL DEFAULT '{}',
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS generations (
    id TEXT PRIMARY KEY,
    session_id TEXT,
    prompt TEXT NOT NULL,
    status TEXT NOT NULL,           -- running | done | failed | interrupted
    reply TEXT NOT NULL DEFAULT '',
    error TEXT,
    delivered INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS renders (
    id TEXT PRIMARY KEY,
    session_id TEXT,
    status TEXT NOT NULL,           -- pending | processing | completed | failed | cancelled | downloaded
    progress REAL,
    format TEXT NOT NULL,
    quality TEXT NOT NULL,
    output_url TEXT,
    local_path TEXT,
    error TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
"""

_UPSERT_KV = "INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"
UNFINISHED_RENDER = ("pending", "processing", "completed")  # completed = not downloaded yet


@dataclass(frozen=True)
class Generation:
    id: str
    session_id: str | None
    prompt: str
    status: str
    reply: str
    error: str | None
    delivered: bool
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class Render:
    id: str
    session_id: str | None
    status: str
    progress: float | None
    format: str
    quality: str
    output_url: str | None
    local_path: str | None
    error: str | None
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class Media:
    name: str
    kind: str | None
    url: str | None
    source: str
    info: dict[str, Any]


class Store:
    """All persistence. Methods are quick, synchronous and safe to call from any thread."""

    def __init__(self, home: Path) -> None:
        self.path = home / "store.db"
        home.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.chmod(self.path, 0o600)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=15, isolation_level=None)) as db:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout=15000")
            db.execute("PRAGMA synchronous=NORMAL")
            yield db

    # --- session -----------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        with self._db() as db:
            row = db.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def put(self, **values: str) -> None:
        with self._db() as db:
            db.executemany(_UPSERT_KV, list(values.items()))

    def swap_session(self, expected: str | None, session_id: str, task_id: str, language: str) -> str:
        """Store ``session_id`` only if the stored session is still ``expected`` (or none);
        returns the session stored afterwards: ours, or the one another process stored first."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT value FROM kv WHERE key='session_id'").fetchone()
            current = None if row is None else str(row["value"])
            if current is None or current == expected:
                db.executemany(
                    _UPSERT_KV, [("session_id", session_id), ("task_id", task_id), ("language", language)]
                )
                current = session_id
            db.execute("COMMIT")
        return current

    # --- media -------------------------------------------------------------------------------

    def add_media(self, session_id: str, items: list[dict[str, Any]], source: str) -> None:
        now = time.time()
        with self._db() as db:
            db.executemany(
                "INSERT INTO media(session_id, name, kind, url, source, info, created_at)"
                " VALUES(?,?,?,?,?,?,?)",
                [
                    (session_id, str(i.get("name")), i.get("kind"), i.get("url"), source, json.dumps(i), now)
                    for i in items
                ],
            )

    def media(self, session_id: str) -> list[Media]:
        with self._db() as db:
            rows = db.execute(
                "SELECT name, kind, url, source, info FROM media WHERE session_id=? ORDER BY id",
                (session_id,),
            ).fetchall()
        return [Media(r["name"], r["kind"], r["url"], r["source"], json.loads(r["info"])) for r in rows]

    # --- generations -------------------------------------------------------------------------

    def start_generation(self, gen_id: str, session_id: str | None, prompt: str) -> None:
        now = time.time()
        with self._db() as db:
            db.execute(
                "INSERT INTO generations(id, session_id, prompt, status, created_at, updated_at)"
                " VALUES(?,?,?,?,?,?)",
                (gen_id, session_id, prompt, "running", now, now),
            )

    def update_generation(self, gen_id: str, **fields: Any) -> None:
        self._update("generations", gen_id, fields)

    def _update(self, table: str, row_id: str, fields: dict[str, Any]) -> None:
        # Table and column names come from this module's callers, never from user input.
        fields["updated_at"] = time.time()
        cols = ", ".join(f"{k}=?" for k in fields)
        with self._db() as db:
            db.execute(f"UPDATE {table} SET {cols} WHERE id=?", (*fields.values(), row_id))  # noqa: S608

    def generation(self, gen_id: str) -> Generation | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM generations WHERE id=?", (gen_id,)).fetchone()
        return None if row is None else Generation(**{**dict(row), "delivered": bool(row["delivered"])})

    def generations(self, *, undelivered: bool = False) -> list[Generation]:
        where = "WHERE delivered=0" if undelivered else ""
        sql = f"SELECT * FROM generations {where} ORDER BY created_at"  # noqa: S608 - fixed text only
        with self._db() as db:
            rows = db.execute(sql).fetchall()
        return [Generation(**{**dict(r), "delivered": bool(r["delivered"])}) for r in rows]

    def interrupt_stale(self, live: set[str], stale_after: float) -> list[str]:
        """Mark as interrupted the running generations no live process has touched recently."""
        cutoff = time.time() - stale_after
        with self._db() as db:
            rows = db.execute(
                "SELECT id FROM generations WHERE status='running' AND updated_at < ?", (cutoff,)
            ).fetchall()
            ids = [r["id"] for r in rows if r["id"] not in live]
            db.executemany(
                "UPDATE generations SET status='interrupted', updated_at=? WHERE id=?",
                [(time.time(), i) for i in ids],
            )
        return ids

    # --- renders -----------------------------------------------------------------------------

    def add_render(self, render_id: str, session_id: str | None, fmt: str, quality: str, status: str) -> None:
        now = time.time()
        with self._db() as db:
            db.execute(
                "INSERT OR IGNORE INTO renders"
                "(id, session_id, status, format, quality, created_at, updated_at)"
                " VALUES(?,?,?,?,?,?,?)",
                (render_id, session_id, status, fmt, quality, now, now),
            )

    def update_render(self, render_id: str, **fields: Any) -> None:
        self._update("renders", render_id, fields)

    def render(self, render_id: str) -> Render | None:
        with self._db() as db:
            row = db.execute("SELECT * FROM renders WHERE id=?", (render_id,)).fetchone()
        return None if row is None else Render(**dict(row))

    def renders(self, *, unfinished: bool = False) -> list[Render]:
        where = f"WHERE status IN ({','.join('?' * len(UNFINISHED_RENDER))})" if unfinished else ""
        with self._db() as db:
            rows = db.execute(
                f"SELECT * FROM renders {where} ORDER BY created_at",  # noqa: S608 - placeholders only
                UNFINISHED_RENDER if unfinished else (),
            ).fetchall()
        return [Render(**dict(r)) for r in rows]
