"""What each tool does: projects, agent turns, uploads, status, credits, exports, cancel.

The actions keep the conversation true: a request is never sent twice (a repeat attaches to
the one already sent), every agent turn is checked against the timeline (what changed, and
whether the agent's claims landed), an export never delivers a render older than the
timeline, and every text the server writes is in the user's language.
"""

from __future__ import annotations

import glob
import json
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import anyio.abc
import uuid_utils

from . import budget
from .client import NemoClient, check_upload_url
from .config import Settings, resolve_output_dir
from .errors import (
    BadResponseError,
    ConnectionFailedError,
    InputError,
    NemoError,
    NothingToExportError,
    RenderFailedError,
    ServerError,
    SessionNotFoundError,
    TimeLimitError,
)
from .jobs import Job, Jobs, Reporter, no_progress
from .media import MAX_FILES_PER_UPLOAD, check_upload_file
from .messages import Lang, Msg, msg, t
from .models import SessionState, UploadedFile
from .outputs import (
    CreditsOutput,
    ExportItem,
    ExportOutput,
    GenerateOutput,
    MediaItem,
    ProjectView,
    Segment,
    StatusOutput,
    TimelineView,
    Track,
    TurnAnswer,
    UploadOutput,
)
from .projects import Language, Projects
from .renders import Renders
from .router import Action, route
from .sanitize import cap, clean_text
from .sse import AgentEvent, HeartbeatEvent, TextEvent, ToolCallEvent
from .store import OPEN_RENDER, Generation, Project, Render, Store
from .timeline import Timeline, diff, fingerprint, is_exportable, read_timeline, summary, track_label
from .translate import claims_change, translate

log = logging.getLogger(__name__)

MAX_PROMPT_CHARS = 8000
FORMATS = ("mp4",)
QUALITIES = ("high", "medium", "low")
GENERATION_COST = 100  # credits, about, per generated clip (the service's own skill)
EDIT_COST = 50  # credits, about, per editing request
TURN_STALE_S = 90.0  # an agent turn whose process stopped beating this long ago is lost
HEARTBEAT_S = 10.0
PAGE_SIZE = 20
MEDIA_SHOWN = 20
PROJECTS_SHOWN = 10
MAX_GLOB_MATCHES = MAX_FILES_PER_UPLOAD
GLOB_SECONDS = 10.0
RESERVE_S = 2.0  # budget kept for the reads a tool makes after waiting on a job

Roots = Callable[[], Awaitable[list[Path]]]


def prompt_key(prompt: str) -> str:
    """Two prompts that differ only in case, spacing or end punctuation are the same request."""
    return re.sub(r"\s+", " ", prompt.casefold()).strip().rstrip(".!?。！？ ")


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _dump(draft: dict[str, Any] | None) -> str | None:
    return None if draft is None else json.dumps(draft, ensure_ascii=False)


