"""The MCP server through a real MCP client session (in memory) against the simulator."""

from __future__ import annotations

import dataclasses
import json
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


def data(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    return result.structured_content


# --- the tool list -------------------------------------------------------------------------------


async def test_five_tools_with_documented_arguments_and_truthful_annotations(mcp: Client) -> None:
    tools = {t.name: t for t in (await mcp.list_tools()).tools}
    assert set(tools) == {"generate", "upload", "status", "credits", "export"}
    assert list(tools["generate"].input_schema["required"]) == ["prompt"]
    assert set(tools["generate"].input_schema["properties"]) == {
        "prompt", "new_project", "accept_cost", "project", "request"
    }  # fmt: skip
    assert set(tools["upload"].input_schema["properties"]) == {"files", "urls", "new_project", "project"}
    # request: a client without an MCP session names its earlier request to be itself.
    assert set(tools["status"].input_schema["properties"]) == {"project", "page", "request"}
    assert set(tools["export"].input_schema["properties"]) == {"format", "quality", "project", "request"}
    assert tools["credits"].annotations and tools["credits"].annotations.read_only_hint is True
    assert tools["status"].annotations and tools["status"].annotations.read_only_hint is True
    assert tools["generate"].annotations and tools["generate"].annotations.read_only_hint is False
    assert tools["export"].annotations and tools["export"].annotations.idempotent_hint is False
    for tool in tools.values():
        assert tool.annotations and tool.annotations.open_world_hint is True
        assert tool.output_schema is not None
        assert {"language", "reply", "next_steps"} <= set(tool.output_schema["properties"])
        assert tool.description and len(tool.description) > 80
    # What the assistant must know to act, in the words it reads.
    generate = tools["generate"].description or ""
    for promise in ("new_project", "cancel", "credits_used", "timeline_changed", "attached", "100", "50"):
        assert promise in generate, promise
    assert "duration_s" in (tools["export"].description or "")


async def test_status_and_export_carry_the_app_binding(mcp: Client) -> None:
    tools = {t.name: t for t in (await mcp.list_tools()).tools}
    for name in ("status", "export"):
        assert (tools[name].meta or {}).get("ui", {}).get("resourceUri", "").startswith("ui://")
    for name in ("generate", "upload", "credits"):
        assert not (tools[name].meta or {}).get("ui")


# --- the happy path -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("generate_prompt", "export_prompt", "lang"),
    [
        ("make a 12 second video with these photos", "export", "en"),
        ("用这些照片制作一个12秒的视频", "导出", "zh"),
    ],
)
async def test_upload_generate_status_export_ends_with_the_video_asked_for(
    mcp: Client,
    sim: Simulator,
    settings: Settings,
    image: Path,
    generate_prompt: str,
    export_prompt: str,
    lang: str,
) -> None:
    up = data(await call(mcp, "upload", {"files": [str(image)]}))
    assert up["files"][0]["name"] == "beach.jpg"

    gen = data(await call(mcp, "generate", {"prompt": generate_prompt}))
    assert gen["status"] == "done" and gen["action"] == "agent" and gen["language"] == lang
    assert gen["timeline_changed"] is True and gen["changes"]
    assert gen["credits_used"] is not None and gen["credits_left"] is not None

    st = data(await call(mcp, "status"))
    assert st["exportable"] is True and st["language"] == lang
    assert st["timeline"]["duration_s"] == 12
    video = next(t for t in st["timeline"]["tracks"] if t["kind"] == "video")
    assert video["segments"][0]["name"] == "beach"

    out = data(await call(mcp, "generate", {"prompt": export_prompt}))
    assert out["action"] == "export" and out["status"] == "done"
    videos = list(settings.output_dir.glob("*.mp4"))  # type: ignore[union-attr]
    assert len(videos) == 1 and videos[0].read_bytes()[4:8] == b"ftyp"
    assert str(videos[0]) in out["reply"]
    assert len(requests_to(sim, "run_sse")) == 1, "export went straight to the render, not to the agent"


