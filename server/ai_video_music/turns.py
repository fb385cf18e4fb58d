"""Agent turns: the turn itself (a background job) and its record. What is decided before a
turn is sent (a refusal for its cost, a confirmation, a held command) is :mod:`consent`'s.

A turn's record holds what was asked (as sent), whether and when it was sent, the timeline
before and after (as a verified change in both languages), what the agent wrote and what the
balance did. It holds no answer text: :mod:`replies` composes that when the answer is told.
A request is never sent twice unasked: a repeat while it runs (or before its answer was told)
attaches to it; a repeat of one already answered needs the user's confirmation.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import uuid_utils

from . import asked, budget, unchecked
from .costs import EDIT_COST, GENERATION_COST, GateKind, cost_of, gate, gate_text
from .errors import (
    ConnectionFailedError,
    LocalStateError,
    NemoError,
    RecordGoneError,
    SessionNotFoundError,
    maybe_taken,
)
from .jobs import Job, Reporter
from .messages import LANGUAGES, Lang, join_sentences, msg, t
from .models import SessionState
from .naming import quoted
from .outputs import GenerateOutput
from .projects import CLIENT
from .records import OPEN_RENDER, RenderState, TurnState
from .replies import (
    as_asked,
    changes,
    not_as_asked,
    not_checked,
    said,
    side_questions,
    turn_reply,
    turn_steps,
)
from .router import Action, route
from .sanitize import cap
from .shared import TURN_STALE_S, Shared
from .sse import AgentEvent, HeartbeatEvent, TextEvent, ToolCallEvent
from .store import Generation, Project

if TYPE_CHECKING:
    from .consent import Consent
from .timeline import Timeline, diff, fingerprint, read_timeline, summary, track_kind

log = logging.getLogger(__name__)

HEARTBEAT_S = 10.0
AGENT_POLL_S = 15  # a turn takes about a minute: looking every 15 s finds its answer soon enough
MAX_UPLOADS_NAMED = 200  # a file named in a request is looked for among this many uploads


def prompt_key(prompt: str) -> str:
    """Two prompts that differ only in case, spacing or end punctuation are the same request."""
    return re.sub(r"\s+", " ", prompt.casefold()).strip().rstrip(".!?。！？ ")


class TurnFailed(NemoError):
    """An agent turn ended in an error: raised with everything that arrived before it."""

    key = "error.turn_failed"

    def __init__(self, out: GenerateOutput) -> None:
        self.out = out
        super().__init__(reply=out.reply)


def compare(
    before: SessionState | None,
    after: SessionState,
    prompt: str = "",
    uploaded: tuple[list[str], int] | None = None,
    projects: tuple[str, ...] = (),
    said_before: str = "",
) -> tuple[bool | None, dict[str, Any]] | None:
    """The verified change between two states, in every language; None when a draft can't be
    read (a hostile draft must not turn a paid answer into an error). Texts the request quoted
    that are nowhere in the new draft are listed: a fact, whatever the agent says. ``uploaded``:
    the project's upload names and how many there are, to tell a file named in the words that
    was never uploaded. ``projects``: the user's project names the request quotes (where it is
    for, never a text asked to be on screen). ``said_before``: the user's request before this
    one in the project ("put it at 25%" after talk of the music's volume is the music's level)."""
    try:
        before_tl: Timeline | None = (
            read_timeline(before.draft, before.canvas) if before is not None else None
        )
        after_tl = read_timeline(after.draft, after.canvas)
        facts: dict[str, Any] = {"changes": {lang: diff(before_tl, after_tl, lang) for lang in LANGUAGES}}
        after_fp = fingerprint(after.draft)
        before_fp = None if before is None else fingerprint(before.draft)
        facts["timeline"] = {"before": before_fp, "after": after_fp}  # the change verified, as fingerprints
        changed = None if before_fp is None else before_fp != after_fp
        stated = asked.read(prompt)
        # "put it at 25%" right after talk of the music's volume: "it" is the music (play27en S3)
        level = asked.bare_level(prompt) if stated.music_at is None and stated.music_under is None else None
        level_of_it = level is not None and bool(said_before) and asked.about_the_volume(said_before)
        if level_of_it:
            stated = dataclasses.replace(stated, music_at=level, music_rel=None)
        # "actually 10" right after "make it 15s": the length asked (play27en S3)
        length_of_it = asked.length_of_it(prompt, said_before)
        if length_of_it is not None:
            stated = dataclasses.replace(stated, seconds=length_of_it)
        # A name the video is given ("叫「开业倒计时」", "New video: 'Croissant Day' — …") is not
        # text to show: not missing if absent.
        # Nor is a text asked to go ("remove the 'My Video' title": judged absent by asked.unmet) or
        # to be replaced ("change 'A' to 'B'": 'B' is the one asked to be there).
        wanted = asked.wanted_quotes(prompt, stated, projects)
        missing: list[dict[str, Any]] = []
        if wanted:
            # Looked for on screen: the text tracks (and tracks of a kind not known here), any
            # field of theirs, case-insensitively; never in a clip's or a track of music's name (a
            # photo named 客厅装修前.jpg shows no caption 「装修前」: play22zh F2). Only a text that
            # appears nowhere there is said to be missing, with the clip names that hold it.
            screen = _screen_json(after.draft)
            missing = []
            for q in wanted:
                if json.dumps(q, ensure_ascii=False)[1:-1].casefold() not in screen:
                    item: dict[str, Any] = {"kind": "quote_missing", "name": q}
                    if clips := asked.in_clip_names(q, after_tl):
                        item["clips"] = clips
                    missing.append(item)
        if after_tl.tracks_total and (met := asked.met(stated, after_tl)):
            facts["as_asked"] = met  # an unchanged timeline may have been as asked already
        # A quoted text found is as asked too (each part in one list), where no check above says
        # it already (the title on screen, a text at its place).
        told = {
            str(item.get("name"))
            for item in facts.get("as_asked", [])
            if item.get("kind") in ("title", "text_at", "text_time", "text_span", "text_whole")
        }
        # "put 'Made it!' when the summit shot shows up": judged against that clip (play25en F4)
        on_clips = asked.text_on_clip(stated, after_tl) if after_tl.tracks_total else []
        for on_clip in on_clips:
            met = on_clip.pop("met")
            facts.setdefault("as_asked" if met else "clips_unmet_texts", []).append(on_clip)
        told |= {str(on_clip["name"]) for on_clip in on_clips}
        told |= {text for text, _ in stated.text_at}  # placed elsewhere: not_as_asked says where
        told |= {text for text, _ in stated.text_time}
        told |= {text for text, _, _ in stated.text_span}
        told |= set(stated.text_whole)
        missed = {str(item["name"]) for item in missing}
        # "move 'Made it!' …": on screen is no move; where it went is judged below (play25en F2)
        moving = set(asked.moved_quotes(prompt))
        found = [
            {"kind": "quote_shown", "name": q}
            for q in wanted
            if q not in missed and q not in told and q not in moving and asked.present(q, after_tl)
        ]
        if found and after_tl.tracks_total:
            facts.setdefault("as_asked", []).extend(found)
        if missing and not after_tl.tracks_total:
            facts["not_as_asked"] = missing
        if after_tl.tracks_total:
            # What the user's words ask that the timeline verifiably lacks ("no music" and a
            # music track): a fact, whatever the agent says.
            unmet = missing + asked.unmet(stated, after_tl) + facts.pop("clips_unmet_texts", [])
            # a quoted text asked to move and still where it was: not moved, whatever the agent says
            stuck = asked.not_moved(prompt, stated, before_tl, after_tl)
            unmet += stuck
            # Other music asked for and the music is the one before (the volume changed, say, or
            # nothing did): said with the track's name (play22zh F9), never left to watching.
            same = asked.same_music(stated, before_tl, after_tl)
            if same is not None:
                unmet.append(same)
            # "change the music to something jazzy" and another track now: the swap is said as
            # asked (play-test gap 7: no line said it had landed); a style asked stays unchecked.
            swapped = asked.music_swapped(stated, before_tl, after_tl)
            if changed:
                # What changed that the words asked nothing of (the music replaced when a caption
                # was asked for, clips dropped, the frame or the length changed): said as a fact.
                # A question beside the edit ("also is this music ok for ads?") asks nothing of
                # the music: the music dropped then is still unasked (play28en F3).
                unmet += [
                    item
                    for item in asked.unasked(_without_questions(prompt), before_tl, after_tl)
                    if not (length_of_it is not None and item.get("kind") == "length_unasked")
                ]
            absent = asked.no_such_file(prompt, *uploaded, after_tl) if uploaded is not None else None
            if absent is not None:  # "use sunset.jpg" and no such upload: never read as done
                unmet.insert(0, absent)
            # "start with her before pic" in a project holding no uploads (sent with accept_cost):
            # no photo of the user's can be on it, a fact, never "not checked" (play-test 20 F1).
            no_media = uploaded is not None and uploaded[1] == 0 and absent is None
            if no_media and asked.speaks_of_own_media(prompt):
                unmet.insert(0, {"kind": "no_media"})
            # "a bit quieter": judged on the change, whichever way it went (unchanged: not done).
            # "开头的标题别动": judged on the change too.
            moved = asked.volume_moved(stated, before_tl, after_tl)
            kept = asked.title_kept(stated, before_tl, after_tl)
            # "keep the wide one" beside a square one: a project holds one video (judged on the change)
            frame = asked.frame_kept(stated, before_tl, after_tl)
            # "put that title at the end", "keep the Before one": the texts the timeline had before
            placed = asked.title_placed(stated, before_tl, after_tl)
            stays = asked.texts_stay(stated, before_tl, after_tl)
            music_kept = asked.music_kept(stated, before_tl, after_tl)  # "keep the music"
            dropped = asked.title_dropped(stated, before_tl, after_tl)  # "remove the title"
            swap = asked.clips_swapped(stated.swap, before_tl, after_tl)  # "swap the 2nd and 3rd photo"
            photos = asked.photos_left_out(stated.no_photos, after_tl, uploaded)  # "…, no photos"
            unshaped = any(item.get("kind") == "shape" for item in unmet)
            gone = {
                str(n) for item in unmet if item.get("kind") == "text_gone" for n in item.get("names") or []
            }
            # "just curious, dont change anything": judged on the change, beside no ask for one
            # (play26en F18: the music swapped unasked was only "not checked")
            asks_edit = route(prompt).action is Action.AGENT  # "…, dont change anything else"
            unchanged = None if asks_edit else asked.nothing_changed(prompt, stated, changed)
            for fact in (moved, kept, frame, placed, music_kept, dropped, unchanged, swap, photos, *stays):
                if fact is None:
                    continue
                if not fact.pop("met"):
                    if fact.get("name") in gone and any(fact is s for s in stays):
                        # "keep the X title" and X gone: said once, as the keep asked (play24en F5)
                        unmet = _without_gone(unmet, str(fact["name"]))
                        unmet.append(fact)
                    # a text removed unasked is said once, as that
                    elif not (fact.get("name") in gone and fact is placed):
                        unmet.append(fact)
                elif not (fact is frame and unshaped):  # no new frame made: nothing kept beside it
                    facts.setdefault("as_asked", []).append(fact)
            # "remove the 'Before' title" and the title gone, a photo named kitchen_before still
            # there: gone, as asked (play22en F4)
            told_gone = {i.get("name") for i in facts.get("as_asked", []) if i.get("kind") == "text_removed"}
            for fact in asked.removed_gone(stated, before_tl, after_tl):
                if fact["name"] not in told_gone:
                    facts.setdefault("as_asked", []).append(fact)
            if stuck:
                # Where it is against the place asked says it already ("at the end, but it is at
                # 0-3 s"); else not moved, never "at the end" or "on the timeline" (play25en F2).
                others = [i for i in unmet if i not in stuck]
                stuck = [i for i in stuck if _without_place(others, [i]) == others]
                if kept_as_asked := _without_place(facts.pop("as_asked", []), stuck):
                    facts["as_asked"] = kept_as_asked
                unmet = [*others, *stuck]
            if unmet:
                facts["not_as_asked"] = unmet
            # "called 'X'" and X shown as the title: most likely wanted, so a plain note, no alarm.
            if (shown := asked.name_shown(stated, after_tl)) is not None:
                facts["name_shown"] = shown
            # What the request asks that no check above can verify: listed, never left to read
            # as done ("a bit brighter" is nowhere on a timeline).
            if named := unchecked.music_named(prompt, after_tl):
                facts.setdefault("as_asked", []).append({"kind": "music_style", "names": named[:3]})
            elif swapped is not None:  # a track named by its style already says it is the new one
                facts.setdefault("as_asked", []).append(swapped)
            # "calm acoustic guitar music" and the track is "Calm Piano": plainly another instrument
            if other := unchecked.music_other(prompt, after_tl):
                facts.setdefault("not_as_asked", []).extend(other)
            if used := asked.files_on_timeline(prompt, after_tl):  # "use sunrise.jpg and beach.jpg"
                facts.setdefault("as_asked", []).append({"kind": "clips_used", "names": used[:5]})
            # "with the city lights photo": the clip on the video track, or one uploaded and left out
            clips_met, clips_unmet, clips_judged = asked.clips_asked(stated, after_tl, uploaded)
            if clips_met and not used:
                facts.setdefault("as_asked", []).extend(clips_met)
            if clips_unmet:
                facts.setdefault("not_as_asked", []).extend(clips_unmet)
            # "replace the AI scene with forest.jpg then sunrise.jpg": the uploads named on the video
            # track, the clip replaced off it (play20 F2)
            files_met, files_unmet, files_judged = asked.files_asked(prompt, after_tl, uploaded, before_tl)
            if files_met and not used:
                facts.setdefault("as_asked", []).extend(files_met)
            if files_unmet:
                facts.setdefault("not_as_asked", []).extend(files_unmet)
            # "put forest at the end", "把beach放最后" and forest.jpg / beach.jpg on no track: not in
            # the video, a fact (never "not checked" for want of the extension: play26 EN F4, ZH F5)
            told = {
                str(n)
                for i in facts.get("not_as_asked", [])
                if i.get("kind") == "files_unused"
                for n in i["names"]
            }
            left_out = [
                f for f in asked.uploads_left_out(prompt, after_tl, uploaded, before_tl) if f not in told
            ]
            if left_out:
                facts.setdefault("not_as_asked", []).append({"kind": "files_unused", "names": left_out[:5]})
            # "用我上传的花束照片" and every upload on the video track: as asked (play24zh F7)
            uploads = asked.uploads_on_timeline(prompt, after_tl, uploaded) if uploaded is not None else []
            if uploads and not any(i.get("kind") == "clips_used" for i in facts.get("as_asked", [])):
                facts.setdefault("as_asked", []).append({"kind": "clips_used", "names": uploads[:5]})
            judged = frozenset(
                k
                for k, v in (
                    ("volume", moved or level_of_it),
                    ("title", kept),
                    ("frame", frame),
                    ("music", same),
                    ("music_swap", swapped),
                    ("uses", stated.uses and clips_judged),
                    ("title_at", placed),
                    ("keep_text", stays),
                    ("keep_music", music_kept),
                    ("text_clip", on_clips),
                    ("drop_title", dropped),
                    ("swap", swap),
                    ("no_photos", photos),
                )
                if v
            )
            open_asks = unchecked.not_checked(prompt, after_tl, judged)
            if absent is not None:  # said above, with what was uploaded
                open_asks = [a for a in open_asks if not any(n in a for n in absent["names"])]
            if any(item.get("kind") == "no_media" for item in unmet):  # said above: none uploaded
                open_asks = [a for a in open_asks if not asked.speaks_of_own_media(a)]
            if files_judged and (files_met or files_unmet):  # said above, file by file
                named = [*asked.files_wanted(prompt)[0], *asked.clips_to_go(prompt)]
                open_asks = [a for a in open_asks if not any(n in a for n in named)]
            if left_out:  # said above: the photo named is on no track
                open_asks = [
                    a for a in open_asks if not asked.uploads_left_out(a, after_tl, uploaded, before_tl)
                ]
            if uploads:  # said above: every upload is on the video track
                open_asks = [a for a in open_asks if not asked.speaks_of_own_media(a)]
            if missed:  # "在第一张上加「装修前」": the text is nowhere on screen, said above
                open_asks = [a for a in open_asks if not (quoted(a) and set(quoted(a)) <= missed)]
            if stuck:  # "move 'Made it!' a bit later" and it did not move: said above
                still = {str(item["name"]) for item in stuck}
                open_asks = [a for a in open_asks if not (quoted(a) and set(quoted(a)) <= still)]
            if length_of_it is not None:  # "actually 10": the length, judged above
                open_asks = [a for a in open_asks if asked.length_of_it(a, said_before) is None]
            if open_asks:
                facts["not_checked"] = open_asks
        if before_tl is not None and before_tl.tracks_total == 0 and after_tl.tracks_total:
            # A timeline made from nothing: its summary says more than a list of additions.
            facts["built"] = {lang: summary(after_tl, lang) for lang in LANGUAGES}
    except Exception:
        log.exception("comparing the timeline")
        return None
    return changed, facts


_PLACE_KINDS = frozenset(("text_at", "text_time", "text_span", "quote_shown", "text_clip"))


def _without_place(items: list[dict[str, Any]], stuck: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``items`` without those placing a text that did not move (``asked.not_moved``)."""
    names = {str(item["name"]).casefold() for item in stuck}
    return [
        i for i in items if not (i.get("kind") in _PLACE_KINDS and str(i.get("name", "")).casefold() in names)
    ]


