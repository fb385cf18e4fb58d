"""The project's timeline: draft JSON (short keys) → a typed, bounded :class:`Timeline`,
and what a person reads of it (a summary, a list of changes), in English or Chinese.

The draft's keys are documented (``t`` tracks, ``tt`` type: 0 video, 1 audio, 7 text;
``sg`` segments; ``d`` duration in ms; ``m`` metadata) but a segment's name, start and
volume keys are not, so several spellings are tried for each. The draft comes from the
backend and is untrusted: :func:`read_timeline` never raises, keeps at most
``MAX_TRACKS`` tracks of ``MAX_SEGMENTS`` segments (with the true totals), and passes
every number through :func:`~.sanitize.finite` and every name through
:func:`~.sanitize.shown` (one line, no quote marks, no imitation of our labels) and a length cap.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from .jsonpieces import CANONICAL, canonical_json
from .messages import Lang, t
from .sanitize import cap, clean_json, defused, finite, shown
from .segments import Row, Segments
from .segments import Segment as Segment  # its home before segments.py: callers import it here

Kind = Literal["video", "audio", "text", "other"]

MAX_TRACKS = 100
MAX_SEGMENTS = 1000  # per track
MAX_NAME = 120  # a clip's name in a sentence: enough to tell clips apart, little to judge
MAX_SUMMARY = 8000  # characters of summary text, whatever the draft holds
MAX_DIFF_LINES = 50
MAX_DIFF_LINE = 1000
MAX_CLIPS_SHOWN = 50  # per track, in a summary
MAX_NAMES_IN_DIFF = 10
_MAX_PIXELS = 100_000  # a frame side beyond this is not a frame size

_KINDS: dict[int, Kind] = {0: "video", 1: "audio", 7: "text"}
_KIND_WORDS: dict[str, Kind] = {"video": "video", "audio": "audio", "text": "text"}
_NAME_KEYS = ("n", "name", "title", "text", "label", "content", "filename")
_START_KEYS = ("s", "st", "start", "start_ms", "startMs", "b", "from")
_END_KEYS = ("e", "end", "end_ms", "endMs", "to")
_DURATION_KEYS = ("d", "dur", "duration", "duration_ms", "durationMs")
_VOLUME_KEYS = ("v", "vol", "volume")
_WIDTH_KEYS = ("w", "width")
_HEIGHT_KEYS = ("h", "height")
# Ratios people name, snapped to when a frame is within 1% of one.
_COMMON_RATIOS = (
    ("16:9", 16 / 9), ("9:16", 9 / 16), ("1:1", 1.0), ("4:5", 4 / 5), ("5:4", 5 / 4), ("4:3", 4 / 3),
    ("3:4", 3 / 4), ("3:2", 3 / 2), ("2:3", 2 / 3), ("21:9", 21 / 9), ("9:21", 9 / 21), ("2:1", 2.0),
    ("1:2", 0.5), ("1.85:1", 1.85), ("2.39:1", 2.39),
)  # fmt: skip


@dataclass(frozen=True)
class Track:
    """``label`` is the draft's own name for the track ("" when it has none); ``segments``
    holds at most ``MAX_SEGMENTS``, ``segments_total`` counts them all."""

    kind: Kind
    label: str
    segments: Sequence[Segment]  # kept as ``Segments`` (see segments.py), whatever is given
    segments_total: int

    def __post_init__(self) -> None:
        if not isinstance(self.segments, Segments):
            object.__setattr__(self, "segments", Segments(self.segments))


@dataclass(frozen=True)
class Timeline:
    """``tracks`` holds at most ``MAX_TRACKS``; ``tracks_total`` counts them all."""

    tracks: tuple[Track, ...] = ()
    tracks_total: int = 0
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    aspect_ratio: str | None = None

    @property
    def read_whole(self) -> bool:
        """Every track and every segment of the draft was read (none past the caps): only then
        can something be said to be nowhere on it ("no music", "no text", a title gone)."""
        return self.tracks_total == len(self.tracks) and all(
            tr.segments_total == len(tr.segments) for tr in self.tracks
        )


# --- reading the draft ------------------------------------------------------------------------------

_T = TypeVar("_T")


def _pick(obj: dict[str, Any], keys: tuple[str, ...], convert: Callable[[Any], _T | None]) -> _T | None:
    """The first key (then the same keys in ``m``, the metadata) whose value converts."""
    for source in (obj, obj.get("m")):
        if not isinstance(source, dict):
            continue
        for key in keys:
            value = source.get(key)
            if value is not None:
                converted = convert(value)
                if converted is not None:
                    return converted
    return None


def _name(value: Any) -> str | None:
    """A name from a string (or a number); anything else is not a name."""
    if isinstance(value, str):
        text = shown(value, MAX_NAME)  # reads no more than it shows (a draft holds thousands)
        return text or None
    number = finite(value) if isinstance(value, int | float) else None
    return _number_text(number) if number is not None else None


def _volume(value: Any) -> float | None:
    number = finite(value)
    if number is None:
        return None
    # A 0-1 fraction unless it was written as an integer ("v": 1 is 1%, "v": 1.0 is 100%).
    return number * 100 if 0 <= number <= 1 and not isinstance(value, int) else number


def _pixels(value: Any) -> int | None:
    number = finite(value)
    return round(number) if number is not None and 0.5 <= number <= _MAX_PIXELS else None


def _kind(value: Any) -> Kind:
    if isinstance(value, str) and value.strip().lower() in _KIND_WORDS:
        return _KIND_WORDS[value.strip().lower()]
    number = finite(value)
    if number is None or number != int(number):
        return "other"
    return _KINDS.get(int(number), "other")


def track_kind(value: Any) -> Kind:
    """A raw track's kind from its ``tt`` (a number or a word), as :func:`read_timeline` reads it."""
    return _kind(value)


