"""Whether a timeline has what was asked: ``met`` and ``unmet`` over every field of ``Asked``,
and the per-concern checks judged on one timeline or on the change.
"""

from __future__ import annotations

import re
from typing import Any

from ..timeline import Timeline
from .base import Asked
from .frames import shape_of
from .kept import _clip_lengths
from .music import VOLUME_TOLERANCE
from .orders import _EN_SEQ_STRIP, _ZH_SEQ_STRIP
from .texts import TEXT_TIME_TOLERANCE, _present, _span, _text_segments, in_clip_names
from .words import _music_volumes, _names_clip, _texts, _the_title


# --- a quoted text asked with a clip ---------------------------------------------------------------
def text_on_clip(asked: Asked, tl: Timeline) -> list[dict[str, Any]]:
    """Each quoted text asked with a clip, judged where one clip on the video track is named by
    the word and the text is on screen: "start" met when the text starts within half a second of
    the clip's start, "during" when it starts while the clip shows. ``met`` says which."""
    video = [seg for tr in tl.tracks if tr.kind == "video" for seg in tr.segments]
    out: list[dict[str, Any]] = []
    for text, word, how in asked.text_clip:
        clips = [seg for seg in video if _names_clip(word, seg.name)]
        span = _span(text, tl)
        if len({seg.name for seg in clips}) != 1 or span is None:
            continue
        clip = min(clips, key=lambda seg: seg.start_s)
        ends = clip.end_s if clip.end_s is not None else clip.start_s
        # "when it shows up": the text starts with the clip; "on it": while the clip shows
        met = abs(span[0] - clip.start_s) <= 0.5 if how == "start" else clip.start_s - 0.5 <= span[0] < ends
        found = f"{span[0]:g}-{span[1]:g}" if span[1] is not None else f"{span[0]:g}"
        clip_at = f"{clip.start_s:g}-{ends:g}"
        out.append(
            {
                "kind": "text_clip",
                "name": text,
                "clip": clip.name,
                "at": clip_at,
                "found": found,
                "how": how,
                "met": met,
            }
        )
    return out


# --- a quoted text asked at a time ----------------------------------------------------------------
def _text_timed(asked: Asked, tl: Timeline, met: bool) -> list[dict[str, Any]]:
    """Each quoted text asked at a time whose start is (``met``) or is not within the tolerance,
    and each asked over a span whose start and end are (or are not); a text nowhere on the text
    track is left to the quoted-text check."""
    out: list[dict[str, Any]] = []
    for text, at in asked.text_time:
        segs = _text_segments(text, tl)
        if not segs:
            continue
        nearest = min((seg.start_s for seg in segs), key=lambda s: abs(s - at))
        if (abs(nearest - at) <= TEXT_TIME_TOLERANCE) is met:
            out.append({"kind": "text_time", "name": text, "asked": at, "found": round(nearest, 1)})
    for text, at, until in asked.text_span:
        segs = [seg for seg in _text_segments(text, tl) if seg.end_s is not None]
        if not segs:
            continue  # nowhere, or its end unknown: not judged here
        best = min(segs, key=lambda seg: abs(seg.start_s - at) + abs((seg.end_s or 0) - until))
        ok = (
            abs(best.start_s - at) <= TEXT_TIME_TOLERANCE
            and abs((best.end_s or 0) - until) <= TEXT_TIME_TOLERANCE
        )
        if ok is met:
            span = f"{best.start_s:g}-{best.end_s:g}"
            out.append({"kind": "text_span", "name": text, "asked": [at, until], "found": span})
    length = tl.duration_s
    for text in asked.text_whole:
        segs = [seg for seg in _text_segments(text, tl) if seg.end_s is not None]
        if not segs or length is None:
            continue  # nowhere (the quoted-text check says so), or an end unknown: not judged
        best = max(segs, key=lambda seg: (seg.end_s or 0) - seg.start_s)
        ok = best.start_s <= TEXT_TIME_TOLERANCE and (best.end_s or 0) >= length - TEXT_TIME_TOLERANCE
        if ok is met:
            out.append({"kind": "text_whole", "name": text, "found": f"{best.start_s:g}-{best.end_s:g}"})
    return out


