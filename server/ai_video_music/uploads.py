"""Uploads: local files (checked before any byte is sent) and links, into the current project.

An upload the service accepted counts as sent whatever shape its answer has: a missing or
odd ``files`` list still records the media we sent, by the names we sent (the contract calls
every field optional), so the cost gate never takes an upload for "no media".
"""

from __future__ import annotations

import glob
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import anyio
import uuid_utils

from . import budget
from .client import check_upload_url
from .costs import EDIT_COST
from .errors import InputError
from .jobs import Job, Reporter, no_progress
from .media import MAX_FILES_PER_UPLOAD, check_upload_file
from .messages import msg, t
from .models import UploadedFile
from .outputs import MediaItem, UploadOutput
from .projects import CLIENT
from .records import UploadState
from .replies import upload_done, upload_low_credits
from .sanitize import clean_text
from .shared import Shared

MAX_GLOB_MATCHES = MAX_FILES_PER_UPLOAD
GLOB_SECONDS = 10.0
UPLOAD_POLL_S = 10

Roots = Callable[[], Awaitable[list[Path]]]


def media_items(uploaded: list[UploadedFile], sent: list[str]) -> list[MediaItem]:
    """What the service says it received; where it says less (no ``files``, fewer entries, no
    names), the names we sent stand in: the upload was accepted, so the media are there."""
    items = []
    for i, name in enumerate(sent):
        f = uploaded[i] if i < len(uploaded) else None
        items.append(
            MediaItem(
                name=(f.filename if f is not None and f.filename else clean_text(name, 200)) or "file",
                kind=f.file_type if f is not None else None,
                url=f.cdn_url if f is not None else None,
            )
        )
    for f in uploaded[len(sent) :]:  # more than we sent (a link that expanded): keep them all
        items.append(MediaItem(name=f.filename or "file", kind=f.file_type, url=f.cdn_url))
    return items