def _segment(raw: dict[str, Any]) -> Row:
    """A :class:`Segment`'s fields (kept as a plain tuple: see segments.py)."""
    start = _pick(raw, _START_KEYS, finite)
    end = _pick(raw, _END_KEYS, finite)
    if end is None:
        length = _pick(raw, _DURATION_KEYS, finite)
        end = (start or 0.0) + length if length is not None else None
    return (
        _pick(raw, _NAME_KEYS, _name) or "",
        (start or 0.0) / 1000,
        end / 1000 if end is not None else None,
        _pick(raw, _VOLUME_KEYS, _volume),
    )


def _dicts(value: Any, keep: int) -> tuple[list[dict[str, Any]], int]:
    """The first ``keep`` dicts in a list, and how many there are in all."""
    if not isinstance(value, list):
        return [], 0
    kept: list[dict[str, Any]] = []
    total = 0
    for item in value:
        if isinstance(item, dict):
            total += 1
            if len(kept) < keep:
                kept.append(item)
    return kept, total


def _track(raw: dict[str, Any]) -> Track:
    meta = raw.get("m")
    label = _name(meta.get("name")) if isinstance(meta, dict) else None
    kept, total = _dicts(raw.get("sg"), MAX_SEGMENTS)
    return Track(
        kind=_kind(raw.get("tt")),
        label=label or _name(raw.get("name")) or "",
        segments=Segments.of_rows(_segment(s) for s in kept),
        segments_total=total,
    )


def aspect_ratio(width: int, height: int) -> str:
    """``16:9``, ``9:16``, ``1:1``, ``4:5``... when within 1% of a common ratio; else the
    reduced ``W:H`` when its terms are small; else a decimal such as ``2.37:1``."""
    ratio = width / height
    name, common = min(_COMMON_RATIOS, key=lambda item: abs(ratio / item[1] - 1))
    if abs(ratio / common - 1) <= 0.01:
        return name
    divisor = math.gcd(width, height)
    w, h = width // divisor, height // divisor
    if max(w, h) <= 32:
        return f"{w}:{h}"
    if ratio >= 1:
        return f"{ratio:.2f}".rstrip("0").rstrip(".") + ":1"
    return "1:" + f"{1 / ratio:.2f}".rstrip("0").rstrip(".")


