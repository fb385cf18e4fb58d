"""The upload page: ``GET /upload/<secret>`` shows a file picker, ``POST`` sends the files.

The link (made by the ``upload`` tool, :mod:`.upload_links`) is the only key: whoever opens it
adds files to its user's project, once, for a few minutes, and to nothing else. The form posts
back to the same address with a CSRF token (the sign-in page's double submit) from our own
origin. Files are read within limits into a nameless spool (:mod:`.upload_form`), all checked
(photos and videos, by name and content), and only then is the link used and the upload sent to
NemoVideo through the same path and records as any upload (``uploads.send_opened``): the user's
next ``status`` tells what arrived, and the page says it at once.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import anyio
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from psycopg_pool import ConnectionPool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from ..client import NemoClient
from ..config import Settings
from ..errors import NemoError
from ..media import sniff
from ..messages import Lang, parse_language, t
from ..projects import Language, Projects
from ..uploads import send_opened
from .accounts import Accounts
from .config import HostedConfig
from .forms import CSRF_COOKIE, csrf_ok, csrf_token, same_origin
from .page import Field, page_language, render
from .store_pg_work import PgStore
from .upload_form import Arrived, FormRefusedError, Limits, ReceivedForm, Refusal, read_form
from .upload_links import UPLOAD_PATH, Grant, LinkState, UploadLinks
from .users import user_settings

log = logging.getLogger(__name__)

# What the page takes: photos and videos (NemoVideo takes audio too; the page is for the camera roll).
PHOTO_TYPES = ("jpg", "jpeg", "png", "gif", "webp")
VIDEO_TYPES = ("mp4", "mov", "avi", "webm", "mkv")
_ACCEPT = ",".join(["image/*", "video/*", *(f".{ext}" for ext in PHOTO_TYPES + VIDEO_TYPES)])
LATELY_ROUNDS = 4  # how long an account's last post here ranks its next (see UploadDesk._posted)
_REFUSED = {
    LinkState.USED: ("hosted.upload.used", 410),
    LinkState.EXPIRED: ("hosted.upload.expired", 410),
    LinkState.UNKNOWN: ("hosted.upload.unknown", 404),
}


def kind_problem(name: str, head: bytes, size: int, lang: Lang) -> str | None:
    """Why a received file can't go to the project, or None: a photo or video by name and content."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in PHOTO_TYPES + VIDEO_TYPES:
        return t("hosted.upload.not_media", lang, name=name)
    if size == 0:
        return t("hosted.upload.empty", lang, name=name)
    if sniff(head) not in ("image", "video"):
        return t("hosted.upload.not_media", lang, name=name)
    return None


@dataclass(eq=False)
class _Reading:
    """A post holding a slot while its body arrives: its pace, and how to stop it; whose it is."""

    arrived: Arrived = field(default_factory=Arrived)
    scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)
    gave_way: bool = False
    user: str = ""


@dataclass(eq=False)
class _Waiter:
    rank: tuple[float, int]  # (when its account's previous post came here, 0 for none; arrival)
    turn: anyio.Event = field(default_factory=anyio.Event)
    granted: bool = False


class FairSlots:
    """The instance's upload slots, handed to waiting posts in turn: the post whose account
    posted here least lately first (an account's first post before all), then by arrival. A
    semaphore's first-come queue put an honest post behind every cheap account that sends its
    post again the moment it is cut or refused (attack24 A24-1): such a post now waits behind
    every account that had no post here since, as it would have had it kept its place."""

    def __init__(self, slots: int) -> None:
        self.free = slots
        self._waiting: list[_Waiter] = []
        self._arrivals = 0

    def acquire_nowait(self) -> None:
        """A slot at once, or ``anyio.WouldBlock`` (also when posts wait: they come first)."""
        if self.free <= 0 or self._waiting:
            raise anyio.WouldBlock
        self.free -= 1

    async def acquire(self, previous: float) -> None:
        """Wait for a slot; ``previous``: when this post's account last posted here (0: not
        lately). Cancelled when the slot was just handed over, it passes the slot on."""
        if self.free > 0 and not self._waiting:
            # Freed since the post found none (attack25 A25-5): its wait starts a turn of the
            # loop after, and a slot given back in between had nobody to go to.
            self.free -= 1
            return
        self._arrivals += 1
        waiter = _Waiter((previous, self._arrivals))
        bisect.insort(self._waiting, waiter, key=lambda w: w.rank)
        try:
            await waiter.turn.wait()
        except BaseException:
            if waiter.granted:
                self.release()
            else:
                self._waiting.remove(waiter)
            raise

    def release(self) -> None:
        if self._waiting:
            waiter = self._waiting.pop(0)
            waiter.granted = True
            waiter.turn.set()
        else:
            self.free += 1


