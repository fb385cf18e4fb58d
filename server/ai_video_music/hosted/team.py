"""A team on the operator's NemoVideo token: each member's spending, recorded per request, and
their quota, read by their own client as if it were their balance.

What one request costs is only measurable as the team balance's fall while it ran (the backend
gives no per-request price). The choice, for requests of several members at once on one token:
- a request that ran alone on the team token is charged that fall, exactly;
- requests whose windows overlap (anyone's, chained: a group) are billed together what the balance
  fell over their common span (the highest balance read at a start in the group less the lowest
  read at an end), split in proportion to their reservations: the sum billed is the fall, and
  each pays at least its own reservation unless the fall was less than the group's reservations.
  So no member pays another's whole work, and none escapes the quota by running alongside others:
  a member whose share passes their quota ends at 0 left. The group is billed again at each of its
  requests' ends (one at a time, team-wide, under an advisory lock), so the last one to end
  settles it; until then an ended request pays its share of the fall read so far and a running
  one counts at its reservation. Such a charge is an attribution, not a measurement; the member's
  own answer tells it as the joint figure only when their *own* requests overlapped (the existing
  rule), so this is said here and in the README;
- a request whose balance wasn't read (at its start or end) is charged its reservation, or its
  share if more: never nothing;
- a request is sent only once its reservation (its estimate: a generation's, or an edit's when
  the service's gate found an edit) fits in what the quota has left, counting the member's
  requests still running at theirs; the check and the reservation are one transaction under a
  per-member advisory lock, so parallel requests of one member, on any instances, are decided one
  after the other and can't each see the whole quota (the service's earlier look at the quota
  only chooses the answer's words). A request whose instance died is charged its reservation.
A member sees only their own quota, use and requests, never the team balance's other users.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable

import anyio
from psycopg_pool import AsyncConnectionPool

from ..client import NemoClient
from ..config import Settings
from ..costs import EDIT_COST, GENERATION_COST, REQUEST_COST
from ..errors import NemoError, maybe_taken
from ..models import Credits
from ..quota import Quota
from ..sse import AgentEvent
from .secrets_box import new_secret

log = logging.getLogger(__name__)

STALE_AFTER_S = 20 * 60  # a request runs at most 15 minutes: older and still open, its instance died


class QuotaFullError(NemoError):
    """The member's quota can't hold this request now (their other requests reserved the rest)."""

    key = "quota.full"


class TeamLedger:
    """Members' spending in PostgreSQL, shared by every instance."""

    def __init__(
        self, pool: AsyncConnectionPool, quota: int, days: int, reserve: float = GENERATION_COST
    ) -> None:
        self.pool = pool
        self.limit = quota
        self.days = days
        self.reserve = reserve

    async def begin(self, user_id: str, cost: float | None = None) -> str | None:
        """Reserve ``cost`` (default: a generation's) for a request about to be sent, if the
        member's quota can take it on top of what is charged and reserved; None if it can't
        (nothing reserved). This is the quota's gate."""
        spend_id = new_secret()[:22]
        reserve = self.reserve if cost is None else cost
        async with self.pool.connection() as conn, conn.transaction():
            # Held to the end of the transaction: the member's next reservation sees this one.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("team_spend:" + user_id,))
            cur = await conn.execute(
                "INSERT INTO team_spend (id, user_id, reserved) SELECT %s, %s, %s"
                " WHERE (SELECT coalesce(sum(coalesce(charged, reserved)), 0) FROM team_spend"
                "        WHERE user_id = %s AND started_at > now() - make_interval(days => %s)) + %s <= %s"
                " RETURNING id",
                (spend_id, user_id, reserve, user_id, self.days, reserve, self.limit),
            )
            reserved = await cur.fetchone()
        return spend_id if reserved is not None else None

    async def release(self, spend_id: str) -> None:
        """Give a reservation back: its request was never taken by the agent."""
        async with self.pool.connection() as conn, conn.transaction():
            await conn.execute("DELETE FROM team_spend WHERE id = %s AND ended_at IS NULL", (spend_id,))

    async def end(self, spend_id: str, before: float | None, after: float | None) -> float:
        """Close a request's window and bill its group (see the module's rule); returns what this
        request is charged. ``before``/``after``: the team balance read at its start and end,
        None when it wasn't read."""
        async with self.pool.connection() as conn, conn.transaction():
            # One group billed at a time, team-wide: of two overlapping requests ending at once, the
            # second sees the first ended and bills the whole group. Held to the transaction's end.
            await conn.execute("SELECT pg_advisory_xact_lock(hashtext('team_spend:groups'))")
            cur = await conn.execute(
                "UPDATE team_spend SET ended_at = clock_timestamp(), balance_before = %s, balance_after = %s"
                " WHERE id = %s RETURNING id",
                (before, after, spend_id),
            )
            if await cur.fetchone() is None:
                return 0.0
            # The group: every request whose window overlaps this one's, or one that does, and so on
            # (in the quota's window; a request open past STALE_AFTER_S died and counts at its reservation).
            cur = await conn.execute(
                "WITH RECURSIVE live AS ("
                "  SELECT id, started_at, coalesce(ended_at, 'infinity') AS until, reserved,"
                "         ended_at IS NULL AS running, balance_before, balance_after FROM team_spend"
                "  WHERE started_at > now() - make_interval(days => %s)"
                "    AND (ended_at IS NOT NULL OR started_at > now() - make_interval(secs => %s))"
                "), grp (id) AS ("
                "  SELECT %s::text"
                "  UNION SELECT o.id FROM grp JOIN live g ON g.id = grp.id"
                "        JOIN live o ON o.started_at < g.until AND o.until > g.started_at"
                ") SELECT id, reserved, running, balance_before, balance_after FROM live JOIN grp USING (id)",
                (self.days, STALE_AFTER_S, spend_id),
            )
            group = await cur.fetchall()
            charges = _split(group)
            for row_id, charged in charges.items():
                await conn.execute(
                    "UPDATE team_spend SET charged = %s, shared_with = %s WHERE id = %s",
                    (charged, len(group) - 1, row_id),
                )
        return charges.get(spend_id, 0.0)

    async def quota(self, user_id: str) -> Quota:
        """The member's quota now: what ended in the window is charged, what runs is reserved."""
        async with self.pool.connection() as conn:
            cur = await conn.execute(
                "SELECT coalesce(sum(coalesce(charged, reserved)), 0)::float8,"
                " count(*) FILTER (WHERE charged IS NULL AND started_at > now() - make_interval(secs => %s)),"
                " extract(epoch FROM min(started_at) FILTER (WHERE coalesce(charged, reserved) > 0)"
                "   + make_interval(days => %s))::float8"
                " FROM team_spend WHERE user_id = %s AND started_at > now() - make_interval(days => %s)",
                (STALE_AFTER_S, self.days, user_id, self.days),
            )
            row = await cur.fetchone()
        used, running, back = row if row is not None else (0.0, 0, None)
        return Quota(float(self.limit), self.days, float(used), int(running), back)