class Uploads:
    """One per server process."""

    def __init__(self, shared: Shared) -> None:
        self.s = shared

    async def upload(
        self,
        files: list[str],
        urls: list[str],
        new_project: bool = False,
        report: Reporter = no_progress,
        roots: Roots | None = None,
    ) -> UploadOutput:
        """Upload local files and/or URLs; big uploads continue in the background past the budget."""
        lang = self.s.lang()
        if not files and not urls:
            raise InputError("input.nothing_to_upload")
        if files and not self.s.settings.files_by_path:
            # Before any path is looked at: no wildcard expanded, no name listed, no existence told.
            raise InputError("input.no_local_files")
        found, matched = await self._expand(files, roots)
        paths, skipped = await anyio.to_thread.run_sync(self._checked, found, matched)
        if len(paths) + len(urls) > MAX_FILES_PER_UPLOAD:
            raise InputError("input.too_many", n=len(paths) + len(urls), max=MAX_FILES_PER_UPLOAD)
        links = [check_upload_url(u) for u in urls]
        notes = self.s.take_notices(lang)
        project = await (self.s.projects.new() if new_project else self.s.projects.ensure())
        after = [t("next.after_upload", lang)]
        if new_project:
            notes.append(t("project.started", lang))
            balance = await self.s.balance_or_none()
            if balance is not None and balance < EDIT_COST:  # said now, not after the upload
                notes.append(upload_low_credits(balance, self.s.more_credits(lang), lang))
                after = [t("next.credits_low", lang)]  # not "call generate": it could not run
        upload_id = f"upload_{uuid_utils.uuid7().hex[-12:]}"
        names = [p.name for p in paths] + links
        self.s.store.start_upload(upload_id, project.id, names, CLIENT.get())

        async def work(job: Job) -> list[MediaItem]:
            uploaded: list[UploadedFile] = []
            if paths:
                job.message = msg("job.uploading", n=len(paths))
                uploaded += await self.s.projects.call(
                    project, lambda sid: self.s.client.upload_files(sid, paths)
                )
            if links:
                job.message = msg("job.importing", n=len(links))
                uploaded += await self.s.projects.call(
                    project, lambda sid: self.s.client.upload_urls(sid, links)
                )
            items = media_items(uploaded, [p.name for p in paths] + links)
            self.s.store.add_media(project.id, [i.model_dump() for i in items], "upload")
            self.s.store.update_upload(upload_id, status=UploadState.DONE)
            return items

        def on_done(job: Job) -> None:
            if job.error is not None:
                self.s.store.update_upload(
                    upload_id, status=UploadState.FAILED, error=job.error.render(self.s.lang())
                )

        job = self.s.jobs.spawn("upload", msg("label.upload"), work, project_id=project.id, on_done=on_done)
        view = await self.s.project_view(project, link=True)
        if not await self.s.jobs.wait([job], report, lang):
            return UploadOutput(
                language=lang,
                status="working",
                job_id=job.id,
                reply="\n\n".join([*notes, t("upload.working", lang)]),
                next_steps=[t("next.status_later", lang, seconds=UPLOAD_POLL_S)],
                project=view,
                poll_after_s=UPLOAD_POLL_S,
            )
        self.s.store.update_upload(upload_id, delivered=1)
        items: list[MediaItem] = job.result()
        return UploadOutput(
            language=lang,
            status="done",
            files=items,
            reply="\n\n".join([*notes, upload_done(items, skipped, lang)]),
            next_steps=after,
            project=view,
        )

    async def _expand(self, files: list[str], roots: Roots | None) -> tuple[list[Path], set[Path]]:
        """``~``, wildcards (off the event loop, capped) and relative paths (against the client's
        roots, never the server's working directory). Also returns which paths came from a wildcard."""
        out: list[Path] = []
        matched: set[Path] = set()
        for raw in files:
            path = Path(raw.strip()).expanduser()
            if not path.is_absolute():
                path = await self._from_roots(raw, roots)
            if any(ch in str(path) for ch in "*?[") and not path.exists():
                found = await self._glob(str(path), raw)
                out.extend(found)
                matched.update(found)
            else:
                out.append(path)
        return out, matched

    @staticmethod
    def _checked(paths: list[Path], matched: set[Path]) -> tuple[list[Path], list[str]]:
        """Every named file must be good; a wildcard's other matches (notes.txt beside the photos)
        are skipped and said, not fatal. Runs off the event loop (it opens each file)."""
        good: list[Path] = []
        skipped: list[str] = []
        first: InputError | None = None
        for path in paths:
            try:
                check_upload_file(path)
            except InputError as err:
                if path not in matched:
                    raise
                skipped.append(clean_text(path.name, 80))
                first = first or err
            else:
                good.append(path)
        if first is not None and not good:
            raise first  # nothing usable matched: the first file's own reason says why
        return good, skipped

    async def _from_roots(self, raw: str, roots: Roots | None) -> Path:
        folders = await roots() if roots is not None else []
        if not folders:
            raise InputError("input.relative", path=clean_text(raw, 200))
        for folder in folders:
            candidate = folder / raw
            if candidate.exists() or any(ch in raw for ch in "*?["):
                return candidate
        raise InputError(
            "input.relative_missing", path=clean_text(raw, 200), roots=", ".join(map(str, folders[:3]))
        )

    async def _glob(self, pattern: str, raw: str) -> list[Path]:
        # Within what the call has left: a slow disk must read as a slow search, not a slow service.
        left = budget.remaining()
        seconds = GLOB_SECONDS if left is None else max(0.0, min(GLOB_SECONDS, left - self.s.reserve()))
        stop = time.monotonic() + seconds

        def search() -> list[Path]:
            found: list[Path] = []
            for match in glob.iglob(pattern):
                found.append(Path(match))
                if len(found) > MAX_GLOB_MATCHES or time.monotonic() > stop:
                    break
            return found

        with anyio.move_on_after(seconds + 0.1):
            matches = await anyio.to_thread.run_sync(search, abandon_on_cancel=True)
            if not matches:
                raise InputError("input.no_match", pattern=clean_text(raw, 200))
            if len(matches) > MAX_GLOB_MATCHES:
                raise InputError("input.too_many", n=f"{MAX_GLOB_MATCHES}+", max=MAX_GLOB_MATCHES)
            if time.monotonic() > stop:
                raise InputError("input.glob_slow", pattern=clean_text(raw, 200))
            return sorted(matches)
        raise InputError("input.glob_slow", pattern=clean_text(raw, 200))