async def test_export_reports_the_files_real_facts_and_a_project_link(mcp: Client, image: Path) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    await call(mcp, "generate", {"prompt": "make a 6 second vertical video"})
    out = data(await call(mcp, "export", {"format": "mp4", "quality": "high"}))
    assert out["status"] == "done"
    path = Path(out["path"])
    # Named after its project ("Video 1": the request named no subject) and the render's time.
    assert path.is_file() and re.fullmatch(r"video-1-\d{4}-\d{2}-\d{2}-\d{4}\.mp4", path.name), path.name
    assert out["duration_s"] == pytest.approx(6, abs=0.5)
    assert (out["width"], out["height"]) == (180, 320), "vertical, as asked (the test canvas is 320x180)"
    assert out["size_bytes"] == path.stat().st_size
    assert out["url"].startswith("http://127.0.0.1:")
    assert out["project_url"].startswith("https://nemovideo.com/workspace/claim?ct=clm_")
    assert f"{out['width']}x{out['height']}" in text(await call(mcp, "export"))
    # A client that sees images gets the contact sheet the download's check drew.
    answer = await call(mcp, "export")
    assert any(c.type == "image" and c.mime_type == "image/jpeg" for c in answer.content)


async def test_credits_tool(mcp: Client) -> None:
    out = data(await call(mcp, "credits"))
    assert (out["available"], out["frozen"], out["total"]) == (100.0, 0.0, 100.0)
    assert "100" in out["reply"] and "free" in out["reply"]


# --- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "action"),
    [
        ("credits", "credits"),
        ("余额", "credits"),
        ("status", "status"),
        ("状态", "status"),
        ("show tracks", "status"),
        ("cancel", "cancel"),
        ("取消导出", "cancel"),
        ("start over", "new_project"),
        ("新项目", "new_project"),
    ],
)
async def test_direct_actions_spend_no_credits_and_open_no_stream(
    mcp: Client, sim: Simulator, prompt: str, action: str
) -> None:
    result = data(await call(mcp, "generate", {"prompt": prompt}))
    assert result["action"] == action
    assert requests_to(sim, "run_sse") == []


@pytest.mark.parametrize("prompt", ["upload {path}", "上传 {path}"])
async def test_upload_through_generate_uploads_the_named_file(
    mcp: Client, sim: Simulator, image: Path, prompt: str
) -> None:
    result = data(await call(mcp, "generate", {"prompt": prompt.format(path=image)}))
    assert result["action"] == "upload" and "beach.jpg" in result["reply"]
    assert requests_to(sim, "run_sse") == []
    assert len(requests_to(sim, "upload")) == 1


async def test_upload_expands_wildcards_like_a_shell(mcp: Client, tmp_path: Path) -> None:
    trip = tmp_path / "trip"
    trip.mkdir()
    for name in ("b.jpg", "a.jpg", "notes.txt"):
        (trip / name).write_bytes(b"\xff\xd8\xff\0")
    result = data(await call(mcp, "upload", {"files": [str(trip / "*.jpg")]}))
    assert [f["name"] for f in result["files"]] == ["a.jpg", "b.jpg"]
    missing = await call(mcp, "upload", {"files": [str(trip / "*.png")]})
    assert missing.is_error and "No files match" in text(missing)


async def test_upload_through_generate_without_a_path_explains_what_to_do(mcp: Client) -> None:
    result = await call(mcp, "generate", {"prompt": "upload"})
    assert result.is_error and "files=[" in text(result)


# --- the agent's words --------------------------------------------------------------------------


async def test_gui_wording_is_translated_and_next_steps_are_kept_apart(mcp: Client, image: Path) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    result = data(await call(mcp, "generate", {"prompt": "make a 10 second video"}))
    assert "click" not in result["reply"].lower() and "timeline panel" not in result["reply"].lower()
    assert any("export" in step for step in result["next_steps"])
    assert not any(
        "export" in line.lower() and "call" in line.lower() for line in result["reply"].splitlines()
    )


