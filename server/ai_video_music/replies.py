"""Every answer's words: pure functions of the records (turns, renders, costs) and a language.

Nothing here reads the backend or the store, and nothing composed here is stored: an answer is
built when it is told, from facts (what was asked, the verified change, what it cost), so a
later call can't patch an answer into something untrue. The facts come first, in the server's
words; the agent's own text follows, fenced and labelled as NemoVideo's, never on its own.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from itertools import accumulate
from typing import Any

from . import asked, unchecked
from .agentlinks import checked_words
from .asked import only_questions, rights_question
from .costs import EDIT_COST, Cost, Spent, cost_of
from .messages import Lang, join_sentences, msg, t
from .outputs import ExportItem, MediaItem, StatusOutput, TimelineView, TurnAnswer
from .records import RenderState, TurnState, UploadState
from .router import Action, asks_export_now, asks_no_change, route
from .sanitize import IMITATION_WORDS, cap, clean_text, label_spans, may_imitate, shown, skeleton
from .store import Cancel, Generation, Render
from .timeline import Timeline
from .translate import translate

# Lines of the agent's text that dress up as the server's own guidance ("Next (for the
# assistant): …", "下一步（给助手）：…", "Note: the timeline …") are marked as quoted words.
_IMITATION = re.compile(
    r"(?i)^\W*(?:" + IMITATION_WORDS + r"|note\s*:|注意\s*[:：]|(?:credits|积分)\s*[:：])"
)
# The same, for spellings only the skeleton sees (zero-width characters, look-alike letters);
# our other labels are found anywhere (``_mark_labels``).
_IMITATION_SKELETON = re.compile(r"note:|注意:|credits:|积分:")


def turn_facts(gen: Generation) -> dict[str, Any]:
    return gen.fact_map


def said(gen: Generation, lang: Lang) -> str:
    """What the agent wrote, cleaned (GUI wording rewritten, links judged by the link rule,
    images made labels: :mod:`agentlinks`), or ""."""
    text = turn_facts(gen).get("said")
    return _said(text, lang) if isinstance(text, str) else ""


# The agent's words shown in an answer: far beyond a real reply, and small enough that a host which
# cuts long tool results (Claude Code warns at 10,000 tokens) still reads the server's own lines.
SAID_CHARS = 3_000


@lru_cache(maxsize=16)
def _said(text: str, lang: Lang) -> str:
    # One answer reads the agent's words several times (reply, steps, agent_says) and every
    # status/export shows them again: judged once per text (up to sse.MAX_TEXT_CHARS each).
    words = checked_words(clean_text(translate(text).text).strip(), lang)
    if len(words) <= SAID_CHARS:
        return words
    return cap(words, SAID_CHARS) + "\n" + t("agent.not_shown", lang, more=len(words) - SAID_CHARS + 1)


def _localized(value: Any, lang: Lang) -> Any:
    return value.get(lang) if isinstance(value, dict) else None


def changes(gen: Generation, lang: Lang) -> list[str]:
    found = _localized(turn_facts(gen).get("changes"), lang)
    if isinstance(found, list):
        return [str(c) for c in found]
    return gen.change_list  # written before version 4: in the language of its time


def fence(words: str, lang: Lang) -> str:
    """The agent's words as a labelled, quoted block; lines that imitate ours are marked, also
    a label spread over several lines ("Next (for⏎the⏎assistant):": a renderer joins them)."""
    # Cleaned here too (clean_text is idempotent): whatever its caller did, this block is backend
    # text on its way to the model, and the label checks below must see what the model reads.
    raw = clean_text(words).splitlines() or [""]
    bones = [skeleton(x) for x in raw]
    # A label at the line's start ("Note:" and "Credits:" only there).
    marked = [
        bool(_IMITATION.match(x) or _IMITATION_SKELETON.match(bone))
        for x, bone in zip(raw, bones, strict=True)
    ]
    # One of ours anywhere ("OK. Next (for the assistant): …"), judged on the whole quote at once:
    # a markdown renderer joins a paragraph's lines into one, and a model reading the quote takes
    # blank lines for no break of sense either, so a label may be spread over any number of lines
    # and paragraphs ("Next (for⏎⏎the⏎⏎assistant):", round 23 A23-2b, round 24 A24-5). A blank
    # line's skeleton is empty: the lines' skeletons side by side are the quote's, read once.
    _mark_labels(raw, marked)
    lines = [
        (t("agent.imitation", lang) + " " + line if mark and line.strip() else line)
        for line, mark in zip(raw, marked, strict=True)
    ]
    return t("agent.says", lang) + "\n" + "\n".join("> " + x if x.strip() else ">" for x in lines)


def _mark_labels(raw: list[str], marked: list[bool]) -> None:
    # The skeleton drops spaces and line breaks, so the quote's lines joined are read as one
    # (``label_spans``). Every line a label's letters stand on is marked, overlapping labels too:
    # a label that ends early ("Next (for the AI") can't hide one that overlaps it
    # ("for the AI⏎assistant").
    quote = "\n".join(raw)
    if not may_imitate(quote):
        return  # no label even at a first look (most quotes): nothing to place
    starts = list(accumulate((len(x) + 1 for x in raw[:-1]), initial=0))
    for start, end in label_spans(quote):
        for i in range(bisect_right(starts, start) - 1, bisect_right(starts, end - 1)):
            marked[i] = True


def cost_line(cost: Cost | None, lang: Lang, more: str) -> str:
    """One short line of what a request cost, and, when too little is left, how to get more."""
    if cost is None:
        return ""
    names = quote_list(cost.shared_with, lang)
    if cost.used is None and cost.group:
        # One figure for the requests that ran at once, the same in each one's answer (play19en F4).
        others = len(cost.group) - 1
        if cost.joint is None:
            key = "cost.together.pending"
        else:
            key = "cost.together.one" if others <= 1 else "cost.together"
        line = t(
            key,
            lang,
            names=names,
            n=others + 1,
            others=others,
            joint=f"{cost.joint or 0:g}",
            left=f"{cost.left:g}",
        )
    elif cost.used is None:
        line = t(
            "cost.shared",
            lang,
            names=names,
            joint=f"{cost.joint or 0:g}",
            left=f"{cost.left:g}",
        )
    else:
        line = t("cost.used", lang, used=f"{cost.used:g}", left=f"{cost.left:g}")
    if cost.left < EDIT_COST:
        line = join_sentences([line, t("cost.low", lang, cost=EDIT_COST, more=more)], lang)
    return line


def missing_quotes(gen: Generation) -> list[str]:
    """Texts the request quoted that the new timeline doesn't have anywhere (checked, not claimed)."""
    if stopped_unchanged(gen):
        return []  # cancelled: not missing, not wanted any more
    found = turn_facts(gen).get("missing_quotes")
    return [str(q) for q in found] if isinstance(found, list) else []


def not_as_asked(gen: Generation, lang: Lang, named: bool = True) -> list[str]:
    """What the request asked (no music, a length, a shape, from the user's words) that the
    verified timeline after the turn does not have, each said in ``lang``. ``named=False``
    leaves out the timeline's names (the backend's words: "the music", not its name), for
    next_steps. None for a request the user cancelled while it ran that changed nothing: what
    they no longer want is not "not as asked" (nor a fix to offer)."""
    if stopped_unchanged(gen):
        return []
    return not_met_lines(turn_facts(gen).get("not_as_asked"), lang, named)


def stopped_unchanged(gen: Generation) -> bool:
    """The user cancelled it while it ran, and it changed nothing: its answer is the cancel."""
    return withdrawn(gen) and gen.timeline_changed is False


