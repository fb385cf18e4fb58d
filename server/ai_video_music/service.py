"""The service the MCP tools call: thin wiring over the concern modules.

``generate`` routes a prompt (router.py) to the action it means; agent turns, uploads,
exports, cancel and status each live in their own module over one :class:`Shared`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import anyio
import anyio.abc

from .asked import _zh_gaps as zh_gaps
from .asked import asks_for_a_video, speaks_of_own_media, withdrawn
from .cancel import cancel
from .client import NemoClient
from .config import Settings
from .consent import Consent
from .costs import EDIT_COST, GENERATION_COST, REQUEST_COST, Gate, GateKind, cost_of, spent, used_before
from .errors import InputError, NemoError
from .export_resource import describe_export
from .exports import Exports, accepts_as_is
from .jobs import Jobs, Reporter, no_progress
from .mentions import (
    Elsewhere,
    elsewhere,
)
from .messages import Lang, Msg, join_sentences, t
from .outputs import CreditsOutput, ExportOutput, GenerateOutput, ProjectSpent, StatusOutput, UploadOutput
from .projects import CLIENT
from .quota import quota_text
from .records import OPEN_RENDER, TurnState
from .replies import credits_reply, held_reply, held_steps, quote_list, spent_text, undo_reply
from .router import Action, Decision, route
from .sanitize import cap, clean_text
from .shared import Shared
from .status import status
from .store import Generation, Project, Store
from .takeover import Takeover
from .targets import OTHER_PROJECTS_READ, Targets
from .turns import Turns, ago, prompt_key
from .uploads import Roots, UploadPages, Uploads

log = logging.getLogger(__name__)

MAX_PROMPT_CHARS = 8000
RECOVER_EVERY_S = 15.0  # well under the 120 s after which another process's claim is stale


class VideoService:
    """One per server process; every tool calls into it."""

    def __init__(
        self,
        settings: Settings,
        client: NemoClient,
        store: Store,
        task_group: anyio.abc.TaskGroup,
        *,
        upload_pages: UploadPages | None = None,
    ) -> None:
        """``upload_pages``: hosted mode's upload pages (files from the user's device)."""
        self.shared = Shared(settings, client, store, Jobs(task_group, settings.still_working_every))
        self.consent = Consent(self.shared)
        self.turns = Turns(self.shared, self.consent)
        self.shared.take_over = Takeover(self.shared, self.turns).start
        self.uploads = Uploads(self.shared, upload_pages)
        self.shared.upload_page = upload_pages is not None
        self.exports = Exports(self.shared)
        self.targets = Targets(self.shared)
        task_group.start_soon(self._follow_open_renders, name="renders:recover")

    async def _follow_open_renders(self) -> None:
        """Open renders are followed, and their MP4 saved, by the render tracker's own jobs,
        whoever looks (status only reads): at start (what a dead process left) and again every
        few seconds (a render whose follower in another process stopped)."""
        while True:
            try:
                self.shared.recover()
            except Exception:  # a store hiccup must not end the loop, nor the server
                log.exception("following open renders")
            await anyio.sleep(RECOVER_EVERY_S)

    def lang(self) -> Lang:
        return self.shared.lang()

    def notice(self, note: Msg) -> None:
        """Said once, at the top of the next answer."""
        self.shared.notices.append(note)

    # --- what the MCP layer reads (it never reaches into the parts) ---------------------------

    def output_dir(self) -> Path:
        return self.shared.output_dir()

    def state_is_shared(self) -> bool:
        """Hosted mode: one user's state is shared by every instance and every connection."""
        return self.shared.store.shared

    def asked_by(self, request: str) -> str | None:
        """The client key an agent request (its job_id) was asked under; InputError when none has it."""
        asked = self.shared.store.generation(request.strip()[:100])
        if asked is None:
            raise InputError("input.request_unknown", request=clean_text(request, 60))
        return asked.client

    def preview(self, render_id: str) -> bytes | None:
        return self.shared.renders.preview(render_id)

    def describe_export(self, name: str) -> str:
        """The export resource's JSON: a saved video's facts and link (a stat and one bounded query)."""
        return describe_export(self.shared.store, self.shared.output_dir(), name)

    def media_origins(self, limit: int = 50) -> list[str]:
        """The exact origins (by the link rule) of recent exports whose video was downloaded and
        verified: only those may widen the App's content policy."""
        urls = self.shared.store.recent_output_urls(limit)
        return [o for o in map(self.shared.client.links.origin, urls) if o]

    async def timeline_text(self) -> str:
        current = self.shared.projects.current
        if current is None:
            return t("status.no_project", self.lang())
        try:
            state = await self.shared.state(current)
        except NemoError as err:
            return err.render(self.lang())
        facts = await self.shared.drafts.facts(state.draft, state.canvas)  # off the event loop
        return facts.view(self.lang()).summary

    # --- tools -------------------------------------------------------------------------------

    def _switch(self, ref: str | None, new_project: bool, lang: Lang) -> list[str]:
        """Make the project ``ref`` names current (for this client session): the note that says so.
        Only the tools that act on a project switch; status only shows one."""
        if not ref:
            return []
        if new_project:
            raise InputError("input.project_and_new")
        before = self.shared.projects.current
        chosen = self.shared.projects.switch(ref)
        if before is not None and before.id == chosen.id:
            return []  # already the current one: nothing switched, nothing to say
        return [t("project.switched", lang, name=chosen.name or chosen.id)]

    async def generate(
        self,
        prompt: str,
        new_project: bool = False,
        report: Reporter = no_progress,
        accept_cost: bool = False,
        *,
        project_ref: str | None = None,
    ) -> GenerateOutput:
        """Route a prompt: direct actions run at once, everything else is an agent turn.
        ``project_ref``: an earlier project (id or name) made current first."""
        if not prompt.strip():
            raise InputError("input.prompt_empty")
        if len(prompt) > MAX_PROMPT_CHARS:
            raise InputError("input.prompt_long", n=len(prompt), max=MAX_PROMPT_CHARS)
        s = self.shared
        lang = s.language.observe(prompt)
        s.said_registered(prompt)  # "I just registered": no "register" from now on
        if new_project and accept_cost and not project_ref and self.targets.held_here(prompt):
            new_project = False  # confirming a held request: sent where it was held, no second project
        before = s.projects.current
        switched = self._switch(project_ref, new_project, lang)
        try:
            chosen = project_ref is not None and not new_project
            return await self._generate(prompt, new_project, report, accept_cost, lang, switched, chosen)
        except NemoError:  # (a cancelled call is no failure: its work goes on where it was sent)
            if switched:  # a call that failed switches nothing: the current project stays
                s.projects.restore(before)
            raise

    async def _generate(
        self,
        prompt: str,
        new_project: bool,
        report: Reporter,
        accept_cost: bool,
        lang: Lang,
        switched: list[str],
        chosen: bool = False,
    ) -> GenerateOutput:
        """``chosen``: the project was named for this request (``project=``)."""
        s = self.shared
        decision = route(prompt)
        notes = s.take_notices(lang) + switched
        if decision.only_held:  # "先别导出": noted and answered here, for free
            current = s.projects.current
            # "Don't export the candle one yet" said in another project: held for the one it names
            # (play22en F1), which stays where it is; the current project stays current.
            meant = self.targets.held_for(prompt, current)
            where = meant or current
            self.consent.record_not_sent(where, prompt, "held", "held", decision.held_back)
            rendering = where is not None and any(
                r.status in OPEN_RENDER for r in s.store.project_renders(where.id, 3)
            )  # a render already running is saved unless cancelled: said, never "nothing exported"
            held = held_reply(decision.held_back, lang, decision.aside, rendering=rendering)
            if meant is not None and current is not None:
                names = {"name": s.project_name(meant.id), "current": s.project_name(current.id)}
                held = join_sentences([t("held.for", lang, **names), held], lang)
            return GenerateOutput(
                language=lang,
                status="done",
                action="held",
                reply="\n\n".join([*notes, held]),
                next_steps=held_steps(decision.held_back, lang, rendering=rendering),
                project=await s.project_view(s.projects.current, link=True),
            )
        if decision.undo:  # "撤销刚才那个": NemoVideo has no undo; held for free, never charged
            current = s.projects.current
            last = self.consent.repeat_target(current)
            self.consent.record_not_sent(current, prompt, "held", "ask")
            return GenerateOutput(
                language=lang,
                status="done",
                action="held",
                reply="\n\n".join([*notes, undo_reply(prompt, last, lang)]),
                next_steps=[t("next.undo", lang, cost=EDIT_COST)],
                project=await s.project_view(current, link=True),
            )
        if decision.consent and self.consent.refused_last(s.projects.current) is not None:
            decision = Decision(Action.REPEAT)  # "go ahead" after a refusal: that request again
        repeat_of = None
        named_redo = decision.redo and not (new_project or decision.new_project)
        if named_redo and decision.action in (Action.AGENT, Action.ASK):
            # "Try the reorder again" (play-test 20: sent and charged again unasked): the earlier
            # request it names, confirmed like "try again"; none such ("redo the intro" with no
            # intro asked before): the words as they are.
            repeat_of = self.consent.repeat_named(s.projects.current, decision.redo)
            if repeat_of is not None:
                decision = Decision(Action.REPEAT)
        if decision.action is Action.REPEAT:  # "try again": the project's last request, confirmed
            repeat_of = repeat_of or self.consent.repeat_target(s.projects.current)
            if repeat_of is not None:
                prompt = repeat_of.prompt
                if self.consent.exported_since(s.projects.current, repeat_of):
                    notes = [*notes, t("repeat.export_after", lang)]
            decision = Decision(Action.AGENT if repeat_of is not None else Action.ASK)
        ask = decision.action is Action.ASK  # a question for the agent: it costs, so confirmed first
        to_agent = decision.action is Action.AGENT or ask
        made: Project | None = None  # the new project made for this request, before any hold
        if (
            new_project
            or decision.action is Action.NEW_PROJECT
            or (decision.new_project and self.targets.used(s.projects.current))
        ):
            holding = self.targets.holding(prompt) if to_agent and not ask and not accept_cost else None
            if to_agent and not ask and not accept_cost and (speaks_of_own_media(prompt) or holding):
                # Before any cost check (play19en F7): the photos it speaks of decide its price.
                # A photo named by its file's name ("a sunrise clip": sunrise.jpg, in another
                # project) is one too (play28en F2: made from nothing in the new one, 100 credits).
                before = s.projects.current
                used = self.targets.used(before)
                uploads_there = before is not None and not used and self.targets.has_media(before)
                self.consent.record_not_sent(None, prompt, "no_media", str(decision.action))
                return await self.consent.no_media(
                    lang, notes, t("media.where_new", lang), balance=await s.balance_or_none(),
                    elsewhere=before if uploads_there else None, named=holding,
                    new=True, occupied=before if used else None,
                )  # fmt: skip
            if to_agent and (
                refused := await self._over_quota(None, lang, notes, prompt, str(decision.action))
            ):
                return refused  # a team member's quota can't pay a generation: no project is made
            if (
                to_agent
                and (refused := await self.consent.pre_gate(lang, notes, prompt, str(decision.action)))
                is not None
            ):
                return refused  # refused for its cost: no project is made for it
            project = made = await s.projects.new(prompt if to_agent else "")
            notes.append(s.project_started(lang))
            if decision.action is Action.NEW_PROJECT:
                return GenerateOutput(
                    language=lang,
                    status="done",
                    action="new_project",
                    reply="\n\n".join(notes),
                    next_steps=[t("next.after_new_project", lang)],
                    project=await s.project_view(project, link=True),
                )
        if decision.action is Action.CANCEL:
            stopped = await cancel(s, lang, notes, decision.aside)
            if withdrawn(zh_gaps(prompt)):  # "算了 音乐不换了": an export must know it was given up
                self.consent.record_not_sent(s.projects.current, prompt, "withdrawn", "cancel")
            return stopped
        named = None
        if decision.action in (Action.AGENT, Action.ASK) and (
            quoted_project := self.targets.quoted_project(prompt, lang)
        ):
            # "导出「毕业那天」": a project's name in quotes is no caption to add: routed without it.
            bare = route(quoted_project[1])
            if bare.action in _FREE_NAMED:
                decision, named = bare, quoted_project[0]
        other: Elsewhere | None = None
        if decision.action in _FREE_NAMED and named is None and (other := self.targets.named_other(prompt)):
            if len(other.named) > 1:  # "export the beach one" and two beach videos: which, first
                return _which_one(decision.action, other, lang, notes)
            named = other.named[0].id
        if decision.action is Action.EXPORT:
            # "Export the Night run crew video": that project's file, not the current one's.
            # "export it as it is" after an answer said what was not done: the user accepts it
            out = await self.export(report=report, project=named, as_is=accepts_as_is(prompt))
            done = out.status in ("done", "cancelled")  # nothing to poll either way
            reply = out.reply
            if other is not None and other.by != "name":  # said whose file it is, in their words
                said = t(
                    "export.described", lang, words=quote_list([other.words], lang), named=other.named[0].name
                )
                reply = "\n\n".join([said, reply])
            return _wrap(done, "export", reply, out.next_steps, lang, notes, out.render_id, out.poll_after_s)
        if decision.action is Action.CREDITS:
            credit = await self.credits()
            return _wrap(True, "credits", credit.reply, credit.next_steps, lang, notes)
        if decision.action is Action.STATUS:
            st = await self.status(named, report=report)  # shown, not made current
            if decision.protest:  # "不对不对": no question for the agent, no change named (play25zh F6)
                said = t("protest.said", lang, words=cap(prompt, 80))
                steps = [t("next.protest", lang, cost=EDIT_COST), *st.next_steps]
                return _wrap(True, "status", f"{said}\n\n{st.reply}", steps, lang, notes)
            return _wrap(True, "status", st.reply, st.next_steps, lang, notes)
        if decision.action is Action.UPLOAD:
            if not (decision.files or decision.urls) and self.uploads.pages is None:
                raise InputError("input.upload_in_prompt")  # hosted mode answers with an upload page
            up = await self.upload(list(decision.files), list(decision.urls), report=report, project=named)
            # Done, or an upload page for the user (hosted mode): nothing to poll either way.
            return _wrap(up.status != "working", "upload", up.reply, up.next_steps, lang, notes, up.job_id,
                         up.poll_after_s)  # fmt: skip
        current = s.projects.current
        if current is not None and not accept_cost and not new_project and not decision.new_project:
            # Words about another of the user's projects: sent here, they would edit (and charge)
            # the wrong video (play-test 14: "make the Night run crew video 8 seconds long").
            others, _total = s.store.recent_projects(OTHER_PROJECTS_READ)
            found = (
                elsewhere(prompt, current, others)
                or self.targets.described(prompt, current, others)
                or self.targets.edits_elsewhere(prompt, current, others)
            )
            if found is not None and chosen and found.wrong and not found.named:
                # "发错了 古筝是给重阳那个的" sent again with project="重阳敬老", as the hold advised: the
                # wrong video was the other one (play28zh R2: held again, "you say this video is wrong").
                found = None
            if found is not None:
                kept = await self.consent.elsewhere(lang, notes, current, found, prompt, str(decision.action))
                if found.wrong and s.store.running_turn(current.id) is not None:
                    # "Wrong video! never mind" while a request runs here: that one is what the
                    # user means, and it can't be recalled (play-test 15: "nothing was charged").
                    stopped = await cancel(s, lang, [])
                    kept.reply = "\n\n".join([stopped.reply, kept.reply])
                    kept.next_steps = [*stopped.next_steps, *kept.next_steps]
                return kept
        measured = self._measured_before(current, prompt, repeat_of)
        if (
            refused := await self._over_quota(current, lang, notes, prompt, str(decision.action), measured)
        ) is not None:
            return refused
        if not accept_cost:
            confirm = await self.consent.confirm_first(
                current, lang, notes, prompt=prompt, ask=ask, repeat_of=repeat_of
            )
            if confirm is not None:
                if made is not None:  # held after its new project was made: sent again, it goes there
                    confirm.next_steps.append(t("next.new_made", lang, name=s.project_name(made.id)))
                return confirm
            if (
                not ask
                and (
                    both := await self.consent.two_versions(current, lang, notes, prompt, decision.held_back)
                )
                is not None
            ):
                return both  # "a square one, but keep the wide one": one project holds one video
        if current is None and not ask and not accept_cost and speaks_of_own_media(prompt):
            self.consent.record_not_sent(None, prompt, "no_media", str(decision.action))
            return await self.consent.no_media(
                lang, notes, t("media.where_none", lang), balance=await s.balance_or_none()
            )
        if (
            current is None
            and (refused := await self.consent.pre_gate(lang, notes, prompt, str(decision.action)))
            is not None
        ):
            return refused  # refused for its cost: no project is made for it
        project = await s.projects.ensure(prompt)
        sent = await self.turns.send(
            project, prompt, lang, notes, report, accept_cost, str(decision.action), decision.held_back
        )
        if made is not None and sent.status in ("needs_confirmation", "cannot_run"):
            # Held in the project just made for it: sent again, it goes there, never to another.
            sent.next_steps.append(t("next.new_made", lang, name=s.project_name(made.id)))
        return sent

    def _measured_before(self, project: Project | None, prompt: str, repeat_of: Generation | None) -> float:
        """What these words cost when they ran before (a repeat, or the same words again): a
        repeat of a generation is priced as one, whatever the project now holds. 0: not known."""
        earlier = repeat_of
        if earlier is None and project is not None:
            earlier = self.shared.store.told_turn(project.id, prompt_key(prompt))
        return used_before(earlier)

    async def _over_quota(
        self,
        project: Project | None,
        lang: Lang,
        notes: list[str],
        prompt: str,
        route: str,
        measured: float = 0.0,
    ) -> GenerateOutput | None:
        """A team member's quota is a limit, not a balance to overdraw: a generation it can't pay
        is cannot_run even when the user would confirm (below an edit's cost the usual gate
        already says so). Only members have a quota; only near its end is the timeline read.
        ``measured``: what the same request cost when it ran before (a repeat costs that again)."""
        s = self.shared
        if s.client.quota is None:
            return None
        # This look answers plainly what the quota can't pay; what is sent is decided by the
        # reservation (hosted/team.py, atomic), of a generation's estimate unless an edit is found here.
        estimate = max(GENERATION_COST, int(measured + 0.999))
        REQUEST_COST.set(estimate)
        left = await s.balance_or_none()  # the quota left, read afresh
        if left is None or not EDIT_COST <= left < estimate:
            return None
        if project is not None and not asks_for_a_video(prompt) and measured <= EDIT_COST:
            state = await s.state_or_none(project)
            if await s.has_video(state) or self.targets.has_media(project):
                REQUEST_COST.set(EDIT_COST)
                # Reserved as an edit; NemoVideo alone decides what it charges: said plainly.
                over = f"{GENERATION_COST - left:g}"
                notes.append(
                    t("quota.edit_may_cost_more", lang, left=f"{left:g}", cost=GENERATION_COST, over=over)
                )
                return None  # an edit, which the quota can pay
        self.consent.record_not_sent(project, prompt, str(GateKind.CANNOT_RUN), route)
        if project is not None:
            project = s.projects.name_as_told(project, prompt)
        g = Gate(GateKind.CANNOT_RUN, estimate, True, left)
        return self.consent.refusal(g, lang, notes, project=await s.project_view(project, link=True))

    async def upload(
        self,
        files: list[str],
        urls: list[str],
        new_project: bool = False,
        report: Reporter = no_progress,
        roots: Roots | None = None,
        *,
        project: str | None = None,
    ) -> UploadOutput:
        before = self.shared.projects.current
        switched = self._switch(project, new_project, self.lang())
        try:
            out = await self.uploads.upload(files, urls, new_project, report, roots)
        except NemoError:
            if switched:  # nothing was uploaded: the current project stays the one it was
                self.shared.projects.restore(before)
            raise
        out.reply = "\n\n".join([*switched, out.reply])
        return out

    async def status(
        self, project: str | None = None, page: int = 1, report: Reporter = no_progress
    ) -> StatusOutput:
        """Read-only: ``project`` is shown, not made current."""
        return await status(self.shared, project, page, report)

    async def export(
        self,
        fmt: str = "mp4",
        quality: str = "high",
        report: Reporter = no_progress,
        *,
        project: str | None = None,
        as_is: bool = False,
    ) -> ExportOutput:
        before = self.shared.projects.current
        switched = self._switch(project, False, self.lang())
        try:
            out = await self.exports.export(fmt, quality, report, as_is=as_is)
        except NemoError:
            if switched:  # an export that failed switches nothing either
                self.shared.projects.restore(before)
            raise
        out.reply = "\n\n".join([*switched, out.reply])
        return out

    async def credits(self) -> CreditsOutput:
        """The balance, and what this conversation's requests cost (their own costs, summed)."""
        s = self.shared
        lang = s.lang()
        seen = s.credits_seen
        c = await s.read_credits()
        total = c.total if c.total is not None else c.available + c.frozen
        added = total - seen[0] if seen is not None else 0.0
        first = s.credits_first
        fell = (first + s.credits_added - total) if first is not None and seen is not None else None
        low = c.available < EDIT_COST
        gens = s.store.session_turns(CLIENT.get(), s.started)
        whole = spent(gens)
        groups: dict[str, list[Generation]] = {}
        for gen in gens:
            groups.setdefault(gen.project_id or "", []).append(gen)
        by_project = [(s.project_name(pid or None), spent(group)) for pid, group in groups.items()]
        # What this conversation's requests used, when every one's cost (or its group's) is known.
        settled = not (whole.running or whole.pending or whole.unknown or whole.shared)
        known = whole.used + whole.together if settled else None
        quota = s.client.quota  # a team member's own quota (read with the balance just now)
        return CreditsOutput(
            language=lang,
            available=c.available,
            frozen=c.frozen,
            total=total,
            reply=credits_reply(
                c.available,
                c.frozen,
                total,
                spent_text(whole, by_project, lang, c.frozen),
                s.more_credits(lang) if low else None,
                lang,
                added=(added, ago(seen[1]).render(lang)) if seen is not None and added >= 1 else None,
                fell=fell if fell is not None and fell >= 1 else None,
                last=_last_cost(gens),
                ours=known,
            )
            + ("\n\n" + quota_text(quota, lang) if quota is not None else ""),
            next_steps=[t("next.credits_low", lang)] if low else [],
            session_credits_used=whole.used + whole.together if len(gens) > whole.running else None,
            session_requests=len(gens),
            by_project=[
                ProjectSpent(
                    project=name,
                    credits_used=p.used,
                    requests=p.counted,
                    not_counted=p.shared + p.unknown + p.running + p.grouped + p.pending,
                    shared_with=[n for n in p.with_projects if n != name],
                )
                for name, p in by_project
            ],
        )


