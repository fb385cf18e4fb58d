"""Cancel: stop the current project's running renders at the service. An agent request already
sent can't be recalled (the backend has no way to): that is said, and no undo is suggested (an
undo would be another paid request). The request is recorded; its answer is composed from the
record (:func:`replies.cancel_reply`)."""

from __future__ import annotations

import time

import uuid_utils

from .messages import Lang, t
from .outputs import GenerateOutput
from .projects import CLIENT
from .records import OPEN_RENDER, RenderState
from .replies import cancel_reply
from .shared import Shared
from .store import Cancel


async def cancel(s: Shared, lang: Lang, notes: list[str]) -> GenerateOutput:
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
    saved = latest[0].local_path if latest and latest[0].status is RenderState.DOWNLOADED else None
    record = Cancel(
        id=f"cancel_{uuid_utils.uuid7().hex[-12:]}",
        project_id=project.id if project is not None else None,
        client=CLIENT.get(),
        renders=cancelled,
        saved_path=saved,
        agent_running=running,
        told=False,
        created_at=time.time(),
    )
    s.store.add_cancel(record)
    out = GenerateOutput(
        language=lang,
        status="done",
        action="cancel",
        reply="\n\n".join([*notes, cancel_reply(record, lang)]),
        next_steps=[t("next.after_cancel", lang)] if cancelled else [],
        project=await s.project_view(project, link=True),
    )
    s.store.cancel_told(record.id)
    return out