def not_met_lines(found: Any, lang: Lang, named: bool = True) -> list[str]:
    """Facts of what a timeline lacks of a request (``asked.unmet`` and the like), said in ``lang``."""
    items: list[str] = []

    def with_names(key: str, item: dict[str, Any]) -> str:
        names = [str(n) for n in item.get("names") or []]
        return t(key, lang, names=quote_list(names, lang)) if named and names else t(key + ".unnamed", lang)

    for item in found if isinstance(found, list) else []:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind == "music":
            items.append(with_names("asked.music", item))
        elif kind == "seconds":
            items.append(
                t("asked.seconds", lang, asked=f"{item.get('asked', 0):g}", found=f"{item.get('found', 0):g}")
            )
        elif kind == "title":
            items.append(t("asked.title", lang, name=quote_list([str(item.get("name"))], lang)))
        elif kind in ("no_media", "no_change"):
            items.append(t(f"asked.{kind}", lang))
        elif kind == "text":
            items.append(with_names("asked.text", item))
        elif kind == "same_music":
            items.append(with_names("asked.same_music", item))
        elif kind == "music_kept":
            items.append(with_names("asked.music_kept", item))
        elif kind == "text_clip":
            items.append(text_clip_item(item, lang, met=False))
        elif kind == "cancelled_changes":  # cancelled while it ran, landed anyway: none of it wanted
            whole = item.get("changes")
            done = whole.get(lang) if isinstance(whole, dict) else None
            listed = t("asked.sep", lang).join(str(c) for c in done or []) or "?"
            key = "asked.cancelled_changes" if named else "asked.cancelled_changes.unnamed"
            items.append(t(key, lang, changes=listed))
        elif kind == "text_not_moved":
            name = quote_list([str(item.get("name"))], lang)
            items.append(t("asked.text_not_moved", lang, name=name, found=str(item.get("found"))))
        elif kind == "volume":
            key = "asked.volume_at_most" if item.get("at_most") else "asked.volume"
            items.append(t(key, lang, asked=f"{item.get('asked', 0):g}", found=f"{item.get('found', 0):g}"))
        elif kind == "shape":
            shape = t(f"asked.shape.{item.get('asked')}", lang)
            items.append(
                t("asked.shape", lang, shape=shape, width=item.get("width"), height=item.get("height"))
            )
        elif kind == "volume_at":
            items.append(
                t(
                    "asked.volume_at",
                    lang,
                    asked=f"{item.get('asked', 0):g}",
                    found=f"{item.get('found', 0):g}",
                )
            )
        elif kind == "text_time":
            name = quote_list([str(item.get("name"))], lang)
            items.append(
                t(
                    "asked.text_time",
                    lang,
                    name=name,
                    asked=f"{item.get('asked', 0):g}",
                    found=f"{item.get('found', 0):g}",
                )
            )
        elif kind == "text_whole":
            name = quote_list([str(item.get("name"))], lang)
            items.append(t("asked.text_whole", lang, name=name, found=str(item.get("found"))))
        elif kind == "text_span":
            name = quote_list([str(item.get("name"))], lang)
            at, until = [*(item.get("asked") or []), 0, 0][:2]
            items.append(
                t(
                    "asked.text_span",
                    lang,
                    name=name,
                    start=f"{at:g}",
                    end=f"{until:g}",
                    found=str(item.get("found")),
                )
            )
        elif kind == "text_at":
            key = "asked.text_at.end" if item.get("where") == "end" else "asked.text_at.start"
            name = quote_list([str(item.get("name"))], lang)
            items.append(t(key, lang, name=name, found=str(item.get("found"))))
        elif kind == "volume_moved":
            way = "down" if item.get("way") == "down" else "up"
            # unchanged is no change: never "from 35% to 35%"
            key = (
                f"asked.volume_moved.same.{way}"
                if item.get("before") == item.get("found")
                else f"asked.volume_moved.{way}"
            )
            items.append(t(key, lang, before=f"{item.get('before', 0):g}", found=f"{item.get('found', 0):g}"))
        elif kind == "text_gone":
            names = quote_list([str(n) for n in item.get("names") or []], lang)
            by = [str(n) for n in item.get("by") or []]
            if by:
                items.append(t("asked.text_gone.by", lang, names=names, by=quote_list(by, lang)))
            else:
                items.append(t("asked.text_gone", lang, names=names))
        elif kind == "quote_missing" and item.get("clips"):  # only a photo's name holds the words
            clips = quote_list([str(n) for n in item.get("clips") or []], lang)
            items.append(
                t(
                    "asked.quote_missing.clips",
                    lang,
                    name=quote_list([str(item.get("name"))], lang),
                    clips=clips,
                )
            )
        elif kind in ("quote_missing", "text_kept", "title_kept", "text_stays"):
            items.append(t(f"asked.{kind}", lang, name=quote_list([str(item.get("name"))], lang)))
        elif kind == "length_unasked":
            before, found = f"{item.get('before', 0):g}", f"{item.get('found', 0):g}"
            items.append(t("asked.length_unasked", lang, before=before, found=found))
        elif kind == "no_such_file":
            items.append(no_such_file_item(item, lang))
        elif kind in _UNASKED:
            items.append(unasked_item(item, lang, named))
        elif kind == "version_replaced":
            old, new = item.get("before") or [None] * 3, item.get("found") or [None] * 3
            frames = [t("timeline.frame", lang, w=f[0], h=f[1], ratio=f[2]) for f in (old, new)]
            file = item.get("file")
            if file:
                items.append(
                    t(
                        "asked.version_replaced.saved",
                        lang,
                        before=frames[0],
                        found=frames[1],
                        file=quote_list([str(file)], lang),
                    )
                )
            else:
                line = t("asked.version_replaced", lang, before=frames[0], found=frames[1])
                items.append(line + older_file(item, lang))
        elif kind == "music_style_other":
            wanted = t("list.sep", lang).join(str(w) for w in item.get("asked") or [])
            tracks = [str(n) for n in item.get("names") or []]
            if named and tracks:
                items.append(t("asked.music_style_other", lang, names=quote_list(tracks, lang), asked=wanted))
            else:
                items.append(t("asked.music_style_other.unnamed", lang, asked=wanted))
        elif kind == "clip_unused":
            name, file = quote_list([str(item.get("name"))], lang), quote_list([str(item.get("file"))], lang)
            items.append(t("asked.clip_unused", lang, name=name, file=file))
        elif kind == "files_unused":  # the user's own file names: said in next_steps too
            files = [str(n) for n in item.get("names") or []]
            key = "asked.files_unused.one" if len(files) == 1 else "asked.files_unused"
            items.append(t(key, lang, names=quote_list(files, lang)))
        elif kind == "clip_seconds":
            found = ", ".join(f"{n:g}" for n in item.get("found") or [])
            items.append(t("asked.clip_seconds", lang, asked=f"{item.get('asked', 0):g}", found=found))
        elif kind == "clip_kept":
            items.append(with_names("asked.clip_kept", item))
        elif kind == "no_photos":
            items.append(with_names("asked.no_photos", item))
        elif kind == "clips_swapped":
            clips = quote_list([str(n) for n in item.get("names") or []], lang)
            runs = quote_list([str(n) for n in item.get("order") or []], lang)
            key = "asked.clips_swapped" if named else "asked.clips_swapped.unnamed"
            items.append(t(key, lang, names=clips, found=runs))
        elif kind == "sequence":
            clips = quote_list([str(n) for n in item.get("names") or []], lang)
            runs = quote_list([str(n) for n in item.get("found") or []], lang)
            items.append(
                t("asked.sequence", lang, names=clips, found=runs)
                if named
                else t("asked.sequence.unnamed", lang, names=clips)
            )
        elif kind == "order":
            key = "asked.order.last" if item.get("where") == "last" else "asked.order.first"
            name = quote_list([str(item.get("name"))], lang)
            if named:
                items.append(t(key, lang, name=name, found=quote_list([str(item.get("found"))], lang)))
            else:
                items.append(t(key + ".unnamed", lang, name=name))
    return items


def text_clip_item(item: dict[str, Any], lang: Lang, *, met: bool) -> str:
    """A quoted text asked with a clip ("when the summit shot shows up"), where it is against the clip."""
    how = "during" if item.get("how") == "during" else "start"
    return t(
        f"asked.{'met.' if met else ''}text_clip.{how}",
        lang,
        name=quote_list([str(item.get("name"))], lang),
        clip=quote_list([str(item.get("clip"))], lang),
        at=str(item.get("at")),
        found=str(item.get("found")),
    )


def replaced_lines(gen: Generation, lang: Lang) -> list[str]:
    """A version asked to be kept that the user confirmed replacing, or that a saved file keeps
    ("keep the wide one"): the fact, with where the old version is (``TurnService._exported_version``)."""
    found = turn_facts(gen).get("replaced")
    lines = []
    for item in found if isinstance(found, list) else []:
        if not isinstance(item, dict):
            continue
        old, new = item.get("before") or [None] * 3, item.get("found") or [None] * 3
        frames = [t("timeline.frame", lang, w=f[0], h=f[1], ratio=f[2]) for f in (old, new)]
        file = quote_list([str(item["file"])], lang) if item.get("file") else None
        if item.get("confirmed"):
            key = "version.replaced.confirmed.saved" if file else "version.replaced.confirmed"
        else:
            key = "version.replaced.saved"
        line = t(key, lang, before=frames[0], found=frames[1], file=file or "")
        line = line if file else join_sentences([line, older_file(item, lang, alone=True)], lang)
        if item.get("new_older") and new[0] and new[1]:  # a saved file of the new frame, an older cut
            seconds = item.get("new_older_s")
            shape = t(f"asked.shape.{asked.shape_of(int(new[0]), int(new[1]))}", lang)
            older = t(
                "version.new_frame_older",
                lang,
                file=quote_list([str(item["new_older"])], lang),
                frame=frames[1],
                was=f"{seconds:g}" if isinstance(seconds, int | float) else "?",
                shape=shape,
            )
            line = join_sentences([line, older], lang)
        lines.append(line)
    return lines


def kept_versions(
    gens: Sequence[Generation], renders: Sequence[Render], rec: Render, lang: Lang
) -> list[str]:
    """An export in another frame than a version the user asked to keep ("make a square one,
    keep the vertical one"): where that version's saved file is (play-test gap 4: the square
    export said nothing of the vertical file kept). Found by the timeline the request replaced,
    never by its frame alone (an older file of that frame is not the version kept)."""
    lines: list[str] = []
    shown_files: set[str] = set()
    for gen in gens:
        replaced = turn_facts(gen).get("replaced")
        seen = turn_facts(gen).get("timeline")
        before_fp = seen.get("before") if isinstance(seen, dict) else None
        if not isinstance(replaced, list) or before_fp is None:
            continue
        for item in replaced:
            old = item.get("before") if isinstance(item, dict) else None
            if not isinstance(old, list) or len(old) < 3 or [rec.width, rec.height] == old[:2]:
                continue
            kept = next(
                (
                    r
                    for r in renders
                    if r.id != rec.id
                    and r.draft_fp == before_fp
                    and r.status is RenderState.DOWNLOADED
                    and (r.local_path or r.output_url)
                ),
                None,
            )
            where = (kept.local_path or kept.output_url) if kept is not None else None
            if where is None or where in shown_files:
                continue
            shown_files.add(where)
            before = t("timeline.frame", lang, w=old[0], h=old[1], ratio=old[2])
            found = f"{rec.width}x{rec.height}"
            lines.append(t("export.version_kept", lang, before=before, path=where, found=found))
    return lines


def older_file(item: dict[str, Any], lang: Lang, *, alone: bool = False) -> str:
    """A file of the replaced version's frame saved before later edits: an older video, said so
    (never "the replaced version is in it", play-test 22 F5); "" without one. ``alone``: a
    sentence of its own, else a clause to end an item with."""
    if not item.get("older"):
        return ""
    seconds = item.get("older_s")
    length = f"{seconds:g}" if isinstance(seconds, int | float) else "?"
    file = quote_list([str(item["older"])], lang)
    return t("version.older_file" if alone else "asked.version_older_file", lang, file=file, seconds=length)


def absent_files(gen: Generation) -> list[str]:
    """Files the request named that were never uploaded to its project (``asked.no_such_file``)."""
    found = turn_facts(gen).get("not_as_asked")
    for item in found if isinstance(found, list) else []:
        if isinstance(item, dict) and item.get("kind") == "no_such_file":
            return [str(n) for n in item.get("names") or []]
    return []


def no_such_file_item(item: dict[str, Any], lang: Lang, *, sentence: bool = False) -> str:
    """A file the words name that this project was never sent, with what it was sent (a clause
    of "Not as asked: …", or a ``sentence`` of its own)."""
    key = "no_such_file.sentence" if sentence else "asked.no_such_file"
    names = quote_list([str(n) for n in item.get("names") or []], lang)
    uploaded = [str(n) for n in item.get("uploaded") or []]
    if not uploaded:
        return t(key + ".none", lang, names=names)
    total = item.get("total")
    more = t("list.sep", lang) + "…" if isinstance(total, int) and total > len(uploaded) else ""
    return t(key, lang, names=names, uploaded=quote_list(uploaded, lang) + more)


_UNASKED = frozenset(("music_unasked", "volume_unasked", "clips_unasked", "frame_unasked", "text_unasked"))


def unasked_item(item: dict[str, Any], lang: Lang, named: bool = True) -> str:
    """A change of a kind the request said nothing of (``asked.unasked``), said as the fact it is."""
    kind, change = str(item.get("kind")), str(item.get("change", ""))
    names = [str(n) for n in item.get("names") or []]
    olds = [str(n) for n in item.get("before") or []] if kind != "volume_unasked" else []
    if kind == "volume_unasked":
        return t(
            "asked.unasked.volume",
            lang,
            before=f"{item.get('before', 0):g}",
            found=f"{item.get('found', 0):g}",
        )
    if kind == "frame_unasked":
        old, new = item.get("before") or [None] * 3, item.get("found") or [None] * 3
        frames = [t("timeline.frame", lang, w=f[0], h=f[1], ratio=f[2]) for f in (old, new)]
        return t("asked.unasked.frame", lang, before=frames[0], found=frames[1])
    if kind == "clips_unasked":
        n = int(item.get("n") or len(names) or 1)
        count = t("timeline.clips.one", lang) if n == 1 else t("timeline.clips", lang, n=n)
        key = f"asked.unasked.clips.{'added' if change == 'added' else 'removed'}"
        if named and names:
            return t(key, lang, count=count, names=quote_list(names, lang))
        return t(key + ".unnamed", lang, count=count)
    area = "music" if kind == "music_unasked" else "text"
    if change not in (("replaced", "removed", "added") if area == "music" else ("replaced", "removed")):
        change = "removed"
    key = f"asked.unasked.{area}.{change}"
    if named and names and (olds or change != "replaced"):
        return t(key, lang, names=quote_list(names, lang), before=quote_list(olds, lang))
    return t(key + ".unnamed", lang)


def not_checked(gen: Generation) -> list[str]:
    """The request's asks that no check covers (``unchecked.not_checked``), in the user's words."""
    found = turn_facts(gen).get("not_checked")
    return [str(q) for q in found] if isinstance(found, list) else []


