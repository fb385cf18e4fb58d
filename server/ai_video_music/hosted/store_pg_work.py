"""Agent turns, uploads, cancels and renders in the PostgreSQL store, with leases across instances.

An agent turn's row names the instance reading its stream (``owner``) and holds a lease
(``lease_until``, the database's clock). The turn's own heartbeat (``update_generation`` while
the stream is read, every few seconds) renews it. When an instance dies its leases run out; the
next instance asked about that user (a status, a new request in the project) takes each such
sent turn over: ``FOR UPDATE SKIP LOCKED`` hands a row to exactly one instance, which follows
the agent's result in NemoVideo's state (:mod:`~ai_video_music.takeover`) and records it once
(``finish_turn``: the first writer while the row runs wins). A turn that died before it was
sent is marked interrupted. Neither is ever sent again (a repeat needs the user's yes, as in
local mode).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from psycopg.rows import dict_row

from ..records import TurnState
from ..shared import TURN_STALE_S
from ..store import TURN_LIMIT_S, Cancel, Generation, Render, Upload
from ..store_rows import generation_row, render_row
from ..store_sql import ADD_CANCEL, ADD_NOT_SENT, ADD_RENDER, START_UPLOAD, pg, turn_json
from .store_pg import (
    _NOW,
    _OPEN,
    _RENDER_COLS,
    _RENDER_FROM,
    PgProjects,
    _pg,
    db_call,
    instance,
)

UPLOAD_STALE_S = 600.0  # an upload row not touched this long by another instance: that instance died
_TURN = "SELECT * FROM generations WHERE user_id=%s"


def _turn_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A turn's fields as stored: JSON ones as text, the rest as the SQLite store keeps them."""
    fields = {k: _pg(v) for k, v in turn_json(fields).items()}
    fields.setdefault("updated_at", time.time())
    return fields


