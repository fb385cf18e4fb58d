"""Which project (backend session) the user is in, and which language they speak.

:class:`Projects` is the one owner of "the current project": it creates projects (a new
backend session each), switches between them, replaces a session the backend lost, and
mints the link that opens a project in NemoVideo's web editor. The client is told the
session id on every call; nothing else keeps one.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import quote

import anyio
import uuid_utils

from . import asked
from .client import NemoClient
from .config import Settings
from .errors import InputError, NemoError, SessionNotFoundError
from .messages import LANGUAGES, Lang, backend_language, detect_language, parse_language, t
from .naming import name_from, title_from
from .sanitize import clean_text
from .store import Project, Store

# ``Project.named``: 0 a default name ("Video 2"), 1 named by the user's words, GUESSED named from a
# guess at the subject of the first request (no title asked for yet).
GUESSED = 2

log = logging.getLogger(__name__)

T = TypeVar("T")
CLAIM_MARGIN_S = 3600.0  # renew a project link an hour before it expires
DEFAULT_CLIENT = "default"
MAX_CLIENTS = 1000  # client sessions whose current project is remembered (the oldest goes first)
#: The MCP client session a call comes from (the transport's session id; one default for stdio).
#: Set by the MCP layer for each call; background jobs inherit it from the call that started them.
CLIENT: contextvars.ContextVar[str] = contextvars.ContextVar("client", default=DEFAULT_CLIENT)
#: Over HTTP without a session (protocol 2026-07-28) nothing on the wire tells two clients apart
#: (a client's name and version are the same for two copies of it). Such a call is a client of
#: its own, under a fresh key with this prefix, unless it names one of its earlier requests
#: (``request=``, the job_id an answer gave): then it acts for the key that request was asked under.
ANONYMOUS_PREFIX = "call-"


def anonymous_key() -> str:
    """A fresh client key for a call that carries no session and names no earlier request."""
    return ANONYMOUS_PREFIX + uuid_utils.uuid4().hex


def is_anonymous(client: str | None) -> bool:
    return client is not None and client.startswith(ANONYMOUS_PREFIX)


_CJK_NAME = re.compile(r"[\u4e00-\u9fff]")


class Language:
    """The user's language: ``NEMO_LANGUAGE``, else their latest prompt's, else the OS locale."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._override = settings.language
        self._locale = settings.locale_language
        self._store = store
        self._seen = parse_language(store.get("language"))

    def current(self) -> Lang:
        if self._override:
            return self._override
        # A shared store: another instance may have seen this user's newer prompt.
        seen = parse_language(self._store.get("language")) if self._store.shared else self._seen
        return seen or self._locale

    def for_names(self, names: list[str]) -> Lang:
        """The language of an answer to a call that carries none of the user's words (an upload):
        theirs once any request said it; before that, Chinese in a file's name says Chinese
        (play25zh F10: "小猫洗澡前.jpg" was answered in English); else the default. Not kept: the
        user's next words decide."""
        seen = parse_language(self._store.get("language")) if self._store.shared else self._seen
        if self._override or seen:
            return self.current()
        stems = " ".join(re.split(r"[\\/]", name)[-1] for name in names)
        return "zh" if _CJK_NAME.search(stems) else self.current()

    def observe(self, text: str) -> Lang:
        """Follow the language of a prompt (a path or an emoji says nothing: the last one stands)."""
        found = detect_language(text)
        if found is not None and found != self._seen:
            self._seen = found
            self._store.put(language=found)
        return self.current()


def _former_key(name: str) -> str:
    """The store key that keeps a project's former name (one the user was told) finding it."""
    return "former_name:" + name.strip().casefold()


def default_name(n: int, lang: Lang) -> str:
    """The name a project has until the user's words give it one: "Video 3" / "视频 3"."""
    return t("project.default_name", lang, n=n)


def default_names(name: str) -> list[str]:
    """A default name in every language (the user may ask for it in either)."""
    for lang in LANGUAGES:
        pattern = re.escape(t("project.default_name", lang, n="\x00")).replace("\x00", r"(\d+)")
        found = re.fullmatch(pattern, name.strip(), flags=re.IGNORECASE)
        if found:
            return [default_name(int(found.group(1)), other) for other in LANGUAGES]
    return [name]


