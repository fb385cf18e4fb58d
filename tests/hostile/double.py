"""A hostile NemoVideo backend: a raw HTTP/1.1 server on 127.0.0.1 whose every answer a test scripts.

Written independently of the simulator (which is honest by design): this one speaks bytes, so
a test can send any status, headers and body, inflate a gzip bomb, drip a byte a second, accept
and never answer, stream SSE lines of any size, echo the Authorization header, or answer HTML
with a 200. It runs its own asyncio loop in a thread, so in-memory servers and subprocesses
(over stdio) talk to it the same way, over real loopback.

By default it answers like a plain, honest backend (so a test scripts only what it attacks):

    with Hostile(video=mp4_bytes) as h:
        h.on("state", raw_json('{"code":0,"data":{"state":{"draft":{"d":NaN}}}}'))
        h.on("credits", silence(), times=1)
        ...
        h.requests("render")  # what the client sent

Every answer is an ``async (request, conn) -> None``; helpers below build the usual ones.
Connections are closed after each answer (``Connection: close``), which keeps the framing
trivial and lets an answer lie about lengths without confusing the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ..bombs import gzip_bomb_body

TOKEN = "nmv_usr_hostile_5ecret_7f3a9c2e41"
CLAIM = "clm_hostile_claim_0001"
MAX_KEPT_BODY = 1 << 20  # a recorded request body is cut here (uploads can be large)

ROUTES: list[tuple[str, str, re.Pattern[str]]] = [
    (name, method, re.compile(pattern))
    for name, method, pattern in (
        ("token", "POST", r"^/api/auth/anonymous-token$"),
        ("claim", "POST", r"^/api/auth/claim-token$"),
        ("session", "POST", r"^/api/tasks/me/with-session/nemo_agent$"),
        ("credits", "GET", r"^/api/credits/balance/simple$"),
        ("state", "GET", r"^/api/state/nemo_agent/me/(?P<id>[^/]+)/latest$"),
        ("upload", "POST", r"^/api/upload-video/nemo_agent/me/(?P<id>[^/]+)$"),
        ("run_sse", "POST", r"^/run_sse$"),
        ("render", "POST", r"^/api/render/proxy/lambda$"),
        ("render_cancel", "POST", r"^/api/render/proxy/lambda/(?P<id>[^/]+)/cancel$"),
        ("render_poll", "GET", r"^/api/render/proxy/lambda/(?P<id>[^/]+)$"),
        ("download", "GET", r"^/api/render/proxy/(?P<id>[^/]+)/download$"),
        ("file", "GET", r"^/files/(?P<name>[^/]+)$"),
    )
]

#: A draft a turn of the default agent leaves behind: exportable, with a title and music.
DRAFT: dict[str, Any] = {
    "t": [
        {"tt": 0, "sg": [{"n": "beach", "s": 0, "d": 2000}]},
        {"tt": 1, "sg": [{"n": "Calm piano", "s": 0, "d": 2000, "v": 35}]},
        {"tt": 7, "sg": [{"n": "Summer", "s": 0, "d": 1000}]},
    ],
    "d": 2000,
    "m": {"w": 320, "h": 180},
}


@dataclass
class Request:
    """One request as it arrived: ``path`` is raw (still percent-encoded), ``params`` decoded."""

    route: str
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")


class Conn:
    """The answering side of one connection."""

    def __init__(self, writer: asyncio.StreamWriter, hostile: Hostile) -> None:
        self.writer = writer
        self.hostile = hostile

    async def write(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def head(self, status: int, headers: Iterable[tuple[str, str]], length: int | None) -> None:
        lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
        lines += [f"{k}: {v}" for k, v in headers]
        if length is not None:
            lines.append(f"Content-Length: {length}")
        lines.append("Connection: close")
        await self.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    async def send(self, status: int, body: bytes, headers: Iterable[tuple[str, str]] = ()) -> None:
        await self.head(status, headers, len(body))
        await self.write(body)

    async def released(self) -> None:
        """Wait until the test releases held answers (or resets the double)."""
        await self.hostile._release_event().wait()


Answer = Callable[[Request, Conn], Awaitable[None]]


# --- answers -------------------------------------------------------------------------------------


def reply(
    body: bytes | str = b"",
    status: int = 200,
    headers: Iterable[tuple[str, str]] = (),
    content_type: str | None = "application/json",
) -> Answer:
    """Exactly these bytes (a str is sent as UTF-8, lone surrogates escaped as JSON would)."""
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    extra = [*headers] + ([("Content-Type", content_type)] if content_type else [])

    async def answer(req: Request, conn: Conn) -> None:
        await conn.send(status, data, extra)

    return answer


def raw_json(text: str, status: int = 200, headers: Iterable[tuple[str, str]] = ()) -> Answer:
    """JSON text as written (``NaN``, ``Infinity``, ``1e999``, ``"\\ud83c"`` stay what they are)."""
    return reply(text, status, headers)


def json_reply(value: Any, status: int = 200, headers: Iterable[tuple[str, str]] = ()) -> Answer:
    """``value`` as JSON; non-finite floats become ``NaN``/``Infinity``, lone surrogates ``\\udXXX``."""
    return reply(json.dumps(value, allow_nan=True), status, headers)


def ok(data: Any, status: int = 200, headers: Iterable[tuple[str, str]] = ()) -> Answer:
    """The ``{"code": 0, "data": ...}`` envelope."""
    return json_reply({"code": 0, "message": "success", "data": data}, status, headers)


def fail(code: int, message: str, status: int = 200, headers: Iterable[tuple[str, str]] = ()) -> Answer:
    """An error envelope (with a 200 unless ``status`` says otherwise)."""
    return json_reply({"code": code, "message": message, "data": None}, status, headers)


def silence() -> Answer:
    """Accept the request, read it, never answer (until released)."""

    async def answer(req: Request, conn: Conn) -> None:
        await conn.released()

    return answer


def hang_up() -> Answer:
    """Close the connection without a byte of answer."""

    async def answer(req: Request, conn: Conn) -> None:
        return None

    return answer


def drip(
    body: bytes, every: float = 1.0, status: int = 200, content_type: str = "application/json"
) -> Answer:
    """Headers at once, then one byte every ``every`` seconds (a live but useless connection)."""

    async def answer(req: Request, conn: Conn) -> None:
        await conn.head(status, [("Content-Type", content_type)], len(body))
        for i in range(len(body)):
            await conn.write(body[i : i + 1])
            await asyncio.sleep(every)

    return answer


def stall(body: bytes, at: int, content_type: str = "video/mp4") -> Answer:
    """The first ``at`` bytes, then nothing until released, then the rest: a download in progress."""

    async def answer(req: Request, conn: Conn) -> None:
        await conn.head(200, [("Content-Type", content_type)], len(body))
        await conn.write(body[:at])
        await conn.released()
        await conn.write(body[at:])

    return answer


def gzip_bomb(
    inflated: int,
    status: int = 200,
    content_type: str = "application/json",
    prefix: bytes = b'{"code":0,"x":"',
) -> Answer:
    """A small gzip body that inflates to ``inflated`` bytes, sent with ``Content-Encoding: gzip``."""
    body = gzip_bomb_body(inflated, prefix)

    async def answer(req: Request, conn: Conn) -> None:
        await conn.send(status, body, [("Content-Type", content_type), ("Content-Encoding", "gzip")])

    return answer


def sse(*events: Any, close: bool = True, every: float = 0.0) -> Answer:
    """An event stream: each event a JSON value (``data: <json>``), or bytes sent as they are
    (raw lines, comments, a 50 MB line...). Then the stream closes, or holds until released."""

    async def answer(req: Request, conn: Conn) -> None:
        await conn.head(200, [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")], None)
        for event in events:
            if isinstance(event, bytes):
                await conn.write(event)
            else:
                await conn.write(b"data: " + json.dumps(event, allow_nan=True).encode() + b"\n\n")
            if every:
                await asyncio.sleep(every)
        if not close:
            await conn.released()

    return answer


def pings(every: float = 0.05) -> Answer:
    """An event stream of nothing but ``: ping`` comments, forever (until released)."""

    async def answer(req: Request, conn: Conn) -> None:
        await conn.head(200, [("Content-Type", "text/event-stream")], None)
        release = conn.hostile._release_event()
        while not release.is_set():
            await conn.write(b": ping\n\n")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(release.wait(), every)

    return answer


def echo_auth(status: int = 500) -> Answer:
    """An error whose message repeats the request's Authorization header (and the token alone)."""

    async def answer(req: Request, conn: Conn) -> None:
        auth = req.authorization
        token = auth.removeprefix("Bearer ").strip()
        message = f"invalid request with {auth!s}; token={token}; raw {token}"
        body = json.dumps({"code": 5000, "message": message, "error": {"message": token}})
        await conn.send(status, body.encode(), [("Content-Type", "application/json")])

    return answer


