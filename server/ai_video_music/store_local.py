"""The local store (NEMO_HOME/store.db, SQLite in WAL mode): its connection and schema, settings,
projects and media. Agent turns, uploads, cancels and renders: ``store.py``.

One kept connection per process, guarded by a lock (SQLite serialises writers across
processes itself). Every query a tool makes is indexed and bounded (``LIMIT``), so a call
costs the same with 100 rows or 100k. The schema is the hosted store's (``migrations/``, run by
``migrate.py``); its rows belong to one user, :data:`LOCAL_USER`.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from .errors import LocalStateError, local_state_error
from .fsutil import private_dir
from .migrate import migrate_sqlite
from .redact import mask_known
from .sanitize import fix_surrogates
from .store_legacy import adopt_legacy
from .store_rows import LOCAL_USER, Media, Project, project_row
from .store_sql import ADD_MEDIA, ADD_PROJECT, PUT

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

PAGE_CACHE_KIB = 512  # SQLite's page cache per connection (its default: 2 MB); see _open
BUSY_TIMEOUT_S = 10.0  # how long a write waits for another process's transaction to end


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Run under the connection lock; SQLite failures become a clear local-state error."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        store = args[0]
        assert isinstance(store, LocalProjects)
        with store._lock:
            try:
                return method(*args, **kwargs)
            except sqlite3.OperationalError as err:
                raise store.state_error(err) from err
            except sqlite3.DatabaseError as err:
                raise store.state_error(err) from err

    return run


def _in_use(err: sqlite3.DatabaseError) -> bool:
    return isinstance(err, sqlite3.OperationalError) and any(w in str(err) for w in ("locked", "busy"))


def _text(value: str) -> str:
    """SQLite can't store a lone surrogate (a cut emoji from the backend): fix it first. A token the
    backend echoed (in an agent's reply, an error) is masked: store.db is no place for it."""
    return fix_surrogates(mask_known(value))


def _opt(value: Any) -> Any:
    return _text(value) if isinstance(value, str) else value


class LocalProjects:
    """The local store's connection, settings, projects and media (agent turns, uploads, cancels and
    renders: :class:`~ai_video_music.store.Store`). Methods are quick and synchronous; bigger
    reads run off the event loop."""

    #: Whether other machines write the same rows (hosted mode): then nothing read once may be
    #: kept in memory as the truth (the current project, the language).
    shared = False

    def __init__(self, home: Path) -> None:
        self.home = home
        self.path = home / "store.db"
        self._lock = threading.RLock()
        self.moved_aside: Path | None = None
        try:
            private_dir(home)
            try:
                self._db = self._open()
            except sqlite3.DatabaseError as err:
                if _in_use(err):
                    # Not damage: another process holds the write lock for longer than we wait
                    # (upgrading a large old store, say). Its file must not be moved aside.
                    raise self.state_error(err) from err
                files = [self.path.with_name(self.path.name + suffix) for suffix in ("", "-wal", "-shm")]
                present = [(f, f.name[len("store.db") :]) for f in files if f.exists() or f.is_symlink()]
                if not present:
                    raise self.state_error(err) from err
                # A damaged file must not keep the server from starting: keep it for inspection.
                self.moved_aside = self.path.with_name(f"store.db.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
                for found, suffix in present:
                    os.replace(found, self.moved_aside.with_name(self.moved_aside.name + suffix))
                log.error("store %s was unreadable (%s); moved aside to %s", self.path, err, self.moved_aside)  # noqa: TRY400
                self._db = self._open()
        except sqlite3.Error as err:  # the fresh store can't be made either (a full disk, say)
            raise self.state_error(err) from err
        except OSError as err:
            raise local_state_error(err, home) from err

    def _open(self) -> sqlite3.Connection:
        # A planted link (the store or its journal) is never followed, written or chmod-ed
        # through: it is moved aside like a damaged store.
        for name in ("", "-wal", "-shm"):
            if self.path.with_name(self.path.name + name).is_symlink():
                raise sqlite3.DatabaseError(f"store.db{name} is a symbolic link")
        fd = os.open(self.path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)
            else:  # Windows
                os.chmod(self.path, 0o600)
        finally:
            os.close(fd)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        try:
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # SQLite's page cache fills as the store grows (a render and a turn a cycle, ~2 KB),
            # up to its 2 MB default: a server's memory rose for its first thousand renders. The
            # tools read a few pages through indexes (the OS caches the file), so 512 KiB is
            # plenty, and memory is flat after the first few hundred renders.
            db.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
            adopt_legacy(db)
            migrate_sqlite(db)
        except BaseException:
            db.close()
            raise
        return db

    def state_error(self, err: Exception) -> LocalStateError:
        if isinstance(err, sqlite3.DatabaseError) and _in_use(err):
            return LocalStateError("state.busy", path=str(self.path))
        text = str(err).lower()
        if "full" in text:
            return LocalStateError("state.disk_full", path=str(self.home))
        if "readonly" in text or "read-only" in text or "permission" in text:
            return LocalStateError("state.read_only", path=str(self.home))
        return LocalStateError("state.broken", path=str(self.path), reason=str(err)[:200])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- key/value ---------------------------------------------------------------------------

    @_guarded
    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM kv WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    @_guarded
    def put(self, **values: str) -> None:
        self._db.executemany(PUT, [(LOCAL_USER, k, _text(v)) for k, v in values.items()])

    # --- projects ----------------------------------------------------------------------------

    @_guarded
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
        self._db.execute(
            ADD_PROJECT,
            (LOCAL_USER, project_id, session_id, task_id, _text(name), language, int(named), now, now),
        )

    @_guarded
    def project_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM projects").fetchone()[0])

    @_guarded
    def project(self, project_id: str) -> Project | None:
        row = self._db.execute("SELECT * FROM projects WHERE id=?", (project_id,)).fetchone()
        return None if row is None else project_row(dict(row))

    @_guarded
    def find_project(self, ref: str) -> Project | None:
        """A project by id, or by its exact name (case-insensitive), newest first."""
        found = self.find_projects(ref)
        return found[0] if len(found) == 1 else None

    @_guarded
    def find_projects(self, ref: str, limit: int = 10) -> list[Project]:
        """Projects whose id or whole name is ``ref`` (case-insensitive), newest first."""
        ref = ref.strip()
        row = self._db.execute("SELECT * FROM projects WHERE id=?", (ref,)).fetchone()
        if row is not None:
            return [project_row(dict(row))]
        rows = self._db.execute(
            "SELECT * FROM projects WHERE name=? COLLATE NOCASE ORDER BY updated_at DESC LIMIT ?",
            (ref, limit),
        ).fetchall()
        return [project_row(dict(r)) for r in rows]

    @_guarded
    def projects_starting(self, ref: str, limit: int = 10) -> list[Project]:
        """Projects whose name starts with ``ref`` (as candidates to offer, never chosen silently)."""
        # A prefix as a range on the ``projects_name`` index (a LIKE scanned every project).
        rows = self._db.execute(
            "SELECT * FROM projects WHERE name COLLATE NOCASE >= ? AND name COLLATE NOCASE < ?"
            " ORDER BY updated_at DESC LIMIT ?",
            (ref.strip(), ref.strip() + "\U0010ffff", limit),
        ).fetchall()
        return [project_row(dict(r)) for r in rows]

    @_guarded
    def name_taken(self, name: str, but: str | None = None) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM projects WHERE name=? COLLATE NOCASE AND id IS NOT ? LIMIT 1", (name, but)
        ).fetchone()
        return row is not None

    @_guarded
    def recent_projects(self, limit: int) -> tuple[list[Project], int]:
        rows = self._db.execute(
            "SELECT * FROM projects ORDER BY updated_at DESC LIMIT ?", (limit,)
        ).fetchall()
        total = self._db.execute("SELECT COUNT(*) FROM projects").fetchone()[0]
        return [project_row(dict(r)) for r in rows], int(total)

    @_guarded
    def touch_project(self, project_id: str, **fields: Any) -> None:
        self._update("projects", project_id, fields)

    @_guarded
    def swap_session(self, project_id: str, expected: str, session_id: str, task_id: str | None) -> str:
        """Replace a lost session only if the project still has ``expected``; returns the project's
        session afterwards (ours, or the one another process put there first)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row = self._db.execute("SELECT session_id FROM projects WHERE id=?", (project_id,)).fetchone()
            current = None if row is None else str(row[0])
            if current == expected:
                self._db.execute(
                    "UPDATE projects SET session_id=?, task_id=?, claim_token=NULL, claim_expires=NULL,"
                    " updated_at=? WHERE id=?",
                    (session_id, task_id, time.time(), project_id),
                )
                current = session_id
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return current or session_id

    # --- media -------------------------------------------------------------------------------

    @_guarded
    def add_media(self, project_id: str, items: Iterable[dict[str, Any]], source: str) -> None:
        now = time.time()
        self._db.executemany(
            ADD_MEDIA,
            [
                (
                    LOCAL_USER,
                    project_id,
                    _text(str(i.get("name"))),
                    _opt(i.get("kind")),
                    _opt(i.get("url")),
                    source,
                    "{}",
                    now,
                )
                for i in items
            ],
        )

    @_guarded
    def media_page(self, project_id: str, limit: int) -> tuple[list[Media], int]:
        """The newest ``limit`` media of a project (oldest first) and how many there are."""
        rows = self._db.execute(
            "SELECT name, kind, url, source FROM media WHERE project_id=? ORDER BY id DESC LIMIT ?",
            (project_id, limit),
        ).fetchall()
        total = self._db.execute("SELECT n FROM media_counts WHERE project_id=?", (project_id,)).fetchone()
        media = [Media(r["name"], r["kind"], r["url"], r["source"]) for r in reversed(rows)]
        return media, max(len(media), int(total[0]) if total else 0)

    def _update(self, table: str, row_id: str, fields: dict[str, Any]) -> None:
        # Table and column names come from this module's callers, never from user input.
        fields = {k: _text(v) if isinstance(v, str) else v for k, v in fields.items()}
        fields.setdefault("updated_at", time.time())
        cols = ", ".join(f"{k}=?" for k in fields)
        self._db.execute(f"UPDATE {table} SET {cols} WHERE id=?", (*fields.values(), row_id))  # noqa: S608
