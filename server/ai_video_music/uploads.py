"""Uploads: local files (checked before any byte is sent) and links, into the current project.

In hosted mode the server can't read the user's device: ``upload`` answers with an upload page
(:class:`UploadPages`, a short-lived single-use link) instead of reading paths, and the files
the page receives go through :func:`send_opened`, recorded like any other upload.

An upload the service accepted counts as sent whatever shape its answer has: a missing or
odd ``files`` list still records the media we sent, by the names we sent (the contract calls
every field optional), so the cost gate never takes an upload for "no media".
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import anyio
import uuid_utils

from . import budget
from .client import NemoClient, check_upload_url
from .costs import EDIT_COST
from .errors import InputError, NemoError, NothingUploadedError
from .jobs import Job, Reporter, no_progress
from .media import MAX_FILES_PER_UPLOAD, OpenedUpload, check_upload_file, unreadable
from .messages import Lang, msg, t
from .models import UploadedFile
from .outputs import MediaItem, UploadOutput
from .projects import CLIENT, Projects
from .records import UploadState
from .replies import quote_list, upload_done, upload_low_credits, upload_page_reply
from .sanitize import shown
from .shared import Shared, iso
from .store import Project, Store

MAX_GLOB_MATCHES = MAX_FILES_PER_UPLOAD
GLOB_SECONDS = 10.0
# Directory entries one wildcard search may read (a home folder's few levels: tens of thousands).
MAX_GLOB_ENTRIES = 200_000
# Folder levels a wildcard may have ("..", "." included): deeper than any real folder a user names.
MAX_GLOB_PARTS = 64
UPLOAD_POLL_S = 10

Roots = Callable[[], Awaitable[list[Path]]]


@dataclass(frozen=True)
class UploadPage:
    """A link where the user's browser sends files into one project: once, until ``expires_at``."""

    url: str
    expires_at: float  # epoch seconds
    minutes: int  # how long it works, as said to the user


class UploadPages(Protocol):
    """Hosted mode: opens an upload page for one of the signed-in user's projects."""

    async def open(self, project_id: str, lang: Lang) -> UploadPage: ...


def _digest_key(project_id: str, digest: str) -> str:
    """The store key saying a file with these bytes was uploaded to the project."""
    return f"upload_digest:{project_id}:{digest}"


def _digests(paths: list[Path]) -> list[str]:
    """Each file's digest of its name and bytes (off the event loop: a video may be hundreds of
    MB). The name too: a copy under another name is a file the user means as another."""
    out = []
    for path in paths:
        h = hashlib.sha256(path.name.encode("utf-8") + b"\0")
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        out.append(h.hexdigest())
    return out


def new_upload_id() -> str:
    return f"upload_{uuid_utils.uuid7().hex[-12:]}"


def finish_upload(
    store: Store, upload_id: str, project_id: str, uploaded: list[UploadedFile], sent: list[str]
) -> list[MediaItem]:
    """Record what the service took: the project's media and the upload's record, done."""
    items = media_items(uploaded, sent)
    store.add_media(project_id, [i.model_dump() for i in items], "upload")
    store.update_upload(upload_id, status=UploadState.DONE)
    return items


async def send_opened(
    store: Store, projects: Projects, client: NemoClient, project: Project, files: Sequence[OpenedUpload]
) -> list[MediaItem]:
    """Files already opened and checked (an upload page's) into ``project``, recorded like any
    upload: the record is written before anything is sent, and the next ``status`` of any of the
    user's sessions tells its outcome (``client`` None: it belongs to no one session)."""
    upload_id = new_upload_id()
    names = [f.name for f in files]
    store.start_upload(upload_id, project.id, names, None)
    try:
        uploaded = await projects.call(project, lambda sid: client.upload_opened(sid, list(files)))
    except NemoError as err:
        store.update_upload(
            upload_id, status=UploadState.FAILED, error=err.render(projects.language.current())
        )
        raise
    return finish_upload(store, upload_id, project.id, uploaded, names)