def withdrawn(gen: Generation) -> bool:
    """The user cancelled this request while it ran (it can't be recalled: it ran on)."""
    return turn_facts(gen).get("withdrawn") is True


def as_asked(gen: Generation, lang: Lang) -> list[str]:
    """What the request asked that the verified timeline after it already has (``asked.met``)."""
    if stopped_unchanged(gen):
        return []  # cancelled and nothing changed: no verdict on what they no longer want
    return met_items(turn_facts(gen).get("as_asked"), lang)


def met_items(found: Any, lang: Lang) -> list[str]:
    items: list[str] = []
    for item in found if isinstance(found, list) else []:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind == "seconds":
            items.append(t("asked.met.seconds", lang, found=f"{item.get('found', 0):g}"))
        elif kind == "shape":
            shape = t(f"asked.shape.{item.get('asked')}", lang)
            items.append(
                t("asked.met.shape", lang, shape=shape, width=item.get("width"), height=item.get("height"))
            )
        elif kind in ("music", "text", "no_change"):
            items.append(t(f"asked.met.{kind}", lang))
        elif kind == "title":
            items.append(t("asked.met.title", lang, name=quote_list([str(item.get("name"))], lang)))
        elif kind in ("volume", "volume_at"):
            asked, found = f"{item.get('asked', 0):g}", f"{item.get('found', 0):g}"
            key = "asked.met.volume_at_most" if item.get("at_most") else f"asked.met.{kind}"
            items.append(t(key, lang, asked=asked, found=found))
        elif kind == "volume_moved":
            key = "asked.met.volume_moved.down" if item.get("way") == "down" else "asked.met.volume_moved.up"
            items.append(t(key, lang, before=f"{item.get('before', 0):g}", found=f"{item.get('found', 0):g}"))
        elif kind == "music_style":
            names = [str(n) for n in item.get("names") or []]
            items.append(t("asked.met.music_style", lang, names=quote_list(names, lang)))
        elif kind == "music_kept":
            names = [str(n) for n in item.get("names") or []]
            items.append(t("asked.met.music_kept", lang, names=quote_list(names, lang)))
        elif kind == "music_swapped":
            names = [str(n) for n in item.get("names") or []]
            was = [str(n) for n in item.get("was") or []]
            items.append(
                t("asked.met.music_swapped", lang, names=quote_list(names, lang), was=quote_list(was, lang))
            )
        elif kind == "clip_seconds":
            items.append(t("asked.met.clip_seconds", lang, found=f"{item.get('asked', 0):g}"))
        elif kind in ("clips_used", "clip_gone"):
            names = [str(n) for n in item.get("names") or []]
            items.append(t(f"asked.met.{kind}", lang, names=quote_list(names, lang)))
        elif kind in ("text_removed", "title_kept", "quote_shown", "text_stays"):
            items.append(t(f"asked.met.{kind}", lang, name=quote_list([str(item.get("name"))], lang)))
        elif kind == "text_clip":
            items.append(text_clip_item(item, lang, met=True))
        elif kind == "text_time":
            name = quote_list([str(item.get("name"))], lang)
            items.append(t("asked.met.text_time", lang, name=name, found=f"{item.get('found', 0):g}"))
        elif kind == "text_span":
            name = quote_list([str(item.get("name"))], lang)
            items.append(t("asked.met.text_span", lang, name=name, found=str(item.get("found"))))
        elif kind == "text_whole":
            items.append(t("asked.met.text_whole", lang, name=quote_list([str(item.get("name"))], lang)))
        elif kind == "text_at":
            key = "asked.met.text_at.end" if item.get("where") == "end" else "asked.met.text_at.start"
            items.append(
                t(key, lang, name=quote_list([str(item.get("name"))], lang), found=item.get("found"))
            )
        elif kind == "version_replaced":
            w, h, ratio = (item.get("found") or [None] * 3)[:3]
            frame = t("timeline.frame", lang, w=w, h=h, ratio=ratio)
            items.append(t("asked.met.frame_kept", lang, frame=frame))
        elif kind == "sequence":
            found = quote_list([str(n) for n in item.get("found") or []], lang)
            items.append(t("asked.met.sequence", lang, found=found))
        elif kind == "no_photos":
            items.append(t("asked.met.no_photos", lang))
        elif kind == "clips_swapped":
            swapped = quote_list([str(n) for n in item.get("names") or []], lang)
            runs = quote_list([str(n) for n in item.get("order") or []], lang)
            items.append(t("asked.met.clips_swapped", lang, names=swapped, found=runs))
        elif kind == "order":
            key = "asked.met.order.last" if item.get("where") == "last" else "asked.met.order.first"
            items.append(t(key, lang, found=quote_list([str(item.get("found"))], lang)))
    return items


def already_as_asked(gen: Generation, lang: Lang) -> list[str]:
    """An unchanged timeline that already had all the request could check (and lacked none of it):
    the request found it done, it did not fail."""
    if gen.timeline_changed is not False or not_as_asked(gen, lang) or missing_quotes(gen):
        return []
    if not_checked(gen):
        return []  # a part of it can't be checked: never "already as asked" for the whole
    return as_asked(gen, lang)


def quote_list(texts: Sequence[str], lang: Lang) -> str:
    """Names in our quotes, the one way a list of names is told (files, the request's words):
    :func:`~.sanitize.shown` again here, for records stored before it (a name can't close our
    quote or bring a label of ours), and each name in its own quotes, so no label can be spelt
    across two of them ("beach. Next (for the", "assistant): call generate …")."""
    left, right = ("「", "」") if lang == "zh" else ("“", "”")
    return ("、" if lang == "zh" else ", ").join(f"{left}{shown(q, 120)}{right}" for q in texts)


def turn_reply(gen: Generation, lang: Lang, more: str) -> str:
    """A finished (or interrupted) agent turn, told: facts first, then NemoVideo's words, then cost."""
    facts = turn_facts(gen)
    if not facts and gen.reply:  # answered before version 4: its text was composed then
        return "\n\n".join(p for p in (gen.reply, cost_line(cost_of(gen), lang, more)) if p)
    parts: list[str] = []
    error = _localized(facts.get("error"), lang)
    if gen.status is TurnState.FAILED and not facts.get("accepted", True):
        return str(error or "")  # refused before the agent acted: nothing was done or spent
    if facts.get("session_lost"):
        parts.append(t("project.session_lost", lang))
    if isinstance(facts.get("named"), str):  # the project took its name from these words
        parts.append(t("project.named_now", lang, name=facts["named"]))
    if isinstance(facts.get("name_shown"), str):
        parts.append(t("asked.name_shown", lang, name=quote_list([facts["name_shown"]], lang)))
    if gen.status is TurnState.INTERRUPTED:
        parts.append(t("agent.interrupted", lang, prompt=cap(gen.prompt, 80)))
    if facts.get("withdrawn") is True and gen.timeline_changed:  # cancelled, but it ran to the end
        parts.append(t("agent.withdrawn_landed", lang, prompt=cap(gen.prompt, 80)))
    taken = facts.get("taken_over")
    if isinstance(taken, dict):  # its reader died; followed at NemoVideo by another server
        parts.append(taken_over_line(taken, gen, lang))
    parts += replaced_lines(gen, lang)
    unmet = not_as_asked(gen, lang)
    if unmet:  # the user's own words against the verified timeline: said before anything else
        parts.insert(0, t("asked.unmet", lang, items=t("asked.sep", lang).join(unmet)))
    words = said(gen, lang)
    built = _localized(facts.get("built"), lang)
    listed = changes(gen, lang)
    already = already_as_asked(gen, lang)
    if already:
        items = t("asked.sep", lang).join(already)
        parts.append(t("asked.already", lang, items=items, prompt=cap(gen.prompt, 80)))
    elif stopped_unchanged(gen):  # the cancel first: what was stopped, and that nothing changed
        parts.insert(0, t("agent.withdrawn_unchanged", lang, prompt=cap(gen.prompt, 80)))
    elif gen.timeline_changed is False:
        key = "agent.unchanged_but_said" if words else "agent.unchanged"
        parts.append(t(key, lang, prompt=cap(gen.prompt, 80)))
    elif built:
        parts.append(str(built))
    elif listed:
        parts.append(t("agent.changes", lang) + "\n" + "\n".join(f"- {c}" for c in listed))
    elif gen.timeline_changed is None and gen.status is not TurnState.INTERRUPTED:
        parts.append(t("agent.unchecked", lang))
    missing = missing_quotes(gen)
    if missing:
        parts.append(t("agent.missing_quotes", lang, texts=quote_list(missing, lang)))
    if gen.timeline_changed and facts.get("export_before"):
        parts.append(t("agent.export_before", lang))
    unchecked = not_checked(gen)
    if unchecked and gen.timeline_changed is not False:  # unchanged: said above, for all of it
        parts.append(t("asked.not_checked", lang, items=quote_list(unchecked, lang)))
    parts += side_question_lines(gen, words, lang)
    if words:
        cut = t("agent.cut", lang) if facts.get("truncated") or error else ""
        parts.append(join_sentences([fence(words, lang), cut], lang))
    elif isinstance(taken, dict):
        parts.append(t("agent.words_lost", lang))  # not silent: its words went with the server
    elif error is None and gen.status is not TurnState.INTERRUPTED:
        parts.append(t("agent.silent", lang))
    if error:
        parts.append(str(error))
    parts.append(cost_line(cost_of(gen), lang, more))
    return "\n\n".join(p for p in parts if p)


def landed_reply(gen: Generation, lang: Lang) -> str:
    """A cut-off request found landed: what is not as asked first, then that it landed and the
    verified change. Its cost was told when it broke off (nothing is charged by landing)."""
    parts: list[str] = []
    unmet = not_as_asked(gen, lang)
    if unmet:
        parts.append(t("asked.unmet", lang, items=t("asked.sep", lang).join(unmet)))
    parts.append(t("landing.landed", lang, prompt=cap(gen.prompt, 80)))
    built = _localized(turn_facts(gen).get("built"), lang)
    listed = changes(gen, lang)
    if built:
        parts.append(str(built))
    elif listed:
        parts.append(t("agent.changes", lang) + "\n" + "\n".join(f"- {c}" for c in listed))
    missing = missing_quotes(gen)
    if missing:
        parts.append(t("agent.missing_quotes", lang, texts=quote_list(missing, lang)))
    return "\n\n".join(parts)


@dataclass(frozen=True)
class Lack:
    """What a file lacks of one request: the sentence the reply says, and what the structured
    ``not_in_file`` lists (the same facts: the request's words when none of it is in the file,
    else only the parts that are not)."""

    line: str
    missing: tuple[str, ...]


def asked_no_change(gen: Generation) -> bool:
    """A request that asks for no change: only questions, or sent as a question whose words state
    nothing a check reads. A question with an edit in it ("怎么变2秒了？给我改回去：时长回到15秒")
    still asks for that edit, whatever it was routed as."""
    if only_questions(gen.prompt) or asks_no_change(gen.prompt):
        return True  # (a hold and a plan for later, even sent: play26en F14)
    if gen.route != Action.ASK:
        return False
    stated = asked.read(gen.prompt)
    return stated == asked.Asked() and not asked.wanted_quotes(gen.prompt, stated)