@dataclass
class UploadDesk:
    config: HostedConfig
    settings: Settings
    links: UploadLinks
    accounts: Accounts
    store_pool: ConnectionPool
    state_dir: Path
    slots: FairSlots = field(init=False)
    # When each account last posted here, lately (its next post waits behind those of the others).
    posted_at: dict[str, float] = field(init=False, default_factory=dict)
    # Users with a post arriving here: one each, so one user's posts can't take every slot.
    arriving: set[str] = field(init=False, default_factory=set)
    # Posts whose bodies are still arriving (not those already checked and on their way to NemoVideo).
    reading: set[_Reading] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        self.slots = FairSlots(self.config.uploads_at_once)

    @property
    def limits(self) -> Limits:
        c = self.config
        return Limits(
            c.upload_files,
            c.upload_file_mb * 1024 * 1024,
            c.upload_total_mb * 1024 * 1024,
            min_rate=c.upload_min_rate,
            rate_window=c.upload_rate_window,
        )

    def routes(self) -> list[Route]:
        path = UPLOAD_PATH + "{secret}"
        return [Route(path, self.page, methods=["GET"]), Route(path, self.submit, methods=["POST"])]

    # --- pages -------------------------------------------------------------------------------

    def _answer(self, request: Request, lang: Lang, alert: str, status: int) -> Response:
        return render(request, lang, title_key="hosted.upload.title", alert=alert, status=status)

    def _refused(self, request: Request, lang: Lang, grant: Grant) -> Response:
        key, status = _REFUSED[grant.state]
        return self._answer(request, lang, t(key, lang, minutes=self.config.upload_link_ttl // 60), status)

    def _form(
        self,
        request: Request,
        lang: Lang,
        secret: str,
        grant: Grant,
        *,
        alert: str | None = None,
        status: int = 200,
    ) -> Response:
        csrf = csrf_token(request)
        c = self.config
        minutes = max(1, round(grant.seconds_left() / 60))
        project = self._project_name(grant)
        described = ' aria-invalid="true"' if alert else ""
        limits = t(
            "hosted.upload.limits", lang, n=c.upload_files, mb=c.upload_file_mb, total=c.upload_total_mb
        )
        inputs = (
            f'<label for="files">{escape(t("hosted.upload.label", lang))}</label>'
            f'<input type="file" id="files" name="files" multiple required autofocus accept="{_ACCEPT}" '
            f'aria-describedby="limits{" problem" if alert else ""}"{described}>'
            f'<p class="hint" id="limits">'
            f"{escape(limits)}"
            "</p>"
        )
        return render(
            request,
            lang,
            title_key="hosted.upload.title",
            paragraphs=[
                t("hosted.upload.intro", lang, project=project),
                t("hosted.upload.once", lang, minutes=minutes),
            ],
            alert=alert,
            form_action=f"{UPLOAD_PATH}{secret}",
            hidden=[Field("csrf", csrf)],
            submit_key="hosted.upload.submit",
            status=status,
            cookies=[(CSRF_COOKIE, csrf)],
            secure=self.config.public_url.startswith("https://"),
            inputs=inputs,
            multipart=True,
        )

    def _store(self, user_id: str) -> PgStore:
        return PgStore(self.store_pool, user_id, self.state_dir / "users" / user_id)

    def _project_name(self, grant: Grant) -> str:
        project = self._store(grant.user_id).project(grant.project_id)
        return (project.name if project is not None else "") or t("project.unnamed", grant.lang)

    @staticmethod
    def _someone_else(request: Request, grant: Grant) -> bool:
        """The request says who it is (a bearer token of ours) and it isn't the link's user."""
        who = request.scope.get("user")
        return isinstance(who, AuthenticatedUser) and who.access_token.subject != grant.user_id

    async def _look(self, request: Request, secret: str) -> tuple[Grant, Lang, Response | None]:
        """The link's grant and the page's language, or the answer that refuses it."""
        grant = await self.links.look(secret)
        chosen = parse_language(request.query_params.get("lang"))
        if grant.state is not LinkState.OPEN:
            lang = chosen or page_language(request)
            return grant, lang, self._refused(request, lang, grant)
        lang = chosen or grant.lang
        if self._someone_else(request, grant):
            return grant, lang, self._answer(request, lang, t("hosted.upload.someone_else", lang), 403)
        if await self.accounts.load(grant.user_id) is None:  # "forget my token" since it was made
            return grant, lang, self._answer(request, lang, t("hosted.upload.gone", lang), 410)
        return grant, lang, None

    async def page(self, request: Request) -> Response:
        secret = request.path_params["secret"]
        grant, lang, refused = await self._look(request, secret)
        return refused or self._form(request, lang, secret, grant)

    async def submit(self, request: Request) -> Response:
        secret = request.path_params["secret"]
        grant, lang, refused = await self._look(request, secret)  # before a byte of the body is read
        if refused is not None:
            return refused
        if not same_origin(request, self.config.public_origin):
            return self._form(request, lang, secret, grant, alert=t("hosted.form.stale", lang), status=403)
        if grant.user_id in self.arriving:
            alert = t("hosted.upload.one_at_a_time", lang)
            response = self._form(request, lang, secret, grant, alert=alert, status=429)
            response.headers["Retry-After"] = "30"
            return response
        reading = _Reading(user=grant.user_id)
        self.arriving.add(grant.user_id)  # also while it waits for a slot: one waiting post a user
        try:
            if not await self._slot(reading):
                alert = t("hosted.upload.busy", lang)
                response = self._form(request, lang, secret, grant, alert=alert, status=503)
                response.headers["Retry-After"] = "60"
                return response
            try:  # the slot is held until the spool is closed: it bounds the instance's spool
                return await self._read_and_send(request, lang, secret, grant, reading)
            finally:
                self.slots.release()
        finally:
            self.arriving.discard(grant.user_id)

    async def _read_and_send(
        self, request: Request, lang: Lang, secret: str, grant: Grant, reading: _Reading
    ) -> Response:
        form: ReceivedForm | None = None
        self.reading.add(reading)
        try:
            with reading.scope:
                form = await read_form(request, self.limits, reading.arrived)
        except FormRefusedError as err:
            status = {Refusal.MALFORMED: 400, Refusal.TOO_SLOW: 408}.get(err.reason, 413)
            alert = self._too_much(err, lang)
            return self._form(request, lang, secret, grant, alert=alert, status=status)
        except ClientDisconnect:
            return Response(status_code=400)  # no one is there to read an answer
        finally:
            self.reading.discard(reading)
        if form is None:  # cancelled: it gave way to a waiting post (its spool is closed)
            alert = t("hosted.upload.gave_way", lang)
            response = self._form(request, lang, secret, grant, alert=alert, status=503)
            response.headers["Retry-After"] = "60"
            return response
        try:
            return await self._checked_and_sent(request, lang, secret, grant, form)
        finally:
            form.close()

    async def _slot(self, reading: _Reading) -> bool:
        """One of the instance's upload slots for ``reading``, or False (told to retry).

        One post per user is not enough: accounts are cheap (a pasted token, a "Start free"),
        and eight of them dripping uploads just above the minimum rate held every slot of two
        instances for half an hour (attack21 A21-3). So when every slot is taken, the slowest
        post that has had ``upload_give_way`` seconds to show its pace gives way (it is told
        why, and its link still works). A post that just started, or one already checked and on
        its way to NemoVideo, is never cut. A per-address cap would shut out users behind one NAT
        and be no bar to many addresses; a minimum rate that rises would cut slow honest uploads
        even when no one waits.

        And a post that finds every slot taken waits in one queue for a slot that comes free or
        for a holder that comes due, which then gives way if it is the slowest. Refusing at once
        let a few accounts keep every slot young by closing each post before it came due and
        posting it again (attack22 A22-2). Each pass leaving the queue and joining it again let
        the posts of two more accounts, each sent again the moment it was cut or refused, take
        every slot that came due before an honest one (attack23 A23-4: refused 6 times out of 6).
        So a post keeps its place in the queue for its whole wait. First come first served still
        put an honest post behind every cheap account's (attack24 A24-1: past HAProxy's timeout,
        its bare 504), so the queue is ordered by when each post's account last posted here
        (``FairSlots``): an account's first post lately goes before every post sent again, and
        takes one of the next slots to come due. A post is refused when no slot has changed
        hands for ``upload_give_way`` and no holder reading a body is left to come due (every
        slot sending to NemoVideo that long), or when it has waited ``upload_wait``, inside the
        balancer's timeout (then it is told to come back, in its language). Each waiting post
        cuts at most one holder at a time, so no more posts give way than wait. The wait holds no
        slot and no spool (the body is not read yet), and is one per user (``arriving``)."""
        previous = self._posted(reading.user)
        with contextlib.suppress(anyio.WouldBlock):
            self.slots.acquire_nowait()
            return True
        log.info("a post waits for an upload slot")
        got = False
        async with anyio.create_task_group() as queue:

            async def in_turn() -> None:
                nonlocal got
                await self.slots.acquire(previous)  # one wait: its place in the queue is kept
                reading.arrived = Arrived()  # its pace is counted from now
                got = True
                queue.cancel_scope.cancel()

            queue.start_soon(in_turn)
            # Never past the balancer's timeout: told to come back (503) rather than its bare 504.
            with anyio.move_on_after(self.config.upload_wait):
                await self._make_way()
            queue.cancel_scope.cancel()  # refused: a slot handed to it just now goes to the next
        return got

    def _posted(self, user: str) -> float:
        """When ``user`` last posted here, if lately (else 0, as never), and now is recorded.
        Lately: within a few rounds of a wait and a give-way, so that a post sent again at once
        after it waited, held a slot and was cut still counts as one. Older entries are dropped."""
        now = time.monotonic()
        horizon = now - LATELY_ROUNDS * (self.config.upload_wait + self.config.upload_give_way)
        for old in [u for u, at in self.posted_at.items() if at < horizon]:
            del self.posted_at[old]
        previous = self.posted_at.get(user, 0.0)
        self.posted_at[user] = now
        return previous

    async def _make_way(self) -> None:
        # While its post waits: cut the slowest holder come due (one at a time), and return when
        # no slot has changed hands for ``upload_give_way`` and none will (every slot sending to
        # NemoVideo, or the holders cut still not stopped).
        give_way = self.config.upload_give_way
        quiet_since = time.monotonic()
        cut: _Reading | None = None
        seen = set(self.reading)
        seen_cuts: set[_Reading] = set()
        while True:
            now = time.monotonic()
            if cut is not None and cut not in self.reading:
                cut = None  # its slot went to the post first in the queue
            cuts = {r for r in self.reading if r.gave_way}
            if seen - self.reading or cuts - seen_cuts:
                quiet_since = now  # a slot changed hands, or is about to
            seen, seen_cuts = set(self.reading), cuts
            holders = [r for r in self.reading if not r.gave_way]
            due = [r for r in holders if now - r.arrived.started >= give_way]
            if cut is None and due:
                cut = min(due, key=lambda r: r.arrived.rate(now))
                cut.gave_way = True
                cut.scope.cancel()  # its slot comes back as soon as its read stops
                quiet_since = now
            elif now - quiet_since >= give_way and not holders:
                return  # (a holder reading its body comes due: waited for, its slot changes hands)
            comes_due = min((r.arrived.started + give_way for r in holders), default=now + give_way)
            await anyio.sleep(max(0.0, min(comes_due, quiet_since + give_way, now + give_way / 10) - now))

    def _too_much(self, err: FormRefusedError, lang: Lang) -> str:
        c = self.config
        if err.reason is Refusal.FILE_TOO_BIG:
            return t("hosted.upload.file_too_big", lang, name=err.name, mb=c.upload_file_mb)
        if err.reason is Refusal.TOO_BIG:
            return t("hosted.upload.too_big", lang, total=c.upload_total_mb)
        if err.reason is Refusal.TOO_MANY:
            return t("hosted.upload.too_many", lang, n=c.upload_files)
        if err.reason is Refusal.TOO_SLOW:
            return t("hosted.upload.too_slow", lang, kb=c.upload_min_rate // 1024)
        return t("hosted.form.stale", lang)

    async def _checked_and_sent(
        self, request: Request, lang: Lang, secret: str, grant: Grant, form: ReceivedForm
    ) -> Response:
        lang = parse_language(form.fields.get("lang")) or lang
        if not csrf_ok(request, form.fields.get("csrf")):
            return self._form(request, lang, secret, grant, alert=t("hosted.form.stale", lang), status=403)
        if not form.files:
            return self._form(request, lang, secret, grant, alert=t("hosted.upload.none", lang), status=400)
        problems = [p for f in form.files if (p := kind_problem(f.name, f.head, f.size, lang))]
        if problems:
            return self._form(request, lang, secret, grant, alert=" ".join(problems), status=400)
        used = await self.links.use(secret)  # every check passed: now, and only now, it is used
        if used.state is not LinkState.OPEN:
            return self._refused(request, lang, used)
        user = await self.accounts.load(used.user_id)
        settings = user_settings(self.settings, self.state_dir, user) if user is not None else None
        store = self._store(used.user_id)
        project = store.project(used.project_id)
        if settings is None or project is None:  # forgotten (or deleted) since the link was made
            return self._answer(request, lang, t("hosted.upload.gone", lang), 410)
        opened = [f.opened() for f in form.files]
        try:
            async with NemoClient(settings) as client:
                projects = Projects(settings, client, store, Language(settings, store))
                items = await send_opened(store, projects, client, project, opened)
        except NemoError as err:
            log.info("an upload page's files were refused: %s", type(err).__name__)
            alert = err.render(lang) + " " + t("hosted.upload.failed_next", lang)
            return self._answer(request, lang, alert, 502)
        finally:
            for upload in opened:
                upload.close()
        log.info("an upload page sent %d file(s)", len(items))
        name = project.name or t("project.unnamed", lang)
        return render(
            request,
            lang,
            title_key="hosted.upload.done_title",
            notice=t("hosted.upload.done", lang, n=len(items), project=name)
            + " "
            + t("hosted.upload.back", lang),
            items=[i.name for i in items],
        )
