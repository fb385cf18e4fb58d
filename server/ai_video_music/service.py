"""The product's logic below the MCP layer: routing, long jobs, time budgets, persistence.

Long work (an agent turn, a render, a big upload) runs as a job in the server's task group,
not inside the tool call. A tool waits for its job up to the time budget, sending progress,
then answers with what is done and a handle; the job goes on and ``status``/``export`` pick
up its result. Renders are persisted, so one started before a restart is resumed.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import anyio
import anyio.abc
import uuid_utils

from .client import NemoClient, check_upload_file, check_upload_url, sse_timeout
from .config import Settings, resolve_output_dir
from .errors import (
    ApiError,
    ApiTimeoutError,
    InputError,
    NemoError,
    NothingToExportError,
    RenderFailedError,
)
from .models import SessionInfo, UploadedFile
from .outputs import (
    CreditsOutput,
    ExportOutput,
    GenerateOutput,
    MediaItem,
    RenderItem,
    StatusOutput,
    UploadOutput,
)
from .router import Action, route
from .sse import HeartbeatEvent, TextEvent, ToolCallEvent
from .store import Render, Store
from .timeline import diff as draft_changes
from .timeline import is_exportable, read_timeline, summary
from .translate import translate

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 10.0  # under the 15 s the hosts need to see
MAX_PROMPT_CHARS = 8000
FORMATS = ("mp4",)
QUALITIES = ("high", "medium", "low")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class Reporter(Protocol):
    async def __call__(self, progress: float, total: float | None, message: str) -> None: ...


async def no_progress(progress: float, total: float | None, message: str) -> None:
    """A reporter for callers that show no progress."""


def expand_paths(files: list[str]) -> list[Path]:
    """``~`` and wildcards expanded (``~/Pictures/trip/*.jpg``), as a shell would have done."""
    out: list[Path] = []
    for raw in files:
        path = Path(raw).expanduser()
        if any(ch in raw for ch in "*?[") and not path.exists():
            matches = sorted(Path(p) for p in glob.glob(str(path)))
            if not matches:
                raise InputError(f"No files match {raw}.", remedy="Check the folder and the pattern.")
            out.extend(matches)
        else:
            out.append(path)
    return out


def _media_items(files: list[UploadedFile], fallback_name: str) -> list[MediaItem]:
    return [MediaItem(name=f.filename or fallback_name, kind=f.file_type, url=f.cdn_url) for f in files]


def export_name(render_id: str, fmt: str, rec: Render | None) -> str:
    """``nemovideo-20261125-172044-4f2a9c.mp4``: readable, and the same for the same render
    (so a download resumed after a restart lands on the same file)."""
    created = rec.created_at if rec is not None else time.time()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(created))
    tail = re.sub(r"[^A-Za-z0-9]", "", render_id)[-6:] or "video"
    return f"nemovideo-{stamp}-{tail}.{fmt}"


def detect_language(text: str) -> str:
    """``zh`` when the text has Chinese characters, else ``en``."""
    return "zh" if _CJK.search(text) else "en"


@dataclass
class Job:
    id: str
    kind: str  # "generate" | "render" | "upload"
    label: str
    started: float = field(default_factory=time.monotonic)
    done: anyio.Event = field(default_factory=anyio.Event)
    progress: float = 0.0
    total: float | None = None
    message: str = "Starting"
    result: Any = None
    error: NemoError | None = None
    noted: float = 0.0  # elapsed seconds at the last "still working" note
    detached: bool = False  # its tool call already answered "still working"

    def elapsed(self) -> float:
        return time.monotonic() - self.started


class VideoService:
    """One per server process; all tools call into it."""

    def __init__(
        self,
        settings: Settings,
        client: NemoClient,
        store: Store,
        task_group: anyio.abc.TaskGroup,
        *,
        on_export: Callable[[Path], Awaitable[None]] | None = None,
    ) -> None:
        self.settings = settings
        self.client = client
        self.store = store
        self._tg = task_group
        self._jobs: dict[str, Job] = {}
        self._lost_session: str | None = None  # set when the backend forgot our session
        self._notes: list[str] = []  # outcomes of detached uploads, for the next status
        self._render_lock = anyio.Lock()
        self._on_export = on_export
        client.on_session = self._save_session
        self._load_session()

    # --- session -----------------------------------------------------------------------------

    def _load_session(self) -> None:
        """Adopt the stored session (another process may have replaced it since)."""
        sid = self.store.get("session_id")
        if sid and (self.client.session is None or self.client.session.session_id != sid):
            self.client.session = SessionInfo(session_id=sid, task_id=self.store.get("task_id"))
        self.client.language = self.store.get("language") or self.client.language

    async def _save_session(self, info: SessionInfo, previous: str | None) -> SessionInfo:
        """Persist a new session unless another process already replaced ``previous``: then use theirs."""
        winner = self.store.swap_session(previous, info.session_id, info.task_id or "", self.client.language)
        if winner != info.session_id:
            log.info("another server process opened session %s first; using it", winner)
            return SessionInfo(session_id=winner, task_id=self.store.get("task_id"))
        if previous is not None:
            self._lost_session = previous
        return info

    def _session_notice(self) -> str:
        """Tell the user once when the backend forgot their project and a new one began."""
        if self._lost_session is None:
            return ""
        self._lost_session = None
        return (
            "Note: the video service lost the previous project session, so a new one was started. "
            "Media uploaded before may be missing: upload it again if the timeline lacks it."
        )

    @property
    def session_id(self) -> str | None:
        return self.client.session.session_id if self.client.session else None

    # --- jobs --------------------------------------------------------------------------------

    def _spawn(
        self, kind: str, label: str, work: Callable[[Job], Coroutine[Any, Any, Any]], job_id: str = ""
    ) -> Job:
        job = Job(job_id or f"{kind}_{uuid_utils.uuid7().hex[-12:]}", kind, label)
        self._jobs[job.id] = job

        async def run() -> None:
            try:
                job.result = await work(job)
            except NemoError as err:
                job.error = err
            # Deliberately broad: an unexpected bug in one job must not take the server down
            # (the task group would cancel every other job); it is logged with its traceback.
            except Exception as err:
                log.exception("%s job %s crashed", kind, job.id)
                job.error = NemoError(f"The {kind} job stopped unexpectedly ({type(err).__name__}).")
            finally:
                job.done.set()
                self._jobs.pop(job.id, None)
                if job.detached and job.kind == "upload":
                    self._notes.append(
                        f"Upload failed: {job.error}"
                        if job.error
                        else "Upload finished: " + ", ".join(m.name for m in job.result or [])
                    )

        self._tg.start_soon(run, name=f"{kind}:{job.id}")
        return job

    def _running(self, kind: str | None = None) -> list[Job]:
        return [j for j in self._jobs.values() if kind is None or j.kind == kind]

    async def _wait(self, jobs: list[Job], report: Reporter, deadline: float | None = None) -> bool:
        """Wait for ``jobs`` until the budget runs out, reporting progress; True when all are done.

        Progress goes out when it changes (at most once a second) and at least every 10 s.
        """
        deadline = deadline if deadline is not None else time.monotonic() + self.settings.tool_budget
        for job in jobs:
            last = (job.progress, job.message)
            sent_at = time.monotonic()
            await report(job.progress, job.total, self._progress_text(job))
            while not job.done.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                with anyio.move_on_after(min(1.0, remaining)):
                    await job.done.wait()
                now = (job.progress, job.message)
                if not job.done.is_set() and (now != last or time.monotonic() - sent_at >= PROGRESS_EVERY_S):
                    last, sent_at = now, time.monotonic()
                    await report(job.progress, job.total, self._progress_text(job))
        return True

    def _progress_text(self, job: Job) -> str:
        elapsed = job.elapsed()
        text = f"{job.message} ({elapsed:.0f}s)"
        if elapsed - job.noted >= self.settings.still_working_every:
            # About every two minutes, a sentence the assistant can pass on to the user.
            job.noted = elapsed
            text = f"Still working on {job.label} ({elapsed / 60:.0f} min so far), nothing is lost. {text}"
            log.info("%s job %s still running after %.0f s", job.kind, job.id, elapsed)
        return text

    # --- generate ----------------------------------------------------------------------------

    async def generate(self, prompt: str, report: Reporter = no_progress) -> GenerateOutput:
        """Route a prompt: direct actions run at once, everything else is an agent turn."""
        if not prompt.strip():
            raise InputError("The prompt is empty.", remedy="Say what video you want, or what to change.")
        if len(prompt) > MAX_PROMPT_CHARS:
            raise InputError(
                f"The prompt is {len(prompt)} characters long; the limit is {MAX_PROMPT_CHARS}.",
                remedy="Shorten it to the instructions that matter.",
            )
        decision = route(prompt)
        if decision.action is Action.EXPORT:
            out = await self.export(report=report)
            return GenerateOutput(
                status="done" if out.status == "done" else "working",
                action="export",
                reply=out.text(),
                job_id=out.render_id,
            )
        if decision.action is Action.CREDITS:
            return GenerateOutput(status="done", action="credits", reply=(await self.credits()).text())
        if decision.action is Action.STATUS:
            st = await self.status(report)
            return GenerateOutput(status="done", action="status", reply=st.text(), timeline=st.timeline)
        if decision.action is Action.UPLOAD:
            if not (decision.files or decision.urls):
                raise InputError(
                    "Nothing to upload was named in the request.",
                    remedy="Call upload with files=[absolute paths] and/or urls=[http(s) links].",
                )
            up = await self.upload(list(decision.files), list(decision.urls), report)
            return GenerateOutput(
                status="done" if up.status == "done" else "working", action="upload", reply=up.text()
            )
        return await self._agent_turn(prompt, report)

    async def _agent_turn(self, prompt: str, report: Reporter) -> GenerateOutput:
        self._load_session()
        if self.client.session is None:
            self.client.language = detect_language(prompt)
        # One turn at a time: the agent edits one draft, and a second message would race it.
        # Re-check after every wait: another waiting call may have started its turn first.
        deadline = time.monotonic() + self.settings.tool_budget
        while busy := self._running("generate"):
            if not await self._wait(busy, report, deadline):
                return GenerateOutput(
                    status="working",
                    action="agent",
                    reply="The agent is still busy with the previous request; this one was not sent. "
                    "Call status for the previous answer, then send this request again.",
                    job_id=busy[0].id,
                )
        gen_id = f"gen_{uuid_utils.uuid7().hex[-12:]}"
        self.store.start_generation(gen_id, self.session_id, prompt)
        job = self._spawn("generate", "your video request", lambda j: self._run_agent(j, prompt), gen_id)
        if not await self._wait([job], report, deadline):
            return GenerateOutput(
                status="working", action="agent", reply="The agent is still working.", job_id=job.id
            )
        gen = self.store.generation(job.id)
        assert gen is not None
        self.store.update_generation(job.id, delivered=1)
        if job.error is not None:
            # An error, not a result; it still carries what arrived and the timeline.
            if gen.reply:
                job.error.message = f"{gen.reply}\n\n{job.error.message}"
            raise job.error
        return GenerateOutput(status="done", action="agent", reply=gen.reply, job_id=job.id)

    async def _run_agent(self, job: Job, prompt: str) -> None:
        texts: list[str] = []
        before: dict[str, Any] | None = None
        try:
            try:
                before = (await self.client.state()).draft if self.client.session else None
            except NemoError:
                before = None  # only used to describe changes; the turn goes on without it
            job.message = "Sending your request to the video agent"
            # A hard stop a little past the backend's limit, in case the stream never ends.
            with anyio.fail_after(self.client.sse_limit + 60):
                await self._consume(job, prompt, texts)
            reply = await self._compose_reply("".join(texts), before)
            reply = "\n\n".join(p for p in (self._session_notice(), reply) if p)
            self.store.update_generation(job.id, status="done", reply=reply)
        except (NemoError, TimeoutError) as err:
            if isinstance(err, TimeoutError):
                err = sse_timeout(self.client.sse_limit)
            partial = translate("".join(texts)).text.strip()
            note = await self._safe_summary()
            reply = "\n\n".join(
                p for p in (partial, "(The answer was cut off.)" if partial else "", note) if p
            )
            self.store.update_generation(job.id, status="failed", reply=reply, error=str(err))
            raise err from None

    async def _consume(self, job: Job, prompt: str, texts: list[str]) -> None:
        """Read the agent's events into ``texts``, keeping the job's progress current."""
        last_touch = time.monotonic()
        async for event in self.client.stream_message(prompt):
            if isinstance(event, TextEvent):
                texts.append(event.text)
                job.message = "The agent is answering"
            elif isinstance(event, ToolCallEvent):
                job.message = "The agent is editing the timeline"  # never the raw tool call
            elif isinstance(event, HeartbeatEvent):
                job.progress += 1
                if not texts:
                    job.message = "The agent is working on it"
            if time.monotonic() - last_touch > 10:
                last_touch = time.monotonic()
                self.store.update_generation(job.id)  # liveness, for restart detection

    async def _safe_summary(self) -> str:
        try:
            return summary(read_timeline((await self.client.state()).draft), "en")
        except NemoError:
            return ""

    async def _compose_reply(self, text: str, before: dict[str, Any] | None) -> str:
        if not text.strip():
            # ~30% of agent turns end with no text: say what changed instead.
            after = (await self.client.state()).draft
            diff = draft_changes(
                None if before is None else read_timeline(before), read_timeline(after), "en"
            )
            head = "Done. " + ("; ".join(diff) + "." if diff else "The timeline didn't change.")
            return f"{head}\n{summary(read_timeline(after), 'en')}"
        tr = translate(text)
        parts = [tr.text.strip()]
        if Action.STATUS in tr.actions:
            parts.append(await self._safe_summary())
        if Action.CREDITS in tr.actions:
            with contextlib.suppress(NemoError):  # the agent's answer stands on its own
                parts.append((await self.credits()).text())
        if Action.EXPORT in tr.actions:
            parts.append("Next: call export to render the MP4 and save it to this computer (free).")
        if Action.UPLOAD in tr.actions:
            parts.append("To add media, call upload with file paths or links.")
        return "\n\n".join(p for p in parts if p)

    # --- upload ------------------------------------------------------------------------------

    async def upload(self, files: list[str], urls: list[str], report: Reporter = no_progress) -> UploadOutput:
        """Upload local files and/or URLs; big uploads continue in the background past the budget."""
        if not files and not urls:
            raise InputError("Nothing to upload.", remedy="Pass files=[absolute paths] and/or urls=[links].")
        paths = expand_paths(files)
        for path in paths:
            check_upload_file(path)  # fail fast, before a job exists
        for url in urls:
            check_upload_url(url)
        self._load_session()

        async def work(job: Job) -> list[MediaItem]:
            items: list[MediaItem] = []
            if paths:
                job.message = f"Uploading {len(paths)} file(s)"
                items += _media_items(await self.client.upload_files(paths), "file")
            if urls:
                job.message = f"Importing {len(urls)} link(s)"
                items += _media_items(await self.client.upload_urls(urls), "link")
            assert self.session_id is not None
            self.store.add_media(self.session_id, [i.model_dump() for i in items], "upload")
            return items

        job = self._spawn("upload", "your upload", work)
        if not await self._wait([job], report):
            job.detached = True  # status reports how it ends
            return UploadOutput(status="working", job_id=job.id)
        if job.error:
            raise job.error
        return UploadOutput(status="done", files=job.result)

    # --- credits -----------------------------------------------------------------------------

    async def credits(self) -> CreditsOutput:
        c = await self.client.credits()
        return CreditsOutput(available=c.available, frozen=c.frozen, total=c.total or 0)

    # --- export ------------------------------------------------------------------------------

    async def export(
        self, fmt: str = "mp4", quality: str = "high", report: Reporter = no_progress
    ) -> ExportOutput:
        """Render the timeline and download it; resumes an unfinished render instead of starting another."""
        if fmt not in FORMATS:
            raise InputError(f"Can't export as {fmt!r}.", remedy=f"Use one of: {', '.join(FORMATS)}.")
        if quality not in QUALITIES:
            raise InputError(f"Unknown quality {quality!r}.", remedy=f"Use one of: {', '.join(QUALITIES)}.")
        out_dir = resolve_output_dir(self.settings)  # fail before rendering, not after
        deadline = time.monotonic() + self.settings.tool_budget
        self._load_session()
        busy = self._running("generate")
        if busy and not await self._wait(busy, report, deadline):
            return ExportOutput(
                status="waiting",
                message="The agent is still working on your last request; export once it's done "
                "(call status, then export).",
            )
        # Two export calls at once must share one render, not start two.
        async with self._render_lock:
            self._resume_renders(out_dir)
            running = self._running("render")
            if running:
                job = running[-1]
            else:
                state = await self.client.state()
                if not is_exportable(state.draft):
                    raise NothingToExportError()
                assert state.draft is not None
                started = await self.client.start_render(state.draft, fmt=fmt, quality=quality)
                assert started.id is not None
                self.store.add_render(started.id, self.session_id, fmt, quality, started.status)
                job = self._start_poller(started.id, out_dir, fmt)
        await self._wait([job], report, deadline)
        return self._export_output(job.id)

    def _export_output(self, render_id: str) -> ExportOutput:
        rec = self.store.render(render_id)
        assert rec is not None
        if rec.status == "downloaded":
            return ExportOutput(
                status="done", render_id=rec.id, progress=100, path=rec.local_path, url=rec.output_url
            )
        if rec.status in ("failed", "cancelled"):
            detail = f": {rec.error}." if rec.error else "."
            raise RenderFailedError(f"The render {rec.id} {rec.status}{detail}")
        out = ExportOutput(status="rendering", render_id=rec.id, progress=rec.progress)
        if rec.error:  # timed out or download trouble: the job id is kept and resumed next time
            out.message = f"{rec.error} The job {rec.id} is kept; call export or status to pick it up."
            out.status = "waiting"
        return out

    def _resume_renders(self, out_dir: Path | None = None) -> None:
        """Start a poller for every stored render not finished and downloaded (e.g. after a restart)."""
        polling = {j.id for j in self._running("render")}
        for rec in self.store.renders(unfinished=True):
            if rec.id not in polling:
                log.info("resuming render %s (%s)", rec.id, rec.status)
                out_dir = out_dir or resolve_output_dir(self.settings)  # once, and only if needed
                self._start_poller(rec.id, out_dir, rec.format)

    def _start_poller(self, render_id: str, out_dir: Path, fmt: str) -> Job:
        async def work(job: Job) -> None:
            try:
                await poll_and_download(job)
            except RenderFailedError:
                raise  # its reason is already stored
            except NemoError as err:
                # Kept for the next export/status, which resumes it; meanwhile say what went wrong.
                self.store.update_render(render_id, error=str(err))
                raise

        async def poll_and_download(job: Job) -> None:
            job.total = 100
            job.message = "Rendering"
            deadline = time.monotonic() + self.settings.render_timeout
            self.store.update_render(render_id, error=None)
            while True:
                try:
                    status = await self.client.render_status(render_id)
                except ApiError as err:
                    if err.status != 404:
                        raise
                    self.store.update_render(
                        render_id, status="failed", error="the service no longer knows it"
                    )
                    raise RenderFailedError(f"The render {render_id} is unknown to the service.") from err
                job.progress = max(job.progress, status.progress or 0.0)
                self.store.update_render(
                    render_id, status=status.status, progress=status.progress, output_url=status.output_url
                )
                if status.status == "completed":
                    break
                if status.finished:
                    self.store.update_render(render_id, error=status.error)
                    raise RenderFailedError(f"The render {render_id} {status.status}.")
                if time.monotonic() > deadline:
                    raise ApiTimeoutError(
                        f"The render didn't finish within {self.settings.render_timeout / 60:.0f} minutes.",
                        remedy="",
                    )
                await anyio.sleep(self.settings.poll_interval)
            job.message, job.progress = "Downloading the video", 100
            dest = out_dir / export_name(render_id, fmt, self.store.render(render_id))
            await self._download(render_id, status.output_url, dest)
            self.store.update_render(render_id, status="downloaded", local_path=str(dest), error=None)
            log.info("render %s saved to %s", render_id, dest)
            if self._on_export:
                await self._on_export(dest)

        return self._spawn("render", "your export", work, render_id)

    async def _download(self, render_id: str, url: str | None, dest: Path) -> None:
        fallback = self.client.fallback_download_url(render_id)
        try:
            await self.client.download(url or fallback, dest)
        except ApiError:
            if not url:
                raise
            # A pre-signed link may have expired (e.g. across a restart): ask the API for a fresh one.
            await self.client.download(fallback, dest)

    # --- status ------------------------------------------------------------------------------

    async def status(self, report: Reporter = no_progress) -> StatusOutput:
        """Timeline, media, exports, and any finished answers; waits (within budget) for running jobs."""
        self._load_session()
        # Longer than the stream's 300 s read timeout: a quieter stream is dead anyway.
        self.store.interrupt_stale({j.id for j in self._running("generate")}, stale_after=330)
        self._resume_renders()
        await self._wait(list(self._jobs.values()), report)
        replies, self._notes = self._notes, []
        for gen in self.store.generations(undelivered=True):
            if gen.status == "running":
                continue
            if gen.status == "interrupted":
                replies.append(
                    f'Your request "{gen.prompt[:80]}" was interrupted by a restart; '
                    "the timeline below shows "
                    "what the agent managed to apply."
                )
            else:
                replies.append("\n\n".join(p for p in (gen.reply, gen.error or "") if p))
            self.store.update_generation(gen.id, delivered=1)
        renders = [
            RenderItem(
                id=r.id,
                status=r.status,
                progress=r.progress,
                path=r.local_path,
                url=r.output_url,
                error=r.error,
            )
            for r in self.store.renders()[-5:]
        ]
        if self.session_id is None:
            return StatusOutput(
                timeline="No project yet: upload media or describe a video with generate.",
                exportable=False,
                renders=renders,
                replies=replies,
            )
        state = await self.client.state()
        media = [MediaItem(name=m.name, kind=m.kind, url=m.url) for m in self.store.media(self.session_id)]
        notice = self._session_notice()
        return StatusOutput(
            timeline=summary(read_timeline(state.draft), "en"),
            exportable=is_exportable(state.draft),
            media=media,
            renders=renders,
            replies=[notice, *replies] if notice else replies,
            working=[self._progress_text(j) for j in self._jobs.values()],
        )
