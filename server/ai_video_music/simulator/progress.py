"""How a render's progress is reported: the styles the contract leaves open, and a fake-clock replay.

``backend-api.md`` ("Export") documents none of them for sure: a queued render may sit at the
submit's 5 and then jump, run linearly from that 5, move in big steps, carry no progress at
all, or report a value that goes back or passes 100; a 0-1 fraction is what a Lambda renderer
reports natively. Each style maps the share of the render really done (0-1) to the value the
poll answers, so the simulator's renders and the schedule's tests and bench use the same curves.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Protocol

SUBMIT_PROGRESS = 5  # what the submit answers (the contract's example)
QUEUE_SHARE = 0.3  # the share of a queued render's time spent waiting for an encoder


class ProgressStyle(enum.StrEnum):
    SMOOTH = "smooth"  # from the submit's 5 to 99 with the frames written, 100 only when completed
    LINEAR = "linear"  # from the submit's 5, reaching 100 at the end
    QUEUED = "queued"  # sits at the submit's 5 while queued, then jumps to the real share
    QUEUED_ZERO = "queued_zero"  # a queue reported as 0, then 0-100 over the rest
    STEPS = "steps"  # 0, 25, 50, 75: big steps
    RESET = "reset"  # two passes, each 0-100 (the second starts again from 0)
    FRACTION = "fraction"  # 0-1 instead of 0-100
    NONE = "none"  # no progress field at all
    BACKWARDS = "backwards"  # linear, but drops back by 25 for a while past the middle
    OVER_100 = "over_100"  # runs to 130 (a mis-scaled counter)


def reported(style: ProgressStyle, done: float) -> float | None:
    """The progress a poll answers while the render is not yet completed, ``done`` its real share."""
    x = min(max(done, 0.0), 1.0)
    if style is ProgressStyle.SMOOTH:
        return int(min(99, SUBMIT_PROGRESS + 94 * x))
    if style is ProgressStyle.LINEAR:
        return int(SUBMIT_PROGRESS + (100 - SUBMIT_PROGRESS) * x)
    if style is ProgressStyle.QUEUED:
        return SUBMIT_PROGRESS if x < QUEUE_SHARE else int(100 * x)
    if style is ProgressStyle.QUEUED_ZERO:
        return 0 if x < QUEUE_SHARE else int(100 * (x - QUEUE_SHARE) / (1 - QUEUE_SHARE))
    if style is ProgressStyle.STEPS:
        return min(75, 25 * math.floor(4 * x))
    if style is ProgressStyle.RESET:
        return int(100 * ((2 * x) % 1.0)) if x < 1 else 100
    if style is ProgressStyle.FRACTION:
        return round(x, 3)
    if style is ProgressStyle.NONE:
        return None
    if style is ProgressStyle.BACKWARDS:
        return int(100 * x) - (25 if 0.5 <= x < 0.7 else 0)
    return int(130 * x)  # OVER_100


def completed(style: ProgressStyle) -> float | None:
    """The progress a poll answers once the render is completed."""
    if style is ProgressStyle.NONE:
        return None
    if style is ProgressStyle.FRACTION:
        return 1.0
    return 130 if style is ProgressStyle.OVER_100 else 100


def submitted(style: ProgressStyle) -> float | None:
    """What the submit answers as progress (nothing in the style that never gives any)."""
    return None if style is ProgressStyle.NONE else SUBMIT_PROGRESS


class Poller(Protocol):
    """What :func:`replay` drives: the client's ``PollSchedule`` or a plain fixed poll."""

    def observe(self, at: float, progress: float | None) -> None: ...

    def next_delay(self, now: float) -> float: ...


@dataclass(frozen=True)
class Replay:
    looks: tuple[float, ...]  # when each poll was made, seconds after the submit
    seconds: float  # when the render completed

    @property
    def late(self) -> float:
        """From the completion to the poll that saw it."""
        return self.looks[-1] - self.seconds


def replay(poller: Poller, style: ProgressStyle, seconds: float, *, max_looks: int = 10_000) -> Replay:
    """A render of ``seconds`` in ``style`` on a fake clock: submit at 0, then poll as
    ``poller`` says until a poll comes at or after the completion."""
    now = 0.0
    poller.observe(now, submitted(style))
    looks: list[float] = []
    while len(looks) < max_looks:
        now += poller.next_delay(now)
        looks.append(now)
        if now >= seconds:
            return Replay(tuple(looks), seconds)
        poller.observe(now, reported(style, now / seconds))
    raise RuntimeError(f"{style} render of {seconds} s not seen after {max_looks} looks")
