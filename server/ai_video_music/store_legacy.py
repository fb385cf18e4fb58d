"""Local stores written before the shared migrations, brought onto them with nothing lost.

Until then store.db numbered its own schema (SQLite's ``user_version``, 1 to 5) and grew by
``ALTER TABLE ADD COLUMN`` on people's disks. Such a store is adopted once, in one ``BEGIN
IMMEDIATE`` transaction: its rows are set aside, migrations 0001-0006 (whose tables are those of
version 5, with ``user_id``) make the tables afresh, the rows come back (owned by the local
user; a column an old version lacked takes its default), and what the old upgrades did to the
rows is done once more (version 1's session becomes the first project; before version 4 an
unnamed project gets a default name). Then the store is recorded at 0006 and takes the shared
migrations from 0007 like any other. A store made afresh starts at 0001.

``user_version`` says which path a file is on: 1-5 a store to adopt (or 0 with a ``kv`` table:
version 1 left it at 0), 0 otherwise new, :data:`MIGRATED` under the shared migrations
(``schema_migrations``).
"""

from __future__ import annotations

import sqlite3
import time
import uuid

from .messages import t
from .migrate import apply_sqlite, migrations
from .store_rows import LOCAL_USER

#: ``user_version`` of a store under the shared migrations (after the old numbering's 1-5).
MIGRATED = 6
#: The last migration an adopted store is recorded at: its tables are version 5's.
BASELINE = 6
TABLES = ("kv", "projects", "media", "generations", "renders", "cancels", "uploads")
# Version 3's media counts: the tables' triggers, made afresh by migration 0005.
_COUNTS = ("DROP TRIGGER IF EXISTS media_added", "DROP TRIGGER IF EXISTS media_removed",
           "DROP TRIGGER IF EXISTS media_moved", "DROP TABLE IF EXISTS media_counts")  # fmt: skip


def adopt_legacy(db: sqlite3.Connection) -> None:
    """Bring a store of versions 1-5 onto the shared migrations (``db`` in autocommit mode;
    another process may be doing the same: the second finds it done)."""
    if _version(db) >= MIGRATED:  # the common case: no write lock taken
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = _version(db)
        if version < MIGRATED:
            # Version 1 left user_version at 0: its tables say it is one.
            if _present(db, "kv") and not _present(db, "schema_migrations"):
                _adopt(db, version)
            db.execute(f"PRAGMA user_version={MIGRATED}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _present(db: sqlite3.Connection, table: str) -> bool:
    found = db.execute("SELECT 1 FROM main.sqlite_master WHERE type='table' AND name=?", (table,))
    return found.fetchone() is not None


def _columns(db: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [str(row[1]) for row in db.execute(f"PRAGMA {schema}.table_info({table})")]


def _adopt(db: sqlite3.Connection, version: int) -> None:
    present = [name for name in TABLES if _present(db, name)]
    # Table names come from TABLES above, never from the file.
    for table in present:
        db.execute(f"CREATE TEMP TABLE legacy_{table} AS SELECT * FROM main.{table}")  # noqa: S608
    for statement in _COUNTS:
        db.execute(statement)
    for table in present:  # its indexes go with it
        db.execute(f"DROP TABLE main.{table}")
    for migration in migrations()[:BASELINE]:
        apply_sqlite(db, migration)
    for table in present:
        new = set(_columns(db, "main", table))
        kept = [c for c in _columns(db, "temp", f"legacy_{table}") if c in new and c != "user_id"]
        names = ", ".join(kept)
        db.execute(
            f"INSERT INTO main.{table}(user_id, {names}) SELECT ?, {names} FROM temp.legacy_{table}",  # noqa: S608
            (LOCAL_USER,),
        )
        db.execute(f"DROP TABLE temp.legacy_{table}")
    _adopt_v1_session(db)
    if version < 4:
        _name_unnamed(db)


def _name_unnamed(db: sqlite3.Connection) -> None:
    """Before version 4 a project could have no name (shown as "New project", which named
    none of them): each gets a default name a user can type, replaced by its next request's."""
    rows = db.execute("SELECT id FROM projects WHERE name='' ORDER BY created_at").fetchall()
    n = 0
    for row in rows:
        n += 1
        while db.execute("SELECT 1 FROM projects WHERE name=? COLLATE NOCASE", (_default(n),)).fetchone():
            n += 1
        db.execute("UPDATE projects SET name=?, named=0 WHERE id=?", (_default(n), row[0]))


def _adopt_v1_session(db: sqlite3.Connection) -> None:
    """Version 1 had one session and no projects: it becomes the first project."""
    row = db.execute("SELECT value FROM kv WHERE key='session_id'").fetchone()
    if row is None:
        return
    sid = str(row[0])
    task = db.execute("SELECT value FROM kv WHERE key='task_id'").fetchone()
    lang = db.execute("SELECT value FROM kv WHERE key='language'").fetchone()
    pid = f"prj_{uuid.uuid4().hex[:10]}"
    now = time.time()
    db.execute(
        "INSERT INTO projects(user_id, id, session_id, task_id, name, language, created_at, updated_at)"
        " VALUES(?,?,?,?,?,?,?,?)",
        (
            LOCAL_USER,
            pid,
            sid,
            task[0] if task else None,
            "Project 1",
            str(lang[0]) if lang else "en",
            now,
            now,
        ),
    )
    for table in ("media", "generations", "renders"):
        db.execute(f"UPDATE {table} SET project_id=? WHERE project_id IS NULL", (pid,))  # noqa: S608
    db.execute("DELETE FROM kv WHERE key IN ('session_id', 'task_id')")
    db.execute(
        "INSERT OR REPLACE INTO kv(user_id, key, value) VALUES(?, ?, ?)", (LOCAL_USER, "current_project", pid)
    )


def _default(n: int) -> str:
    return t("project.default_name", "en", n=n)
