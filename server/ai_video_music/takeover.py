"""Taking over an agent turn whose reader died: follow NemoVideo's state to the result, never re-send.

In hosted mode the instance that sent a turn reads its stream and holds a lease on its row. If
that instance dies the agent keeps working at NemoVideo; the next instance asked about the user
takes the row over (the database hands it to exactly one) and follows the project's state the
way the backend says to after a broken stream: a first look after a while, then one every so
often, until the timeline has changed and stopped changing, or a time limit. The backend says
nothing about a turn ending, so "finished" is what the state shows, and the record says which:
stable, or still changing when the limit came. The turn is then recorded like any other (the
verified change against the timeline kept before it was sent, the words that had arrived, the
balance difference), once: the first writer wins, and a turn its reader finished meanwhile
is left as that reader recorded it.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import anyio

from .errors import LocalStateError
from .jobs import Job
from .messages import msg
from .models import SessionState
from .records import TurnState
from .shared import TURN_STALE_S, Shared
from .store import Generation
from .timeline import fingerprint
from .turns import Turns, restore

log = logging.getLogger(__name__)

AGENT_LIMIT_S = 15 * 60  # no agent turn runs longer (the backend's limit): after that, one look is enough
RENEW_EVERY_S = TURN_STALE_S / 3  # the lease renewed well before it runs out, while waiting between looks


class Takeover:
    """Starts a follower for each turn this process takes over (one per server process)."""

    def __init__(self, shared: Shared, turns: Turns) -> None:
        self.s = shared
        self.turns = turns

    def start(self, gen: Generation) -> None:
        """Follow ``gen`` in a background job named like the turn, so a status or a repeat of
        the request waits for it as for a turn this process sent."""
        if self.s.jobs.get(gen.id) is not None:
            return
        job = self.s.jobs.spawn(
            "agent",
            msg("label.request"),
            lambda j: self.follow(j, gen),
            job_id=gen.id,
            project_id=gen.project_id,
        )
        job.message = msg("job.taken_over")

    async def follow(self, job: Job, gen: Generation) -> None:
        store = self.s.store
        project = store.project(gen.project_id) if gen.project_id else None
        if project is None:  # its project is gone: nothing to look at
            store.finish_turn(gen.id, status=TurnState.INTERRUPTED, before_draft=None)
            return
        before = restore(gen.before_draft)
        before_fp = fingerprint(before.draft) if before is not None else None
        settings = self.s.settings
        started = time.monotonic()
        over = time.time() - (gen.sent_at or gen.created_at) > AGENT_LIMIT_S
        last: SessionState | None = None
        stable = False
        reads = 0
        if not over and not await self._wait(gen.id, settings.takeover_first):
            return
        while True:
            state = await self.s.state_or_none(project)
            reads += 1
            if state is not None:
                fp = fingerprint(state.draft)
                # Stable: changed from before the turn, and the same at two looks in a row (or
                # the turn is past the agent's own limit, so whatever is there is its result).
                stable = over or (fp != before_fp and last is not None and fingerprint(last.draft) == fp)
                last = state
                job.progress += 1
            if stable or time.monotonic() - started >= settings.takeover_limit:
                break
            if not await self._wait(gen.id, settings.takeover_every):
                return
        row = store.generation(gen.id)
        said = row.fact_map.get("said") if row is not None else None
        minutes = round((time.monotonic() - started) / 60, 1)
        extra: dict[str, Any] = {"taken_over": {"stable": stable, "looks": reads, "minutes": minutes}}
        settled = await self.turns.record(
            gen.id, project, said if isinstance(said, str) else "", True, before, None, True,
            after=last, extra=extra,
        )  # fmt: skip
        if not settled:
            log.info("turn %s was settled by another process meanwhile", gen.id)

    async def _wait(self, gen_id: str, seconds: float) -> bool:
        """Wait between looks, renewing the lease; False when the turn stopped being ours to
        follow (its reader finished after all, or another instance took it over)."""
        end = time.monotonic() + seconds
        while True:
            await anyio.sleep(max(0.0, min(RENEW_EVERY_S, end - time.monotonic())))
            try:
                gen = self.s.store.generation(gen_id)
                if gen is None or gen.status is not TurnState.RUNNING:
                    return False
                self.s.store.update_generation(gen_id)  # the lease, renewed (only while it is ours)
            except LocalStateError:  # the database away a moment (restarting): keep following
                log.warning("turn %s: lease not renewed", gen_id)
            if time.monotonic() >= end:
                return True
