"""Timelines built by hand for the checks of what was asked (``turns.compare``), without a backend.

``timeline`` lays the clips end to end over ``seconds``, the music under all of it, and the texts
where asked; ``checked`` is what ``compare`` verified of ``prompt`` between two of them.
"""

from __future__ import annotations

from typing import Any

from ai_video_music.models import SessionState
from ai_video_music.turns import compare


def timeline(
    seconds: float,
    clips: tuple[str, ...],
    music: tuple[str, float] | None = None,
    texts: tuple[tuple[str, float, float], ...] = (),
    size: tuple[int, int] = (1920, 1080),
) -> SessionState:
    """``clips`` of equal length, ``music`` (name, volume) under them, ``texts`` (text, start, end)."""
    ms, n = int(seconds * 1000), len(clips)
    tracks: list[dict[str, Any]] = [
        {"tt": 0, "sg": [{"n": c, "s": i * ms // n, "d": ms // n} for i, c in enumerate(clips)]}
    ]
    if music:
        tracks.append({"tt": 1, "sg": [{"n": music[0], "s": 0, "d": ms, "v": music[1]}]})
    if texts:
        tracks.append(
            {"tt": 7, "sg": [{"n": t, "s": int(s * 1000), "d": int((e - s) * 1000)} for t, s, e in texts]}
        )
    return SessionState(draft={"d": ms, "m": {"w": size[0], "h": size[1]}, "t": tracks})


def checked(
    before: SessionState,
    after: SessionState,
    prompt: str,
    uploaded: tuple[list[str], int] | None = None,
    projects: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The facts ``compare`` gives of ``prompt`` from ``before`` to ``after``."""
    out = compare(before, after, prompt, uploaded, projects)
    assert out is not None
    return out[1]