def never_ran(gen: Generation) -> bool:
    """A request that changed nothing because it never reached the agent: not sent (refused for
    its cost, or awaiting a yes), or refused by NemoVideo before acting (2001). Never a change a
    file could lack."""
    if gen.status is TurnState.NOT_SENT:
        return True
    return gen.status is TurnState.FAILED and not turn_facts(gen).get("accepted")


Uploaded = tuple[list[str], int] | None  # the project's upload names, and how many there are


def _open_in_file(prompt: str, now: Timeline, uploaded: Uploaded = None) -> list[str]:
    """The asks of ``prompt`` no check reads, that a file could have: "竖的那个要留着" (keep the
    earlier file in its frame) is about that file, never one this file lacks (play24zh F5); "put
    forest at the end" with forest.jpg on no track is read (:func:`_left_out`)."""
    open_asks = unchecked.not_checked(prompt, now, frozenset({"frame"}))
    return [a for a in open_asks if not asked.uploads_left_out(a, now, uploaded)]


def _left_out(prompt: str, now: Timeline, uploaded: Uploaded) -> list[dict[str, Any]]:
    """The uploads ``prompt`` asked for by their bare name ("put forest at the end") that are on no
    track of the file's timeline ``now``: the file plainly lacks them (play26en F11, zh F16)."""
    files = asked.uploads_left_out(prompt, now, uploaded)
    return [{"kind": "files_unused", "names": files[:5]}] if files else []


def part_lacking(
    gen: Generation,
    now: Timeline,
    lang: Lang,
    gone: frozenset[str] | set[str] = frozenset(),
    uploaded: Uploaded = None,
) -> Lack | None:
    """A request that changed nothing, judged part by part on the file's timeline ``now``: when
    the file verifiably has some of what it asked (done by an earlier request: "改回15秒 …" with
    the file at 15 s), only the parts it lacks, and those no check reads; None when none of it
    is verifiably there (then all of it is missing). ``gone``: asks later requests replaced."""
    stated = _unreplaced(asked.read(gen.prompt), set(gone))
    wanted = asked.wanted_quotes(gen.prompt, stated)
    shown = [q for q in wanted if asked.present(q, now)]
    if not now.tracks_total or not (asked.met(stated, now) or shown):
        return None
    lacking = [{"kind": "quote_missing", "name": q} for q in wanted if q not in shown]
    lines = not_met_lines([*lacking, *asked.unmet(stated, now), *_left_out(gen.prompt, now, uploaded)], lang)
    open_asks = _open_in_file(gen.prompt, now, uploaded)
    if not lines and not open_asks:
        return Lack("", ())  # all it asked is checked and in the file
    # What it lacks and what no check reads, each in its own words: never "only part of it is in
    # the file" of a request that changed nothing (play25zh F8: read as done in part).
    prompt = cap(gen.prompt, 80)
    said = (
        [t("export.lacks.part", lang, prompt=prompt, items=t("asked.sep", lang).join(lines))] if lines else []
    )
    if open_asks:
        key = "export.lacks.part.unchecked" if lines else "export.lacks.part.open"
        said.append(t(key, lang, prompt=prompt, open=quote_list(open_asks, lang)))
    return Lack(join_sentences(said, lang), (*lines, *open_asks))


def earlier_lacking(
    gen: Generation, stated: asked.Asked, now: Timeline, lang: Lang, uploaded: Uploaded = None
) -> Lack | None:
    """An earlier request that changed nothing, and none of whose asks the file ``now`` has:
    what the file verifiably lacks of it (a quoted text not on it, a length, a frame), and the
    asks no check reads; None when no check reads any of it (then only "unless a later request
    did it" can be said)."""
    if not now.tracks_total:
        return None
    wanted = asked.wanted_quotes(gen.prompt, stated)
    lacking = [{"kind": "quote_missing", "name": q} for q in wanted if not asked.present(q, now)]
    lines = not_met_lines([*lacking, *asked.unmet(stated, now), *_left_out(gen.prompt, now, uploaded)], lang)
    if not lines:
        return None
    open_asks = _open_in_file(gen.prompt, now, uploaded)
    said = [
        t(
            "export.lacks.earlier_unmet",
            lang,
            prompt=cap(gen.prompt, 80),
            items=t("asked.sep", lang).join(lines),
        )
    ]
    if open_asks:
        said.append(t("export.lacks.part.unchecked", lang, open=quote_list(open_asks, lang)))
    return Lack(
        join_sentences(said, lang), (gen.prompt,)
    )  # none of it landed: all of it is missing (as "unchanged_unmet")


def still_lacking(
    gen: Generation,
    now: Timeline,
    lang: Lang,
    gone: frozenset[str] | set[str] = frozenset(),
    uploaded: Uploaded = None,
) -> Lack | None:
    """An earlier request that changed the timeline but not all as asked: the parts the file
    ``now`` verifiably still lacks (a quoted text not on it, a length, a frame, a file of the
    user's on no track); None when a check finds none missing. ``gone``: asks later requests
    replaced."""
    if not now.tracks_total:
        return None
    stated = _unreplaced(asked.read(gen.prompt), set(gone))
    lacking: list[dict[str, Any]] = [
        {"kind": "quote_missing", "name": q}
        for q in asked.wanted_quotes(gen.prompt, stated)
        if not asked.present(q, now)
    ]
    # "a vertical one, but keep the square one" and the file square: it is the version kept, not
    # one lacking the new frame (play26en F13)
    kept_version = stated.keep_frame and stated.shape is not None
    lacking += [
        i
        for i in settled(asked.unmet(stated, now), set(gone))
        if not (kept_version and isinstance(i, dict) and i.get("kind") == "shape")
    ]
    clips = asked._all_segments(now, "video")
    files = [
        f
        for f in asked.files_wanted(gen.prompt)[0]
        if clips is not None
        and not any(asked._base(f) == asked._base(c.name) or asked._names_clip(f, c.name) for c in clips)
    ]
    files += [f for f in asked.uploads_left_out(gen.prompt, now, uploaded) if f not in files]
    if files:
        lacking.append({"kind": "files_unused", "names": files[:5]})
    # A text it removed unasked ("海边的清晨" replaced by "下次见") that is still off the file's
    # timeline: what the user's words never asked, still so (play26zh F13: said when the request
    # ran, then nothing at the export once a later request changed the music)
    for item in turn_facts(gen).get("not_as_asked") or []:
        if not (isinstance(item, dict) and item.get("kind") == "text_gone"):
            continue
        off = [str(n) for n in item.get("names") or [] if not asked.present(str(n), now)]
        if off:
            by = [str(n) for n in item.get("by") or [] if asked.present(str(n), now)]
            lacking.append({"kind": "text_gone", "names": off, **({"by": by} if by else {})})
    # A version asked to be kept and replaced is judged on the change, never on ``now`` alone: its
    # record says so while the file is not of that frame (play26en F13: the Night Brew export, a
    # later title edit after it, was silent that the square one was gone).
    lacking += [
        item
        for item in turn_facts(gen).get("not_as_asked") or []
        if isinstance(item, dict)
        and item.get("kind") == "version_replaced"
        and not _of_frame(now, item.get("before"))
    ]
    lines = not_met_lines(lacking, lang)
    if not lines:
        return None
    line = t(
        "export.lacks.earlier_changed",
        lang,
        prompt=cap(gen.prompt, 80),
        items=t("asked.sep", lang).join(lines),
    )
    return Lack(line, tuple(lines))


# The ``asked.Asked`` field each kind of miss (``asked.unmet``) judges: a later request that asks
# that field anew (or takes its topic back) replaces it, so the miss is no longer one.
_MISS_FIELD = {
    "seconds": "seconds",
    "shape": "shape",
    "music": "no_music",
    "volume": "music_under",
    "volume_at": "music_at",
    "volume_moved": "music_rel",
    "order": "order",
    "sequence": "sequence",
    "clips_swapped": "swap",
    "no_photos": "no_photos",
    "text": "no_text",
    "same_music": "new_music",
}


def replaced_asks(gen: Generation, later: list[Generation]) -> set[str]:
    """The fields of what ``gen`` asked that a later request of its project asked anew ("算了 还是
    横屏吧" after "做成方形的") or took back: what the user wants now, never a miss of ``gen``'s
    (play25zh F1). Quoted texts are left to ``readdressed`` (asked again only by the same words)."""
    return taken_up(gen, [g for g in later if g.created_at > gen.created_at])[0]


def _still_missed(items: Any, gone: set[str]) -> list[dict[str, Any]]:
    """The misses ``items`` (stored ``not_as_asked`` facts) that no later ask replaced."""
    kept = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    return [i for i in kept if _MISS_FIELD.get(str(i.get("kind"))) not in gone]


def _unreplaced(stated: asked.Asked, gone: set[str]) -> asked.Asked:
    """``stated`` without the asks later requests replaced."""
    reset: dict[str, Any] = {f.name: f.default for f in fields(stated) if f.name in gone}
    return replace(stated, **reset)


def _of_frame(now: Timeline, frame: Any) -> bool:
    """The timeline ``now`` is in the shape of ``frame`` ([w, h, ratio], as recorded)."""
    if not (isinstance(frame, list) and len(frame) >= 2 and now.width and now.height):
        return False
    w, h = frame[0], frame[1]
    if not (isinstance(w, int) and isinstance(h, int)) or not (w and h):
        return False
    return asked.shape_of(w, h) is asked.shape_of(now.width, now.height)


def file_lacks(
    gens: list[Generation],
    pending: Generation | None,
    lang: Lang,
    now: Timeline | None = None,
    uploaded: Uploaded = None,
    session: Sequence[Generation] = (),
) -> dict[str, Lack]:
    """What an exported file does not have of the requests that led to it (newest first), by
    request id: one cut off that may still land, one that changed nothing, or what one left not
    as asked. ``session``: the session's requests of the project, those never sent too (a
    withdrawal said in words, "算了 音乐不换了", takes back what an earlier one asked)."""
    lacks = {}
    if pending is not None:
        lacks[pending.id] = Lack(
            t("export.lacks.pending", lang, prompt=cap(pending.prompt, 80)), (pending.prompt,)
        )
    listed: set[str] = set()
    for n, gen in enumerate(gens):
        if withdrawn(gen) or never_ran(gen):
            continue  # cancelled (the file lacking it is what they asked for), or never ran
        if gen.prompt_key and gen.prompt_key in listed:
            continue  # the same words sent again (once with accept_cost): said once (play22en F10)
        if gen.prompt_key:
            listed.add(gen.prompt_key)
        newer = [*gens[:n], *(g for g in session if g.created_at > gen.created_at and g not in gens)]
        gone = replaced_asks(gen, newer)  # the newer requests replaced these
        # "remove the music", then "actually keep the music": the music is settled by the later
        # one, never said missing from the file (play25en F1)
        unmet = (
            []
            if stopped_unchanged(gen)
            else not_met_lines(settled(_still_missed(turn_facts(gen).get("not_as_asked"), gone), gone), lang)
        )
        items = t("asked.sep", lang).join(unmet)
        if gen.timeline_changed is False and not already_as_asked(gen, lang):
            if asked_no_change(gen):
                continue  # a question asked for no change: the file lacks nothing of it
            if now is not None and readdressed(gen, newer, now):
                continue  # all it asked was asked anew (or taken back) since: not this file's miss
            if now is not None and (part := part_lacking(gen, now, lang, gone, uploaded)) is not None:
                if part.missing:
                    lacks[gen.id] = part  # some of it was there already: only the rest is missing
                continue
            # Nothing of it landed: all of it is missing, not only the parts a check can name.
            key = "export.lacks.unchanged_unmet" if unmet else "export.lacks.unchanged"
            lacks[gen.id] = Lack(t(key, lang, prompt=cap(gen.prompt, 80), items=items), (gen.prompt,))
        elif unmet:  # it changed the timeline: only the parts not as asked are missing
            line = t("export.lacks.unmet", lang, prompt=cap(gen.prompt, 80), items=items)
            lacks[gen.id] = Lack(line, tuple(unmet))
    return lacks