def _frame(draft: dict[str, Any], canvas: Any) -> tuple[int | None, int | None]:
    meta = draft.get("m")
    for source in (meta, meta.get("canvas") if isinstance(meta, dict) else None, canvas):
        if isinstance(source, dict):
            width = _pick(source, _WIDTH_KEYS, _pixels)
            height = _pick(source, _HEIGHT_KEYS, _pixels)
            if width is not None and height is not None:
                return width, height
    return None, None


def read_timeline(draft: Any, canvas: Any = None) -> Timeline:
    """The draft as a :class:`Timeline`; never raises, whatever ``draft`` holds.

    ``canvas`` is the session state's ``canvas_config`` (``{width, height}``), used when
    the draft's metadata has no frame size. The length is the draft's ``d`` when it is a
    positive number, else the latest end of a kept segment.
    """
    if not isinstance(draft, dict):
        return Timeline()
    kept, total = _dicts(draft.get("t"), MAX_TRACKS)
    tracks = tuple(_track(raw) for raw in kept)
    duration = _pick(draft, _DURATION_KEYS, finite)
    if duration is not None and duration > 0:
        seconds: float | None = duration / 1000
    else:
        ends = [s.end_s if s.end_s is not None else s.start_s for tr in tracks for s in tr.segments]
        seconds = max(ends) if ends and max(ends) > 0 else None
    width, height = _frame(draft, canvas)
    ratio = aspect_ratio(width, height) if width and height else None
    return Timeline(tracks, total, seconds, width, height, ratio)


def is_exportable(draft: Any) -> bool:
    """Ready to export when some track has at least one segment."""
    tracks = draft.get("t") if isinstance(draft, dict) else None
    if not isinstance(tracks, list):
        return False
    for track in tracks:
        segments = track.get("sg") if isinstance(track, dict) else None
        if isinstance(segments, list) and any(isinstance(s, dict) for s in segments):
            return True
    return False


def fingerprint(draft: Any) -> str:
    """A stable hash of the draft's canonical JSON (sorted keys): equal drafts, equal
    fingerprints, so a render can be told apart from a timeline edited since."""
    try:
        text = canonical_json(draft)
    except (TypeError, ValueError, RecursionError):  # non-string keys, too deep...: as ever
        text = _one_shot(draft)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _one_shot(draft: Any) -> str:
    try:
        return json.dumps(draft, **CANONICAL)
    except (TypeError, ValueError, RecursionError):
        # Not plain JSON (mixed keys, too deep, circular): the cleaned copy always serialises.
        return json.dumps(clean_json(draft), default=repr, **CANONICAL)


# --- describing it ----------------------------------------------------------------------------------


def _number_text(value: float) -> str:
    """``4`` for 4.0 (or 3.98), ``1.5`` otherwise: how a person says a length."""
    text = f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"
    return "0" if text == "-0" else text


def _seconds(value: float, lang: Lang) -> str:
    return t("timeline.seconds", lang, n=_number_text(value))


def _frame_text(tl: Timeline, lang: Lang) -> str | None:
    if not tl.width or not tl.height:
        return None
    return t("timeline.frame", lang, w=tl.width, h=tl.height, ratio=tl.aspect_ratio)


def track_label(track: Track, lang: Lang) -> str:
    """The track's kind in the user's language (a track of another kind: its own name)."""
    if track.kind == "other":
        return track.label or t("timeline.kind.other", lang)
    return t(f"timeline.kind.{track.kind}", lang)


def _clip_name(track: Track, segment: Segment, lang: Lang) -> str:
    # Music is named by the backend as freely as text is: quoted, a name reads as a name and not
    # as a sentence of ours in the Timeline line (attack7 A1).
    if track.kind == "text" or (track.kind == "audio" and segment.name):
        return t("timeline.quoted", lang, text=segment.name)
    return segment.name or t("timeline.untitled", lang)


def _span(segment: Segment, lang: Lang) -> str:
    start = _number_text(segment.start_s)
    if segment.end_s is None:
        return t("timeline.span.open", lang, start=start)
    return t("timeline.span", lang, start=start, end=_number_text(segment.end_s))


def _percent(volume: float | None, lang: Lang) -> str:
    return t("timeline.volume.default", lang) if volume is None else f"{volume:.0f}%"


