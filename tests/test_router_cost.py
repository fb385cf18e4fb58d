"""Reading a prompt costs time in proportion to its length: a user's own 8,000-character prompt
(the cap) repeating a word must not cost seconds of CPU on a free call (attack7 A4: '取消' x 4,000
took 5.5 s in route, 0.06 s at 1,000 characters; '(' x 8,000 took 0.7 s in not_checked; 'for ' x
2,000 0.5 s in name_from; in hosted mode every such call holds a worker thread). Both lengths are
timed in the same test, so the ratio, not the machine, decides."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from ai_video_music.naming import name_from
from ai_video_music.router import route
from ai_video_music.timeline import read_timeline
from ai_video_music.unchecked import not_checked

SHORT, LONG = 500, 8_000  # LONG is MAX_PROMPT_CHARS
# Linear would be 16x; quadratic 256x. 4x slack over linear absorbs a noisy shared machine, and
# ten milliseconds more keep a tiny short time from making the bound meaningless.
ALLOWED_RATIO = LONG // SHORT * 4
SLACK_S = 0.01


def _cpu_seconds(prompt: str, repeats: int, read: Callable[[str], object] = route) -> float:
    """The least CPU time of a few runs: the cost of reading, not of whatever else ran."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        read(prompt)
        best = min(best, time.process_time() - start)
    return best


def _repeated(shape: str, length: int) -> str:
    return (shape * (length // len(shape) + 1))[:length]


SHAPES = ["取消", "停止 ", "stop ", "cancel ", "stop it ", "don't export ", "取消。"]


@pytest.mark.parametrize("shape", SHAPES)
def test_route_cost_grows_linearly_with_a_repeated_command_word(shape: str) -> None:
    short = _cpu_seconds(_repeated(shape, SHORT), repeats=5)
    long = _cpu_seconds(_repeated(shape, LONG), repeats=2)
    assert long <= ALLOWED_RATIO * short + SLACK_S, (shape, short, long)


@pytest.mark.parametrize("shape", ["(", "（", "[", "【"])
def test_checking_what_was_asked_grows_linearly_with_unclosed_brackets(shape: str) -> None:
    empty = read_timeline({})

    def check(prompt: str) -> object:
        return not_checked(prompt, empty)

    short = _cpu_seconds(_repeated(shape, SHORT), repeats=5, read=check)
    long = _cpu_seconds(_repeated(shape, LONG), repeats=2, read=check)
    assert long <= ALLOWED_RATIO * short + SLACK_S, (shape, short, long)


@pytest.mark.parametrize("shape", ["of ", "for ", "for our "])
def test_naming_the_project_grows_linearly_with_a_repeated_subject_word(shape: str) -> None:
    short = _cpu_seconds(_repeated(shape, SHORT), repeats=5, read=name_from)
    long = _cpu_seconds(_repeated(shape, LONG), repeats=2, read=name_from)
    assert long <= ALLOWED_RATIO * short + SLACK_S, (shape, short, long)
