"""Which project (backend session) the user is in, and which language they speak.

:class:`Projects` is the one owner of "the current project": it creates projects (a new
backend session each), switches between them, replaces a session the backend lost, and
mints the link that opens a project in NemoVideo's web editor. The client is told the
session id on every call; nothing else keeps one.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import quote

import anyio
import uuid_utils

from .client import NemoClient
from .config import Settings
from .errors import InputError, NemoError, SessionNotFoundError
from .messages import Lang, backend_language, detect_language, parse_language
from .sanitize import clean_text
from .store import Project, Store

log = logging.getLogger(__name__)

T = TypeVar("T")
CLAIM_MARGIN_S = 3600.0  # renew a project link an hour before it expires
NAME_CHARS = 32


class Language:
    """The user's language: ``NEMO_LANGUAGE``, else their latest prompt's, else the OS locale."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._override = settings.language
        self._locale = settings.locale_language
        self._store = store
        self._seen = parse_language(store.get("language"))

    def current(self) -> Lang:
        return self._override or self._seen or self._locale

    def observe(self, text: str) -> Lang:
        """Follow the language of a prompt (a path or an emoji says nothing: the last one stands)."""
        found = detect_language(text)
        if found is not None and found != self._seen:
            self._seen = found
            self._store.put(language=found)
        return self.current()


def name_from(text: str) -> str:
    """A project name from the user's words: the first line, short."""
    line = clean_text(text).strip().splitlines()[0] if text.strip() else ""
    line = re.sub(r"\s+", " ", line).rstrip(" .,;:!?。，；：！？")
    return line if len(line) <= NAME_CHARS else line[: NAME_CHARS - 1].rstrip() + "…"


class Projects:
    """The current project and its backend session. One per server process."""

    def __init__(self, settings: Settings, client: NemoClient, store: Store, language: Language) -> None:
        self.settings = settings
        self.client = client
        self.store = store
        self.language = language
        self._lock = anyio.Lock()
        current = store.get("current_project")
        self._current: Project | None = store.project(current) if current else None
        self._lost: set[str] = set()  # projects whose session was replaced, not yet told

    @property
    def current(self) -> Project | None:
        return self._current

    async def ensure(self, name: str = "") -> Project:
        """The current project, created (a new backend session) if there is none yet."""
        async with self._lock:
            if self._current is None:
                self._current = await self._create(name)
            return self._current

    async def new(self, name: str = "") -> Project:
        """Start a new, empty project and make it current. Earlier projects stay listed."""
        async with self._lock:
            self._current = await self._create(name)
            return self._current

    def switch(self, ref: str) -> Project:
        """Make an earlier project current again, by id or (start of its) name."""
        found = self.store.find_project(ref)
        if found is None:
            raise InputError("input.project_unknown", ref=clean_text(ref, 60))
        self._current = found
        self.store.put(current_project=found.id)
        self.store.touch_project(found.id)
        return found

    def name_if_unnamed(self, project: Project, text: str) -> None:
        """A project is named by its first request (or title) until then it has no name."""
        if not project.name and name_from(text):
            self.store.touch_project(project.id, name=name_from(text))
            self._refresh(project.id)

    async def _create(self, name: str) -> Project:
        lang = self.language.current()
        info = await self.client.create_session(backend_language(lang))
        project_id = f"prj_{uuid_utils.uuid7().hex[-10:]}"
        self.store.add_project(project_id, info.session_id, info.task_id, name_from(name), lang)
        self.store.put(current_project=project_id)
        created = self.store.project(project_id)
        assert created is not None
        log.info("new project %s (session %s)", project_id, info.session_id)
        return created

    def _refresh(self, project_id: str) -> None:
        if self._current is not None and self._current.id == project_id:
            self._current = self.store.project(project_id) or self._current

    async def call(self, project: Project, fn: Callable[[str], Awaitable[T]]) -> T:
        """``fn(session_id)`` for ``project``; if the backend lost the session, open a new one
        (unless another call or process already did) and call once more."""
        try:
            return await fn(project.session_id)
        except SessionNotFoundError:
            replaced = await self.replace_session(project)
            return await fn(replaced.session_id)

    async def replace_session(self, lost: Project) -> Project:
        """Open a new session for a project the backend forgot (unless another call or process did)."""
        async with self._lock:
            fresh = self.store.project(lost.id) or lost
            if fresh.session_id == lost.session_id:
                info = await self.client.create_session(backend_language(self.language.current()))
                winner = self.store.swap_session(lost.id, lost.session_id, info.session_id, info.task_id)
                if winner == info.session_id:
                    log.warning(
                        "session %s was lost; project %s continues in %s", lost.session_id, lost.id, winner
                    )
                    self._lost.add(lost.id)
            self._refresh(lost.id)
            replaced = self.store.project(lost.id)
            assert replaced is not None
            return replaced

    def take_lost_notice(self, project_id: str) -> bool:
        """True once after the backend lost this project's session and a new one began."""
        if project_id in self._lost:
            self._lost.discard(project_id)
            return True
        return False

    async def link(self, project: Project) -> str | None:
        """The link that opens the project in NemoVideo's web editor (a claim token, never ours).
        ``project`` is a row just read from the store (its claim token is current)."""
        now = time.time()
        claim, expires_at = project.claim_token, project.claim_expires
        if claim and (expires_at is None or expires_at - CLAIM_MARGIN_S > now):
            return self._url(claim)
        try:
            grant = await self.client.claim_token(project.task_id, project.session_id)
        except NemoError as err:
            log.info("no project link this time: %s", err)
            return self._url(project.claim_token) if project.claim_token else None
        expires = now + grant.expires_in if grant.expires_in else None
        self.store.touch_project(project.id, claim_token=grant.claim_token, claim_expires=expires)
        return self._url(grant.claim_token)

    def _url(self, claim: str) -> str:
        return f"{self.settings.web_url}/workspace/claim?ct={quote(claim, safe='')}"