def _clip(track: Track, segment: Segment, lang: Lang, volume: bool = True) -> str:
    name, span = _clip_name(track, segment, lang), _span(segment, lang)
    if volume and track.kind == "audio" and segment.volume is not None:
        return t("timeline.clip.volume", lang, name=name, span=span, volume=_percent(segment.volume, lang))
    return t("timeline.clip", lang, name=name, span=span)


def _more(items: list[str], total: int, lang: Lang) -> str:
    if total > len(items):
        items = [*items, t("timeline.more", lang, n=total - len(items))]
    return t("list.sep", lang).join(items)


def _clips(track: Track, lang: Lang, limit: int) -> str:
    if not track.segments:
        return t("timeline.track.empty", lang)
    shown = [_clip(track, s, lang) for s in track.segments[: max(0, limit)]]
    return defused(_more(shown, track.segments_total, lang))  # no label across two names


def summary(tl: Timeline, lang: Lang, max_clips: int = MAX_CLIPS_SHOWN) -> str:
    """One paragraph: length, frame, track count, then every track with up to
    ``max_clips`` clip names and a count of the rest; at most ``MAX_SUMMARY`` characters.

    ``Timeline: 12s, 1080x1920 (9:16), 3 tracks. 1. Video: beach (0-4s), forest (4-8s)
    2. BGM: "Calm Piano" (0-12s, 35%) 3. Title: "Summer" (0-3s)``
    """
    if not tl.tracks_total:
        return t("timeline.empty", lang)
    facts = [_seconds(tl.duration_s, lang)] if tl.duration_s is not None else []
    frame = _frame_text(tl, lang)
    if frame and any(track.segments_total for track in tl.tracks):  # no clip: no frame of its own yet
        facts.append(frame)
    count = tl.tracks_total
    facts.append(t("timeline.tracks.one", lang) if count == 1 else t("timeline.tracks", lang, n=count))
    parts = [t("timeline.head", lang, facts=t("timeline.facts.sep", lang).join(facts))]
    size = len(parts[0])
    for index, track in enumerate(tl.tracks, 1):
        if size > MAX_SUMMARY:
            break
        line = t(
            "timeline.track",
            lang,
            index=index,
            label=track_label(track, lang),
            clips=_clips(track, lang, max_clips),
        )
        parts.append(line)
        size += len(line) + 1
    shown = len(parts) - 1
    if tl.tracks_total > shown:
        parts.append(t("timeline.more_tracks", lang, n=tl.tracks_total - shown))
    head, *tracks = parts
    return cap(head + t("sentence.sep", lang) + t("timeline.track.sep", lang).join(tracks), MAX_SUMMARY)


def _names(
    track: Track, segments: Iterable[Segment], lang: Lang, total: int | None = None, *, placed: bool = False
) -> str:
    # ``placed``: each with where it sits on the timeline, so a change can be checked against
    # where it was asked for ("a caption at the end" that landed at 0-3 s).
    names = [_clip(track, s, lang, volume=False) if placed else _clip_name(track, s, lang) for s in segments]
    count = len(names) if total is None else total
    return defused(_more(names[:MAX_NAMES_IN_DIFF], count, lang))  # no label across two names


def _count(n: int, lang: Lang) -> str:
    return t("timeline.clips.one", lang) if n == 1 else t("timeline.clips", lang, n=n)


def _only_in(first: Sequence[Segment], second: Sequence[Segment]) -> list[Segment]:
    """Segments of ``first`` whose name ``second`` lacks (as many times as it lacks it)."""
    spare = Counter(s.name for s in second)
    out = []
    for segment in first:
        if spare[segment.name] > 0:
            spare[segment.name] -= 1
        else:
            out.append(segment)
    return out