def media_items(uploaded: list[UploadedFile], sent: list[str]) -> list[MediaItem]:
    """What the service says it received; where it says less (no ``files``, fewer entries, no
    names), the names we sent stand in: the upload was accepted, so the media are there."""
    items = []
    for i, name in enumerate(sent):
        f = uploaded[i] if i < len(uploaded) else None
        items.append(
            MediaItem(
                name=(f.filename if f is not None and f.filename else shown(name, 200)) or "file",
                kind=f.file_type if f is not None else None,
                url=f.cdn_url if f is not None else None,
            )
        )
    for f in uploaded[len(sent) :]:  # more than we sent (a link that expanded): keep them all
        items.append(MediaItem(name=f.filename or "file", kind=f.file_type, url=f.cdn_url))
    return items


class Uploads:
    """One per server process."""

    def __init__(self, shared: Shared, pages: UploadPages | None = None) -> None:
        self.s = shared
        self.pages = pages  # hosted mode: paths on the user's device come through a page

    async def upload(
        self,
        files: list[str],
        urls: list[str],
        new_project: bool = False,
        report: Reporter = no_progress,
        roots: Roots | None = None,
    ) -> UploadOutput:
        """Upload local files and/or URLs; big uploads continue in the background past the budget.
        Hosted mode: local files (or nothing named) are answered with an upload page."""
        if self.pages is not None and (files or not urls):
            return await self._offer_page(self.pages, len(files), urls, new_project, report)
        lang = self.s.language.for_names([*files, *urls])
        if not files and not urls:
            raise InputError("input.nothing_to_upload")
        if files and not self.s.settings.files_by_path:
            # Before any path is looked at: no wildcard expanded, no name listed, no existence told.
            raise InputError("input.no_local_files")
        found, matched, bad = await self._expand(files, roots)
        paths, skipped, unusable = await anyio.to_thread.run_sync(self._checked, found, matched)
        bad += unusable
        if len(paths) + len(urls) > MAX_FILES_PER_UPLOAD:
            raise InputError("input.too_many", n=len(paths) + len(urls), max=MAX_FILES_PER_UPLOAD)
        links: list[str] = []
        for url in urls:
            try:
                links.append(check_upload_url(url))
            except InputError as err:
                bad.append((url, err))
        if bad:  # one upload goes all or nothing: none is sent, and the answer says so
            if len(bad) == 1 and not paths and not links:
                raise bad[0][1]  # the only file named: its own reason is the whole story
            raise NothingUploadedError(bad, len(paths) + len(links))
        notes = self.s.take_notices(lang)
        project = await (self.s.projects.new() if new_project else self.s.projects.ensure())
        after = [t("next.after_upload", lang)]
        if new_project:
            notes.append(self.s.project_started(lang))
            balance = await self.s.balance_or_none()
            if balance is not None and balance < EDIT_COST:  # said now, not after the upload
                notes.append(upload_low_credits(balance, self.s.more_credits(lang), lang))
                after = [t("next.credits_low", lang)]  # not "call generate": it could not run
        # The same bytes uploaded to this project before are there already: sent again they
        # would be a second copy, and "Uploaded" would read as new material (play26en F23).
        digests = await anyio.to_thread.run_sync(_digests, paths)
        fresh = [i for i, d in enumerate(digests) if self.s.store.get(_digest_key(project.id, d)) is None]
        there = [paths[i].name for i in range(len(paths)) if i not in fresh]
        paths, digests = [paths[i] for i in fresh], [digests[i] for i in fresh]
        if there and not paths and not links:
            said = [t("upload.already", lang, names=quote_list(there, lang))]
            if skipped:
                said.append(t("upload.skipped", lang, names=quote_list(skipped, lang)))
            return UploadOutput(
                language=lang,
                status="done",
                reply="\n\n".join([*notes, *said]),
                next_steps=after,
                project=await self.s.project_view(project, link=True),
            )
        upload_id = new_upload_id()
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
            items = finish_upload(self.s.store, upload_id, project.id, uploaded, names)
            self.s.store.put(
                **{_digest_key(project.id, d): p.name for p, d in zip(paths, digests, strict=True)}
            )
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
                next_steps=[
                    t("next.status_later_in", lang, seconds=UPLOAD_POLL_S, project=project.name or project.id)
                ],
                project=view,
                poll_after_s=UPLOAD_POLL_S,
            )
        self.s.store.update_upload(upload_id, delivered=1)
        items: list[MediaItem] = job.result()
        return UploadOutput(
            language=lang,
            status="done",
            files=items,
            reply="\n\n".join(
                [*notes, upload_done(items, skipped, lang)]
                + ([t("upload.already", lang, names=quote_list(there, lang))] if there else [])
            ),
            next_steps=after,
            project=view,
        )

    async def _offer_page(
        self, pages: UploadPages, paths: int, urls: list[str], new_project: bool, report: Reporter
    ) -> UploadOutput:
        """The upload page for the current (or a new) project; links given too are uploaded first,
        as usual. Paths are never read: on a hosted server they would name the server's files."""
        out: UploadOutput | None = None
        if urls:
            out = await self.upload([], urls, new_project, report)
            new_project = False
        lang = self.s.lang()
        notes = [] if out is not None else self.s.take_notices(lang)
        project = await (self.s.projects.new() if new_project else self.s.projects.ensure())
        if new_project:
            notes.append(self.s.project_started(lang))
            balance = await self.s.balance_or_none()
            if balance is not None and balance < EDIT_COST:  # said now, as for files sent by path
                notes.append(upload_low_credits(balance, self.s.more_credits(lang), lang))
        page = await pages.open(project.id, lang)
        name = self.s.project_name(project.id)
        notes.append(upload_page_reply(page.url, page.minutes, name, paths, lang))
        steps = [t("next.upload_page", lang)]
        if out is not None:
            out.reply = "\n\n".join([out.reply, *notes])
            out.next_steps = [*steps, *out.next_steps]
            out.upload_url, out.upload_url_expires_at = page.url, iso(page.expires_at)
            return out
        return UploadOutput(
            language=lang,
            status="upload_page",
            reply="\n\n".join(notes),
            next_steps=steps,
            project=await self.s.project_view(project, link=True),
            upload_url=page.url,
            upload_url_expires_at=iso(page.expires_at),
        )

    async def _expand(
        self, files: list[str], roots: Roots | None
    ) -> tuple[list[Path], set[Path], list[tuple[str, InputError]]]:
        """``~``, wildcards (off the event loop, capped) and relative paths (against the client's
        roots, never the server's working directory). Also returns which paths came from a
        wildcard, and each name that can't be found with its reason (all of them, not the first:
        the answer names every one)."""
        out: list[Path] = []
        matched: set[Path] = set()
        bad: list[tuple[str, InputError]] = []
        for raw in files:
            try:
                path = _expanded(raw)
                if not path.is_absolute():
                    path = await self._from_roots(raw, roots)
                if any(ch in str(path) for ch in "*?[") and not _exists(path):
                    found = await self._glob(str(path), raw)
                    out.extend(found)
                    matched.update(found)
                else:
                    out.append(path)
            except InputError as err:
                bad.append((Path(raw.strip()).name or raw, err))
        return out, matched, bad

    @staticmethod
    def _checked(
        paths: list[Path], matched: set[Path]
    ) -> tuple[list[Path], list[str], list[tuple[str, InputError]]]:
        """Every named file must be good: each one that isn't is returned with its reason. A
        wildcard's other matches (notes.txt beside the photos) are skipped and said, not fatal.
        Runs off the event loop (it opens each file)."""
        good: list[Path] = []
        skipped: list[str] = []
        bad: list[tuple[str, InputError]] = []
        first: InputError | None = None
        for path in paths:
            try:
                check_upload_file(path)
            except InputError as err:
                if path not in matched:
                    bad.append((path.name, err))
                    continue
                skipped.append(path.name)  # told through replies.quote_list, as every name is
                first = first or err
            else:
                good.append(path)
        if first is not None and not good and not bad:
            raise first  # nothing usable matched: the first file's own reason says why
        return good, skipped, bad

    async def _from_roots(self, raw: str, roots: Roots | None) -> Path:
        folders = await roots() if roots is not None else []
        if not folders:
            raise InputError("input.relative", path=raw)
        for folder in folders:
            candidate = folder / raw
            if any(ch in raw for ch in "*?[") or _exists(candidate):
                return candidate
        raise InputError("input.relative_missing", path=raw, roots=", ".join(map(str, folders[:3])))

    async def _glob(self, pattern: str, raw: str) -> list[Path]:
        if len(glob_parts(pattern)) > MAX_GLOB_PARTS:  # ~700 ("d/../" repeated) overflowed the stack
            raise InputError("input.glob_deep", pattern=raw, max=MAX_GLOB_PARTS)
        # Within what the call has left: a slow disk must read as a slow search, not a slow service.
        left = budget.remaining()
        seconds = GLOB_SECONDS if left is None else max(0.0, min(GLOB_SECONDS, left - self.s.reserve()))
        stop = time.monotonic() + seconds

        def search() -> tuple[list[Path], bool]:
            found: list[Path] = []
            try:
                for match in iter_glob(pattern, stop):
                    found.append(Path(match))
                    if len(found) > MAX_GLOB_MATCHES:
                        break
            except GlobTooSlow:
                return found, True  # the walk itself stopped: no thread goes on after the answer
            return found, time.monotonic() > stop

        with anyio.move_on_after(seconds + 0.1):
            matches, slow = await anyio.to_thread.run_sync(search, abandon_on_cancel=True)
            if len(matches) > MAX_GLOB_MATCHES:
                raise InputError("input.too_many", n=f"{MAX_GLOB_MATCHES}+", max=MAX_GLOB_MATCHES)
            if slow:
                raise InputError("input.glob_slow", pattern=raw)
            if not matches:
                raise InputError("input.no_match", pattern=raw)
            return sorted(matches)
        raise InputError("input.glob_slow", pattern=raw)


