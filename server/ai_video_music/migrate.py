"""One schema, one migration path, two engines: the numbered SQL files in ``migrations/`` brought
to a local store (SQLite) or the hosted database (PostgreSQL), each recorded the same way.

Each file runs once, in its own transaction, and is recorded in ``schema_migrations`` (version,
name). The numbering is one for both engines, with no gaps. A file is written once, in the SQL
both engines take; where they must differ it says so in place:

- ``-- engine: both | postgresql | sqlite`` on a line of its own: the lines after it, up to the
  next such line, are for that engine (a file starts as ``both``). The sign-in tables (OAuth,
  upload pages, rate limits) are PostgreSQL's alone: a local store has one user who never signs
  in, so it records those versions and runs nothing for them (one numbering, one history).
- ``{{NAME}}``: a spelling from :data:`SPELLINGS` (an auto-numbered key; whose a row is:
  a reference to ``users``, a table only hosted mode has, or the one local user).

Why our own runner rather than Alembic: Alembic brings SQLAlchemy, and its migrations are
Python scripts against an ORM's DDL; ours are plain SQL that psycopg and ``sqlite3`` (stdlib: the
local install needs nothing more) run as written, and the local store's rules (``BEGIN
IMMEDIATE``, several processes on one file) and the hosted one's (an advisory lock, several
instances on one database) are a few lines each here.
"""

from __future__ import annotations

import functools
import logging
import re
import sqlite3
from dataclasses import dataclass
from enum import Enum
from importlib import resources
from typing import TYPE_CHECKING

from .store_rows import LOCAL_USER

if TYPE_CHECKING:  # psycopg is hosted mode's dependency, not the local install's
    from psycopg import AsyncConnection

log = logging.getLogger(__name__)


class Engine(Enum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


#: The few spellings that differ between the engines.
SPELLINGS: dict[Engine, dict[str, str]] = {
    Engine.POSTGRESQL: {
        "SERIAL_KEY": "bigserial PRIMARY KEY",
        "OWNED_BY": "REFERENCES users ON DELETE CASCADE",
    },
    Engine.SQLITE: {
        # Only this exact spelling makes SQLite's key the row id (numbered by itself).
        "SERIAL_KEY": "INTEGER PRIMARY KEY AUTOINCREMENT",
        # ``users`` is a sign-in table (PostgreSQL's alone): a local row is the one local user's,
        # also when written by a tool that predates ``user_id`` (bench/, an older test).
        "OWNED_BY": f"DEFAULT '{LOCAL_USER}'",
    },
}
# Any constant that no other application on the database uses: "nemo" in ASCII.
MIGRATION_LOCK = 0x6E656D6F
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_SECTION = re.compile(r"^-- engine: (both|postgresql|sqlite)\b")
_SPELLING = re.compile(r"\{\{(\w+)\}\}")
_COMMENT = re.compile(r"--[^\n]*")
_BOOKKEEPING = {
    Engine.POSTGRESQL: "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
    Engine.SQLITE: "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL DEFAULT CURRENT_TIMESTAMP)",
}


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    text: str

    def sql(self, engine: Engine) -> str:
        """The statements this engine runs (empty when the file is the other engine's alone)."""
        keep: list[str] = []
        section = "both"
        for line in self.text.splitlines():
            found = _SECTION.match(line)
            if found:
                section = found.group(1)
            elif section in ("both", engine.value):
                keep.append(line)
        spelled = SPELLINGS[engine]

        def spell(match: re.Match[str]) -> str:
            if match.group(1) not in spelled:
                raise RuntimeError(f"{self.name}: no spelling {match.group(0)} for {engine.value}")
            return spelled[match.group(1)]

        return _SPELLING.sub(spell, "\n".join(keep)).strip()


@functools.cache  # read once a process: every store opened (a test makes hundreds) checks them
def migrations() -> tuple[Migration, ...]:
    """The shipped migrations, in order; a gap or a duplicate number is a packaging bug."""
    found: list[Migration] = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations are not numbered 1..n: {[m.name for m in found]}")
    return tuple(found)


# --- SQLite ----------------------------------------------------------------------------------


def sqlite_statements(script: str) -> list[str]:
    """A script's statements, one by one (``executescript`` would commit the migration's
    transaction); a trigger's body keeps its inner semicolons. Comments go first: one may hold
    a semicolon."""
    out: list[str] = []
    pending = ""
    for piece in _COMMENT.sub("", script).split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip())
            pending = ""
    return out


def applied_sqlite(db: sqlite3.Connection) -> set[int]:
    """The versions this store has (none before the first migration)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'").fetchone():
        return {int(row[0]) for row in db.execute("SELECT version FROM schema_migrations")}
    return set()


def apply_sqlite(db: sqlite3.Connection, migration: Migration) -> None:
    """Run one migration and record it, inside the caller's transaction."""
    db.execute(_BOOKKEEPING[Engine.SQLITE])
    for statement in sqlite_statements(migration.sql(Engine.SQLITE)):
        db.execute(statement)
    db.execute(
        "INSERT INTO schema_migrations(version, name) VALUES(?, ?)", (migration.version, migration.name)
    )


def migrate_sqlite(db: sqlite3.Connection) -> list[str]:
    """Apply the migrations this store lacks, each in its own ``BEGIN IMMEDIATE`` transaction
    (``db`` in autocommit mode). Several processes may open the store at once: the first to
    take the write lock applies a migration, the others see it recorded and skip it."""
    done = applied_sqlite(db)  # without the lock: an up-to-date store takes no write lock at all
    applied: list[str] = []
    for migration in migrations():
        if migration.version in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            if migration.version not in applied_sqlite(db):
                apply_sqlite(db, migration)
                applied.append(migration.name)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return applied


def sqlite_columns(db: sqlite3.Connection) -> dict[str, set[str]]:
    """Every table's columns (the runner's own bookkeeping and SQLite's internal tables aside)."""
    tables = [
        str(row[0])
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'schema_migrations'"
        )
    ]
    return {t: {str(row[1]) for row in db.execute(f"PRAGMA table_info({t})")} for t in tables}


# --- PostgreSQL ------------------------------------------------------------------------------


async def migrate_postgresql(conn: AsyncConnection) -> list[str]:
    """Apply the migrations this database lacks; returns their names. Instances starting together
    take turns through an advisory lock, so exactly one of them applies a new migration."""
    applied: list[str] = []
    await conn.set_autocommit(True)
    # Session-level lock: held across the per-migration transactions below.
    await conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        await conn.execute(_BOOKKEEPING[Engine.POSTGRESQL])
        cur = await conn.execute("SELECT version FROM schema_migrations")
        done = {row[0] for row in await cur.fetchall()}
        for migration in migrations():
            if migration.version in done:
                continue
            async with conn.transaction():
                sql = migration.sql(Engine.POSTGRESQL)
                if sql:
                    await conn.execute(sql.encode("utf-8"))
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
            log.info("applied migration %s", migration.name)
            applied.append(migration.name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return applied


async def postgresql_columns(conn: AsyncConnection) -> dict[str, set[str]]:
    """Every table's columns in the current schema (the runner's own bookkeeping aside)."""
    cur = await conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name != 'schema_migrations'"
    )
    found: dict[str, set[str]] = {}
    for table, column in await cur.fetchall():
        found.setdefault(str(table), set()).add(str(column))
    return found
