"""What a host shows and decides from: tool titles and annotations, the prompts (slash
commands), the instructions; and that the tools marked read-only really change nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import CallToolResult, TextContent

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tools import create_server

from .conftest import call, requests_to, text

pytestmark = pytest.mark.anyio


@pytest.fixture
async def mcp(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings)) as client:
        yield client


def data(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, text(result)
    out: dict[str, Any] | None = result.structured_content
    assert out is not None
    return out


# --- the tool list ---------------------------------------------------------------------------------


async def test_every_tool_has_a_title_of_its_own_and_in_its_annotations(mcp: Client) -> None:
    for tool in (await mcp.list_tools()).tools:
        assert tool.title and tool.title[0].isupper(), tool.name
        assert tool.annotations is not None and tool.annotations.title == tool.title


async def test_only_the_tools_that_change_nothing_are_read_only(mcp: Client) -> None:
    hints = {t.name: t.annotations for t in (await mcp.list_tools()).tools}
    read_only = {name for name, a in hints.items() if a and a.read_only_hint}
    assert read_only == {"status", "credits"}, "hosts then run them without asking"
    generate = hints["generate"]
    assert generate and generate.destructive_hint is True and generate.idempotent_hint is False


async def test_cancel_is_said_where_the_assistant_looks_for_it(mcp: Client) -> None:
    instructions = mcp.instructions or ""
    assert "cancel" in instructions.lower() and "generate" in instructions
    generate = next(t for t in (await mcp.list_tools()).tools if t.name == "generate")
    assert 'prompt="cancel"' in (generate.description or "")


# --- prompts -----------------------------------------------------------------------------------------


async def test_the_prompts_are_listed_with_titles_and_their_arguments(mcp: Client) -> None:
    assert mcp.server_capabilities.prompts is not None
    prompts = {p.name: p for p in (await mcp.list_prompts()).prompts}
    assert set(prompts) == {"video_from_photos", "add_free_music", "export_video", "new_video"}
    assert prompts["video_from_photos"].title == "Make a video from my photos"
    assert prompts["add_free_music"].title == "Add free background music"
    assert prompts["export_video"].title == "Export my video"
    args = {a.name: a.required for a in prompts["video_from_photos"].arguments or []}
    assert args == {"files": True, "details": False, "language": False}
    for prompt in prompts.values():
        assert prompt.description and any("\u4e00" <= c <= "\u9fff" for c in prompt.description)


def _said(result: Any) -> str:
    (message,) = result.messages
    assert message.role == "user" and isinstance(message.content, TextContent)
    return message.content.text


async def test_a_prompt_starts_the_flow_in_the_language_asked(mcp: Client) -> None:
    en = _said(await mcp.get_prompt("video_from_photos", {"files": "~/trip/*.jpg", "details": "30 s, 9:16"}))
    assert "~/trip/*.jpg" in en and "upload" in en and "generate" in en and "30 s, 9:16" in en
    zh = _said(await mcp.get_prompt("video_from_photos", {"files": "~/trip", "language": "zh"}))
    assert "照片" in zh and "~/trip" in zh
    assert "钢琴" in _said(await mcp.get_prompt("add_free_music", {"mood": "钢琴", "language": "zh-CN"}))
    assert "export" in _said(await mcp.get_prompt("export_video", {}))
    assert "low" in _said(await mcp.get_prompt("export_video", {"quality": "low"}))


async def test_a_prompt_without_a_language_follows_the_users_last_words(mcp: Client, image: Path) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    await call(mcp, "generate", {"prompt": "用这张照片做一个6秒的视频"})
    assert "导出" in _said(await mcp.get_prompt("export_video", {}))


# --- status shows, the tools that act switch ------------------------------------------------------------


async def _two_projects(client: Client, image: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    await call(client, "upload", {"files": [str(image)]})
    first = data(await call(client, "generate", {"prompt": "make a 6 second video for the bakery"}))
    second = data(
        await call(
            client, "generate", {"prompt": "make a 6 second video for the garage", "new_project": True}
        )
    )
    return first["project"], second["project"]


async def test_status_of_another_project_shows_it_without_making_it_current(
    rich: Client, image: Path
) -> None:
    mcp = rich
    bakery, garage = await _two_projects(mcp, image)
    shown = data(await call(mcp, "status", {"project": "Bakery"}))
    assert shown["project"]["id"] == bakery["id"] and shown["project"]["current"] is False
    assert shown["timeline"]["duration_s"] == 6
    assert "Garage" in shown["reply"], "says which project is still current"
    assert "Current project: “Bakery”" not in shown["reply"], "never labels the shown one current"
    assert "Shown project (not the current one): “Bakery”" in shown["reply"]
    assert any('project="Bakery"' in step for step in shown["next_steps"])
    assert not any(step.startswith("Call export") for step in shown["next_steps"]), (
        "a bare export would export the current project, not this one"
    )
    assert data(await call(mcp, "status"))["project"]["id"] == garage["id"], "nothing switched"


async def test_generate_upload_and_export_work_on_the_project_named(
    rich: Client, sim: Simulator, image: Path
) -> None:
    mcp = rich
    bakery, garage = await _two_projects(mcp, image)
    out = data(await call(mcp, "export", {"project": "Bakery"}))
    assert out["status"] == "done" and Path(out["path"]).name.startswith("bakery-")
    assert "Bakery" in out["reply"]
    assert data(await call(mcp, "status"))["project"]["id"] == bakery["id"], "export made it current"
    up = data(await call(mcp, "upload", {"files": [str(image)], "project": garage["id"]}))
    assert up["project"]["id"] == garage["id"]
    edit = data(await call(mcp, "generate", {"prompt": "add calm music", "project": "Bakery"}))
    assert edit["project"]["id"] == bakery["id"]
    both = await call(mcp, "generate", {"prompt": "make a video", "project": "Bakery", "new_project": True})
    assert both.is_error and "new_project" in text(both)
    assert len(requests_to(sim, "render")) == 1


async def test_status_never_starts_or_saves_anything(
    mcp: Client, sim: Simulator, settings: Settings, image: Path
) -> None:
    await call(mcp, "upload", {"files": [str(image)]})
    await call(mcp, "generate", {"prompt": "make a 6 second video"})
    before = {
        route: len(requests_to(sim, route)) for route in ("render", "render_cancel", "run_sse", "upload")
    }
    for _ in range(3):
        data(await call(mcp, "status"))
    after = {route: len(requests_to(sim, route)) for route in before}
    assert after == before
    assert settings.output_dir is not None and not list(settings.output_dir.glob("*.mp4"))


async def test_every_working_answer_says_when_to_look_again(
    settings: Settings, sim: Simulator, image: Path
) -> None:
    conf = dataclasses.replace(settings, tool_budget=5.0, token=sim.state.register_user(credits=1000)[0])
    async with Client(create_server(conf)) as client:
        await call(client, "upload", {"files": [str(image)]})
        with sim.hold("run_sse"):
            working = data(await call(client, "generate", {"prompt": "make a 6 second video"}))
            assert working["status"] == "working" and working["poll_after_s"] > 0
            looked = data(await call(client, "status"))
            assert looked["working"] and looked["poll_after_s"] > 0
            waiting = data(await call(client, "export"))
            assert waiting["status"] == "waiting" and waiting["poll_after_s"] > 0
        with anyio.fail_after(30):  # each status waits for the turn within its budget
            while data(await call(client, "status"))["working"]:
                pass
        with sim.hold("render"):
            rendering = data(await call(client, "export"))
            assert rendering["status"] == "rendering" and rendering["poll_after_s"] > 0
            via_generate = data(await call(client, "generate", {"prompt": "export"}))
            assert via_generate["status"] == "working" and via_generate["poll_after_s"] > 0
