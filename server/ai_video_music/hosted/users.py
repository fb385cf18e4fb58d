"""Each signed-in user's own MCP server: their NemoClient (with their NemoVideo token) and their
own state folder, built the way the local server is.

A user's projects, requests, uploads and renders are their rows in the PostgreSQL store
(:class:`~.store_pg_work.PgStore`), shared by every instance; only caches (previews) stay in a
folder named by the user's opaque id under ``<NEMO_HOME>/hosted/users/``.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import anyio
from anyio.abc import TaskGroup
from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from psycopg_pool import ConnectionPool
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from ..client import NemoClient
from ..config import Settings
from ..tools import create_server
from ..uploads import UploadPages
from .accounts import Kind, User
from .free import FreeClient
from .store_pg_work import PgStore
from .team import TeamClient, TeamLedger

log = logging.getLogger(__name__)


def user_settings(base: Settings, state_dir: Path, user: User) -> Settings:
    """The local settings, made this user's: their token, their folders."""
    home = state_dir / "users" / user.id
    return replace(
        base,
        token=user.nemo_token,
        home=home,
        output_dir=home / "exports",
        exports_as_links=True,
        token_from_signin=True,
        files_by_path=False,
    )


def client_for(user: User, team: TeamLedger | None) -> Callable[[Settings], NemoClient] | None:
    """A user's NemoVideo client by the kind of account: a team member's reads their quota as the
    balance and records each request's cost; a free account's says how to register it."""
    if user.kind is Kind.TEAM:
        if team is None:
            raise RuntimeError("a team member without a team ledger")
        ledger = team
        return lambda conf: TeamClient(conf, ledger, user.id)
    if user.kind is Kind.FREE:
        return lambda conf: FreeClient(conf, user.nemo_user_id)
    return None


def service_for(
    user: User,
    base: Settings,
    state_dir: Path,
    store_pool: ConnectionPool,
    team: TeamLedger | None = None,
    upload_pages: UploadPages | None = None,
) -> MCPServer[Any]:
    """The one place that builds a user's tools (the integrator re-points this when the
    service's construction changes): their settings, their client, their rows of the shared
    store, their upload pages."""
    return create_server(
        user_settings(base, state_dir, user),
        client_factory=client_for(user, team),
        store_factory=lambda conf: PgStore(store_pool, user.id, conf.home),
        upload_pages=upload_pages,
    )


def built_for(user: User) -> str:
    """What a user's server was built with (their kind of account and NemoVideo token), as a
    digest: a server built for other facts must not answer this user's requests."""
    facts = f"{user.kind}\0{user.nemo_user_id or ''}\0{user.nemo_token}".encode()
    return hashlib.blake2b(facts, digest_size=16).hexdigest()


@dataclass
class _Running:
    manager: StreamableHTTPSessionManager
    built_for: str = ""
    stop: anyio.Event = field(default_factory=anyio.Event)
    started: bool = False
    in_flight: int = 0
    last_used: float = 0.0
    retired: bool = False  # replaced: stops once its requests in flight are done


async def too_many(scope: Scope, receive: Receive, send: Send) -> None:
    """A user's requests at once are all taken: try again in a moment."""
    busy = JSONResponse({"error": "too_many_requests"}, status_code=429, headers={"Retry-After": "5"})
    await busy(scope, receive, send)


