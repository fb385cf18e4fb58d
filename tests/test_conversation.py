"""A whole sitting, as a user has it through an assistant: several videos, a retry, an edit that
didn't land, an export, a change after the render started, a new project, "cancel that",
going back to the first project. In English and in Chinese, through a real MCP client.

Every agent turn and every render outlasts the tool call that starts it, as they do for real
(`bench/long_run.py` runs the real-time version): a gate holds each one (``sim.hold``) until its
call has said "working" (or "rendering"), instead of turn and render times longer than a tool's
budget. A loaded machine can't turn a turn into one that finishes inside its call (or the retry
into a repeat), the test never waits out a turn's simulated seconds, and the status read that
follows a released turn finds its answer well inside its own budget.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import photo_files, requests_to, text

# Real prices (the free-credit story is its own test); the turns and renders themselves are
# quick: where one must outlast a call, a gate holds it.
pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.priced]  # slow: started first under xdist

PROMPTS = {
    "en": {
        "make": "Make a 20-second vertical video from these photos with calm piano music",
        "quieter": "Lower the music to 20%",
        "title": 'Add the title "Summer"',
        "new": "New video: a 10-second clip from this photo",
        "cancel": "cancel that",
        "changed": "changed",
        "claim": "the timeline did not change",
        "attached": "not sent again",
        "says": "NemoVideo says:",
    },
    "zh": {
        "make": "用这些照片做一个20秒的竖屏视频，配上轻松的钢琴音乐",
        "quieter": "把音乐音量调到20%",
        "title": "加上标题「夏天」",
        "new": "新视频：用这张照片做一个10秒的视频",
        "cancel": "取消",
        "changed": "变化",
        "claim": "时间线实际上没有变化",
        "attached": "没有再次发送",
        "says": "NemoVideo 回复：",
    },
}


def result_text(out: dict[str, Any]) -> str:
    return out["reply"] + " ".join(out["next_steps"])


async def ask(client: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    with anyio.fail_after(10):
        result = await client.call_tool(tool, args or {})
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    return result.structured_content


async def answer(client: Client, first: dict[str, Any]) -> dict[str, Any]:
    """What an assistant does after "working": status until the answer arrives (with its facts)."""
    if first["status"] == "done":
        return first
    for _ in range(60):
        st = await ask(client, "status")
        if st["answers"]:
            return {**first, "status": "done", **st["answers"][-1]}
        await anyio.sleep(0.05)
    raise AssertionError("the answer never arrived")


async def export_until_done(client: Client) -> dict[str, Any]:
    out = await ask(client, "export")
    for _ in range(40):
        if out["status"] == "done":
            return out
        out = await ask(client, "export")
    raise AssertionError("the export never finished")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_whole_sitting_stays_true(
    settings: Settings, sim: Simulator, tmp_path: Path, lang: str
) -> None:
    words = PROMPTS[lang]
    photos = photo_files(tmp_path, "beach.jpg", "forest.jpg", "city.jpg")
    token, _ = sim.state.register_user(credits=1000)
    # A tool's budget as short as leaves a call's own reads ample room: each held turn or render
    # costs one call's wait (0.65 s of it), not its simulated length.
    conf = dataclasses.replace(settings, tool_budget=5.0, token=token)

    async with Client(create_server(conf)) as client:
        # 1. The first video: upload, ask, the request outlasts the call.
        await ask(client, "upload", {"files": photos})
        with sim.hold("run_sse"):  # still working when the retry comes, however slow the machine
            first = await ask(client, "generate", {"prompt": words["make"]})
            assert first["language"] == lang and first["status"] == "working"
            # 2. The assistant retries while it works: attached, never sent (or paid) twice.
            retry = await ask(client, "generate", {"prompt": words["make"]})
            assert retry["attached"] is True and words["attached"] in retry["reply"]
        await answer(client, retry)
        assert len(requests_to(sim, "run_sse")) == 1
        st = await ask(client, "status")
        assert st["language"] == lang
        assert st["timeline"]["duration_s"] == 20 and st["timeline"]["aspect_ratio"] == "9:16"
        clips = next(t for t in st["timeline"]["tracks"] if t["kind"] == "video")["segments"]
        assert [c["name"] for c in clips] == ["beach", "forest", "city"]

        # 3. An edit the agent claims but doesn't make: the assistant is told.
        sim.configure(next_lie=True)
        with sim.hold("run_sse"):  # the edit outlasts its call
            lied = await ask(client, "generate", {"prompt": words["quieter"]})
            assert lied["status"] == "working"
        lied = await answer(client, lied)
        assert lied["timeline_changed"] is False and lied["changes"] == [], lied
        assert words["claim"] in lied["reply"]
        # The fact first, in the server's words; the agent's claim after it, quoted as NemoVideo's.
        assert lied["reply"].index(words["claim"]) < lied["reply"].index(words["says"])

        # 4. The export: the file is what was asked for, and says so.
        with sim.hold("render"):  # the render outlasts the call that starts it
            assert (await ask(client, "export"))["status"] == "rendering"
        out = await export_until_done(client)
        assert out["duration_s"] == pytest.approx(20, abs=0.5)
        assert out["height"] > out["width"], "vertical"
        assert out["size_bytes"] == Path(out["path"]).stat().st_size
        assert out["project_url"].startswith("https://nemovideo.com/workspace/claim?ct=")
        first_path = out["path"]

        # 5. A change after a render started: the older render is never delivered.
        with sim.hold("render"):
            started = await ask(client, "export")  # unchanged timeline: the saved video again
            assert started["status"] == "done" and started["path"] == first_path
            with sim.hold("run_sse"):
                titled = await ask(client, "generate", {"prompt": words["title"]})
                assert titled["status"] == "working"
            titled = await answer(client, titled)
            assert titled["timeline_changed"] is True and titled["changes"]
        with sim.hold("render"):
            assert (await ask(client, "export"))["status"] == "rendering"
        second = await export_until_done(client)
        assert second["path"] != first_path and second["render_id"] != out["render_id"]
        renders_before_new_project = len(requests_to(sim, "render"))

        # 6. A second, unrelated video: a new project, nothing inherited.
        # "From this photo" where the new project holds none: said before anything is made.
        said = await ask(client, "generate", {"prompt": words["new"]})
        assert said["status"] == "needs_confirmation" and said["project"] is None, said
        with sim.hold("run_sse"):
            fresh = await ask(client, "generate", {"prompt": words["new"], "accept_cost": True})
            assert fresh["status"] == "working"
        fresh = await answer(client, fresh)
        assert fresh["project"]["id"] != st["project"]["id"]
        st2 = await ask(client, "status")
        assert st2["media_total"] == 0, "the first project's uploads are not listed"
        names = {s["name"] for t in st2["timeline"]["tracks"] for s in t["segments"]}
        assert not names & {"beach", "forest", "city", "Summer", "夏天"}, "nothing inherited"
        assert st2["projects_total"] == 2
        assert {e["path"] for e in st2["exports"]} >= {first_path, second["path"]}, (
            "earlier exports stay listed"
        )

        # 7. "Cancel that" while its render runs: cancelled at the service, nothing else sent.
        with sim.hold("render"):
            rendering = await ask(client, "export")
            assert rendering["status"] == "rendering"
            turns = len(requests_to(sim, "run_sse"))
            cancelled = await ask(client, "generate", {"prompt": words["cancel"]})
        assert cancelled["action"] == "cancel"
        assert len(requests_to(sim, "run_sse")) == turns, "cancel sends no agent request"
        assert any(
            r["path"].endswith(rendering["render_id"] + "/cancel") for r in requests_to(sim, "render_cancel")
        )
        listed = await ask(client, "status")
        assert (
            next(e for e in listed["exports"] if e["render_id"] == rendering["render_id"])["status"]
            == "cancelled"
        )
        assert len(requests_to(sim, "render")) == renders_before_new_project + 1

        # 8. Back to the first project: its timeline, not the new one's.
        back = await ask(client, "status", {"project": st["project"]["id"]})
        assert back["project"]["id"] == st["project"]["id"] and back["timeline"]["duration_s"] == 20

        # Every text the server wrote was in the user's language.
        for said in (first, retry, st, lied, out, titled, fresh, st2, cancelled, back):
            assert said["language"] == lang
        if lang == "zh":
            assert "时间线" in st["timeline"]["summary"] and "视频已保存" in out["reply"]


async def test_the_free_credits_are_said_before_they_run_out(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    async with Client(create_server(settings)) as client:
        await ask(client, "upload", {"files": [str(image)]})
        first = await ask(client, "generate", {"prompt": "make a 10 second video"})
        assert first["cost_warning"] is None and first["credits_used"] == 50 and first["credits_left"] == 50
        second = await ask(client, "generate", {"prompt": "add music"})
        assert second["credits_left"] == 0
        # Sent and spent: a note with the answer, never a warning (that means "not sent, confirm").
        assert second["cost_warning"] is None and second["status"] == "done"
        # It ran: said once, as a fact with its cost, never as a forecast (play26 F17).
        assert second["cost_note"] is None and "too few remain" not in second["reply"]
        assert "not enough for another edit" in second["reply"], "the last credits: said, and it still ran"
        assert "register?bind=" in second["reply"], "too little left for another edit: said at once"
        third = await ask(client, "generate", {"prompt": "make it 15 seconds"})
        # Too few for anything: not "confirm" (that can only fail) but cannot_run, with the way forward.
        assert third["status"] == "cannot_run" and "0 are left" in third["cost_warning"]
        assert "register?bind=" in third["reply"] and "accept_cost" not in result_text(third)
    assert len(requests_to(sim, "run_sse")) == 2, "the third was not sent"
