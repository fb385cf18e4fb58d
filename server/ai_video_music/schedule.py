"""When to look at a render next, from the progress the backend reports, whatever its style.

Backends report progress in many ways (``backend-api.md``, "Export"): a queued render sits at
the submit's 5 and then jumps, or runs linearly from it, or moves in big steps, resets to 0,
reports 0-1 fractions, goes backwards, passes 100, or reports nothing at all. The schedule
keeps two promises whatever it sees, and is only faster where the progress earns it:

- **No more looks than a fixed 5 s poll**: the n-th look never comes sooner than n fixed
  periods after the submit. Looks saved while the estimate is good are spent near the end.
- **Never later than a fixed 5 s poll**: once the finish is unknown or stale (no movement for
  longer than the rate explains, a value at or past 100, one value after a move backwards),
  the next look is one fixed period away. A longer wait is taken only from steady movement
  (two moves or more) and never beyond the earliest plausible finish plus one period: the
  render reaching 95 at twice its fastest recent rate, its largest recent jump included (a
  render moving in steps may complete with its next one).

Near the estimated finish looks are spaced so that one comes right after it, and from 97 on
as often as the floor and the count allow (a backend may complete at 99, or at 97). Estimates
come only from real movement: the submit's value is a placeholder (a queued render reports it
for a while), and a move backwards starts the estimate over. Pure: tested and benchmarked with
a fake clock (``tests/test_schedule.py``, ``bench/progress_styles.py``).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

POLL_FLOOR_S = 2.0
POLL_CEILING_S = 30.0
POLL_FALLBACK_S = 5.0  # the fixed poll this schedule is never worse than
FINISH_MARGIN = 0.25  # of the floor: look just after the estimated finish (0.5 s at a 2 s floor)
SPEED_UP = 2.0  # a render may run this much faster than its fastest recent rate
MAY_END_AT = 95.0  # a render may complete before its progress says 100 (99 at most, say, or 95 then done)
FINAL_POINTS = 97.0  # from here on, look as often as the floor and the fixed poll's count allow
STILL_POINTS = 2.0  # whole-number progress may stand still for this many points' time and still be moving
RECENT_MOVES = 3  # the moves the rate is measured over (a step, a jump after a queue, ...)
KEPT_SAMPLES = 16


class Basis(enum.Enum):
    """What the next look is planned from."""

    UNKNOWN = "unknown"  # no usable progress: a fixed poll
    STALE = "stale"  # no movement on the last look (a plateau, a step, stuck at 99): a fixed poll
    GUESS = "guess"  # one move only: look at the estimate, but never more than a period away
    STEADY = "steady"  # two moves or more: may wait longer, up to the earliest plausible finish


@dataclass(frozen=True)
class Estimate:
    finish: float  # when the render should reach 100, at its recent average rate
    earliest: float  # the soonest it plausibly could complete (see the module's docstring)
    basis: Basis
    span: float  # seconds of history the rate was measured over
    progress: float  # the newest value, 0-100


@dataclass
class PollSchedule:
    """When to look next, from the progress seen so far (``observe``) and the looks made."""

    floor: float = POLL_FLOOR_S
    ceiling: float = POLL_CEILING_S
    fallback: float = POLL_FALLBACK_S
    samples: list[tuple[float, float]] = field(default_factory=list)  # (time, progress), newest last
    placeholder: float | None = None  # the submit's value: not a measurement
    looks: int = 0
    started: float | None = None  # the schedule's first time: the fixed poll's grid starts there
    not_before: float = 0.0  # the backend asked us to wait (429 Retry-After)
    basis: Basis = Basis.UNKNOWN  # what the last delay was planned from (for logs and the bench)
    _percent_seen: bool = False  # a value above 1: the scale is 0-100
    _fraction_seen: bool = False  # a value strictly between 0 and 1, not whole: maybe a 0-1 scale

    def observe(self, at: float, progress: float | None) -> None:
        """A progress value from the backend (None: it gave none). The value seen before the
        first look is the submit's: kept as a placeholder, never used for a rate."""
        if self.started is None:
            self.started = at
        if progress is None or not math.isfinite(progress):
            return
        if self.looks == 0 and self.placeholder is None and not self.samples:
            self.placeholder = progress
            return
        if progress > 1:
            self._percent_seen = True
        elif 0 < progress < 1:
            self._fraction_seen = True
        if self.samples and at <= self.samples[-1][0]:
            self.samples[-1] = (self.samples[-1][0], progress)  # no time between: no rate, the newer value
        else:
            self.samples.append((at, progress))
        del self.samples[:-KEPT_SAMPLES]

    def _scale(self) -> float:
        return 100.0 if self._fraction_seen and not self._percent_seen else 1.0

    def percent(self) -> float | None:
        """The newest value as a percentage to show (0-1 fractions scaled, clamped to 0-100)."""
        if not self.samples:
            return None
        return min(100.0, max(0.0, self.samples[-1][1] * self._scale()))

    def estimate(self) -> Estimate | None:
        """The finish as the progress so far tells it, or None when it tells nothing usable."""
        scale = self._scale()
        points = [(t, p * scale) for t, p in self.samples]
        if not points or points[-1][1] >= 100:
            return None  # at or past 100 and not completed: the value says nothing about when
        start = 0
        for i in range(1, len(points)):
            if points[i][1] < points[i - 1][1]:
                start = i  # went backwards (a reset, a second pass): only what came after counts
        segment = points[start:]
        moves = [i for i in range(1, len(segment)) if segment[i][1] > segment[i - 1][1]]
        if not moves:
            t1, p1 = segment[-1]
            if len(segment) > 1 or start > 0 or self.started is None or p1 <= 0 or t1 <= self.started:
                return None  # standing still since the first value, or one value after a reset
            if self.samples[-1][1] == self.placeholder:
                return None  # still the submit's value: maybe queued, nothing moved yet
            # One value: its rate since the submit is a guess (too fast if it began at the
            # placeholder's 5, too slow if it was queued: so never trusted for long).
            rate = p1 / (t1 - self.started)
            finish = t1 + (100 - p1) / rate
            return Estimate(finish, finish, Basis.GUESS, t1 - self.started, p1)
        recent = moves[-RECENT_MOVES:]
        t0, p0 = segment[recent[0] - 1]
        t1, p1 = segment[recent[-1]]  # the newest change: later looks that saw the same value add nothing
        average = (p1 - p0) / (t1 - t0)  # includes the plateaus between steps
        held = segment[-1][0] - t1
        if held > max(self.fallback, STILL_POINTS / average):
            return None  # stale: standing still for longer than its rate explains
        fastest = max(
            (segment[i][1] - segment[i - 1][1]) / (segment[i][0] - segment[i - 1][0]) for i in recent
        )
        basis = Basis.STEADY if len(moves) >= 2 else Basis.GUESS
        # A render that moves in jumps may complete with its next one (75 → completed in steps).
        jump = max(segment[i][1] - segment[i - 1][1] for i in recent)
        earliest = t1 + max(0.0, MAY_END_AT - p1 - jump) / (fastest * SPEED_UP)
        return Estimate(t1 + (100 - p1) / average, earliest, basis, t1 - t0, p1)

    def estimated_finish(self) -> tuple[float, float | None] | None:
        """When the render should reach 100%, and how far to trust it: None when the rate is
        steady, else the span it was measured over."""
        found = self.estimate()
        if found is None:
            return None
        return found.finish, None if found.basis is Basis.STEADY else found.span

    def next_delay(self, now: float) -> float:
        """Seconds until the next look; counts that look."""
        if self.started is None:
            self.started = now
        self.looks += 1
        # The fixed poll's grid: the n-th look no sooner than n periods after the start.
        budget = self.started + self.fallback * self.looks
        found = self.estimate()
        if found is None:
            stale = len(self.samples) >= 2 and self.samples[-1][1] == self.samples[-2][1]
            self.basis = Basis.STALE if stale else Basis.UNKNOWN
            target = now + self.fallback
        else:
            self.basis = found.basis
            target = found.finish + self.floor * FINISH_MARGIN  # one look right after it should be done
            if found.basis is Basis.GUESS:
                target = min(target, now + self.fallback)
            else:
                bound = min(found.earliest + self.fallback, now + self.ceiling)
                if target > bound:
                    # Not that long a wait: looks evenly spaced so that the last one still comes
                    # right after the estimated finish.
                    span, step = target - now, bound - now
                    target = now + span / math.ceil(span / step) if step > 0 else now
            if found.progress >= FINAL_POINTS:
                target = min(target, now + self.floor)  # a backend may complete at any of the last points
        target = max(target, now + self.floor, budget, self.not_before)
        return target - now

    def hold(self, now: float, seconds: float) -> None:
        """No look for ``seconds`` (a 429's Retry-After, up to the ceiling)."""
        self.not_before = now + min(seconds, self.ceiling)
