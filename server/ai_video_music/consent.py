"""What is decided before a request reaches the agent: a refusal for its cost, a confirmation
(a question to the agent, a repeat of a request already answered, "try again"), and a held-back
command. A request not sent is still recorded (its reason, its route), so "cancel that" and
`status` answer about it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import uuid_utils

from . import asked
from .asked import rights_question
from .costs import EDIT_COST, GENERATION_COST, Gate, GateKind, cost_of, gate, gate_text, used_before
from .errors import LocalStateError
from .exports import still_there
from .mentions import Elsewhere
from .messages import Lang, join_sentences, t
from .outputs import GenerateOutput
from .projects import CLIENT
from .records import RenderState, TurnState
from .replies import (
    as_asked,
    changes,
    no_such_file_item,
    not_as_asked,
    not_checked,
    quote_list,
    side_questions,
)
from .router import Action, names_export, redo_kind_only, redo_names, route
from .sanitize import cap
from .shared import Shared
from .store import Generation, Project
from .timeline import aspect_ratio, fingerprint, read_timeline
from .turns import ago, prompt_key


class Consent:
    """Before sending: what needs the user's yes, what can't run, what is held. One per process."""

    def __init__(self, shared: Shared) -> None:
        self.s = shared

    def refusal(
        self,
        g: Gate,
        lang: Lang,
        notes: list[str],
        *,
        project: Any = None,
        action: str = "agent",
        question: str | None = None,
        prompt: str = "",
    ) -> GenerateOutput:
        """Not sent for its cost: cannot_run (too few credits for this request; confirming can't
        help, NemoVideo would refuse it). ``question``: the words of a question for the agent,
        said as one (never "an edit"), after what we know ourselves of a rights question
        (play-test 22 F7: at 0 credits the licence fact was missing)."""
        more = self.s.more_credits(lang)
        asides = side_questions(prompt) if question is None and prompt else []
        if asides:
            # "…挪到最后3秒 对了这音乐能商用吗" at 0 credits: the edit and the question with it were
            # not sent, then what we know of a rights question, then where to get credits (play23zh F4)
            parts = [
                gate_text(g, lang, ""),
                t("cost.question_not_sent", lang, questions=quote_list(asides, lang)),
            ]
            if any(rights_question(q) for q in asides):
                parts.append(t("music.licence_unknown", lang))
            text = join_sentences([*parts, more], lang)
        elif question is None:
            text = gate_text(g, lang, more)
        else:
            text = t("cost.cannot_ask", lang, cost=g.cost, left=f"{g.left:g}", more=more)
            if rights_question(question):
                text = join_sentences([t("music.licence_unknown", lang), text], lang)
            action = str(Action.ASK)
        return GenerateOutput(
            language=lang,
            status="cannot_run",
            action=action,
            reply="\n\n".join([*notes, text]),
            next_steps=[t("next.credits_low", lang)],
            cost_warning=text,
            credits_left=g.left,
            project=project,
        )

    def record_not_sent(
        self,
        project: Project | None,
        prompt: str,
        reason: str,
        route: str,
        held: frozenset[Action] = frozenset(),
    ) -> None:
        """A request not sent (its cost refused or to be confirmed, or only holding a command
        back) is still a request of this session: "cancel that" right after it must answer about
        it, not an older one; a held-back export stays held in status."""
        held = held | self.still_held(project, prompt)
        self.s.store.add_not_sent(
            f"gen_{uuid_utils.uuid7().hex[-12:]}",
            project.id if project is not None else None,
            prompt,
            prompt_key(prompt),
            reason,
            client=CLIENT.get(),
            route=route,
            held=[str(a) for a in held],
        )

    async def no_media(
        self,
        lang: Lang,
        notes: list[str],
        where: str,
        *,
        balance: float | None,
        project: Any = None,
        elsewhere: Project | None = None,
        named: tuple[Project, str] | None = None,
        made: str | None = None,
        new: bool = False,
        occupied: Project | None = None,
    ) -> GenerateOutput:
        """A request that speaks of the user's photos, for a project holding none and no video:
        it would be made from nothing (a generation's price). Said, not sent, before any cost
        check (free), with its price both ways: as it is, and once the photos are there (an
        edit's). accept_cost=true sends it as it is, when the balance can pay that.

        ``where``: the sentence's subject (a new project, the first, a name). ``made``: the project
        the request was for exists. ``new``: a new_project request: its photos go up with
        new_project=true, then the request goes without it. ``named``: the project holding a
        file the words name; ``occupied``: the current project, when it holds another video
        (never where this request's photos go)."""
        left = "?" if balance is None else f"{balance:g}"
        parts = [
            t("media.none", lang, where=where, cost=GENERATION_COST, left=left),
        ]
        if made is not None:
            photos = t("next.no_media.made", lang, name=made)
        elif new:
            photos = t("next.no_media.new", lang)
        else:
            photos = t("next.no_media.first", lang)
        avoid: dict[str, str] = {}
        if elsewhere is not None:  # the step names the project the sentence names, never "above"
            count = self.s.store.media_page(elsewhere.id, 1)[1]
            name = elsewhere.name or elsewhere.id
            parts.append(t("media.elsewhere", lang, count=count, name=name))
            photos = t("next.no_media.in", lang, name=name)
        elif named is not None:  # a file the words name is in another project: named, both
            holder, file = named
            name = holder.name or holder.id
            parts.append(t("media.named_elsewhere", lang, file=file, name=name))
            if not self.s.store.has_turns(holder.id) and not self.s.store.project_renders(holder.id, 1):
                photos = t("next.no_media.in", lang, name=name)  # uploads only: no video to replace
            else:
                avoid[holder.id] = name
        if new and occupied is not None:
            avoid[occupied.id] = occupied.name or occupied.id
        for name in avoid.values():  # play19en F3: never where another video is
            photos = join_sentences([photos, t("next.not_there", lang, name=name)], lang)
        # The price once the photos are there (play19en F7): a video from uploads, an edit's.
        parts.append(t("media.with_photos", lang, cost=EDIT_COST))
        steps = [photos]
        can_nothing = balance is None or balance >= GENERATION_COST
        if balance is not None and balance < EDIT_COST:
            parts.append(t("media.short_both", lang, left=left, more=self.s.more_credits(lang)))
            steps.append(t("next.credits_low", lang))
        elif not can_nothing:
            parts.append(t("media.short_nothing", lang, left=left))
        if can_nothing:
            without = (
                t("next.no_media.without", lang)
                if made is None
                else t("next.no_media.without_made", lang, name=made)
            )
            steps = [join_sentences([t("next.no_media.ask", lang), photos, without], lang), *steps[1:]]
        text = join_sentences(parts, lang)
        return GenerateOutput(
            language=lang,
            # Confirming sends it from nothing: only when the balance can pay that (else NemoVideo
            # refuses it, and confirming can't help).
            status="needs_confirmation" if can_nothing else "cannot_run",
            action="agent",
            reply="\n\n".join([*notes, text]),
            next_steps=steps,
            cost_warning=text,
            credits_left=balance,
            project=project,
        )

    def no_such_file(
        self,
        absent: dict[str, Any],
        lang: Lang,
        notes: list[str],
        cost: int,
        *,
        balance: float | None,
        project: Any = None,
        name: str,
    ) -> GenerateOutput:
        """A request naming a file this project was never sent: NemoVideo can't use it, and the
        request would be charged all the same (about ``cost``). Said with what was uploaded, not
        sent; accept_cost=true sends it as it is."""
        said = no_such_file_item(absent, lang, sentence=True)
        parts = [said, t("no_such_file.not_sent", lang, cost=cost)]
        if cost != EDIT_COST:  # made from nothing as it is; from the uploads once the file is there
            parts.append(t("no_such_file.with_file", lang, cost=EDIT_COST))
        names = quote_list([str(n) for n in absent.get("names") or []], lang)
        steps = [t("next.no_such_file_confirm", lang, names=names)]
        can_without = balance is None or balance >= cost
        left = "?" if balance is None else f"{balance:g}"
        if balance is not None and balance < EDIT_COST:
            parts.append(t("media.short_both", lang, left=left, more=self.s.more_credits(lang)))
            steps.append(t("next.credits_low", lang))
        elif not can_without:
            parts.append(t("no_such_file.short_without", lang, left=left))
        if can_without:
            without = t("next.no_such_file_confirm.without", lang, cost=cost, project=name)
            steps[0] = join_sentences([steps[0], without], lang)
        text = join_sentences(parts, lang)
        return GenerateOutput(
            language=lang,
            status="needs_confirmation" if can_without else "cannot_run",
            action="agent",
            reply="\n\n".join([*notes, text]),
            next_steps=steps,
            cost_warning=text,
            credits_left=balance,
            project=project,
        )

    async def elsewhere(
        self, lang: Lang, notes: list[str], project: Project, found: Elsewhere, prompt: str, route: str
    ) -> GenerateOutput:
        """A request whose words are about another of the user's projects (or call the current
        video the wrong one): sent to the current project it would edit and charge the wrong
        video. Said, naming both; not sent (recorded, so "cancel that" answers about it)."""
        # "wrong video!" right after a request that changed this one: what it did here, and its
        # cost, so the user can decide about it (play24en F8), read before this one is recorded.
        landed = self._landed_here(project, lang) if found.wrong else ""
        self.record_not_sent(project, prompt, "elsewhere", route)
        current = project.name or project.id
        if found.named:
            named = t("list.sep", lang).join(f"“{p.name}”" for p in found.named)
            # Said back in the user's own words: what they described, the text or the file only
            # that project has; never "this request speaks of <a name they didn't say>".
            key = (
                f"elsewhere.{found.by}"
                if found.by in ("described", "text", "file", "photo")
                else "elsewhere.named"
            )
            words = quote_list([found.words], lang) if found.words else ""
            text = t(key, lang, named=named, current=current, words=words)
            step = t("next.elsewhere", lang, named=named, project=found.named[0].name, current=current)
            if found.by in ("file", "photo"):
                step = join_sentences(
                    [step, t("next.elsewhere_upload", lang, words=words, current=current)], lang
                )
        else:
            others, _total = self.s.store.recent_projects(11)
            names = [f"“{p.name or p.id}”" for p in others if p.id != project.id][:10]
            text = t("elsewhere.wrong", lang, current=current, others=t("list.sep", lang).join(names))
            step = t("next.elsewhere_which", lang, current=current)
        return GenerateOutput(
            language=lang,
            status="needs_confirmation",
            action="ask" if route == str(Action.ASK) else "agent",
            reply="\n\n".join([*notes, text, *([landed] if landed else [])]),
            next_steps=[step],
            cost_warning=text,
            project=await self.s.project_view(project, link=True),
        )

    def _landed_here(self, project: Project, lang: Lang) -> str:
        """The project's last request, when it verifiably changed the timeline: its words, the
        change and its own cost, as a sentence; "" otherwise."""
        last = self.s.store.latest_turn(CLIENT.get(), project.id)
        if last is None or last.status is not TurnState.DONE or not last.timeline_changed:
            return ""
        listed = ("；" if lang == "zh" else "; ").join(changes(last, lang)[:4])
        cost = cost_of(last)
        used = f"{cost.used:g}" if cost is not None and cost.used is not None else None
        key = "elsewhere.landed_cost" if used is not None else "elsewhere.landed"
        current = project.name or project.id
        return t(key, lang, prompt=cap(last.prompt, 80), current=current, changes=listed, used=used)

    async def pre_gate(
        self, lang: Lang, notes: list[str], prompt: str = "", route: str = "agent"
    ) -> GenerateOutput | None:
        """Before a project is made for a request (a new project, or none yet): a new project has
        no media, so the agent generates from nothing. Refused here, no project is created."""
        g = gate(await self.s.balance_or_none(), generating=True)
        if g is None or g.kind is GateKind.LAST_CREDITS:
            return None
        self.record_not_sent(None, prompt, str(g.kind), route)
        return self.refusal(g, lang, notes)

    def still_held(self, project: Project | None, prompt: str) -> frozenset[Action]:
        """A "don't export yet" holds until the user asks to export: a later edit's record carries
        it on (so its answer and status don't suggest exporting), unless it speaks of exporting
        or a render was asked for since."""
        if project is None or names_export(prompt):
            return frozenset()
        latest = self.s.store.latest_turn(CLIENT.get(), project.id)
        if latest is None or str(Action.EXPORT) not in latest.held_back:
            return frozenset()
        newest = self.s.store.project_renders(project.id, 1)
        if newest and newest[0].created_at >= latest.created_at:
            return frozenset()
        return frozenset({Action.EXPORT})

    def repeat_target(self, project: Project | None) -> Generation | None:
        """The project's last request to the agent, which "try again" repeats: the newest one this
        session asked (sent, or refused for its cost), never a question or a held command."""
        if project is None:
            return None
        store, client = self.s.store, CLIENT.get()
        latest = store.latest_turn(client, project.id)
        if latest is not None and _a_request(latest):
            return latest
        sent = store.session_turns(client, limit=50)
        return next((g for g in sent if g.project_id == project.id and _a_request(g)), None)

    def repeat_named(self, project: Project | None, redo: str) -> Generation | None:
        """The project's newest request that "try the ``redo`` again" names ("the reorder": one
        that asked an order); one of no such kind before: the last request when ``redo`` names
        only a kind, else None (the words are a new edit: "redo the intro")."""
        last = self.repeat_target(project)
        if project is None or last is None:
            return None
        sent = self.s.store.session_turns(CLIENT.get(), limit=50)
        mine = [last, *(g for g in sent if g.project_id == project.id and _a_request(g) and g.id != last.id)]
        for gen in mine:
            named = redo_names(redo, gen.prompt)
            if named is None or named:
                return gen
        return last if redo_kind_only(redo) else None

    def refused_last(self, project: Project | None) -> Generation | None:
        """The project's newest request, if it was refused for its cost or awaits confirmation
        (not sent): what "go ahead" after it means, rather than a new message to the agent."""
        if project is None:
            return None
        latest = self.s.store.latest_turn(CLIENT.get(), project.id)
        sent_as = (None, "agent", "repeat")
        if latest is None or latest.status is not TurnState.NOT_SENT or latest.route not in sent_as:
            return None
        if latest.fact_map.get("not_sent") == "elsewhere":
            return None  # about another project: "go ahead" here doesn't mean sending it here
        return latest

    def exported_since(self, project: Project | None, turn: Generation) -> bool:
        """An export of the project came after ``turn``: "do the same again" may mean that."""
        if project is None:
            return False
        return any(r.created_at > turn.created_at for r in self.s.store.project_renders(project.id, 3))

    async def confirm_first(
        self,
        project: Project | None,
        lang: Lang,
        notes: list[str],
        *,
        prompt: str,
        ask: bool,
        repeat_of: Generation | None = None,
    ) -> GenerateOutput | None:
        """A question for the agent, or a repeat of a request already answered (the same words, or
        "try again": ``repeat_of``): costs credits for something the user may not mean; said, not
        sent (accept_cost=true sends it)."""
        told = None
        key = prompt_key(prompt)
        # A retry naming an older request ("try the reorder again" after another edit): never
        # called the project's last request.
        last = self.repeat_target(project) if repeat_of is not None else None
        which = ".earlier" if last is not None and repeat_of is not None and last.id != repeat_of.id else ""
        if not ask:
            if project is None or self.s.store.matching_turn(project.id, key) is not None:
                return None  # running or not told yet: a repeat attaches to it, free
            # A repeat of a request of another project (asked with new_project): its own record
            # tells whether it landed, never "not sent" for want of one here.
            where = repeat_of.project_id if repeat_of is not None and repeat_of.project_id else project.id
            told = self.s.store.told_turn(where, key)
            if told is None and repeat_of is None:
                return None
        refused = self.refused_last(project) if ask else None  # before this one is recorded
        balance = await self.s.balance_or_none()
        g = gate(balance, generating=False)
        route = "ask" if ask else ("repeat" if repeat_of is not None else "agent")
        if g is not None and g.kind is GateKind.CANNOT_RUN:
            self.record_not_sent(project, prompt, str(g.kind), route)
            if repeat_of is not None:  # which request it would redo, and whether that one landed
                landed = repeat_landed(told, lang)
                said = t("repeat.would_redo" + which, lang, prompt=cap(prompt, 80), landed=landed)
                notes = [*notes, said]
            elif told is not None:  # the same words again: whether they already landed comes first
                notes = [*notes, repeat_landed(told, lang)]
            view = await self.s.project_view(project, link=True)
            return self.refusal(g, lang, notes, project=view, question=prompt if ask else None, prompt=prompt)
        if refused is None:  # else the refused request stays the project's last: "try again" finds it
            self.record_not_sent(project, prompt, "ask" if ask else "repeat", route)
        left = "?" if balance is None else f"{balance:g}"
        # A repeat costs what the request cost when it ran, if that was measured (a generation
        # from nothing is ~100, not an edit's ~50); else an edit's estimate.
        earlier = told or repeat_of
        used = used_before(earlier)
        price = f"{used:g}" if used else f"{EDIT_COST}"
        if repeat_of is not None:
            landed = repeat_landed(told, lang)
            sent_at = (told or repeat_of).created_at
            said_key = "cost.repeat_of" + which + (".unsent" if told is None else "")  # refused: unsent
            text = t(
                said_key, lang, prompt=cap(prompt, 80), ago=ago(sent_at).render(lang),
                landed=landed, cost=price, left=left,
            )  # fmt: skip
            step = t("next.confirm_repeat_of", lang)
            if landed_in_part(told, lang):
                step = join_sentences([step, t("next.repeat_partly", lang, cost=EDIT_COST)], lang)
        elif told is not None:
            text = t("cost.repeat", lang, ago=ago(told.created_at).render(lang), cost=price, left=left)
            text = join_sentences([repeat_landed(told, lang), text], lang)
            step = t("next.confirm_repeat", lang)
        else:
            text = t("cost.ask", lang, cost=EDIT_COST, left=left)
            if rights_question(prompt):  # "is the track ok in a paid ad?": what we know, free
                text = join_sentences([t("music.licence_unknown", lang), text], lang)
            step = t("next.confirm_ask", lang)
        steps = [step]
        if ask and refused is not None:  # words we can't read, right after a refusal: maybe "go on"
            text = join_sentences(
                [
                    text,
                    t(
                        "ask.refused_before",
                        lang,
                        prompt=cap(refused.prompt, 80),
                        cost=EDIT_COST,
                        why=t(_why_not_sent(refused), lang),
                    ),
                ],
                lang,
            )
            steps.append(t("next.refused_before", lang))
        return GenerateOutput(
            language=lang,
            status="needs_confirmation",
            action="ask" if ask else "agent",
            reply="\n\n".join([*notes, text]),
            next_steps=steps,
            cost_warning=text,
            credits_left=balance,
            project=await self.s.project_view(project, link=True),
        )

    async def two_versions(
        self,
        project: Project | None,
        lang: Lang,
        notes: list[str],
        prompt: str,
        held: frozenset[Action] = frozenset(),
    ) -> GenerateOutput | None:
        """A second frame asked for, with the first kept ("a square version for instagram, but
        keep the wide one"): a project holds one video, so sent here it would replace the only
        copy of the first (never exported). Said before anything is spent, with the two ways to
        have both; None when the words ask no such thing, or the first is saved in a file."""
        shape = asked.second_frame(prompt)  # "can u also do a vertical version" too (play26en F7)
        if project is None or shape is None:
            return None
        state = await self.s.state_or_none(project)
        if state is None:
            return None
        tl = read_timeline(state.draft, state.canvas)
        if not (tl.tracks_total and tl.width and tl.height) or asked.shape_of(tl.width, tl.height) is shape:
            return None
        now = fingerprint(state.draft)
        try:
            renders = self.s.store.project_renders(project.id, 20)
        except LocalStateError:
            return None  # the store can't say whether it was saved: the answer after it will
        saved = [r for r in renders if r.status is RenderState.DOWNLOADED and r.local_path]
        # A file the user moved or deleted is no copy, and never "saved" (play26zh F17).
        gone = [r for r in saved if not still_there(r)]
        saved = [r for r in saved if still_there(r)]
        if any(r.draft_fp == now for r in saved):
            return None  # the first version is saved: nothing is lost
        self.record_not_sent(project, prompt, "two_versions", "agent")
        frame = t("timeline.frame", lang, w=tl.width, h=tl.height, ratio=tl.aspect_ratio)
        said = t(f"asked.shape.{shape}", lang)
        text = t("two_versions", lang, frame=frame, shape=said)
        # A file of this frame is an older cut of this version (play22en F2: "never exported" is
        # false); a file of another frame is no version of it at all, found by its frame, never
        # only by being the newest (play-test gap 8).
        length = f"{tl.duration_s:g}" if tl.duration_s else "?"
        same = [r for r in saved if (r.width, r.height) == (tl.width, tl.height)]
        if same:
            older = same[0]  # newest first
            was = f"{older.duration_s:g}" if older.duration_s else "?"
            file = quote_list([Path(str(older.local_path)).name], lang)
            text = t("two_versions.older", lang, frame=frame, shape=said, seconds=length, file=file, was=was)
        elif gone:
            file = quote_list([Path(str(gone[0].local_path)).name], lang)
            text = t("two_versions.gone", lang, frame=frame, shape=said, file=file)
        # "a square version" beside a saved square file of an older cut: not the one asked for
        for other in saved:
            w, h = other.width, other.height
            if not (w and h) or asked.shape_of(w, h) is not shape:
                continue
            old = t("timeline.frame", lang, w=w, h=h, ratio=aspect_ratio(w, h))
            was = f"{other.duration_s:g}" if other.duration_s else "?"
            file = quote_list([Path(str(other.local_path)).name], lang)
            older_new = t("version.new_frame_older", lang, file=file, frame=old, was=was, shape=said)
            text = join_sentences([text, older_new], lang)
            break
        # "…横版的也留着 先别导出": exporting first is no way to have both (play27zh F5)
        export_held = Action.EXPORT in held
        both = t(
            "two_versions.both_held" if export_held else "two_versions.both", lang, frame=frame, shape=said
        )
        text = join_sentences([text, both], lang)
        step = "next.two_versions_held" if export_held else "next.two_versions"
        balance = await self.s.balance_or_none()
        return GenerateOutput(
            language=lang,
            status="needs_confirmation",
            action="agent",
            reply="\n\n".join([*notes, text]),
            next_steps=[t(step, lang, frame=frame, shape=said, cost=EDIT_COST)],
            cost_warning=text,
            credits_left=balance,
            project=await self.s.project_view(project, link=True),
        )


def _why_not_sent(gen: Generation) -> str:
    """The message key for why a request was not sent, from its record (never assumed)."""
    reason = gen.fact_map.get("not_sent")
    if reason in (str(GateKind.CANNOT_RUN), "needs_confirmation"):  # the latter: older records
        return "refused.why.credits"
    return {"no_media": "refused.why.no_media", "elsewhere": "refused.why.elsewhere"}.get(
        str(reason), "refused.why.confirm"
    )


def _a_request(gen: Generation) -> bool:
    """A request "try again" can mean: one routed to the agent, or words confirmed as a question
    that changed the timeline all the same (they acted as a request), or that read as a request
    now ("啥玩意？？给我改回去…", sent as a question, play18zh: "再来一次" named the one before it)."""
    if gen.route in (None, "agent", "repeat"):
        return True
    if gen.route != "ask" or gen.sent_at is None:
        return False
    return gen.timeline_changed is True or route(gen.prompt).action is Action.AGENT


def repeat_landed(told: Generation | None, lang: Lang) -> str:
    """Whether the request a repeat would send again already landed, from its record: as asked,
    changed, changed nothing, or never sent."""
    if told is None:
        return t("repeat.not_sent", lang)
    # Not "already as asked" while a part of it is missing or can't be checked on the timeline.
    missed = not_as_asked(told, lang)
    met = as_asked(told, lang) if not (missed or not_checked(told)) else []
    sep = t("asked.sep", lang)
    if met:
        return t("repeat.already", lang, items=sep.join(met))
    if told.timeline_changed is None:
        return t("repeat.unknown", lang)
    if told.timeline_changed and missed:
        # Landed in part (play22en F11): what changed and what missed, so only that part is sent.
        said = [
            t("repeat.partly", lang, changes=cap(sep.join(changes(told, lang)), 200), missed=sep.join(missed))
        ]
        if done := as_asked(told, lang):
            said.append(t("repeat.partly.met", lang, items=sep.join(done)))
        said.append(t("repeat.partly.resend", lang))
        return join_sentences(said, lang)
    return t("repeat.changed" if told.timeline_changed else "repeat.unchanged", lang)


def landed_in_part(told: Generation | None, lang: Lang) -> bool:
    """The request changed the timeline, and a part of it is not as asked."""
    return told is not None and told.timeline_changed is True and bool(not_as_asked(told, lang))
