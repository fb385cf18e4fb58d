"""What every part of the service shares: settings, the backend client, the store, the current
project and language, the job runner and the render tracker, and the small reads they all make.

One :class:`Shared` per server process; the concern modules (turns, uploads, exports, cancel,
status) each take it instead of reaching into one another.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import anyio

from .client import NemoClient
from .config import Settings, resolve_output_dir
from .costs import more_credits, said_registered
from .drafts import Drafts
from .errors import NemoError
from .jobs import Jobs, Reporter
from .linkcheck import link_facts
from .messages import LANGUAGES, Lang, Msg, t
from .models import Credits, SessionState
from .outputs import ProjectView
from .projects import CLIENT, Language, Projects
from .quota import quota_more
from .renders import Renders
from .store import Generation, Project, Store

log = logging.getLogger(__name__)

# A rise of the balance this large, on an anonymous token, is a registration (a refund of one
# request is at most a generation's ~100; registering gives ~1000).
REGISTERED_RISE = 300.0
TURN_STALE_S = 90.0  # an agent turn whose process stopped beating this long ago is lost
RESERVE_S = 2.0  # budget kept for the reads a tool makes after waiting on a job
PREPARING_POLL_S = 0.05  # how often a turn still being prepared is looked at by a request behind it


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


class Shared:
    """The service's parts and the reads every tool makes."""

    def __init__(self, settings: Settings, client: NemoClient, store: Store, jobs: Jobs) -> None:
        self.settings = settings
        self.client = client
        self.store = store
        self.language = Language(settings, store)
        self.projects = Projects(settings, client, store, self.language)
        self.jobs = jobs
        self.renders = Renders(
            client,
            store,
            jobs,
            output_dir=self.output_dir,
            render_timeout=settings.render_timeout,
            poll_floor=settings.poll_interval,
            preview_dir=settings.home / "previews",
            check_link=partial(link_facts, client) if settings.exports_as_links else None,
        )
        self.drafts = Drafts()  # each draft's facts, worked out once and off the event loop
        client.registered_user = store.get("registered_user") or None  # seen in an earlier run
        self._out_dir: Path | None = None
        # Since when "this conversation" counts (stdio: one process; over HTTP a client session's
        # id already names one conversation, and this only keeps an old one's out).
        self.started = time.time()
        self.notices: list[Msg] = []  # said once, at the top of the next answer (a store moved aside…)
        self.upload_page = False  # hosted mode: files from the user's device come through a page
        # Starts following a turn taken over from a dead reader (set by the service, which has
        # the turns part; Shared can't import it).
        self.take_over: Callable[[Generation], None] | None = None
        # The balance's total as last read, and when: a later read above it means credits were
        # added in between (requests only ever lower it), which the credits answer says.
        self.credits_seen: tuple[float, float] | None = None
        # The balance's total at this session's first read, and what was added since: the fall
        # of the balance over the session, whatever requests' own costs could be told apart.
        self.credits_first: float | None = None
        self.credits_added = 0.0

    def lang(self) -> Lang:
        return self.language.current()

    def reserve(self) -> float:
        """Budget kept for the reads a tool makes after waiting on a job (a state read, a link)."""
        return min(RESERVE_S, self.settings.tool_budget / 4)

    def output_dir(self) -> Path:
        """The export folder, resolved once (a probe write), again only if it stops working."""
        if self._out_dir is None or not self._out_dir.is_dir():
            self._out_dir = resolve_output_dir(self.settings)
        return self._out_dir

    def recover(self) -> None:
        """Pick up what a dead process left: open renders, agent turns that lost their process."""
        self.settle_dead_turns()
        self.renders.resume()

    def take_over_dead(self) -> None:
        """Sent turns whose reader is gone (hosted: its instance died) are followed from here
        in NemoVideo's state until the agent's result shows; never sent again."""
        if self.take_over is not None:
            for gen in self.store.take_over_turns(TURN_STALE_S):
                self.take_over(gen)

    def settle_dead_turns(self) -> None:
        """Turns whose reader is gone: taken over where the store allows it, else told as
        interrupted (a fact found out, not a change)."""
        self.take_over_dead()
        self.store.interrupt_dead_turns(TURN_STALE_S)

    def project_started(self, lang: Lang) -> str:
        """Said when a new project was just made: earlier ones are kept (named only if any)."""
        earlier = self.store.recent_projects(2)[1] > 1
        return t("project.started" if earlier else "project.started_first", lang)

    def take_notices(self, lang: Lang) -> list[str]:
        notes, self.notices = [m.render(lang) for m in self.notices], []
        return notes

    @property
    def team_member(self) -> bool:
        """A hosted team member: spends the team's token within a quota of their own."""
        return self.client.quota is not None

    def more_credits(self, lang: Lang) -> str:
        if self.client.quota is not None:  # a team member: their quota, not the team's balance
            return quota_more(self.client.quota, lang)
        if self.client.unregistered and self.store.get(self._register_key()):
            # The paragraph was said once in this conversation: a line with the link, no more
            return t("cost.register.again", lang, link=self.client.registration_link())
        return more_credits(self.client.unregistered, self.client.registration_link, lang)

    def _register_key(self) -> str:
        return f"register_told:{self.client.anonymous_user or '*'}:{CLIENT.get() or ''}"

    def told(self, text: str) -> None:
        """An answer was given: when it said how to register in full, later answers of this
        conversation say it in a line (play25en F7: the paragraph in every answer)."""
        if not self.client.unregistered or self.client.quota is not None:
            return
        link = self.client.registration_link()
        if any(t("cost.register", lang, link=link) in text for lang in LANGUAGES):
            self.store.put(**{self._register_key(): "1"})

    def said_registered(self, prompt: str) -> None:
        """The user says they registered ("I just registered", "我注册好了"): the way to more credits
        is a top-up from now on, never "register" again (play25en F7)."""
        if self.client.unregistered and said_registered(prompt):
            self.store.put(registered_user=self.client.mark_registered())

    async def state(self, project: Project) -> SessionState:
        return await self.projects.call(project, self.client.state)

    async def has_video(self, state: SessionState | None) -> bool:
        """Whether the timeline has a video clip: read through the drafts table (off the event
        loop, once per draft: a 7 MB draft held the loop for seconds when read here)."""
        if state is None:
            return False
        tl = (await self.drafts.facts(state.draft, state.canvas)).timeline
        return any(tr.kind == "video" and tr.segments for tr in tl.tracks)

    async def state_or_none(self, project: Project) -> SessionState | None:
        try:
            return await self.state(project)
        except NemoError as err:
            log.info("timeline not read: %s", err)
            return None

    async def read_credits(self) -> Credits:
        """The balance now, remembered (``credits_seen``) for the next read to compare with."""
        c = await self.client.credits()
        total = c.total if c.total is not None else c.available + c.frozen
        if self.credits_seen is not None and total >= self.credits_seen[0] + REGISTERED_RISE:
            # An anonymous token's account gains credits only by its user registering (the API
            # never says so): from now on the way to more is a top-up, not "register".
            self.store.put(registered_user=self.client.mark_registered())
        if self.credits_first is None:
            self.credits_first = total
        elif self.credits_seen is not None and total > self.credits_seen[0]:
            self.credits_added += total - self.credits_seen[0]
        self.credits_seen = (total, time.time())
        return c

    async def balance_or_none(self) -> float | None:
        try:
            return (await self.read_credits()).available
        except NemoError as err:
            log.info("balance not read: %s", err)
            return None

    async def project_view(self, project: Project | None, *, link: bool = False) -> ProjectView | None:
        """A project as answers show it (read again: a name or link may have come since)."""
        if project is None:
            return None
        fresh = self.store.project(project.id) or project
        return self.view(fresh, await self.projects.link(fresh) if link else None)

    def view(self, row: Project, url: str | None = None) -> ProjectView:
        current = self.projects.current
        return ProjectView(
            id=row.id,
            name=row.name or t("project.unnamed", self.lang()),
            created_at=iso(row.created_at),
            current=current is not None and current.id == row.id,
            project_url=url,
        )

    def project_name(self, project_id: str | None) -> str:
        row = self.store.project(project_id) if project_id else None
        return (row.name if row is not None else "") or t("project.unnamed", self.lang())

    async def wait_turn(self, gen_id: str, report: Reporter, lang: Lang, deadline: float) -> bool:
        """Wait for a turn to end: this process's job, or another process's row in the store."""
        while time.monotonic() < deadline:
            job = self.jobs.get(gen_id)
            if job is not None:  # this process's (its job is spawned once the turn is sent)
                return await self.jobs.wait([job], report, lang, deadline)
            gen = self.store.generation(gen_id)
            if gen is None or gen.status != "running":
                return True
            await report(0, None, t("agent.waiting_other", lang))
            with anyio.move_on_after(min(1.0, deadline - time.monotonic())):
                if gen.sent_at is None:
                    await self._sent(gen_id)
                else:
                    await anyio.sleep_forever()
            self.settle_dead_turns()
        return False

    async def _sent(self, gen_id: str) -> None:
        """Returns once a turn being prepared (its timeline and balance read before it is sent, a
        fraction of a second) is sent or settled, or has its job here: a request waiting behind
        it then waits on that job, not for the next second's look at the store."""
        while self.jobs.get(gen_id) is None:
            gen = self.store.generation(gen_id)
            if gen is None or gen.status != "running" or gen.sent_at is not None:
                return
            await anyio.sleep(PREPARING_POLL_S)
