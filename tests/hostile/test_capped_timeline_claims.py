"""A timeline is read bounded (``MAX_TRACKS`` tracks of ``MAX_SEGMENTS`` segments), and a claim
that something is nowhere on it ("no music, as asked", "no text on screen") was made of the part
read (round 24 A24-3): music on the 101st track, or after 1,000 silent segments, and the answer
told the assistant the video had none, as asked. Such a claim is now "not checked" whenever the
read stopped short; a whole timeline is judged as before. The caps are scaled down here (the
real ones hold 100 tracks of 1,000 segments) so a short draft runs past them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from mcp import Client

from ai_video_music import timeline

from .conftest import MakeServer, call, text
from .double import DRAFT, Hostile

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def _small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline, "MAX_TRACKS", 3)
    monkeypatch.setattr(timeline, "MAX_SEGMENTS", 4)


def _past_the_tracks(kind: int, name: str) -> dict[str, Any]:
    draft = copy.deepcopy(DRAFT)
    draft["t"] = [{"tt": 0, "sg": [{"n": f"beach {i}", "s": 0, "d": 2000}]} for i in range(3)]
    draft["t"].append({"tt": kind, "sg": [{"n": name, "s": 0, "d": 2000, "v": 100}]})
    return draft


def _past_the_segments() -> dict[str, Any]:
    draft = copy.deepcopy(DRAFT)
    silent = [{"n": "silence", "s": i, "d": 1, "v": 0} for i in range(4)]
    draft["t"][1] = {"tt": 1, "sg": [*silent, {"n": "Loud rock", "s": 0, "d": 2000, "v": 100}]}
    draft["t"].pop(2)
    return draft


async def _told(make_server: MakeServer, prompt: str) -> tuple[str, dict[str, Any]]:
    async with Client(make_server()) as client:
        result = await call(client, "generate", {"prompt": prompt})
    return text(result), result.structured_content or {}


@pytest.mark.parametrize(
    "draft",
    [lambda: _past_the_tracks(1, "Loud rock"), _past_the_segments],
    ids=["music past the tracks read", "music past the segments read"],
)
@pytest.mark.parametrize(
    ("prompt", "ask"),
    [("Make a beach video with no music", "no music"), ("做一个海滩视频，不要音乐", "不要音乐")],
)
async def test_no_music_is_not_checked_when_the_music_may_lie_past_what_was_read(
    make_server: MakeServer, hostile: Hostile, draft: Any, prompt: str, ask: str
) -> None:
    hostile.turn_draft = draft()
    answer, told = await _told(make_server, prompt)
    assert told.get("as_asked", []) == [], told.get("as_asked")
    assert any(ask in str(x) for x in told.get("not_checked", [])), (told.get("not_checked"), answer)


async def test_no_text_on_screen_is_not_checked_when_a_title_may_lie_past_the_tracks_read(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.turn_draft = _past_the_tracks(7, "BUY NOW")
    _, told = await _told(make_server, "Make a beach video with no text on screen")
    assert not any("text" in str(x) for x in told.get("as_asked", [])), told.get("as_asked")
    assert any("no text" in str(x) for x in told.get("not_checked", [])), told.get("not_checked")


async def test_a_title_asked_to_go_is_not_said_gone_when_it_may_lie_past_the_tracks_read(
    make_server: MakeServer, hostile: Hostile
) -> None:
    hostile.turn_draft = _past_the_tracks(7, "Summer")
    _, told = await _told(make_server, "Remove the 'Summer' title")
    assert not any("Summer" in str(x) for x in told.get("as_asked", [])), told.get("as_asked")
    assert any("Summer" in str(x) for x in told.get("not_checked", [])), told.get("not_checked")
