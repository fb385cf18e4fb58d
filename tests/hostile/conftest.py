"""Fixtures for the hostile-backend tests: one double per session, reset around every test."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult

from ai_video_music import redact
from ai_video_music.client import NemoClient
from ai_video_music.config import Settings, skill_version
from ai_video_music.tools import create_server

from .double import Hostile

BUDGET = 3.0  # a small tool budget: every call must answer within it, whatever the double does
MakeServer = Callable[..., MCPServer[Any]]


@pytest.fixture(scope="session")
def hostile_backend(sample_mp4: Path) -> Iterator[Hostile]:
    with Hostile(video=sample_mp4.read_bytes()) as double:
        yield double


@pytest.fixture
def hostile(hostile_backend: Hostile) -> Iterator[Hostile]:
    hostile_backend.reset()
    yield hostile_backend
    hostile_backend.reset()  # end held answers before the next test


@pytest.fixture(autouse=True)
def _known_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Secrets registered by one test (a fuzzed token, say) must not mask text in the next."""
    monkeypatch.setattr(redact, "_known", set(redact._known))


@pytest.fixture
def hsettings(hostile: Hostile, tmp_path: Path) -> Settings:
    return Settings(
        api_base=hostile.base_url,
        home=tmp_path / "home",
        output_dir=tmp_path / "out",
        poll_interval=0.05,
        tool_budget=BUDGET,
        render_timeout=60.0,
        platform="claude_code",
        version=skill_version(),
        still_working_every=1000.0,
    )


async def _no_sleep(seconds: float) -> None:
    await anyio.lowlevel.checkpoint()


@pytest.fixture
def make_server(hsettings: Settings) -> MakeServer:
    """A server on the double; Settings fields and NemoClient options overridable by keyword.
    Retry waits are skipped (they are the client's business, not what these tests check)."""

    def make(**overrides: Any) -> MCPServer[Any]:
        fields = {f.name for f in dataclasses.fields(Settings)}
        conf = dataclasses.replace(hsettings, **{k: v for k, v in overrides.items() if k in fields})
        client_kw = {"sleep": _no_sleep} | {k: v for k, v in overrides.items() if k not in fields}
        return create_server(conf, client_factory=lambda c: NemoClient(c, **client_kw))

    return make


_BARE_CRASH = re.compile(r"Error executing tool \w+")


def text(result: CallToolResult) -> str:
    return "\n".join(getattr(c, "text", "") for c in result.content)


def everything(result: CallToolResult) -> str:
    """All a client can read of a result: the text and the structured content."""
    return text(result) + "\n" + json.dumps(result.structured_content, ensure_ascii=False)


def check_answer(result: CallToolResult, secrets: tuple[str, ...] = ()) -> str:
    """What every answer must be, whatever the backend did: a message (not a bare crash),
    encodable as UTF-8 (the stdio writer dies on a lone surrogate), free of escapes and secrets."""
    body = everything(result)
    assert not _BARE_CRASH.fullmatch(text(result).strip()), f"crashed without a message: {body[:500]}"
    body.encode("utf-8")  # raises on a lone surrogate
    assert "\x1b" not in body, "a terminal escape reached the output"
    for secret in secrets:
        assert secret not in body, "a secret reached the output"
    return body


async def call(
    client: Client, tool: str, args: dict[str, Any] | None = None, secrets: tuple[str, ...] = ()
) -> CallToolResult:
    """A tool call that must answer within the budget (plus time to deliver it), checked."""
    with anyio.fail_after(BUDGET + 2):
        result = await client.call_tool(tool, args or {})
    check_answer(result, secrets)
    return result


def stdio_env(hostile: Hostile, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "NEMO_API_BASE": hostile.base_url,
        "NEMO_HOME": str(tmp_path / "home"),
        "NEMO_OUTPUT_DIR": str(tmp_path / "out"),
        "NEMO_POLL_INTERVAL": "0.05",
        "NEMO_TOOL_BUDGET": str(BUDGET),
        # transport.set_testing doesn't reach a subprocess: its re-sends wait a token time instead.
        "NEMO_RETRY_BACKOFF": "0.01",
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        **extra,
    }


def cpu_cost(run: Callable[[], object]) -> float:
    """The CPU seconds ``run`` takes on this thread, the best of three: another process's burst,
    or this process's other threads (a simulator or double an earlier test left serving), is not
    this code's cost (the cost tests compare ratios of these, never clocks)."""
    best = float("inf")
    for _ in range(3):
        start = time.thread_time()
        run()
        best = min(best, time.thread_time() - start)
    return best


def cost_ratio(hostile: Callable[[], object], honest: Callable[[], object], floor: float = 1e-3) -> float:
    """How many times ``honest``'s CPU cost ``hostile`` takes (the honest cost at least ``floor``).
    A ratio above 3 is measured again, up to five times, and the lowest kept: a burst of another
    process on a loaded machine passes, work that grows with the text is high every time."""
    ratio = float("inf")
    for _ in range(5):
        ratio = min(ratio, cpu_cost(hostile) / max(cpu_cost(honest), floor))
        if ratio <= 3:
            break
    return ratio
