"""Cancel: stop the current project's running renders at the service. An agent request already
sent can't be recalled (the backend has no way to): that is said, and no undo is suggested (an
undo would be another paid request). The request is recorded; its answer is composed from the
record (:func:`replies.cancel_reply`)."""

from __future__ import annotations

import dataclasses
import time

import uuid_utils

from .costs import EDIT_COST, GENERATION_COST
from .messages import Lang, t
from .outputs import GenerateOutput
from .projects import CLIENT
from .records import OPEN_RENDER, RenderState, TurnState
from .replies import CancelFacts, cancel_reply
from .shared import Shared
from .store import Cancel, Generation, Project
from .turns import AGENT_POLL_S, has_video, restore


async def cancel(s: Shared, lang: Lang, notes: list[str], aside: tuple[str, ...] = ()) -> GenerateOutput:
    """Stop what runs; the answer is about the session's most recent request first (a request
    refused for its cost was never sent: nothing to cancel, nothing charged), and a finished
    export is mentioned only when the most recent thing was that export."""
    project = s.projects.current
    cancelled: list[str] = []
    if project is not None:
        for rec in s.store.project_renders(project.id, 10):
            if rec.status in OPEN_RENDER:
                await s.renders.cancel(rec.id)
                cancelled.append(rec.id)
    running = project is not None and (
        bool(s.jobs.running("agent", project.id)) or s.store.running_turn(project.id) is not None
    )
    latest = s.store.project_renders(project.id, 1) if project is not None else []
    asked = s.store.latest_turn(CLIENT.get())
    if (
        asked is not None
        and asked.status is not TurnState.NOT_SENT
        and (project is None or asked.project_id != project.id)
    ):
        asked = None  # sent in another project: the user has moved on (a new project, a switch)
    # An export delivered again (the same file) is touched when told: its updated_at is then.
    export_last = bool(latest) and (asked is None or latest[0].updated_at >= asked.created_at)
    saved = latest[0].local_path if export_last and latest[0].status is RenderState.DOWNLOADED else None
    record = Cancel(
        id=f"cancel_{uuid_utils.uuid7().hex[-12:]}",
        project_id=project.id if project is not None else None,
        client=CLIENT.get(),
        renders=cancelled,
        saved_path=saved,
        agent_running=running,
        told=False,
        created_at=time.time(),
        turn_id=None if export_last or asked is None else asked.id,
    )
    s.store.add_cancel(record)
    turn = s.store.generation(record.turn_id) if record.turn_id else None
    facts = dataclasses.replace(_facts(s, project, turn), aside=aside)
    steps = [t("next.after_cancel", lang)] if cancelled else []
    if running and project is not None:
        # It runs on: when to look, to see whether it still changed the video and what it cost.
        name = project.name or project.id
        steps.insert(0, t("next.status_after_cancel", lang, seconds=AGENT_POLL_S, project=name))
    elif facts.landed is not None and project is not None:
        steps.insert(0, t("next.status_after_landed", lang, project=project.name or project.id))
    out = GenerateOutput(
        language=lang,
        status="done",
        action="cancel",
        reply="\n\n".join([*notes, cancel_reply(record, turn, lang, facts)]),
        next_steps=steps,
        project=await s.project_view(project, link=True),
        poll_after_s=AGENT_POLL_S if running else None,
    )
    s.store.cancel_told(record.id)
    return out


def _facts(s: Shared, project: Project | None, turn: Generation | None) -> CancelFacts:
    """The project's request still running (it leads the answer: sent, charged, not recallable),
    whether any of its requests was sent, and, for a request never sent, its project and media."""
    if project is None:
        return CancelFacts()
    running = s.store.running_turn(project.id)
    if running is not None and running.sent_at is None:
        running = None  # recorded, its cost still being checked: not sent, not charged
    # Finished since it was sent, its answer not told yet: as charged and as unrecallable as one
    # still running (play-test 14: "ah, never mind" answered only about an unsent question).
    landed = None
    if running is None:
        untold = s.store.undelivered_turns(project.id, client=CLIENT.get())
        landed = next((g for g in reversed(untold) if g.sent_at is not None and g.may_have_cost()), None)
    media, total = s.store.media_page(project.id, 10)
    cost = EDIT_COST
    gone = running or landed
    if gone is not None and not has_video(restore(gone.before_draft)) and total == 0:
        cost = GENERATION_COST  # a video made from nothing, as its cost check judged it
    sent = s.store.session_turns(CLIENT.get(), limit=50)
    charged = gone is not None or any(g.project_id == project.id and g.may_have_cost() for g in sent)
    kept = turn is not None and turn.status is TurnState.NOT_SENT and turn.project_id == project.id
    original = None
    if kept and turn is not None and turn.route == "repeat":  # "再来一次" not sent: what it would redo
        original = next(
            (
                g
                for g in sent
                if g.project_id == project.id and g.prompt_key == turn.prompt_key and g.may_have_cost()
            ),
            None,
        )
    fresh = s.store.project(project.id) or project
    return CancelFacts(
        running=running,
        landed=landed,
        running_cost=cost,
        charged=charged,
        project=(fresh.name or s.project_name(project.id)) if kept else None,
        media=tuple(m.name for m in media),
        media_total=total,
        original=original,
    )
