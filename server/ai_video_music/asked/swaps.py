"""Two clips asked to trade places ("swap the 2nd and 3rd photo", "swap the beaker and flask pics",
"把第二张和第三张换一下"), by their place or by the user's word for each; judged on the change: the
video track before the request against the one after (play27en S3: listed as "not checked").
"""

from __future__ import annotations

import re
from typing import Any

from ..timeline import Timeline
from .base import _EN_POLITE
from .words import _ZH_DIGITS, _names_clip

_EN_PLACES = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "last": -1,
}  # fmt: skip
_ZH_PLACES = {**{word: n for word, n in _ZH_DIGITS.items() if n}, "十": 10}
_NOUN = r"(?:photos?|pictures?|pics?|images?|clips?|shots?|ones?|slides?)"
# never the music or a text ("swap the music with something jazzy" asks another track)
_NOT_A_CLIP = r"(?!(?:music|songs?|tracks?|tunes?|bgm|soundtrack|titles?|captions?|text|fonts?|colou?rs?)\b)"
_ITEM = (
    r"(?:the\s+)?(?!the\b)" + _NOT_A_CLIP + r"(?P<{0}>[\w'.-]+(?:\s+[\w'.-]+){{0,2}}?)(?:\s+" + _NOUN + r")?"
)
_EN_SWAP = re.compile(
    r"(?i)^\s*" + _EN_POLITE + r"(?:and\s+)?(?:swap|switch|flip|exchange|trade)\s+(?:around\s+)?"
    + _ITEM.format("a") + r"\s+(?:and|&|with)\s+" + _ITEM.format("b")
    + r"(?:\s+(?:around|round|over|places|positions|spots))?(?:\s+(?:please|pls|plz))?\s*[.!]?\s*$"
)  # fmt: skip
_ZH_ITEM = (
    r"(?P<{0}>第[一二两三四五六七八九十\d]{{1,2}}(?:张|个|段|幅)?|[^，,。和跟与把将]{{1,8}}?)"
    r"(?:那张|这张|那个|照片|图片|图)?"
)
_ZH_SWAP = re.compile(
    r"^(?:请|帮我)?(?:把|将)?" + _ZH_ITEM.format("a") + r"(?:和|跟|与)" + _ZH_ITEM.format("b")
    + r"(?:的)?(?:位置)?(?:换一下|换个位置|换下位置|换位置|对调|互换|调换|交换)(?:一下)?(?:位置)?"
    r"(?:吧|啊)?\s*[。！]?\s*$"
)  # fmt: skip


def read_swap(sentences: list[str]) -> tuple[str, str] | tuple[()]:
    """The two clips one sentence asks to trade places, as the user's words for them ("2nd",
    "beaker"); () when none (or more than one swap: not judged)."""
    found: set[tuple[str, str]] = set()
    for sentence in sentences:
        for piece in re.split(r"[,，;；]", sentence):
            m = _EN_SWAP.match(piece) or _ZH_SWAP.match(piece.strip())
            if m is not None and m.group("a").casefold() != m.group("b").casefold():
                found.add((m.group("a").strip(), m.group("b").strip()))
    return found.pop() if len(found) == 1 else ()


def _place(word: str) -> int | None:
    """The place a word says (1-based, -1 for the last), else None."""
    low = word.casefold().strip()
    if low in _EN_PLACES:
        return _EN_PLACES[low]
    if (m := re.fullmatch(r"第([一二两三四五六七八九十]|\d{1,2})(?:张|个|段|幅)?", low)) is not None:
        return int(m.group(1)) if m.group(1).isdigit() else _ZH_PLACES[m.group(1)]
    return None


def _index(word: str, names: list[str]) -> int | None:
    """Where on the track ``word`` points: its place, or the one clip it names; None otherwise."""
    place = _place(word)
    if place is not None:
        i = len(names) - 1 if place == -1 else place - 1
        return i if 0 <= i < len(names) else None
    hits = [i for i, name in enumerate(names) if _names_clip(word, name)]
    return hits[0] if len(hits) == 1 else None


def _order(tl: Timeline) -> list[str] | None:
    """The video track's clips in order, or None when the track is missing or read in part."""
    video = next((tr for tr in tl.tracks if tr.kind == "video" and tr.segments), None)
    if video is None or video.segments_total != len(video.segments):
        return None
    return [seg.name for seg in sorted(video.segments, key=lambda seg: seg.start_s)]


def clips_swapped(swap: tuple[str, ...], before: Timeline | None, after: Timeline) -> dict[str, Any] | None:
    """The swap asked, judged on the change: ``met`` when each of the two clips is now where the
    other was. None where it can't be judged (a word names no clip or several, a track in part)."""
    if len(swap) != 2 or before is None:
        return None
    was, now = _order(before), _order(after)
    if was is None or now is None:
        return None
    i, j = _index(swap[0], was), _index(swap[1], was)
    if i is None or j is None or i == j:
        return None
    met = max(i, j) < len(now) and now[i] == was[j] and now[j] == was[i]
    return {"kind": "clips_swapped", "names": [was[i], was[j]], "order": now[:8], "met": met}
