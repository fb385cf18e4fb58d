"""The simulator in a process of its own, for bench/scale.py: its work on a huge draft (a
deep copy and a JSON dump at every read) then neither slows the benchmark's own client nor
looks like our server's cost. Commands come as JSON lines on stdin, answers go to stdout.

    {"cmd": "register", "credits": 1e9}                       -> {"token": ...}
    {"cmd": "draft", "session": sid, "tracks": 48, "clips": 1000} -> {"ok": true}
    {"cmd": "draft", ..., "variant": 3}   a draft unlike the session's last one (another fingerprint)
    {"cmd": "configure", "fields": {...}}                     -> {"ok": true}
    {"cmd": "renders"}                                         -> {"n": <renders requested>}
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from ai_video_music.simulator import SimConfig, Simulator
from ai_video_music.simulator.handlers import session as session_handlers


class _NoCopy:
    """The simulator copies the whole draft at every read (its drafts are edited in place by its
    agent); the drafts set here are never edited, and a real backend serves a stored draft, so
    that copy would be the simulator's cost, not a backend's."""

    @staticmethod
    def deepcopy(value: Any) -> Any:
        return value


class _StoredAnswers:
    """A real backend serves a stored draft; the simulator encodes it at every read, on its one
    event loop (~0.3 s for 4 MB), where every other request (``credits``) waits behind it. The
    drafts set here never change, so their answer is encoded once."""

    def __init__(self, ok: Callable[..., Response]) -> None:
        self._ok = ok
        self.drafts: dict[int, dict[str, Any]] = {}  # id → the draft (kept: its id stays unique)
        self._encoded: dict[int, bytes] = {}

    def forget(self, key: int) -> None:
        """Drop a draft no session shows any more (both entries: its id may be reused)."""
        self.drafts.pop(key, None)
        self._encoded.pop(key, None)

    def __call__(
        self, state: Any, data: dict[str, Any] | None, top: dict[str, Any] | None = None
    ) -> Response:
        inner = (data or {}).get("state")
        key = id(inner.get("draft")) if isinstance(inner, dict) else 0
        if key not in self.drafts:
            return self._ok(state, data, top)
        if key not in self._encoded:
            self._encoded[key] = bytes(self._ok(state, data, top).body)
        return Response(self._encoded[key], media_type="application/json")


def big_draft(tracks: int, clips: int, variant: int = 0) -> dict[str, Any]:
    """A timeline of ``tracks`` tracks of ``clips`` one-second clips (the first a video track);
    drafts of different ``variant`` differ in their tracks' names."""
    return {
        "t": [
            {
                "tt": 0 if k == 0 else 1,
                "sg": [
                    {"n": f"clip {k}-{i}", "s": i * 1000, "d": 1000, "src": f"https://cdn.test/{k}/{i}.jpg"}
                    for i in range(clips)
                ],
                "m": {"name": f"Track {k}" + (f" v{variant}" if variant else "")},
            }
            for k in range(tracks)
        ],
        "d": clips * 1000,
        "m": {"w": 1080, "h": 1920, "fps": 30},
    }


def main() -> None:
    session_handlers.copy = _NoCopy  # type: ignore[assignment]
    stored = _StoredAnswers(session_handlers.ok)
    session_handlers.ok = stored  # type: ignore[assignment]
    sim = Simulator(SimConfig(agent_seconds=0.05, render_seconds=0.2)).start()
    print(json.dumps({"base_url": sim.base_url}), flush=True)
    for line in sys.stdin:
        msg = json.loads(line)
        out: dict[str, Any] = {"ok": True}
        if msg["cmd"] == "register":
            out = {"token": sim.state.register_user(credits=float(msg["credits"]))[0]}
        elif msg["cmd"] == "draft":
            draft = big_draft(int(msg["tracks"]), int(msg["clips"]), int(msg.get("variant", 0)))
            stored.drafts[id(draft)] = draft
            with sim.state.lock:
                session = sim.state.sessions[msg["session"]]
                old, session.draft = session.draft, draft
            if old is not draft:
                stored.forget(id(old))  # a long run of new drafts keeps one per session
        elif msg["cmd"] == "configure":
            sim.configure(**msg["fields"])
        elif msg["cmd"] == "renders":
            out = {"n": len(sim.requests("render"))}
        print(json.dumps(out), flush=True)
    sim.stop()


if __name__ == "__main__":
    main()
