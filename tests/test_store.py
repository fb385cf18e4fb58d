"""The SQLite store: private, durable, safe under concurrent writers."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from ai_video_music.store import Store


def test_store_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put(session_id="s1")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    for extra in tmp_path.glob("store.db-*"):
        assert stat.S_IMODE(extra.stat().st_mode) == 0o600
    import sqlite3

    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_state_survives_a_new_instance(tmp_path: Path) -> None:
    first = Store(tmp_path)
    first.put(session_id="s1", task_id="t1", language="zh")
    first.add_render("r1", "s1", "mp4", "high", "pending")
    first.start_generation("g1", "s1", "make a video")
    second = Store(tmp_path)
    assert second.get("session_id") == "s1" and second.get("language") == "zh"
    assert [r.id for r in second.renders(unfinished=True)] == ["r1"]
    assert second.generation("g1") is not None


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    stores = [Store(tmp_path) for _ in range(4)]

    def write(n: int) -> None:
        for i in range(25):
            stores[n].add_media("s1", [{"name": f"{n}-{i}"}], "upload")
            stores[n].add_render(f"r{n}-{i}", "s1", "mp4", "high", "pending")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(Store(tmp_path).media("s1")) == 100
    assert len(Store(tmp_path).renders()) == 100


def test_stale_running_generations_are_marked_interrupted(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.start_generation("old", "s1", "a")
    store.start_generation("live", "s1", "b")
    assert store.interrupt_stale({"live"}, stale_after=-1) == ["old"]
    gen = store.generation("old")
    assert gen is not None and gen.status == "interrupted"
    live = store.generation("live")
    assert live is not None and live.status == "running"