async def test_tool_calls_and_results_are_never_forwarded(mcp: Client, sim: Simulator) -> None:
    for fmt in ("native", "adk"):
        sim.configure(sse_format=fmt)
        reply = text(await call(mcp, "generate", {"prompt": f"add music ({fmt})"}))
        for internal in ("edit_multitrack", "generate_video_with_seedance", "functionCall", "tool_call"):
            assert internal not in reply


async def test_a_reply_without_text_is_replaced_by_what_changed(
    mcp: Client, sim: Simulator, image: Path
) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    await call(mcp, "generate", {"prompt": "make a 10 second video"})
    sim.configure(next_no_text=True)
    result = data(await call(mcp, "generate", {"prompt": "lower the music to 20%"}))
    # The facts first (what changed), then that NemoVideo said nothing.
    reply = result["reply"]
    assert reply.index("What changed on the timeline:") < reply.index(
        "NemoVideo's agent finished without a message."
    )
    assert result["timeline_changed"] is True and result["agent_says"] is None
    assert any("35% → 20%" in change for change in result["changes"])


# --- long work ----------------------------------------------------------------------------------


@pytest.fixture
def short_budget(settings: Settings) -> Settings:
    return dataclasses.replace(settings, tool_budget=1.0)


async def test_progress_notifications_arrive_while_waiting(settings: Settings, sim: Simulator) -> None:
    progress = Progress()
    async with Client(create_server(settings)) as client:
        with sim.hold("run_sse", during_call=True) as gate:

            async def release() -> None:
                await gate.entered()
                await anyio.sleep(1.2)  # a heartbeat-driven update and a periodic one
                gate.release()

            async with anyio.create_task_group() as tg:
                tg.start_soon(release)
                await call(client, "generate", {"prompt": "make a video"}, progress_callback=progress)
    assert len(progress.seen) >= 2, "no progress notification reached the client"
    assert all(message for _, _, message in progress.seen)
    values = [p for p, _, _ in progress.seen]
    assert values == sorted(set(values)), "MCP progress must strictly increase"