# --- quoted texts asked to go, or to be replaced ---------------------------------------------------
def _text_placed(asked: Asked, tl: Timeline) -> list[tuple[str, str, str | None, bool]]:
    """Each quoted text asked at a place: (text, place, where it is "3-6", met); skipped where
    the text is nowhere (the quoted-text check says that) or the length is unknown."""
    out: list[tuple[str, str, str | None, bool]] = []
    length = tl.duration_s
    for text, where in asked.text_at:
        wanted = text.casefold()
        segs = [
            seg
            for tr in tl.tracks
            if tr.kind == "text"
            for seg in tr.segments
            if seg.name and wanted in seg.name.casefold()
        ]
        if not segs or not length:
            continue
        if where == "end":
            # One that starts with the video is at its start, whatever its length: on a 3 s video
            # a caption at 0-3 s is never "at the end" (play25zh F5).
            met = any(
                seg.start_s > 0.5
                and ((seg.end_s or seg.start_s) >= length - 0.5 or seg.start_s >= length / 2)
                for seg in segs
            )
        else:
            met = any(seg.start_s <= 0.5 for seg in segs)
        seg = segs[0]
        span = f"{seg.start_s:g}-{seg.end_s:g}" if seg.end_s is not None else f"{seg.start_s:g}"
        out.append((text, where, span, met))
    return out


