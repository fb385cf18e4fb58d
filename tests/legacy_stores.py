"""store.db files as the versions before the shared migrations wrote them (schema versions 1-5 in
SQLite's ``user_version``; version 1 left it at 0), each with a user's projects, media, turns and
renders: what an upgrade must carry over. The tables are those store.py's own upgrade steps
stated, version by version, before ``migrations/`` replaced them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

V1 = """
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE media (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,
    name TEXT NOT NULL, kind TEXT, url TEXT, source TEXT NOT NULL, info TEXT NOT NULL DEFAULT '{}',
    created_at REAL NOT NULL);
CREATE TABLE generations (id TEXT PRIMARY KEY, session_id TEXT, prompt TEXT NOT NULL,
    status TEXT NOT NULL, reply TEXT NOT NULL DEFAULT '', error TEXT,
    delivered INTEGER NOT NULL DEFAULT 0, created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE renders (id TEXT PRIMARY KEY, session_id TEXT, status TEXT NOT NULL, progress REAL,
    format TEXT NOT NULL, quality TEXT NOT NULL, output_url TEXT, local_path TEXT, error TEXT,
    created_at REAL NOT NULL, updated_at REAL NOT NULL);
INSERT INTO kv VALUES ('session_id', 'sess_old'), ('task_id', 'task_old'), ('language', 'zh');
INSERT INTO media(session_id, name, source, created_at) VALUES ('sess_old', 'beach.jpg', 'upload', 1);
INSERT INTO generations(id, session_id, prompt, status, reply, delivered, created_at, updated_at)
    VALUES ('g_old', 'sess_old', 'add music', 'done', 'Music added.', 1, 1, 2);
INSERT INTO renders VALUES ('r_old', 'sess_old', 'downloaded', 100, 'mp4', 'high', NULL, '/x.mp4',
    NULL, 1, 1);
"""
V2 = """
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE projects (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, task_id TEXT, name TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en', claim_token TEXT, claim_expires REAL, created_at REAL NOT NULL,
    updated_at REAL NOT NULL);
CREATE TABLE media (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT, name TEXT NOT NULL, kind TEXT,
    url TEXT, source TEXT NOT NULL, info TEXT NOT NULL DEFAULT '{}', created_at REAL NOT NULL,
    project_id TEXT);
CREATE TABLE generations (id TEXT PRIMARY KEY, session_id TEXT, prompt TEXT NOT NULL, status TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '', error TEXT, delivered INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, project_id TEXT, prompt_key TEXT, owner TEXT,
    before_draft TEXT, changes TEXT, timeline_changed INTEGER, credits_before REAL, credits_after REAL);
CREATE TABLE renders (id TEXT PRIMARY KEY, session_id TEXT, status TEXT NOT NULL, progress REAL,
    format TEXT NOT NULL, quality TEXT NOT NULL, output_url TEXT, local_path TEXT, error TEXT,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, project_id TEXT, draft_fp TEXT,
    attempt INTEGER NOT NULL DEFAULT 1, retry_of TEXT, duration_s REAL, width INTEGER, height INTEGER,
    size_bytes INTEGER, claim TEXT, claimed_at REAL, told INTEGER NOT NULL DEFAULT 0);
CREATE TABLE uploads (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, names TEXT NOT NULL,
    status TEXT NOT NULL, error TEXT, owner TEXT, delivered INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE INDEX projects_recent ON projects(updated_at);
CREATE INDEX media_project ON media(project_id, id);
CREATE INDEX generations_project ON generations(project_id, status);
CREATE INDEX renders_project ON renders(project_id, created_at);
INSERT INTO kv VALUES ('current_project', 'p_trip'), ('language', 'zh');
INSERT INTO projects(id, session_id, task_id, name, language, created_at, updated_at)
    VALUES ('p_trip', 'sess_trip', 'task_trip', 'Trip', 'zh', 1, 5),
           ('p_blank', 'sess_blank', NULL, '', 'en', 2, 3);
INSERT INTO media(project_id, name, source, created_at) VALUES ('p_trip', 'beach.jpg', 'upload', 1),
    ('p_trip', 'sunset.jpg', 'upload', 2);
INSERT INTO generations(id, project_id, session_id, prompt, prompt_key, status, reply, delivered,
    created_at, updated_at) VALUES ('g_trip', 'p_trip', 'sess_trip', 'add music', 'add music', 'done',
    'Music added.', 1, 3, 4);
INSERT INTO renders(id, project_id, session_id, status, progress, format, quality, local_path, created_at,
    updated_at, told) VALUES ('r_trip', 'p_trip', 'sess_trip', 'downloaded', 100, 'mp4', 'high',
    '/videos/trip.mp4', 4, 5, 1);
INSERT INTO uploads(id, project_id, names, status, delivered, created_at, updated_at)
    VALUES ('u_trip', 'p_trip', '["beach.jpg"]', 'done', 1, 1, 1);
"""
V3 = """
CREATE TABLE media_counts (project_id TEXT PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO media_counts(project_id, n)
    SELECT project_id, COUNT(*) FROM media WHERE project_id IS NOT NULL GROUP BY project_id;
CREATE TRIGGER media_added AFTER INSERT ON media WHEN NEW.project_id IS NOT NULL BEGIN
    INSERT INTO media_counts(project_id, n) VALUES (NEW.project_id, 1)
        ON CONFLICT(project_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER media_removed AFTER DELETE ON media WHEN OLD.project_id IS NOT NULL BEGIN
    UPDATE media_counts SET n = n - 1 WHERE project_id = OLD.project_id;
END;
"""
V4 = """
ALTER TABLE projects ADD COLUMN named INTEGER NOT NULL DEFAULT 1;
UPDATE projects SET name = 'Video 1', named = 0 WHERE name = '';
ALTER TABLE generations ADD COLUMN client TEXT;
ALTER TABLE generations ADD COLUMN route TEXT;
ALTER TABLE generations ADD COLUMN facts TEXT;
ALTER TABLE generations ADD COLUMN sent_at REAL;
ALTER TABLE generations ADD COLUMN ended_at REAL;
ALTER TABLE generations ADD COLUMN shared_with TEXT;
ALTER TABLE generations ADD COLUMN cost_told INTEGER NOT NULL DEFAULT 0;
ALTER TABLE uploads ADD COLUMN client TEXT;
CREATE TABLE cancels (id TEXT PRIMARY KEY, project_id TEXT, client TEXT, renders TEXT NOT NULL DEFAULT '[]',
    saved_path TEXT, agent_running INTEGER NOT NULL DEFAULT 0, told INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL);
UPDATE generations SET client = 'claude-1', facts = '{"music": "calm"}', sent_at = 3, ended_at = 4,
    cost_told = 1 WHERE id = 'g_trip';
INSERT INTO cancels(id, project_id, client, renders, created_at) VALUES ('c_trip', 'p_trip', 'claude-1',
    '["r_gone"]', 6);
"""
V5 = """
ALTER TABLE generations ADD COLUMN held TEXT;
ALTER TABLE cancels ADD COLUMN turn_id TEXT;
CREATE INDEX generations_client ON generations(client, created_at);
UPDATE generations SET held = '["export"]' WHERE id = 'g_trip';
UPDATE cancels SET turn_id = 'g_trip' WHERE id = 'c_trip';
"""
STEPS = {1: V1, 2: V2, 3: V3, 4: V4, 5: V5}


def write_legacy_store(home: Path, version: int) -> Path:
    """A store.db at ``version`` (1-5) in ``home``, written as that version left it."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "store.db"
    db = sqlite3.connect(path)
    try:
        for step in range(2 if version >= 2 else 1, version + 1):
            db.executescript(STEPS[step])
        if version >= 2:
            db.execute(f"PRAGMA user_version={version}")
        db.commit()
    finally:
        db.close()
    return path