def _split(group: list[tuple[str, float, bool, float | None, float | None]]) -> dict[str, float]:
    """What each ended request of a group is charged: the balance's fall over the group's span
    (read by its requests that ended with both readings), in proportion to the reservations of
    all of them, running ones included (they count at their reservation until they end). One
    with a reading missing pays its reservation, or its share if more."""
    befores = [row[3] for row in group if not row[2] and row[3] is not None and row[4] is not None]
    afters = [row[4] for row in group if not row[2] and row[3] is not None and row[4] is not None]
    fall = max(0.0, max(befores) - min(afters)) if befores else None
    weights = sum(float(row[1]) for row in group)
    charges: dict[str, float] = {}
    for row_id, reserved, running, before, after in group:
        if running:
            continue
        share = 0.0
        if fall is not None:
            share = fall * float(reserved) / weights if weights > 0 else fall / len(group)
        measured = before is not None and after is not None
        charges[row_id] = share if measured else max(float(reserved), share)
    return charges


class TeamClient(NemoClient):
    """A member's client on the team token: their quota left is their balance; each agent
    request is recorded in the ledger around the stream."""

    def __init__(self, settings: Settings, ledger: TeamLedger, user_id: str) -> None:
        super().__init__(settings)
        self.ledger = ledger
        self.user_id = user_id
        # Known from the start (before the first read): the service checks quotas for whoever has one.
        self.quota = Quota(float(ledger.limit), ledger.days, 0.0, 0)

    async def _team_balance(self) -> float | None:
        try:
            return (await super().credits()).available
        except NemoError as err:
            log.info("team balance not read: %s", err)
            return None

    async def credits(self) -> Credits:
        quota = await self.ledger.quota(self.user_id)
        # The quota holds even when the team balance can't be read (a failed read must not open
        # the gate). Never more than the team has (else a request would pass the gate and fail
        # at NemoVideo); never the team's figure otherwise.
        team = await self._team_balance()
        left = quota.left
        if team is not None and team < quota.left:
            # The team's account, not the quota, is what is short (A22-3): said so (quota.py), as
            # only the team's owner can help. No figure of it at all (A23-5: one rounded to an
            # edit's cost still fell a step with each colleague's request), only what it can pay:
            # a generation, an edit or nothing; the gate still stays under what the team has.
            can = "generation" if team >= GENERATION_COST else "edit" if team >= EDIT_COST else "nothing"
            quota = dataclasses.replace(quota, team_short=True, team_can=can)
            left = float(GENERATION_COST if can == "generation" else EDIT_COST if can == "edit" else 0)
        self.quota = quota
        return Credits(available=left, frozen=0, total=quota.limit)

    async def run_agent(
        self,
        sid: str,
        text: str,
        on_event: Callable[[AgentEvent], Awaitable[None]],
        on_accepted: Callable[[], None] | None = None,
    ) -> bool:
        cost = REQUEST_COST.get()
        with anyio.CancelScope(shield=True):  # a reservation made is always known here, to end or release
            spend_id = await self.ledger.begin(self.user_id, cost)
        if spend_id is None:  # other requests of this member took what was left: nothing sent
            quota = await self.ledger.quota(self.user_id)
            raise QuotaFullError(left=f"{quota.left:g}", cost=f"{cost:g}")
        accepted = False

        def accept() -> None:
            nonlocal accepted
            accepted = True
            if on_accepted is not None:
                on_accepted()

        try:
            before = await self._team_balance()
        except BaseException:  # cancelled while reading (a timeout, an eviction): nothing was sent
            with anyio.CancelScope(shield=True):
                await self.ledger.release(spend_id)
            raise
        try:
            return await super().run_agent(sid, text, on_event, accept)
        except NemoError as err:
            if not accepted and not maybe_taken(err):  # refused: nothing done, nothing to charge
                with anyio.CancelScope(shield=True):
                    await self.ledger.release(spend_id)
                spend_id = None
            raise
        finally:
            # Recorded even when the turn is cancelled: the backend may have charged already.
            if spend_id is not None:
                with anyio.CancelScope(shield=True):
                    after = await self._team_balance()
                    await self.ledger.end(spend_id, before, after)
