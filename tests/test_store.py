"""The SQLite store: private, durable, bounded queries, safe under concurrent writers and bad files."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ai_video_music.errors import LocalStateError
from ai_video_music.store import Store, process_owner

from .legacy_stores import write_legacy_store


def test_store_file_and_folder_are_private_and_in_wal_mode(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = Store(tmp_path / "a" / "b")
    finally:
        os.umask(old)
    store.put(current_project="p1")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700, "created under umask 000: still private"
    for extra in store.path.parent.glob("store.db-*"):
        assert stat.S_IMODE(extra.stat().st_mode) == 0o600
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_state_survives_a_new_instance(tmp_path: Path) -> None:
    first = Store(tmp_path)
    first.add_project("p1", "s1", "t1", "Trip", "zh")
    first.add_render("r1", "p1", "s1", "mp4", "high", "fp1")
    assert first.begin_turn("g1", "p1", "s1", "make a video", "make a video", stale_after=60) is None
    first.close()
    second = Store(tmp_path)
    project = second.project("p1")
    assert project is not None and project.language == "zh" and project.name == "Trip"
    assert [r.id for r in second.open_renders()] == ["r1"]
    assert second.generation("g1") is not None


def test_a_version_1_store_becomes_the_first_project(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "store.db")
    db.executescript(
        """
        CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE media (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,
            name TEXT NOT NULL, kind TEXT, url TEXT, source TEXT NOT NULL, info TEXT NOT NULL DEFAULT '{}',
            created_at REAL NOT NULL);
        CREATE TABLE generations (id TEXT PRIMARY KEY, session_id TEXT, prompt TEXT NOT NULL,
            status TEXT NOT NULL,
            reply TEXT NOT NULL DEFAULT '', error TEXT, delivered INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL, updated_at REAL NOT NULL);
        CREATE TABLE renders (id TEXT PRIMARY KEY, session_id TEXT, status TEXT NOT NULL, progress REAL,
            format TEXT NOT NULL, quality TEXT NOT NULL, output_url TEXT, local_path TEXT, error TEXT,
            created_at REAL NOT NULL, updated_at REAL NOT NULL);
        INSERT INTO kv VALUES ('session_id', 'sess_old'), ('task_id', 'task_old'), ('language', 'zh');
        INSERT INTO media(session_id, name, source, created_at) VALUES ('sess_old', 'beach.jpg', 'upload', 1);
        INSERT INTO renders VALUES ('r_old', 'sess_old', 'downloaded', 100, 'mp4', 'high', NULL, '/x.mp4',
            NULL, 1, 1);
        """
    )
    db.close()
    store = Store(tmp_path)
    current = store.get("current_project")
    assert current is not None
    project = store.project(current)
    assert project is not None and project.session_id == "sess_old" and project.task_id == "task_old"
    media, total = store.media_page(current, 10)
    assert total == 1 and media[0].name == "beach.jpg"
    page, count = store.renders_page(0, 10)
    assert count == 1 and page[0].project_id == current and page[0].local_path == "/x.mp4"
    assert store.get("session_id") is None


def test_concurrent_writers_in_threads_and_processes_lose_nothing(tmp_path: Path) -> None:
    stores = [Store(tmp_path) for _ in range(3)]
    stores[0].add_project("p1", "s1", None, "x", "en")

    def write(n: int) -> None:
        for i in range(20):
            stores[n].add_media("p1", [{"name": f"{n}-{i}"}], "upload")
            stores[n].add_render(f"r{n}-{i}", "p1", "s1", "mp4", "high", "fp")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    code = (
        "import sys; from pathlib import Path; from ai_video_music.store import Store\n"
        "s = Store(Path(sys.argv[1]))\n"
        "for i in range(20): s.add_media('p1', [{'name': f'proc-{i}'}], 'upload')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)])
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert proc.wait(timeout=60) == 0
    assert Store(tmp_path).media_page("p1", 1)[1] == 80
    assert Store(tmp_path).renders_page(0, 1)[1] == 60


def test_a_corrupt_store_is_moved_aside_and_a_fresh_one_started(tmp_path: Path) -> None:
    (tmp_path / "store.db").write_bytes(b"this is not a database" * 100)
    store = Store(tmp_path)
    assert store.moved_aside is not None and store.moved_aside.exists()
    assert store.moved_aside.read_bytes().startswith(b"this is not a database")
    store.add_project("p1", "s1", None, "fresh", "en")
    assert store.project("p1") is not None


def test_an_unusable_home_is_a_clear_error_naming_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(LocalStateError) as caught:
        Store(blocker / "home")
    assert str(blocker / "home") in caught.value.render("en")
    assert "NEMO_HOME" in caught.value.render("en") and "NEMO_HOME" in caught.value.render("zh")


def test_one_agent_turn_per_project_even_across_processes(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.add_project("p1", "s1", None, "x", "en")
    assert store.begin_turn("g1", "p1", "s1", "a", "a", stale_after=60) is None
    busy = store.begin_turn("g2", "p1", "s1", "b", "b", stale_after=60)
    assert busy is not None and busy.id == "g1"
    assert store.generation("g2") is None, "the second turn was not recorded (so not sent)"
    store.update_generation("g1", status="done")
    assert store.begin_turn("g2", "p1", "s1", "b", "b", stale_after=60) is None


def test_a_turn_whose_process_died_is_interrupted_at_once(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.add_project("p1", "s1", None, "x", "en")
    assert store.begin_turn("dead", "p1", "s1", "a", "a", stale_after=60) is None
    assert store.begin_turn("live", "p2", "s2", "b", "b", stale_after=60) is None
    # A process that no longer exists owned "dead" (pid 2**22 + 7 is never a live pid here).
    store.update_generation("dead", owner=f"{2**22 + 7}:gone", updated_at=__import__("time").time())
    assert store.interrupt_dead_turns(stale_after=3600) == ["dead"]
    gen = store.generation("dead")
    assert gen is not None and gen.status == "interrupted"
    live = store.generation("live")
    assert live is not None and live.status == "running" and live.owner == process_owner()


def test_one_process_follows_a_render(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.add_render("r1", "p1", "s1", "mp4", "high", "fp")
    assert store.claim_render("r1", stale_after=60), "its creator holds the claim"
    store.update_render("r1", claim=f"{os.getppid()}:other", claimed_at=__import__("time").time())
    assert not store.claim_render("r1", stale_after=60), "a live process follows it"
    store.update_render("r1", claim=f"{2**22 + 7}:gone")
    assert store.claim_render("r1", stale_after=60), "its follower died"


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("media_page", ("p1", 20)),
        ("renders_page", (0, 20)),
        ("open_renders", ()),
        ("project_renders", ("p1", 10)),
        ("undelivered_turns", ("p1",)),
        ("recent_projects", (10,)),
        ("running_turn", ("p1",)),
    ],
)
def test_every_query_a_tool_makes_uses_an_index(tmp_path: Path, query: str, args: tuple[object, ...]) -> None:
    """Constant cost with history: no query scans a whole table (checked with SQLite's own plan)."""
    store = Store(tmp_path)
    plans: list[str] = []
    store._db.set_trace_callback(lambda sql: plans.append(sql))
    getattr(store, query)(*args)
    store._db.set_trace_callback(None)
    for sql in plans:
        if not sql.lstrip().upper().startswith("SELECT") or (
            "COUNT(*)" in sql.upper() and "WHERE" not in sql
        ):
            continue
        # Re-run the plan with literal placeholders replaced: SQLite reports SCAN for a full table read.
        plan = store._db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        detail = " ".join(str(row[-1]) for row in plan)
        assert "SCAN" not in detail.replace("SCAN CONSTANT", "") or "USING" in detail, (sql, detail)


def _history(store: Store, rows: int) -> None:
    """``rows`` of every kind of history, all in project p1 (the worst case for its queries)."""
    store.add_project("p1", "s1", None, "Trip", "en")
    db = store._db
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO projects(id, session_id, name, language, created_at, updated_at) VALUES(?,?,?,?,?,?)",
        [(f"old{i}", f"s{i}", f"Old video {i}", "en", i, i) for i in range(rows)],
    )
    db.executemany(
        "INSERT INTO renders(id, project_id, session_id, status, format, quality, draft_fp, created_at,"
        " updated_at) VALUES(?,?,?,?,?,?,?,?,?)",
        [(f"r{i}", "p1", "s1", "downloaded", "mp4", "high", f"fp{i}", i, i) for i in range(rows)],
    )
    db.executemany(
        "INSERT INTO media(project_id, name, source, created_at) VALUES(?,?,?,?)",
        [("p1", f"photo{i}.jpg", "upload", i) for i in range(rows)],
    )
    db.executemany(
        "INSERT INTO generations(id, project_id, prompt, prompt_key, status, delivered, created_at,"
        " updated_at, sent_at, ended_at) VALUES(?,?,?,?,?,?,?,?,?,?)",
        [(f"g{i}", "p1", f"edit {i}", f"edit {i}", "done", 1, i, i, i, i + 1) for i in range(rows)],
    )
    db.executemany(
        "INSERT INTO uploads(id, project_id, names, status, delivered, created_at, updated_at)"
        " VALUES(?,?,?,?,?,?,?)",
        [(f"u{i}", "p1", "[]", "done", 1, i, i) for i in range(rows)],
    )
    db.execute("COMMIT")


