"""Persistent state in NEMO_HOME/store.db (SQLite, WAL): projects, media, agent turns, uploads, renders.

One kept connection per process, guarded by a lock (SQLite serialises writers across
processes itself). Every query a tool makes is indexed and bounded (``LIMIT``), so a call
costs the same with 100 rows or 100k. Work that must survive a crash is written *before*
the request that starts it is sent (a render row, an agent turn, an upload), with its
owner process, so the next process can tell "still running elsewhere" from "lost".
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from .errors import LocalStateError, local_state_error
from .fsutil import pid_alive, private_dir
from .messages import t
from .records import OPEN_RENDER, RenderState, TurnState, UploadState
from .redact import mask_known
from .sanitize import fix_surrogates

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

SCHEMA_VERSION = 5
PAGE_CACHE_KIB = 512  # SQLite's page cache per connection (its default: 2 MB); see Store._open
SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    task_id TEXT,
    name TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en',
    claim_token TEXT,
    claim_expires REAL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT,
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
    status TEXT NOT NULL,   -- submitting | pending | processing | completed | downloaded | failed | cancelled
    progress REAL,
    format TEXT NOT NULL,
    quality TEXT NOT NULL,
    output_url TEXT,
    local_path TEXT,
    error TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS cancels (
    id TEXT PRIMARY KEY,
    project_id TEXT,
    client TEXT,
    renders TEXT NOT NULL DEFAULT '[]',  -- the renders cancelled at the service
    saved_path TEXT,                     -- nothing ran, but the latest export had finished here
    agent_running INTEGER NOT NULL DEFAULT 0,
    told INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS uploads (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    names TEXT NOT NULL,
    status TEXT NOT NULL,           -- running | done | failed | interrupted
    error TEXT,
    owner TEXT,
    delivered INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
"""
# Columns added in version 2, to tables a version-1 store already has.
ADDED_COLUMNS = {
    "media": ["project_id TEXT"],
    "generations": [
        "project_id TEXT",
        "prompt_key TEXT",
        "owner TEXT",
        "before_draft TEXT",
        "changes TEXT",
        "timeline_changed INTEGER",
        "credits_before REAL",
        "credits_after REAL",
        # version 4: a turn is a record of facts; answers are composed from them when told.
        "client TEXT",
        "route TEXT",
        "facts TEXT",
        "sent_at REAL",
        "ended_at REAL",
        "shared_with TEXT",
        "cost_told INTEGER NOT NULL DEFAULT 0",
        # version 5: commands the user held back in the request ("don't export yet"), as JSON
        "held TEXT",
    ],
    "projects": ["named INTEGER NOT NULL DEFAULT 1"],
    "renders": [
        "project_id TEXT",
        "draft_fp TEXT",
        "attempt INTEGER NOT NULL DEFAULT 1",
        "retry_of TEXT",
        "duration_s REAL",
        "width INTEGER",
        "height INTEGER",
        "size_bytes INTEGER",
        "claim TEXT",
        "claimed_at REAL",
        "told INTEGER NOT NULL DEFAULT 0",
    ],
    "uploads": ["client TEXT"],
    # version 5: the request a cancel answered about (the session's latest, sent or not)
    "cancels": ["turn_id TEXT"],
}
INDEXES = """
CREATE INDEX IF NOT EXISTS projects_recent ON projects(updated_at);
CREATE INDEX IF NOT EXISTS media_project ON media(project_id, id);
CREATE INDEX IF NOT EXISTS generations_project ON generations(project_id, status);
CREATE INDEX IF NOT EXISTS generations_open ON generations(status) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS generations_undelivered ON generations(project_id) WHERE delivered = 0;
CREATE INDEX IF NOT EXISTS generations_prompt ON generations(project_id, prompt_key);
CREATE INDEX IF NOT EXISTS generations_sent ON generations(sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS generations_client ON generations(client, created_at);
CREATE INDEX IF NOT EXISTS projects_name ON projects(name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS renders_recent ON renders(created_at);
CREATE INDEX IF NOT EXISTS renders_project ON renders(project_id, created_at);
CREATE INDEX IF NOT EXISTS renders_open ON renders(status)
    WHERE status IN ('submitting', 'pending', 'processing', 'completed');
CREATE INDEX IF NOT EXISTS uploads_open ON uploads(project_id) WHERE delivered = 0;
"""
# How many media each project has, kept by triggers: counting 100k index entries took 7 ms a
# ``status`` (version 3). Rebuilt from the table when the schema is created or upgraded.
MEDIA_COUNTS = """
CREATE TABLE IF NOT EXISTS media_counts (project_id TEXT PRIMARY KEY, n INTEGER NOT NULL);
DELETE FROM media_counts;
INSERT INTO media_counts(project_id, n)
    SELECT project_id, COUNT(*) FROM media WHERE project_id IS NOT NULL GROUP BY project_id;
CREATE TRIGGER IF NOT EXISTS media_added AFTER INSERT ON media WHEN NEW.project_id IS NOT NULL BEGIN
    INSERT INTO media_counts(project_id, n) VALUES (NEW.project_id, 1)
        ON CONFLICT(project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS media_removed AFTER DELETE ON media WHEN OLD.project_id IS NOT NULL BEGIN
    UPDATE media_counts SET n = n - 1 WHERE project_id = OLD.project_id;
END;
CREATE TRIGGER IF NOT EXISTS media_moved AFTER UPDATE OF project_id ON media
    WHEN NEW.project_id IS NOT OLD.project_id BEGIN
    UPDATE media_counts SET n = n - 1 WHERE project_id = OLD.project_id;
    INSERT INTO media_counts(project_id, n) SELECT NEW.project_id, 1 WHERE NEW.project_id IS NOT NULL
        ON CONFLICT(project_id) DO UPDATE SET n = n + 1;
END;
"""
_UPSERT_KV = "INSERT INTO kv(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"
# The statuses as literals, not parameters: SQLite uses the partial index ``renders_open`` only when
# it can see that the query implies the index's WHERE (with ``?`` it scanned every render: 39 ms
# at 100k renders, on every status and export).
_OPEN_RENDERS = "SELECT * FROM renders WHERE status IN ({}) ORDER BY created_at LIMIT ?".format(  # noqa: S608
    ", ".join(f"'{s.value}'" for s in OPEN_RENDER)
)
#: A process's identity in ``owner`` columns: its pid (to see it died) and a nonce (pid reuse).
OWNER = f"{os.getpid()}:{uuid.uuid4().hex[:8]}"
TURN_LIMIT_S = 3600.0  # no agent turn runs longer (the agent's own limit is 15 minutes)


