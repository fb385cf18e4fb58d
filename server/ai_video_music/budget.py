"""The time a tool call has left, visible to every backend call it makes.

Hosts drop a tool call after about 60 s. A tool sets its budget once (``within``); the
client reads ``remaining()`` to cap every request, every retry wait and every lock wait,
so no direct backend call can hold the call past it. Background jobs clear the budget
(``unbounded``): they outlive the call that started them, under their own limits.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("nemo_tool_deadline", default=None)


@contextmanager
def within(seconds: float) -> Iterator[float]:
    """Run the block under a budget of ``seconds`` (or the tighter one already set); yields the deadline."""
    current = _deadline.get()
    deadline = time.monotonic() + seconds
    if current is not None:
        deadline = min(deadline, current)
    token = _deadline.set(deadline)
    try:
        yield deadline
    finally:
        _deadline.reset(token)


def unbounded() -> None:
    """Forget any inherited budget: called first thing in a background job's own task."""
    _deadline.set(None)


def deadline() -> float | None:
    return _deadline.get()


def remaining() -> float | None:
    """Seconds left in the current budget, or None when there is none."""
    current = _deadline.get()
    return None if current is None else current - time.monotonic()