class UserServers:
    """Starts a user's server on their first request; stops it when idle for ``idle_after``
    seconds (longer than any agent turn or render, so no background work is cut short; what
    a stopped server knew is in the user's store and comes back with the next request).

    At most ``max_resident`` servers stay in memory (each is about half a megabyte, and accounts
    are cheap to make): a new user's server replaces the least recently used one with no request
    in flight. Its user's next call builds it again from the store; a turn or render it was
    following is picked up from the store and the backend as after an instance restart. With
    every resident server busy, the cap is passed for a moment rather than a user refused."""

    def __init__(
        self,
        base: Settings,
        state_dir: Path,
        security: TransportSecuritySettings,
        store_pool: ConnectionPool,
        *,
        idle_after: float = 3600.0,
        max_resident: int = 500,
        requests_per_user: int = 8,
        clock: Callable[[], float] = time.monotonic,
        team: TeamLedger | None = None,
        upload_pages: Callable[[str], UploadPages] | None = None,
    ) -> None:
        """``upload_pages``: a user's upload pages, by their id (hosted mode's ``upload``)."""
        self.team = team
        self.upload_pages = upload_pages
        self.base = base
        self.state_dir = state_dir
        self.store_pool = store_pool
        self.security = security
        self.idle_after = idle_after
        self.max_resident = max_resident
        self.requests_per_user = requests_per_user
        self._clock = clock
        self._running: dict[str, _Running] = {}
        self._slots: dict[str, int] = {}  # a user's requests at once, from before their body is read
        self._lock = anyio.Lock()
        self._tg: TaskGroup | None = None

    @property
    def resident(self) -> int:
        """How many users' servers are in memory."""
        return len(self._running)

    @property
    def in_flight(self) -> int:
        """Requests being served now, over every user's server."""
        return sum(r.in_flight for r in self._running.values())

    @asynccontextmanager
    async def run(self) -> AsyncIterator[None]:
        async with anyio.create_task_group() as tg:
            self._tg = tg
            try:
                yield
            finally:
                self._tg = None
                tg.cancel_scope.cancel()

    @contextmanager
    def slot(self, user_id: str) -> Iterator[bool]:
        """One of the user's ``requests_per_user`` requests at once, taken before anything of the
        request is waited for (its body included): False when they have them all. Without it, one
        user sending headers and no body holds as many of the instance's slots as they open
        (attack18 B1)."""
        held = self._slots.get(user_id, 0)
        if held >= self.requests_per_user:
            yield False
            return
        self._slots[user_id] = held + 1
        try:
            yield True
        finally:
            left = self._slots[user_id] - 1
            if left:
                self._slots[user_id] = left
            else:
                del self._slots[user_id]

    async def handle(self, user: User, scope: Scope, receive: Receive, send: Send) -> None:
        running = await self._get(user)
        if running.in_flight >= self.requests_per_user:
            await too_many(scope, receive, send)
            return
        running.in_flight += 1
        try:
            await running.manager.handle_request(scope, receive, send)
        finally:
            running.in_flight -= 1
            running.last_used = self._clock()
            if running.retired and running.in_flight == 0:
                running.stop.set()

    async def _get(self, user: User) -> _Running:
        async with self._lock:
            self._stop_idle()
            found = self._running.get(user.id)
            facts = built_for(user)
            if found is not None and found.built_for == facts:
                found.last_used = self._clock()
                return found
            if found is not None:
                # The user's token changed (a pasted one replaced a free account, on this instance
                # or another): the next request is served with the new one, never the old.
                del self._running[user.id]
                found.retired = True
                if found.in_flight == 0:
                    found.stop.set()
            if self._tg is None:
                raise RuntimeError("user servers are not running")
            if len(self._running) >= self.max_resident:
                self._evict_least_recent()
            pages = self.upload_pages(user.id) if self.upload_pages is not None else None
            server = service_for(user, self.base, self.state_dir, self.store_pool, self.team, pages)
            # Stateless: no session lives in this process between requests.
            server.streamable_http_app(stateless_http=True, transport_security=self.security)
            running = _Running(server.session_manager, facts, last_used=self._clock())
            ready = anyio.Event()
            self._tg.start_soon(self._serve, user.id, running, ready)
            await ready.wait()
            if not running.started:
                raise RuntimeError("a user's server failed to start (see the log)")
            self._running[user.id] = running
            return running

    def _stop_idle(self) -> None:
        now = self._clock()
        for user_id, running in list(self._running.items()):
            if running.in_flight == 0 and now - running.last_used > self.idle_after:
                del self._running[user_id]
                running.stop.set()

    def _evict_least_recent(self) -> None:
        idle = [(r.last_used, user_id) for user_id, r in self._running.items() if r.in_flight == 0]
        if not idle:
            log.warning(
                "%d users' servers all busy: over the cap of %d for now",
                len(self._running),
                self.max_resident,
            )
            return
        _, user_id = min(idle)
        self._running.pop(user_id).stop.set()

    async def _serve(self, user_id: str, running: _Running, ready: anyio.Event) -> None:
        try:
            async with running.manager.run():
                running.started = True
                ready.set()
                await running.stop.wait()
        except Exception:
            # One user's failure must not take the task group (every other user) down with it.
            log.exception("a user's server stopped")
        finally:
            ready.set()  # never leave a waiter hanging if start failed
            if self._running.get(user_id) is running:
                del self._running[user_id]

    async def forget(self, user_id: str) -> None:
        """Stop a user's server (their token was forgotten): nothing keeps it in memory."""
        async with self._lock:
            running = self._running.pop(user_id, None)
        if running is not None:
            running.stop.set()