def owner_alive(owner: str | None) -> bool:
    if not owner:
        return False
    if owner == OWNER:
        return True
    pid, _, _ = owner.partition(":")
    return pid.isdigit() and pid_alive(int(pid))


@dataclass(frozen=True)
class Project:
    id: str
    session_id: str
    task_id: str | None
    name: str
    language: str
    claim_token: str | None
    claim_expires: float | None
    created_at: float
    updated_at: float
    named: int = 1  # 0: a default name ("Video 2") that the first request's words replace


@dataclass(frozen=True)
class Generation:
    """An agent turn's record: what was asked (as sent), how it was routed, when it was sent and
    ended, the balance around it, the verified change, the agent's words (``facts``), whether
    it was told and whether its cost was told."""

    id: str
    project_id: str | None
    prompt: str
    prompt_key: str | None
    status: TurnState
    reply: str
    error: str | None
    delivered: bool
    owner: str | None
    before_draft: str | None  # while a turn runs: the timeline before it (turns.snapshot), for a takeover
    changes: str | None
    timeline_changed: bool | None
    credits_before: float | None
    credits_after: float | None
    created_at: float
    updated_at: float
    client: str | None = None
    route: str | None = None
    facts: str | None = None
    sent_at: float | None = None
    ended_at: float | None = None
    shared_with: str | None = None
    cost_told: bool = False
    held: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", TurnState(self.status))

    @property
    def held_back(self) -> frozenset[str]:
        """The commands the user held back in this request ("don't export yet")."""
        try:
            loaded = json.loads(self.held or "[]")
        except ValueError:
            return frozenset()
        return frozenset(str(a) for a in loaded) if isinstance(loaded, list) else frozenset()

    @property
    def change_list(self) -> list[str]:
        try:
            loaded = json.loads(self.changes or "[]")
        except ValueError:
            return []
        return [str(c) for c in loaded] if isinstance(loaded, list) else []

    @property
    def fact_map(self) -> dict[str, Any]:
        try:
            loaded = json.loads(self.facts or "{}")
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}

    @property
    def shared(self) -> list[str]:
        """The projects of requests that ran at the same time (their costs can't be told apart)."""
        try:
            loaded = json.loads(self.shared_with or "[]")
        except ValueError:
            return []
        return [str(c) for c in loaded] if isinstance(loaded, list) else []


