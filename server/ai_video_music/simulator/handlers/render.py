"""The render endpoints: start, poll, cancel and the fallback download.

A render really renders: the draft is handed to a worker thread (one at a time, like a queue)
and the poll's ``progress`` follows the frames written, but never runs ahead of
``render_seconds`` (realistic timings), reported in the configured ``progress_style`` (fixed
for a render when it is submitted). ``slow`` never finishes; ``render_fail`` fails.
"""

from __future__ import annotations

import time
from typing import Any

import uuid_utils
from starlette.requests import Request
from starlette.responses import Response

from .. import renderer
from ..config import Envelope
from ..envelope import ATTRIBUTION, ApiReject, json_body, ok, user_for
from ..progress import completed, reported, submitted
from ..state import RenderJob, SimState

FINAL = ("completed", "failed", "cancelled")


async def render_start(state: SimState, request: Request) -> Response:
    user_for(state, request)
    if not all(request.headers.get(h) for h in ATTRIBUTION):
        raise ApiReject(402, "export requires attribution headers (free plan)")
    body = await json_body(request)
    sid = str(body.get("sessionId") or body.get("session_id") or "")
    with state.lock:
        known = sid in state.sessions
    if not known:
        raise ApiReject(1002, "session not found")
    draft = body.get("draft")
    draft = draft if isinstance(draft, dict) else {}
    if not any(isinstance(t, dict) and t.get("sg") for t in draft.get("t") or []):
        raise ApiReject(4003, "draft has no segments", http=422)
    job_id = str(body.get("id") or f"render_{int(time.time() * 1000)}")[:200]
    fault = state.faults.take("render", {"slow", "render_fail"})
    seconds = float("inf") if fault is not None and fault.kind == "slow" else state.config.render_seconds
    job = RenderJob(job_id, sid, time.time(), seconds, fail=fault is not None and fault.kind == "render_fail")
    job.gate = state.gate("render")
    with state.lock:
        job.style = state.config.progress_style
        state.renders[job_id] = job
    if fault is None:
        state.pool().submit(renderer.render_job, state, job, draft)
    else:  # a job that will never complete is not worth the CPU
        job.finished.set()
    answer: dict[str, Any] = {"id": job_id, "status": "pending"}
    progress = submitted(job.style)
    if progress is not None:
        answer["progress"] = progress
    return ok(state, answer)


def _advance(job: RenderJob) -> None:
    if job.status in FINAL:
        return
    elapsed = time.time() - job.started
    held = job.gate is not None and not job.gate.released
    if held and job.gate is not None:
        job.gate.enter()
    if job.error is not None:
        job.status = "failed"
    elif job.fail and elapsed >= job.seconds:
        job.status = "failed"
        job.error = "encoder crashed"
    elif job.done and elapsed >= job.seconds and not held:
        job.status = "completed"
    elif job.rendering or job.work > 0 or held or elapsed > min(0.5, job.seconds / 10):
        job.status = "processing"


def _view(state: SimState, job: RenderJob) -> tuple[dict[str, Any], dict[str, Any]]:
    _advance(job)
    elapsed = time.time() - job.started
    timed = elapsed / job.seconds if job.seconds > 0 else 1.0
    done = job.work if not job.fail else timed
    progress = completed(job.style) if job.status == "completed" else reported(job.style, min(done, timed))
    data: dict[str, Any] = {"id": job.id, "status": job.status}
    if progress is not None:
        data["progress"] = progress
    top: dict[str, Any] = {}
    if job.status == "completed":
        url = f"{state.storage_origin}/storage/{job.id}.mp4?X-Sig={uuid_utils.uuid4().hex[:16]}"
        if state.config.envelope == Envelope.SUCCESS:
            top["output"] = {"url": url}
        else:
            data["outputUrl"] = url
    if job.status == "failed":
        data["error"] = job.error or "render failed"
    return data, top


def _job(state: SimState, request: Request) -> RenderJob:
    user_for(state, request)
    with state.lock:
        job = state.renders.get(request.path_params["rid"])
    if job is None:
        raise ApiReject(404, "render not found", http=404)
    return job


async def render_poll(state: SimState, request: Request) -> Response:
    data, top = _view(state, _job(state, request))
    return ok(state, data, top)


async def render_cancel(state: SimState, request: Request) -> Response:
    job = _job(state, request)
    _advance(job)
    if job.status not in FINAL:
        job.status = "cancelled"
        job.cancel.set()
    return ok(state, {"id": job.id, "status": job.status})


async def render_download(state: SimState, request: Request) -> Response:
    job = _job(state, request)
    _advance(job)
    if job.status != "completed":
        raise ApiReject(409, "render not finished", http=409)
    return Response(status_code=302, headers={"Location": f"{state.storage_origin}/storage/{job.id}.mp4"})
