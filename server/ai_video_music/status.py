"""Status: the current project (timeline, media, exports) and the answers not told yet.

It is about the current project of the calling client session. Answers are told to the
session that asked; another project's running work or unread answer, and another session's
answer in this project, are listed labelled, never taken from their owner.
"""

from __future__ import annotations

import math
import time

from . import budget
from .asked import shape_of
from .costs import GateKind, gate
from .errors import BadResponseError, ConnectionFailedError, ServerError, TimeLimitError
from .exports import RENDER_POLL_S, still_there
from .jobs import Job, Reporter, no_progress
from .landing import CutOff, Landing, settle
from .messages import Lang, t
from .outputs import ExportItem, MediaItem, StatusOutput, TurnAnswer
from .projects import CLIENT, is_anonymous
from .records import RenderState
from .replies import (
    as_asked,
    changes,
    cut_off_reply,
    not_as_asked,
    refused_line,
    status_steps,
    status_text,
    turn_answer,
    upload_outcome,
)
from .router import Action
from .sanitize import cap
from .shared import Shared, iso
from .store import Generation, Project, Render
from .timeline import Timeline
from .turns import AGENT_POLL_S, ago
from .uploads import UPLOAD_POLL_S

PAGE_SIZE = 20
MEDIA_SHOWN = 20
PROJECTS_SHOWN = 10


def poll_after(jobs: list[Job]) -> int | None:
    """Seconds until running work is worth looking at again (None when nothing runs)."""
    waits = []
    for job in jobs:
        if job.kind == "render":
            eta = None if job.eta is None else job.eta - time.monotonic()
            waits.append(max(5, round(eta + 2)) if eta is not None and eta < 60 else RENDER_POLL_S)
        else:
            waits.append(AGENT_POLL_S if job.kind == "agent" else UPLOAD_POLL_S)
    return min(waits) if waits else None


def _same_measure(rec: Render, now: Timeline) -> bool:
    """The file's measured length and frame are the timeline's (where both are known): a file of
    another length or frame never shows it, whatever its fingerprint says (play25en F6)."""
    if (
        rec.duration_s is not None
        and now.duration_s is not None
        and abs(rec.duration_s - now.duration_s) > 1.0
    ):
        return False
    if rec.width and rec.height and now.width and now.height:
        return shape_of(rec.width, rec.height) is shape_of(now.width, now.height)
    return True


def _moved_on(rec: Render, session: list[Generation]) -> bool | None:
    """False when a request of the session (newest first) in ``rec``'s project, ended after the
    render began, left that project's timeline other than the file's; else None (not known)."""
    if rec.project_id is None or rec.draft_fp is None:
        return None
    for gen in session:
        if gen.project_id != rec.project_id or (gen.ended_at or gen.created_at) < rec.created_at:
            continue
        seen = gen.fact_map.get("timeline")
        if isinstance(seen, dict) and isinstance(seen.get("after"), str):
            return False if seen["after"] != rec.draft_fp else None
    return None