@dataclass(frozen=True)
class Render:
    id: str
    project_id: str | None
    session_id: str | None
    status: RenderState
    progress: float | None
    format: str
    quality: str
    output_url: str | None
    local_path: str | None
    error: str | None
    draft_fp: str | None
    attempt: int
    retry_of: str | None
    duration_s: float | None
    width: int | None
    height: int | None
    size_bytes: int | None
    claim: str | None
    claimed_at: float | None
    created_at: float
    updated_at: float
    told: int = 0  # the file was delivered in an answer (then "the same file" can be true)
    project_name: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", RenderState(self.status))


@dataclass(frozen=True)
class Cancel:
    """A cancel request's record: what it stopped, and what it couldn't (an agent turn already sent)."""

    id: str
    project_id: str | None
    client: str | None
    renders: list[str]
    saved_path: str | None
    agent_running: bool
    told: bool
    created_at: float
    turn_id: str | None = None  # the session's latest agent request, when it was the latest thing


@dataclass(frozen=True)
class Media:
    name: str
    kind: str | None
    url: str | None
    source: str


@dataclass(frozen=True)
class Upload:
    id: str
    project_id: str
    names: list[str]
    status: UploadState
    error: str | None
    owner: str | None
    delivered: bool
    created_at: float
    client: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", UploadState(self.status))


