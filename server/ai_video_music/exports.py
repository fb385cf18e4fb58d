"""Exports: render the current timeline and save the MP4; an unchanged timeline reuses its render.

An export never delivers a render older than the timeline. One that waited for an agent
turn passes that turn's answer on, with its cost, and marks both as told. "The same file" is
said only when the very file was delivered in an earlier answer.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any

import anyio

from . import asked, budget
from .costs import cost_of
from .errors import (
    InputError,
    LocalStateError,
    NemoError,
    NothingToExportError,
    RenderFailedError,
    TimeLimitError,
)
from .jobs import Job, Reporter, no_progress
from .landing import Landing, settle
from .messages import Lang, t
from .outputs import ExportOutput, TimelineView
from .projects import CLIENT
from .records import OPEN_RENDER, RenderState, TurnState
from .renders import CANCEL_ASKED, CANCEL_OUTDATED
from .replies import (
    as_asked,
    changes,
    cut_off_reply,
    earlier_unchanged,
    export_done,
    export_progress,
    file_before,
    file_lacks,
    kept_versions,
    made_elsewhere,
    never_ran,
    not_as_asked,
    not_checked,
    quote_list,
    said,
    turn_reply,
)
from .sanitize import cap, clean_text
from .shared import Shared
from .store import Generation, Project, Render
from .turns import AGENT_POLL_S, MAX_UPLOADS_NAMED

log = logging.getLogger(__name__)

FORMATS = ("mp4",)
QUALITIES = ("high", "medium", "low")
RENDER_POLL_S = 20  # no estimate yet: a render takes 30-90 s


# "export it as it is", "just export it anyway", "like this is fine", "就这样导出", "原样导出": the
# file as it is, whatever the answers before said it lacks.
_AS_IS = re.compile(
    r"(?i)\b(?:as\s+it\s+is|as\s+is|anyway|anyways|regardless|like\s+this|like\s+that|the\s+way\s+it\s+is"
    r"|it'?s\s+fine|that'?s\s+fine|good\s+enough|close\s+enough|leave\s+it)\b"
    r"|就这样|就这么|原样|凑合|将就|无所谓|也行|没关系"
)


def accepts_as_is(prompt: str) -> bool:
    """The words export the video as it is (outside quotes): what it lacks is accepted."""
    return bool(_AS_IS.search(asked._QUOTED.sub(" ", prompt)))


class Exports:
    """One per server process."""

    def __init__(self, shared: Shared) -> None:
        self.s = shared
        self._lock = anyio.Lock()

    async def export(
        self, fmt: str = "mp4", quality: str = "high", report: Reporter = no_progress, *, as_is: bool = False
    ) -> ExportOutput:
        """Render the timeline and save it; an unchanged timeline reuses its render (running or saved).
        ``as_is``: the user's words export it as it is ("export it as it is"), accepting what the
        answers before said it lacks: said as accepted, never as news (play24en F10)."""
        lang = self.s.lang()
        if fmt not in FORMATS:
            raise InputError("input.format", value=clean_text(fmt, 20), allowed=", ".join(FORMATS))
        if quality not in QUALITIES:
            raise InputError("input.quality", value=clean_text(quality, 20), allowed=", ".join(QUALITIES))
        if not self.s.settings.exports_as_links:  # hosted mode keeps no file: no folder needed
            self.s.output_dir()  # fail before rendering, not after
        project = self.s.projects.current
        if project is None:
            raise NothingToExportError()
        self.s.recover()
        notes = self.s.take_notices(lang)
        deadline = budget.deadline() or time.monotonic() + self.s.settings.tool_budget
        # An edit still running: its result is what the user wants rendered.
        turn = self.s.store.running_turn(project.id)
        if turn is not None and not await self.s.wait_turn(
            turn.id, report, lang, deadline - self.s.reserve()
        ):
            return ExportOutput(
                language=lang,
                status="waiting",
                reply="\n\n".join([*notes, t("export.waiting_agent", lang)]),
                next_steps=[t("next.export_later", lang, project=project.name or project.id)],
                poll_after_s=AGENT_POLL_S,
            )
        answers = self.s.store.undelivered_turns(project.id, 5, CLIENT.get())
        state = await self.s.state(project)
        facts = await self.s.drafts.facts(state.draft, state.canvas)
        cut = await settle(self.s.store, CLIENT.get(), project.id, state, facts.fingerprint)
        pending = cut.gen if cut is not None and cut.outcome is Landing.PENDING else None
        if cut is not None and pending is None:
            notes.append(cut_off_reply(cut.gen, lang))  # found landed (or not) just now: told once
        if not facts.exportable:
            if pending is not None:
                # The last request was cut off after NemoVideo had it: "generate first" would send
                # it (and charge it) twice.
                raise NothingToExportError(remedy="error.nothing_to_export.may_land")
            # Media uploaded but no video asked for: "upload first" would be untrue.
            has_media = self.s.store.media_page(project.id, 1)[1] > 0
            raise NothingToExportError(remedy="error.nothing_to_export.has_media" if has_media else None)
        assert state.draft is not None
        fp = facts.fingerprint
        async with self._lock:
            job, rec, note = await self._render_for(project, state.draft, fp, fmt, quality, lang)
        if note:
            notes.append(note)
        if job is not None:
            await self.s.jobs.wait([job], report, lang, deadline - self.s.reserve())
            if job.done.is_set():
                try:
                    final = job.result()
                except TimeLimitError:
                    final = job.subject or job.id  # the render goes on; the next call picks it up
                except RenderFailedError:
                    stopped = self.s.store.render(job.subject or job.id)
                    if stopped is None or stopped.status is not RenderState.CANCELLED:
                        raise
                    final = stopped.id  # cancelled (the user asked, say): said, not an error
            else:
                final = job.subject or job.id
            rec = self.s.store.render(final if isinstance(final, str) else job.id) or rec
        elif rec.status is not RenderState.DOWNLOADED:
            rec = await self.s.renders.watch(rec.id, deadline - 1.0) or rec
        if rec.status is RenderState.CANCELLED:  # no file: nothing in it or missing from it to say
            out = cancelled_output(rec, project, facts.view(lang), lang, notes)
            if answers:
                out.reply = "\n\n".join(
                    [*(turn_reply(g, lang, self.s.more_credits(lang)) for g in answers), out.reply]
                )
                for gen in answers:
                    self.s.store.update_generation(gen.id, delivered=1, cost_told=1)
            return out
        # An edit that landed (or runs) since this render began: the file is from before it.
        moved_on, running_now = self._since_render(project, rec)
        if moved_on or running_now is not None:
            notes.append(file_before(moved_on, running_now, lang))
        # Requests after this render began are said as such (the file has none of them), never
        # judged as earlier requests "not all done as asked" against the timeline now (play-test
        # gap 5: one that landed in part was said done in part, its missing part read off the
        # timeline it changed).
        after_render = {g.id for g in moved_on} | ({running_now.id} if running_now is not None else set())
        # Said before the file: an assistant must not offer it as the change the user asked for.
        turns = self.s.store.session_turns(CLIENT.get(), limit=20)
        # a second frame asked here and made in another project since: no lack of this file
        before = [
            g
            for g in self._not_in_file(project, fp, pending)
            if g.id not in after_render and not made_elsewhere(g, turns)
        ]
        # the project's uploads: a photo asked for and on no track is plainly not in the file
        uploaded = self._uploaded(project)
        session = [g for g in turns if g.project_id == project.id]
        # what the user gave up in words since ("算了 音乐不换了", never sent): no lack of the file
        words = [*session, *self._unsent(project)]
        lacks = file_lacks(before, pending, lang, facts.timeline, uploaded, words)
        earlier = earlier_unchanged(
            [
                g
                for g in self._earlier(project, rec, {g.id for g in before} | after_render, pending, session)
                if not made_elsewhere(g, turns)
            ],
            lang,
            facts.timeline,
            words,
            uploaded,
        )
        missing = [*lacks.values(), *earlier]
        lines = [lack.line for lack in missing]
        cut_off = lacks.get(pending.id) if pending is not None else None
        if as_is and (accepted := [lack.line for lack in missing if lack is not cut_off]):
            # a request cut off that may still land is news to them: said as before
            lines = [*([cut_off.line] if cut_off else []), t("export.as_is", lang, items=" ".join(accepted))]
        out = await self._export_output(rec, project, facts.view(lang), lang, [*notes, *lines])
        if rec.status is RenderState.DOWNLOADED:
            # "…a square one, keep the vertical one": where the version kept is, after this file
            renders = [r for r in self.s.store.project_renders(project.id, 20) if still_there(r)]
            if kept := kept_versions(session, renders, rec, lang):
                out.reply = "\n\n".join([out.reply, *kept])
        out.not_in_file = list(dict.fromkeys(item for lack in missing for item in lack.missing))  # as said
        later = [*moved_on, *([running_now] if running_now is not None else [])]
        if later:
            out.not_in_file = list(dict.fromkeys([*(g.prompt for g in later), *out.not_in_file]))
            prompts = quote_list([cap(g.prompt, 80) for g in later], lang)
            out.next_steps = [t("next.export_after_edit", lang, prompts=prompts), *out.next_steps]
        if answers:  # the answers export waited for come first, each with its cost, told once
            more = self.s.more_credits(lang)
            told = [turn_reply(gen, lang, more) for gen in answers]
            out.reply = "\n\n".join([*told, out.reply])
            out.agent_reply = "\n\n".join(told)
            last = answers[-1]
            out.changes = [c for gen in answers for c in changes(gen, lang)]
            out.timeline_changed = any(g.timeline_changed for g in answers) or (
                None if any(g.timeline_changed is None for g in answers) else False
            )
            out.agent_says = said(last, lang) or None
            out.not_as_asked = list(dict.fromkeys(i for gen in answers for i in not_as_asked(gen, lang)))
            out.as_asked = list(dict.fromkeys(item for gen in answers for item in as_asked(gen, lang)))
            out.not_checked = list(dict.fromkeys(q for gen in answers for q in not_checked(gen)))
            costs = [cost_of(g) for g in answers]
            known = [c for c in costs if c is not None]
            if known and all(c.used is not None for c in known):
                out.credits_used = sum(c.used or 0.0 for c in known)
            if known:
                out.credits_left = known[-1].left
            for gen in answers:
                self.s.store.update_generation(gen.id, delivered=1, cost_told=1)
        return out

    def _unchanged_since(self, project: Project, rec: Render) -> bool:
        """No request of the session changed the project's timeline since ``rec`` began, and no
        other file of it was delivered since: ``rec`` is the last saved file of this very timeline."""
        turns = self.s.store.session_turns(CLIENT.get(), since=rec.created_at, limit=50)
        if any(g.project_id == project.id and g.timeline_changed is not False for g in turns):
            return False
        renders = self.s.store.project_renders(project.id, 10)
        return not any(r.told and r.id != rec.id and r.created_at > rec.created_at for r in renders)

    def _unsent(self, project: Project) -> list[Generation]:
        """The session's words in this project never sent to the agent (held, refused, withdrawn)."""
        turns = self.s.store.session_turns(CLIENT.get(), limit=20, unsent=True)
        return [g for g in turns if g.project_id == project.id and g.sent_at is None]

    def _since_render(self, project: Project, rec: Render) -> tuple[list[Generation], Generation | None]:
        """The session's requests in this project sent after ``rec`` began: those that changed
        the timeline away from what it renders (newest first), and one still running."""
        if rec.draft_fp is None:
            return [], None
        turns = [
            g
            for g in self.s.store.session_turns(CLIENT.get(), since=rec.created_at, limit=20)
            if g.project_id == project.id
        ]
        running = next((g for g in turns if g.status is TurnState.RUNNING), None)
        changed = [g for g in turns if g.status is not TurnState.RUNNING and g.timeline_changed]
        seen = changed[0].fact_map.get("timeline") if changed else None
        if isinstance(seen, dict) and seen.get("after") == rec.draft_fp:
            changed = []  # changed back (an undo): the file shows the timeline as it is
        return changed[:3], running

    def _uploaded(self, project: Project) -> tuple[list[str], int] | None:
        """The project's upload names and how many there are; None when the store can't say (then
        no photo is said missing from the file)."""
        try:
            media, total = self.s.store.media_page(project.id, MAX_UPLOADS_NAMED)
        except LocalStateError:
            return None
        return [m.name for m in media], total

    def _not_in_file(self, project: Project, fp: str, pending: Generation | None) -> list[Generation]:
        """The session's latest requests in this project whose outcome is this very timeline
        (newest first), back to the one whose change it shows: the file has what they did."""
        found: list[Generation] = []
        for gen in self.s.store.session_turns(CLIENT.get(), limit=20):
            if gen.project_id != project.id or (pending is not None and gen.id == pending.id):
                continue
            seen = gen.fact_map.get("timeline")
            if never_ran(gen):
                continue  # refused before the agent acted: no part of this file's story
            if not isinstance(seen, dict) or seen.get("after") != fp:
                break  # the timeline has changed since (or was unread then): not this file's story
            found.append(gen)
            if gen.timeline_changed or len(found) >= 3:
                break
        return found

    def _earlier(
        self,
        project: Project,
        rec: Render,
        told: set[str],
        pending: Generation | None,
        session: list[Generation],
    ) -> list[Generation]:
        """The session's requests in this project since its last delivered file (before this
        one), other than those ``_not_in_file`` judged: those that changed nothing then, which a
        later change may or may not have done (play-test 14: dropped once a later request landed)."""
        since = max(
            (r.created_at for r in self.s.store.project_renders(project.id, 10) if r.told and r.id != rec.id),
            default=0.0,
        )
        skip = told | ({pending.id} if pending is not None else set())
        return [g for g in session if g.id not in skip and g.created_at > since]  # this project's

    async def _render_for(
        self, project: Project, draft: dict[str, Any], fp: str, fmt: str, quality: str, lang: Lang
    ) -> tuple[Job | None, Render, str | None]:
        """The render that shows this exact timeline: saved, running, or started now."""
        note = None
        stale: list[Render] = []
        for rec in self.s.store.project_renders(project.id, 10):
            if rec.draft_fp != fp:
                if rec.status in OPEN_RENDER:
                    stale.append(rec)
                continue
            if (
                rec.format != fmt
                or rec.quality != quality
                or rec.status in (RenderState.FAILED, RenderState.CANCELLED)
            ):
                continue
            if rec.status is RenderState.DOWNLOADED and still_there(rec):
                # The same timeline: the same file, and "the same file" only if it was delivered before;
                # "hasn't changed since" only if no edit nor other file came between (play27en S3:
                # said after two edits that changed the music's volume and back).
                if not rec.told:
                    return None, rec, None
                key = "export.reused" if self._unchanged_since(project, rec) else "export.reused_back"
                return None, rec, t(key, lang)
            if rec.status in OPEN_RENDER:
                job = self.s.renders.job_for(rec.id)
                if job is None:
                    self.s.renders.resume()
                    job = self.s.renders.job_for(rec.id)
                if job is not None:
                    return job, rec, None
                return None, rec, None  # another process follows it: watched, never rendered twice
        for old in stale:  # never deliver a render older than the timeline
            note = t("export.timeline_changed", lang, render_id=old.id)
            try:
                await self.s.renders.cancel(old.id, CANCEL_OUTDATED)
            except NemoError as err:
                log.info("could not cancel outdated render %s: %s", old.id, err)
        job = self.s.renders.start(project.id, project.session_id, draft, fp, fmt, quality)
        started = self.s.store.render(job.id)
        assert started is not None
        return job, started, note

    async def _export_output(
        self, rec: Render, project: Project, timeline: TimelineView, lang: Lang, notes: list[str]
    ) -> ExportOutput:
        view = await self.s.project_view(project, link=True)
        url = view.project_url if view else None
        if rec.status is RenderState.DOWNLOADED:
            self.s.store.update_render(rec.id, told=1)
            reply = export_done(rec, url, lang, team_member=self.s.team_member)
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
        if rec.status is RenderState.CANCELLED:
            return cancelled_output(rec, project, timeline, lang, notes)
        if rec.status is RenderState.FAILED:
            raise RenderFailedError(
                "render.failed", render_id=rec.id, reason=(rec.error or rec.status).rstrip(".")
            )
        job = self.s.renders.job_for(rec.id)
        eta = None if job is None or job.eta is None else max(0.0, job.eta - time.monotonic())
        # Download or polling trouble: kept, and picked up again by the next call.
        status = "waiting" if rec.error else "rendering"
        reply = export_progress(rec, timeline, lang)
        soon = eta is not None and eta < 60
        poll = max(5, round(eta + 2)) if eta is not None and soon else RENDER_POLL_S
        # Named: another call may switch the current project before this one is followed.
        name = project.name or project.id
        # The step says the wait poll_after_s says (play28zh F3: "in about a minute" beside 20 s).
        step = t("next.export_soon", lang, seconds=poll, project=name)
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
            poll_after_s=poll,
        )


def cancelled_output(
    rec: Render, project: Project, timeline: TimelineView, lang: Lang, notes: list[str]
) -> ExportOutput:
    """A render that was cancelled: no file, and why, from its record (the user asked: nothing to
    do unless they want the video after all; the timeline changed since, or NemoVideo stopped it:
    export again for a file). Never a failure to retry, never a paid "simplify" hint."""
    why = {CANCEL_ASKED: "asked", CANCEL_OUTDATED: "outdated"}.get(rec.error or "", "elsewhere")
    name = project.name or project.id
    return ExportOutput(
        language=lang,
        status="cancelled",
        render_id=rec.id,
        timeline=timeline,
        reply="\n\n".join([*notes, t(f"export.cancelled_{why}", lang, render_id=rec.id)]),
        next_steps=[t(f"next.export_cancelled_{why}", lang, project=name)],
    )


def still_there(rec: Render) -> bool:
    """A verified export still to be had: its file on this computer, or (hosted mode, where no
    file is kept) the link it was verified at."""
    if rec.local_path:
        return Path(rec.local_path).is_file()
    return rec.output_url is not None
