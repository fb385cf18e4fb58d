"""The project store's writes that both engines make alike, as one SQL text each: the local store
runs them as written (``?`` placeholders), the hosted one through :func:`pg` (psycopg's ``%s``).
The row's owner (``user_id``) is always the first parameter. The reads stay each engine's own:
their indexes differ (``migrations/0005``), and so do a case-blind name match (SQLite's NOCASE,
PostgreSQL's ``lower``), a NULL-safe comparison and the hosted store's leases and row locks."""

from __future__ import annotations

import json
from typing import Any

from .records import RenderState, TurnState, UploadState

PUT = (
    "INSERT INTO kv(user_id, key, value) VALUES(?, ?, ?)"
    " ON CONFLICT(user_id, key) DO UPDATE SET value=excluded.value"
)
ADD_PROJECT = (
    "INSERT INTO projects(user_id, id, session_id, task_id, name, language, named, created_at, updated_at)"
    " VALUES(?,?,?,?,?,?,?,?,?)"
)
ADD_MEDIA = (
    "INSERT INTO media(user_id, project_id, name, kind, url, source, info, created_at)"
    " VALUES(?,?,?,?,?,?,?,?)"
)
ADD_NOT_SENT = (
    "INSERT INTO generations(user_id, id, project_id, prompt, prompt_key, status, facts, delivered,"
    " cost_told, client, route, held, created_at, updated_at)"
    f" VALUES(?,?,?,?,?,'{TurnState.NOT_SENT.value}',?,1,1,?,?,?,?,?)"
)
START_UPLOAD = (
    "INSERT INTO uploads(user_id, id, project_id, names, status, owner, client, created_at, updated_at)"
    f" VALUES(?,?,?,?,'{UploadState.RUNNING.value}',?,?,?,?)"
)
ADD_CANCEL = (
    "INSERT INTO cancels(user_id, id, project_id, client, renders, saved_path, agent_running, told,"
    " created_at, turn_id) VALUES(?,?,?,?,?,?,?,?,?,?)"
)
ADD_RENDER = (
    "INSERT INTO renders(user_id, id, project_id, session_id, status, format, quality, draft_fp, attempt,"
    f" retry_of, claim, claimed_at, created_at, updated_at) VALUES(?,?,?,?,'{RenderState.SUBMITTING.value}',"
    "?,?,?,?,?,?,?,?,?)"
)
#: A turn's columns that hold JSON (a list or a map given as such is stored as its text).
TURN_JSON = ("changes", "facts", "shared_with", "held")


def pg(sql: str) -> str:
    """The statement with psycopg's placeholders (none of these texts has another ``?``)."""
    return sql.replace("?", "%s")


def turn_json(fields: dict[str, Any]) -> dict[str, Any]:
    """A turn's fields with its JSON ones as text."""
    return {
        k: json.dumps(v, ensure_ascii=False) if k in TURN_JSON and not isinstance(v, str | None) else v
        for k, v in fields.items()
    }
