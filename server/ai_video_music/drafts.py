"""What a draft says, worked out once per draft and never on the event loop.

``status`` and ``export`` read the same draft again and again (every poll of a user waiting
on a render). A 2,000-clip draft takes tens of milliseconds to read, hash and describe, and
a hostile one far more: done inline, every other session would wait on it. So the facts of
a draft (its fingerprint, whether it can be exported, its timeline and the capped views the
answers show) are computed in a worker thread and kept for the last few drafts, keyed by
the draft's fingerprint; the views list at most ``MAX_SEGMENTS_LISTED`` clips in all (the
summary and ``clips_not_listed`` say how many more there are), so an answer's size is
bounded whatever the timeline's.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import anyio.to_thread

from .messages import LANGUAGES, Lang
from .outputs import Segment, TimelineView, Track
from .timeline import Timeline, fingerprint, is_exportable, read_timeline, summary, track_label

MAX_SEGMENTS_LISTED = 60  # clips listed in a view, all tracks together (the summary names more)
MIN_PER_TRACK = 3  # each listed track shows at least this many (when it has them)
MAX_TRACKS_LISTED = 20
KEPT_DRAFTS = 4  # a few sessions' current drafts (each entry holds its draft: a few, not many)


def timeline_view(tl: Timeline, lang: Lang) -> TimelineView:
    """The timeline as answers show it: every track's facts, at most ``MAX_SEGMENTS_LISTED``
    clips listed, shared fairly between the tracks listed."""
    listed_tracks = tl.tracks[:MAX_TRACKS_LISTED]
    share = max(MIN_PER_TRACK, MAX_SEGMENTS_LISTED // max(1, len(listed_tracks)))
    left = MAX_SEGMENTS_LISTED
    tracks: list[Track] = []
    for track in listed_tracks:
        take = min(len(track.segments), share, max(0, left))
        left -= take
        tracks.append(
            Track(
                kind=track.kind,
                label=track_label(track, lang),
                segments=[
                    Segment(name=s.name, start_s=s.start_s, end_s=s.end_s, volume=s.volume)
                    for s in track.segments[:take]
                ],
                segments_total=track.segments_total,
            )
        )
    listed = sum(len(t.segments) for t in tracks)
    every = sum(t.segments_total for t in tl.tracks)
    # No clip yet: the canvas's default frame is not the video's (a user who asked for vertical
    # would read "1920x1080" as theirs); its shape comes with the first video.
    made = every > 0
    return TimelineView(
        summary=summary(tl, lang),
        duration_s=tl.duration_s if made else None,
        width=tl.width if made else None,
        height=tl.height if made else None,
        aspect_ratio=tl.aspect_ratio if made else None,
        tracks=tracks,
        tracks_total=tl.tracks_total,
        clips_not_listed=max(0, every - listed),
    )


@dataclass(frozen=True)
class DraftFacts:
    """One draft's facts; ``views`` holds its view in each language."""

    fingerprint: str
    exportable: bool
    timeline: Timeline
    views: dict[Lang, TimelineView]

    def view(self, lang: Lang) -> TimelineView:
        """A shallow copy: the caller may set the view's own fields; its lists stay shared."""
        return self.views[lang].model_copy()


def work_out(draft: Any, canvas: Any, fp: str | None = None) -> DraftFacts:
    tl = read_timeline(draft, canvas)
    return DraftFacts(
        fingerprint=fp or fingerprint(draft),
        exportable=is_exportable(draft),
        timeline=tl,
        views={lang: timeline_view(tl, lang) for lang in LANGUAGES},
    )


class Drafts:
    """The facts of the last ``KEPT_DRAFTS`` drafts seen. One per server process."""

    def __init__(self, kept: int = KEPT_DRAFTS) -> None:
        self._kept = kept
        # fingerprint:frame -> (the draft object last seen with it, its facts)
        self._facts: OrderedDict[str, tuple[Any, DraftFacts]] = OrderedDict()
        self._lock = threading.Lock()  # the worker threads and the event loop share the table
        self.computed = 0  # how many drafts were worked out (not found kept): tests read it

    async def facts(self, draft: Any, canvas: Any) -> DraftFacts:
        """The draft's facts, from the table when this exact draft (and frame) was seen."""
        # The very object seen before (the client hands out one decoded copy of an answer it
        # has decoded before): found here at once, without a hop to a worker thread and back
        # (which every repeated status would pay); anything else is worked out in the thread.
        found = self._seen(draft, _canvas_key(canvas))
        if found is not None:
            return found
        return await anyio.to_thread.run_sync(self._facts_of, draft, canvas, abandon_on_cancel=True)

    def _seen(self, draft: Any, frame: str) -> DraftFacts | None:
        with self._lock:
            for key, (seen, facts) in reversed(self._facts.items()):
                if seen is draft and key.endswith(":" + frame):
                    self._facts.move_to_end(key)
                    return facts
        return None

    def _facts_of(self, draft: Any, canvas: Any) -> DraftFacts:
        frame = _canvas_key(canvas)
        seen = self._seen(draft, frame)
        if seen is not None:
            return seen
        fp = fingerprint(draft)
        key = fp + ":" + frame
        with self._lock:
            found = self._facts.get(key)
            if found is not None:
                self._facts[key] = (draft, found[1])
                self._facts.move_to_end(key)
                return found[1]
        made = work_out(draft, canvas, fp)
        with self._lock:
            self.computed += 1
            self._facts[key] = (draft, made)
            while len(self._facts) > self._kept:
                self._facts.popitem(last=False)
        return made


def _canvas_key(canvas: Any) -> str:
    try:
        return json.dumps(canvas, sort_keys=True, default=repr)[:200]
    except (TypeError, ValueError, RecursionError):
        return repr(type(canvas))