def _work(store: Store, query: str, args: tuple[object, ...]) -> int:
    """SQLite's own count of the work a query did (its virtual machine steps, in hundreds)."""
    ticks = 0

    def tick() -> int:
        nonlocal ticks
        ticks += 1
        return 0

    store._db.set_progress_handler(tick, 100)
    getattr(store, query)(*args)
    store._db.set_progress_handler(None, 100)
    return ticks


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("media_page", ("p1", 20)),
        ("renders_page", (0, 20)),
        ("open_renders", ()),
        ("project_renders", ("p1", 10)),
        ("undelivered_turns", ("p1",)),
        ("undelivered_uploads", ("p1",)),
        ("recent_projects", (10,)),
        ("running_turn", ("p1",)),
        ("matching_turn", ("p1", "make a video")),
        ("interrupt_dead_turns", (90.0,)),
        ("find_project", ("Trip",)),
        ("find_project", ("Tri",)),
        ("projects_starting", ("Tri",)),
        ("name_taken", ("Trip",)),
        ("told_turn", ("p1", "make a video")),
        ("overlapping_turns", ("g1", 1.0e9, 2.0e9)),
        ("undelivered_elsewhere", ("p1", "default")),
        ("find_project", ("nothing like it",)),
    ],
)
def test_every_query_a_tool_makes_does_the_same_work_with_50_times_the_history(
    tmp_path: Path, query: str, args: tuple[object, ...]
) -> None:
    """Counted in SQLite's own steps, not timed: a query that walks the history grows with it."""
    small, big = Store(tmp_path / "small"), Store(tmp_path / "big")
    _history(small, 40)
    _history(big, 2000)
    assert _work(big, query, args) <= _work(small, query, args) + 3