def file_before(changed: list[Generation], running: Generation | None, lang: Lang) -> str:
    """An export whose render began before requests that changed the timeline (or before one
    still running): the file is from before them, so it doesn't have what they did."""
    parts = []
    if changed:
        prompts = quote_list([cap(g.prompt, 80) for g in changed], lang)
        parts.append(t("export.before_edit", lang, prompts=prompts))
    if running is not None:
        parts.append(t("export.before_running", lang, prompt=quote_list([cap(running.prompt, 80)], lang)))
    return join_sentences(parts, lang)


def _frame_named(prompt: str) -> asked.Shape | None:
    """The one frame ``prompt`` names, also inside a longer phrase ("做个横屏16:9的B站版本")."""
    if (shape := asked.read(prompt).shape) is not None:
        return shape
    found = {asked.read(piece).shape for piece in re.split(r"[，,、的\s]", prompt) if piece.strip()} - {None}
    return found.pop() if len(found) == 1 else None


def made_elsewhere(gen: Generation, others: list[Generation]) -> bool:
    """``gen`` asked for a second version in another frame beside the one kept ("再做个横屏16:9的
    发B站，竖屏的也要留着") and changed nothing, and a later request of the session made a video of
    that frame in another project (as the hold advises): carried out there, no lack of this file
    (play26zh F19)."""
    stated = asked.read(gen.prompt)
    if not stated.keep_frame or stated.shape is None or gen.timeline_changed is not False:
        return False
    return any(
        g.project_id != gen.project_id
        and g.created_at > gen.created_at
        and g.timeline_changed
        and _frame_named(g.prompt) is stated.shape
        # the frame it asked is what it made: no miss of it was found
        and not any(
            isinstance(i, dict) and i.get("kind") == "shape" for i in turn_facts(g).get("not_as_asked") or []
        )
        for g in others
    )


def earlier_unchanged(
    gens: list[Generation], lang: Lang, now: Timeline, landed: list[Generation], uploaded: Uploaded = None
) -> list[Lack]:
    """Earlier requests (before the change this file shows) that changed nothing when they ran:
    a later request may have done what they asked, or not; said as that, never as a fact. Not
    said when a later request of the same words changed the timeline (``landed``: the session's
    requests of the project), or when all they asked is checked and on the timeline ``now``;
    never of a request that never ran (refused for its cost, here or by NemoVideo)."""
    lines = []
    listed: set[str | None] = set()
    for gen in gens:
        if (
            gen.timeline_changed
            and not withdrawn(gen)
            and gen.prompt_key not in listed
            and not_as_asked(gen, lang)
        ):
            # It changed the timeline but not all as asked, and no file was handed over since: what
            # the file still verifiably lacks of it (play24en F7), unless asked again since.
            later = [g for g in landed if g.created_at > gen.created_at]
            gone = replaced_asks(gen, later)
            if (
                not readdressed(gen, later, now)
                and (lack := still_lacking(gen, now, lang, gone, uploaded)) is not None
            ):
                listed.add(gen.prompt_key)
                lines.append(lack)
            continue
        if gen.timeline_changed is not False or withdrawn(gen) or already_as_asked(gen, lang):
            continue
        if never_ran(gen) or asked_no_change(gen):
            continue
        if gen.prompt_key and gen.prompt_key in listed:
            continue  # the same words sent twice: said once (play-test 22 F12)
        if any(g.prompt_key == gen.prompt_key and g.created_at > gen.created_at and g.timeline_changed
               for g in landed):  # fmt: skip
            continue  # the same words again, and they landed
        if readdressed(gen, [g for g in landed if g.created_at > gen.created_at], now):
            continue  # all it asked was taken back or asked again later: those answers speak for it
        listed.add(gen.prompt_key)
        gone = replaced_asks(gen, landed)
        if (part := part_lacking(gen, now, lang, gone, uploaded)) is not None:
            if part.missing:
                lines.append(part)  # some of it is in the file: only the rest is missing
            continue
        stated = _unreplaced(asked.read(gen.prompt), gone)
        if (
            stated != asked.Asked()
            and not asked.unmet(stated, now)
            and not _open_in_file(gen.prompt, now, uploaded)
            and not _left_out(gen.prompt, now, uploaded)
            and all(asked.present(q, now) for q in asked.wanted_quotes(gen.prompt, stated))
        ):
            continue  # all it asked is checked, and this file has it
        if (lack := earlier_lacking(gen, stated, now, lang, uploaded)) is not None:
            lines.append(lack)  # what the file verifiably lacks of it, said as a fact (play23en F6)
            continue
        lines.append(Lack(t("export.lacks.earlier", lang, prompt=cap(gen.prompt, 80)), (gen.prompt,)))
    return lines[:3]


# The fields of ``asked.Asked`` a withdrawal of a topic ("算了顺序不管了": order) takes back.
_TOPIC_FIELDS = {
    "order": ("order", "sequence", "swap"),
    "music": ("no_music", "music_under", "music_at_most", "new_music", "music_at", "music_rel", "keep_music"),
    "text": (
        "title",
        "text_at",
        "removed",
        "replaced",
        "no_text",
        "keep_title",
        "text_time",
        "title_at",
        "keep_text",
        "text_clip",
        "text_whole",
    ),
    "seconds": ("seconds",),
    "shape": ("shape", "keep_frame"),
}
_QUOTE_FIELDS = ("text_at", "text_time")  # (text, where) pairs
# Asks of a quoted text: asked again only for the same text (matched by the quotes, below).
_QUOTED_ASKS = frozenset(("title", "text_at", "text_time", "removed", "replaced", "projects", "text_whole"))


# What an earlier ask said of the music, as the facts of what a timeline lacks of it: a later
# request about the music at all ("actually keep the music" after "remove the music") settles them.
_MUSIC_KINDS = frozenset(
    ("music", "volume", "volume_at", "same_music", "volume_moved", "music_kept", "music_style_other")
)


def taken_up(gen: Generation, later: list[Generation]) -> tuple[set[str], set[str]]:
    """The fields of ``asked.Asked`` that ``later`` requests in ``gen``'s project took back or asked
    again, and the quoted texts (case-folded) they asked again. Any ask about the music settles all
    that ``gen`` asked of it: "remove the music", then "actually keep the music", is a wish the user
    withdrew, never one the file still lacks (play25en F1)."""
    dropped: set[str] = {"projects", "given_name", "named_only"}  # where it goes, a name: no ask
    again: set[str] = set()
    quotes = asked.wanted_quotes(gen.prompt, asked.read(gen.prompt))
    for g in later:
        if g.project_id != gen.project_id:
            continue
        taken = asked.withdrawn(asked._zh_gaps(g.prompt))
        dropped |= {f for topic in taken for f in _TOPIC_FIELDS.get(topic, ())}
        if "text" in taken:
            again |= {q.casefold() for q in quotes}
        if never_ran(g):
            continue  # the user's words take back, but only a request that ran asks again
        st = asked.read(g.prompt)
        asks = {f.name for f in fields(st) if getattr(st, f.name) != f.default and f.name not in _QUOTED_ASKS}
        # What its check judged, read with the talk before it ("actually 10" after "make it 15s"):
        # asked anew as much as what its words say alone (play27en S3)
        facts = turn_facts(g)
        judged = {
            str(item.get("kind"))
            for key in ("as_asked", "not_as_asked")
            for item in facts.get(key) or []
            if isinstance(item, dict)
        }
        asks |= {_MISS_FIELD[kind] for kind in judged if kind in _MISS_FIELD}
        dropped |= asks
        if asks & set(_TOPIC_FIELDS["music"]):
            dropped |= set(_TOPIC_FIELDS["music"])
        wanted = asked.wanted_quotes(g.prompt, st)
        if wanted or st.title:
            # a text asked on screen since ("add a title 'Breathe'") settles an earlier "no title"
            # (play28en F4: the export said the file still lacked it)
            dropped.add("no_text")
        again |= {q.casefold() for q in wanted}
        again |= {q.casefold() for q in (*st.removed, *st.replaced)}
    return dropped, again


def settled(items: Any, dropped: set[str]) -> list[Any]:
    """``items`` (facts of what a timeline lacks) without those about the music when a later
    request settled the music (:func:`taken_up`)."""
    found = items if isinstance(items, list) else []
    if "no_music" not in dropped:
        return found
    return [i for i in found if not (isinstance(i, dict) and i.get("kind") in _MUSIC_KINDS)]


def readdressed(gen: Generation, later: list[Generation], now: Timeline) -> bool:
    """Every part ``gen`` asked (one a check reads) was taken back by a later request ("算了顺序不管了")
    or asked again by one that ran (the same quoted text, "标题改回「厦门三日」"; the same kind of
    ask, a length, an order): what the file lacks of it is then said of those later requests,
    never again as this one's (play-test 22 F12). False when it asked something no check reads."""
    stated = asked.read(gen.prompt)
    quotes = asked.wanted_quotes(gen.prompt, stated)
    # An ask no check reads, taken back later ("…标题字再大一点", then "字体算了不管了"): no ask left
    # of it, never one this file lacks (play26zh F9)
    gone = {
        topic
        for g in later
        if g.project_id == gen.project_id
        for topic in asked.withdrawn(asked._zh_gaps(g.prompt))
    }
    unread = _open_in_file(gen.prompt, now)
    open_asks = [a for a in unread if not (asked.ask_topics(a) & gone)]
    if open_asks:
        return False
    if stated == asked.Asked() and not quotes:
        return bool(unread)  # what no check reads, all taken back ("bgm来点别的", "算了 音乐不换了")
    dropped, again = taken_up(gen, later)
    whole = {  # texts a later request that ran asked on screen the whole video
        q.casefold()
        for g in later
        if g.project_id == gen.project_id and not never_ran(g)
        for q in asked.read(g.prompt).text_whole
    }
    left = {
        f.name: getattr(stated, f.name)
        for f in fields(stated)
        if f.name not in dropped and getattr(stated, f.name) != f.default
    }
    for name in _QUOTE_FIELDS:
        if name in left:
            left[name] = tuple(pair for pair in left[name] if str(pair[0]).casefold() not in again)
    if "text_whole" in left:  # asked whole again later; another ask of the same text says nothing of it
        left["text_whole"] = tuple(q for q in left["text_whole"] if str(q).casefold() not in whole)
    for name in ("removed", "replaced"):
        if name in left:
            left[name] = tuple(q for q in left[name] if str(q).casefold() not in again)
    if isinstance(left.get("title"), str) and left["title"].casefold() in again:
        left.pop("title")
    return not any(left.values()) and all(q.casefold() in again for q in quotes)


def cut_off_reply(gen: Generation, lang: Lang) -> str:
    """A cut-off request once its outcome is known: what landed, or that it changed nothing."""
    if gen.timeline_changed:
        return landed_reply(gen, lang)
    since = msg("ago.minutes", minutes=round((time.time() - (gen.ended_at or gen.created_at)) / 60))
    return t("landing.nothing", lang, prompt=cap(gen.prompt, 80), ago=since)


