"""Fault injection: a queue of faults that the endpoints consume, guarded by the simulator's lock.

Tests and the ``/_sim/faults`` admin route add faults; the endpoint handlers take them. A fault
answers the next ``times`` requests to its route (a route name from ``app.ROUTES``, or ``"*"``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

# Faults answered by the endpoint itself, before its handler runs.
ENDPOINT_FAULTS = frozenset({
    "1001", "1002", "2001", "4001", "4002", "400", "402", "429",
    "500", "502", "503", "html", "malformed", "shape",
})  # fmt: skip
# Faults that act later: inside the agent's stream (run_sse), on a render job (render), or
# halfway through a download (storage).
LATE_FAULTS = frozenset({"drop", "error_event", "slow", "render_fail"})
FAULT_KINDS = ENDPOINT_FAULTS | LATE_FAULTS


@dataclass
class Fault:
    route: str  # a route name or "*"
    kind: str
    times: int = 1
    retry_after: float | None = None


class Faults:
    """The pending faults. Every method takes the simulator's lock."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._pending: list[Fault] = []

    def add(self, route: str, kind: str, times: int = 1, retry_after: float | None = None) -> Fault:
        """Answer the next ``times`` requests to ``route`` with ``kind``."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(sorted(FAULT_KINDS))}")
        fault = Fault(route, kind, times, retry_after)
        with self._lock:
            self._pending.append(fault)
        return fault

    def take(self, route: str, kinds: frozenset[str] | set[str]) -> Fault | None:
        """The first pending fault of one of ``kinds`` for ``route``, consuming one of its uses."""
        with self._lock:
            for fault in self._pending:
                if fault.route in (route, "*") and fault.kind in kinds and fault.times != 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self._pending.remove(fault)
                    return Fault(fault.route, fault.kind, 1, fault.retry_after)
        return None

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return [Fault(f.route, f.kind, f.times, f.retry_after) for f in self._pending]
