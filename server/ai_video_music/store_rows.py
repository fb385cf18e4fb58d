"""The project store's rows as the tools read them (one dataclass a table), whichever engine holds
them: the local store (SQLite, ``store.py``) and the hosted one (PostgreSQL, ``hosted/store_pg*.py``)
both build these from the same columns (``migrations/``)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .fsutil import pid_alive
from .records import RenderState, TurnState, UploadState

#: Columns no dataclass has: whose row it is (every query names it in hosted mode) and the agent
#: turn's lease across instances (hosted mode's; NULL locally).
STORE_ONLY = ("user_id", "lease_until")
#: The one user of a local store: its rows' ``user_id`` (hosted mode's rows name a signed-in user).
LOCAL_USER = "local"

_owner: list[tuple[int, str]] = []


def process_owner() -> str:
    """This process's identity in ``owner`` columns: its pid (to see it died) and a nonce (pid
    reuse). Made in the process that uses it: a forked child is an owner of its own."""
    pid = os.getpid()
    if not _owner or _owner[0][0] != pid:
        _owner[:] = [(pid, f"{pid}:{uuid.uuid4().hex[:8]}")]
    return _owner[0][1]


TURN_LIMIT_S = 3600.0  # no agent turn runs longer (the agent's own limit is 15 minutes)


def owner_alive(owner: str | None) -> bool:
    if not owner:
        return False
    if owner == process_owner():
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
        return frozenset(_texts(self.held))

    @property
    def change_list(self) -> list[str]:
        return _texts(self.changes)

    def may_have_cost(self) -> bool:
        """Whether the agent may have acted on it (and charged): answered, interrupted, or failed
        after the agent took it (a connection that broke once the message was out)."""
        if self.status in (TurnState.DONE, TurnState.INTERRUPTED):
            return True
        return self.status is TurnState.FAILED and bool(self.fact_map.get("accepted"))

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
        return _texts(self.shared_with)


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


def _texts(stored: str | None) -> list[str]:
    """A JSON list column's items as text (nothing, when it holds anything else)."""
    try:
        loaded = json.loads(stored or "[]")
    except ValueError:
        return []
    return [str(item) for item in loaded] if isinstance(loaded, list) else []


def _fields(row: Mapping[str, Any], *extra: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in (*STORE_ONLY, *extra)}


def project_row(row: Mapping[str, Any]) -> Project:
    return Project(**_fields(row))


def render_row(row: Mapping[str, Any]) -> Render:
    return Render(**_fields(row))


def generation_row(row: Mapping[str, Any]) -> Generation:
    """A turn's row, flags as booleans; its ``session_id`` is left out (the turn's project says
    its session)."""
    data = _fields(row, "session_id")
    data["delivered"] = bool(data["delivered"])
    data["cost_told"] = bool(data["cost_told"])
    tc = data["timeline_changed"]
    data["timeline_changed"] = None if tc is None else bool(tc)
    return Generation(**data)