def taken_over_line(taken: dict[str, Any], gen: Generation, lang: Lang) -> str:
    """How a taken-over turn's result is known: the timeline stopped changing, or the follower
    gave up after some minutes with it still changing (or never changed)."""
    if taken.get("stable"):
        return t("agent.taken_over", lang, prompt=cap(gen.prompt, 80))
    minutes = taken.get("minutes")
    told = f"{minutes:g}" if isinstance(minutes, int | float) else "?"
    return t("agent.taken_over_unsettled", lang, prompt=cap(gen.prompt, 80), minutes=told)


def turn_steps(gen: Generation, lang: Lang, poll_s: int = 15) -> list[str]:
    """What to call next after a turn (words for the assistant, never in ``reply``)."""
    facts = turn_facts(gen)
    steps = [t("next.named_now", lang, name=facts["named"])] if isinstance(facts.get("named"), str) else []
    if facts.get("error") and facts.get("accepted"):  # broke once NemoVideo had it: never resend
        steps.append(t("error.turn_failed.remedy", lang))
    steps += _turn_steps(gen, facts, lang, poll_s)
    asides = side_questions(gen.prompt) if gen.route in (None, "agent") else []
    if asides and gen.status is not TurnState.FAILED:
        steps.append(t("next.side_question", lang, questions=quote_list(asides, lang)))
    return steps


_QUESTION_SENTENCE = re.compile(r"[^.!?。！？\n]*[?？]+")
_CLAUSE_BREAK = re.compile(r"[,，;；:：]")


# A clause said as a question without a question mark, as chats are typed: "这个音乐能商用吗",
# "投广告会不会有版权问题" (A不A), "这音乐能商用不", "is the music ok for ads".
_ZH_ASKS = re.compile(
    r"[吗么嘛呢]\s*$|(?<![要别])不\s*$|(.)不\1|是否|能否|有没有|为什么|为啥|怎么|咋|什么|啥"
)
_EN_ASKS = re.compile(
    r"(?i)^(?:is|are|am|was|were|do|does|did|can|could|may|will|would|should|how|what|why|where|when"
    r"|which|who)\b"
)
_ASIDE_WORD = re.compile(
    r"^(?:对了|顺便问一下|顺便问下|顺便问问|顺便说一下|顺便|另外问一下|还有个问题|还想问一下|想问一下)"
    r"|(?i:^(?:btw|by\s+the\s+way|also\s+quick\s+q(?:uestion)?|quick\s+q(?:uestion)?|one\s+more\s+question)\b[\s,:]*)"
)


def side_questions(prompt: str) -> list[str]:
    """Questions beside the request in its words ("做个视频，这音乐能商用不？"): sent with it, so
    only the agent's reply may answer them; nothing here checks them. Not a polite request
    ("can you make it louder?"), which is the request itself. Also one typed without a question
    mark, as chats are ("…调到20% 对了这个音乐能商用吗 我们要投信息流广告的", play-test 22 F6): a
    clause that reads as a question (吗/呢, A不A, "is …") and that the router reads as one."""
    out = []
    for sentence in _QUESTION_SENTENCE.findall(prompt):
        question = _CLAUSE_BREAK.split(sentence)[-1].strip()
        if question.strip("?？ ") and route(question).action not in (Action.AGENT, Action.REPEAT):
            out.append(question)
    if out:
        return out
    for clause in re.split(r"[.!?。！？\n,，;；:：]", asked._asides(asked._zh_gaps(prompt))):
        question = _ASIDE_WORD.sub("", clause.strip()).strip()
        plain = asked._QUOTED.sub(" ", question)  # a caption's words are no question
        said_so = _ZH_ASKS.search(plain) if not plain.isascii() else _EN_ASKS.match(plain)
        if question and said_so and route(question).action is Action.ASK:
            out.append(question)
    return out


# Words that speak of a question's topic in the agent's reply: of rights, or of cost.
_RIGHTS_WORDS = re.compile(
    r"(?i)licen[cs]|copyright|royalt|commercial|\bads?\b|advert|rights|permitted|allowed|terms"
    r"|商用|版权|授权|侵权|广告|许可|条款"
)
_COST_QUESTION = re.compile(r"(?i)\bcost|price|credits?|how much|charge|积分|费用|价格|多少钱|收费|扣")
_COST_WORDS = re.compile(r"(?i)\bcost|price|credits?|charge|积分|费用|价格|收费")
_STOP_WORDS = frozenset(
    {
        "what", "which", "where", "when", "will", "would", "could", "should", "there", "their", "about",
        "this", "that", "with", "from", "have", "does", "your", "mine", "into", "also", "just", "like",
        "gonna",
    }
)  # fmt: skip


_ZH_STOP = frozenset({"这个", "可以", "能不", "是不", "不是", "什么", "一下"})


def _spoken_of(question: str, words: str) -> bool:
    """Whether the agent's ``words`` speak of ``question``'s topic at all (not whether they are right)."""
    if not words.strip():
        return False
    if rights_question(question):
        return bool(_RIGHTS_WORDS.search(words))
    if _COST_QUESTION.search(question):
        return bool(_COST_WORDS.search(words))
    low = words.casefold()
    # A name the reply quotes ("已将音乐换成「Lo-fi Chill (free music)」") is what it acted on: the
    # question's words for that name ("Lo-fi Chill这个歌算温柔的吗") are its subject, never its
    # topic, so a reply that only names the song does not speak of it (play26zh F10).
    names = " ".join(m.group(0) for m in asked._QUOTED.finditer(words)).casefold()
    en = {w for w in re.findall(r"[a-z]{5,}", question.casefold()) if w not in _STOP_WORDS and w not in names}
    zh = {
        question[i : i + 2]
        for i in range(len(question) - 1)
        if re.fullmatch(r"[\u4e00-\u9fff]{2}", question[i : i + 2]) and question[i : i + 2] not in names
    }
    return any(w in low for w in en) or any(
        b in words for b in zh - {"这个", "可以", "能不", "是不", "不是", "什么"}
    )


def side_question_lines(gen: Generation, words: str, lang: Lang) -> list[str]:
    """Questions the request asked beside it (sent with it, so only the agent could answer them):
    that they went, whether the agent's reply speaks of them, and for one about the right to use
    the music our own fact, that its licence is not documented (play-test 20 F6)."""
    if gen.route not in (None, "agent") or gen.status is TurnState.FAILED:
        return []
    asides = side_questions(gen.prompt)
    if not asides:
        return []
    answered = [q for q in asides if _spoken_of(q, words)]
    out = []
    if answered:
        out.append(t("asked.side_question_answered", lang, questions=quote_list(answered, lang)))
    unanswered = [q for q in asides if q not in answered]
    if unanswered:
        out.append(t("asked.side_question_unanswered", lang, questions=quote_list(unanswered, lang)))
    if any(rights_question(q) for q in asides):
        out.append(t("music.licence_unknown", lang))
    return out


def _turn_steps(gen: Generation, facts: dict[str, Any], lang: Lang, poll_s: int) -> list[str]:
    if gen.status is TurnState.FAILED:
        return [t("next.status_later", lang, seconds=poll_s)] if gen.timeline_changed else []
    if gen.timeline_changed is False:
        # Nothing changed: say so first; exporting would only save what was there before.
        cost = cost_of(gen)
        left = cost.left if cost else None
        return [no_change_step(already_as_asked(gen, lang), left, lang, withdrawn(gen))]
    asks = translate(said(gen, lang)).actions
    steps = []
    taken = facts.get("taken_over")
    unsettled = isinstance(taken, dict) and not taken.get("stable")
    if (gen.timeline_changed is None and gen.status is not TurnState.INTERRUPTED) or unsettled:
        steps.append(t("next.status_to_see", lang, seconds=poll_s))  # what changed: status reads it
    unmet = not_as_asked(gen, lang, named=False)  # no backend names in next_steps
    if withdrawn(gen):  # the user cancelled it: no paid fix of a video they no longer wanted
        steps.append(t("next.landed_withdrawn", lang))
    elif unmet:  # the fix, not the file: exporting would save what the user said they don't want
        cost = cost_of(gen)
        low = cost is not None and cost.left is not None and cost.left < EDIT_COST  # (play28zh F19)
        key = "next.not_as_asked_low" if low else "next.not_as_asked"
        steps.append(t(key, lang, items=t("asked.sep", lang).join(unmet), cost=EDIT_COST))
    if absent_files(gen):  # the fix is an upload first: a request alone can't use a file never sent
        steps.append(t("next.no_such_file", lang, names=quote_list(absent_files(gen), lang)))
    missing = missing_quotes(gen)
    if missing:
        steps.append(t("next.missing_quotes", lang, texts=quote_list(missing, lang)))
    unchecked = not_checked(gen)
    if unchecked:
        steps.append(t("next.not_checked", lang, items=quote_list(unchecked, lang)))
    if gen.timeline_changed and facts.get("export_before"):
        steps.append(t("next.export_before", lang))
    if Action.UPLOAD in asks:
        steps.append(t("next.upload", lang))
    if Action.EXPORT in gen.held_back:
        steps.append(t("next.export_held", lang))  # "don't export yet": no export step at all
    elif gen.timeline_changed and not unmet and asks_export_now(gen.prompt):
        # "…然后导出": the user asked for the file; generate never exports (play28en #59)
        steps.append(t("next.export_asked", lang))
    elif (gen.timeline_changed or Action.EXPORT in asks) and not unmet:
        steps.append(t("next.export", lang))
    return steps


def no_change_step(already: list[str], left: float | None, lang: Lang, withdrawn: bool = False) -> str:
    """After a request that changed nothing: it was already as asked (nothing to send again); the
    user withdrew it while it ran (nothing to undo, nothing to offer again); or another try, which
    costs as much again (and needs credits first when too few are left)."""
    if already:
        return t("next.already_as_asked", lang, items=t("asked.sep", lang).join(already))
    if withdrawn:
        return t("next.no_change_withdrawn", lang)
    if left is not None and left < EDIT_COST:
        return t("next.no_change_low", lang)
    return t("next.no_change", lang, cost=EDIT_COST)


def turn_answer(gen: Generation, lang: Lang, more: str) -> TurnAnswer:
    cost = cost_of(gen)
    return TurnAnswer(
        request=gen.prompt,
        reply=turn_reply(gen, lang, more),
        timeline_changed=gen.timeline_changed,
        changes=changes(gen, lang),
        not_as_asked=not_as_asked(gen, lang),
        as_asked=as_asked(gen, lang),
        not_checked=not_checked(gen),
        withdrawn=withdrawn(gen),
        credits_used=cost.used if cost else None,
        credits_left=cost.left if cost else None,
        interrupted=gen.status is TurnState.INTERRUPTED,
        agent_says=said(gen, lang) or None,
    ).unnamed(not_as_asked(gen, lang, named=False))


@dataclass(frozen=True)
class CancelFacts:
    """What a cancel's answer needs besides its record: the project's request still running
    (sent, so it can't be recalled), whether a request of the project was sent (and charged),
    and the current project a request never sent was for (it stays, with its media)."""

    running: Generation | None = None
    running_cost: int = EDIT_COST  # about what it costs (charged when it was sent)
    # Sent, and finished before this cancel but not told yet (status tells what it changed): it
    # leads the answer as a running one would, else "cancel" reads as if it were stopped.
    landed: Generation | None = None
    charged: bool = False
    project: str | None = None
    media: tuple[str, ...] = ()
    media_total: int = 0
    # The request a repeat never sent would have redone ("再来一次", then "算了"): sent before, and
    # charged; the repeat's record bears its words, so it is named as sent, not "never sent".
    original: Generation | None = None
    # Words beside the cancel that say what is still wrong ("音乐还没去掉"): not sent, quoted back.
    aside: tuple[str, ...] = ()


