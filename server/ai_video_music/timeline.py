"""Draft JSON (short keys) → a one-line summary a person can read.

The draft's keys are documented (``t`` tracks, ``tt`` type, ``sg`` segments, ``d`` ms,
``m`` metadata) but a segment's name, start and volume keys are not, so several
spellings are tried for each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TRACK_LABELS = {0: "Video", 1: "BGM", 7: "Title"}
_NAME_KEYS = ("n", "name", "title", "text", "label", "content", "filename")
_START_KEYS = ("s", "st", "start", "start_ms", "startMs", "b", "from")
_END_KEYS = ("e", "end", "end_ms", "endMs", "to")
_DURATION_KEYS = ("d", "dur", "duration", "duration_ms", "durationMs")
_VOLUME_KEYS = ("v", "vol", "volume")
MAX_SEGMENTS_SHOWN = 3


@dataclass(frozen=True)
class Segment:
    name: str
    start_ms: float
    end_ms: float | None
    volume: float | None  # percent


@dataclass(frozen=True)
class Track:
    kind: int | None
    label: str
    segments: tuple[Segment, ...]


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = obj.get(key)
        if value is not None and value != "":
            return value
    meta = obj.get("m")
    if isinstance(meta, dict):
        for key in keys:
            if meta.get(key) not in (None, ""):
                return meta[key]
    return None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _segment(raw: Any) -> Segment | None:
    if not isinstance(raw, dict):
        return None
    start = _number(_first(raw, _START_KEYS)) or 0.0
    end = _number(_first(raw, _END_KEYS))
    duration = _number(_first(raw, _DURATION_KEYS))
    if end is None and duration is not None:
        end = start + duration
    volume = _number(_first(raw, _VOLUME_KEYS))
    if volume is not None and 0 <= volume <= 1 and not isinstance(_first(raw, _VOLUME_KEYS), int):
        volume *= 100  # a 0-1 fraction
    name = _first(raw, _NAME_KEYS)
    return Segment(str(name).strip() if name is not None else "", start, end, volume)


def parse_tracks(draft: dict[str, Any] | None) -> list[Track]:
    """The draft's tracks in order; malformed entries are skipped, never fatal."""
    tracks = draft.get("t") if isinstance(draft, dict) else None
    if not isinstance(tracks, list):
        return []
    out: list[Track] = []
    for raw in tracks:
        if not isinstance(raw, dict):
            continue
        kind = raw.get("tt")
        kind = (
            int(kind) if isinstance(kind, int | float) or (isinstance(kind, str) and kind.isdigit()) else None
        )
        meta = raw.get("m")
        label = TRACK_LABELS.get(kind, "") if kind is not None else ""
        if not label:
            label = str((meta.get("name") if isinstance(meta, dict) else None) or "Track")
        segments = raw.get("sg")
        segments = segments if isinstance(segments, list) else []
        parsed = tuple(s for s in (_segment(x) for x in segments) if s is not None)
        out.append(Track(kind, label, parsed))
    return out


def is_exportable(draft: dict[str, Any] | None) -> bool:
    """Ready to export when some track has at least one segment."""
    return any(track.segments for track in parse_tracks(draft))


def _seconds(ms: float) -> str:
    value = ms / 1000
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _describe(track: Track, segment: Segment) -> str:
    name = segment.name or ("untitled" if track.kind != 7 else "")
    if track.kind == 7:
        name = f'"{name}"'
    span = _seconds(segment.start_ms) + (
        "-" + _seconds(segment.end_ms) + "s" if segment.end_ms is not None else "s"
    )
    extra = f", {segment.volume:.0f}%" if segment.volume is not None and track.kind == 1 else ""
    return f"{name} ({span}{extra})"


def describe_track(track: Track) -> str:
    """``BGM: Lo-fi (0-10s, 35%)``; long tracks show the first segments and a count."""
    if not track.segments:
        return f"{track.label}: (empty)"
    shown = [_describe(track, s) for s in track.segments[:MAX_SEGMENTS_SHOWN]]
    more = len(track.segments) - MAX_SEGMENTS_SHOWN
    if more > 0:
        shown.append(f"+{more} more")
    return f"{track.label}: {', '.join(shown)}"


def summarize(draft: dict[str, Any] | None) -> str:
    """``Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) ...``."""
    tracks = parse_tracks(draft)
    if not tracks:
        return "Timeline is empty."
    noun = "track" if len(tracks) == 1 else "tracks"
    items = " ".join(f"{i}. {describe_track(t)}" for i, t in enumerate(tracks, 1))
    return f"Timeline ({len(tracks)} {noun}): {items}"


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """What an edit did, track by track: ``Added BGM: ...``, ``Changed Video: ...``, ``Removed ...``."""
    old = [describe_track(t) for t in parse_tracks(before)]
    new = [describe_track(t) for t in parse_tracks(after)]
    out: list[str] = []
    remaining = list(old)
    for line in new:
        if line in remaining:
            remaining.remove(line)
            continue
        label = line.split(":", 1)[0]
        twin = next((o for o in remaining if o.split(":", 1)[0] == label), None)
        if twin is not None:
            remaining.remove(twin)
            out.append(f"Changed {line}")
        else:
            out.append(f"Added {line}")
    out.extend(f"Removed {line}" for line in remaining)
    return out
