"""Cancel: stop the current project's running renders at the service. An agent request already
sent can't be recalled (the backend has no way to): that is said, and no undo is suggested (an
undo would be another paid request)."""

from __future__ import annotations

from .messages import Lang, t
from .outputs import GenerateOutput
from .records import OPEN_RENDER, RenderState
from .shared import Shared


async def cancel(s: Shared, lang: Lang, notes: list[str]) -> GenerateOutput:
    project = s.projects.current
    cancelled: list[str] = []
    parts = list(notes)
    if project is not None:
        for rec in s.store.project_renders(project.id, 10):
            if rec.status in OPEN_RENDER:
                await s.renders.cancel(rec.id)
                cancelled.append(rec.id)
    running = project is not None and (
        bool(s.jobs.running("agent", project.id)) or s.store.running_turn(project.id) is not None
    )
    latest = s.store.project_renders(project.id, 1) if project is not None else []
    if cancelled:
        parts.append(t("cancel.done", lang))
    elif latest and latest[0].status is RenderState.DOWNLOADED and latest[0].local_path and not running:
        parts.append(t("cancel.already_saved", lang, path=latest[0].local_path))
    elif not running:
        parts.append(t("cancel.nothing", lang))
    if running:
        parts.append(t("cancel.agent_running", lang))
    return GenerateOutput(
        language=lang,
        status="done",
        action="cancel",
        reply="\n\n".join(parts),
        next_steps=[t("next.after_cancel", lang)] if cancelled else [],
        project=await s.project_view(project, link=True),
    )