def _guarded(method: Callable[P, R]) -> Callable[P, R]:
    """Run under the connection lock; SQLite failures become a clear local-state error."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        store = args[0]
        assert isinstance(store, Store)
        with store._lock:
            try:
                return method(*args, **kwargs)
            except sqlite3.OperationalError as err:
                raise store.state_error(err) from err
            except sqlite3.DatabaseError as err:
                raise store.state_error(err) from err

    return run


def _text(value: str) -> str:
    """SQLite can't store a lone surrogate (a cut emoji from the backend): fix it first. A token the
    backend echoed (in an agent's reply, an error) is masked: store.db is no place for it."""
    return fix_surrogates(mask_known(value))


def _opt(value: Any) -> Any:
    return _text(value) if isinstance(value, str) else value


class Store:
    """All persistence. Methods are quick and synchronous; bigger reads run off the event loop."""

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
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA busy_timeout=10000")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            # SQLite's page cache fills as the store grows (a render and a turn a cycle, ~2 KB),
            # up to its 2 MB default: a server's memory rose for its first thousand renders. The
            # tools read a few pages through indexes (the OS caches the file), so 512 KiB is
            # plenty, and memory is flat after the first few hundred renders.
            db.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                self._migrate(db, version)
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self, db: sqlite3.Connection, version: int) -> None:
        """Create or upgrade the schema in one transaction (another process may be doing the same:
        every step checks before it acts)."""
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(SCHEMA):
                db.execute(statement)
            for table, columns in ADDED_COLUMNS.items():
                have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                for column in columns:
                    if column.split()[0] not in have:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
            for statement in _statements(INDEXES):
                db.execute(statement)
            self._adopt_v1_session(db)
            if version < 4:
                self._name_unnamed(db)
            for statement in _statements(MEDIA_COUNTS):
                db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @staticmethod
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

    @staticmethod
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
            "INSERT INTO projects(id, session_id, task_id, name, language, created_at, updated_at)"
            " VALUES(?,?,?,?,?,?,?)",
            (pid, sid, task[0] if task else None, "Project 1", str(lang[0]) if lang else "en", now, now),
        )
        for table in ("media", "generations", "renders"):
            db.execute(f"UPDATE {table} SET project_id=? WHERE project_id IS NULL", (pid,))  # noqa: S608
        db.execute("DELETE FROM kv WHERE key IN ('session_id', 'task_id')")
        db.execute(_UPSERT_KV, ("current_project", pid))

    def state_error(self, err: Exception) -> LocalStateError:
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
        self._db.executemany(_UPSERT_KV, [(k, _text(v)) for k, v in values.items()])

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
            "INSERT INTO projects(id, session_id, task_id, name, language, named, created_at, updated_at)"
            " VALUES(?,?,?,?,?,?,?,?)",
            (project_id, session_id, task_id, _text(name), language, int(named), now, now),
        )

    @_guarded
    def project_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM projects").fetchone()[0])

    @_guarded
    def project(self, project_id: str) -> Project | None:
        row = self._db.execute("SELECT * FROM projects WHERE id=?", (project_id,)).fetchone()
        return None if row is None else Project(**dict(row))

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
            return [Project(**dict(row))]
        rows = self._db.execute(
            "SELECT * FROM projects WHERE name=? COLLATE NOCASE ORDER BY updated_at DESC LIMIT ?",
            (ref, limit),
        ).fetchall()
        return [Project(**dict(r)) for r in rows]

    @_guarded
    def projects_starting(self, ref: str, limit: int = 10) -> list[Project]:
        """Projects whose name starts with ``ref`` (as candidates to offer, never chosen silently)."""
        # A prefix as a range on the ``projects_name`` index (a LIKE scanned every project).
        rows = self._db.execute(
            "SELECT * FROM projects WHERE name COLLATE NOCASE >= ? AND name COLLATE NOCASE < ?"
            " ORDER BY updated_at DESC LIMIT ?",
            (ref.strip(), ref.strip() + "\U0010ffff", limit),
        ).fetchall()
        return [Project(**dict(r)) for r in rows]

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
        return [Project(**dict(r)) for r in rows], int(total)

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
            "INSERT INTO media(project_id, name, kind, url, source, info, created_at) VALUES(?,?,?,?,?,?,?)",
            [
                (
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

    # --- agent turns -------------------------------------------------------------------------

    @_guarded
    def begin_turn(
        self,
        gen_id: str,
        project_id: str,
        session_id: str,
        prompt: str,
        prompt_key: str,
        *,
        stale_after: float,
        client: str | None = None,
        route: str | None = None,
        held: Iterable[str] = (),
    ) -> Generation | None:
        """Record a new agent turn before it is sent, unless the project already has one running
        in a live process: then that one is returned and nothing is written (one turn at a time
        per session, across processes)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row = self._db.execute(
                "SELECT * FROM generations WHERE project_id=? AND status='running'"
                " ORDER BY created_at DESC LIMIT 1",
                (project_id,),
            ).fetchone()
            if row is not None:
                busy = _generation(row)
                if owner_alive(busy.owner) and time.time() - busy.updated_at < stale_after:
                    self._db.execute("COMMIT")
                    return busy
            now = time.time()
            self._db.execute(
                "INSERT INTO generations(id, project_id, session_id, prompt, prompt_key, status, owner,"
                " client, route, held, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                (gen_id, project_id, session_id, _text(prompt), prompt_key, "running", OWNER, client, route,
                 json.dumps(sorted(held)), now, now),
            )  # fmt: skip
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return None

    @_guarded
    def forget_turn(self, gen_id: str) -> None:
        """A turn recorded but never sent because it failed early (nothing to tell about it)."""
        self._db.execute("DELETE FROM generations WHERE id=? AND status='running'", (gen_id,))

    @_guarded
    def not_sent(self, gen_id: str, reason: str) -> None:
        """A turn recorded but not sent for its cost: kept (told, nothing charged), so a later
        "cancel that" can say it was never sent."""
        self._db.execute(
            "UPDATE generations SET status=?, facts=?, delivered=1, cost_told=1, updated_at=?"
            " WHERE id=? AND status='running'",
            (TurnState.NOT_SENT.value, json.dumps({"not_sent": reason}), time.time(), gen_id),
        )

    @_guarded
    def add_not_sent(
        self,
        gen_id: str,
        project_id: str | None,
        prompt: str,
        prompt_key: str,
        reason: str,
        *,
        client: str | None = None,
        route: str | None = None,
        held: Iterable[str] = (),
    ) -> None:
        """A request not sent to the agent: refused for its cost, awaiting confirmation, or only
        holding a command back ("先别导出", answered by us)."""
        now = time.time()
        self._db.execute(
            "INSERT INTO generations(id, project_id, prompt, prompt_key, status, facts, delivered, cost_told,"
            " client, route, held, created_at, updated_at) VALUES(?,?,?,?,?,?,1,1,?,?,?,?,?)",
            (gen_id, project_id, _text(prompt), prompt_key, TurnState.NOT_SENT.value,
             json.dumps({"not_sent": reason}), client, route, json.dumps(sorted(held)), now, now),
        )  # fmt: skip

    @_guarded
    def latest_turn(self, client: str | None, project_id: str | None = None) -> Generation | None:
        """A client session's newest request to the agent (sent or not), optionally in one project."""
        if project_id is None:
            row = self._db.execute(
                "SELECT * FROM generations WHERE client IS ? ORDER BY created_at DESC LIMIT 1", (client,)
            ).fetchone()
        else:
            row = self._db.execute(
                "SELECT * FROM generations WHERE client IS ? AND project_id=?"
                " ORDER BY created_at DESC LIMIT 1",
                (client, project_id),
            ).fetchone()
        return None if row is None else _generation(row)

    @_guarded
    def session_turns(self, client: str | None, since: float = 0.0, limit: int = 500) -> list[Generation]:
        """A client session's requests to the agent that were sent since ``since``, newest first
        (for what they cost)."""
        rows = self._db.execute(
            "SELECT * FROM generations WHERE client IS ? AND created_at>=? AND sent_at IS NOT NULL"
            " ORDER BY created_at DESC LIMIT ?",
            (client, since, limit),
        ).fetchall()
        return [_generation(r) for r in rows]

    @_guarded
    def update_generation(self, gen_id: str, **fields: Any) -> None:
        for name in ("changes", "facts", "shared_with", "held"):
            if name in fields and not isinstance(fields[name], str | None):
                fields[name] = json.dumps(fields[name], ensure_ascii=False)
        self._update("generations", gen_id, fields)

    @_guarded
    def generation(self, gen_id: str) -> Generation | None:
        row = self._db.execute("SELECT * FROM generations WHERE id=?", (gen_id,)).fetchone()
        return None if row is None else _generation(row)

    @_guarded
    def matching_turn(self, project_id: str, prompt_key: str) -> Generation | None:
        """The same request, still running or answered but not yet delivered, in this project."""
        row = self._db.execute(
            "SELECT * FROM generations WHERE project_id=? AND prompt_key=?"
            " AND (status='running' OR delivered=0) ORDER BY created_at DESC LIMIT 1",
            (project_id, prompt_key),
        ).fetchone()
        return None if row is None else _generation(row)

    @_guarded
    def told_turn(self, project_id: str, prompt_key: str) -> Generation | None:
        """The same request, already sent and told (answered, or interrupted after it reached the
        agent), in this project (the newest): sending it again would cost again."""
        row = self._db.execute(
            "SELECT * FROM generations WHERE project_id=? AND prompt_key=? AND delivered=1"
            " AND status IN ('done', 'interrupted')"
            " ORDER BY created_at DESC LIMIT 1",
            (project_id, prompt_key),
        ).fetchone()
        return None if row is None else _generation(row)

    @_guarded
    def overlapping_turns(self, gen_id: str, start: float, end: float) -> list[Generation]:
        """Other agent turns (any project) that were sent while this one ran: the balance moved for
        them too. Bounded: only turns sent before ``end`` and not ended before ``start``."""
        rows = self._db.execute(
            "SELECT * FROM generations WHERE sent_at BETWEEN ? AND ? AND id!=?"
            " AND (ended_at IS NULL OR ended_at>=?) ORDER BY sent_at DESC LIMIT 20",
            (start - TURN_LIMIT_S, end, gen_id, start),
        ).fetchall()
        return [_generation(r) for r in rows]

    @_guarded
    def undelivered_elsewhere(self, project_id: str | None, client: str, limit: int = 10) -> list[Generation]:
        """Finished answers not told yet that this call won't deliver: another project's, or asked by
        another client session (each is labelled in status, never taken from its owner)."""
        rows = self._db.execute(
            "SELECT * FROM generations WHERE delivered=0 AND status!='running'"
            " AND (project_id IS NOT ? OR (client IS NOT NULL AND client!=?))"
            " ORDER BY created_at DESC LIMIT ?",
            (project_id, client, limit),
        ).fetchall()
        return [_generation(r) for r in rows]

    @_guarded
    def running_turns(self, limit: int = 10) -> list[Generation]:
        rows = self._db.execute(
            "SELECT * FROM generations WHERE status='running' ORDER BY created_at DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_generation(r) for r in rows]

    @_guarded
    def running_turn(self, project_id: str) -> Generation | None:
        row = self._db.execute(
            "SELECT * FROM generations WHERE project_id=? AND status='running'"
            " ORDER BY created_at DESC LIMIT 1",
            (project_id,),
        ).fetchone()
        return None if row is None else _generation(row)

    @_guarded
    def has_turns(self, project_id: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM generations WHERE project_id=? AND status!='not_sent' LIMIT 1", (project_id,)
        ).fetchone()
        return row is not None

    @_guarded
    def undelivered_turns(
        self, project_id: str, limit: int = 20, client: str | None = None
    ) -> list[Generation]:
        """A project's answers not told yet; with ``client``, only those that session asked for."""
        rows = self._db.execute(
            # The partial index by name: the planner took (project_id, prompt_key) and walked history.
            "SELECT * FROM generations INDEXED BY generations_undelivered"
            " WHERE project_id=? AND delivered=0 AND status!='running' ORDER BY created_at LIMIT ?",
            (project_id, limit),
        ).fetchall()
        found = [_generation(r) for r in rows]
        # Filtered here, not in SQL: a condition on the client made SQLite leave the partial index.
        return [g for g in found if client is None or g.client is None or g.client == client]

    def take_over_turns(self, stale_after: float) -> list[Generation]:
        """Sent turns whose reader is gone, handed to this process to follow in NemoVideo's
        state. The local store has none: a process that died took its stream with it, and its
        turn is told as interrupted (no other process shares its rows while it runs)."""
        return []

    @_guarded
    def finish_turn(self, gen_id: str, **fields: Any) -> bool:
        """Record a turn's outcome; False when another process settled it first. Locally one
        process reads a turn, so its outcome is written whatever the row says (a turn marked
        interrupted while its process only stalled still gets its real answer)."""
        self.update_generation(gen_id, **fields)
        return True

    @_guarded
    def interrupt_dead_turns(self, stale_after: float) -> list[str]:
        """Running turns whose process died (or stopped beating) are marked interrupted."""
        rows = self._db.execute(
            "SELECT id, owner, updated_at FROM generations WHERE status='running'"
        ).fetchall()
        now = time.time()
        dead = [r["id"] for r in rows if not owner_alive(r["owner"]) or now - r["updated_at"] > stale_after]
        self._db.executemany(
            "UPDATE generations SET status='interrupted', updated_at=? WHERE id=? AND status='running'",
            [(now, i) for i in dead],
        )
        return dead

    # --- uploads -----------------------------------------------------------------------------

    @_guarded
    def start_upload(
        self, upload_id: str, project_id: str, names: list[str], client: str | None = None
    ) -> None:
        now = time.time()
        self._db.execute(
            "INSERT INTO uploads(id, project_id, names, status, owner, client, created_at, updated_at)"
            " VALUES(?,?,?,?,?,?,?,?)",
            (upload_id, project_id, json.dumps([_text(n) for n in names], ensure_ascii=False), "running",
             OWNER, client, now, now),
        )  # fmt: skip

    @_guarded
    def update_upload(self, upload_id: str, **fields: Any) -> None:
        self._update("uploads", upload_id, fields)

    @_guarded
    def undelivered_uploads(self, project_id: str, limit: int = 20) -> list[Upload]:
        """Uploads that ended (or died with their process) and whose outcome wasn't told yet."""
        rows = self._db.execute(
            "SELECT * FROM uploads WHERE project_id=? AND delivered=0 ORDER BY created_at LIMIT ?",
            (project_id, limit),
        ).fetchall()
        out = []
        for r in rows:
            status = r["status"]
            if status == "running" and not owner_alive(r["owner"]):
                status = "interrupted"
                self._db.execute("UPDATE uploads SET status='interrupted' WHERE id=?", (r["id"],))
            if status != "running":
                out.append(
                    Upload(r["id"], r["project_id"], json.loads(r["names"]), status, r["error"], r["owner"],
                           bool(r["delivered"]), r["created_at"], r["client"])
                )  # fmt: skip
        return out

    # --- cancels -----------------------------------------------------------------------------

    @_guarded
    def add_cancel(self, cancel: Cancel) -> None:
        self._db.execute(
            "INSERT INTO cancels(id, project_id, client, renders, saved_path, agent_running, told,"
            " created_at, turn_id) VALUES(?,?,?,?,?,?,?,?,?)",
            (cancel.id, cancel.project_id, cancel.client, json.dumps(cancel.renders),
             _opt(cancel.saved_path), int(cancel.agent_running), int(cancel.told), cancel.created_at,
             cancel.turn_id),
        )  # fmt: skip

    @_guarded
    def cancel_told(self, cancel_id: str) -> None:
        self._db.execute("UPDATE cancels SET told=1 WHERE id=?", (cancel_id,))

    # --- renders -----------------------------------------------------------------------------

    @_guarded
    def add_render(
        self,
        render_id: str,
        project_id: str,
        session_id: str,
        fmt: str,
        quality: str,
        draft_fp: str,
        *,
        attempt: int = 1,
        retry_of: str | None = None,
    ) -> None:
        now = time.time()
        self._db.execute(
            "INSERT INTO renders(id, project_id, session_id, status, format, quality, draft_fp, attempt,"
            " retry_of, claim, claimed_at, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (render_id, project_id, session_id, "submitting", fmt, quality, draft_fp, attempt, retry_of,
             OWNER, now, now, now),
        )  # fmt: skip

    @_guarded
    def update_render(self, render_id: str, **fields: Any) -> None:
        self._update("renders", render_id, fields)

    @_guarded
    def render(self, render_id: str) -> Render | None:
        row = self._db.execute(
            "SELECT r.*, p.name AS project_name FROM renders r LEFT JOIN projects p ON p.id = r.project_id"
            " WHERE r.id=?",
            (render_id,),
        ).fetchone()
        return None if row is None else Render(**dict(row))

    @_guarded
    def open_renders(self, limit: int = 50) -> list[Render]:
        """Renders not finished and saved yet (to resume), oldest first."""
        rows = self._db.execute(_OPEN_RENDERS, (limit,)).fetchall()
        return [Render(**dict(r)) for r in rows]

    @_guarded
    def project_renders(self, project_id: str, limit: int = 10) -> list[Render]:
        rows = self._db.execute(
            "SELECT * FROM renders WHERE project_id=? ORDER BY created_at DESC LIMIT ?", (project_id, limit)
        ).fetchall()
        return [Render(**dict(r)) for r in rows]

    @_guarded
    def renders_page(self, offset: int, limit: int) -> tuple[list[Render], int]:
        """Every project's renders, newest first, one page of them, and how many there are."""
        rows = self._db.execute(
            "SELECT r.*, p.name AS project_name FROM renders r LEFT JOIN projects p ON p.id = r.project_id"
            " ORDER BY r.created_at DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        total = self._db.execute("SELECT COUNT(*) FROM renders").fetchone()[0]
        return [Render(**dict(r)) for r in rows], int(total)

    @_guarded
    def recent_output_urls(self, limit: int) -> list[str]:
        """Where recent exports came from, for renders whose video was downloaded and verified."""
        rows = self._db.execute(
            "SELECT output_url FROM renders WHERE output_url IS NOT NULL AND status='downloaded'"
            " ORDER BY created_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [str(r[0]) for r in rows]

    @_guarded
    def claim_render(self, render_id: str, stale_after: float) -> bool:
        """Take charge of following a render (one process polls and downloads it)."""
        row = self._db.execute("SELECT claim, claimed_at FROM renders WHERE id=?", (render_id,)).fetchone()
        if row is None:
            return False
        claim, at = row["claim"], row["claimed_at"] or 0.0
        if claim and claim != OWNER and owner_alive(claim) and time.time() - at < stale_after:
            return False
        cur = self._db.execute(
            "UPDATE renders SET claim=?, claimed_at=? WHERE id=? AND (claim IS ? OR claimed_at IS ?)",
            (OWNER, time.time(), render_id, claim, row["claimed_at"]),
        )
        return cur.rowcount == 1

    def _update(self, table: str, row_id: str, fields: dict[str, Any]) -> None:
        # Table and column names come from this module's callers, never from user input.
        fields = {k: _text(v) if isinstance(v, str) else v for k, v in fields.items()}
        fields.setdefault("updated_at", time.time())
        cols = ", ".join(f"{k}=?" for k in fields)
        self._db.execute(f"UPDATE {table} SET {cols} WHERE id=?", (*fields.values(), row_id))  # noqa: S608


def _generation(row: sqlite3.Row) -> Generation:
    data = dict(row)
    data.pop("session_id", None)
    data["delivered"] = bool(data["delivered"])
    data["cost_told"] = bool(data.get("cost_told"))
    tc = data.get("timeline_changed")
    data["timeline_changed"] = None if tc is None else bool(tc)
    return Generation(**data)


def _default(n: int) -> str:
    return t("project.default_name", "en", n=n)


def _statements(script: str) -> list[str]:
    """A script's statements, one by one (``executescript`` would commit the migration's transaction);
    a trigger's body keeps its inner semicolons."""
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip())
            pending = ""
    return out