def then(first: Callable[[Request], None], answer: Answer) -> Answer:
    """Run ``first(request)`` (in the double's thread) before answering: a hook for side effects."""

    async def wrapped(req: Request, conn: Conn) -> None:
        first(req)
        await answer(req, conn)

    return wrapped


# --- the server ----------------------------------------------------------------------------------


@dataclass
class _Script:
    answer: Answer
    times: int | None  # None: every time (until reset)


class Hostile:
    """The double. ``on(route, answer, times=None)`` scripts a route; ``reset()`` clears scripts,
    the log and held answers; ``requests(route)`` is what arrived."""

    def __init__(self, video: bytes = b"") -> None:
        self.video = video
        self.token = TOKEN
        self.draft: dict[str, Any] = {"t": []}
        self.turn_draft: dict[str, Any] = DRAFT
        self.credits = 100.0
        self._scripts: dict[str, list[_Script]] = {}
        self._log: list[Request] = []
        self._cond = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._release: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    # --- lifecycle ---

    def __enter__(self) -> Hostile:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)

            async def start() -> None:
                self._release = asyncio.Event()
                self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, limit=1 << 16)
                self.port = self._server.sockets[0].getsockname()[1]
                ready.set()

            loop.run_until_complete(start())
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="hostile-backend", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the hostile backend did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        loop = self._loop
        if loop is None:
            return

        async def stop() -> None:
            assert self._server is not None and self._release is not None
            self._release.set()
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        assert self._thread is not None
        self._thread.join(10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- scripting ---

    def on(self, route: str, answer: Answer, times: int | None = None) -> None:
        """Answer the next ``times`` requests to ``route`` (every one, if None) with ``answer``.
        Scripts queue in order; when none is left the default (honest) answer applies."""
        if route not in _DEFAULTS:
            raise ValueError(f"unknown route {route!r}")
        with self._cond:
            self._scripts.setdefault(route, []).append(_Script(answer, times))

    def reset(self) -> None:
        """Forget scripts and the log, release every held answer, restore the default state."""
        with self._cond:
            self._scripts.clear()
            self._log.clear()
        self.draft = {"t": []}
        self.turn_draft = DRAFT
        self.credits = 100.0
        self.token = TOKEN
        self.release()

    def release(self) -> None:
        """Let every held answer (``silence``, ``sse(close=False)``, ``pings``) end now."""
        loop = self._loop
        if loop is None:
            return

        def swap() -> None:
            assert self._release is not None
            self._release.set()
            self._release = asyncio.Event()

        done = threading.Event()
        loop.call_soon_threadsafe(lambda: (swap(), done.set()))
        done.wait(5)

    def requests(self, route: str | None = None) -> list[Request]:
        with self._cond:
            return [r for r in self._log if route is None or r.route == route]

    def wait_for(self, route: str, count: int = 1, timeout: float = 10.0) -> list[Request]:
        """Block until ``count`` requests reached ``route`` (call it off the event loop)."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._matching(route)) >= count, timeout):
                raise TimeoutError(f"{count} request(s) to {route} did not arrive in {timeout} s")
            return self._matching(route)

    def _matching(self, route: str) -> list[Request]:
        return [r for r in self._log if r.route == route]

    def _release_event(self) -> asyncio.Event:
        assert self._release is not None
        return self._release

    def _pick(self, route: str) -> Answer:
        with self._cond:
            queue = self._scripts.get(route, [])
            while queue:
                script = queue[0]
                if script.times is None:
                    return script.answer
                if script.times > 0:
                    script.times -= 1
                    if script.times == 0:
                        queue.pop(0)
                    return script.answer
                queue.pop(0)
        return _DEFAULTS[route]

    # --- the connection ---

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        try:
            req = await self._read(reader)
            if req is not None:
                with self._cond:
                    self._log.append(req)
                    self._cond.notify_all()
                await self._pick(req.route)(req, Conn(writer, self))
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass  # the client went away, or sent what no HTTP parser would take: the connection ends
        except asyncio.CancelledError:
            pass  # the double is stopping
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _read(self, reader: asyncio.StreamReader) -> Request | None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        parts = urlsplit(target)
        route, params = "unknown", {}
        for name, verb, pattern in ROUTES:
            match = pattern.match(parts.path)
            if match and verb == method:
                route, params = name, {k: unquote(v) for k, v in match.groupdict().items()}
                break
        body = bytearray()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await reader.readexactly(size + 2)
                if len(body) < MAX_KEPT_BODY:
                    body += chunk[:-2]
                if size == 0:
                    break
        elif headers.get("content-length", "0").isdigit():
            left = int(headers.get("content-length", "0"))
            while left > 0:
                chunk = await reader.read(min(left, 1 << 16))
                if not chunk:
                    raise asyncio.IncompleteReadError(bytes(body), left)
                left -= len(chunk)
                if len(body) < MAX_KEPT_BODY:
                    body += chunk
        return Request(route, method, parts.path, parts.query, headers, bytes(body[:MAX_KEPT_BODY]), params)


# --- the honest defaults ---------------------------------------------------------------------------


def _hostile(conn: Conn) -> Hostile:
    return conn.hostile


async def _token(req: Request, conn: Conn) -> None:
    expires = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 7 * 86400))
    data = {"token": _hostile(conn).token, "user_id": "anon_hostile", "expires_at": expires, "credits": 100}
    await ok(data)(req, conn)


async def _session(req: Request, conn: Conn) -> None:
    n = len(_hostile(conn).requests("session"))
    await ok({"task_id": f"task_{n}", "session_id": f"sess_{n}", "user_id": "me"})(req, conn)


async def _claim(req: Request, conn: Conn) -> None:
    await ok({"claim_token": CLAIM, "expires_in": 604800})(req, conn)


async def _credits(req: Request, conn: Conn) -> None:
    left = _hostile(conn).credits
    await ok({"available": left, "frozen": 0, "total": left})(req, conn)


async def _state(req: Request, conn: Conn) -> None:
    await ok({"state": {"draft": _hostile(conn).draft, "video_infos": [], "generated_media": []}})(req, conn)


async def _upload(req: Request, conn: Conn) -> None:
    names = re.findall(rb'filename="([^"]*)"', req.body) or [b"link"]
    files = [{"filename": n.decode("utf-8", "replace"), "file_type": "image"} for n in names]
    await ok({"files": files})(req, conn)


async def _run_sse(req: Request, conn: Conn) -> None:
    h = _hostile(conn)
    h.draft = json.loads(json.dumps(h.turn_draft))
    await sse({"type": "text", "content": "Done: I made the video."})(req, conn)


async def _render(req: Request, conn: Conn) -> None:
    body = req.json() or {}
    await json_reply({"success": True, "data": {"id": body.get("id"), "status": "pending", "progress": 5}})(
        req, conn
    )


async def _render_poll(req: Request, conn: Conn) -> None:
    rid = req.params.get("id", "")
    url = f"{_base(conn)}/files/{rid.replace('/', '_')}.mp4"
    data = {"id": rid, "status": "completed", "progress": 100, "outputUrl": url}
    await json_reply({"success": True, "data": data})(req, conn)


async def _cancel(req: Request, conn: Conn) -> None:
    await json_reply({"success": True, "data": {"status": "cancelled"}})(req, conn)


async def _video(req: Request, conn: Conn) -> None:
    await reply(_hostile(conn).video, content_type="video/mp4")(req, conn)


async def _unknown(req: Request, conn: Conn) -> None:
    await fail(404, "no such route", status=404)(req, conn)


def _base(conn: Conn) -> str:
    return f"http://127.0.0.1:{conn.hostile.port}"


_DEFAULTS: dict[str, Answer] = {
    "token": _token,
    "claim": _claim,
    "session": _session,
    "credits": _credits,
    "state": _state,
    "upload": _upload,
    "run_sse": _run_sse,
    "render": _render,
    "render_cancel": _cancel,
    "render_poll": _render_poll,
    "download": _video,
    "file": _video,
    "unknown": _unknown,
}

_REASONS = {
    200: "OK",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many",
}
