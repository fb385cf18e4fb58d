"""One schema, one migration path: a local store of any earlier version is upgraded with its
projects and turns, ends with the schema of a store made today, and several processes opening it
at once upgrade it once."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from ai_video_music import migrate, store_local
from ai_video_music.errors import LocalStateError
from ai_video_music.migrate import Engine, Migration
from ai_video_music.store import Store
from ai_video_music.store_legacy import MIGRATED

from .legacy_stores import write_legacy_store


def _schema(path: Path) -> list[tuple[str, str, str]]:
    """Every table, index and trigger as SQLite states it (white space folded)."""
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'sqlite_sequence'"
            " ORDER BY type, name"
        ).fetchall()
    return [(kind, name, " ".join(sql.split())) for kind, name, sql in rows]


def _recorded(path: Path) -> tuple[int, list[str]]:
    with sqlite3.connect(path) as db:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        names = [str(r[0]) for r in db.execute("SELECT name FROM schema_migrations ORDER BY version")]
    return version, names


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_an_old_store_upgrades_with_its_projects_turns_and_renders(tmp_path: Path, version: int) -> None:
    store = Store(write_legacy_store(tmp_path, version).parent)
    assert store.moved_aside is None, "upgraded in place, not replaced by a fresh store"
    project_id = store.get("current_project")
    assert project_id is not None
    project = store.project(project_id)
    assert project is not None and project.language == "zh"
    assert (project.name, project.session_id) == (
        ("Project 1", "sess_old") if version == 1 else ("Trip", "sess_trip")
    )
    media, count = store.media_page(project_id, 10)
    assert [m.name for m in media] == (["beach.jpg"] if version == 1 else ["beach.jpg", "sunset.jpg"])
    assert count == len(media)
    turn = store.generation("g_old" if version == 1 else "g_trip")
    assert (
        turn is not None and turn.project_id == project_id and turn.reply == "Music added." and turn.delivered
    )
    renders, total = store.renders_page(0, 10)
    assert total == 1 and renders[0].project_id == project_id and renders[0].status == "downloaded"
    if version >= 4:
        assert turn.fact_map == {"music": "calm"} and turn.client == "claude-1" and turn.cost_told
    if version == 5:
        assert turn.held_back == {"export"}
    # It goes on as a store of today: new rows beside the old, and the next start changes nothing.
    store.add_media(project_id, [{"name": "new.jpg"}], "upload")
    assert (
        store.begin_turn(
            "g_new", project_id, project.session_id, "add a title", "add a title", stale_after=60
        )
        is None
    )
    store.close()
    before = _schema(tmp_path / "store.db")
    again = Store(tmp_path)
    assert again.media_page(project_id, 10)[1] == count + 1
    assert again.generation("g_new") is not None
    again.close()
    assert _schema(tmp_path / "store.db") == before
    assert _recorded(tmp_path / "store.db") == (MIGRATED, [m.name for m in migrate.migrations()])


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_an_upgraded_store_has_the_schema_of_a_new_one(tmp_path: Path, version: int) -> None:
    Store(tmp_path / "new").close()
    Store(write_legacy_store(tmp_path / "old", version).parent).close()
    assert _schema(tmp_path / "old" / "store.db") == _schema(tmp_path / "new" / "store.db")


def test_processes_opening_an_old_store_at_once_upgrade_it_once(tmp_path: Path) -> None:
    write_legacy_store(tmp_path, 5)
    opened: list[Store] = []
    failed: list[BaseException] = []

    def open_store() -> None:
        try:
            opened.append(Store(tmp_path))
        except BaseException as err:  # collected: the assertion below names it
            failed.append(err)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed and len(opened) == 4
    assert all(s.moved_aside is None for s in opened)
    assert opened[0].media_page("p_trip", 10)[1] == 2
    assert [p.id for p in opened[-1].recent_projects(10)[0]] == ["p_trip", "p_blank"]
    assert _recorded(tmp_path / "store.db")[1] == [m.name for m in migrate.migrations()]


def test_a_hosted_only_migration_runs_nothing_locally_and_an_unknown_spelling_is_refused() -> None:
    oauth = next(m for m in migrate.migrations() if m.name == "0001_oauth.sql")
    assert oauth.sql(Engine.SQLITE) == ""
    assert "CREATE TABLE users" in oauth.sql(Engine.POSTGRESQL)
    both = Migration(99, "0099_x.sql", "CREATE TABLE t (id {{SERIAL_KEY}}, v {{NO_SUCH}});")
    with pytest.raises(RuntimeError, match="NO_SUCH"):
        both.sql(Engine.SQLITE)
    split = Migration(
        99, "0099_x.sql", "A;\n-- engine: sqlite\nB;\n-- engine: postgresql\nC;\n-- engine: both\nD;"
    )
    assert (split.sql(Engine.SQLITE), split.sql(Engine.POSTGRESQL)) == ("A;\nB;\nD;", "A;\nC;\nD;")


def test_an_old_store_held_by_another_process_is_left_as_it_is_not_moved_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_local, "BUSY_TIMEOUT_S", 0.05)  # the wait is SQLite's; no sleep here
    path = write_legacy_store(tmp_path, 5)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing (upgrading a large store, say)
    try:
        with pytest.raises(LocalStateError) as caught:
            Store(tmp_path)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert caught.value.message_key == "state.busy"
    assert "nothing in it was changed" in caught.value.render("en")
    assert sorted(p.name for p in tmp_path.iterdir() if "corrupt" in p.name) == []
    store = Store(tmp_path)
    assert store.moved_aside is None and store.media_page("p_trip", 10)[1] == 2
