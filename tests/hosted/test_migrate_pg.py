"""One schema for both engines: a hosted database made by the migrations as they first shipped
(0001-0009 under hosted/migrations/) upgrades without re-running them and keeps its rows, and a
new database and a new local store end with the same tables and columns."""

from __future__ import annotations

import re
from pathlib import Path

import anyio
import psycopg
import pytest

from ai_video_music import migrate
from ai_video_music.hosted.store_pg import make_store_pool
from ai_video_music.hosted.store_pg_work import PgStore
from ai_video_music.migrate import Engine
from ai_video_music.store import Store

from .conftest import own_database
from .postgres import Cluster

pytestmark = pytest.mark.postgres

#: The two migrations whose text was rewritten when they were shared with the local store, as
#: they shipped (the others only gained their ``-- engine: postgresql`` line, a comment).
SHIPPED = Path(__file__).parent / "legacy_migrations"


def _migrate(url: str) -> list[str]:
    async def run() -> list[str]:
        async with await psycopg.AsyncConnection.connect(url) as conn:
            return await migrate.migrate_postgresql(conn)

    return anyio.run(run)


def _migrate_as_shipped(url: str) -> None:
    """What the hosted runner did before: each file as it shipped, in a transaction, recorded."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        for migration in migrate.migrations()[:9]:
            shipped = SHIPPED / migration.name
            sql = shipped.read_text(encoding="utf-8") if shipped.exists() else migration.text
            with conn.transaction():
                conn.execute(sql.encode("utf-8"))
                conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )


def _schema(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Columns (type, null, default), indexes and constraints, as PostgreSQL states them."""
    with psycopg.connect(url) as conn:
        return {
            "columns": conn.execute(
                "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '')"
                " FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2"
            ).fetchall(),
            "indexes": conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall(),
            "constraints": conn.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"
            ).fetchall(),
        }


def test_a_database_made_by_the_shipped_migrations_upgrades_and_keeps_its_rows(
    pg_cluster: Cluster, empty_database_url: str, tmp_path: Path
) -> None:
    database_url = empty_database_url
    _migrate_as_shipped(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("INSERT INTO users (id, lookup) VALUES ('usr_alice', 'lookup-alice')")
    pool = make_store_pool(database_url, max_size=2)
    pool.open(wait=True)
    try:
        alice = PgStore(pool, "usr_alice", tmp_path)
        alice.add_project("prj_1", "ses_1", None, "Beach trip", "en")
        alice.add_media("prj_1", [{"name": "a.jpg"}], "upload")
        assert alice.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90) is None

        later = [m.name for m in migrate.migrations()[9:]]  # 0010 on came after the runner was shared
        assert _migrate(database_url) == later, "nothing that shipped runs twice"

        project = alice.project("prj_1")
        assert project is not None and project.name == "Beach trip"
        assert alice.media_page("prj_1", 10)[1] == 1
        turn = alice.generation("gen_1")
        assert turn is not None and turn.status == "running"
    finally:
        pool.close()
    with own_database(pg_cluster) as fresh:
        assert _migrate(fresh) == [m.name for m in migrate.migrations()]
        assert _schema(fresh) == _schema(database_url), "a new database is the same as an upgraded one"


def _created(engine: Engine) -> set[str]:
    """The tables the migrations make for this engine."""
    found: set[str] = set()
    for migration in migrate.migrations():
        found |= set(re.findall(r"CREATE TABLE (\w+)", migration.sql(engine)))
    return found


def test_both_engines_end_with_the_same_tables_and_columns(empty_database_url: str, tmp_path: Path) -> None:
    database_url = empty_database_url
    _migrate(database_url)
    hosted = anyio.run(_columns_of, database_url)
    local_store = Store(tmp_path)
    try:
        local = migrate.sqlite_columns(local_store._db)
    finally:
        local_store.close()
    assert set(hosted) == _created(Engine.POSTGRESQL)
    assert set(local) == _created(Engine.SQLITE)
    shared = set(hosted) & set(local)
    assert {"kv", "projects", "media", "generations", "renders", "cancels", "uploads"} <= shared
    assert {t: hosted[t] for t in shared} == {t: local[t] for t in shared}
    # What one engine has alone is its own by design: the sign-in tables (hosted), media counts
    # kept by triggers (local).
    assert set(local) - shared == {"media_counts"}
    assert "users" in set(hosted) - shared


async def _columns_of(url: str) -> dict[str, set[str]]:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        return await migrate.postgresql_columns(conn)