async def test_render_progress_reaches_the_client_as_a_percentage(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    sim.configure(render_seconds=1.5)
    calls: list[Progress] = []
    async with Client(create_server(settings)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        for _ in range(10):  # as an assistant does when a loaded machine answers "rendering"
            calls.append(Progress())
            out = data(await call(client, "export", {}, progress_callback=calls[-1]))
            if out["status"] == "done":
                break
    assert out["status"] == "done"
    for progress in calls:
        values = [p for p, _, _ in progress.seen]
        assert values == sorted(set(values)), "MCP progress must strictly increase within a call"
    seen = [item for progress in calls for item in progress.seen]
    assert any(total == 100 and 0 < p < 100 for p, total, _ in seen)
    assert any("Rendering" in (m or "") for _, _, m in seen)


async def test_a_still_working_note_comes_about_every_interval_not_in_every_message(
    settings: Settings, sim: Simulator
) -> None:
    progress = Progress()
    conf = dataclasses.replace(settings, still_working_every=0.3, tool_budget=10)
    async with Client(create_server(conf)) as client:
        with sim.hold("run_sse", during_call=True) as gate:

            async def release() -> None:
                await gate.entered()
                await anyio.sleep(1.0)  # a few intervals
                gate.release()

            async with anyio.create_task_group() as tg:
                tg.start_soon(release)
                start = anyio.current_time()
                await call(client, "generate", {"prompt": "make a video"}, progress_callback=progress)
                elapsed = anyio.current_time() - start
    notes = [m for _, _, m in progress.seen if m and m.startswith("Still working")]
    assert 1 <= len(notes) <= elapsed / conf.still_working_every + 1, notes
    assert len(progress.seen) > len(notes)


async def test_a_generate_slower_than_the_budget_finishes_through_status(
    short_budget: Settings, sim: Simulator
) -> None:
    async with Client(create_server(short_budget)) as client:
        with sim.hold("run_sse") as gate:
            with anyio.fail_after(short_budget.tool_budget + 3):
                first = data(await client.call_tool("generate", {"prompt": "make a video"}))
            assert first["status"] == "working" and first["job_id"]
            assert any("status" in step for step in first["next_steps"])
            gate.release()
        answer: dict[str, Any] = {}
        with anyio.fail_after(20):
            while not answer.get("replies"):
                answer = data(await client.call_tool("status", {}))
        assert "3 tracks" in answer["replies"][0] or answer["timeline"]["tracks_total"] == 3
    assert len(requests_to(sim, "run_sse")) == 1


async def test_a_render_slower_than_the_budget_is_resumed_by_export(
    short_budget: Settings, sim: Simulator, image: Path
) -> None:
    async with Client(create_server(short_budget)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        with sim.hold("render"):
            first = data(await call(client, "export"))
            assert first["status"] == "rendering", first["reply"]
            render_id = first["render_id"]
            again = data(await call(client, "export"))
            assert again["status"] == "rendering" and again["render_id"] == render_id
        out: dict[str, Any] = {}
        with anyio.fail_after(20):
            while out.get("status") != "done":
                out = data(await call(client, "export"))
        assert out["render_id"] == render_id
    assert len(requests_to(sim, "render")) == 1, "export again must resume, not start a second render"


async def test_a_render_started_before_a_restart_is_saved_by_the_next_process_whoever_looks(
    short_budget: Settings, sim: Simulator, image: Path
) -> None:
    async with Client(create_server(short_budget)) as client:
        await call(client, "upload", {"files": [str(image)]})
        await call(client, "generate", {"prompt": "make a video"})
        with sim.hold("render"):
            first = data(await call(client, "export"))
            assert first["status"] == "rendering"
    # The first server is gone; a new one on the same store picks the render up by itself: no
    # tool is called until the MP4 is there (status only reads).
    out = short_budget.output_dir
    assert out is not None
    async with Client(create_server(short_budget)) as client:
        with anyio.fail_after(20):
            while not list(out.glob("*.mp4")):
                await anyio.sleep(0.05)
        exports = data(await call(client, "status"))["exports"]
    assert exports[0]["path"] and Path(exports[0]["path"]).read_bytes()[4:8] == b"ftyp"
    assert len(requests_to(sim, "render")) == 1


# --- resources ----------------------------------------------------------------------------------


async def test_timeline_and_exported_videos_are_resources(mcp: Client, image: Path) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    await call(mcp, "generate", {"prompt": "make a video"})
    timeline = await mcp.read_resource("nemo://timeline")
    assert "Video: beach" in getattr(timeline.contents[0], "text", "")
    out = data(await call(mcp, "export"))
    templates = (await mcp.list_resource_templates()).resource_templates
    assert any(t.uri_template == "nemo://exports/{name}" for t in templates)
    assert not [r for r in (await mcp.list_resources()).resources if r.mime_type == "video/mp4"], (
        "one template, not one registration per file"
    )
    read = await mcp.read_resource(f"nemo://exports/{Path(out['path']).name}")
    # Facts and a link, never the video inlined (an export can be gigabytes).
    described = json.loads(getattr(read.contents[0], "text", ""))
    assert described["uri"] == Path(out["path"]).as_uri() and described["verified"]
    assert (described["width"], described["size_bytes"]) == (out["width"], out["size_bytes"])
    assert len(getattr(read.contents[0], "text", "")) < 2000 and not getattr(read.contents[0], "blob", None)


async def test_only_files_in_the_output_folder_are_served(mcp: Client, settings: Settings) -> None:
    secret = settings.home / "token.json"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("{}", encoding="utf-8")
    for name in ("../home/token.json", "..%2Fhome%2Ftoken.json", "nope.mp4"):
        with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal will do; never the file
            await mcp.read_resource(f"nemo://exports/{name}")


async def test_the_app_resource_is_the_player_with_its_csp(mcp: Client) -> None:
    read = await mcp.read_resource("ui://ai-video-generator-free-music/player.html")
    content = read.contents[0]
    assert content.mime_type == "text/html;profile=mcp-app"
    assert "<video" in getattr(content, "text", "")
    domains = (content.meta or {}).get("ui", {}).get("csp", {}).get("resourceDomains", [])
    assert "https://static1.nemovideo.ai" in domains


# --- errors -------------------------------------------------------------------------------------


async def test_errors_reach_the_assistant_with_a_remedy(mcp: Client, sim: Simulator, tmp_path: Path) -> None:
    missing = await call(mcp, "upload", {"files": [str(tmp_path / "nope.jpg")]})
    assert missing.is_error and "doesn't exist" in text(missing) and "absolute path" in text(missing)
    empty = await call(mcp, "export")
    assert empty.is_error and "timeline is empty" in text(empty).lower()
    inject(sim, "credits", "500", times=10)
    down = await call(mcp, "credits")
    assert down.is_error and "Try again" in text(down)


async def test_errors_follow_the_users_language(mcp: Client, tmp_path: Path) -> None:
    await call(mcp, "generate", {"prompt": "状态"})
    missing = await call(mcp, "upload", {"files": [str(tmp_path / "不存在.jpg")]})
    assert missing.is_error and "不存在" in text(missing) and "绝对路径" in text(missing)


async def test_too_few_credits_cannot_run_and_confirming_sends_nothing(
    mcp: Client, sim: Simulator, settings: Settings
) -> None:
    await call(mcp, "credits")
    sim.state.set_credits(0)
    user_id = __import__("json").loads((settings.home / "token.json").read_text(encoding="utf-8"))["user_id"]
    link = f"https://nemovideo.com/register?bind={user_id}"
    first = data(await call(mcp, "generate", {"prompt": "make a video"}))
    assert first["status"] == "cannot_run" and link in first["cost_warning"]
    assert "can't run" in first["reply"], "with nothing left, there is nothing to confirm: get credits first"
    assert not any("accept_cost" in step for step in first["next_steps"])
    assert requests_to(sim, "run_sse") == [], "nothing was sent"
    again = data(await call(mcp, "generate", {"prompt": "make a video", "accept_cost": True}))
    assert again["status"] == "cannot_run" and link in again["reply"], "confirming can't make it run"
    assert requests_to(sim, "run_sse") == []
    assert "nmv_usr_" not in again["reply"]


async def test_a_cancelled_call_stops_waiting_but_the_work_and_its_answer_survive(
    settings: Settings, sim: Simulator
) -> None:
    async with Client(create_server(settings)) as client:
        with sim.hold("run_sse", during_call=True) as gate:
            with anyio.move_on_after(0.5) as scope:  # the user pressed stop
                await client.call_tool("generate", {"prompt": "make a video"})
            assert scope.cancelled_caught
            gate.release()
        replies: list[str] = []
        with anyio.fail_after(20):
            while not replies:
                replies = data(await client.call_tool("status", {}))["replies"]
    assert len(requests_to(sim, "run_sse")) == 1, "cancelling must not re-send the request"


async def test_an_upload_longer_than_the_budget_reports_its_outcome_in_status(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    async with Client(create_server(dataclasses.replace(settings, tool_budget=1.0))) as client:
        with sim.hold("upload") as gate:
            first = data(await call(client, "upload", {"files": [str(image)]}))
            assert first["status"] == "working" and any("status" in s for s in first["next_steps"])
            gate.release()
        answer: dict[str, Any] = {}
        with anyio.fail_after(30):
            while not any("beach.jpg" in r for r in answer.get("replies", [])):
                answer = data(await call(client, "status"))
        assert any(m["name"] == "beach.jpg" for m in answer["media"])
