"""A faithful stand-in for the NemoVideo backend, served on loopback (Starlette + uvicorn).

It follows ``backend-api.md`` and, where the contract leaves a choice open, picks one
plausible form (documented here) and lets tests switch between the documented variants:

- envelope ``code`` (``{"code", "message", "data"}``) or ``success`` (``{"success", "data",
  "error"}``, with the render URL at the top level as ``output.url``);
- SSE ``native`` (``{"type": ...}`` events) or ``adk`` (ADK ``Event`` objects, streamed
  ``partial`` text then the full text);
- errors carry both an HTTP status and the body code (1001→401, 1002→404, 2001→403,
  4001→415, 4002→413, 400, 402, 429 with ``Retry-After``);
- draft segments use ``n`` (name), ``s`` (start ms), ``d`` (duration ms), ``v`` (volume %);
- downloads are served from a second port (another origin, like a pre-signed storage URL)
  that rejects requests carrying ``Authorization``, as S3 does.

Admin routes under ``/_sim/`` inject faults and adjust behaviour; they are not part of the
contract and the client never calls them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import uuid_utils
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

ACCEPTED = {
    "mp4", "mov", "avi", "webm", "mkv", "jpg", "jpeg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac",
}  # fmt: skip
IMAGE = {"jpg", "jpeg", "png", "gif", "webp"}
AUDIO = {"mp3", "wav", "m4a", "aac"}
HTTP_FOR_CODE = {1001: 401, 1002: 404, 2001: 403, 4001: 415, 4002: 413, 400: 400, 402: 402, 429: 429}
# Faults answered by the endpoint itself, before its handler runs.
ENDPOINT_FAULTS = {
    "1001", "1002", "2001", "4001", "4002", "400", "402", "429",
    "500", "502", "503", "html", "malformed", "shape",
}  # fmt: skip
# Faults that act later: inside the agent's stream (run_sse), on a render job (render), or
# halfway through a download (storage).
LATE_FAULTS = {"drop", "error_event", "slow", "render_fail"}
FAULT_KINDS = ENDPOINT_FAULTS | LATE_FAULTS
ATTRIBUTION = ("x-skill-source", "x-skill-version", "x-skill-platform")


@dataclass
class SimConfig:
    envelope: str = "code"  # "code" | "success"
    sse_format: str = "native"  # "native" | "adk"
    agent_seconds: float = 1.0  # how long the agent works before it answers
    heartbeat_every: float = 0.25
    no_text_rate: float = 0.3  # share of agent turns that end with no text at all
    render_seconds: float = 2.0
    token_ttl: float = 7 * 24 * 3600
    anonymous_credits: float = 100
    message_cost: float = 5
    max_upload_bytes: int = 500 * 1024 * 1024
    anon_tokens_per_minute: int = 10
    burst_events: int = 0  # >0: stream this many events as fast as possible (benchmarks)
    seed: int | None = None


@dataclass
class Fault:
    route: str  # a route name (see ``_ROUTE_NAMES``) or "*"
    kind: str
    times: int = 1
    retry_after: float | None = None


@dataclass
class User:
    user_id: str
    credits: float
    registered: bool
    client_id: str | None = None
    frozen: float = 0


@dataclass
class Session:
    session_id: str
    task_id: str
    user_id: str
    language: str
    uploads: list[dict[str, Any]] = field(default_factory=list)
    draft: dict[str, Any] = field(default_factory=lambda: {"t": [], "d": 0, "m": {"w": 1920, "h": 1080}})
    generated_media: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RenderJob:
    id: str
    session_id: str
    started: float
    seconds: float
    status: str = "pending"
    fail: bool = False


class SimState:
    """Everything the simulator knows; mutated by the routes and by the admin API."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.rng = random.Random(self.config.seed)  # noqa: S311 - not security, just variety
        self.tokens: dict[str, tuple[str, float]] = {}  # token -> (user_id, expires_at)
        self.users: dict[str, User] = {}
        self.sessions: dict[str, Session] = {}
        self.renders: dict[str, RenderJob] = {}
        self.faults: list[Fault] = []
        self.requests: list[dict[str, Any]] = []
        self.anon_issued: list[tuple[float, str]] = []
        self.next_no_text: bool | None = None
        self.agent_turns: list[tuple[float, float]] = []  # (start, end) of each agent stream
        self.storage_origin = ""
        self.storage_port = 0
        self.lock = threading.Lock()

    def take_fault(self, route: str, kinds: set[str]) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.route in (route, "*") and fault.kind in kinds and fault.times != 0:
                    fault.times -= 1
                    return fault
            self.faults = [f for f in self.faults if f.times != 0]
        return None