class Projects:
    """The current project and its backend session. One per server process."""

    def __init__(self, settings: Settings, client: NemoClient, store: Store, language: Language) -> None:
        self.settings = settings
        self.client = client
        self.store = store
        self.language = language
        self._lock = anyio.Lock()
        current = store.get("current_project")
        # Each client session has its own current project; the default (stdio) one is kept across
        # restarts, a transport session's lives as long as the process.
        self._current: dict[str, Project | None] = {
            DEFAULT_CLIENT: store.project(current) if current else None
        }
        self._lost: set[str] = set()  # projects whose session was replaced, not yet told

    @property
    def current(self) -> Project | None:
        client = CLIENT.get()
        if client == DEFAULT_CLIENT and self.store.shared:
            # Hosted mode: every request may land on another instance; the store says which
            # project is current, not what this process saw last.
            current = self.store.get("current_project")
            return self.store.project(current) if current else None
        if is_anonymous(client) and client not in self._current:
            # A call that named none of its requests: the project made current last by any such
            # call (or the one kept across restarts), as for a single client.
            return self._current.get(DEFAULT_CLIENT)
        return self._current.get(client)

    def _set_current(self, project: Project) -> None:
        client = CLIENT.get()
        self._current.pop(client, None)  # re-inserted last: the dict's order is the recency
        self._current[client] = project
        while len(self._current) > MAX_CLIENTS:  # sessions come and go; memory stays bounded
            oldest = next(k for k in self._current if k != DEFAULT_CLIENT)
            del self._current[oldest]
        if is_anonymous(client):
            # Also the project of calls that name no request (see ``current``): a lone client
            # without a session still finds its newest project; one that names its requests
            # keeps its own whatever others do.
            self._current.pop(DEFAULT_CLIENT, None)
            self._current[DEFAULT_CLIENT] = project
        if client == DEFAULT_CLIENT or is_anonymous(client):
            self.store.put(current_project=project.id)

    async def ensure(self, name: str = "") -> Project:
        """The current project, created (a new backend session) if there is none yet."""
        async with self._lock:
            current = self.current
            if current is None:
                current = await self._create(name)
                self._set_current(current)
            return current

    async def new(self, name: str = "") -> Project:
        """Start a new, empty project and make it current. Earlier projects stay listed."""
        async with self._lock:
            created = await self._create(name)
            self._set_current(created)
            return created

    def find(self, ref: str) -> Project:
        """The one project ``ref`` names: an id or a whole name as shown (either language for a
        default name). Several, or only names starting with it: an error listing the candidates."""
        # As shown: "Spring sale ✓" in the list, “Spring sale” / 「春季促销」 in sentences.
        ref = ref.strip().removesuffix("✓").strip().strip("\"'“”「」『』")
        found: list[Project] = []
        for variant in default_names(ref):
            found += [p for p in self.store.find_projects(variant) if p.id not in {f.id for f in found}]
        if len(found) == 1:
            return found[0]
        if not found and (former := self.store.get(_former_key(ref))):
            renamed = self.store.project(former)
            if renamed is not None:
                return renamed  # a name it had when it was said, before a title renamed it
        candidates = found or self.store.projects_starting(ref)
        if len(candidates) == 1:  # only a name starting so: one to name, never "several"
            one = f"“{candidates[0].name}” ({candidates[0].id})"
            raise InputError("input.project_did_you_mean", ref=clean_text(ref, 60), candidate=one)
        if candidates:
            listed = ", ".join(f"“{p.name}” ({p.id})" for p in candidates[:10])
            raise InputError("input.project_ambiguous", ref=clean_text(ref, 60), candidates=listed)
        raise InputError("input.project_unknown", ref=clean_text(ref, 60))

    def switch(self, ref: str) -> Project:
        """Make an earlier project current again (for this client session)."""
        found = self.find(ref)
        self._set_current(found)
        self.store.touch_project(found.id)
        return found

    def restore(self, previous: Project | None) -> None:
        """Make ``previous`` current again (for this client session): a call that switched
        projects and then failed has changed nothing, the current project included."""
        if previous is not None:
            self._set_current(self.store.project(previous.id) or previous)
            return
        client = CLIENT.get()
        self._current[client] = None
        if client == DEFAULT_CLIENT or is_anonymous(client):
            self._current[DEFAULT_CLIENT] = None
            self.store.put(current_project="")

    def name_if_unnamed(self, project: Project, text: str) -> str | None:
        """Called with a project's first request: a project made before it (by an upload) takes
        its name from it, or its default name in the language the user writes in. Never later:
        a later edit's words ("加上字幕「下次见」") describe a change, not the project. Returns the
        name taken from the user's words (to be said), None otherwise."""
        fresh = self.store.project(project.id) or project
        if fresh.named:
            return None
        wanted = name_from(text)
        if not wanted:
            self._default_in_language(fresh)
            return None
        named = self.unique(wanted, project.id)
        if named != fresh.name:
            # Its default name may have been said already (a "working" answer given before
            # NemoVideo took the request, an upload's answer): it keeps finding the project.
            self.store.put(**{_former_key(fresh.name): project.id})
        # Named from a title the user asked for, or only from a guess at the subject (which the
        # first title asked for later replaces: see name_from_title).
        self.store.touch_project(project.id, name=named, named=1 if title_from(text) else GUESSED)
        self._refresh(project.id)
        return named if named != fresh.name else None

    def name_from_title(self, project: Project, text: str) -> str | None:
        """A project named only from a guess at its subject ("Saturday Sunrise Paddle") takes the
        first title a later request asks for ("change the title to 'Sunrise Paddle - Sat 6:30am'"):
        the name the user will call it by. Returns the new name (to be said), None otherwise."""
        fresh = self.store.project(project.id) or project
        stated = asked.read(text)
        if stated.named_only and stated.named_only.casefold() != fresh.name.casefold():
            # "这个视频就叫「王姐六十大寿」吧": the video named in so many words, whatever it was
            # called (play28zh F9: the answer said "the video's name X" of a project left "视频 2").
            wanted = stated.named_only
        elif fresh.named != GUESSED:
            return None
        else:
            wanted = stated.title or stated.given_name or ""
        if not wanted or wanted.casefold() == fresh.name.casefold():
            return None
        named = self.unique(wanted, project.id)
        # The guessed name was said ("use that name with project="): it keeps finding the project
        # (play26en F2: "Moms bday", renamed “Happy Bday Mom”, was then "no project called").
        self.store.put(**{_former_key(fresh.name): project.id})
        self.store.touch_project(project.id, name=named, named=1)
        self._refresh(project.id)
        return named

    def name_as_told(self, project: Project, text: str) -> Project:
        """A request not sent (refused for its cost) that names the video in so many words
        ("called 'Holiday teaser'", 叫「开业倒计时」) still names a project that has no name yet
        and no request sent: the user named it, and will ask for it by that name. A subject is
        not enough here; the request that runs names it as usual."""
        fresh = self.store.project(project.id) or project
        wanted = title_from(text)
        if fresh.named or self.store.has_turns(project.id):
            return fresh
        if not wanted:  # unnamed still, but its default name in the language the user writes in
            self._default_in_language(fresh)
            return self.store.project(project.id) or fresh
        self.store.touch_project(project.id, name=self.unique(wanted, project.id), named=1)
        self._refresh(project.id)
        return self.store.project(project.id) or fresh

    def _default_in_language(self, project: Project) -> None:
        """An unnamed project's default name ("Video 2") in the user's language ("视频 2")."""
        numbers = re.findall(r"\d+", project.name)
        wanted = default_name(int(numbers[-1]), self.language.current()) if numbers else ""
        if not wanted or wanted == project.name or self.store.name_taken(wanted, project.id):
            return
        self.store.touch_project(project.id, name=wanted)  # still a default: named stays 0
        self._refresh(project.id)

    def unique(self, name: str, but: str | None = None) -> str:
        """``name``, or ``name 2``, ``name 3``… when another project has it."""
        candidate, n = name, 2
        while self.store.name_taken(candidate, but):
            candidate = f"{name} {n}"
            n += 1
        return candidate

    async def _create(self, name: str) -> Project:
        lang = self.language.current()
        info = await self.client.create_session(backend_language(lang))
        project_id = f"prj_{uuid_utils.uuid7().hex[-10:]}"
        wanted = name_from(name)
        if wanted:
            chosen = self.unique(wanted)
        else:
            n = self.store.project_count() + 1
            while self.store.name_taken(default_name(n, lang)):
                n += 1
            chosen = default_name(n, lang)
        self.store.add_project(project_id, info.session_id, info.task_id, chosen, lang, named=bool(wanted))
        created = self.store.project(project_id)
        assert created is not None
        log.info("new project %s (session %s)", project_id, info.session_id)
        return created

    def _refresh(self, project_id: str) -> None:
        for client, project in self._current.items():
            if project is not None and project.id == project_id:
                self._current[client] = self.store.project(project_id) or project

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
        ``project`` is a row just read from the store (its claim token is current). None for a
        team member (a client with a quota): the editor works on the team's token, and what is done
        there would pass neither the member's quota nor its gate, so it is the team owner's."""
        if self.client.quota is not None:
            return None
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
