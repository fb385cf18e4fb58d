"""Following a turn whose reader died (the part of takeover that needs no second instance): when
NemoVideo's state counts as the agent's result, what is recorded, and when the follower stops."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ai_video_music.config import Settings
from ai_video_music.jobs import Job
from ai_video_music.messages import msg
from ai_video_music.models import SessionState
from ai_video_music.records import TurnState
from ai_video_music.replies import turn_reply
from ai_video_music.store import Project, Store
from ai_video_music.takeover import AGENT_LIMIT_S, Takeover
from ai_video_music.turns import snapshot

pytestmark = pytest.mark.anyio

BEFORE = SessionState(draft={"t": []})
MUSIC = {"t": [{"tt": 1, "sg": [{"d": 10000, "m": {"name": "Calm Piano"}}]}]}
VIDEO = {"t": [{"tt": 0, "sg": [{"d": 10000, "m": {"name": "beach"}}]}]}


@dataclass
class Recorded:
    calls: list[dict[str, Any]] = field(default_factory=list)


class FakeTurns:
    """Stands in for :class:`~ai_video_music.turns.Turns`: what the follower asks it to record."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.recorded = Recorded()

    async def record(
        self, gen_id: str, project: Project, text: str, truncated: bool, before: Any, error: Any,
        accepted: bool, *, after: Any = None, extra: Any = None,
    ) -> bool:  # fmt: skip
        self.recorded.calls.append({"text": text, "before": before, "after": after, "extra": extra})
        return self.store.finish_turn(gen_id, status=TurnState.DONE)


class FakeShared:
    """The reads the follower makes: the store, the settings, NemoVideo's state (scripted)."""

    def __init__(self, store: Store, states: list[SessionState | None], limit: float) -> None:
        self.store = store
        self.settings = Settings(takeover_first=0.0, takeover_every=0.0, takeover_limit=limit)
        self.states = states
        self.looks = 0

    async def state_or_none(self, project: Project) -> SessionState | None:
        self.looks += 1
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]


def _turn(store: Store, *, sent_at: float = 0.0, said: str | None = None) -> str:
    store.add_project("prj_1", "ses_1", None, "Clip", "en")
    assert store.begin_turn("gen_1", "prj_1", "ses_1", "add music", "add music", stale_after=90) is None
    store.update_generation("gen_1", sent_at=sent_at or 1e12, before_draft=snapshot(BEFORE))
    if said is not None:
        store.update_generation("gen_1", facts={"said": said})
    return "gen_1"


async def _follow(tmp_path: Path, states: list[SessionState | None], limit: float = 60.0,
                  **turn: Any) -> tuple[FakeShared, FakeTurns]:  # fmt: skip
    store = Store(tmp_path)
    gen_id = _turn(store, **turn)
    shared = FakeShared(store, states, limit)
    turns = FakeTurns(store)
    gen = store.generation(gen_id)
    assert gen is not None
    await Takeover(shared, turns).follow(Job(gen_id, "agent", msg("label.request"), "prj_1"), gen)  # type: ignore[arg-type]
    return shared, turns


async def test_the_result_is_the_timeline_once_it_changed_and_reads_the_same_twice(tmp_path: Path) -> None:
    video, music = SessionState(draft=VIDEO), SessionState(draft=MUSIC)
    shared, turns = await _follow(tmp_path, [BEFORE, video, music, music], said="Adding piano")
    assert shared.looks == 4  # unchanged, then changing, then the same twice
    (call,) = turns.recorded.calls
    assert call["after"] == music and call["before"] == BEFORE  # the timeline kept before it was sent
    assert call["text"] == "Adding piano"  # the words that had arrived before the reader died
    assert call["extra"]["taken_over"]["stable"] is True


async def test_a_timeline_that_never_changes_is_followed_until_the_limit_and_said_so(tmp_path: Path) -> None:
    _, turns = await _follow(tmp_path, [BEFORE], limit=0.0)
    (call,) = turns.recorded.calls
    assert call["extra"]["taken_over"]["stable"] is False
    assert call["after"] == BEFORE


async def test_a_turn_older_than_the_agents_limit_needs_one_look(tmp_path: Path) -> None:
    shared, turns = await _follow(tmp_path, [BEFORE], sent_at=time.time() - AGENT_LIMIT_S - 60)
    assert shared.looks == 1
    assert turns.recorded.calls[0]["extra"]["taken_over"]["stable"] is True


async def test_a_turn_its_reader_settled_meanwhile_is_left_as_recorded(tmp_path: Path) -> None:
    store = Store(tmp_path)
    gen_id = _turn(store)
    store.update_generation(gen_id, status=TurnState.DONE)  # the reader wasn't dead after all
    shared = FakeShared(store, [BEFORE], 60.0)
    turns = FakeTurns(store)
    gen = store.generation(gen_id)
    assert gen is not None
    await Takeover(shared, turns).follow(Job(gen_id, "agent", msg("label.request"), "prj_1"), gen)  # type: ignore[arg-type]
    assert turns.recorded.calls == []


def test_a_taken_over_turn_is_told_with_how_its_result_is_known(tmp_path: Path) -> None:
    store = Store(tmp_path)
    gen_id = _turn(store)
    facts = {"said": "", "truncated": True, "accepted": True}
    taken = {"stable": False, "looks": 6, "minutes": 5.0}
    store.update_generation(
        gen_id, status=TurnState.DONE, timeline_changed=False, facts={**facts, "taken_over": taken}
    )
    gen = store.generation(gen_id)
    assert gen is not None
    for lang, words in (
        ("en", ("5 minutes", "not sent again", "not received")),
        ("zh", ("5 分钟", "没有重发")),
    ):
        reply = turn_reply(gen, lang, "")  # type: ignore[arg-type]
        assert all(w in reply for w in words), reply
        assert "finished without a message" not in reply  # its words were lost, not absent
