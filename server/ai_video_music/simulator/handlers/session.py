"""``POST /api/tasks/me/with-session/nemo_agent`` and ``GET /api/state/nemo_agent/me/{sid}/latest``."""

from __future__ import annotations

import copy

import uuid_utils
from starlette.requests import Request
from starlette.responses import Response

from ..envelope import json_body, ok, session_for, user_for
from ..state import Session, SimState, new_draft


async def create_session(state: SimState, request: Request) -> Response:
    """One session is one project: an empty draft in the configured frame."""
    user = user_for(state, request)
    body = await json_body(request)
    sid = f"sess_{uuid_utils.uuid4().hex[:16]}"
    language = str(body.get("language") or "en")[:16]
    draft = new_draft(state.config.canvas_width, state.config.canvas_height)
    session = Session(sid, f"task_{uuid_utils.uuid4().hex[:12]}", user.user_id, language, draft)
    with state.lock:
        state.sessions[sid] = session
    return ok(state, {"task_id": session.task_id, "session_id": sid, "user_id": user.user_id})


async def latest_state(state: SimState, request: Request) -> Response:
    session = session_for(state, user_for(state, request), request.path_params["sid"])
    with state.lock:
        body = {
            "draft": copy.deepcopy(session.draft),
            "video_infos": list(session.uploads),
            "generated_media": list(session.generated_media),
            "canvas_config": session.canvas(),
        }
    return ok(state, {"state": body})


async def credits(state: SimState, request: Request) -> Response:
    """``GET /api/credits/balance/simple``."""
    user = user_for(state, request)
    return ok(state, {"available": user.credits, "frozen": user.frozen, "total": user.credits + user.frozen})
