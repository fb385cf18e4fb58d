"""Big timelines: every answer stays small and says what it leaves out; a draft is worked out
once, whoever asks again (timings are in bench/, never here)."""

from __future__ import annotations

import dataclasses
import gc
import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.drafts import MAX_SEGMENTS_LISTED, Drafts
from ai_video_music.models import DecodedBodies
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import call, text

pytestmark = pytest.mark.anyio


def big_draft(tracks: int, clips: int) -> dict[str, Any]:
    return {
        "t": [
            {
                "tt": 0 if k == 0 else 1,
                "sg": [{"n": f"clip {k}-{i}", "s": i * 1000, "d": 1000} for i in range(clips)],
                "m": {"name": f"Track {k}"},
            }
            for k in range(tracks)
        ],
        "d": clips * 1000,
        "m": {"w": 1080, "h": 1920, "fps": 30},
    }


async def test_status_and_export_of_a_huge_timeline_list_a_capped_part_and_count_the_rest(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    conf = dataclasses.replace(settings, token=sim.state.register_user(credits=1000)[0])
    async with Client(create_server(conf)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a 6 second video"})
        with sim.state.lock:
            for session in sim.state.sessions.values():
                session.draft = big_draft(48, 1000)
        result = await call(client, "status")
        assert not result.is_error, text(result)
        out = result.structured_content or {}
        view = out["timeline"]
        listed = sum(len(track["segments"]) for track in view["tracks"])
        assert 0 < listed <= MAX_SEGMENTS_LISTED
        assert view["tracks_total"] == 48 and view["clips_not_listed"] == 48_000 - listed
        assert all(track["segments_total"] == 1000 for track in view["tracks"])
        assert view["duration_s"] == 1000 and view["aspect_ratio"] == "9:16"
        assert len(json.dumps(out)) < 100_000, "the answer's size does not grow with the timeline"
        assert "more" in view["summary"]


async def test_a_draft_is_worked_out_once_however_often_it_is_read() -> None:
    drafts = Drafts()
    draft = big_draft(2, 300)
    first = await drafts.facts(draft, None)
    again = await drafts.facts(json.loads(json.dumps(draft)), None)  # equal, not the same object
    assert again is first and drafts.computed == 1
    edited = big_draft(2, 301)
    assert (await drafts.facts(edited, None)).fingerprint != first.fingerprint
    assert drafts.computed == 2
    # Another frame size is another answer (the view says the frame).
    assert (await drafts.facts(draft, {"width": 1920, "height": 1080})).timeline.width == 1080
    assert drafts.computed == 3


async def test_the_table_of_drafts_and_of_decoded_answers_stays_bounded() -> None:
    drafts = Drafts(kept=2)
    for n in range(5):
        await drafts.facts(big_draft(1, n + 1), None)
    first = big_draft(1, 1)
    await drafts.facts(first, None)
    assert drafts.computed == 6, "the oldest was dropped, so worked out again"
    bodies = DecodedBodies(kept=2)
    raw = json.dumps({"data": big_draft(1, 10)}).encode()
    kept = await bodies.decode(raw)
    assert await bodies.decode(raw) is kept, "decoded once"
    for n in range(3):
        await bodies.decode(json.dumps({"n": n}).encode())
    again = await bodies.decode(raw)
    assert again is not kept and again == json.loads(raw), "dropped, then decoded afresh"


async def test_a_kept_huge_timeline_adds_few_objects_to_the_garbage_collectors_walks() -> None:
    # Every full collection walks every tracked object while holding every thread: a kept
    # 20,000-clip timeline made of one object per clip stalled every session (bench/scale.py
    # --only first). A count, like test_store's query steps: no timing.
    gc.collect()
    before = len(gc.get_objects())
    facts = await Drafts().facts(big_draft(20, 1000), None)
    gc.collect()
    assert len(gc.get_objects()) - before < 1000
    clips = facts.timeline.tracks[3].segments
    assert (len(clips), clips[999].name, clips[-1].end_s) == (1000, "clip 3-999", 1000.0)
