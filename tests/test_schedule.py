"""The render poll follows the render: the MP4 lands soon after the backend finishes, with few polls.

A fake clock drives :class:`PollSchedule` against renders of 10-120 s whose progress moves the
way the backend reports it; no real time passes.
"""

from __future__ import annotations

import math

import pytest

from ai_video_music.renders import POLL_CEILING_S, POLL_FLOOR_S, PollSchedule


def run(
    duration: float, progress: object, *, start_progress: float | None = 5.0
) -> tuple[list[float], float]:
    """Poll a render of ``duration`` seconds; returns the poll times and when completion was seen."""
    schedule = PollSchedule()
    now = 0.0
    schedule.observe(now, start_progress)  # the submit answer
    polls: list[float] = []
    while True:
        now += schedule.next_delay(now)
        polls.append(now)
        if now >= duration:
            return polls, now
        assert callable(progress)
        schedule.observe(now, progress(now, duration))
        assert len(polls) < 1000


def linear(now: float, duration: float) -> float:
    return 5 + 95 * now / duration


def fixed_poll_count(duration: float, every: float = 5.0) -> int:
    return math.ceil(duration / every)


@pytest.mark.parametrize("duration", [10, 13, 20, 31, 40, 45, 60, 90, 119, 120])
def test_linear_progress_is_seen_within_3_s_with_no_more_polls_than_a_fixed_5_s_poll(duration: float) -> None:
    polls, seen = run(duration, linear)
    assert seen - duration <= 3.0
    assert len(polls) <= fixed_poll_count(duration)


@pytest.mark.parametrize("duration", [10, 45, 120])
def test_polls_are_never_closer_than_the_floor_nor_further_apart_than_the_ceiling(duration: float) -> None:
    polls, _ = run(duration, linear)
    gaps = [b - a for a, b in zip([0.0, *polls], polls, strict=False)]
    assert all(POLL_FLOOR_S - 1e-9 <= g <= POLL_CEILING_S + 1e-9 for g in gaps)


def test_the_first_look_comes_soon_after_the_start() -> None:
    polls, _ = run(60, linear)
    assert polls[0] <= POLL_FLOOR_S + 1e-9


def test_a_render_stuck_at_99_is_polled_less_and_less_often() -> None:
    schedule = PollSchedule()
    now = 0.0
    schedule.observe(now, 5)
    gaps = []
    for _ in range(20):
        delay = schedule.next_delay(now)
        gaps.append(delay)
        now += delay
        schedule.observe(now, min(99.0, 5 + 95 * now / 20))
    late = gaps[-8:]
    assert late == sorted(late) and late[-1] == POLL_CEILING_S


def test_without_progress_the_schedule_is_a_plain_5_s_poll_that_never_looks_more_often() -> None:
    schedule = PollSchedule()
    now, looks = 0.0, []
    schedule.observe(now, None)
    for _ in range(6):
        now += schedule.next_delay(now)
        looks.append(now)
        schedule.observe(now, None)
    assert looks[0] == POLL_FLOOR_S, "a first look soon after the start"
    # then a fixed 5 s poll's grid: the early first look takes the place of its first one
    assert looks[1:] == [10.0, 15.0, 20.0, 25.0, 30.0]
    assert all(len([t for t in looks if t <= end]) <= fixed_poll_count(end) for end in looks[1:])


def test_a_rate_limit_holds_the_next_look_for_its_retry_after() -> None:
    schedule = PollSchedule()
    schedule.observe(0.0, 5)
    now = schedule.next_delay(0.0)
    schedule.observe(now, 30)  # steady progress: the estimate alone would look again in ~6 s
    schedule.hold(now, 12.0)
    assert schedule.next_delay(now) == 12.0


def test_a_render_that_starts_moving_after_standing_still_is_checked_again_soon() -> None:
    # Queued at 5% for three looks, then fast: the first rate is not trusted for long.
    schedule = PollSchedule(floor=0.05, ceiling=30, fallback=0.125)
    for at, progress in ((0.0, 5), (0.05, 5), (0.2, 5), (0.35, 9)):
        schedule.observe(at, progress)
        schedule.looks += 1
    assert schedule.next_delay(0.35) <= 2 * 0.15 + 1e-9


def test_a_late_start_then_steady_progress_still_lands_soon_after_the_finish() -> None:
    # Queued (no movement) for 20 s, then 40 s of work.
    def queued(now: float, duration: float) -> float:
        return 0.0 if now < 20 else min(99.0, 100 * (now - 20) / 40)

    polls, seen = run(60, queued, start_progress=0.0)
    assert seen - 60 <= POLL_CEILING_S
    assert len(polls) <= fixed_poll_count(60)


@pytest.mark.parametrize("duration", [10, 15, 30])
def test_a_render_queued_past_the_first_look_costs_no_extra_poll(duration: float) -> None:
    # No movement at the first look (waiting for an encoder), then steady progress.
    def queued(now: float, duration: float) -> float:
        return 5.0 if now < 3 else 5 + 95 * now / duration

    polls, seen = run(duration, queued)
    assert len(polls) <= fixed_poll_count(duration)
    assert seen - duration <= 5.0