def _expanded(raw: str) -> Path:
    """A path as typed, ``~`` expanded: one no file can have, or a ``~name`` of no account here,
    is said in a sentence (Python raises ValueError and RuntimeError for them)."""
    if "\0" in raw:
        raise InputError("input.nul_in_path", path=raw)
    try:
        return Path(raw.strip()).expanduser()
    except RuntimeError:
        raise InputError("input.no_such_home", path=raw) from None


def _exists(path: Path) -> bool:
    """Whether something has this name; a name or path too long for the system is said so."""
    try:
        return path.exists()
    except OSError as err:
        raise unreadable(path, err) from None


class GlobTooSlow(Exception):
    """A wildcard search passed its deadline or its count of directory entries."""


_MAGIC = re.compile(r"[*?[]")


def iter_glob(
    pattern: str, stop: float, max_entries: int | None = None, scandir: Callable[[str], Any] = os.scandir
) -> Iterator[str]:
    """``glob.iglob(pattern)``'s matches, by its rules (a hidden name only for a part that starts
    with a dot; ``**`` is ``*``), but raising :class:`GlobTooSlow` as soon as ``stop`` (a
    ``time.monotonic()``) passes or ``max_entries`` directory entries were read, checked at every
    entry: iglob checks nothing until it yields, and a deep pattern that matches nothing walked a
    whole disk on, in a thread the answer had long left behind."""
    cap = MAX_GLOB_ENTRIES if max_entries is None else max_entries
    seen = 0

    def names(folder: str, dirs_only: bool) -> Iterator[str]:
        nonlocal seen
        try:
            listing = scandir(folder)
        except OSError:
            return  # unreadable or gone: no matches there, as iglob
        with listing:
            while True:
                try:
                    entry = next(listing)
                except (StopIteration, OSError):  # the end, or a folder that can't be read on
                    return
                seen += 1
                if seen > cap or time.monotonic() > stop:
                    raise GlobTooSlow
                try:
                    if dirs_only and not entry.is_dir():
                        continue
                except OSError:
                    continue
                yield entry.name

    def expand(base: str, parts: list[str]) -> Iterator[str]:
        head, rest = parts[0], parts[1:]
        if time.monotonic() > stop:  # the plain parts are looked at within the deadline too
            raise GlobTooSlow
        if not _MAGIC.search(head):
            path = os.path.join(base, head)
            if rest and os.path.isdir(path):
                yield from expand(path, rest)
            elif not rest and os.path.lexists(path):
                yield path
            return
        for name in names(base or os.curdir, dirs_only=bool(rest)):
            if (name[0] == "." and head[0] != ".") or not fnmatch.fnmatch(name, head):
                continue
            path = os.path.join(base, name)
            if rest:
                yield from expand(path, rest)
            else:
                yield path

    root = os.sep if pattern.startswith(os.sep) else ""
    parts = glob_parts(pattern)
    if len(parts) > MAX_GLOB_PARTS:  # (callers say so first: a walk one generator deep per part)
        raise GlobTooSlow
    if parts:
        yield from expand(root, parts)


def glob_parts(pattern: str) -> list[str]:
    """The folder levels of a wildcard pattern, each walked in turn ("a/../" counts twice: the
    walk takes ".." as it is, as glob does)."""
    return [part for part in pattern.split(os.sep) if part]