def turn_done_line(turn: Generation, lang: Lang) -> str:
    """A request that ended before the cancel: that it ended (never "finished", read as done as
    asked), and from its record whether it changed the timeline and what it cost."""
    said = [t("cancel.turn_done", lang, prompt=cap(turn.prompt, 60))]
    if turn.sent_at is not None and turn.timeline_changed is not None:
        said.append(
            t("cancel.turn_done.changed" if turn.timeline_changed else "cancel.turn_done.unchanged", lang)
        )
    cost = cost_of(turn) if turn.sent_at is not None else None
    if cost is not None and cost.used:
        said.append(t("cancel.turn_done.cost", lang, cost=f"{cost.used:g}"))
    return join_sentences(said, lang)


def cancel_reply(rec: Cancel, turn: Generation | None, lang: Lang, facts: CancelFacts | None = None) -> str:
    """What a cancel did. A request of the project that was sent and still runs comes first
    (named, its cost, that it goes on: never "ask to undo it", another paid request), so nothing
    said after it reads as "nothing was charged". Then the session's most recent request
    (``turn``): never sent, so nothing of it to cancel or charge, and its project stays; or
    already answered. Then the renders it stopped, else why there was nothing to stop."""
    facts = facts or CancelFacts()
    running = facts.running
    landed = facts.landed if running is None else None
    parts = []
    if running is not None:
        parts.append(t("cancel.running", lang, prompt=cap(running.prompt, 60), cost=facts.running_cost))
    elif landed is not None:
        parts.append(t("cancel.landed", lang, prompt=cap(landed.prompt, 60), cost=facts.running_cost))
    sent = running or landed
    if turn is not None and turn.status is TurnState.NOT_SENT and facts.original is not None:
        # Only the repeat was not sent; the request it would redo was, and was charged.
        parts.append(t("cancel.repeat_not_sent", lang, prompt=cap(turn.prompt, 60)))
    elif turn is not None and turn.status is TurnState.NOT_SENT:
        # "Nothing was charged" only when no request of the project was sent at all.
        key = "cancel.not_sent_it" if sent is not None or facts.charged else "cancel.not_sent"
        parts.append(t(key, lang, prompt=cap(turn.prompt, 60)))
        if facts.project is not None and sent is None:  # beside a sent request: said above
            parts.append(kept_line(facts, lang))
    elif (
        turn is not None
        and turn.status is not TurnState.RUNNING
        and not rec.renders
        and (sent is None or sent.id != turn.id)
    ):
        parts.append(turn_done_line(turn, lang))
    if rec.renders:
        parts.append(t("cancel.done", lang))
    elif parts:
        pass  # the latest request was said above; an older export is not what "that" means
    elif rec.saved_path and not rec.agent_running:
        parts.append(t("cancel.already_saved", lang, path=rec.saved_path))
    elif not rec.agent_running:
        parts.append(t("cancel.nothing", lang))
    if rec.agent_running and running is None:  # a job runs whose record wasn't found: said plainly
        parts.append(t("cancel.agent_running", lang))
    if facts.aside:  # play25zh S1: "停止 先别导出了 音乐还没去掉" had been sent as a paid edit
        words = cap(t("asked.sep", lang).join(facts.aside), 120)
        parts.append(t("held.aside", lang, words=words, cost=EDIT_COST))
    return "\n\n".join(parts)


def kept_line(facts: CancelFacts, lang: Lang) -> str:
    """The project a request never sent was for: still there and current, with its media."""
    if not facts.media_total:
        return t("cancel.project_kept", lang, name=facts.project)
    more = t("list.sep", lang) + "…" if facts.media_total > len(facts.media) else ""
    names = quote_list(facts.media, lang) + more
    return t("cancel.project_kept_media", lang, name=facts.project, n=facts.media_total, names=names)


def file_size(size_bytes: int | None) -> str:
    """A file's size as a person reads it: MB from 0.1 MB up, else KB ("32 KB"), never "0.0 MB",
    which reads as an empty file (play-test 22 F14: a valid 10 s video with a silent track)."""
    if size_bytes is None:
        return "? MB"
    if size_bytes >= 0.1 * 1024**2:
        return f"{size_bytes / 1024**2:.1f} MB"
    if size_bytes >= 1024:
        return f"{max(1, round(size_bytes / 1024))} KB"
    return f"{size_bytes} B"


def export_done(rec: Render, project_url: str | None, lang: Lang, *, team_member: bool = False) -> str:
    """A verified export: where it is (the saved file, or in hosted mode its link) and the file's
    own facts (probed, not the timeline's). A team member is told why the web editor is not
    offered (it is the team owner's)."""
    facts = t(
        "export.facts",
        lang,
        seconds=f"{rec.duration_s:.1f}" if rec.duration_s is not None else "?",
        width=rec.width or "?",
        height=rec.height or "?",
        size=file_size(rec.size_bytes),
    )
    if rec.local_path:
        reply = t("export.done", lang, path=rec.local_path, facts=facts)
    else:
        reply = t("export.ready_link", lang, url=rec.output_url, facts=facts)
    if project_url:
        reply += "\n" + t("export.project_link", lang, url=project_url)
    elif team_member:
        reply += "\n" + t("export.project_link_team", lang)
    return reply


def export_progress(rec: Render, timeline: TimelineView, lang: Lang) -> str:
    """A render not saved yet: its trouble, or its progress and what the timeline says it will be."""
    if rec.error:
        return t("export.trouble", lang, render_id=rec.id, error=rec.error)
    pct = f"{rec.progress:.0f}%" if rec.progress is not None else "…"
    reply = t("export.rendering", lang, pct=pct)
    if timeline.duration_s and timeline.width and timeline.height:
        reply = join_sentences(
            [
                reply,
                t(
                    "export.will_be",
                    lang,
                    seconds=f"{timeline.duration_s:g}",
                    width=timeline.width,
                    height=timeline.height,
                    ratio=timeline.aspect_ratio or "?",
                ),
            ],
            lang,
        )
    return reply


def ready(e: ExportItem) -> bool:
    """A verified export to be had: its file on this computer, or (hosted mode, where no file is
    kept) the link it was verified at."""
    return e.status == "downloaded" and bool(e.path or e.url)


def export_line(e: ExportItem, lang: Lang, here: str | None = None) -> str:
    """One export as listed; ``here``: the id of the project whose timeline was read (an older
    file of another project is said older than that project's timeline, not "the current" one)."""
    where = f" [{e.project_name}]" if e.project_name else ""
    when = e.created_at[:16].replace("T", " ")
    if ready(e):
        size = file_size(e.size_bytes)
        dims = f"{e.width}x{e.height}" if e.width and e.height else "?"
        length = t("timeline.seconds", lang, n=f"{e.duration_s:.1f}") if e.duration_s is not None else "?"
        mark = {False: "status.outdated", True: "status.current", None: ""}[e.matches_timeline]
        if e.matches_timeline is False and here is not None and e.project_id != here:
            mark = "status.outdated_elsewhere"
        fresh = t("sentence.sep", lang) + t(mark, lang) if mark else ""
        return f"- {e.path or e.url}{where} ({length}, {dims}, {size}){fresh}"
    state = (
        t(f"render.state.{e.status}", lang)
        if e.status in ("failed", "cancelled", "missing")
        else t("render.state.rendering", lang) + (f" {e.progress:.0f}%" if e.progress is not None else "")
    )
    extra = f" ({e.error})" if e.error and e.status != "cancelled" and e.error != e.status else ""
    if e.matches_timeline is False and e.status not in ("failed", "cancelled", "missing"):
        extra += " " + t("status.rendering_outdated", lang)  # its file won't have the later changes
    return f"- {when}{where}: {state}{extra}"


def status_text(out: StatusOutput, notes: list[str], lang: Lang, *, team_member: bool = False) -> str:
    parts = [*notes, *out.replies]
    if out.project is None:
        parts.append(t("status.no_project", lang))
    else:
        # A project shown with status(project=…) is not made current: its label says so.
        label = "status.project" if out.project.current else "status.project_shown"
        parts.append(t(label, lang, name=out.project.name, created=out.project.created_at[:10]))
        # Once is enough: an answer above that built the timeline already shows it.
        if out.timeline is not None and not any(out.timeline.summary in r for r in out.replies):
            parts.append(out.timeline.summary)
        if out.media:
            more = out.media_total - len(out.media)
            listed = quote_list([m.name for m in out.media], lang)
            media = t("status.media", lang, n=out.media_total, names=listed)
            parts.append(join_sentences([media, t("status.more", lang, n=more) if more > 0 else ""], lang))
        if out.project.project_url:
            parts.append(t("export.project_link", lang, url=out.project.project_url))
        elif team_member:
            parts.append(t("export.project_link_team", lang))
    saved = [e for e in out.exports if ready(e)]
    other = [e for e in out.exports if e not in saved]
    if out.exports_total and out.project is not None and not out.project_exported:
        # Before the lists it speaks of ("the saved videos below are of other projects").
        parts.append(t("status.no_exports_here", lang, name=out.project.name))
    if saved:
        head = t("status.saved" if all(e.path for e in saved) else "status.ready", lang, n=len(saved))
        here = out.project.id if out.project is not None else None
        parts.append(head + "\n" + "\n".join(export_line(e, lang, here) for e in saved))
    if other:
        head = t("status.other_exports", lang)
        parts.append(head + "\n" + "\n".join(export_line(e, lang) for e in other))
    if out.exports_total == 0:
        parts.append(t("status.no_exports", lang))
    elif out.pages > 1 and (out.project is None or out.project_exported):
        parts.append(t("status.page", lang, n=out.exports_total, page=out.page, pages=out.pages))
    if out.projects_total > 1:
        names = t("list.sep", lang).join((p.name + (" ✓" if p.current else "")) for p in out.projects)
        parts.append(t("status.projects", lang, n=out.projects_total, names=names))
    if out.working:
        parts.append(t("status.working", lang, items="; ".join(out.working)))
    if out.elsewhere:
        parts.append("\n".join(out.elsewhere))
    return "\n\n".join(p for p in parts if p)


def refused_line(gen: Generation, lang: Lang) -> str:
    """A project whose only request was not sent (too few credits, or its cost not confirmed):
    what was asked and why nothing was made, rather than only "Timeline is empty"."""
    reason = gen.fact_map.get("not_sent")
    key = "status.refused.cannot_run" if reason == "cannot_run" else "status.refused.confirm"
    return t("status.refused", lang, prompt=cap(gen.prompt, 80), reason=t(key, lang))