# Free commands whose words may name another project: they act on that one.
_FREE_NAMED = (Action.EXPORT, Action.STATUS, Action.UPLOAD)


def _last_cost(gens: list[Generation]) -> tuple[str, float] | None:
    """The newest finished request of the session and what it cost on its own, if known."""
    for gen in gens:  # newest first
        cost = cost_of(gen)
        if cost is not None and cost.used is not None:
            return gen.prompt, cost.used
        if gen.status is not TurnState.NOT_SENT:
            return None  # the newest sent request's own cost isn't known: say nothing older
    return None


def _which_one(action: Action, meant: Elsewhere, lang: Lang, notes: list[str]) -> GenerateOutput:
    """Words that describe several other videos equally ("the beach one"): nothing is done until
    the user says which (a free command run on a guess would hand over the wrong file)."""
    named = t("list.sep", lang).join(f"“{p.name}”" for p in meant.named)
    text = t("which_one", lang, words=quote_list([meant.words], lang), named=named)
    return GenerateOutput(
        language=lang,
        status="needs_confirmation",
        action=str(action),
        reply="\n\n".join([*notes, text]),
        next_steps=[t("next.which_one", lang, tool=str(action))],
    )


def _wrap(
    done: bool,
    action: str,
    reply: str,
    steps: list[str],
    lang: Lang,
    notes: list[str],
    job: str | None = None,
    poll: int | None = None,
) -> GenerateOutput:
    return GenerateOutput(
        language=lang,
        status="done" if done else "working",
        action=action,
        reply="\n\n".join([*notes, reply]),
        next_steps=steps,
        job_id=None if done else job,
        poll_after_s=None if done else poll,
    )
