"""The MCP server through a real MCP client session (in memory) against the simulator."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import CallToolResult

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import call, inject, requests_to, text

pytestmark = pytest.mark.anyio


@pytest.fixture
async def mcp(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings)) as client:
        yield client


class Progress:
    def __init__(self) -> None:
        self.seen: list[tuple[float, float | None, str | None]] = []

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        self.seen.append((progress, total, message))


# --- the tool list -------------------------------------------------------------------------------


async def test_five_tools_with_documented_arguments_and_truthful_annotations(mcp: Client) -> None:
    tools = {t.name: t for t in (await mcp.list_tools()).tools}
    assert set(tools) == {"generate", "upload", "status", "credits", "export"}
    assert list(tools["generate"].input_schema["required"]) == ["prompt"]
    assert set(tools["upload"].input_schema["properties"]) == {"files", "urls"}
    assert set(tools["export"].input_schema["properties"]) == {"format", "quality"}
    assert tools["credits"].annotations and tools["credits"].annotations.read_only_hint is True
    assert tools["generate"].annotations and tools["generate"].annotations.read_only_hint is False
    assert tools["export"].annotations and tools["export"].annotations.idempotent_hint is False
    for tool in tools.values():
        assert tool.annotations and tool.annotations.open_world_hint is True
        assert tool.output_schema is not None
        assert tool.description and len(tool.description) > 80


# --- the happy path -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("generate_prompt", "export_prompt"),
    [("make a 12 second video with these photos", "export"), ("用这些照片制作一个12秒的视频", "导出")],
)
async def test_upload_generate_status_export_ends_with_an_mp4_on_disk(
    mcp: Client, sim: Simulator, settings: Settings, image: Path, generate_prompt: str, export_prompt: str
) -> None:
    up = await call(mcp, "upload", {"files": [str(image)]})
    assert not up.is_error and up.structured_content
    assert up.structured_content["files"][0]["name"] == "beach.jpg"

    gen = await call(mcp, "generate", {"prompt": generate_prompt})
    assert not gen.is_error and gen.structured_content
    assert gen.structured_content["status"] == "done"
    assert gen.structured_content["action"] == "agent"

    st = await call(mcp, "status")
    assert st.structured_content and st.structured_content["exportable"] is True
    assert "Video: beach (0-12s)" in text(st)

    out = await call(mcp, "generate", {"prompt": export_prompt})
    assert out.structured_content and out.structured_content["action"] == "export"
    assert out.structured_content["status"] == "done"
    videos = list(settings.output_dir.glob("*.mp4"))  # type: ignore[union-attr]
    assert len(videos) == 1 and videos[0].read_bytes()[4:8] == b"ftyp"
    assert str(videos[0]) in text(out)
    assert len(requests_to(sim, "run_sse")) == 1, "export went straight to the render, not to the agent"


async def test_export_tool_returns_path_and_url(mcp: Client, image: Path) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    await call(mcp, "generate", {"prompt": "make a video"})
    result = await call(mcp, "export", {"format": "mp4", "quality": "high"})
    data = result.structured_content
    assert data and data["status"] == "done"
    assert Path(data["path"]).is_file()
    assert re.fullmatch(r"nemovideo-\d{8}-\d{6}-[A-Za-z0-9]{6}\.mp4", Path(data["path"]).name)
    assert data["url"].startswith("http://127.0.0.1:")


async def test_credits_tool(mcp: Client) -> None:
    result = await call(mcp, "credits")
    assert result.structured_content == {"available": 100.0, "frozen": 0.0, "total": 100.0}
    assert "100 available" in text(result)


# --- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("credits", "credits"),
        ("余额", "credits"),
        ("status", "status"),
        ("状态", "status"),
        ("show tracks", "status"),
    ],
)
async def test_direct_actions_spend_no_credits_and_open_no_stream(
    mcp: Client, sim: Simulator, prompt: str, action: str
) -> None:
    result = await call(mcp, "generate", {"prompt": prompt})
    assert result.structured_content and result.structured_content["action"] == action
    assert requests_to(sim, "run_sse") == []


@pytest.mark.parametrize("prompt", ["upload {path}", "上传 {path}"])
async def test_upload_through_generate_uploads_the_named_file(
    mcp: Client, sim: Simulator, image: Path, prompt: str
) -> None:
    result = await call(mcp, "generate", {"prompt": prompt.format(path=image)})
    assert result.structured_content and result.structured_content["action"] == "upload"
    assert "beach.jpg" in text(result)
    assert requests_to(sim, "run_sse") == []
    assert len(requests_to(sim, "upload")) == 1


async def test_upload_expands_wildcards_like_a_shell(mcp: Client, sim: Simulator, tmp_path: Path) -> None:
    trip = tmp_path / "trip"
    trip.mkdir()
    for name in ("b.jpg", "a.jpg", "notes.txt"):
        (trip / name).write_bytes(b"\xff\xd8\xff\0")
    result = await call(mcp, "upload", {"files": [str(trip / "*.jpg")]})
    assert [f["name"] for f in (result.structured_content or {})["files"]] == ["a.jpg", "b.jpg"]
    missing = await call(mcp, "upload", {"files": [str(trip / "*.png")]})
    assert missing.is_error and "No files match" in text(missing)


async def test_upload_through_generate_without_a_path_explains_what_to_do(mcp: Client) -> None:
    result = await call(mcp, "generate", {"prompt": "upload"})
    assert result.is_error
    assert "files=[" in text(result)


# --- the agent's words --------------------------------------------------------------------------


async def test_gui_wording_is_translated_and_the_timeline_shown(mcp: Client, image: Path) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    result = await call(mcp, "generate", {"prompt": "make a 10 second video"})
    reply = text(result)
    assert "click" not in reply.lower() and "open the timeline panel" not in reply.lower()
    assert "Timeline (3 tracks): 1. Video: beach (0-10s)" in reply  # "open timeline" → state read
    assert "call export" in reply  # "click Export" → the export flow, offered


async def test_tool_calls_and_results_are_never_forwarded(mcp: Client, sim: Simulator) -> None:
    for fmt in ("native", "adk"):
        sim.state.config.sse_format = fmt
        reply = text(await call(mcp, "generate", {"prompt": "add music"}))
        assert "add_bgm" not in reply and "functionCall" not in reply and "tool_call" not in reply


async def test_a_reply_without_text_is_replaced_by_what_changed(
    mcp: Client, sim: Simulator, image: Path
) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    await call(mcp, "generate", {"prompt": "make a 10 second video"})
    sim.state.next_no_text = True
    result = await call(mcp, "generate", {"prompt": "lower the music to 20%"})
    assert text(result).startswith("Done. Changed BGM: Lo-fi Chill (free music) (0-10s, 20%).")
    assert (
        "Timeline (3 tracks): 1. Video: beach (0-10s) 2. BGM: Lo-fi Chill (free music) (0-10s, 20%)"
        in text(result)
    )


# --- long work ----------------------------------------------------------------------------------


@pytest.fixture
def short_budget(settings: Settings) -> Settings:
    return dataclasses.replace(settings, tool_budget=1.0)


async def test_progress_notifications_arrive_while_waiting(settings: Settings, sim: Simulator) -> None:
    sim.state.config.agent_seconds = 0.6
    progress = Progress()
    async with Client(create_server(settings)) as client:
        await call(client, "generate", {"prompt": "make a video"}, progress_callback=progress)
    assert progress.seen, "no progress notification reached the client"
    assert all(message for _, _, message in progress.seen)
    values = [p for p, _, _ in progress.seen]
    assert values == sorted(set(values)), "MCP progress must strictly increase"


async def test_render_progress_reaches_the_client_as_a_percentage(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    sim.state.config.render_seconds = 2.5
    sim.state.config.agent_seconds = 1.5
    progress = Progress()
    results: dict[str, CallToolResult] = {}
    async with Client(create_server(settings)) as client:
        await call(client, "upload", {"files": [str(image)]})

        async def run(tool: str, args: dict[str, Any], **kw: Any) -> None:
            results[tool] = await call(client, tool, args, **kw)

        async with anyio.create_task_group() as tg:
            tg.start_soon(run, "generate", {"prompt": "make a video"})
            await anyio.sleep(0.3)
            # export first waits for the agent (progress counts its heartbeats), then renders (5%..)
            tg.start_soon(lambda: run("export", {}, progress_callback=progress))
    assert (results["export"].structured_content or {}).get("status") == "done"
    assert (results["generate"].structured_content or {}).get("status") == "done"
    values = [p for p, _, _ in progress.seen]
    assert values == sorted(set(values)), "MCP progress must strictly increase"
    assert any(total == 100 and 0 < p < 100 for p, total, _ in progress.seen)
    assert any("Rendering" in (m or "") for _, _, m in progress.seen)


async def test_a_still_working_note_comes_about_every_interval_not_in_every_message(
    settings: Settings, sim: Simulator
) -> None:
    sim.state.config.agent_seconds = 3.5
    progress = Progress()
    conf = dataclasses.replace(settings, still_working_every=1.5, tool_budget=10)
    async with Client(create_server(conf)) as client:
        start = anyio.current_time()
        await call(client, "generate", {"prompt": "make a video"}, progress_callback=progress)
        elapsed = anyio.current_time() - start
    notes = [m for _, _, m in progress.seen if m and m.startswith("Still working")]
    assert 1 <= len(notes) <= elapsed / conf.still_working_every + 1, notes
    assert len(progress.seen) > len(notes)


async def test_a_generate_slower_than_the_budget_finishes_through_status(
    short_budget: Settings, sim: Simulator
) -> None:
    sim.state.config.agent_seconds = 2.5
    async with Client(create_server(short_budget)) as client:
        with anyio.fail_after(short_budget.tool_budget + 3):
            first = await client.call_tool("generate", {"prompt": "make a video"})
        assert first.structured_content and first.structured_content["status"] == "working"
        assert first.structured_content["job_id"]
        assert "call status" in text(first).lower()
        answer = ""
        with anyio.fail_after(20):
            while "ready" not in answer:
                st = await client.call_tool("status", {})
                answer = text(st)
        assert "Timeline (3 tracks)" in answer
    assert len(requests_to(sim, "run_sse")) == 1


async def test_a_render_slower_than_the_budget_is_resumed_by_export(
    short_budget: Settings, sim: Simulator, image: Path
) -> None:
    sim.state.config.render_seconds = 3.0
    async with Client(create_server(short_budget)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        first = await call(client, "export")
        assert first.structured_content and first.structured_content["status"] == "rendering"
        render_id = first.structured_content["render_id"]
        data: dict[str, Any] = {}
        with anyio.fail_after(20):
            while data.get("status") != "done":
                data = (await call(client, "export")).structured_content or {}
        assert data["render_id"] == render_id
    assert len(requests_to(sim, "render")) == 1, "export again must resume, not start a second render"


async def test_a_render_started_before_a_restart_is_resumed_by_status(
    short_budget: Settings, sim: Simulator, image: Path
) -> None:
    sim.state.config.render_seconds = 2.0
    async with Client(create_server(short_budget)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        first = await call(client, "export")
        assert first.structured_content and first.structured_content["status"] == "rendering"
    # The first server is gone; a new one on the same store picks the render up.
    async with Client(create_server(short_budget)) as client:
        with anyio.fail_after(20):
            while True:
                st = await call(client, "status")
                renders = (st.structured_content or {}).get("renders") or []
                if renders and renders[-1]["path"]:
                    break
    assert Path(renders[-1]["path"]).read_bytes()[4:8] == b"ftyp"
    assert len(requests_to(sim, "render")) == 1


# --- resources ----------------------------------------------------------------------------------


async def test_timeline_and_exported_videos_are_resources(mcp: Client, image: Path) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    await call(mcp, "generate", {"prompt": "make a video"})
    timeline = await mcp.read_resource("nemo://timeline")
    assert "Video: beach" in getattr(timeline.contents[0], "text", "")
    await call(mcp, "export")
    videos = [r for r in (await mcp.list_resources()).resources if r.mime_type == "video/mp4"]
    assert len(videos) == 1
    blob = await mcp.read_resource(str(videos[0].uri))
    assert getattr(blob.contents[0], "blob", "")


# --- errors -------------------------------------------------------------------------------------


async def test_errors_reach_the_assistant_with_a_remedy(mcp: Client, sim: Simulator, tmp_path: Path) -> None:
    missing = await call(mcp, "upload", {"files": [str(tmp_path / "nope.jpg")]})
    assert missing.is_error and "doesn't exist" in text(missing)
    empty = await call(mcp, "export")
    assert empty.is_error and "timeline is empty" in text(empty).lower()
    inject(sim, "credits", "500", times=10)
    down = await call(mcp, "credits")
    assert down.is_error and "Try again" in text(down)


async def test_out_of_credits_gives_the_registration_link(
    mcp: Client, sim: Simulator, settings: Settings
) -> None:
    await call(mcp, "credits")
    for user in sim.state.users.values():
        user.credits = 0
    result = await call(mcp, "generate", {"prompt": "make a video"})
    assert result.is_error and "?bind=" in text(result)
    token = (settings.home / "token.json").read_text(encoding="utf-8")
    assert "nmv_usr_" in token
    assert "nmv_usr_" not in text(result)


async def test_a_cancelled_call_stops_waiting_but_the_work_and_its_answer_survive(
    settings: Settings, sim: Simulator
) -> None:
    sim.state.config.agent_seconds = 2.0
    async with Client(create_server(settings)) as client:
        with anyio.move_on_after(0.5) as scope:  # the user pressed stop
            await client.call_tool("generate", {"prompt": "make a video"})
        assert scope.cancelled_caught
        answer = ""
        with anyio.fail_after(20):
            while "ready" not in answer:
                answer = text(await client.call_tool("status", {}))
        assert "Timeline (3 tracks)" in answer
    assert len(requests_to(sim, "run_sse")) == 1, "cancelling must not re-send the request"


async def test_an_upload_longer_than_the_budget_reports_its_outcome_in_status(
    settings: Settings, tmp_path: Path
) -> None:
    big = tmp_path / "long.mp4"
    with big.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    async with Client(create_server(dataclasses.replace(settings, tool_budget=0.05))) as client:
        first = await call(client, "upload", {"files": [str(big)]})
        assert (first.structured_content or {}).get("status") == "working"
        assert "call status" in text(first).lower()
        answer = ""
        with anyio.fail_after(30):
            while "Upload finished: long.mp4" not in answer:
                answer = text(await call(client, "status"))
        assert "long.mp4" in answer.split("Media:")[-1]
