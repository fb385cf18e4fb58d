"""The local store's agent turns, uploads, cancels and renders (its connection, settings, projects
and media: ``store_local.py``; its rows: ``store_rows.py``; its schema: ``migrations/``).

Work that must survive a crash is written *before* the request that starts it is sent (a render
row, an agent turn, an upload), with its owner process, so the next process can tell "still
running elsewhere" from "lost".
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from .records import OPEN_RENDER, TurnState
from .store_local import LocalProjects, _guarded, _opt, _text
from .store_rows import (
    LOCAL_USER,
    TURN_LIMIT_S,
    Cancel,
    Generation,
    Media,
    Project,
    Render,
    Upload,
    generation_row,
    owner_alive,
    process_owner,
    render_row,
)
from .store_sql import ADD_CANCEL, ADD_NOT_SENT, ADD_RENDER, START_UPLOAD, turn_json

__all__ = [
    "TURN_LIMIT_S",
    "Cancel",
    "Generation",
    "Media",
    "Project",
    "Render",
    "Store",
    "Upload",
    "_text",
    "process_owner",
]

# The statuses as literals, not parameters: SQLite uses the partial index ``renders_open`` only when
# it can see that the query implies the index's WHERE (with ``?`` it scanned every render: 39 ms
# at 100k renders, on every status and export).
_OPEN_RENDERS = "SELECT * FROM renders WHERE status IN ({}) ORDER BY created_at LIMIT ?".format(  # noqa: S608
    ", ".join(f"'{s.value}'" for s in OPEN_RENDER)
)


class Store(LocalProjects):
    """All persistence: the local store, whole (hosted mode's, in PostgreSQL:
    :class:`~ai_video_music.hosted.store_pg_work.PgStore`, the same methods)."""

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
                busy = generation_row(dict(row))
                if owner_alive(busy.owner) and time.time() - busy.updated_at < stale_after:
                    self._db.execute("COMMIT")
                    return busy
            now = time.time()
            self._db.execute(
                "INSERT INTO generations(user_id, id, project_id, session_id, prompt, prompt_key, status,"
                " owner, client, route, held, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (LOCAL_USER, gen_id, project_id, session_id, _text(prompt), prompt_key, "running",
                 process_owner(), client, route, json.dumps(sorted(held)), now, now),
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
            ADD_NOT_SENT,
            (LOCAL_USER, gen_id, project_id, _text(prompt), prompt_key, json.dumps({"not_sent": reason}),
             client, route, json.dumps(sorted(held)), now, now),
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
        return None if row is None else generation_row(dict(row))

    @_guarded
    def session_turns(
        self, client: str | None, since: float = 0.0, limit: int = 500, *, unsent: bool = False
    ) -> list[Generation]:
        """A client session's requests to the agent that were sent since ``since``, newest first
        (for what they cost); ``unsent``: those never sent too (held, refused, withdrawn)."""
        rows = self._db.execute(
            "SELECT * FROM generations WHERE client IS ? AND created_at>=? AND (sent_at IS NOT NULL OR ?)"
            " ORDER BY created_at DESC LIMIT ?",
            (client, since, unsent, limit),
        ).fetchall()
        return [generation_row(dict(r)) for r in rows]

    @_guarded
    def update_generation(self, gen_id: str, **fields: Any) -> None:
        self._update("generations", gen_id, turn_json(fields))

    @_guarded
    def generation(self, gen_id: str) -> Generation | None:
        row = self._db.execute("SELECT * FROM generations WHERE id=?", (gen_id,)).fetchone()
        return None if row is None else generation_row(dict(row))

    @_guarded
    def matching_turn(self, project_id: str, prompt_key: str) -> Generation | None:
        """The same request, still running or answered but not yet delivered, in this project."""
        row = self._db.execute(
            "SELECT * FROM generations WHERE project_id=? AND prompt_key=?"
            " AND (status='running' OR delivered=0) ORDER BY created_at DESC LIMIT 1",
            (project_id, prompt_key),
        ).fetchone()
        return None if row is None else generation_row(dict(row))

    @_guarded
    def told_turn(self, project_id: str, prompt_key: str) -> Generation | None:
        """The same request, already sent and told (answered, or interrupted after it reached the
        agent), in this project (the newest): sending it again would cost again."""
        rows = self._db.execute(
            "SELECT * FROM generations WHERE project_id=? AND prompt_key=? AND delivered=1"
            " AND status IN ('done', 'interrupted', 'failed')"
            " ORDER BY created_at DESC LIMIT 5",
            (project_id, prompt_key),
        ).fetchall()
        return next((g for g in (generation_row(dict(r)) for r in rows) if g.may_have_cost()), None)

    @_guarded
    def overlapping_turns(self, gen_id: str, start: float, end: float) -> list[Generation]:
        """Other agent turns (any project) that were sent while this one ran: the balance moved for
        them too. Bounded: only turns sent before ``end`` and not ended before ``start``."""
        rows = self._db.execute(
            "SELECT * FROM generations WHERE sent_at BETWEEN ? AND ? AND id!=?"
            " AND (ended_at IS NULL OR ended_at>=?) ORDER BY sent_at DESC LIMIT 20",
            (start - TURN_LIMIT_S, end, gen_id, start),
        ).fetchall()
        return [generation_row(dict(r)) for r in rows]

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
        return [generation_row(dict(r)) for r in rows]

    @_guarded
    def running_turns(self, limit: int = 10) -> list[Generation]:
        rows = self._db.execute(
            "SELECT * FROM generations WHERE status='running' ORDER BY created_at DESC LIMIT ?", (limit,)
        ).fetchall()
        return [generation_row(dict(r)) for r in rows]

    @_guarded
    def running_turn(self, project_id: str) -> Generation | None:
        row = self._db.execute(
            "SELECT * FROM generations WHERE project_id=? AND status='running'"
            " ORDER BY created_at DESC LIMIT 1",
            (project_id,),
        ).fetchone()
        return None if row is None else generation_row(dict(row))

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
        found = [generation_row(dict(r)) for r in rows]
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
            START_UPLOAD,
            (LOCAL_USER, upload_id, project_id, json.dumps([_text(n) for n in names], ensure_ascii=False),
             process_owner(), client, now, now),
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
            ADD_CANCEL,
            (LOCAL_USER, cancel.id, cancel.project_id, cancel.client, json.dumps(cancel.renders),
             _opt(cancel.saved_path), int(cancel.agent_running), int(cancel.told), cancel.created_at,
             cancel.turn_id),
        )  # fmt: skip

    @_guarded
    def cancel_told(self, cancel_id: str) -> None:
        self._db.execute("UPDATE cancels SET told=1 WHERE id=?", (cancel_id,))

    @_guarded
    def withdrawn(self, gen_id: str) -> bool:
        """A cancel came while this agent request ran (it ran on: a request can't be recalled):
        about it, or in its project while a request ran there after it was recorded (the cancel
        may answer about a newer request that was never sent)."""
        row = self._db.execute(
            "SELECT 1 FROM cancels c JOIN generations g ON g.id=? WHERE c.agent_running=1"
            " AND (c.turn_id=g.id OR (c.project_id=g.project_id AND c.created_at>=g.created_at))"
            " LIMIT 1",
            (gen_id,),
        ).fetchone()
        return row is not None

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
            ADD_RENDER,
            (LOCAL_USER, render_id, project_id, session_id, fmt, quality, draft_fp, attempt, retry_of,
             process_owner(), now, now, now),
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
        return None if row is None else render_row(dict(row))

    @_guarded
    def open_renders(self, limit: int = 50) -> list[Render]:
        """Renders not finished and saved yet (to resume), oldest first."""
        rows = self._db.execute(_OPEN_RENDERS, (limit,)).fetchall()
        return [render_row(dict(r)) for r in rows]

    @_guarded
    def project_renders(self, project_id: str, limit: int = 10) -> list[Render]:
        rows = self._db.execute(
            "SELECT * FROM renders WHERE project_id=? ORDER BY created_at DESC LIMIT ?", (project_id, limit)
        ).fetchall()
        return [render_row(dict(r)) for r in rows]

    @_guarded
    def renders_page(self, offset: int, limit: int) -> tuple[list[Render], int]:
        """Every project's renders, newest first, one page of them, and how many there are."""
        rows = self._db.execute(
            "SELECT r.*, p.name AS project_name FROM renders r LEFT JOIN projects p ON p.id = r.project_id"
            " ORDER BY r.created_at DESC LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        total = self._db.execute("SELECT COUNT(*) FROM renders").fetchone()[0]
        return [render_row(dict(r)) for r in rows], int(total)

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
        if claim and claim != process_owner() and owner_alive(claim) and time.time() - at < stale_after:
            return False
        cur = self._db.execute(
            "UPDATE renders SET claim=?, claimed_at=? WHERE id=? AND (claim IS ? OR claimed_at IS ?)",
            (process_owner(), time.time(), render_id, claim, row["claimed_at"]),
        )
        return cur.rowcount == 1
