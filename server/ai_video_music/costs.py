"""What a request may cost before it is sent, and what it did cost after.

Before: a gate from the balance (cannot run / will use the last credits). NemoVideo charges a
turn when it starts and refuses it (2001) when the balance is short of its price, so a request
whose estimate is above the balance can't run: confirming it could only fail.
After: the balance difference around the turn is its cost only when no other agent turn of the
account ran in that time; otherwise the figure is the requests' joint cost and is said so (the
backend gives no per-request price, and holding one project's request for another's would make
the user wait minutes for nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

from .messages import Lang, msg, t
from .records import TurnState
from .store import Generation

GENERATION_COST = 100  # credits, about, per generated clip (the service's own skill)
EDIT_COST = 50  # credits, about, per editing request (and per question to the agent)

# What the request this call is about to send is expected to cost, for a team member's reservation
# (hosted/team.py): a generation's unless the service's quota gate found an edit. Per call (a
# context variable: each tool call is its own task, and the request's job inherits it).
REQUEST_COST: ContextVar[int] = ContextVar("request_cost", default=GENERATION_COST)


class GateKind(StrEnum):
    CANNOT_RUN = "cannot_run"  # too few credits for this request: confirming can't help
    LAST_CREDITS = "last_credits"  # goes ahead; the user is told it uses what is left


@dataclass(frozen=True)
class Gate:
    kind: GateKind
    cost: int
    generating: bool
    left: float


@dataclass(frozen=True)
class Cost:
    """What one request cost, as far as it can be known."""

    used: float | None  # None when it can't be told apart from another request's
    left: float
    joint: float | None = None  # what it and the others it ran with used together (None: not yet)
    shared_with: tuple[str, ...] = ()  # the other requests' project names
    group: tuple[str, ...] = ()  # the ids of the requests measured together (it among them)


def gate(balance: float | None, generating: bool) -> Gate | None:
    """The cost check before sending; None when the balance is unknown or plenty."""
    if balance is None:
        return None
    cost = GENERATION_COST if generating else EDIT_COST
    if balance < cost:
        return Gate(GateKind.CANNOT_RUN, cost, generating, balance)
    if balance - cost < EDIT_COST:
        return Gate(GateKind.LAST_CREDITS, cost, generating, balance)
    return None


def cost_of(gen: Generation) -> Cost | None:
    """A finished turn's cost from its record (None when a balance wasn't read)."""
    if gen.credits_before is None or gen.credits_after is None:
        return None
    fall = max(0.0, gen.credits_before - gen.credits_after)
    if gen.shared:
        joint = gen.fact_map.get("joint")
        if isinstance(joint, dict) and isinstance(joint.get("ids"), list):
            used = joint.get("used")
            together = float(used) if isinstance(used, int | float) else None
            if together is None and joint.get("open") is False:
                return None  # no balance read around them: not known, and nothing will tell it
            ids = tuple(str(i) for i in joint["ids"])
            return Cost(None, gen.credits_after, together, tuple(gen.shared), ids)
        # Recorded before joint figures (this turn's own window only).
        return Cost(None, gen.credits_after, fall, tuple(gen.shared))
    return Cost(fall, gen.credits_after)


def used_before(gen: Generation | None) -> float:
    """What a request cost when it ran, as measured; 0 when not known (no balance read, a joint
    figure only, or no such request): what a repeat of it costs again."""
    cost = cost_of(gen) if gen is not None else None
    return float(cost.used) if cost is not None and cost.used else 0.0


@dataclass(frozen=True)
class Spent:
    """What a set of requests cost, as far as each one's own cost is known."""

    used: float = 0.0  # the sum of the costs told per request
    counted: int = 0  # requests in that sum
    shared: int = 0  # requests whose cost is only known jointly with another's (older records)
    joint: float = 0.0  # the largest joint figure among those (they overlap: never summed)
    unknown: int = 0  # finished, but a balance around it wasn't read
    running: int = 0  # not finished yet: no cost known
    together: float = 0.0  # what groups of requests that ran at once used, each group once
    grouped: int = 0  # requests in those groups
    pending: int = 0  # finished, in a group with one still running: the group's figure comes then
    with_projects: tuple[str, ...] = ()  # the other projects whose requests shared a group
    groups: int = 0  # how many such groups


def spent(gens: Iterable[Generation]) -> Spent:
    """The requests' costs from their records (each request's own cost, never another's; a
    group of requests that ran at once: their joint figure, once per group)."""
    used = joint = together = 0.0
    counted = shared = unknown = running = grouped = pending = 0
    groups: set[tuple[str, ...]] = set()
    names: set[str] = set()
    for gen in gens:
        if gen.status is TurnState.RUNNING:
            running += 1
            continue
        cost = cost_of(gen)
        if cost is None:
            unknown += 1
        elif cost.used is None and cost.group:
            names.update(cost.shared_with)
            if cost.joint is None:
                pending += 1
                continue
            grouped += 1
            if cost.group not in groups:
                groups.add(cost.group)
                together += cost.joint
        elif cost.used is None:
            names.update(cost.shared_with)
            shared += 1
            joint = max(joint, cost.joint or 0.0)
        else:
            used += cost.used
            counted += 1
    return Spent(
        used,
        counted,
        shared,
        joint,
        unknown,
        running,
        together,
        grouped,
        pending,
        tuple(sorted(names)),
        len(groups),
    )


# "I just registered", "ok, signed up", "done, I made an account", "我注册好了", "已经注册了": the
# user says they registered (the API never says so): no "register" in their answers from then on.
_REGISTERED = re.compile(
    r"(?i)\b(?:i(?:'ve|\s+have)?|we(?:'ve|\s+have)?|just|ok(?:ay)?|done|all)[\s,!.]*(?:just\s+|now\s+|already\s+)?"
    r"(?:registered|signed\s+up|made\s+(?:an|my|the)\s+account|created\s+(?:an|my|the)\s+account)\b"
    r"|^\s*(?:registered|signed\s+up)\s*[!.]"
    r"|(?<!没)(?<!还没)(?:已经?|刚刚?|我)?注册(?:好|完|成功)了|已经注册|我注册了"
)
_NOT_REGISTERED = re.compile(
    r"(?i)\b(?:not|n't|never|haven'?t|how|should|do\s+i|can\s+i|if)\b|没|吗|怎么|\?|？"
)


def said_registered(prompt: str) -> bool:
    """The words say the user registered, outright (not a question, not negated)."""
    found = _REGISTERED.search(prompt)
    return found is not None and not _NOT_REGISTERED.search(prompt[: found.end() + 8])


def more_credits(anonymous: bool, registration_link: Callable[[], str], lang: Lang) -> str:
    """How to get credits: registration (keeps the free work) or a top-up."""
    if anonymous:
        return t("cost.register", lang, link=registration_link())
    return t("cost.top_up", lang)


def gate_text(g: Gate, lang: Lang, more: str) -> str:
    kind = msg("cost.generation") if g.generating else msg("cost.edit")
    key = {
        GateKind.CANNOT_RUN: "cost.cannot",
        GateKind.LAST_CREDITS: "cost.last",
    }[g.kind]
    return t(key, lang, cost=g.cost, kind=kind, left=f"{g.left:g}", more=more)
