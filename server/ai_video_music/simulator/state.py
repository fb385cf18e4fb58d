"""Everything the simulator knows, and the lock-guarded operations tests and admin routes use."""

from __future__ import annotations

import contextlib
import dataclasses
import random
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uuid_utils

from .config import CONFIG_FIELDS, SimConfig, coerce
from .faults import Faults
from .gates import GATED_ROUTES, Gate
from .progress import ProgressStyle

FPS = 30  # the frame rate drafts declare


@dataclass
class User:
    user_id: str
    credits: float
    registered: bool
    client_id: str | None = None
    frozen: float = 0


@dataclass
class MediaFile:
    """An uploaded file's bytes, kept on disk so renders can show the real picture."""

    url: str
    kind: str  # "image" | "video" | "audio"
    name: str
    path: Path | None  # None: described but not kept (too large, or uploaded by URL)


def new_draft(width: int, height: int) -> dict[str, Any]:
    return {"t": [], "d": 0, "m": {"w": width, "h": height, "fps": FPS}}


@dataclass
class Session:
    session_id: str
    task_id: str
    user_id: str
    language: str
    draft: dict[str, Any]
    uploads: list[dict[str, Any]] = field(default_factory=list)
    generated_media: list[dict[str, Any]] = field(default_factory=list)

    def canvas(self) -> dict[str, int]:
        meta = self.draft.get("m") or {}
        return {"width": int(meta.get("w") or 0), "height": int(meta.get("h") or 0)}


@dataclass
class RenderJob:
    id: str
    session_id: str
    started: float
    seconds: float  # the minimum time before it completes (inf: never, the "slow" fault)
    fail: bool = False
    status: str = "pending"
    work: float = 0.0  # share of the frames rendered, 0-1
    rendering: bool = False
    done: bool = False
    elapsed_render: float = 0.0  # seconds the worker spent encoding
    finished_at: float | None = None  # when the worker was done with it (time.time())
    error: str | None = None
    path: Path | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)  # the worker is done with it
    gate: Gate | None = None  # held by a test: stays "processing" until released
    style: ProgressStyle = ProgressStyle.SMOOTH  # how its polls report progress (fixed at submit)

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "session_id": self.session_id,
            "status": self.status,
            "work": round(self.work, 3),
            "render_seconds": round(self.elapsed_render, 3),
            "error": self.error,
        }


class SimState:
    """Mutated by the endpoints (server thread) and by tests and admin routes (any thread).

    Mutations of shared tables go through ``lock``; ``reset`` swaps every table for a fresh one
    so a turn still streaming from a finished test writes to tables nobody reads.
    """

    def __init__(self, config: SimConfig | None = None, workdir: Path | None = None) -> None:
        self.lock = threading.RLock()
        self.faults = Faults(self.lock)
        self.workdir = workdir or Path()
        self.storage_origin = ""
        self.storage_port = 0
        self._pool: ThreadPoolExecutor | None = None
        self._clear(config or SimConfig())

    def _clear(self, config: SimConfig) -> None:
        self.config = dataclasses.replace(config)
        self.rng = random.Random(self.config.seed)  # noqa: S311 - variety, not security
        self.tokens: dict[str, tuple[str, float]] = {}  # token -> (user_id, expires_at)
        self.users: dict[str, User] = {}
        self.sessions: dict[str, Session] = {}
        self.claims: dict[str, str] = {}  # claim token -> session id
        self.renders: dict[str, RenderJob] = {}
        self.media: dict[str, MediaFile] = {}  # url -> file
        self.requests: list[dict[str, Any]] = []
        self.anon_issued: list[tuple[float, str]] = []
        self.anon_by_address: list[tuple[float, str]] = []  # (when, client address)
        self.next_no_text: bool | None = None
        self.next_lie: bool | None = None
        self.next_overreach = False  # the next edit also swaps the music (simulator/agent.overreach)
        self.agent_turns: list[tuple[float, float]] = []  # (start, end) of each agent stream
        self.gates: dict[str, Gate] = {}

    # --- what tests and the admin routes call -------------------------------------------------

    def reset(self, config: SimConfig | None = None) -> None:
        """Forget everything (users, sessions, renders, faults, log) and start from ``config``."""
        with self.lock:
            for job in self.renders.values():
                job.cancel.set()
            for gate in self.gates.values():
                gate.release()
            media = [m.path for m in self.media.values() if m.path is not None]
            self.faults.clear()
            self._clear(config or SimConfig())
        for path in media:
            with contextlib.suppress(OSError):
                shutil.rmtree(path.parent)

    def configure(self, **values: Any) -> dict[str, Any]:
        """Change config fields (and the one-shot ``next_no_text`` / ``next_lie`` / ``next_overreach``)."""
        unknown = set(values) - CONFIG_FIELDS - {"next_no_text", "next_lie", "next_overreach"}
        if unknown:
            raise ValueError(f"unknown simulator settings: {', '.join(sorted(unknown))}")
        one_shot = ("next_no_text", "next_lie", "next_overreach")
        checked = {k: v if k in one_shot else coerce(k, v) for k, v in values.items()}
        with self.lock:
            for key, value in checked.items():
                if key == "next_overreach":
                    self.next_overreach = bool(value)
                elif key in one_shot:
                    setattr(self, key, None if value is None else bool(value))
                else:
                    setattr(self.config, key, value)
            return dataclasses.asdict(self.config)

    def log(self, route: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(r) for r in self.requests if route is None or r["route"] == route]

    def hold(self, route: str, *, during_call: bool = False) -> Gate:
        if route not in GATED_ROUTES:
            raise ValueError(f"only {', '.join(GATED_ROUTES)} can be held")
        gate = Gate(route, during_call=during_call)
        with self.lock:
            previous = self.gates.get(route)
            if previous is not None:
                previous.release()
            self.gates[route] = gate
        return gate

    def holding(self, route: str) -> bool:
        """True while a request waits at ``route``'s gate until the test lets go, and the test
        won't do so while a tool call waits on it."""
        with self.lock:
            gate = self.gates.get(route)
        return gate is not None and not gate.during_call and not gate.released and gate.entries > 0

    def gate(self, route: str) -> Gate | None:
        with self.lock:
            gate = self.gates.get(route)
            if gate is not None and gate.released:
                del self.gates[route]
                return None
            return gate

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = {t: (u, 0.0) for t, (u, _) in self.tokens.items()}

    def drop_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    def set_credits(self, available: float) -> None:
        with self.lock:
            for user in self.users.values():
                user.credits = float(available)

    def register_user(self, credits: float = 1000) -> tuple[str, str]:
        """A registered (non-anonymous) user; returns (token, user_id)."""
        with self.lock:
            user = User(f"reg_{uuid_utils.uuid4().hex[:10]}", float(credits), True)
            self.users[user.user_id] = user
            token = f"nmv_reg_{uuid_utils.uuid4().hex}"
            self.tokens[token] = (user.user_id, time.time() + self.config.token_ttl)
        return token, user.user_id

    # --- the render worker --------------------------------------------------------------------

    def pool(self) -> ThreadPoolExecutor:
        """One render at a time, like a queue at the service; created on first use."""
        with self.lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sim-render")
            return self._pool

    def close(self) -> None:
        with self.lock:
            for job in self.renders.values():
                job.cancel.set()
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