def _track_changes(old: Track, new: Track, lang: Lang) -> list[str]:
    label = track_label(new, lang)
    if old.segments_total != new.segments_total:
        details = []
        added, removed = _only_in(new.segments, old.segments), _only_in(old.segments, new.segments)
        if added:
            details.append(t("timeline.diff.added_names", lang, names=_names(new, added, lang, placed=True)))
        if removed:
            details.append(
                t("timeline.diff.removed_names", lang, names=_names(old, removed, lang, placed=True))
            )
        detail = t("timeline.diff.detail.sep", lang).join(details)
        return [
            t(
                "timeline.diff.count",
                lang,
                label=label,
                old=_count(old.segments_total, lang),
                new=_count(new.segments_total, lang),
                detail=t("timeline.diff.detail", lang, detail=detail) if detail else "",
            )
        ]
    lines = []
    for before, after in zip(old.segments, new.segments, strict=False):
        if before == after:
            continue
        renamed = before.name != after.name
        moved = _span(before, lang) != _span(after, lang)
        if moved:
            old_text, new_text = _clip(old, before, lang, volume=False), _clip(new, after, lang, volume=False)
            lines.append(t("timeline.diff.change", lang, label=label, old=old_text, new=new_text))
        elif renamed:
            old_text, new_text = _clip_name(old, before, lang), _clip_name(new, after, lang)
            span = _span(after, lang)  # where: a request for the end that changed the start shows
            lines.append(
                t("timeline.diff.change.at", lang, label=label, old=old_text, new=new_text, span=span)
            )
        old_volume, new_volume = _percent(before.volume, lang), _percent(after.volume, lang)
        if new.kind == "audio" and old_volume != new_volume:
            if len(new.segments) > 1:
                key, name = "timeline.diff.volume.named", _clip_name(new, after, lang)
            else:
                key, name = "timeline.diff.volume", ""
            lines.append(t(key, lang, name=name, old=old_volume, new=new_volume))
    return lines


def _key(track: Track) -> tuple[str, str]:
    # Tracks are matched by kind, in order; an "other" track also by its own name.
    return track.kind, track.label if track.kind == "other" else ""


def diff(before: Timeline | None, after: Timeline, lang: Lang) -> list[str]:
    """What changed, one readable line each (empty when nothing did):
    ``Title: "Spring Sale" → "Summer"``, ``Added BGM: "Calm Piano" (0-14s, 35%)``,
    ``Music volume: 35% → 20%``, ``Length: 10s → 20s``, ``Frame: 1920x1080 (16:9) →
    1080x1920 (9:16)``, ``Removed Title: "Summer"``, ``Video: 3 clips → 4 clips (added
    forest)``. With ``before`` unknown (None), every track of ``after`` reads as added.
    """
    lines: list[str] = []
    # An empty timeline has no frame or length of its own (a new project's canvas default is no
    # video): the first video's are said as added, never as a change of a video's.
    if before is not None and before.tracks_total:
        old_frame, new_frame = _frame_text(before, lang), _frame_text(after, lang)
        if old_frame and new_frame and old_frame != new_frame:
            lines.append(t("timeline.diff.frame", lang, old=old_frame, new=new_frame))
        if before.duration_s is not None and after.duration_s is not None:
            old_length, new_length = _seconds(before.duration_s, lang), _seconds(after.duration_s, lang)
            if old_length != new_length:
                lines.append(t("timeline.diff.length", lang, old=old_length, new=new_length))
    waiting: dict[tuple[str, str], list[Track]] = {}
    for track in before.tracks if before is not None else ():
        waiting.setdefault(_key(track), []).append(track)
    for track in after.tracks:
        twins = waiting.get(_key(track))
        if twins:
            lines.extend(_track_changes(twins.pop(0), track, lang))
        else:
            clips = _clips(track, lang, MAX_NAMES_IN_DIFF)
            lines.append(t("timeline.diff.added", lang, label=track_label(track, lang), clips=clips))
    for twins in waiting.values():
        for track in twins:
            names = _names(track, track.segments, lang, track.segments_total, placed=True)
            names = names or t("timeline.track.empty", lang)
            lines.append(t("timeline.diff.removed", lang, label=track_label(track, lang), clips=names))
    if len(lines) > MAX_DIFF_LINES:
        rest = len(lines) - MAX_DIFF_LINES + 1
        lines = [*lines[: MAX_DIFF_LINES - 1], t("timeline.diff.more", lang, n=rest)]
    return [cap(line, MAX_DIFF_LINE) for line in lines]
