"""The render tracker: start, resume, poll, download and verify renders. The store row is its only truth.

A render row is written *before* the render is submitted (status ``submitting``, under our own
id), so a crash between the two never submits a second render: the next process polls the id
and learns whether it arrived. One process follows a render at a time (a claim on its row).

Polling follows the render (``schedule.PollSchedule``): driven by the backend's progress
whatever its style, never more looks than a fixed 5 s poll and never later than one. A failed
render is submitted again once under a new id; one that can't go on is marked failed with a
reason, never left "rendering" forever.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import uuid_utils

from .client import NemoClient, disk_error
from .errors import (
    ApiError,
    BadResponseError,
    DownloadError,
    NemoError,
    RateLimitedError,
    RenderFailedError,
    TimeLimitError,
    Wait,
)
from .jobs import Job, Jobs
from .media import NotAVideoError, VideoFacts
from .messages import Msg, msg
from .models import RenderStatus
from .records import OPEN_RENDER
from .schedule import POLL_CEILING_S, POLL_FALLBACK_S, POLL_FLOOR_S, PollSchedule
from .store import Render, Store
from .timeline import fingerprint
from .transport import origin
from .videocheck import Checked, CheckerBusyError, Verdicts, check_video, sheet_in_child

log = logging.getLogger(__name__)
# Why a render was cancelled, kept as its error: an export that waited on it says so in words,
# never as a failure to retry.
CANCEL_ASKED = "cancelled: the user asked"
CANCEL_OUTDATED = "cancelled: the timeline changed since"
CANCEL_ELSEWHERE = "cancelled at NemoVideo"
CANCEL_REASONS = (CANCEL_ASKED, CANCEL_OUTDATED, CANCEL_ELSEWHERE)

CLAIM_STALE_S = 120.0  # a follower that stopped touching its claim this long ago is gone
# The share of the download deadline a render's own link (a storage host) may use: the rest is
# kept for the API's own download route, tried when that host fails or is too slow.
LINK_SHARE = 0.6
# Download failures the API's own route can't help with: the disk, the size, the time.
FINAL_DOWNLOAD_ERRORS = frozenset(
    {
        "download.disk_full",
        "download.permission",
        "download.write_failed",
        "download.too_big",
        "download.deadline",
    }
)
MAX_TRANSIENT = 6  # consecutive polling errors before the job stops (the next call resumes it)


def slug(name: str, limit: int = 40) -> str:
    """A project name as a file-name part: ``Spring sale`` → ``spring-sale``, ``春季促销`` stays
    (letters of any script are kept), anything else becomes ``-``; never empty."""
    text = re.sub(r"[^\w]+", "-", name.casefold(), flags=re.UNICODE).strip("-_")
    return text[:limit].strip("-_") or "video"


def export_name(render_id: str, fmt: str, created_at: float, project_name: str | None = None) -> str:
    """``spring-sale-2026-12-06-1844.mp4``: the project's name and the render's local time, the same
    for the same render (a download resumed after a restart lands on the same file). Without a
    project name: ``nemovideo-<time>-<id>``."""
    if project_name:
        stamp = time.strftime("%Y-%m-%d-%H%M", time.localtime(created_at))
        return f"{slug(project_name)}-{stamp}.{fmt}"
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(created_at))
    tail = re.sub(r"[^A-Za-z0-9]", "", render_id)[-6:] or "video"
    return f"nemovideo-{stamp}-{tail}.{fmt}"


def free_name(folder: Path, name: str, render_id: str) -> Path:
    """``name`` in ``folder``, or ``name-2``, ``name-3``… when another file has it (two renders of
    one project in the same minute); past 999 the render's id settles it."""
    dest = folder / name
    stem, dot, ext = name.rpartition(".")
    n = 2
    while dest.exists() or dest.is_symlink():
        dest = folder / f"{stem}-{n}{dot}{ext}"
        n += 1
        if n > 999:
            return folder / f"{stem}-{safe_file_id(render_id)}{dot}{ext}"
    return dest


