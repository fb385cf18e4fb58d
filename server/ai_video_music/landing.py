"""A request cut off after NemoVideo had it: it may still land, and whoever looks settles it.

When the connection breaks once the agent has the message, the turn is recorded as failed with
its change unknown (``timeline_changed`` None): NemoVideo works on and may charge. Its outcome
is read later from the timeline itself, by the next status or export: it landed (the timeline
is no longer what it was when the answer broke off; the change is then recorded as the turn's
verified change, so it is told once and every later answer knows it), it changed nothing (still
the same long after any agent request ends), or not known yet (say so, and when to look again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import anyio

from .models import SessionState
from .records import TurnState
from .store import Generation, Store
from .timeline import fingerprint
from .turns import cancelled_landed, compare, restore

# An agent request takes minutes at most: after that, what it did is on the timeline.
MAY_LAND_S = 15 * 60


class Landing(StrEnum):
    PENDING = "pending"  # not known yet: it may still land
    LANDED = "landed"  # the timeline changed since its answer broke off
    NOTHING = "nothing"  # still unchanged long after: it changed nothing


@dataclass(frozen=True)
class CutOff:
    """A cut-off request and what is known of it now; ``gen`` is the record as settled."""

    gen: Generation
    outcome: Landing


def cut_off_turn(store: Store, client: str | None, project_id: str) -> Generation | None:
    """The session's newest request sent in this project, when its answer broke off after the
    agent had it and nothing has been learnt of it since."""
    latest = next(
        (
            g
            for g in store.session_turns(client, limit=20)
            if g.project_id == project_id and g.status is not TurnState.NOT_SENT
        ),
        None,
    )
    if latest is None or latest.status is not TurnState.FAILED or latest.timeline_changed is not None:
        return None
    return latest if latest.may_have_cost() else None


def _reference(gen: Generation) -> str | None:
    """The timeline's fingerprint when the answer broke off (or, unread then, before it was sent)."""
    seen = gen.fact_map.get("timeline")
    after = seen.get("after") if isinstance(seen, dict) else None
    if isinstance(after, str):
        return after
    before = restore(gen.before_draft)
    return fingerprint(before.draft) if before is not None else None


async def settle(
    store: Store, client: str | None, project_id: str, state: SessionState, fp: str, now: float | None = None
) -> CutOff | None:
    """The cut-off request of this project (if any) against the timeline as read now (``state``,
    whose fingerprint is ``fp``). A landing or a known "nothing" is recorded, so it is told once."""
    gen = cut_off_turn(store, client, project_id)
    if gen is None:
        return None
    now = time.time() if now is None else now
    ref = _reference(gen)
    if ref is not None and ref != fp:
        before = restore(gen.before_draft)
        found = await anyio.to_thread.run_sync(compare, before, state, gen.prompt)
        facts: dict[str, Any] = {**gen.fact_map, "landed_late": True}
        if found is not None:
            facts.update(found[1])
            if facts.get("withdrawn"):  # cancelled while it ran: nothing it did is asked now
                cancelled_landed(facts)
        # Whatever compare could tell, the timeline is not what it was: it changed.
        store.update_generation(gen.id, facts=facts, timeline_changed=True, before_draft=None)
        return CutOff(store.generation(gen.id) or gen, Landing.LANDED)
    if now - (gen.ended_at or gen.created_at) < MAY_LAND_S:
        return CutOff(gen, Landing.PENDING)
    if ref is None:
        return None  # never read: nothing to say either way
    store.update_generation(gen.id, timeline_changed=False, before_draft=None)
    return CutOff(store.generation(gen.id) or gen, Landing.NOTHING)