def export_item(r: Render) -> ExportItem:
    # A saved video is only a file while it is there: the user may have moved or deleted it.
    gone = r.status is RenderState.DOWNLOADED and not still_there(r)
    return ExportItem(
        render_id=r.id,
        project_id=r.project_id,
        project_name=r.project_name,
        status="missing" if gone else r.status,
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


async def status(
    s: Shared, project: str | None = None, page: int = 1, report: Reporter = no_progress
) -> StatusOutput:
    """Read-only: ``project`` (an id or a name) is shown, never made current, and nothing is
    started or saved here (renders are followed and saved by their own jobs, whoever looks)."""
    lang = s.lang()
    notes = s.take_notices(lang)
    current = s.projects.current
    shown_only = False
    if project:
        chosen = s.projects.find(project)
        shown_only = current is None or chosen.id != current.id
        if shown_only:
            notes.append(t("status.shown", lang, name=chosen.name or chosen.id, current=_name(s, current)))
        current = chosen
    s.settle_dead_turns()  # a turn whose reader died: followed from here, or told as interrupted
    deadline = budget.deadline() or time.monotonic() + s.settings.tool_budget
    if current is not None:
        waiting = s.jobs.running(project_id=current.id)
        if waiting:
            await s.jobs.wait(waiting, report, lang, deadline - s.reserve())
    replies, answers = _untold(s, current, lang) if current is not None else ([], [])
    exports, total = s.store.renders_page((max(1, page) - 1) * PAGE_SIZE, PAGE_SIZE)
    recent, projects_total = s.store.recent_projects(PROJECTS_SHOWN)
    mine = s.jobs.running(project_id=current.id) if current is not None else []
    others = [j for j in s.jobs.running() if j not in mine]
    elsewhere, read_elsewhere = _elsewhere(s, current, others, lang)
    out = StatusOutput(
        language=lang,
        reply="",
        projects=[s.view(p) for p in recent],  # rows just read: no second read each
        projects_total=projects_total,
        exports=[export_item(r) for r in exports],
        exports_total=total,
        page=max(1, page),
        pages=max(1, math.ceil(total / PAGE_SIZE)),
        replies=replies,
        answers=answers,
        working=[s.jobs.progress_text(j, lang) for j in mine],
        elsewhere=elsewhere,
        poll_after_s=poll_after(mine),
        upload_page=s.upload_page,
    )
    # Another project's file (its timeline not read here): not its timeline any more when a later
    # request of this session left that timeline otherwise (play25en F6: a 6 s file beside a 10 s video).
    session = s.store.session_turns(CLIENT.get(), limit=50)
    for item, rec in zip(out.exports, exports, strict=True):
        if current is None or rec.project_id != current.id:
            item.matches_timeline = _moved_on(rec, session)
    cancelled_now = False
    if current is not None:
        out.project = await s.project_view(current, link=True)
        try:
            state = await s.state(current)
        except (TimeLimitError, ConnectionFailedError, ServerError, BadResponseError) as err:
            # What is known here (exports, answers, projects) still answers the question.
            notes.append(t("status.timeline_unavailable", lang, error=err.render(lang)))
        else:
            facts = await s.drafts.facts(state.draft, state.canvas)
            out.timeline = facts.view(lang)
            out.exportable = facts.exportable
            current_fp = facts.fingerprint
            for item, rec in zip(out.exports, exports, strict=True):
                # Every export of the project whose timeline was read, saved or not: only another
                # project's (whose timeline is not read here) stays unknown.
                if rec.project_id == current.id:
                    item.matches_timeline = rec.draft_fp == current_fp and _same_measure(rec, facts.timeline)
            latest = next(
                (r for r in s.store.project_renders(current.id, 5) if r.draft_fp == current_fp), None
            )
            out.export_current = (
                latest is not None and latest.status is RenderState.DOWNLOADED and still_there(latest)
            )
            # No "call export" when the user just cancelled the export of this very timeline.
            cancelled_now = latest is not None and latest.status is RenderState.CANCELLED
            cut = await settle(s.store, CLIENT.get(), current.id, state, current_fp)
            if cut is not None:
                _tell_cut_off(out, notes, cut, lang)
        out.project_exported = bool(s.store.project_renders(current.id, 1))
        media, out.media_total = s.store.media_page(current.id, MEDIA_SHOWN)
        out.media = [MediaItem(name=m.name, kind=m.kind, url=m.url) for m in media]
    refused = None
    if current is not None and not out.exportable and not s.store.has_turns(current.id):
        asked_last = s.store.latest_turn(CLIENT.get(), current.id)
        reason = asked_last.fact_map.get("not_sent") if asked_last is not None else None
        if asked_last is not None and reason in ("cannot_run", "needs_confirmation", "ask"):
            refused = asked_last
            notes.append(refused_line(refused, lang))
    out.reply = status_text(out, notes, lang, team_member=s.team_member)
    asked = s.store.latest_turn(CLIENT.get(), current.id) if current is not None else None
    held = asked is not None and str(Action.EXPORT) in asked.held_back
    if held and asked is not None and current is not None:
        # Held until they export: an export asked for since then ends it, a new render or the same
        # file handed over again (play29zh F22: "the same file" after the hold kept it held).
        newest = s.store.project_renders(current.id, 1)
        handed = newest[0].updated_at if newest and newest[0].told else 0.0
        held = not newest or max(newest[0].created_at, handed) < asked.created_at
    unchanged = any(a.timeline_changed is False for a in out.answers)
    left_now = await s.balance_or_none() if unchanged else None  # hints from the balance now
    out.next_steps = status_steps(out, lang, cancelled_now, export_held=held, left_now=left_now)
    out.next_steps += read_elsewhere  # how to read the answers waiting elsewhere (said in reply)
    if refused is not None and refused.fact_map.get("not_sent") == "cannot_run":
        # The balance as it is now, not as it was then: the user may have got more credits since.
        left = await s.balance_or_none()
        g = gate(left, generating=out.media_total == 0)
        if left is not None and (g is None or g.kind is not GateKind.CANNOT_RUN):
            out.next_steps.insert(
                0, t("next.refused_can_run", lang, left=f"{left:g}", prompt=cap(refused.prompt, 80))
            )
        else:  # asking again can't run either: the way to more credits first
            generate_step = t("next.generate_from_media", lang)
            out.next_steps = [step for step in out.next_steps if step != generate_step]
            out.next_steps.append(t("next.credits_low", lang))
    if shown_only and current is not None:
        # Its "call export" would export the current project: say how to act on this one (an
        # empty one has nothing to export).
        export_step = t("next.export", lang)
        out.next_steps = [step for step in out.next_steps if step != export_step]
        shown = "next.shown_project" if out.exportable else "next.shown_project_empty"
        out.next_steps.append(t(shown, lang, name=current.name or current.id))
    return out


def _tell_cut_off(out: StatusOutput, notes: list[str], cut: CutOff, lang: Lang) -> None:
    """A request whose answer was cut off: not known yet (said first, with when to look again),
    or its outcome, told as an answer (what landed, or that it changed nothing)."""
    gen = cut.gen
    prompt = cap(gen.prompt, 80)
    if cut.outcome is Landing.PENDING:
        sent = ago(gen.sent_at or gen.created_at)
        notes.append(t("landing.pending", lang, prompt=prompt, ago=sent, seconds=AGENT_POLL_S))
        out.next_steps.insert(0, t("next.landing_pending", lang, seconds=AGENT_POLL_S))
        out.poll_after_s = min(out.poll_after_s or AGENT_POLL_S, AGENT_POLL_S)
        return
    reply = cut_off_reply(gen, lang)
    out.replies.append(reply)
    out.answers.append(
        TurnAnswer(
            request=gen.prompt,
            reply=reply,
            timeline_changed=gen.timeline_changed,
            changes=changes(gen, lang),
            not_as_asked=not_as_asked(gen, lang),
            as_asked=as_asked(gen, lang),
        )
    )


def _name(s: Shared, project: Project | None) -> str:
    return (project.name or project.id) if project is not None else t("project.unnamed", s.lang())


def _untold(s: Shared, project: Project, lang: Lang) -> tuple[list[str], list[TurnAnswer]]:
    """Outcomes not told yet to this session: uploads that ended in the background, agent
    answers (each once, with its cost)."""
    client = CLIENT.get()
    replies: list[str] = []
    answers: list[TurnAnswer] = []
    for up in s.store.undelivered_uploads(project.id):
        # Without sessions an upload can't be named later (its handle is a job's, not a request's):
        # its outcome goes to the next sessionless call in its project, as before sessions existed.
        shared = is_anonymous(up.client) and is_anonymous(client)
        if up.client is not None and up.client != client and not shared:
            continue
        replies.append(upload_outcome(up.status, up.names, up.error, lang))
        s.store.update_upload(up.id, delivered=1)
    more = s.more_credits(lang)
    for gen in s.store.undelivered_turns(project.id, client=client):
        answer = turn_answer(gen, lang, more)
        replies.append(answer.reply)
        answers.append(answer)
        s.store.update_generation(gen.id, delivered=1, cost_told=1)
    return replies, answers


def _elsewhere(
    s: Shared, current: Project | None, others: list[Job], lang: Lang
) -> tuple[list[str], list[str]]:
    """Other projects' running work and unread answers, each labelled with its project; and the
    next steps that read those answers (tool words stay out of ``reply``)."""
    lines: list[str] = []
    steps: list[str] = []
    if others:
        items = "; ".join(f"[{s.project_name(j.project_id)}] {s.jobs.progress_text(j, lang)}" for j in others)
        lines.append(t("status.working_elsewhere", lang, items=items))
    for gen in s.store.undelivered_elsewhere(current.id if current else None, CLIENT.get()):
        prompt = cap(gen.prompt, 60)
        if current is not None and gen.project_id == current.id:
            told = "request" if is_anonymous(CLIENT.get()) else "session"
            lines.append(t(f"status.answer_other_{told}", lang, prompt=prompt))
            step = t("next.read_other_request", lang) if told == "request" else None
        else:
            name = s.project_name(gen.project_id)
            lines.append(t("status.answer_elsewhere", lang, prompt=prompt, name=name))
            step = t("next.read_elsewhere", lang, name=name)
        if step is not None and step not in steps:
            steps.append(step)
    return lines, steps