# --- the video as it was, asked to stay beside a new one ------------------------------------------
def frame_kept(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The video as it was asked to stay beside a new one ("keep the wide one"), judged on the
    change: the frame before against the one after (a project holds one video). ``met`` says
    whether the frame is still the one before; not judged without a frame before."""
    if not asked.keep_frame or before is None or not before.tracks_total:
        return None
    if not (before.width and before.height and after.width and after.height):
        return None
    was = [before.width, before.height, before.aspect_ratio]
    now = [after.width, after.height, after.aspect_ratio]
    met = shape_of(before.width, before.height) is shape_of(after.width, after.height)
    return {"kind": "version_replaced", "before": was, "found": now, "met": met}


# --- a text asked to stay, or the title asked at a place (unquoted) --------------------------------
def title_placed(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The title asked at a place unquoted ("put that title at the end"), judged on the change: the
    title the timeline had before the request, where it is after it (``met`` says whether at the
    place asked); missing after it, said so. Not judged when the timeline before had no one title."""
    if asked.title_at is None or before is None or asked.text_at:
        return None
    name = _the_title(before)
    if name is None:
        return None
    if not any(seg.name.casefold() == name.casefold() for seg in _texts(after)):
        return {"kind": "quote_missing", "name": name, "met": False}
    placed = _text_placed(Asked(text_at=((name, asked.title_at),)), after)
    if not placed:
        return None
    text, where, span, ok = placed[0]
    return {"kind": "text_at", "name": text, "where": where, "found": span, "met": ok}


def clip_seconds(asked: Asked, tl: Timeline) -> dict[str, Any] | None:
    """Each clip's length asked ("每张图4秒"), judged on the video track: ``met`` when every clip is
    within half a second of it; ``found`` the lengths there are."""
    lengths = _clip_lengths(tl)
    if asked.clip_seconds is None or not lengths:
        return None
    met = all(abs(n - asked.clip_seconds) <= 0.5 for n in lengths)
    found = sorted(set(lengths))[:4]
    return {"kind": "clip_seconds", "asked": asked.clip_seconds, "found": found, "met": met}


def title_kept(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """A request to keep the opening title ("keep the title", "开头的标题别动"), judged on the
    change: the text at the start before the request is still at the start after it (by name);
    not judged when there was none. ``met`` says which."""
    if not asked.keep_title or before is None:
        return None

    def opening(tl: Timeline) -> list[str]:
        return [
            s.name
            for tr in tl.tracks
            if tr.kind == "text"
            for s in tr.segments
            if s.name and s.start_s <= 0.5
        ]

    was = opening(before)
    if not was:
        return None
    now = {n.casefold() for n in opening(after)}
    met = all(n.casefold() in now for n in was)
    return {"kind": "title_kept", "name": was[0], "met": met}


def volume_moved(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The music asked quieter or louder, judged on the change: the loudest music before and after
    (a known volume on both sides, else not judged). ``met`` says whether it moved that way."""
    if asked.music_rel is None or before is None:
        return None
    was, now = _music_volumes(before), _music_volumes(after)
    if not was or not now:
        return None
    old, new = max(was), max(now)
    met = new < old if asked.music_rel == "down" else new > old
    return {"kind": "volume_moved", "way": asked.music_rel, "before": old, "found": new, "met": met}


# --- the music asked to stay ---------------------------------------------------------------------
def music_kept(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The music asked to stay ("keep the music"), judged on the change: a track after the request,
    one of those before where there were any. ``met`` says which."""
    if not asked.keep_music or before is None or not after.tracks_total:
        return None
    was, now = _music_names(before), _music_names(after)
    met = bool(now) and (not was or bool(was & now))
    return {"kind": "music_kept", "names": sorted(now)[:3], "met": met}


# --- changes the words did not ask for ---------------------------------------------------------
def unmet(asked: Asked, tl: Timeline) -> list[dict[str, Any]]:
    """The constraints the timeline does not have, as facts to keep with the turn's record:
    ``{"kind": "music", "names": [...]}``, ``{"kind": "seconds", "asked": 6, "found": 15}``,
    ``{"kind": "shape", "asked": "square", "width": 1080, "height": 1920}``."""
    found: list[dict[str, Any]] = []
    if asked.no_music:
        playing = [
            seg
            for track in tl.tracks
            if track.kind == "audio"
            for seg in track.segments
            if seg.volume is None or seg.volume > 0
        ]
        if playing:
            names = list(dict.fromkeys(s.name for s in playing if s.name))[:3]
            found.append({"kind": "music", "names": names})
    seconds, length = asked.seconds, tl.duration_s
    if seconds is not None and length is not None and abs(length - seconds) > max(1.0, 0.1 * seconds):
        found.append({"kind": "seconds", "asked": seconds, "found": round(length, 1)})
    if (
        asked.shape is not None
        and tl.width
        and tl.height
        and shape_of(tl.width, tl.height) is not asked.shape
    ):
        found.append({"kind": "shape", "asked": str(asked.shape), "width": tl.width, "height": tl.height})
    texts = [seg for tr in tl.tracks if tr.kind == "text" for seg in tr.segments]
    if asked.no_text and texts:
        found.append({"kind": "text", "names": list(dict.fromkeys(s.name for s in texts if s.name))[:3]})
    limit, at_most = asked.music_under, asked.music_at_most
    loud = [v for v in _music_volumes(tl) if limit is not None and (v > limit if at_most else v >= limit)]
    if loud:
        found.append({"kind": "volume", "asked": limit, "found": max(loud), "at_most": at_most})
    level, volumes = asked.music_at, _music_volumes(tl)
    if level is not None and volumes:
        farthest = max(volumes, key=lambda v: abs(v - level))
        if abs(farthest - level) > VOLUME_TOLERANCE:
            found.append({"kind": "volume_at", "asked": level, "found": farthest})
    sequence = _sequenced(asked, tl)
    for word, where, clip in _placed(asked, tl):
        if clip is not None and clip[0] != clip[1]:
            if sequence is not None and not sequence[0] and (word, where) == (asked.sequence[0], "first"):
                continue  # said with the whole order below
            found.append({"kind": "order", "name": word, "where": where, "found": clip[1]})
    if sequence is not None and not sequence[0]:
        found.append({"kind": "sequence", "names": list(asked.sequence), "found": sequence[1][:8]})
    for text, where, span, ok in _text_placed(asked, tl):
        if not ok:
            found.append({"kind": "text_at", "name": text, "where": where, "found": span})
    found.extend(_text_timed(asked, tl, met=False))
    for text in asked.removed:
        if _present(text, tl):
            found.append({"kind": "text_kept", "name": text})
    if (each := clip_seconds(asked, tl)) is not None and not each.pop("met"):
        found.append(each)
    return found


def name_shown(asked: Asked, tl: Timeline) -> str | None:
    """The name the request gave the video ("called 'Night run crew'"), when the timeline shows it
    as text: not "not as asked" (a video called X titled X is what most people mean), only said."""
    if asked.named_only is None:
        return None
    name = asked.named_only.casefold()
    shown = (seg for tr in tl.tracks if tr.kind == "text" for seg in tr.segments)
    return asked.named_only if any(seg.name.casefold() == name for seg in shown) else None


def _placed(asked: Asked, tl: Timeline) -> list[tuple[str, str, tuple[str, str] | None]]:
    """Each order asked, with (the clip it names, the clip in that place); None where it can't be
    judged: no clip, or more than one, is named by the word, or the track's end is not listed."""
    video = next((tr for tr in tl.tracks if tr.kind == "video" and tr.segments), None)
    out: list[tuple[str, str, tuple[str, str] | None]] = []
    for word, where in asked.order:
        clip: tuple[str, str] | None = None
        if video is not None and (where == "first" or video.segments_total == len(video.segments)):
            ordered = sorted(video.segments, key=lambda seg: seg.start_s)
            named = {seg.name for seg in ordered if _names_clip(word, seg.name)}
            if len(named) == 1:
                clip = (named.pop(), (ordered[0] if where == "first" else ordered[-1]).name)
        out.append((word, where, clip))
    return out


def order_judged(asked: Asked, tl: Timeline) -> bool:
    """Every clip order ``asked`` states can be judged on ``tl`` (its word names one clip)."""
    return all(clip is not None for _, _, clip in _placed(asked, tl)) and (
        not asked.sequence or _sequenced(asked, tl) is not None
    )


def sequence_judged(asked: Asked, tl: Timeline) -> bool:
    """The sequence ``asked`` states can be judged on ``tl``."""
    return _sequenced(asked, tl) is not None


_ITEM_LEAD = re.compile(
    r"(?i)^(?:(?:and|then|first|next|finally|after\s+that|followed\s+by)\s+)+|^(?:然后|再|接着|之后|最后|其次)"
)


def sequence_item(ask: str, asked: Asked) -> bool:
    """``ask`` (one piece of a request cut at commas and "then") only names a clip of the sequence
    ``asked`` states ("then sunrise", "forest last", "最后森林"): said with the sequence."""
    word = _ITEM_LEAD.sub("", ask.strip().rstrip(".!。！")).strip()
    for strip in (_EN_SEQ_STRIP, _ZH_SEQ_STRIP):
        for _ in range(3):
            word = strip.sub("", word).strip()
    return bool(word) and word.replace("\u2024", ".").casefold() in {w.casefold() for w in asked.sequence}


def _sequenced(asked: Asked, tl: Timeline) -> tuple[bool, list[str]] | None:
    """A sequence asked ("sunrise first then beach then forest"): whether the clips it names come
    in that order on the video track, with the track's clips in order (each name once); None where
    it can't be judged (a word names no clip or several, or two words the same clip)."""
    video = next((tr for tr in tl.tracks if tr.kind == "video" and tr.segments), None)
    if not asked.sequence or video is None or video.segments_total != len(video.segments):
        return None
    ordered = list(dict.fromkeys(seg.name for seg in sorted(video.segments, key=lambda seg: seg.start_s)))
    places: list[int] = []
    for word in asked.sequence:
        named = [i for i, name in enumerate(ordered) if _names_clip(word, name)]
        if len(named) != 1 or named[0] in places:
            return None
        places.append(named[0])
    return places == sorted(places), ordered


def unsettled(asked: Asked, tl: Timeline) -> list[str]:
    """The asks of ``asked`` that claim something is nowhere on the timeline (no music, no text,
    no music louder than a level, a quoted text gone), none found in what was read, on a timeline
    read only in part (a draft past ``MAX_TRACKS`` tracks or ``MAX_SEGMENTS`` segments a track,
    round 24 A24-3): what was not read may hold it, so these are "not checked", never "as asked".
    Each as its kind in :func:`met`; an ask found unmet in the part read stays that fact."""
    if tl.read_whole:
        return []
    missing = {str(item["kind"]) for item in unmet(asked, tl)}
    absent = (
        ("music", asked.no_music),
        ("text", asked.no_text),
        ("volume", asked.music_under is not None),
        ("volume_at", asked.music_at is not None),
        ("text_removed", any(not _present(text, tl) for text in asked.removed)),
    )
    return [kind for kind, said in absent if said and kind not in missing]


def met(asked: Asked, tl: Timeline) -> list[dict[str, Any]]:
    """The constraints the timeline already has, as facts (``{"kind": "seconds", "found": 25}``):
    a request that changed nothing may have found them done already. What only a whole read
    could show (:func:`unsettled`) is never among them."""
    if not tl.tracks_total:
        return []
    missing = {str(item["kind"]) for item in unmet(asked, tl)} | set(unsettled(asked, tl))
    out: list[dict[str, Any]] = []
    if asked.seconds is not None and tl.duration_s is not None and "seconds" not in missing:
        out.append({"kind": "seconds", "found": round(tl.duration_s, 1)})
    if asked.shape is not None and tl.width and tl.height and "shape" not in missing:
        out.append({"kind": "shape", "asked": str(asked.shape), "width": tl.width, "height": tl.height})
    if asked.no_music and "music" not in missing:
        out.append({"kind": "music"})
    if asked.no_text and "text" not in missing:
        out.append({"kind": "text"})
    volumes = _music_volumes(tl)
    if asked.music_under is not None and volumes and "volume" not in missing:
        out.append(
            {
                "kind": "volume",
                "asked": asked.music_under,
                "found": max(volumes),
                "at_most": asked.music_at_most,
            }
        )
    level = asked.music_at
    if level is not None and volumes and "volume_at" not in missing:
        farthest = max(volumes, key=lambda v: abs(v - level))  # every one is within the tolerance
        out.append({"kind": "volume_at", "asked": level, "found": farthest})
    sequence = _sequenced(asked, tl)
    for word, where, clip in _placed(asked, tl):
        if clip is not None and clip[0] == clip[1]:
            if sequence is not None and sequence[0] and (word, where) == (asked.sequence[0], "first"):
                continue  # said with the whole order below
            out.append({"kind": "order", "name": word, "where": where, "found": clip[1]})
    if sequence is not None and sequence[0] and "order" not in missing:
        out.append({"kind": "sequence", "found": sequence[1][:8]})
    for text, where, span, ok in _text_placed(asked, tl):
        if ok:
            out.append({"kind": "text_at", "name": text, "where": where, "found": span})
    out.extend(_text_timed(asked, tl, met=True))
    if asked.title is not None:
        wanted = asked.title.casefold()
        shown = (seg.name for tr in tl.tracks if tr.kind == "text" for seg in tr.segments if seg.name)
        if any(wanted in name.casefold() for name in shown):
            out.append({"kind": "title", "name": asked.title})
    for text in asked.removed if tl.read_whole else ():
        # a name still on a clip ("删掉「beach」" with beach.jpg on the track) is not said gone
        if not _present(text, tl) and not in_clip_names(text, tl):
            out.append({"kind": "text_removed", "name": text})
    if (each := clip_seconds(asked, tl)) is not None and each.pop("met"):
        out.append(each)
    return out


def same_music(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """Another track was asked for ("swap the music for …") and the music after the turn is the
    one before (by name): the fact, whatever the agent says."""
    if not asked.new_music or before is None:
        return None
    names_before, names_after = _music_names(before), _music_names(after)
    if names_after and names_after == names_before:
        return {"kind": "same_music", "names": sorted(names_after)[:3]}
    return None


def music_swapped(asked: Asked, before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """Another track was asked for and the music after the turn is another one than before (by
    name): the swap landed, a fact to say as asked (its style, if one was asked, is not judged here)."""
    if not asked.new_music or before is None:
        return None
    names_before, names_after = _music_names(before), _music_names(after)
    if names_before and names_after and names_after != names_before:
        return {"kind": "music_swapped", "names": sorted(names_after)[:3], "was": sorted(names_before)[:3]}
    return None


def _music_names(tl: Timeline) -> frozenset[str]:
    return frozenset(seg.name for tr in tl.tracks if tr.kind == "audio" for seg in tr.segments if seg.name)