class PgStore(PgProjects):
    """One user's whole store in PostgreSQL: what :class:`~ai_video_music.store.Store` offers."""

    # --- agent turns -------------------------------------------------------------------------

    @db_call
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
        """Record a new turn before it is sent, unless the project has one whose lease holds:
        then that one is returned and nothing is written. One transaction, the project's row
        locked: two instances asked at once don't both send."""
        with self.pool.connection() as conn:
            conn.execute(
                "SELECT 1 FROM projects WHERE user_id=%s AND id=%s FOR UPDATE", (self.user, project_id)
            )
            row = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    f"SELECT *, lease_until > {_NOW} AS lease_held FROM generations"  # noqa: S608
                    " WHERE user_id=%s AND project_id=%s AND status='running' FOR UPDATE",
                    (self.user, project_id),
                )
                .fetchone()
            )
            now = time.time()
            if row is not None:
                if row.pop("lease_held"):  # not "held": that is the column of held-back commands
                    return generation_row(row)
                # Its instance stopped renewing: settled here, as interrupted (never re-sent).
                conn.execute(
                    "UPDATE generations SET status='interrupted', updated_at=%s WHERE user_id=%s AND id=%s",
                    (now, self.user, row["id"]),
                )
            conn.execute(
                "INSERT INTO generations(user_id, id, project_id, session_id, prompt, prompt_key, status,"
                f" owner, lease_until, client, route, held, created_at, updated_at) VALUES(%s,%s,%s,%s,%s,%s,"
                f" 'running', %s, {_NOW} + %s, %s, %s, %s, %s, %s)",
                (self.user, gen_id, project_id, session_id, _pg(prompt), prompt_key, instance(), stale_after,
                 client, route, json.dumps(sorted(held)), now, now),
            )  # fmt: skip
        return None

    @db_call
    def forget_turn(self, gen_id: str) -> None:
        self._write("DELETE FROM generations WHERE user_id=%s AND id=%s AND status='running'", (gen_id,))

    @db_call
    def not_sent(self, gen_id: str, reason: str) -> None:
        """A turn recorded but not sent for its cost: kept (told, nothing charged), so a later
        "cancel that" can say it was never sent."""
        with self.pool.connection() as conn:  # not _write: the user is this query's fourth parameter
            conn.execute(
                "UPDATE generations SET status=%s, facts=%s, delivered=1, cost_told=1, updated_at=%s"
                " WHERE user_id=%s AND id=%s AND status='running'",
                (TurnState.NOT_SENT.value, json.dumps({"not_sent": reason}), time.time(), self.user, gen_id),
            )

    @db_call
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
        holding a command back (answered by us)."""
        now = time.time()
        self._write(
            pg(ADD_NOT_SENT),
            (gen_id, project_id, _pg(prompt), prompt_key, json.dumps({"not_sent": reason}), client, route,
             json.dumps(sorted(held)), now, now),
        )  # fmt: skip

    @db_call
    def latest_turn(self, client: str | None, project_id: str | None = None) -> Generation | None:
        """A client session's newest request to the agent (sent or not), optionally in one project."""
        row = self._one(
            _TURN + " AND client IS NOT DISTINCT FROM %s AND (%s::text IS NULL OR project_id=%s)"
            " ORDER BY created_at DESC LIMIT 1",
            (client, project_id, project_id),
        )
        return None if row is None else generation_row(row)

    @db_call
    def session_turns(
        self, client: str | None, since: float = 0.0, limit: int = 500, *, unsent: bool = False
    ) -> list[Generation]:
        """A client session's requests to the agent that were sent since ``since``, newest first;
        ``unsent``: those never sent too (held, refused, withdrawn)."""
        rows = self._all(
            _TURN + " AND client IS NOT DISTINCT FROM %s AND created_at>=%s AND (sent_at IS NOT NULL OR %s)"
            " ORDER BY created_at DESC LIMIT %s",
            (client, since, unsent, limit),
        )
        return [generation_row(r) for r in rows]

    @db_call
    def update_generation(self, gen_id: str, **fields: Any) -> None:
        """Also the lease's renewal: the turn's heartbeat (no fields) comes here while its stream
        is read, and only the instance that owns a running turn extends it."""
        fields = _turn_fields(fields)
        cols = ", ".join(f"{k}=%s" for k in fields)
        with self.pool.connection() as conn:
            conn.execute(
                f"UPDATE generations SET {cols}, lease_until = CASE WHEN owner=%s AND status='running'"  # noqa: S608
                f" THEN {_NOW} + %s ELSE lease_until END WHERE user_id=%s AND id=%s",
                (*fields.values(), instance(), TURN_STALE_S, self.user, gen_id),
            )

    @db_call
    def generation(self, gen_id: str) -> Generation | None:
        row = self._one(_TURN + " AND id=%s", (gen_id,))
        return None if row is None else generation_row(row)

    @db_call
    def matching_turn(self, project_id: str, prompt_key: str) -> Generation | None:
        row = self._one(
            _TURN + " AND project_id=%s AND prompt_key=%s AND (status='running' OR delivered=0)"
            " ORDER BY created_at DESC LIMIT 1",
            (project_id, prompt_key),
        )
        return None if row is None else generation_row(row)

    @db_call
    def told_turn(self, project_id: str, prompt_key: str) -> Generation | None:
        rows = self._all(
            _TURN + " AND project_id=%s AND prompt_key=%s AND delivered=1"
            " AND status IN ('done', 'interrupted', 'failed') ORDER BY created_at DESC LIMIT 5",
            (project_id, prompt_key),
        )
        return next((g for g in map(generation_row, rows) if g.may_have_cost()), None)

    @db_call
    def overlapping_turns(self, gen_id: str, start: float, end: float) -> list[Generation]:
        """This user's other turns sent while this one ran (their balance moved for them too)."""
        rows = self._all(
            _TURN + " AND sent_at BETWEEN %s AND %s AND id<>%s AND (ended_at IS NULL OR ended_at>=%s)"
            " ORDER BY sent_at DESC LIMIT 20",
            (start - TURN_LIMIT_S, end, gen_id, start),
        )
        return [generation_row(r) for r in rows]

    @db_call
    def undelivered_elsewhere(self, project_id: str | None, client: str, limit: int = 10) -> list[Generation]:
        rows = self._all(
            _TURN + " AND delivered=0 AND status<>'running' AND (project_id IS DISTINCT FROM %s"
            " OR (client IS NOT NULL AND client<>%s)) ORDER BY created_at DESC LIMIT %s",
            (project_id, client, limit),
        )
        return [generation_row(r) for r in rows]

    @db_call
    def running_turns(self, limit: int = 10) -> list[Generation]:
        rows = self._all(_TURN + " AND status='running' ORDER BY created_at DESC LIMIT %s", (limit,))
        return [generation_row(r) for r in rows]

    @db_call
    def running_turn(self, project_id: str) -> Generation | None:
        row = self._one(
            _TURN + " AND project_id=%s AND status='running' ORDER BY created_at DESC LIMIT 1", (project_id,)
        )
        return None if row is None else generation_row(row)

    @db_call
    def has_turns(self, project_id: str) -> bool:
        return (
            self._one(
                "SELECT 1 FROM generations WHERE user_id=%s AND project_id=%s AND status<>'not_sent' LIMIT 1",
                (project_id,),
            )
            is not None
        )

    @db_call
    def undelivered_turns(
        self, project_id: str, limit: int = 20, client: str | None = None
    ) -> list[Generation]:
        rows = self._all(
            _TURN + " AND project_id=%s AND delivered=0 AND status<>'running'"
            " AND (%s::text IS NULL OR client IS NULL OR client=%s) ORDER BY created_at LIMIT %s",
            (project_id, client, client, limit),
        )
        return [generation_row(r) for r in rows]

    @db_call
    def take_over_turns(self, stale_after: float) -> list[Generation]:
        """Sent turns whose lease ran out (their reader died; the agent may still be working at
        NemoVideo) become this instance's to follow: owner and lease are taken in one statement,
        and ``SKIP LOCKED`` hands each row to exactly one instance asking at once."""
        with self.pool.connection() as conn:
            rows = (
                conn.cursor(row_factory=dict_row)
                .execute(  # the one interpolated piece is this module's constant clock
                    f"UPDATE generations SET owner=%s, lease_until={_NOW} + %s WHERE user_id=%s AND id IN ("  # noqa: S608
                    " SELECT id FROM generations WHERE user_id=%s AND status='running'"
                    " AND sent_at IS NOT NULL"
                    f" AND (lease_until IS NULL OR lease_until < {_NOW}) FOR UPDATE SKIP LOCKED) RETURNING *",
                    (instance(), stale_after, self.user, self.user),
                )
                .fetchall()
            )
        return [generation_row(r) for r in rows]

    @db_call
    def finish_turn(self, gen_id: str, **fields: Any) -> bool:
        """Record a turn's outcome, once: the first writer while it still runs wins (its reader,
        or the instance that took it over); a later one writes nothing and learns it."""
        fields = _turn_fields(fields)
        cols = ", ".join(f"{k}=%s" for k in fields)
        with self.pool.connection() as conn:
            cur = conn.execute(
                f"UPDATE generations SET {cols} WHERE user_id=%s AND id=%s AND status='running'",  # noqa: S608
                (*fields.values(), self.user, gen_id),
            )
            return cur.rowcount == 1

    @db_call
    def interrupt_dead_turns(self, stale_after: float) -> list[str]:
        """Turns whose lease ran out (their instance died or stopped reading) are settled, each by
        exactly one instance: rows another instance is settling right now are skipped."""
        with self.pool.connection() as conn:
            cur = conn.execute(  # the one interpolated piece is this module's constant clock
                "UPDATE generations SET status='interrupted', updated_at=%s WHERE user_id=%s AND id IN ("  # noqa: S608
                " SELECT id FROM generations WHERE user_id=%s AND status='running'"
                f" AND (lease_until IS NULL OR lease_until < {_NOW}) FOR UPDATE SKIP LOCKED) RETURNING id",
                (time.time(), self.user, self.user),
            )
            return [str(r[0]) for r in cur.fetchall()]

    # --- uploads -----------------------------------------------------------------------------

    @db_call
    def start_upload(
        self, upload_id: str, project_id: str, names: list[str], client: str | None = None
    ) -> None:
        now = time.time()
        self._write(
            pg(START_UPLOAD),
            (upload_id, project_id, json.dumps([_pg(n) for n in names], ensure_ascii=False), instance(),
             client, now, now),
        )  # fmt: skip

    @db_call
    def update_upload(self, upload_id: str, **fields: Any) -> None:
        self._update("uploads", upload_id, fields)

    @db_call
    def undelivered_uploads(self, project_id: str, limit: int = 20) -> list[Upload]:
        """Uploads that ended (or whose instance died: not ours and untouched for long) and whose
        outcome wasn't told yet."""
        with self.pool.connection() as conn:
            conn.execute(
                "UPDATE uploads SET status='interrupted' WHERE user_id=%s AND project_id=%s AND delivered=0"
                " AND status='running' AND owner IS DISTINCT FROM %s AND updated_at < %s",
                (self.user, project_id, instance(), time.time() - UPLOAD_STALE_S),
            )
            rows = (
                conn.cursor(row_factory=dict_row)
                .execute(
                    "SELECT * FROM uploads WHERE user_id=%s AND project_id=%s AND delivered=0"
                    " AND status<>'running' ORDER BY created_at LIMIT %s",
                    (self.user, project_id, limit),
                )
                .fetchall()
            )
        return [
            Upload(r["id"], r["project_id"], json.loads(r["names"]), r["status"], r["error"], r["owner"],
                   bool(r["delivered"]), r["created_at"], r["client"])
            for r in rows
        ]  # fmt: skip

    # --- cancels -----------------------------------------------------------------------------

    @db_call
    def add_cancel(self, cancel: Cancel) -> None:
        self._write(
            pg(ADD_CANCEL),
            (cancel.id, cancel.project_id, cancel.client, json.dumps(cancel.renders), _pg(cancel.saved_path),
             int(cancel.agent_running), int(cancel.told), cancel.created_at, cancel.turn_id),
        )  # fmt: skip

    @db_call
    def cancel_told(self, cancel_id: str) -> None:
        self._write("UPDATE cancels SET told=1 WHERE user_id=%s AND id=%s", (cancel_id,))

    @db_call
    def withdrawn(self, gen_id: str) -> bool:
        """A cancel came while this agent request ran (it ran on: a request can't be recalled):
        about it, or in its project while a request ran there after it was recorded."""
        row = self._one(
            "SELECT 1 AS one FROM cancels c JOIN generations g ON g.user_id=c.user_id"
            " WHERE c.user_id=%s AND g.id=%s AND c.agent_running=1"
            " AND (c.turn_id=g.id OR (c.project_id=g.project_id AND c.created_at>=g.created_at))"
            " LIMIT 1",
            (gen_id,),
        )
        return row is not None

    # --- renders -----------------------------------------------------------------------------

    @db_call
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
        self._write(
            pg(ADD_RENDER),
            (render_id, project_id, session_id, fmt, quality, draft_fp, attempt, retry_of, instance(), now,
             now, now),
        )  # fmt: skip

    @db_call
    def update_render(self, render_id: str, **fields: Any) -> None:
        self._update("renders", render_id, fields)

    @db_call
    def render(self, render_id: str) -> Render | None:
        query = f"SELECT {_RENDER_COLS} FROM {_RENDER_FROM} WHERE r.user_id=%s AND r.id=%s"  # noqa: S608
        row = self._one(query, (render_id,))
        return None if row is None else render_row(row)

    @db_call
    def open_renders(self, limit: int = 50) -> list[Render]:
        rows = self._all(
            f"SELECT * FROM renders WHERE user_id=%s AND status IN ({_OPEN}) ORDER BY created_at LIMIT %s",  # noqa: S608
            (limit,),
        )
        return [render_row(r) for r in rows]

    @db_call
    def project_renders(self, project_id: str, limit: int = 10) -> list[Render]:
        rows = self._all(
            "SELECT * FROM renders WHERE user_id=%s AND project_id=%s ORDER BY created_at DESC LIMIT %s",
            (project_id, limit),
        )
        return [render_row(r) for r in rows]

    @db_call
    def renders_page(self, offset: int, limit: int) -> tuple[list[Render], int]:
        rows = self._all(
            f"SELECT {_RENDER_COLS} FROM {_RENDER_FROM} WHERE r.user_id=%s"  # noqa: S608
            " ORDER BY r.created_at DESC LIMIT %s OFFSET %s",
            (limit, offset),
        )
        total = self._one("SELECT COUNT(*) AS n FROM renders WHERE user_id=%s")
        return [render_row(r) for r in rows], int(total["n"]) if total else 0

    @db_call
    def recent_output_urls(self, limit: int) -> list[str]:
        rows = self._all(
            "SELECT output_url FROM renders WHERE user_id=%s AND output_url IS NOT NULL"
            " AND status='downloaded' ORDER BY created_at DESC LIMIT %s",
            (limit,),
        )
        return [str(r["output_url"]) for r in rows]

    @db_call
    def claim_render(self, render_id: str, stale_after: float) -> bool:
        """Take charge of following a render: one instance at a time; a claim its holder stopped
        touching (``claimed_at``, renewed while it follows) passes to whoever asks next."""
        now = time.time()
        with self.pool.connection() as conn:
            cur = conn.execute(
                "UPDATE renders SET claim=%s, claimed_at=%s WHERE user_id=%s AND id=%s AND (claim IS NULL"
                " OR claim=%s OR claimed_at IS NULL OR claimed_at < %s)",
                (instance(), now, self.user, render_id, instance(), now - stale_after),
            )
            return cur.rowcount == 1