class ApiReject(Exception):
    def __init__(self, code: int, message: str, http: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.code, self.message, self.retry_after = code, message, retry_after
        self.http = http or HTTP_FOR_CODE.get(code, 400)


def sample_mp4() -> bytes:
    """A real 2-second H.264/AAC clip: what every render 'produces'."""
    return resources.files("ai_video_music").joinpath("assets/sample.mp4").read_bytes()


def build_app(state: SimState) -> Starlette:
    """The simulator as an ASGI app over ``state``."""
    mp4 = sample_mp4()

    def ok(data: dict[str, Any], top: dict[str, Any] | None = None) -> JSONResponse:
        if state.config.envelope == "success":
            return JSONResponse({"success": True, "data": data, "error": None, **(top or {})})
        return JSONResponse({"code": 0, "message": "ok", "data": data})

    def fail(exc: ApiReject) -> Response:
        headers = {"Retry-After": f"{exc.retry_after:g}"} if exc.retry_after is not None else None
        if state.config.envelope == "success":
            body: dict[str, Any] = {
                "success": False,
                "data": None,
                "error": {"code": exc.code, "message": exc.message},
            }
        else:
            body = {"code": exc.code, "message": exc.message, "data": None}
        return JSONResponse(body, status_code=exc.http, headers=headers)

    def record(request: Request, name: str) -> None:
        with state.lock:
            state.requests.append(
                {
                    "route": name,
                    "method": request.method,
                    "path": request.url.path,
                    "port": request.url.port,
                    "authorization": "authorization" in request.headers,
                    "attribution": {h: request.headers.get(h) for h in ATTRIBUTION},
                    "client_id": request.headers.get("x-client-id"),
                    "at": time.time(),
                }
            )

    def apply_fault(name: str) -> Response | None:
        fault = state.take_fault(name, ENDPOINT_FAULTS)
        if fault is None:
            return None
        kind = fault.kind
        if kind.isdigit() and int(kind) in HTTP_FOR_CODE:
            code = int(kind)
            retry = fault.retry_after if code == 429 else None
            return fail(ApiReject(code, f"injected {code}", retry_after=retry))
        if kind in ("500", "502", "503"):
            return fail(ApiReject(int(kind), "injected server error", http=int(kind)))
        if kind == "html":
            return Response("<html><body>502 Bad Gateway</body></html>", 502, media_type="text/html")
        if kind == "malformed":
            return Response('{"code": 0, "data": {', 200, media_type="application/json")
        return JSONResponse({"code": 0, "data": ["unexpected", "list"]})  # "shape"

    def user_for(request: Request) -> User:
        auth = request.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        entry = state.tokens.get(token)
        if not auth.startswith("Bearer ") or entry is None:
            raise ApiReject(1001, "token invalid")
        user_id, expires = entry
        if time.time() >= expires:
            raise ApiReject(1001, "token expired")
        return state.users[user_id]

    def session_for(user: User, sid: str) -> Session:
        session = state.sessions.get(sid)
        if session is None or session.user_id != user.user_id:
            raise ApiReject(1002, "session not found")
        return session

    def endpoint(
        name: str, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        async def wrapped(request: Request) -> Response:
            record(request, name)
            if request.url.port == state.storage_port and name != "storage":
                return Response("not found", 404)
            injected = apply_fault(name)
            if injected is not None:
                return injected
            try:
                return await handler(request)
            except ApiReject as exc:
                return fail(exc)

        return wrapped

    # --- auth and sessions --------------------------------------------------------------------

    async def anonymous_token(request: Request) -> Response:
        client_id = request.headers.get("x-client-id")
        if not client_id:
            raise ApiReject(400, "missing X-Client-Id")
        now = time.time()
        with state.lock:
            state.anon_issued = [(t, c) for t, c in state.anon_issued if now - t < 60]
            if len(state.anon_issued) >= state.config.anon_tokens_per_minute:
                raise ApiReject(429, "too many anonymous tokens", retry_after=30)
            state.anon_issued.append((now, client_id))
            user = next((u for u in state.users.values() if u.client_id == client_id), None)
            if user is None:
                user = User(
                    f"anon_{uuid_utils.uuid4().hex[:10]}", state.config.anonymous_credits, False, client_id
                )
                state.users[user.user_id] = user
            token = f"nmv_usr_{uuid_utils.uuid4().hex}"
            expires = now + state.config.token_ttl
            state.tokens[token] = (user.user_id, expires)
        return ok(
            {
                "token": token,
                "user_id": user.user_id,
                "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires)),
                "credits": user.credits,
            }
        )

    async def create_session(request: Request) -> Response:
        user = user_for(request)
        body = await _json(request)
        sid = f"sess_{uuid_utils.uuid4().hex[:16]}"
        language = str(body.get("language") or "en")
        state.sessions[sid] = Session(sid, f"task_{uuid_utils.uuid4().hex[:12]}", user.user_id, language)
        return ok({"task_id": state.sessions[sid].task_id, "session_id": sid})

    async def credits(request: Request) -> Response:
        user = user_for(request)
        return ok({"available": user.credits, "frozen": user.frozen, "total": user.credits + user.frozen})

    async def latest_state(request: Request) -> Response:
        session = session_for(user_for(request), request.path_params["sid"])
        return ok(
            {
                "state": {
                    "draft": session.draft,
                    "video_infos": session.uploads,
                    "generated_media": session.generated_media,
                    "canvas_config": {"width": 1920, "height": 1080},
                }
            }
        )

    # --- upload -------------------------------------------------------------------------------

    def describe(name: str, size: int, url: str) -> dict[str, Any]:
        ext = PurePosixPath(name).suffix.lower().lstrip(".")
        if ext not in ACCEPTED:
            raise ApiReject(4001, f"unsupported file type .{ext}")
        if size > state.config.max_upload_bytes:
            raise ApiReject(4002, "file too large")
        kind = "image" if ext in IMAGE else "audio" if ext in AUDIO else "video"
        return {
            "filename": name,
            "file_type": kind,
            "cdn_url": url,
            "duration": None if kind == "image" else 10.0,
            "width": None if kind == "audio" else 1920,
            "height": None if kind == "audio" else 1080,
            "fps": 30 if kind == "video" else None,
            "hash": uuid_utils.uuid4().hex,
            "size": size,
        }

    async def upload(request: Request) -> Response:
        session = session_for(user_for(request), request.path_params["sid"])
        files: list[dict[str, Any]] = []
        if request.headers.get("content-type", "").startswith("multipart/"):
            async with request.form(max_files=50) as form:
                for item in form.getlist("files"):
                    if isinstance(item, str):
                        continue
                    size = await _size(item)
                    files.append(describe(item.filename or "file", size, f"https://cdn.sim/{item.filename}"))
        else:
            body = await _json(request)
            for url in body.get("urls") or []:
                files.append(
                    describe(PurePosixPath(urlsplit(str(url)).path).name or "remote.mp4", 0, str(url))
                )
        if not files:
            raise ApiReject(4001, "no files in request")
        session.uploads.extend(files)
        return ok({"files": files})

    # --- the agent ----------------------------------------------------------------------------

    async def run_sse(request: Request) -> Response:
        user = user_for(request)
        body = await _json(request)
        session = session_for(user, str(body.get("session_id")))
        parts = (body.get("new_message") or {}).get("parts") or [{}]
        text = str(parts[0].get("text") or "")
        cost = state.config.message_cost
        if user.credits < cost:
            raise ApiReject(2001, "insufficient credits")
        user.credits -= cost
        user.frozen += cost
        fault = state.take_fault("run_sse", {"drop", "error_event"})
        if state.next_no_text is not None:
            silent, state.next_no_text = state.next_no_text, None
        else:
            silent = state.rng.random() < state.config.no_text_rate
        stream = _agent_stream(state, user, session, text, cost, silent, fault)
        return StreamingResponse(
            stream, media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    # --- render and download ------------------------------------------------------------------

    async def render_start(request: Request) -> Response:
        user_for(request)
        if not all(request.headers.get(h) for h in ATTRIBUTION):
            raise ApiReject(402, "export requires attribution headers (free plan)")
        body = await _json(request)
        sid = str(body.get("sessionId") or body.get("session_id") or "")
        if sid not in state.sessions:
            raise ApiReject(1002, "session not found")
        draft = body.get("draft") or {}
        if not any((t or {}).get("sg") for t in draft.get("t") or []):
            raise ApiReject(4003, "draft has no segments", http=422)
        job_id = str(body.get("id") or f"render_{int(time.time() * 1000)}")
        fault = state.take_fault("render", {"slow", "render_fail"})
        seconds = state.config.render_seconds
        if fault is not None and fault.kind == "slow":
            seconds = float("inf")
        job = RenderJob(
            job_id, sid, time.time(), seconds, fail=fault is not None and fault.kind == "render_fail"
        )
        state.renders[job_id] = job
        return ok({"id": job_id, "status": "pending", "progress": 5})

    def advance(job: RenderJob) -> None:
        if job.status in ("completed", "failed", "cancelled"):
            return
        elapsed = time.time() - job.started
        if elapsed >= job.seconds:
            job.status = "failed" if job.fail else "completed"
        elif elapsed > min(0.5, job.seconds / 10):
            job.status = "processing"

    def job_view(job: RenderJob) -> tuple[dict[str, Any], dict[str, Any]]:
        advance(job)
        elapsed = time.time() - job.started
        progress = 100 if job.status == "completed" else min(99, int(5 + 95 * elapsed / job.seconds))
        data: dict[str, Any] = {"id": job.id, "status": job.status, "progress": progress}
        top: dict[str, Any] = {}
        if job.status == "completed":
            url = f"{state.storage_origin}/storage/{job.id}.mp4?X-Sig={uuid_utils.uuid4().hex[:16]}"
            if state.config.envelope == "success":
                top["output"] = {"url": url}
            else:
                data["outputUrl"] = url
        if job.status == "failed":
            data["error"] = "encoder crashed"
        return data, top

    async def render_poll(request: Request) -> Response:
        user_for(request)
        job = state.renders.get(request.path_params["rid"])
        if job is None:
            raise ApiReject(404, "render not found", http=404)
        data, top = job_view(job)
        return ok(data, top)

    async def render_cancel(request: Request) -> Response:
        user_for(request)
        job = state.renders.get(request.path_params["rid"])
        if job is None:
            raise ApiReject(404, "render not found", http=404)
        if job.status not in ("completed", "failed"):
            job.status = "cancelled"
        return ok({"id": job.id, "status": job.status})

    async def render_download(request: Request) -> Response:
        user_for(request)
        job = state.renders.get(request.path_params["rid"])
        if job is None:
            raise ApiReject(404, "render not found", http=404)
        advance(job)
        if job.status != "completed":
            raise ApiReject(409, "render not finished", http=409)
        return Response(status_code=302, headers={"Location": f"{state.storage_origin}/storage/{job.id}.mp4"})

    async def storage(request: Request) -> Response:
        if request.url.port != state.storage_port:
            return Response("not found", 404)
        if "authorization" in request.headers:
            # As S3 answers a pre-signed URL that also carries an Authorization header.
            return Response("<Error><Code>InvalidArgument</Code></Error>", 400, media_type="application/xml")
        job = state.renders.get(request.path_params["name"].removesuffix(".mp4"))
        if job is None or job.status != "completed":
            return Response("<Error><Code>NoSuchKey</Code></Error>", 404, media_type="application/xml")
        fault = state.take_fault("storage", {"drop", "slow"})
        if fault is not None:
            body = _truncated(mp4) if fault.kind == "drop" else _trickle(mp4, seconds=6.0)
            return StreamingResponse(body, media_type="video/mp4", headers={"Content-Length": str(len(mp4))})
        return Response(mp4, media_type="video/mp4")

    # --- admin --------------------------------------------------------------------------------

    async def admin_fault(request: Request) -> Response:
        body = await _json(request)
        kind = str(body.get("kind"))
        if kind not in FAULT_KINDS:
            return JSONResponse({"error": f"unknown fault kind {kind}"}, 400)
        fault = Fault(str(body.get("route", "*")), kind, int(body.get("times", 1)), body.get("retry_after"))
        with state.lock:
            state.faults.append(fault)
        return JSONResponse(asdict(fault))

    async def admin_config(request: Request) -> Response:
        body = await _json(request)
        for key, value in body.items():
            if key == "next_no_text":
                state.next_no_text = bool(value)
            elif hasattr(state.config, key):
                setattr(state.config, key, value)
        return JSONResponse(asdict(state.config))

    async def admin_action(request: Request) -> Response:
        action = request.path_params["action"]
        body = await _json(request)
        if action == "expire-tokens":
            state.tokens = {t: (u, 0.0) for t, (u, _) in state.tokens.items()}
        elif action == "drop-sessions":
            state.sessions.clear()
        elif action == "set-credits":
            for user in state.users.values():
                user.credits = float(body.get("available", 0))
        elif action == "register-user":
            user = User(f"reg_{uuid_utils.uuid4().hex[:10]}", float(body.get("credits", 1000)), True)
            state.users[user.user_id] = user
            token = f"nmv_reg_{uuid_utils.uuid4().hex}"
            state.tokens[token] = (user.user_id, time.time() + state.config.token_ttl)
            return JSONResponse({"token": token, "user_id": user.user_id})
        elif action == "reset-log":
            state.requests.clear()
        else:
            return JSONResponse({"error": "unknown action"}, 404)
        return JSONResponse({"ok": True})

    async def admin_log(_: Request) -> Response:
        return JSONResponse(
            {"requests": state.requests, "renders": {k: asdict(v) for k, v in state.renders.items()}}
        )

    routes = [
        Route("/api/auth/anonymous-token", endpoint("token", anonymous_token), methods=["POST"]),
        Route("/api/tasks/me/with-session/nemo_agent", endpoint("session", create_session), methods=["POST"]),
        Route("/api/credits/balance/simple", endpoint("credits", credits), methods=["GET"]),
        Route("/api/state/nemo_agent/me/{sid}/latest", endpoint("state", latest_state), methods=["GET"]),
        Route("/api/upload-video/nemo_agent/me/{sid}", endpoint("upload", upload), methods=["POST"]),
        Route("/run_sse", endpoint("run_sse", run_sse), methods=["POST"]),
        Route("/api/render/proxy/lambda", endpoint("render", render_start), methods=["POST"]),
        Route("/api/render/proxy/lambda/{rid}", endpoint("render_poll", render_poll), methods=["GET"]),
        Route(
            "/api/render/proxy/lambda/{rid}/cancel",
            endpoint("render_cancel", render_cancel),
            methods=["POST"],
        ),
        Route("/api/render/proxy/{rid}/download", endpoint("download", render_download), methods=["GET"]),
        Route("/storage/{name}", endpoint("storage", storage), methods=["GET"]),
        Route("/_sim/faults", admin_fault, methods=["POST"]),
        Route("/_sim/config", admin_config, methods=["POST"]),
        Route("/_sim/log", admin_log, methods=["GET"]),
        Route("/_sim/{action}", admin_action, methods=["POST"]),
    ]
    return Starlette(routes=routes)


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


async def _size(upload: Any) -> int:
    size = 0
    while chunk := await upload.read(1024 * 1024):
        size += len(chunk)
    return size


async def _trickle(data: bytes, seconds: float) -> AsyncIterator[bytes]:
    """Serve ``data`` slowly, so a test can interrupt a download half-way."""
    pieces = 20
    step = len(data) // pieces + 1
    for i in range(0, len(data), step):
        yield data[i : i + step]
        await asyncio.sleep(seconds / pieces)


async def _truncated(data: bytes) -> AsyncIterator[bytes]:
    yield data[: len(data) // 2]
    raise ConnectionResetError("storage dropped the connection")


# --- the agent's behaviour ---------------------------------------------------------------------

_SECONDS = re.compile(r"(\d{1,3})\s*(?:-|\s)?(?:seconds?|secs?|s\b|秒)", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“「']([^\"”」']{1,60})[\"”」']")


def _edit_draft(session: Session, text: str) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """Apply a message to the draft as an editing agent would; returns (tool calls, reply)."""
    lower = text.lower()
    draft = session.draft
    tracks: list[dict[str, Any]] = draft.setdefault("t", [])
    zh = session.language.startswith("zh")
    match = _SECONDS.search(text)
    calls: list[tuple[str, dict[str, Any]]] = []
    replies: list[str] = []

    def track(tt: int) -> dict[str, Any] | None:
        return next((t for t in tracks if t.get("tt") == tt), None)

    wants_music = any(k in lower for k in ("music", "bgm", "soundtrack", "音乐", "配乐"))
    wants_title = any(k in lower for k in ("title", "caption", "标题", "字幕"))
    wants_video = (
        track(0) is None
        or bool(match)
        or any(k in lower for k in ("make", "create", "generate", "video", "生成", "制作", "视频"))
    )
    if wants_title and not match and track(0) is not None:
        wants_video = False
    if wants_video:
        total = int(match.group(1)) * 1000 if match else max(draft.get("d") or 0, 10_000)
        media = [u for u in session.uploads if u.get("file_type") in ("video", "image")]
        if not media:
            media = [
                {"filename": "AI generated scene", "file_type": "video", "cdn_url": "https://cdn.sim/gen.mp4"}
            ]
            session.generated_media.append({"name": "AI generated scene", "url": "https://cdn.sim/gen.mp4"})
        each = max(1000, total // len(media))
        segments = [
            {
                "n": PurePosixPath(str(m.get("filename"))).stem,
                "s": i * each,
                "d": each,
                "src": m.get("cdn_url"),
            }
            for i, m in enumerate(media)
        ]
        video = track(0)
        if video is None:
            tracks.insert(0, {"tt": 0, "sg": segments, "m": {"name": "Video"}})
        else:
            video["sg"] = segments
        draft["d"] = each * len(media)
        calls.append(("build_timeline", {"clips": len(segments)}))
        replies.append(
            f"视频已生成，共 {len(segments)} 个片段。"
            if zh
            else f"Your {draft['d'] // 1000}-second video is ready with {len(segments)} clip(s). "
            "Open the timeline panel to review it."
        )
    if wants_music:
        audio = track(1) or {"tt": 1, "sg": [], "m": {"name": "BGM"}}
        if audio not in tracks:
            tracks.append(audio)
        audio["sg"] = [{"n": "Lo-fi Chill (free music)", "s": 0, "d": draft.get("d") or 10_000, "v": 35}]
        calls.append(("add_bgm", {"track": "Lo-fi Chill"}))
        replies.append(
            "已添加免费背景音乐。"
            if zh
            else "I've added a free Lo-fi background track at 35% volume. Preview it in the timeline."
        )
    if wants_title:
        quoted = _QUOTED.search(text)
        title = quoted.group(1) if quoted else "My Video"
        tracks[:] = [t for t in tracks if t.get("tt") != 7]
        tracks.append({"tt": 7, "sg": [{"n": title, "s": 0, "d": 3000}], "m": {"name": "Title"}})
        calls.append(("add_text", {"text": title}))
        replies.append(
            f"已添加标题「{title}」。"
            if zh
            else f'Added the title "{title}". Drag it on the timeline to move it.'
        )
    replies.append(
        "点击导出按钮即可下载视频。" if zh else "Then click the Export button to download your video."
    )
    return calls, " ".join(replies)


async def _agent_stream(
    state: SimState, user: User, session: Session, text: str, cost: float, silent: bool, fault: Fault | None
) -> AsyncIterator[bytes]:
    adk = state.config.sse_format == "adk"

    def event(obj: dict[str, Any]) -> bytes:
        return f"data: {json.dumps(obj, ensure_ascii=False)}\n\n".encode()

    def adk_event(parts: list[dict[str, Any]], **extra: Any) -> bytes:
        return event({"author": "nemo_agent", "content": {"role": "model", "parts": parts}, **extra})

    started = time.monotonic()
    try:
        deadline = time.monotonic() + state.config.agent_seconds
        beat = 0
        while time.monotonic() < deadline:
            await asyncio.sleep(min(state.config.heartbeat_every, max(0.0, deadline - time.monotonic())))
            beat += 1
            # Alternate an SSE comment, an empty data line and an explicit heartbeat event.
            if beat % 3 == 0:
                yield b": ping\n\n"
            elif beat % 3 == 1:
                yield b"data:\n\n"
            else:
                yield event({"type": "heartbeat"}) if not adk else b"data: \n\n"
        heartbeat = event({"type": "heartbeat"}) if not adk else b"data: \n\n"
        for _ in range(state.config.burst_events):  # a 15-minute turn, compressed
            yield heartbeat
        calls, reply = _edit_draft(session, text)
        for tool, args in calls:
            if adk:
                yield adk_event([{"functionCall": {"name": tool, "args": args}}])
                yield adk_event([{"functionResponse": {"name": tool, "response": {"ok": True}}}])
            else:
                yield event({"type": "tool_call", "name": tool, "args": args})
                yield event({"type": "tool_result", "name": tool, "result": {"ok": True}})
        if fault is not None and fault.kind == "error_event":
            yield event({"error": "agent crashed while editing"})
            return
        if silent:
            return
        if fault is not None and fault.kind == "drop":
            yield (
                event({"type": "text", "content": reply[: len(reply) // 2]})
                if not adk
                else adk_event([{"text": reply[: len(reply) // 2]}], partial=True)
            )
            raise ConnectionResetError("stream dropped")
        if adk:
            cut = len(reply) // 2
            yield adk_event([{"text": reply[:cut]}], partial=True)
            yield adk_event([{"text": reply[cut:]}], partial=True)
            yield adk_event([{"text": reply}], turnComplete=True)
        else:
            yield event({"type": "text", "content": reply})
    finally:
        user.frozen = max(0.0, user.frozen - cost)
        state.agent_turns.append((started, time.monotonic()))


# --- serving -----------------------------------------------------------------------------------


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this; without it Nagle and delayed ACKs add 40 ms a request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class Simulator:
    """Binds the API port and the storage port, then serves both from one uvicorn server."""

    def __init__(
        self,
        config: SimConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        storage_port: int = 0,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the simulator only listens on loopback")
        self.state = SimState(config)
        self._api = _bind("127.0.0.1", port)
        self._storage = _bind("127.0.0.1", storage_port)
        self.port = self._api.getsockname()[1]
        self.state.storage_port = self._storage.getsockname()[1]
        self.state.storage_origin = f"http://127.0.0.1:{self.state.storage_port}"
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(
            uvicorn.Config(build_app(self.state), log_level="warning", lifespan="off", access_log=False)
        )
        self._thread: threading.Thread | None = None

    async def serve(self) -> None:
        await self._server.serve(sockets=[self._api, self._storage])

    def start(self) -> Simulator:
        """Serve from a background thread (tests); returns once it accepts connections."""
        self._thread = threading.Thread(target=lambda: asyncio.run(self.serve()), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("simulator did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        for sock in (self._api, self._storage):
            with contextlib.suppress(OSError):
                sock.close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
