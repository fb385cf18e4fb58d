"""The render poll: the MP4 lands soon after the backend finishes, whatever progress it reports.

A fake clock drives :class:`PollSchedule` against renders of 5-300 s in every progress style the
simulator can emit (``simulator.progress``); no real time passes. Against a fixed 5 s poll (the
plain way, looks at 5, 10, 15 s ...): never a look more, never later than 5 s, and on average
well within 3 s of the end.
"""

from __future__ import annotations

import itertools
import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ai_video_music.schedule import POLL_CEILING_S, POLL_FALLBACK_S, POLL_FLOOR_S, Basis, PollSchedule
from ai_video_music.simulator.progress import ProgressStyle, Replay, replay, reported

# Lengths that fall on and between the fixed poll's looks, short to long.
LENGTHS = [5.0, 7.3, 10.0, 12.6, 19.9, 27.0, 33.4, 45.0, 61.7, 90.0, 119.2, 151.5, 208.8, 245.1, 300.0]
MANY_LENGTHS = [5 + i * 2.37 for i in range(125)]  # 5-299 s, every phase against the 5 s grid


def fixed_poll_looks(seconds: float) -> int:
    """A fixed 5 s poll looks at 5, 10, ... s: the first look at or after the end sees it."""
    return max(1, math.ceil(seconds / POLL_FALLBACK_S - 1e-9))


def run(style: ProgressStyle, seconds: float) -> Replay:
    return replay(PollSchedule(), style, seconds)


@pytest.mark.parametrize("style", list(ProgressStyle))
@pytest.mark.parametrize("seconds", LENGTHS)
def test_never_later_than_a_fixed_5_s_poll_and_never_more_looks(style: ProgressStyle, seconds: float) -> None:
    seen = run(style, seconds)
    assert seen.late <= POLL_FALLBACK_S + 1e-9, seen
    assert len(seen.looks) <= fixed_poll_looks(seconds), seen


@pytest.mark.parametrize("style", list(ProgressStyle))
def test_every_style_is_seen_within_3_s_of_the_end_on_average(style: ProgressStyle) -> None:
    runs = [run(style, s) for s in MANY_LENGTHS]
    assert max(r.late for r in runs) <= POLL_FALLBACK_S + 1e-9
    assert all(len(r.looks) <= fixed_poll_looks(r.seconds) for r in runs)
    assert statistics.mean(r.late for r in runs) <= 3.0


UNINFORMATIVE = {ProgressStyle.STEPS, ProgressStyle.NONE, ProgressStyle.OVER_100}


@pytest.mark.parametrize("style", [s for s in ProgressStyle if s not in UNINFORMATIVE])
def test_progress_that_moves_saves_looks_and_lands_sooner_than_a_fixed_poll(style: ProgressStyle) -> None:
    # The point of reading progress at all: on renders of a minute or more, fewer looks and less
    # waiting (a fixed poll: every look, 2.5 s late on average). Steps, no progress and values
    # past 100 tell too little: those get the fixed poll, which the test above holds them to.
    runs = [run(style, s) for s in MANY_LENGTHS if s >= 60]
    assert statistics.mean(len(r.looks) / fixed_poll_looks(r.seconds) for r in runs) <= 0.8
    assert statistics.mean(r.late for r in runs) <= 1.5


def test_a_render_that_speeds_up_is_still_seen_within_5_s() -> None:
    # Not one of the simulator's styles: progress that accelerates (100 x²) makes every
    # extrapolation from the past too late; the earliest plausible finish covers it.
    for seconds in MANY_LENGTHS:
        schedule, now, looks = PollSchedule(), 0.0, 0
        schedule.observe(0.0, 5)
        while now < seconds:
            now += schedule.next_delay(now)
            looks += 1
            schedule.observe(now, int(100 * (now / seconds) ** 2))
        assert now - seconds <= POLL_FALLBACK_S + 1e-9, seconds
        assert looks <= fixed_poll_looks(seconds), seconds


def test_without_progress_the_schedule_is_exactly_a_fixed_5_s_poll() -> None:
    seen = run(ProgressStyle.NONE, 31.0)
    assert list(seen.looks) == [5.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0]


def test_the_submits_value_is_a_placeholder_not_a_measurement() -> None:
    # Queued at the submit's 5 for a minute: nothing moved, so nothing is estimated and the
    # schedule stays on the fixed poll's grid instead of extrapolating from the submit.
    schedule = PollSchedule()
    schedule.observe(0.0, 5)
    now = 0.0
    for _ in range(12):
        now += schedule.next_delay(now)
        schedule.observe(now, 5)
        assert schedule.estimate() is None
    assert now == 60.0


def test_a_plateau_after_movement_returns_to_a_5_s_poll_instead_of_backing_off() -> None:
    # Stuck at 99 for minutes (the old schedule backed off to 30 s: up to 30 s late).
    schedule = PollSchedule()
    schedule.observe(0.0, 5)
    now, gaps = 0.0, []
    for _ in range(40):
        delay = schedule.next_delay(now)
        gaps.append(delay)
        now += delay
        schedule.observe(now, min(99.0, 5 + 95 * now / 30))
    assert max(gaps[-20:]) <= POLL_FALLBACK_S + 1e-9
    assert schedule.basis is Basis.STALE