def cancelled_landed(facts: dict[str, Any]) -> None:
    """A request cancelled while it ran that landed anyway (it can't be recalled): none of what it
    changed is wanted any more, so its changes are said as not asked ("Length: 20s → 3s"), never as
    asked (play25en F3). ``facts`` (``compare``'s, with the change in every language) is changed
    in place."""
    listed = facts.get("changes")
    if isinstance(listed, dict) and any(listed.values()):
        said = [i for i in facts.get("not_as_asked", []) if isinstance(i, dict)]
        whole = {lang: [str(c) for c in listed.get(lang) or []][:6] for lang in LANGUAGES}
        facts["not_as_asked"] = [*said, {"kind": "cancelled_changes", "changes": whole}]
    facts.pop("as_asked", None)  # nothing of it is wanted now: no part of it "as asked"
    facts.pop("not_checked", None)


def _screen_json(draft: Any) -> str:
    """The draft's JSON (case-folded) without its video and music tracks: where text on screen
    may be written, in any field."""
    if isinstance(draft, dict) and isinstance(draft.get("t"), list):
        shown = [
            tr
            for tr in draft["t"]
            if not (isinstance(tr, dict) and track_kind(tr.get("tt")) in ("video", "audio"))
        ]
        draft = {**draft, "t": shown}
    return json.dumps(draft, ensure_ascii=False).casefold()


