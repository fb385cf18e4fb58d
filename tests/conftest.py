"""Shared fixtures: a real simulator on loopback, settings pointed at it, a client with a fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import settings as hypothesis_settings
from mcp import Client
from mcp.types import CallToolResult

from ai_video_music.client import NemoClient
from ai_video_music.config import Settings, skill_version
from ai_video_music.simulator import Fault, SimConfig, Simulator

# Property tests check behaviour, not speed: no per-example deadline on a busy CI machine.
hypothesis_settings.register_profile("project", deadline=None)
hypothesis_settings.load_profile("project")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["code", "success"])
def envelope(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sim_config() -> SimConfig:
    return SimConfig(agent_seconds=0.3, heartbeat_every=0.05, no_text_rate=0.0, render_seconds=0.6, seed=7)


@pytest.fixture
def sim(sim_config: SimConfig) -> Iterator[Simulator]:
    with Simulator(sim_config) as simulator:
        yield simulator


@pytest.fixture
def settings(sim: Simulator, tmp_path: Path) -> Settings:
    return Settings(
        api_base=sim.base_url,
        home=tmp_path / "home",
        output_dir=tmp_path / "out",
        poll_interval=0.2,
        tool_budget=5.0,
        platform="claude_code",
        version=skill_version(),
    )


class FakeSleep:
    """Records what the client wanted to wait, without waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def client(settings: Settings, fake_sleep: FakeSleep) -> AsyncIterator[NemoClient]:
    async with NemoClient(settings, sleep=fake_sleep) as c:
        yield c


def inject(sim: Simulator, route: str, kind: str, times: int = 1, retry_after: float | None = None) -> None:
    """Queue a fault for the next ``times`` requests to ``route``."""
    sim.state.faults.append(Fault(route, kind, times, retry_after))


def requests_to(sim: Simulator, route: str) -> list[dict[str, object]]:
    return [r for r in sim.state.requests if r["route"] == route]


@pytest.fixture
def image(tmp_path: Path) -> Path:
    """A small JPEG-looking file to upload."""
    path = tmp_path / "beach.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"\0" * 500)
    return path


async def call(client: Client, tool: str, args: dict[str, Any] | None = None, **kw: Any) -> CallToolResult:
    """Call a tool through the MCP session, failing the test rather than hanging."""
    with anyio.fail_after(60):
        return await client.call_tool(tool, args or {}, **kw)


def text(result: CallToolResult) -> str:
    return "\n".join(getattr(c, "text", "") for c in result.content)