def test_fractions_are_read_as_shares_of_the_whole() -> None:
    schedule = PollSchedule()
    schedule.observe(0.0, 5)  # the submit, in percent
    for at in (5.0, 10.0, 15.0):
        schedule.observe(at, round(at / 60, 3))
    found = schedule.estimate()
    assert found is not None and found.finish == pytest.approx(60, abs=1.5)
    assert schedule.percent() == 25.0, "shown as a percentage too"


def test_a_reset_to_zero_starts_the_estimate_over() -> None:
    schedule = PollSchedule()
    schedule.observe(0.0, 5)
    for at, value in ((5.0, 20), (10.0, 40), (15.0, 60), (20.0, 4)):
        schedule.observe(at, value)
    assert schedule.estimate() is None, "one value after the reset: no rate yet"
    schedule.observe(25.0, 24)
    found = schedule.estimate()
    assert found is not None and found.finish == pytest.approx(44, abs=1)


def test_a_value_at_or_past_100_that_is_not_completed_says_nothing_about_when() -> None:
    schedule = PollSchedule()
    schedule.observe(0.0, 5)
    for at, value in ((5.0, 40), (10.0, 80), (15.0, 100)):
        schedule.observe(at, value)
    assert schedule.estimate() is None
    schedule.looks = 3
    assert schedule.next_delay(15.0) == POLL_FALLBACK_S


def test_polls_are_never_closer_than_the_floor() -> None:
    for style in ProgressStyle:
        for seconds in LENGTHS:
            looks = run(style, seconds).looks
            gaps = [b - a for a, b in itertools.pairwise((0.0, *looks))]
            assert min(gaps) >= POLL_FLOOR_S - 1e-9, (style, seconds)


def test_a_rate_limit_holds_the_next_look_for_its_retry_after() -> None:
    schedule = PollSchedule()
    schedule.observe(0.0, 5)
    now = schedule.next_delay(0.0)
    schedule.observe(now, 30)
    schedule.hold(now, 12.0)
    assert schedule.next_delay(now) == 12.0


def test_the_schedule_scales_with_the_floor_tests_shrink_it_to() -> None:
    # The server's tests poll at a 0.05 s floor (fixed period 0.125 s): same promises, scaled.
    scale = 0.05 / POLL_FLOOR_S
    for style in ProgressStyle:
        for seconds in (0.5, 1.3, 4.1):
            schedule = PollSchedule(floor=0.05, ceiling=30 * scale, fallback=POLL_FALLBACK_S * scale)
            seen = replay(schedule, style, seconds)
            assert seen.late <= POLL_FALLBACK_S * scale + 1e-9, (style, seconds)
            assert len(seen.looks) <= math.ceil(seconds / (POLL_FALLBACK_S * scale) - 1e-9)


@pytest.mark.parametrize("style", list(ProgressStyle))
def test_every_style_reports_what_it_says(style: ProgressStyle) -> None:
    values = [reported(style, i / 100) for i in range(100)]
    numbers = [v for v in values if v is not None]
    if style is ProgressStyle.NONE:
        assert numbers == []
    elif style is ProgressStyle.FRACTION:
        assert max(numbers) < 1
    elif style is ProgressStyle.OVER_100:
        assert max(numbers) > 100
    elif style in (ProgressStyle.RESET, ProgressStyle.BACKWARDS):
        assert any(b < a for a, b in itertools.pairwise(numbers))
    elif style is ProgressStyle.STEPS:
        assert sorted(set(numbers)) == [0, 25, 50, 75]
    elif style is ProgressStyle.QUEUED:
        assert numbers[:30] == [5] * 30 and numbers[30] == 30
    else:
        assert numbers == sorted(numbers) and max(numbers) <= 100


@given(
    st.lists(
        st.tuples(st.floats(min_value=0, max_value=40), st.one_of(st.none(), st.floats())),
        min_size=1,
        max_size=60,
    )
)
def test_whatever_the_backend_reports_the_looks_keep_to_the_fixed_polls_count(
    answers: list[tuple[float, float | None]],
) -> None:
    # Any values (NaN, infinities, negative, huge, fractions, None) after any delay (a slow
    # answer): no error, no look sooner than the floor or the n-th period, none beyond the ceiling.
    schedule = PollSchedule()
    schedule.observe(0.0, 5)
    now = 0.0
    for n, (answer_took, value) in enumerate(answers, start=1):
        delay = schedule.next_delay(now)
        assert POLL_FLOOR_S - 1e-9 <= delay <= POLL_CEILING_S + 1e-9
        now += delay
        assert now >= n * POLL_FALLBACK_S - 1e-9
        now += answer_took
        schedule.observe(now, value)