def _load(raw: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def timeline_view(tl: Timeline, lang: Lang) -> TimelineView:
    return TimelineView(
        summary=summary(tl, lang),
        duration_s=tl.duration_s,
        width=tl.width,
        height=tl.height,
        aspect_ratio=tl.aspect_ratio,
        tracks=[
            Track(
                kind=track.kind,
                label=track_label(track, lang),
                segments=[
                    Segment(name=s.name, start_s=s.start_s, end_s=s.end_s, volume=s.volume)
                    for s in track.segments
                ],
                segments_total=track.segments_total,
            )
            for track in tl.tracks
        ],
        tracks_total=tl.tracks_total,
    )


class VideoService:
    """One per server process; every tool calls into it."""

    def __init__(
        self,
        settings: Settings,
        client: NemoClient,
        store: Store,
        task_group: anyio.abc.TaskGroup,
    ) -> None:
        self.settings = settings
        self.client = client
        self.store = store
        self.language = Language(settings, store)
        self.projects = Projects(settings, client, store, self.language)
        self.jobs = Jobs(task_group, settings.still_working_every)
        self.renders = Renders(
            client,
            store,
            self.jobs,
            output_dir=self.output_dir,
            render_timeout=settings.render_timeout,
            poll_floor=settings.poll_interval,
            preview_dir=settings.home / "previews",
        )
        self._out_dir: Path | None = None
        self._render_lock = anyio.Lock()
        self.notices: list[Msg] = []  # said once, at the top of the next answer (a store moved aside…)

    # --- shared pieces -----------------------------------------------------------------------

    def lang(self) -> Lang:
        return self.language.current()

    def _reserve(self) -> float:
        """Budget kept for the reads a tool makes after waiting on a job (a state read, a link)."""
        return min(RESERVE_S, self.settings.tool_budget / 4)

    def output_dir(self) -> Path:
        """The export folder, resolved once (a probe write), again only if it stops working."""
        if self._out_dir is None or not self._out_dir.is_dir():
            self._out_dir = resolve_output_dir(self.settings)
        return self._out_dir

    def _recover(self) -> None:
        """Pick up what a dead process left: open renders, agent turns that lost their process."""
        self.store.interrupt_dead_turns(TURN_STALE_S)
        self.renders.resume()

    def _take_notices(self, lang: Lang) -> list[str]:
        notes, self.notices = [m.render(lang) for m in self.notices], []
        return notes

    async def _state(self, project: Project) -> SessionState:
        return await self.projects.call(project, self.client.state)

    async def _state_or_none(self, project: Project) -> SessionState | None:
        try:
            return await self._state(project)
        except NemoError as err:
            log.info("timeline not read: %s", err)
            return None

    async def _balance_or_none(self) -> float | None:
        try:
            return (await self.client.credits()).available
        except NemoError as err:
            log.info("balance not read: %s", err)
            return None

    async def project_view(self, project: Project | None, *, link: bool = False) -> ProjectView | None:
        """A project as answers show it (read again: a name or link may have come since)."""
        if project is None:
            return None
        fresh = self.store.project(project.id) or project
        return self._view(fresh, await self.projects.link(fresh) if link else None)

    def _view(self, row: Project, url: str | None = None) -> ProjectView:
        return ProjectView(
            id=row.id,
            name=row.name or t("project.unnamed", self.lang()),
            created_at=iso(row.created_at),
            current=self.projects.current is not None and self.projects.current.id == row.id,
            project_url=url,
        )

    def _used(self, project: Project | None) -> bool:
        """Whether a project has work in it beyond uploads (then "a new video" means a new project)."""
        if project is None:
            return False
        return bool(self.store.project_renders(project.id, 1)) or self.store.has_turns(project.id)

    # --- generate ----------------------------------------------------------------------------

    async def generate(
        self,
        prompt: str,
        new_project: bool = False,
        report: Reporter = no_progress,
        accept_cost: bool = False,
    ) -> GenerateOutput:
        """Route a prompt: direct actions run at once, everything else is an agent turn."""
        if not prompt.strip():
            raise InputError("input.prompt_empty")
        if len(prompt) > MAX_PROMPT_CHARS:
            raise InputError("input.prompt_long", n=len(prompt), max=MAX_PROMPT_CHARS)
        lang = self.language.observe(prompt)
        decision = route(prompt)
        notes = self._take_notices(lang)
        if (
            new_project
            or decision.action is Action.NEW_PROJECT
            or (decision.new_project and self._used(self.projects.current))
        ):
            project = await self.projects.new(prompt if decision.action is Action.AGENT else "")
            notes.append(t("project.started", lang))
            if decision.action is Action.NEW_PROJECT:
                return GenerateOutput(
                    language=lang,
                    status="done",
                    action="new_project",
                    reply="\n\n".join(notes),
                    next_steps=[t("next.after_new_project", lang)],
                    project=await self.project_view(project, link=True),
                )
        if decision.action is Action.CANCEL:
            return await self.cancel(lang, notes)
        if decision.action is Action.EXPORT:
            out = await self.export(report=report)
            return self._wrap(
                out.status == "done", "export", out.reply, out.next_steps, lang, notes, out.render_id
            )
        if decision.action is Action.CREDITS:
            credit = await self.credits()
            return self._wrap(True, "credits", credit.reply, [], lang, notes)
        if decision.action is Action.STATUS:
            st = await self.status(report=report)
            return self._wrap(True, "status", st.reply, st.next_steps, lang, notes)
        if decision.action is Action.UPLOAD:
            if not (decision.files or decision.urls):
                raise InputError("input.upload_in_prompt")
            up = await self.upload(list(decision.files), list(decision.urls), report=report)
            return self._wrap(up.status == "done", "upload", up.reply, up.next_steps, lang, notes, up.job_id)
        return await self._agent_turn(prompt, lang, notes, report, accept_cost)

    @staticmethod
    def _wrap(
        done: bool,
        action: str,
        reply: str,
        steps: list[str],
        lang: Lang,
        notes: list[str],
        job: str | None = None,
    ) -> GenerateOutput:
        return GenerateOutput(
            language=lang,
            status="done" if done else "working",
            action=action,
            reply="\n\n".join([*notes, reply]),
            next_steps=steps,
            job_id=None if done else job,
        )

    async def _agent_turn(
        self, prompt: str, lang: Lang, notes: list[str], report: Reporter, accept_cost: bool
    ) -> GenerateOutput:
        project = await self.projects.ensure()
        key = prompt_key(prompt)
        same = self.store.matching_turn(project.id, key)
        if same is not None:
            return await self._attach(same, lang, notes, report)
        gen_id = f"gen_{uuid_utils.uuid7().hex[-12:]}"
        deadline = budget.deadline() or time.monotonic() + self.settings.tool_budget
        while (busy := self.store.begin_turn(
            gen_id, project.id, project.session_id, prompt, key, stale_after=TURN_STALE_S
        )) is not None:  # fmt: skip
            # One turn at a time per project (the agent edits one draft), across processes too.
            if busy.prompt_key == key:
                return await self._attach(busy, lang, notes, report)
            if not await self._wait_turn(busy.id, report, lang, deadline - self._reserve()):
                return GenerateOutput(
                    language=lang,
                    status="working",
                    action="agent",
                    reply="\n\n".join([*notes, t("agent.busy", lang, prompt=cap(busy.prompt, 80))]),
                    next_steps=[t("next.status_then_resend", lang)],
                    job_id=busy.id,
                )
        try:
            before, balance = await self._before_turn(project)
            gate = self._cost_warning(project, before, balance, lang)
            warning = gate[0] if gate else None
            if gate is not None and not accept_cost:
                # Said *before* spending: nothing is sent until the user agrees (or has credits).
                self.store.forget_turn(gen_id)
                possible = gate[1]
                return GenerateOutput(
                    language=lang,
                    status="needs_confirmation",
                    action="agent",
                    reply="\n\n".join([*notes, gate[0]] + ([t("cost.not_sent", lang)] if possible else [])),
                    next_steps=[t("next.confirm_cost" if possible else "next.get_credits", lang)],
                    cost_warning=gate[0],
                    credits_left=balance,
                    project=await self.project_view(project, link=True),
                )
            self.store.update_generation(
                gen_id, before_draft=_dump(before.draft if before else None), credits_before=balance
            )
        except BaseException:
            self.store.forget_turn(gen_id)  # never sent: it must not block or be reported
            raise
        job = self.jobs.spawn(
            "agent",
            msg("label.request"),
            lambda j: self._run_agent(j, project, gen_id, prompt, before),
            job_id=gen_id,
            project_id=project.id,
        )
        job.message = msg("job.sending")
        if not await self.jobs.wait([job], report, lang, deadline - self._reserve()):
            return GenerateOutput(
                language=lang,
                status="working",
                action="agent",
                reply="\n\n".join([*notes, t("agent.working", lang)]),
                next_steps=[t("next.status_later", lang)],
                job_id=gen_id,
                cost_warning=warning,
                project=await self.project_view(project, link=True),
            )
        if job.error is not None:  # refused before the agent acted: its own message and remedy
            self.store.update_generation(gen_id, delivered=1)
            raise job.error
        out = await self._deliver(gen_id, lang)
        out.cost_warning = warning
        out.reply = "\n\n".join(p for p in [*notes, out.reply] if p)
        return out

    async def _before_turn(self, project: Project) -> tuple[SessionState | None, float | None]:
        """The timeline and balance before a turn, read side by side (to report changes and cost)."""
        results: dict[str, Any] = {}

        async def read_state() -> None:
            results["state"] = await self._state_or_none(project)

        async def read_balance() -> None:
            results["balance"] = await self._balance_or_none()

        async with anyio.create_task_group() as tg:
            tg.start_soon(read_state)
            tg.start_soon(read_balance)
        return results.get("state"), results.get("balance")

    def _cost_warning(
        self, project: Project, before: SessionState | None, balance: float | None, lang: Lang
    ) -> tuple[str, bool] | None:
        """What the request may cost, when the balance is below it, and whether going ahead could
        work at all: a clip the agent must generate (no video and no media to build one from) costs
        about 100, anything else about 50; below 50 nothing can run."""
        if balance is None:
            return None
        tl = read_timeline(before.draft, before.canvas) if before else None
        has_video = tl is not None and any(tr.kind == "video" and tr.segments for tr in tl.tracks)
        generating = not has_video and self.store.media_page(project.id, 1)[1] == 0
        cost = GENERATION_COST if generating else EDIT_COST
        if balance >= cost:
            return None
        kind = msg("cost.generation") if generating else msg("cost.edit")
        possible = balance >= EDIT_COST
        key = "cost.warning" if possible else "cost.cannot"
        return t(
            key, lang, cost=cost, kind=kind, left=f"{balance:g}", more=self._more_credits(lang)
        ), possible

    def _more_credits(self, lang: Lang) -> str:
        """How to get credits: registration (keeps the free work) or a top-up."""
        if self.client.anonymous:
            return t("cost.register", lang, link=self.client.registration_link())
        return t("cost.top_up", lang)

    async def _wait_turn(self, gen_id: str, report: Reporter, lang: Lang, deadline: float) -> bool:
        """Wait for a turn to end: this process's job, or another process's row in the store."""
        job = self.jobs.get(gen_id)
        if job is not None:
            return await self.jobs.wait([job], report, lang, deadline)
        while time.monotonic() < deadline:
            gen = self.store.generation(gen_id)
            if gen is None or gen.status != "running":
                return True
            await report(0, None, t("agent.waiting_other", lang))
            with anyio.move_on_after(min(1.0, deadline - time.monotonic())):
                await anyio.sleep_forever()
            self.store.interrupt_dead_turns(TURN_STALE_S)
        return False

    async def _attach(
        self, same: Generation, lang: Lang, notes: list[str], report: Reporter
    ) -> GenerateOutput:
        """The same request was already sent: never send it again, hand back its answer."""
        minutes = round((time.time() - same.created_at) / 60)
        ago = msg("ago.minutes", minutes=minutes) if minutes >= 1 else msg("ago.now")
        deadline = budget.deadline() or time.monotonic() + self.settings.tool_budget
        if same.status == "running" and not await self._wait_turn(
            same.id, report, lang, deadline - self._reserve()
        ):
            return GenerateOutput(
                language=lang,
                status="working",
                action="agent",
                attached=True,
                reply="\n\n".join([*notes, t("agent.attached_running", lang, ago=ago)]),
                next_steps=[t("next.status_later", lang)],
                job_id=same.id,
            )
        out = await self._deliver(same.id, lang)
        out.attached = True
        out.reply = "\n\n".join([*notes, t("agent.attached_done", lang, ago=ago), out.reply])
        return out

    async def _run_agent(
        self, job: Job, project: Project, gen_id: str, prompt: str, before: SessionState | None
    ) -> None:
        """The agent turn itself (a background job): stream, then check what really changed."""
        texts: list[str] = []
        seen = False
        last_beat = time.monotonic()

        async def on_event(event: AgentEvent) -> None:
            nonlocal seen, last_beat
            seen = True
            if isinstance(event, TextEvent):
                texts.append(event.text)
                job.message = msg("job.answering")
            elif isinstance(event, ToolCallEvent):
                job.message = msg("job.editing")  # never the raw tool call
            elif isinstance(event, HeartbeatEvent):
                job.progress += 1
                if not texts:
                    job.message = msg("job.working")
            if time.monotonic() - last_beat > HEARTBEAT_S:
                last_beat = time.monotonic()
                self.store.update_generation(gen_id)  # liveness, for other processes

        accepted = False

        def on_accepted() -> None:
            nonlocal accepted
            accepted = True

        error: NemoError | None = None
        truncated = False
        session = project
        try:
            try:
                truncated = await self.client.run_agent(session.session_id, prompt, on_event, on_accepted)
            except SessionNotFoundError:
                if seen or accepted:
                    raise  # the agent already acted on it: never send it twice
                session = await self.projects.replace_session(project)
                truncated = await self.client.run_agent(session.session_id, prompt, on_event, on_accepted)
        except ConnectionFailedError as err:
            error = NemoError("agent.stream_broken") if accepted else err
        except NemoError as err:
            error = err
        await self._finish_turn(gen_id, session, "".join(texts), truncated, before, error, accepted, prompt)
        if error is not None and not accepted:
            raise error  # nothing was done or spent: the caller shows it as the error it is
        if accepted:
            self.projects.name_if_unnamed(session, prompt)

    async def _finish_turn(
        self,
        gen_id: str,
        project: Project,
        text: str,
        truncated: bool,
        before: SessionState | None,
        error: NemoError | None,
        accepted: bool = True,
        prompt: str = "",
    ) -> None:
        """Record the turn's outcome: its words, what changed, what it cost. Never fails on bad data."""
        lang = self.lang()
        after = await self._state_or_none(project)
        balance = await self._balance_or_none()
        changes: list[str] = []
        changed: bool | None = None
        built: str | None = (
            None  # a timeline made from nothing: its summary says more than a list of additions
        )
        try:
            if after is not None:
                before_tl = read_timeline(before.draft, before.canvas) if before is not None else None
                after_tl = read_timeline(after.draft, after.canvas)
                changes = diff(before_tl, after_tl, lang)
                if before is not None:
                    changed = fingerprint(before.draft) != fingerprint(after.draft)
                if before_tl is not None and before_tl.tracks_total == 0 and after_tl.tracks_total:
                    built = summary(after_tl, lang)
        except Exception:  # a hostile draft must not turn a paid answer into an error
            log.exception("comparing the timeline after turn %s", gen_id)
        gen = self.store.generation(gen_id)
        spent = None
        if gen is not None and gen.credits_before is not None and balance is not None:
            spent = max(0.0, gen.credits_before - balance)
        reply = self._compose(
            text, truncated, changes, changed, error, lang, project.id, accepted, built, prompt
        )
        failed = error is not None and (not accepted or (not text.strip() and not changed))
        self.store.update_generation(
            gen_id,
            status="failed" if failed else "done",
            reply=reply,
            error=error.render(lang) if error is not None else None,
            changes=changes,
            timeline_changed=changed,
            credits_after=balance if spent is not None else None,
        )

    def _compose(
        self,
        text: str,
        truncated: bool,
        changes: list[str],
        changed: bool | None,
        error: NemoError | None,
        lang: Lang,
        project_id: str,
        accepted: bool = True,
        built: str | None = None,
        prompt: str = "",
    ) -> str:
        parts: list[str] = []
        if not accepted and error is not None:
            return error.render(lang)  # refused before the agent acted: nothing was done or spent
        if self.projects.take_lost_notice(project_id):
            parts.append(t("project.session_lost", lang))
        words = clean_text(translate(text).text).strip()
        if changed is False and words and claims_change(words):
            # First, so nobody reads the agent's claim as a fact.
            parts.append(t("agent.claim_unverified", lang))
            parts.append(t("agent.said", lang, words=words))
        elif words:
            parts.append(words + (" " + t("agent.cut", lang) if truncated or error else ""))
        elif error is None:
            parts.append(t("agent.silent", lang))
        if built:
            parts.append(built)
        elif changes:
            parts.append(t("agent.changes", lang) + "\n" + "\n".join(f"- {c}" for c in changes))
        elif changed is False and not words and error is None:
            parts.append(t("agent.no_change", lang, prompt=cap(prompt, 80)))
        if error is not None and accepted:
            # The message reached the agent: whatever broke, sending it again could charge twice.
            parts.append(error.message(lang) + " " + t("error.turn_failed.remedy", lang))
        elif error is not None:
            parts.append(error.render(lang))  # refused before the agent acted: nothing was spent
        return "\n\n".join(parts)

    async def _deliver(self, gen_id: str, lang: Lang) -> GenerateOutput:
        """A finished turn as the tool's answer (once delivered, status won't repeat it)."""
        gen = self.store.generation(gen_id)
        assert gen is not None
        self.store.update_generation(gen_id, delivered=1)
        project = self.store.project(gen.project_id) if gen.project_id else None
        used = left = None
        if gen.credits_before is not None and gen.credits_after is not None:
            used, left = max(0.0, gen.credits_before - gen.credits_after), gen.credits_after
        reply = gen.reply + self._cost_line(used, left, lang)
        steps = self._steps_after_turn(gen, lang)
        out = GenerateOutput(
            language=lang,
            status="done",
            action="agent",
            reply=reply,
            next_steps=steps,
            job_id=gen.id,
            timeline_changed=gen.timeline_changed,
            changes=gen.change_list,
            credits_used=used,
            credits_left=left,
            project=await self.project_view(project, link=True),
        )
        if gen.status == "failed" and gen.error:
            raise _TurnFailed(out)
        return out

    def _cost_line(self, used: float | None, left: float | None, lang: Lang) -> str:
        """One short line of what a turn cost, and, when too little is left, how to get more."""
        if used is None or left is None:
            return ""
        line = t("cost.used", lang, used=f"{used:g}", left=f"{left:g}")
        if left < EDIT_COST:
            line += t("sentence.sep", lang) + t(
                "cost.low", lang, cost=EDIT_COST, more=self._more_credits(lang)
            )
        return "\n\n" + line

    def _steps_after_turn(self, gen: Generation, lang: Lang) -> list[str]:
        if gen.status == "failed":
            return [t("next.status_later", lang)] if gen.timeline_changed else []
        asks = translate(gen.reply).actions
        steps = []
        if gen.timeline_changed is False:
            # Nothing changed: say so first; exporting would only save what was there before.
            return [t("next.claim_unverified" if claims_change(gen.reply) else "next.no_change", lang)]
        if Action.UPLOAD in asks:
            steps.append(t("next.upload", lang))
        if gen.timeline_changed or Action.EXPORT in asks:
            steps.append(t("next.export", lang))
        return steps

    # --- cancel ------------------------------------------------------------------------------

    async def cancel(self, lang: Lang, notes: list[str]) -> GenerateOutput:
        """Cancel running renders of the current project at the service. An agent request already
        sent can't be recalled: it keeps running and its credits are spent; say so."""
        project = self.projects.current
        cancelled: list[str] = []
        parts = list(notes)
        if project is not None:
            for rec in self.store.project_renders(project.id, 10):
                if rec.status in OPEN_RENDER:
                    await self.renders.cancel(rec.id)
                    cancelled.append(rec.id)
        latest = self.store.project_renders(project.id, 1) if project is not None else []
        if cancelled:
            parts.append(t("cancel.done", lang))
        elif latest and latest[0].status == "downloaded" and latest[0].local_path:
            parts.append(t("cancel.already_saved", lang, path=latest[0].local_path))
        else:
            parts.append(t("cancel.nothing", lang))
        running = project is not None and (
            self.jobs.running("agent", project.id) or self.store.running_turn(project.id) is not None
        )
        if running:
            parts.append(t("cancel.agent_running", lang))
        return GenerateOutput(
            language=lang,
            status="done",
            action="cancel",
            reply="\n\n".join(parts),
            next_steps=[t("next.after_cancel", lang)] if cancelled else [],
            project=await self.project_view(project, link=True),
        )

    # --- upload ------------------------------------------------------------------------------

    async def upload(
        self,
        files: list[str],
        urls: list[str],
        new_project: bool = False,
        report: Reporter = no_progress,
        roots: Roots | None = None,
    ) -> UploadOutput:
        """Upload local files and/or URLs; big uploads continue in the background past the budget."""
        lang = self.lang()
        if not files and not urls:
            raise InputError("input.nothing_to_upload")
        found, matched = await self._expand(files, roots)
        paths, skipped = await anyio.to_thread.run_sync(self._checked, found, matched)
        if len(paths) + len(urls) > MAX_FILES_PER_UPLOAD:
            raise InputError("input.too_many", n=len(paths) + len(urls), max=MAX_FILES_PER_UPLOAD)
        links = [check_upload_url(u) for u in urls]
        notes = self._take_notices(lang)
        project = await (self.projects.new() if new_project else self.projects.ensure())
        if new_project:
            notes.append(t("project.started", lang))
        upload_id = f"upload_{uuid_utils.uuid7().hex[-12:]}"
        names = [p.name for p in paths] + links
        self.store.start_upload(upload_id, project.id, names)

        async def work(job: Job) -> list[MediaItem]:
            uploaded: list[UploadedFile] = []
            if paths:
                job.message = msg("job.uploading", n=len(paths))
                uploaded += await self.projects.call(
                    project, lambda sid: self.client.upload_files(sid, paths)
                )
            if links:
                job.message = msg("job.importing", n=len(links))
                uploaded += await self.projects.call(project, lambda sid: self.client.upload_urls(sid, links))
            items = [MediaItem(name=f.filename or "file", kind=f.file_type, url=f.cdn_url) for f in uploaded]
            self.store.add_media(project.id, [i.model_dump() for i in items], "upload")
            self.store.update_upload(upload_id, status="done")
            return items

        def on_done(job: Job) -> None:
            if job.error is not None:
                self.store.update_upload(upload_id, status="failed", error=job.error.render(self.lang()))

        job = self.jobs.spawn("upload", msg("label.upload"), work, project_id=project.id, on_done=on_done)
        view = await self.project_view(project, link=True)
        if not await self.jobs.wait([job], report, lang):
            return UploadOutput(
                language=lang,
                status="working",
                job_id=job.id,
                reply="\n\n".join([*notes, t("upload.working", lang)]),
                next_steps=[t("next.status_later", lang)],
                project=view,
            )
        self.store.update_upload(upload_id, delivered=1)
        if job.error:
            raise job.error
        items: list[MediaItem] = job.result
        listed = t("list.sep", lang).join(f.name for f in items)
        return UploadOutput(
            language=lang,
            status="done",
            files=items,
            reply="\n\n".join(
                [*notes, t("upload.done", lang, n=len(items), names=listed)]
                + ([t("upload.skipped", lang, names=t("list.sep", lang).join(skipped))] if skipped else [])
            ),
            next_steps=[t("next.after_upload", lang)],
            project=view,
        )

    async def _expand(self, files: list[str], roots: Roots | None) -> tuple[list[Path], set[Path]]:
        """``~``, wildcards (off the event loop, capped) and relative paths (against the client's
        roots, never the server's working directory). Also returns which paths came from a wildcard."""
        out: list[Path] = []
        matched: set[Path] = set()
        for raw in files:
            path = Path(raw.strip()).expanduser()
            if not path.is_absolute():
                path = await self._from_roots(raw, roots)
            if any(ch in str(path) for ch in "*?[") and not path.exists():
                found = await self._glob(str(path), raw)
                out.extend(found)
                matched.update(found)
            else:
                out.append(path)
        return out, matched

    @staticmethod
    def _checked(paths: list[Path], matched: set[Path]) -> tuple[list[Path], list[str]]:
        """Every named file must be good; a wildcard's other matches (notes.txt beside the photos)
        are skipped and said, not fatal. Runs off the event loop (it opens each file)."""
        good: list[Path] = []
        skipped: list[str] = []
        first: InputError | None = None
        for path in paths:
            try:
                check_upload_file(path)
            except InputError as err:
                if path not in matched:
                    raise
                skipped.append(clean_text(path.name, 80))
                first = first or err
            else:
                good.append(path)
        if first is not None and not good:
            raise first  # nothing usable matched: the first file's own reason says why
        return good, skipped

    async def _from_roots(self, raw: str, roots: Roots | None) -> Path:
        folders = await roots() if roots is not None else []
        if not folders:
            raise InputError("input.relative", path=clean_text(raw, 200))
        for folder in folders:
            candidate = folder / raw
            if candidate.exists() or any(ch in raw for ch in "*?["):
                return candidate
        raise InputError(
            "input.relative_missing", path=clean_text(raw, 200), roots=", ".join(map(str, folders[:3]))
        )

    async def _glob(self, pattern: str, raw: str) -> list[Path]:
        # Within what the call has left: a slow disk must read as a slow search, not a slow service.
        left = budget.remaining()
        seconds = GLOB_SECONDS if left is None else max(0.0, min(GLOB_SECONDS, left - self._reserve()))
        stop = time.monotonic() + seconds

        def search() -> list[Path]:
            found: list[Path] = []
            for match in glob.iglob(pattern):
                found.append(Path(match))
                if len(found) > MAX_GLOB_MATCHES or time.monotonic() > stop:
                    break
            return found

        with anyio.move_on_after(seconds + 0.1):
            matches = await anyio.to_thread.run_sync(search, abandon_on_cancel=True)
            if not matches:
                raise InputError("input.no_match", pattern=clean_text(raw, 200))
            if len(matches) > MAX_GLOB_MATCHES:
                raise InputError("input.too_many", n=f"{MAX_GLOB_MATCHES}+", max=MAX_GLOB_MATCHES)
            if time.monotonic() > stop:
                raise InputError("input.glob_slow", pattern=clean_text(raw, 200))
            return sorted(matches)
        raise InputError("input.glob_slow", pattern=clean_text(raw, 200))

    # --- credits -----------------------------------------------------------------------------

    async def credits(self) -> CreditsOutput:
        lang = self.lang()
        c = await self.client.credits()
        total = c.total if c.total is not None else c.available + c.frozen
        reply = t(
            "credits.text", lang, available=f"{c.available:g}", frozen=f"{c.frozen:g}", total=f"{total:g}"
        )
        low = c.available < EDIT_COST
        if low:  # too little for any request: say how to get more, here too
            reply += t("sentence.sep", lang) + self._more_credits(lang)
        return CreditsOutput(
            language=lang,
            available=c.available,
            frozen=c.frozen,
            total=total,
            reply=reply,
            next_steps=[t("next.get_credits", lang)] if low else [],
        )

    # --- export ------------------------------------------------------------------------------

    async def export(
        self, fmt: str = "mp4", quality: str = "high", report: Reporter = no_progress
    ) -> ExportOutput:
        """Render the timeline and save it; an unchanged timeline reuses its render (running or saved)."""
        lang = self.lang()
        if fmt not in FORMATS:
            raise InputError("input.format", value=clean_text(fmt, 20), allowed=", ".join(FORMATS))
        if quality not in QUALITIES:
            raise InputError("input.quality", value=clean_text(quality, 20), allowed=", ".join(QUALITIES))
        self.output_dir()  # fail before rendering, not after
        project = self.projects.current
        if project is None:
            raise NothingToExportError()
        self._recover()
        notes = self._take_notices(lang)
        deadline = budget.deadline() or time.monotonic() + self.settings.tool_budget
        # An edit still running: its result is what the user wants rendered.
        turn = self.store.running_turn(project.id)
        if turn is not None and not await self._wait_turn(turn.id, report, lang, deadline - self._reserve()):
            return ExportOutput(
                language=lang,
                status="waiting",
                reply="\n\n".join([*notes, t("export.waiting_agent", lang)]),
                next_steps=[t("next.export_later", lang)],
            )
        answers = self.store.undelivered_turns(project.id, 5)
        state = await self._state(project)
        if not is_exportable(state.draft):
            raise NothingToExportError()
        assert state.draft is not None
        fp = fingerprint(state.draft)
        async with self._render_lock:
            job, rec, note = await self._render_for(project, state.draft, fp, fmt, quality, lang)
        if note:
            notes.append(note)
        agent_reply, changes = None, []
        for gen in answers:  # passed on before the render result
            self.store.update_generation(gen.id, delivered=1)
            agent_reply = "\n\n".join(p for p in (agent_reply, gen.reply) if p)
            changes += gen.change_list
        if job is not None:
            await self.jobs.wait([job], report, lang, deadline - self._reserve())
            if job.done.is_set() and job.error is not None and not isinstance(job.error, TimeLimitError):
                raise job.error
            final = job.result if isinstance(job.result, str) else job.id
            rec = self.store.render(final) or rec
        elif rec.status != "downloaded":
            rec = await self.renders.watch(rec.id, deadline - 1.0) or rec
        tl = read_timeline(state.draft, state.canvas)
        out = await self._export_output(rec, project, timeline_view(tl, lang), lang, notes)
        out.agent_reply, out.changes = agent_reply, changes
        if agent_reply:
            out.reply = "\n\n".join([agent_reply, out.reply])
        return out

    async def _render_for(
        self, project: Project, draft: dict[str, Any], fp: str, fmt: str, quality: str, lang: Lang
    ) -> tuple[Job | None, Render, str | None]:
        """The render that shows this exact timeline: saved, running, or started now."""
        note = None
        stale: list[Render] = []
        for rec in self.store.project_renders(project.id, 10):
            if rec.draft_fp != fp:
                if rec.status in OPEN_RENDER:
                    stale.append(rec)
                continue
            if rec.format != fmt or rec.quality != quality or rec.status in ("failed", "cancelled"):
                continue
            if rec.status == "downloaded" and rec.local_path and Path(rec.local_path).is_file():
                return None, rec, t("export.reused", lang)  # the same timeline: the same file
            if rec.status in OPEN_RENDER:
                job = self.renders.job_for(rec.id)
                if job is None:
                    self.renders.resume()
                    job = self.renders.job_for(rec.id)
                if job is not None:
                    return job, rec, None
                return None, rec, None  # another process follows it: watched, never rendered twice
        for old in stale:  # never deliver a render older than the timeline
            note = t("export.timeline_changed", lang, render_id=old.id)
            try:
                await self.renders.cancel(old.id)
            except NemoError as err:
                log.info("could not cancel outdated render %s: %s", old.id, err)
        job = self.renders.start(project.id, project.session_id, draft, fp, fmt, quality)
        started = self.store.render(job.id)
        assert started is not None
        return job, started, note

    async def _export_output(
        self, rec: Render, project: Project, timeline: TimelineView, lang: Lang, notes: list[str]
    ) -> ExportOutput:
        view = await self.project_view(project, link=True)
        url = view.project_url if view else None
        if rec.status == "downloaded":
            facts = t(
                "export.facts",
                lang,
                seconds=f"{rec.duration_s:.1f}" if rec.duration_s is not None else "?",
                width=rec.width or "?",
                height=rec.height or "?",
                mb=f"{(rec.size_bytes or 0) / 1024**2:.1f}",
            )
            reply = t("export.done", lang, path=rec.local_path, facts=facts)
            if url:
                reply += "\n" + t("export.project_link", lang, url=url)
            return ExportOutput(
                language=lang,
                status="done",
                render_id=rec.id,
                progress=100,
                path=rec.local_path,
                url=rec.output_url,
                duration_s=rec.duration_s,
                width=rec.width,
                height=rec.height,
                size_bytes=rec.size_bytes,
                project_url=url,
                timeline=timeline,
                reply="\n\n".join([*notes, reply]),
            )
        if rec.status in ("failed", "cancelled"):
            key = "render.cancelled" if rec.status == "cancelled" else "render.failed"
            raise RenderFailedError(key, render_id=rec.id, reason=(rec.error or rec.status).rstrip("."))
        pct = f"{rec.progress:.0f}%" if rec.progress is not None else "…"
        job = self.renders.job_for(rec.id)
        eta = None if job is None or job.eta is None else max(0.0, job.eta - time.monotonic())
        if rec.error:  # download or polling trouble: kept, and picked up again by the next call
            reply, status = t("export.trouble", lang, render_id=rec.id, error=rec.error), "waiting"
        else:
            reply, status = t("export.rendering", lang, pct=pct), "rendering"
            if timeline.duration_s and timeline.width and timeline.height:
                reply += t("sentence.sep", lang) + t(
                    "export.will_be",
                    lang,
                    seconds=f"{timeline.duration_s:g}",
                    width=timeline.width,
                    height=timeline.height,
                    ratio=timeline.aspect_ratio or "?",
                )
        soon = eta is not None and eta < 60
        step = (
            t("next.export_soon", lang, seconds=max(5, round(eta + 2)))
            if soon and eta is not None
            else t("next.export_later", lang)
        )
        return ExportOutput(
            language=lang,
            status=status,  # type: ignore[arg-type]
            render_id=rec.id,
            progress=rec.progress,
            eta_s=None if eta is None else round(eta, 1),
            project_url=url,
            timeline=timeline,
            reply="\n\n".join([*notes, reply]),
            next_steps=[step],
        )

    # --- status ------------------------------------------------------------------------------

    async def status(
        self, project: str | None = None, page: int = 1, report: Reporter = no_progress
    ) -> StatusOutput:
        """The current project (or the one named): timeline, media, every export, answers not shown yet."""
        lang = self.lang()
        notes = self._take_notices(lang)
        if project:
            chosen = self.projects.switch(project)
            notes.append(t("project.switched", lang, name=chosen.name or chosen.id))
        self._recover()
        current = self.projects.current
        deadline = budget.deadline() or time.monotonic() + self.settings.tool_budget
        if current is not None:
            waiting = self.jobs.running(project_id=current.id)
            if waiting:
                await self.jobs.wait(waiting, report, lang, deadline - self._reserve())
        replies, answers = self._undelivered(current, lang) if current is not None else ([], [])
        exports, total = self.store.renders_page((max(1, page) - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        recent, projects_total = self.store.recent_projects(PROJECTS_SHOWN)
        views = [self._view(p) for p in recent]  # rows just read: no second read each
        working = [self.jobs.progress_text(j, lang) for j in self.jobs.running()]
        out = StatusOutput(
            language=lang,
            reply="",
            projects=views,
            projects_total=projects_total,
            exports=[self._export_item(r) for r in exports],
            exports_total=total,
            page=max(1, page),
            pages=pages,
            replies=replies,
            answers=answers,
            working=working,
        )
        cancelled_now = False
        if current is not None:
            out.project = await self.project_view(current, link=True)
            try:
                state = await self._state(current)
            except (TimeLimitError, ConnectionFailedError, ServerError, BadResponseError) as err:
                # What is known here (exports, answers, projects) still answers the question.
                notes.append(t("status.timeline_unavailable", lang, error=err.render(lang)))
            else:
                out.timeline = timeline_view(read_timeline(state.draft, state.canvas), lang)
                out.exportable = is_exportable(state.draft)
                current_fp = fingerprint(state.draft)
                for item, rec in zip(out.exports, exports, strict=True):
                    if rec.project_id == current.id and rec.status == "downloaded":
                        item.matches_timeline = rec.draft_fp == current_fp
                latest = next(
                    (r for r in self.store.project_renders(current.id, 5) if r.draft_fp == current_fp), None
                )
                out.export_current = latest is not None and latest.status == "downloaded"
                # No "call export" when the user just cancelled the export of this very timeline.
                cancelled_now = latest is not None and latest.status == "cancelled"
            media, out.media_total = self.store.media_page(current.id, MEDIA_SHOWN)
            out.media = [MediaItem(name=m.name, kind=m.kind, url=m.url) for m in media]
        out.reply = self._status_text(out, notes, lang)
        out.next_steps = self._status_steps(out, lang, cancelled_now)
        return out

    def _undelivered(self, project: Project, lang: Lang) -> tuple[list[str], list[TurnAnswer]]:
        """Outcomes not told yet: uploads that ended in the background, agent answers (each once)."""
        replies: list[str] = []
        answers: list[TurnAnswer] = []
        for up in self.store.undelivered_uploads(project.id):
            names = t("list.sep", lang).join(up.names[:10])
            key = {"done": "upload.finished", "failed": "upload.failed"}.get(up.status, "upload.interrupted")
            replies.append(t(key, lang, names=names, error=up.error or ""))
            self.store.update_upload(up.id, delivered=1)
        for gen in self.store.undelivered_turns(project.id):
            interrupted = gen.status == "interrupted"
            reply = t("agent.interrupted", lang, prompt=cap(gen.prompt, 80)) if interrupted else gen.reply
            used = left = None
            if gen.credits_before is not None and gen.credits_after is not None:
                used, left = max(0.0, gen.credits_before - gen.credits_after), gen.credits_after
            reply += self._cost_line(used, left, lang)
            replies.append(reply)
            answers.append(
                TurnAnswer(
                    request=gen.prompt,
                    reply=reply,
                    timeline_changed=gen.timeline_changed,
                    changes=gen.change_list,
                    credits_used=used,
                    credits_left=left,
                    interrupted=interrupted,
                )
            )
            self.store.update_generation(gen.id, delivered=1)
        return replies, answers

    def _export_item(self, r: Render) -> ExportItem:
        return ExportItem(
            render_id=r.id,
            project_id=r.project_id,
            project_name=r.project_name,
            status=r.status,
            progress=r.progress,
            path=r.local_path,
            url=r.output_url,
            duration_s=r.duration_s,
            width=r.width,
            height=r.height,
            size_bytes=r.size_bytes,
            created_at=iso(r.created_at),
            error=r.error,
        )

    def _status_text(self, out: StatusOutput, notes: list[str], lang: Lang) -> str:
        parts = [*notes, *out.replies]
        if out.project is None:
            parts.append(t("status.no_project", lang))
        else:
            parts.append(
                t("status.project", lang, name=out.project.name, created=out.project.created_at[:10])
            )
            # Once is enough: an answer above that built the timeline already shows it.
            if out.timeline is not None and not any(out.timeline.summary in r for r in out.replies):
                parts.append(out.timeline.summary)
            if out.media:
                more = out.media_total - len(out.media)
                listed = t("list.sep", lang).join(m.name for m in out.media)
                parts.append(t("status.media", lang, n=out.media_total, names=listed) + (
                    " " + t("status.more", lang, n=more) if more > 0 else ""
                ))  # fmt: skip
            if out.project.project_url:
                parts.append(t("export.project_link", lang, url=out.project.project_url))
        saved = [e for e in out.exports if e.status == "downloaded" and e.path]
        other = [e for e in out.exports if e not in saved]
        if saved:
            head = t("status.saved", lang, n=len(saved))
            parts.append(head + "\n" + "\n".join(self._export_line(e, lang) for e in saved))
        if other:
            head = t("status.other_exports", lang)
            parts.append(head + "\n" + "\n".join(self._export_line(e, lang) for e in other))
        if out.exports_total == 0:
            parts.append(t("status.no_exports", lang))
        elif out.pages > 1:
            parts.append(t("status.page", lang, n=out.exports_total, page=out.page, pages=out.pages))
        if out.projects_total > 1:
            names = t("list.sep", lang).join((p.name + (" ✓" if p.current else "")) for p in out.projects)
            parts.append(t("status.projects", lang, n=out.projects_total, names=names))
        if out.working:
            parts.append(t("status.working", lang, items="; ".join(out.working)))
        return "\n\n".join(p for p in parts if p)

    @staticmethod
    def _export_line(e: ExportItem, lang: Lang) -> str:
        where = f" [{e.project_name}]" if e.project_name else ""
        when = e.created_at[:16].replace("T", " ")
        if e.path and e.status == "downloaded":
            size = f"{(e.size_bytes or 0) / 1024**2:.1f} MB"
            dims = f"{e.width}x{e.height}" if e.width and e.height else "?"
            length = t("timeline.seconds", lang, n=f"{e.duration_s:.1f}") if e.duration_s is not None else "?"
            mark = {False: "status.outdated", True: "status.current", None: ""}[e.matches_timeline]
            fresh = t("sentence.sep", lang) + t(mark, lang) if mark else ""
            return f"- {e.path}{where} ({length}, {dims}, {size}){fresh}"
        state = (
            t(f"render.state.{e.status}", lang)
            if e.status in ("failed", "cancelled")
            else t("render.state.rendering", lang) + (f" {e.progress:.0f}%" if e.progress is not None else "")
        )
        extra = f" ({e.error})" if e.error and e.error not in (e.status, "cancelled") else ""
        return f"- {when}{where}: {state}{extra}"

    @staticmethod
    def _status_steps(out: StatusOutput, lang: Lang, cancelled_now: bool = False) -> list[str]:
        steps = []
        for answer in out.answers:  # an answer that changed nothing comes first
            if answer.timeline_changed is False and not answer.interrupted:
                key = "next.claim_unverified" if claims_change(answer.reply) else "next.no_change"
                steps.append(t(key, lang))
        if out.working:
            steps.append(t("next.status_later", lang))
        if out.project is None:
            steps.append(t("next.start", lang))
        elif (
            out.exportable and not out.working and not out.export_current and not cancelled_now and not steps
        ):
            steps.append(t("next.export", lang))
        if out.pages > out.page:
            steps.append(t("next.more_exports", lang, page=out.page + 1))
        return steps


class _TurnFailed(NemoError):
    """An agent turn ended in an error: raised with everything that arrived before it."""

    key = "error.turn_failed"

    def __init__(self, out: GenerateOutput) -> None:
        self.out = out
        super().__init__(reply=out.reply)