def test_media_counts_follow_every_change_and_survive_an_upgrade(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.add_media("p1", [{"name": "a.jpg"}, {"name": "b.jpg"}], "upload")
    store.add_media("p2", [{"name": "c.jpg"}], "upload")
    store._db.execute("DELETE FROM media WHERE name='a.jpg'")
    store._db.execute("UPDATE media SET project_id='p2' WHERE name='b.jpg'")
    assert store.media_page("p1", 10)[1] == 0
    assert store.media_page("p2", 10)[1] == 2
    # A store written before the counts existed (version 2) gets them counted when it is opened.
    old = Store(write_legacy_store(tmp_path / "v2", 2).parent)
    assert old.media_page("p_trip", 10)[1] == 2
    old.add_media("p_trip", [{"name": "e.jpg"}], "upload")
    assert old.media_page("p_trip", 10)[1] == 3


def test_a_project_is_found_by_its_whole_name_and_candidates_by_their_start_taken_literally(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path)
    store.add_project("p1", "s1", None, "Summer_trip 100%", "en")
    store.add_project("p2", "s2", None, "SummerXtrip", "en")
    found = store.find_project("summer_trip 100%")
    assert found is not None and found.id == "p1", "the whole name, any case"
    assert store.find_project("summer_") is None, "a start is never chosen silently"
    assert [p.id for p in store.projects_starting("summer_")] == ["p1"], "_ is a character, not a wildcard"
    assert store.projects_starting("Summer_trip 1%") == [], "% too"
    assert [p.id for p in store.projects_starting("SUMMERX")] == ["p2"]


def test_version_3_projects_without_a_name_get_a_name_a_user_can_type(tmp_path: Path) -> None:
    store = Store(write_legacy_store(tmp_path, 3).parent)
    named = store.project("p_blank")
    assert named is not None and named.name == "Video 1" and named.named == 0
    assert store.find_project("video 1") == named
    trip = store.project("p_trip")
    assert trip is not None and trip.name == "Trip" and trip.named == 1, "a named project keeps its name"
    assert store.generation("nothing") is None, "the turn columns of version 4 are there"