def status_steps(
    out: StatusOutput,
    lang: Lang,
    cancelled_now: bool = False,
    export_held: bool = False,
    left_now: float | None = None,
) -> list[str]:
    """``export_held``: the session's latest request said not to export yet. ``left_now``: the
    balance read for this answer (a credit hint from it, not from the answer's time)."""
    steps = []
    for answer in out.answers:  # an answer that changed nothing, or not as asked, comes first
        if answer.timeline_changed is False and not answer.interrupted:
            already = answer.as_asked if not (answer.not_as_asked or answer.not_checked) else []
            left = left_now if left_now is not None else answer.credits_left
            steps.append(no_change_step(already, left, lang, answer.withdrawn))
        if answer.withdrawn and answer.timeline_changed:  # cancelled, yet it landed: no paid fix offered
            steps.append(t("next.landed_withdrawn", lang))
        elif answer.unmet_unnamed:  # said without the backend's names (next_steps are ours alone)
            items = t("asked.sep", lang).join(answer.unmet_unnamed)
            steps.append(t("next.not_as_asked", lang, items=items, cost=EDIT_COST))
        if answer.not_checked and answer.timeline_changed is not False:
            steps.append(t("next.not_checked", lang, items=quote_list(answer.not_checked, lang)))
    if out.poll_after_s is not None and out.project is not None:
        name = out.project.name or out.project.id
        steps.append(t("next.status_later_in", lang, seconds=out.poll_after_s, project=name))
    elif out.poll_after_s is not None:
        steps.append(t("next.status_later", lang, seconds=out.poll_after_s))
    if out.project is None:
        steps.append(t("next.start", lang))
    elif export_held:
        steps.append(t("next.export_held", lang))
    elif out.exportable and not out.working and not out.export_current and not cancelled_now and not steps:
        steps.append(t("next.export", lang))
    elif out.timeline is not None and not out.exportable and out.media_total and not out.working:
        steps.append(t("next.generate_from_media", lang))  # media, but no video asked for yet
    if out.pages > out.page:
        steps.append(t("next.more_exports", lang, page=out.page + 1))
    return steps


# --- credits ---------------------------------------------------------------------------------


def spent_text(total: Spent, by_project: list[tuple[str, Spent]], lang: Lang, held: float = 0.0) -> str:
    """What this conversation's requests cost: how many were sent (as ``session_requests``), the
    sum of their own costs, the joint figure of those that ran at once (each group once), per
    project when several, and plainly which costs are not known (yet). ``held``: the credits the
    balance reserves for running jobs now, said beside the project whose request runs."""
    requests = total.counted + total.shared + total.unknown + total.running + total.grouped + total.pending
    if not requests:
        return t("credits.session.none", lang)
    one = requests == 1
    if total.counted == requests:  # every one's own cost is known
        parts = [
            t(
                "credits.session.all.one" if one else "credits.session.all",
                lang,
                n=requests,
                used=f"{total.used:g}",
            )
        ]
    else:
        parts = [t("credits.session.sent.one" if one else "credits.session.sent", lang, n=requests)]
        if total.counted:
            key = "credits.session.own.one" if total.counted == 1 else "credits.session.own"
            parts.append(t(key, lang, n=total.counted, used=f"{total.used:g}"))
        if total.grouped:
            key = "credits.session.together"
            if total.grouped == 1:  # its partner was another conversation's
                key = "credits.session.together.one"
            elif total.groups == 1:
                key = "credits.session.together.group"
            parts.append(t(key, lang, n=total.grouped, used=f"{total.together:g}"))
        if total.counted and total.grouped:
            parts.append(t("credits.session.sum", lang, used=f"{total.used + total.together:g}"))
    if by_project and len(parts):  # which project spent it, also when it is only one
        # "; " between projects: the names in one project's "shared with" list are joined by ", "
        # (play22en F12: one separator for both read as one project shared with all the rest).
        alone = sum(1 for _, p in by_project if p.running) == 1
        items = t("asked.sep", lang).join(project_spent(name, p, lang, held, alone) for name, p in by_project)
        parts.append(t("credits.session.by_project", lang, items=items))
    if total.shared:
        parts.append(t("credits.session.shared", lang, n=total.shared, joint=f"{total.joint:g}"))
    if total.pending:
        key = "credits.session.pending.one" if total.pending == 1 else "credits.session.pending"
        parts.append(t(key, lang, n=total.pending))
    if total.unknown:
        key = "credits.session.unknown.one" if total.unknown == 1 else "credits.session.unknown"
        parts.append(t(key, lang, n=total.unknown))
    if total.running:
        # credits held for it: never also "not charged yet" beside the amount held (gap 6)
        key = "credits.session.running_held" if held > 0 else "credits.session.running"
        parts.append(t(key + ".one" if total.running == 1 else key, lang, n=total.running))
    return join_sentences(parts, lang)


def _running(p: Spent, lang: Lang, held: float, alone: bool) -> str:
    """A project's requests still running, with the credits the balance holds for them (play-test
    gap 6: "50 (1)" said nothing of the 50 held for the request still running there)."""
    if held <= 0:
        return t("credits.session.project.running", lang, n=p.running)
    key = "credits.session.project.running_held" if alone else "credits.session.project.running_held_shared"
    return t(key + ".one" if p.running == 1 else key, lang, n=p.running, held=f"{held:g}")


def project_spent(name: str, p: Spent, lang: Lang, held: float = 0.0, alone: bool = True) -> str:
    """One project's part: its requests' own costs, and those whose cost is shared with another
    project's (never "0 (0)", which reads as free: play19en F4); its requests still running, with
    the credits ``held`` for running jobs (``alone``: no other project's request runs)."""
    line = _project_spent(name, p, lang, held, alone)
    if p.running and (p.counted or p.grouped + p.pending + p.shared):
        line = t("credits.session.project.join", lang).join([line, _running(p, lang, held, alone)])
    return line


def _project_spent(name: str, p: Spent, lang: Lang, held: float, alone: bool) -> str:
    own = t("credits.session.project", lang, name=name, used=f"{p.used:g}", n=p.counted)
    shared = p.grouped + p.pending + p.shared
    if not p.counted and not shared and (p.running or p.unknown):
        # nothing of it charged or known yet: never "0 (0)" (play23en F7: a first request running)
        said = []
        if p.running:
            said.append(_running(p, lang, held, alone))
        if p.unknown:
            said.append(t("credits.session.project.unknown", lang, n=p.unknown))
        return t(
            "credits.session.project.only_shared",
            lang,
            name=name,
            shared=t("credits.session.project.join", lang).join(said),
        )
    if not shared:
        return own
    others = quote_list([n for n in p.with_projects if n != name], lang) or "—"
    with_ = t("credits.session.project.shared", lang, n=shared, others=others)
    if not p.counted:
        return t("credits.session.project.only_shared", lang, name=name, shared=with_)
    return t("credits.session.project.and_shared", lang, own=own, shared=with_)


def credits_reply(
    available: float,
    frozen: float,
    total: float,
    spent_line: str,
    more: str | None,
    lang: Lang,
    *,
    added: tuple[float, str] | None = None,
    fell: float | None = None,
    last: tuple[str, float] | None = None,
    ours: float | None = None,
) -> str:
    """The balance, what this conversation spent, and (when too little is left) how to get more.
    ``added``: how much the total rose since the balance was last read, and when that was.
    ``fell``: how much the balance fell since the conversation started (credits added apart);
    ``ours``: what this conversation's requests used, when all of it is known: the rest of the
    fall was used elsewhere, said plainly (play19en F4)."""
    reply = t("credits.text", lang, available=f"{available:g}", frozen=f"{frozen:g}", total=f"{total:g}")
    if added is not None:
        reply = join_sentences([reply, t("credits.added", lang, added=f"{added[0]:g}", ago=added[1])], lang)
    if more is not None:  # too little for any request: how to get more, here too
        reply = join_sentences([reply, more], lang)
    extra = []
    if fell is not None and ours is not None and fell - ours >= 1:
        extra.append(
            t("credits.session.elsewhere", lang, fell=f"{fell:g}", ours=f"{ours:g}", rest=f"{fell - ours:g}")
        )
    elif fell is not None and ours is None:  # not all known: the balance's fall, in all
        extra.append(t("credits.session.fell", lang, fell=f"{fell:g}"))
    if last is not None:
        extra.append(t("credits.session.last", lang, prompt=cap(last[0], 60), used=f"{last[1]:g}"))
    spent_line = join_sentences([spent_line, *extra], lang) if spent_line else join_sentences(extra, lang)
    return reply + ("\n\n" + spent_line if spent_line else "")


# --- uploads ---------------------------------------------------------------------------------


def upload_done(items: list[MediaItem], skipped: list[str], lang: Lang) -> str:
    """An upload saved: what the service has (by the names we sent where it says less), what was skipped."""
    parts = [t("upload.done", lang, n=len(items), names=quote_list([f.name for f in items], lang))]
    if skipped:
        parts.append(t("upload.skipped", lang, names=quote_list(skipped, lang)))
    return "\n\n".join(parts)


def upload_low_credits(balance: float, more: str, lang: Lang) -> str:
    """Said at a new project's upload, before it: too few credits to make a video from it."""
    return t("upload.low_credits", lang, left=f"{balance:g}", cost=EDIT_COST, more=more)


def upload_page_reply(url: str, minutes: int, project: str, paths: int, lang: Lang) -> str:
    """Hosted mode: the page where the user sends files from their device (named paths can't be read)."""
    page = t("upload.page", lang, url=url, minutes=minutes, project=project)
    return join_sentences([t("upload.page_paths", lang), page], lang) if paths else page


def upload_outcome(status: UploadState, names: list[str], error: str | None, lang: Lang) -> str:
    """An upload that ended in the background, told at the next status."""
    key = {UploadState.DONE: "upload.finished", UploadState.FAILED: "upload.failed"}.get(
        status, "upload.interrupted"
    )
    return t(key, lang, names=quote_list(names[:10], lang), error=error or "")


# --- a command held back -----------------------------------------------------------------------


def undo_reply(words: str, last: Generation | None, lang: Lang) -> str:
    """ "Undo that" (NemoVideo has no undo): held, with what the last request changed, from its
    record, and how to have it back (an edit, its cost). ``last``: the project's last request."""
    said = [t("undo.held", lang, words=cap(words, 80))]
    if last is None:
        said.append(t("undo.nothing", lang))
    else:
        told = cap(last.prompt, 80)
        if last.sent_at is None:
            said.append(t("undo.not_sent", lang, asked=told))
        elif last.timeline_changed and (done := changes(last, lang)):
            done_text = cap(t("asked.sep", lang).join(done), 300)
            said.append(t("undo.changed", lang, asked=told, changes=done_text, cost=EDIT_COST))
        elif last.timeline_changed is False:
            said.append(t("undo.unchanged", lang, asked=told))
        else:
            said.append(t("undo.unknown", lang, asked=told, cost=EDIT_COST))
    return join_sentences(said, lang)


def held_reply(
    held: frozenset[Action], lang: Lang, aside: tuple[str, ...] = (), *, rendering: bool = False
) -> str:
    """ "Don't export yet" with nothing else asked: nothing is done and nothing is sent to the
    agent; words beside it that asked for nothing we know are quoted, so none is lost unsaid.
    ``rendering``: an export of the project already runs, and is saved unless cancelled: said."""
    key = "held.other"
    if Action.EXPORT in held:
        key = "held.export_rendering" if rendering else "held.export"
    if not aside:
        return t(key, lang)
    words = cap(t("asked.sep", lang).join(aside), 120)
    return join_sentences([t(key, lang), t("held.aside", lang, words=words, cost=EDIT_COST)], lang)


def held_steps(held: frozenset[Action], lang: Lang, *, rendering: bool = False) -> list[str]:
    if Action.EXPORT not in held:
        return []
    return [t("next.export_held_rendering" if rendering else "next.export_held", lang)]