def part_name(name: str, render_id: str) -> str:
    """Where one attempt at a render's download is written before it is checked: fresh and
    unguessable each time (another account that can write to a shared output folder can't
    plant a link by that name ahead of it), under the render's own prefix (see ``part_prefix``)."""
    return f"{part_prefix(name, render_id)}{uuid_utils.uuid4().hex}.part"


def part_prefix(name: str, render_id: str) -> str:
    """How every part file of a render's download begins: a download resumed after a restart
    finds the parts the killed process left and removes them."""
    return f".{name}.{safe_file_id(render_id)}."


def drop_old_parts(folder: Path, name: str, render_id: str) -> None:
    """Remove the part files an earlier process left for this render (unlinking never follows
    a link, so a name someone else planted is only removed)."""
    prefix = part_prefix(name, render_id)
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.name.endswith(".part"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def publish(part: Path, folder: Path, name: str, render_id: str) -> Path:
    """Give a checked part file its free name without ever replacing another file: a hard link
    fails if the name was taken meanwhile (another render of the same project and minute being
    published at once), then the next free name is tried."""
    for _ in range(1000):
        dest = free_name(folder, name, render_id)
        try:
            os.link(part, dest)
        except FileExistsError:
            continue
        except OSError:  # no hard links on this file system: a checked rename is the best there is
            if dest.exists():
                continue
            os.replace(part, dest)
            return dest
        part.unlink()
        return dest
    raise FileExistsError(folder / name)


_saving: dict[str, tuple[anyio.Lock, int]] = {}  # render id → its save's lock, and who holds or waits


@contextlib.asynccontextmanager
async def _one_save(render_id: str) -> AsyncIterator[None]:
    """One save of a render at a time in this process, whichever session's tracker runs it
    (another process is kept out by the render's claim)."""
    lock, users = _saving.get(render_id, (None, 0))
    lock = lock or anyio.Lock()
    _saving[render_id] = (lock, users + 1)
    try:
        async with lock:
            yield
    finally:
        lock, users = _saving[render_id]
        if users > 1:
            _saving[render_id] = (lock, users - 1)
        else:
            del _saving[render_id]  # nothing kept per render once nobody saves it


def safe_file_id(render_id: str) -> str:
    """A render id as a file name: only letters, digits, ``_`` and ``-`` (ids come from the backend)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", render_id)[:120] or "render"


def new_render_id() -> str:
    return f"render_{int(time.time() * 1000)}_{uuid_utils.uuid4().hex[:6]}"


class Renders:
    """One per server process."""

    def __init__(
        self,
        client: NemoClient,
        store: Store,
        jobs: Jobs,
        *,
        output_dir: Callable[[], Path],
        render_timeout: float,
        poll_floor: float = POLL_FLOOR_S,
        preview_dir: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        check_link: Callable[[str], Awaitable[VideoFacts]] | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.jobs = jobs
        self._output_dir = output_dir
        self._timeout = render_timeout
        self._floor = poll_floor
        self._previews = preview_dir
        self._verdicts = Verdicts(preview_dir)  # each download's probe verdict, kept across restarts
        self._clock = clock
        # Hosted mode: a finished render is its link, its facts read there; no file is kept.
        self._check_link = check_link
        self._following: dict[str, Job] = {}  # render id (also of a retry) → the job following it
        self._wake: dict[str, anyio.Event] = {}

    # --- start, resume, cancel ---------------------------------------------------------------

    def start(
        self,
        project_id: str,
        session_id: str,
        draft: dict[str, Any],
        fingerprint: str,
        fmt: str,
        quality: str,
    ) -> Job:
        """Record a new render, then submit and follow it in a job."""
        render_id = new_render_id()
        self.store.add_render(render_id, project_id, session_id, fmt, quality, fingerprint)
        return self._spawn(render_id, project_id, draft)

    def job_for(self, render_id: str) -> Job | None:
        job = self._following.get(render_id)
        return job if job is not None and not job.done.is_set() else None

    def resume(self) -> None:
        """Follow every open render no live process follows (after a restart, say). Bounded query."""
        for rec in self.store.open_renders():
            if self.job_for(rec.id) is None and self.store.claim_render(rec.id, CLAIM_STALE_S):
                log.info("resuming render %s (%s)", rec.id, rec.status)
                self._spawn(rec.id, rec.project_id, None)

    async def cancel(self, render_id: str, why: str = CANCEL_ASKED) -> None:
        """Cancel at the service and record it, and ``why`` (the user asked, or the timeline
        changed since: an export waiting on it says which); the follower stops at once. A render
        the service already finished (its video never fetched: a dead link, say) is only
        abandoned here."""
        rec = self.store.render(render_id)
        try:
            if rec is None or rec.status != "completed":
                await self.client.cancel_render(render_id)
        except ApiError as err:
            if err.status != 404:
                raise
        self.store.update_render(render_id, status="cancelled", error=why)
        if render_id in self._wake:
            self._wake[render_id].set()

    def _spawn(self, render_id: str, project_id: str | None, draft: dict[str, Any] | None) -> Job:
        job = self.jobs.spawn(
            "render",
            msg("label.export"),
            lambda j: self._follow(j, render_id, draft),
            job_id=render_id,
            project_id=project_id,
            on_done=self._forget,
        )
        job.total = 100
        job.message = msg("job.rendering")
        self._following[render_id] = job
        return job

    def _forget(self, job: Job) -> None:
        """A render's job ended: drop what was kept per render id for it (the store row stays
        the truth), so memory does not grow with every render the process ever followed."""
        for render_id in [rid for rid, j in self._following.items() if j is job]:
            del self._following[render_id]
            self._wake.pop(render_id, None)

    # --- following ---------------------------------------------------------------------------

    async def _follow(self, job: Job, render_id: str, draft: dict[str, Any] | None) -> str:
        """Submit (if not yet), poll until done, then download; returns the final render's id."""
        rec = self.store.render(render_id)
        assert rec is not None
        if rec.status == "submitting" and draft is not None:
            await self._submit(rec, draft)
        while True:
            rec = self.store.render(render_id)
            assert rec is not None
            status = await self._poll_until_finished(job, rec, draft)
            if status.status == "completed":
                await self._save(job, render_id, status.output_url)
                return render_id
            # Failed at the service: once more under a new id, as the service's own skill does.
            if draft is None and rec.attempt == 1 and status.status == "failed":
                draft = await self._draft_of(rec)  # resumed after a restart: the draft is the session's
            if status.status == "cancelled":
                # From here (its reason recorded by ``cancel``) or at NemoVideo: not a failure.
                seen = self.store.render(render_id)
                why = seen.error if seen is not None and seen.error in CANCEL_REASONS else CANCEL_ELSEWHERE
                self.store.update_render(render_id, status="cancelled", error=why)
                raise RenderFailedError("render.cancelled", render_id=render_id, reason=why)
            if rec.attempt > 1 or draft is None:
                reason = (status.error or status.status).rstrip(".")
                self.store.update_render(render_id, status=status.status, error=reason)
                raise RenderFailedError("render.failed", render_id=render_id, reason=reason)
            retry = new_render_id()
            log.warning("render %s failed (%s); submitting it again as %s", render_id, status.error, retry)
            self.store.update_render(
                render_id, status="failed", error=f"{status.error or 'failed'}; retried as {retry}"
            )
            self.store.add_render(
                retry, rec.project_id or "", rec.session_id or "", rec.format, rec.quality,
                rec.draft_fp or "", attempt=rec.attempt + 1, retry_of=render_id,
            )  # fmt: skip
            self._following[retry] = job
            render_id = retry
            job.subject = retry  # the render the job follows now (its result says the final one)
            retry_rec = self.store.render(retry)
            assert retry_rec is not None
            await self._submit(retry_rec, draft)

    async def _submit(self, rec: Render, draft: dict[str, Any]) -> None:
        try:
            started = await self.client.start_render(
                rec.session_id or "", rec.id, draft, fmt=rec.format, quality=rec.quality
            )
        except (ApiError, BadResponseError) as err:
            if isinstance(err, ApiError) and (err.status or 0) >= 500:
                return  # it may have arrived: the poll tells
            self.store.update_render(rec.id, status="failed", error=err.render("en"))
            raise
        except NemoError:
            return  # the connection broke after sending: the poll tells whether it arrived
        self.store.update_render(rec.id, status=started.status, progress=started.progress, error=None)

    async def _poll_until_finished(self, job: Job, rec: Render, draft: dict[str, Any] | None) -> RenderStatus:
        floor = self._floor
        schedule = PollSchedule(floor, max(POLL_CEILING_S, floor), POLL_FALLBACK_S * floor / POLL_FLOOR_S)
        start = self._clock()
        schedule.observe(start, rec.progress)
        deadline = start + max(0.0, self._timeout - (time.time() - rec.created_at))
        resubmitted = transient = 0
        wake = self._wake.setdefault(rec.id, anyio.Event())
        while True:
            delay = schedule.next_delay(self._clock())
            log.debug("render %s: %s; next look in %.2f s", rec.id, schedule.samples[-1:], delay)
            with anyio.move_on_after(delay):
                await wake.wait()
            current = self.store.render(rec.id)
            if current is None or current.status == "cancelled":
                return RenderStatus(id=rec.id, status="cancelled")
            if self._clock() > deadline:
                err = TimeLimitError("time.render", wait=Wait(self._timeout))
                self.store.update_render(rec.id, status="failed", error=err.message("en").rstrip("."))
                with contextlib.suppress(NemoError):
                    await self.client.cancel_render(rec.id)
                raise err
            try:
                status = await self.client.render_status(rec.id)
                transient = 0
            except ApiError as err:
                if err.status == 404:
                    if current.status == "submitting" and not resubmitted:
                        resubmitted = 1  # the submit never arrived: send it (same id) once more
                        draft = draft if draft is not None else await self._draft_of(current)
                        if draft is not None:
                            await self._submit(current, draft)
                            continue
                    self.store.update_render(rec.id, status="failed", error="the service no longer knows it")
                    raise RenderFailedError("render.unknown", render_id=rec.id) from err
                if isinstance(err, RateLimitedError) and err.retry_after:
                    schedule.hold(self._clock(), err.retry_after)
                transient = await self._transient(rec.id, err, transient)
                continue
            except NemoError as err:
                transient = await self._transient(rec.id, err, transient)
                continue
            current = self.store.render(rec.id)
            if current is None or current.status == "cancelled":  # while the poll was on its way
                return RenderStatus(id=rec.id, status="cancelled")
            schedule.observe(self._clock(), status.progress)
            estimate = schedule.estimated_finish()
            job.eta = estimate[0] if estimate is not None and self._clock is time.monotonic else None
            job.progress = max(job.progress, schedule.percent() or 0.0)  # 0-1 fractions scaled
            self.store.update_render(
                rec.id,
                status=status.status,
                progress=job.progress,
                output_url=status.output_url,
                claimed_at=time.time(),
                error=None,
            )
            if status.finished:
                return status

    async def _draft_of(self, rec: Render) -> dict[str, Any] | None:
        """The draft a render was made of, read back from its session (a process that resumed it
        after a restart never had it): only if the timeline is still exactly that one."""
        try:
            state = await self.client.state(rec.session_id or "")
        except NemoError as err:
            log.info("render %s: its draft can't be read back: %s", rec.id, err)
            return None
        if state.draft is None or fingerprint(state.draft) != rec.draft_fp:
            return None  # edited since: this render is no longer what the user would export
        return state.draft

    async def _transient(self, render_id: str, err: NemoError, count: int) -> int:
        """A polling error: noted on the row (status shows it), then another look later."""
        count += 1
        self.store.update_render(render_id, error=err.render("en"))
        if count >= MAX_TRANSIENT:
            raise err
        return count

    # --- saving ------------------------------------------------------------------------------

    async def _save(self, job: Job, render_id: str, url: str | None) -> None:
        """Download into a part file with a known name, check it is a video, then publish it:
        once per render in the process. Each session of ``serve --http`` has its own tracker,
        and each followed the same render: their downloads dropped each other's part files, one's
        running check was another's "unfinished" one, and the video was saved once per session
        (attack24 A24-4). The others wait for the first, then take what it recorded."""
        job.progress = 100
        async with _one_save(render_id):
            rec = self.store.render(render_id)
            assert rec is not None
            if rec.status == "downloaded" and (
                self._check_link is not None or (rec.local_path and Path(rec.local_path).is_file())
            ):
                return  # saved (or verified at its link) by the session that went first
            await self._save_once(job, rec, render_id, url)

    async def _save_once(self, job: Job, rec: Render, render_id: str, url: str | None) -> None:
        """The save itself (see ``_save``), under the render's one-save lock."""
        if self._check_link is not None:
            job.message = msg("job.checking_link")
            await self._verify_link(render_id, url)
            return
        job.message = msg("job.downloading")
        try:
            folder = self._output_dir()
            name = export_name(render_id, rec.format, rec.created_at, rec.project_name)
            drop_old_parts(folder, name, render_id)
            checked, link, part = await self._fetch_video(render_id, url, folder, name)
            facts = checked.facts
            try:
                dest = publish(part, folder, name, render_id)
            except OSError as err:
                raise disk_error(err, folder / name) from None
        except NemoError as err:
            self.store.update_render(render_id, status="completed", error=err.render("en"))
            raise
        self.store.update_render(
            render_id,
            status="downloaded",
            local_path=str(dest),
            # Only the link the verified bytes came from is shown, played and let into the App's
            # policy; a link that failed or served something else is forgotten.
            output_url=link,
            duration_s=facts.duration_s,
            width=facts.width,
            height=facts.height,
            size_bytes=facts.size_bytes,
            error=None,
        )
        log.info("render %s saved to %s", render_id, dest)
        # The child that verified the download drew its preview too, unless the file was judged
        # before (a restart): then it is drawn now, after publishing (the video is the user's as
        # soon as it is verified); the job, and so the waiting export, still has it.
        if checked.sheet_drawn is None:
            await self._make_preview(render_id, dest)

    async def _verify_link(self, render_id: str, url: str | None) -> None:
        """The render's link, its facts read over the network: ``downloaded`` here means verified
        where it lies (no local path); a link that isn't a readable video is an error to retry."""
        assert self._check_link is not None
        try:
            facts = await self._check_link(url or "")  # no link: refused by the link rule
        except NotAVideoError as err:
            log.warning("render %s: its link is not a readable video (%s)", render_id, err)
            failed = DownloadError("download.link_unreadable")
            self.store.update_render(render_id, status="completed", error=failed.render("en"))
            raise failed from err
        except NemoError as err:  # the link refused by the link rule
            self.store.update_render(render_id, status="completed", error=err.render("en"))
            raise
        self.store.update_render(
            render_id,
            status="downloaded",
            output_url=url,
            duration_s=facts.duration_s,
            width=facts.width,
            height=facts.height,
            size_bytes=facts.size_bytes,
            error=None,
        )
        log.info("render %s verified at its link", render_id)

    def _sheet_path(self, render_id: str) -> Path | None:
        """Where a render's contact sheet goes (its folder made), for a model that can see images;
        None when previews are off or the folder can't be made (never fails the export)."""
        if self._previews is None:
            return None
        try:
            self._previews.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            return None
        return self._previews / f"{safe_file_id(render_id)}.jpg"

    async def _make_preview(self, render_id: str, video: Path) -> None:
        """A contact sheet for a model that can see images (optional extra; never fails the export)."""
        sheet = self._sheet_path(render_id)
        if sheet is not None:
            with contextlib.suppress(OSError):
                await sheet_in_child(video, sheet)

    def preview(self, render_id: str) -> bytes | None:
        """The contact sheet saved for a render, if any."""
        if self._previews is None or not render_id:
            return None
        try:
            return (self._previews / f"{safe_file_id(render_id)}.jpg").read_bytes()
        except OSError:
            return None

    def _keep_claim(self, render_id: str) -> Callable[[int], None]:
        """While bytes arrive, keep the claim fresh: a long download is not a dead follower, and
        another process taking over would truncate the part file under it."""
        touched = time.time()

        def touch(_: int) -> None:
            nonlocal touched
            if time.time() - touched > CLAIM_STALE_S / 4:
                touched = time.time()
                self.store.update_render(render_id, claimed_at=touched)

        return touch

    async def watch(self, render_id: str, deadline: float) -> Render | None:
        """Wait (until ``deadline``) for a render another process follows to be saved or to end."""
        while True:
            rec = self.store.render(render_id)
            if rec is None or rec.status not in OPEN_RENDER or time.monotonic() >= deadline:
                return rec
            await anyio.sleep(min(0.25, deadline - time.monotonic()))

    async def _fetch_video(
        self, render_id: str, url: str | None, folder: Path, name: str
    ) -> tuple[Checked, str | None, Path]:
        """The link the render gave, else (its host unreachable, failing or too slow, or not a
        video) the API's own download route, both within one deadline of which the link may use
        only a share; a file that is not a video (an HTML error page saved as .mp4, say) is never
        accepted. When both fail, the error names both.

        Returns the checked file's facts, the link it came from (after redirects), or None when
        the API's own route served it: a route that needs our token is no link to play or show,
        and the part file it is in (a fresh one for each source)."""
        timeout = self.client.settings.download_timeout
        start = time.monotonic()
        failures: list[NemoError] = []
        api_route = self.client.fallback_download_url(render_id)
        sources = [u for u in (url, api_route) if u]
        for i, source in enumerate(sources):
            # A slow storage host must not spend the time the API's own route needs.
            link = i < len(sources) - 1
            deadline = start + timeout * (LINK_SHARE if link else 1.0)
            came_from = [source]
            part = folder / part_name(name, render_id)
            try:
                try:
                    await self.client.download(
                        source,
                        part,
                        on_bytes=self._keep_claim(render_id),
                        deadline=deadline,
                        on_source=came_from.append,
                    )
                except DownloadError as err:
                    worded = _worded(err, source) if link else err
                    if worded is err:
                        raise
                    raise worded from err
                got = came_from[-1]
                ours = source == api_route and origin(got) == origin(api_route)
                return (
                    await check_video(
                        part, safe_file_id(render_id), self._verdicts, self._sheet_path(render_id)
                    ),
                    None if ours else got,
                    part,
                )
            except CheckerBusyError:
                # The file was never looked at: another source's copy would wait the same way.
                with contextlib.suppress(OSError):
                    part.unlink()
                raise DownloadError("download.checks_busy") from None
            except NotAVideoError as err:
                log.warning("render %s: the download is not a video (%s)", render_id, err)
                failures.append(DownloadError("download.not_video"))
            except DownloadError as err:
                # Out of time after a storage host failed: both are named below.
                if err.message_key in FINAL_DOWNLOAD_ERRORS and not (
                    failures and err.message_key == "download.deadline"
                ):
                    with contextlib.suppress(OSError):
                        part.unlink()
                    raise
                failures.append(err)
            except NemoError as err:  # a pre-signed link expired (across a restart, say), a 5xx...
                failures.append(err)
            except BaseException:
                with contextlib.suppress(OSError):
                    part.unlink()
                raise
            with contextlib.suppress(OSError):
                part.unlink()
        if not failures:
            raise DownloadError("download.not_video")
        first, last = failures[0], failures[-1]
        if first is last or first.message_key == last.message_key:
            raise last
        raise DownloadError(
            "download.both_failed",
            first=Msg(first.message_key, first.params),
            second=Msg(last.message_key, last.params),
        )


def _worded(err: DownloadError, link: str) -> DownloadError:
    """Too slow, or out of its share of the time, at the render's own link (its storage host):
    said of that host, and not final (the API's own route is tried next)."""
    if err.message_key not in ("download.deadline", "download.too_slow"):
        return err
    return DownloadError("download.storage_slow", host=urlsplit(link).hostname or "?")
