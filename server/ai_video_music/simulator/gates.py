"""Gates: hold agent turns or renders until a test releases them, instead of tuning sleeps.

``with sim.hold("run_sse") as gate:`` makes every agent turn that starts while the gate is held
stream heartbeats and wait; ``gate.wait_entered()`` returns once one is waiting, and leaving
the block (or ``gate.release()``) lets them finish. ``sim.hold("render")`` keeps renders
"processing" the same way. A tool call of the tests' server that waits on a held request answers
"working" at once (nothing ends before the test lets go); ``sim.hold(route, during_call=True)``
is for tests in which the held request ends while the call still waits (the test lets go, or a
time limit ends it): the call then waits as it would. The simulator serves from another
thread, so both sides use ``threading.Event``.
"""

from __future__ import annotations

import threading
from types import TracebackType

import anyio.to_thread

GATED_ROUTES = ("run_sse", "render", "upload")


class Gate:
    def __init__(self, route: str, *, during_call: bool = False) -> None:
        self.route = route
        self.during_call = during_call  # it may end while a tool call waits on it
        self._entered = threading.Event()
        self._released = threading.Event()
        self.entries = 0

    @property
    def released(self) -> bool:
        return self._released.is_set()

    def enter(self) -> None:
        """Called by the simulator when a turn or render reaches the gate."""
        self.entries += 1
        self._entered.set()

    def release(self) -> None:
        self._released.set()

    async def released_event(self) -> None:
        """Wait, without blocking the simulator's loop, until the test lets go (or the simulator resets)."""
        await anyio.to_thread.run_sync(self._released.wait)

    def wait_entered(self, timeout: float = 10.0) -> bool:
        """Block until something waits at the gate (``False`` on timeout)."""
        return self._entered.wait(timeout)

    async def entered(self, limit: float = 10.0) -> bool:
        """``wait_entered`` for async tests: waits in a worker thread, not on the event loop."""
        return await anyio.to_thread.run_sync(self._entered.wait, limit)

    def __enter__(self) -> Gate:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