def snapshot(state: SessionState | None) -> str | None:
    """A state as the record keeps it (``before_draft``), for :func:`restore`."""
    if state is None:
        return None
    return json.dumps({"draft": state.draft, "canvas_config": state.canvas}, ensure_ascii=False)


def restore(kept: str | None) -> SessionState | None:
    """The state :func:`snapshot` kept; None when none was (or it can't be read)."""
    try:
        return SessionState.model_validate(json.loads(kept)) if kept else None
    except ValueError:
        return None


def has_video(state: SessionState | None) -> bool:
    tl = read_timeline(state.draft, state.canvas) if state else None
    return tl is not None and any(tr.kind == "video" and tr.segments for tr in tl.tracks)


class Turns:
    """Sends requests to the agent and keeps their records. One per server process."""

    def __init__(self, shared: Shared, consent: Consent) -> None:
        self.s = shared
        self.consent = consent

    def _name(self, gen: Generation) -> str:
        row = self.s.store.project(gen.project_id) if gen.project_id else None
        return (row.name or row.id) if row is not None else self.s.project_name(gen.project_id)

    # --- the turn ----------------------------------------------------------------------------

    async def send(
        self,
        project: Project,
        prompt: str,
        lang: Lang,
        notes: list[str],
        report: Reporter,
        accept_cost: bool,
        route: str = "agent",
        held: frozenset[Action] = frozenset(),
    ) -> GenerateOutput:
        store = self.s.store
        key = prompt_key(prompt)
        self.s.take_over_dead()  # a turn whose reader died is followed, not settled blind below
        same = store.matching_turn(project.id, key)
        if same is not None:
            return await self._attach(same, lang, notes, report)
        held = held | self.consent.still_held(project, prompt)
        # Sent with accept_cost right after "a project holds one video" held it: the replacement
        # of the one video is what the user confirmed (said as a fact, never "not as asked").
        refused = self.consent.refused_last(project) if accept_cost else None
        confirmed = refused is not None and refused.fact_map.get("not_sent") == "two_versions"
        gen_id = f"gen_{uuid_utils.uuid7().hex[-12:]}"
        first = not store.has_turns(project.id)  # only a project's first request may name it
        deadline = budget.deadline() or time.monotonic() + self.s.settings.tool_budget
        waited: list[Generation] = []  # the project's turns this one waited for (they ended)
        while (busy := store.begin_turn(
            gen_id, project.id, project.session_id, prompt, key, stale_after=TURN_STALE_S,
            client=CLIENT.get(), route=route, held=[str(a) for a in held],
        )) is not None:  # fmt: skip
            # One turn at a time per project (the agent edits one draft), across processes too.
            if busy.prompt_key == key:
                return await self._attach(busy, lang, notes, report)
            if not await self.s.wait_turn(busy.id, report, lang, deadline - self.s.reserve()):
                return GenerateOutput(
                    language=lang,
                    status="working",
                    action="agent",
                    reply="\n\n".join([*notes, t("agent.busy", lang, prompt=cap(busy.prompt, 80))]),
                    next_steps=[t("next.status_then_resend", lang)],
                    job_id=busy.id,
                    poll_after_s=AGENT_POLL_S,
                )
            waited.append(busy)
        try:
            before, balance = await self._before(project)
            media = store.media_page(project.id, 1)[1]
            made = await self.s.has_video(before)
            if media == 0 and not made and not accept_cost and asked.speaks_of_own_media(prompt):
                # "Use the first photo only" where there is none: made from nothing if sent.
                store.not_sent(gen_id, "no_media")
                if first:
                    project = self.s.projects.name_as_told(project, prompt)
                view = await self.s.project_view(project, link=True)
                where = t("media.where_named", lang, name=view.name if view is not None else project.name)
                name = view.name if view is not None else project.name or project.id
                return await self.consent.no_media(
                    lang, notes, where, balance=balance, project=view, made=name
                )
            if not accept_cost and asked.files_named(prompt):
                names, total = store.media_page(project.id, MAX_UPLOADS_NAMED)
                before_tl = read_timeline(before.draft, before.canvas) if before is not None else Timeline()
                absent = asked.no_such_file(prompt, [m.name for m in names], total, before_tl)
                if absent is not None:
                    # "Use sunset.jpg" and no such upload: NemoVideo can't use it; said before
                    # anything is spent, with what the project has.
                    store.not_sent(gen_id, "no_such_file")
                    if first:
                        project = self.s.projects.name_as_told(project, prompt)
                    view = await self.s.project_view(project, link=True)
                    cost = GENERATION_COST if not made and media == 0 else EDIT_COST
                    name = view.name if view is not None else project.name or project.id
                    return self.consent.no_such_file(
                        absent, lang, notes, cost, balance=balance, project=view, name=name
                    )
            # After the holds for files it lacks (free; their price is the one once the files are
            # there: play19en F7).
            g = gate(balance, generating=not made and media == 0)
            if g is not None and g.kind is GateKind.CANNOT_RUN:
                # Said *before* spending: nothing is sent until the user agrees (or has credits).
                store.not_sent(gen_id, str(g.kind))
                if first:
                    project = self.s.projects.name_as_told(project, prompt)
                view = await self.s.project_view(project, link=True)
                if media and before is not None and not made:
                    # "Make it brighter" in a project with only uploads would make its video,
                    # not brighten one: said, so the price isn't quoted as an edit's.
                    name = view.name if view is not None else project.name
                    notes = [*notes, t("cost.no_video_yet", lang, name=name)]
                return self.consent.refusal(g, lang, notes, project=view, prompt=prompt)
            # It goes ahead: a note that it uses the last credits (``cost_note``), not a warning,
            # which is only for a request that was not sent.
            note = gate_text(g, lang, self.s.more_credits(lang)) if g is not None else None
            # The timeline before, kept with the record: if this process dies while the agent
            # works, whoever takes the turn over compares NemoVideo's state with it.
            store.update_generation(
                gen_id,
                credits_before=balance,
                sent_at=time.time(),
                before_draft=snapshot(before),
                # kept with the record: a turn taken over by another process still knows it
                **({"facts": {"confirmed": ["two_versions"]}} if confirmed else {}),
            )
        except BaseException:
            store.forget_turn(gen_id)  # never sent: it must not block or be reported
            raise
        job = self.s.jobs.spawn(
            "agent",
            msg("label.request"),
            lambda j: self._run(j, project, gen_id, prompt, before, first, confirmed),
            job_id=gen_id,
            project_id=project.id,
        )
        job.message = msg("job.sending")
        ran = not await self.s.jobs.wait([job], report, lang, deadline - self.s.reserve())
        # The turns this one waited for, told first (play22en F13: "still working" read as the first).
        earlier, earlier_steps = await self._told_first(waited, lang)
        if earlier:
            price = GENERATION_COST if not made and media == 0 else EDIT_COST
            notes = [*notes, *earlier]
            key = "agent.sent_after" if ran else "agent.then_this"
            notes.append(t(key, lang, prompt=cap(prompt, 80), cost=price))
        if ran:
            view = await self.s.project_view(project, link=True)  # its name as it is now (named on accept)
            name = view.name if view is not None and view.name else project.name or project.id
            working = [] if earlier else [t("agent.working", lang)]
            return GenerateOutput(
                language=lang,
                status="working",
                action="agent",
                reply="\n\n".join([*notes, *([note] if note else []), *working]),
                next_steps=[
                    *earlier_steps,
                    t("next.status_later_in", lang, seconds=AGENT_POLL_S, project=name),
                ],
                job_id=gen_id,
                cost_note=note,
                project=view,
                poll_after_s=AGENT_POLL_S,
            )
        try:
            job.result()
        except NemoError:  # refused before the agent acted: its own message and remedy
            store.update_generation(gen_id, delivered=1, cost_told=1)
            raise
        out = await self.deliver(gen_id, lang)
        if out.credits_left is not None:
            # It ran: its cost line says what it used and what is left, and the way to more
            # credits; the forecast made before sending would say it twice, as a charge to come
            # (play26 F17).
            note = None
        out.cost_note = note
        # The facts first; the note that this used the last credits goes with its cost, at the end.
        out.reply = "\n\n".join(p for p in [*notes, out.reply, *([note] if note else [])] if p)
        out.next_steps = [*earlier_steps, *out.next_steps]
        return out

    async def _told_first(self, waited: list[Generation], lang: Lang) -> tuple[list[str], list[str]]:
        """The answers of this conversation's turns a new one waited for, not told yet: each
        headed by its request, with its next steps (told here, status won't repeat them)."""
        parts: list[str] = []
        steps: list[str] = []
        for busy in waited:
            gen = self.s.store.generation(busy.id)
            if gen is None or gen.delivered or gen.status is TurnState.RUNNING:
                continue
            if gen.client is not None and gen.client != CLIENT.get():
                continue  # another conversation's request: its answer is its own
            try:
                out = await self.deliver(gen.id, lang)
            except TurnFailed as failed:
                out = failed.out
            parts.append(t("agent.earlier_done", lang, prompt=cap(gen.prompt, 80)))
            parts.append(out.reply)
            steps.extend(out.next_steps)
        return parts, steps

    async def _before(self, project: Project) -> tuple[SessionState | None, float | None]:
        """The timeline and balance before a turn, read side by side (to report changes and cost)."""
        results: dict[str, Any] = {}

        async def read_state() -> None:
            results["state"] = await self.s.state_or_none(project)

        async def read_balance() -> None:
            results["balance"] = await self.s.balance_or_none()

        async with anyio.create_task_group() as tg:
            tg.start_soon(read_state)
            tg.start_soon(read_balance)
        return results.get("state"), results.get("balance")

    async def _attach(
        self, same: Generation, lang: Lang, notes: list[str], report: Reporter
    ) -> GenerateOutput:
        """The same request was already sent: never send it again, hand back its answer."""
        since = ago(same.created_at)
        deadline = budget.deadline() or time.monotonic() + self.s.settings.tool_budget
        if same.status is TurnState.RUNNING and not await self.s.wait_turn(
            same.id, report, lang, deadline - self.s.reserve()
        ):
            return GenerateOutput(
                language=lang,
                status="working",
                action="agent",
                attached=True,
                reply="\n\n".join(
                    [*notes, t("agent.attached_running", lang, prompt=cap(same.prompt, 60), ago=since)]
                ),
                next_steps=[t("next.status_later_in", lang, seconds=AGENT_POLL_S, project=self._name(same))],
                job_id=same.id,
                poll_after_s=AGENT_POLL_S,
            )
        out = await self.deliver(same.id, lang)
        out.attached = True
        out.reply = "\n\n".join([*notes, t("agent.attached_done", lang, ago=since), out.reply])
        return out

    async def _run(
        self,
        job: Job,
        project: Project,
        gen_id: str,
        prompt: str,
        before: SessionState | None,
        first: bool,
        confirmed: bool = False,
    ) -> None:
        """The agent turn itself (a background job): stream, then record what really changed."""
        texts: list[str] = []
        kept = 0  # how many of the words are in the record (a taker-over tells those)
        seen = False
        last_beat = time.monotonic()

        async def on_event(event: AgentEvent) -> None:
            nonlocal seen, last_beat, kept
            seen = True
            if isinstance(event, TextEvent):
                texts.append(event.text)
                job.message = msg("job.answering")
            elif isinstance(event, ToolCallEvent):
                job.message = msg("job.editing")  # never the raw tool call
            elif isinstance(event, HeartbeatEvent):
                job.progress += 1
                if not texts:
                    job.message = msg("job.working")
            if time.monotonic() - last_beat > HEARTBEAT_S:
                last_beat = time.monotonic()
                try:
                    if len(texts) > kept:  # liveness, with the words so far
                        said: dict[str, Any] = {"said": "".join(texts)}
                        if confirmed:  # the record's facts are replaced: kept along
                            said["confirmed"] = ["two_versions"]
                        self.s.store.update_generation(gen_id, facts=said)
                        kept = len(texts)
                    else:
                        self.s.store.update_generation(gen_id)  # liveness, for other processes
                except LocalStateError:
                    # The store away for a moment (a database restarting) must not cut the
                    # agent's stream: the next beat renews the lease.
                    log.warning("turn %s: heartbeat not recorded", gen_id)

        accepted = False
        named_on_accept: list[str | None] = []

        def on_accepted() -> None:
            nonlocal accepted
            accepted = True
            if first and not named_on_accept:
                # Named as soon as NemoVideo has the request, not when it ends: a "working" answer
                # given meanwhile names the project as it will stay (its project= step then works).
                named_on_accept.append(self.s.projects.name_if_unnamed(project, prompt))
            elif not named_on_accept:  # a guessed name gives way to the first title asked for
                named_on_accept.append(self.s.projects.name_from_title(project, prompt))

        error: NemoError | None = None
        truncated = False
        session = project
        client = self.s.client
        try:
            try:
                truncated = await client.run_agent(session.session_id, prompt, on_event, on_accepted)
            except SessionNotFoundError:
                if seen or accepted:
                    raise  # the agent already acted on it: never send it twice
                session = await self.s.projects.replace_session(project)
                truncated = await client.run_agent(session.session_id, prompt, on_event, on_accepted)
        except ConnectionFailedError as err:
            # Broken after the message went out (no answer yet, or part of one): the agent may
            # have taken it and charged. Never "couldn't reach": said, recorded and guarded as sent.
            if accepted or maybe_taken(err):
                accepted, error = True, NemoError("agent.stream_broken")
            else:
                error = err
        except NemoError as err:
            error = err
        # Named from the user's words before the record is made, so the answer says so (status and
        # the next steps use the new name).
        if named_on_accept:
            named = named_on_accept[0]
        else:
            named = self.s.projects.name_if_unnamed(session, prompt) if accepted and first else None
        extra = {"named": named} if named else None
        await self.record(gen_id, session, "".join(texts), truncated, before, error, accepted, extra=extra)
        if error is not None and not accepted:
            raise error  # nothing was done or spent: the caller shows it as the error it is

    def _said_before(self, gen: Generation) -> str:
        """The user's request sent to the same project just before ``gen`` ("" when none)."""
        for other in self.s.store.session_turns(gen.client, limit=20):
            if (
                other.id != gen.id
                and other.project_id == gen.project_id
                and other.created_at < gen.created_at
            ):
                return other.prompt
        return ""

    async def record(
        self,
        gen_id: str,
        project: Project,
        text: str,
        truncated: bool,
        before: SessionState | None,
        error: NemoError | None,
        accepted: bool,
        *,
        after: SessionState | None = None,
        extra: dict[str, Any] | None = None,
    ) -> bool:
        """Record the turn's outcome as facts: the words, the verified change, the balance. Never
        fails on bad data (a hostile draft must not turn a paid answer into an error). ``after``:
        the state already read (a taken-over turn's last look); False when another process
        settled the turn first (the database decides)."""
        if after is None:
            after = await self.s.state_or_none(project)
        balance = await self.s.balance_or_none()
        ended = time.time()
        facts: dict[str, Any] = {"said": text, "truncated": truncated, "accepted": accepted, **(extra or {})}
        changed: bool | None = None
        asked = self.s.store.generation(gen_id)
        gen_prompt = asked.prompt if asked is not None else ""
        gen_sent = asked.sent_at if asked is not None else None
        if asked is not None and "confirmed" in asked.fact_map:  # recorded when it was sent
            facts.setdefault("confirmed", asked.fact_map["confirmed"])
        if self.s.store.withdrawn(gen_id):  # cancelled while it ran: nothing to offer again
            facts["withdrawn"] = True
        if after is not None:
            # Off the event loop: a huge draft takes seconds to read twice and compare, and other
            # calls (another session's status) must not wait for it.
            uploaded = self._uploaded(project)
            named = self._projects_quoted(gen_prompt)
            said = self._said_before(asked) if asked is not None else ""
            found = await anyio.to_thread.run_sync(compare, before, after, gen_prompt, uploaded, named, said)
            if found is None:
                log.error("comparing the timeline after turn %s failed", gen_id)
            else:
                changed, verified = found
                facts.update(verified)
                if facts.get("withdrawn") and changed:
                    cancelled_landed(facts)
        self._exported_version(project, facts)
        # An export of the timeline before this change was under way as it landed: its file won't
        # have the change, whatever the assistant would assume.
        rendering = self._rendering_before(project, facts, gen_sent) if changed and gen_sent else None
        if rendering is not None:
            facts["export_before"] = rendering
        if error is not None and accepted and changed is False:
            # The connection broke once the agent had the message: an unchanged timeline now says
            # nothing of what it will have in a moment (the agent works on). Unknown, not "nothing".
            changed = None
        if error is not None:
            facts["error"] = {
                lang: (
                    # The message reached the agent: whatever broke, sending it again could charge
                    # twice. Said to the user here; what to call next is in the answer's next steps.
                    join_sentences([error.message(lang), t("agent.failed_after_sent", lang)], lang)
                    if accepted
                    else error.render(lang)
                )
                for lang in LANGUAGES
            }
        facts["session_lost"] = self.s.projects.take_lost_notice(project.id)
        gen = self.s.store.generation(gen_id)
        shared: list[str] = []
        if gen is not None and gen.sent_at is not None:
            others = self.s.store.overlapping_turns(gen_id, gen.sent_at, ended)
            shared = sorted({self.s.project_name(o.project_id) for o in others})
            if others:
                facts["joint"] = self._joint(gen, others, balance)
        failed = error is not None and (not accepted or (not text.strip() and not changed))
        # Cut off with its change unknown: the timeline before stays with the record, so whoever
        # finds it landed later (landing.settle) can say what changed.
        kept = {} if error is not None and accepted and changed is None else {"before_draft": None}
        return self.s.store.finish_turn(
            gen_id,
            status=TurnState.FAILED if failed else TurnState.DONE,
            facts=facts,
            error=error.render("en") if error is not None else None,
            timeline_changed=changed,
            credits_after=balance if gen is not None and gen.credits_before is not None else None,
            ended_at=ended,
            shared_with=shared,
            **kept,  # otherwise only needed while it runs
        )

    def _joint(self, gen: Generation, others: list[Generation], after: float | None) -> dict[str, Any]:
        """What requests that ran at the same time used together (play19en F4: each answer gave
        the balance's fall over its own window, 100 and 50 for 100 in all). The group is this
        turn, the turns that overlapped it and those they were measured with (a chain A-B-C);
        its figure is the balance before the first of them was sent less the balance now, once
        none of them runs any more (this one ends last). Each member's record gets the same
        figure, so every answer and the credits total tell one joint cost, counted once."""
        store = self.s.store
        members: dict[str, Generation] = {gen.id: gen, **{o.id: o for o in others}}
        for other in others:
            recorded = other.fact_map.get("joint")
            for member_id in recorded.get("ids", []) if isinstance(recorded, dict) else []:
                if isinstance(member_id, str) and member_id not in members:
                    found = store.generation(member_id)
                    if found is not None:
                        members[member_id] = found
        ids = sorted(members)
        running = any(m.status is TurnState.RUNNING for m in members.values() if m.id != gen.id)
        first = min(
            (m for m in members.values() if m.sent_at is not None and m.credits_before is not None),
            key=lambda m: m.sent_at or 0.0,
            default=None,
        )
        used = None
        if not running and first is not None and first.credits_before is not None and after is not None:
            used = max(0.0, first.credits_before - after)
        # "open": one of them still runs (its figure comes when it ends); not open and no figure:
        # a balance around them wasn't read, so it is unknown, never "known once that one ends".
        joint: dict[str, Any] = {"ids": ids, "used": used, "open": running}
        for member in members.values():
            if member.id == gen.id or member.status is TurnState.RUNNING:
                continue  # a running one writes its own record when it ends (with this figure)
            facts = member.fact_map
            if facts.get("joint") != joint:
                facts["joint"] = joint
                store.update_generation(member.id, facts=facts)
        return joint

    def _projects_quoted(self, prompt: str) -> tuple[str, ...]:
        """The quoted texts of ``prompt`` that are the name of one of the user's projects."""
        try:
            return tuple(q for q in quoted(prompt) if self.s.store.find_projects(q, 1))
        except LocalStateError:
            return ()

    def _uploaded(self, project: Project) -> tuple[list[str], int] | None:
        """The project's upload names and how many there are; None when the store can't say (a
        file named in the request is then not judged: the turn's record comes first)."""
        try:
            media, total = self.s.store.media_page(project.id, MAX_UPLOADS_NAMED)
        except LocalStateError:
            return None
        return [m.name for m in media], total

    def _exported_version(self, project: Project, facts: dict[str, Any]) -> None:
        """A version asked to be kept and replaced ("keep the wide one"): the saved file of that
        frame, if one was exported, named with the fact (the only copy left of it). Confirmed after
        "a project holds one video", or kept in a saved file, the replacement is what the user
        agreed to (or has): said as the fact it is (``replaced``), never "not as asked" (play20 F7)."""
        unmet = facts.get("not_as_asked") or []
        replaced = [
            item for item in unmet if isinstance(item, dict) and item.get("kind") == "version_replaced"
        ]
        if not replaced:
            return
        try:
            renders = self.s.store.project_renders(project.id, 20)
        except LocalStateError:
            renders = []
        seen = facts.get("timeline")
        before_fp = seen.get("before") if isinstance(seen, dict) else None
        for item in replaced:
            was = item.get("before") or [None, None]
            for r in renders:  # newest first
                saved = r.status is RenderState.DOWNLOADED and r.local_path
                if not saved or [r.width, r.height] != list(was[:2]):
                    continue
                if before_fp is not None and r.draft_fp == before_fp:
                    item["file"] = Path(str(r.local_path)).name  # the very video replaced
                    break
                # Same frame, but the timeline was edited after it was saved: an older video,
                # never "the replaced version is kept in it" (play-test 22 F5).
                item.setdefault("older", Path(str(r.local_path)).name)
                if r.duration_s is not None:
                    item.setdefault("older_s", r.duration_s)
            if item.get("file"):
                item.pop("older", None)
                item.pop("older_s", None)
        # A saved file of the new frame from an older cut is no file of this version: said so,
        # matched by the timeline, never by the frame alone (play-test gap 8).
        after_fp = seen.get("after") if isinstance(seen, dict) else None
        for item in replaced:
            now = item.get("found") or [None, None]
            for r in renders:  # newest first
                if (
                    r.status is RenderState.DOWNLOADED
                    and r.local_path
                    and [r.width, r.height] == list(now[:2])
                ):
                    if r.draft_fp != after_fp:
                        item["new_older"] = Path(str(r.local_path)).name
                        if r.duration_s is not None:
                            item["new_older_s"] = r.duration_s
                    break
        confirmed = "two_versions" in (facts.get("confirmed") or [])
        told = [item for item in replaced if confirmed or item.get("file")]
        for item in told:
            item["confirmed"] = confirmed
            unmet.remove(item)
        if told:
            facts["replaced"] = told
        if not unmet:
            facts.pop("not_as_asked", None)

    def _rendering_before(self, project: Project, facts: dict[str, Any], sent_at: float) -> str | None:
        """A render of the timeline as it was before this turn, begun before it was sent and not
        delivered yet: its file won't have the turn's change."""
        seen = facts.get("timeline")
        was = seen.get("before") if isinstance(seen, dict) else None
        try:
            renders = self.s.store.project_renders(project.id, 5)
        except LocalStateError:
            return None
        for r in renders:
            open_or_untold = r.status in OPEN_RENDER or (r.status is RenderState.DOWNLOADED and not r.told)
            if was is not None and r.draft_fp == was and r.created_at <= sent_at and open_or_untold:
                return r.id
        return None

    async def deliver(self, gen_id: str, lang: Lang) -> GenerateOutput:
        """A finished turn as the tool's answer; told once (status won't repeat it)."""
        gen = self.s.store.generation(gen_id)
        if gen is None:  # deleted with its account while it ran (a team member removed)
            raise RecordGoneError
        self.s.store.update_generation(gen_id, delivered=1, cost_told=1)
        project = self.s.store.project(gen.project_id) if gen.project_id else None
        cost = cost_of(gen)
        out = GenerateOutput(
            language=lang,
            status="done",
            action="agent",
            reply=turn_reply(gen, lang, self.s.more_credits(lang)),
            next_steps=turn_steps(gen, lang, AGENT_POLL_S),
            job_id=gen.id,
            timeline_changed=gen.timeline_changed,
            changes=changes(gen, lang),
            not_as_asked=not_as_asked(gen, lang),
            as_asked=as_asked(gen, lang),
            not_checked=not_checked(gen),
            credits_used=cost.used if cost else None,
            credits_left=cost.left if cost else None,
            project=await self.s.project_view(project, link=True),
            agent_says=said(gen, lang) or None,
        )
        if gen.status is TurnState.FAILED and gen.error:
            raise TurnFailed(out)
        return out


def ago(created_at: float) -> Any:
    """How long ago ``created_at`` was, as a message both languages can render."""
    minutes = round((time.time() - created_at) / 60)
    return msg("ago.minutes", minutes=minutes) if minutes >= 1 else msg("ago.now")


def _without_gone(items: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """``items`` with ``name`` taken out of their "text_gone" facts (one left with no name goes)."""
    out: list[dict[str, Any]] = []
    for item in items:
        if item.get("kind") == "text_gone" and name in (item.get("names") or []):
            names = [n for n in item["names"] if n != name]
            if not names:
                continue
            item = {**item, "names": names}
        out.append(item)
    return out


def _without_questions(prompt: str) -> str:
    """The request's words without the questions asked beside it (:func:`side_questions`); a
    question sent on its own ("what about jazz music?") is the request itself."""
    rest = prompt
    for question in side_questions(prompt):
        rest = rest.replace(question, " ")
    return rest if re.search(r"\w", asked._QUOTED.sub(" ", rest)) else prompt
