"""Two MCP clients of one `serve --http` (issue 17, class 2): each is told its own answers and keeps
its own current project, with sessions (protocol 2025) and without (2026-07-28, no session id on
the wire: a client names its earlier request to be itself).

Real SDK clients against the real console script and the simulator; the agent's turn is held at
the simulator so the first client's request is still working when its call answers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.types import CallToolResult

from ai_video_music.httpsecret import read_secret
from ai_video_music.simulator import Simulator

from .conftest import fast_config
from .test_http_local import _free_port, serve_http

ALPHA = "make a 5 second video of a red car called Alpha"
BETA = "make a 5 second video of a blue boat called Beta"
MODES = ["legacy", "2026-07-28"]


@dataclass
class Serving:
    url: str
    secret: str


@pytest.fixture
def serving(simulator: Simulator, tmp_path: Path) -> Iterator[Serving]:
    simulator.reset(fast_config())
    port, home = _free_port(), tmp_path / "state"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "NEMO_HOME": str(home),
        "NEMO_API_BASE": simulator.base_url,
        "NEMO_OUTPUT_DIR": str(tmp_path / "out"),
        "NEMO_LANGUAGE": "en",
        "NEMO_TOOL_BUDGET": "3",  # a held turn answers "working" within this
    }
    try:
        with serve_http(env, port, tmp_path / "server.log"):
            secret = read_secret(home)
            assert secret
            yield Serving(f"http://127.0.0.1:{port}/mcp", secret)
    finally:
        simulator.reset(fast_config())  # releases the held turn


def data(result: CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    return result.structured_content or {}


def told(out: dict[str, Any]) -> str:
    return " ".join(out.get("replies", [])) + " ".join(a.get("request", "") for a in out.get("answers", []))


# Each mode's test starts a server of its own (one process, one user's state: the clients' projects
# and answers are what the test checks); the unknown-request check shares the sessionless one.
@pytest.mark.parametrize("mode", MODES)
def test_each_http_client_is_told_its_own_answer_and_keeps_its_own_project(
    serving: Serving, simulator: Simulator, mode: str
) -> None:
    async def scenario() -> None:
        auth = {"Authorization": f"Bearer {serving.secret}"}
        ha, hb = create_mcp_http_client(headers=auth), create_mcp_http_client(headers=auth)
        async with (
            ha,
            hb,
            Client(streamable_http_client(serving.url, http_client=ha), mode=mode) as a,
            Client(streamable_http_client(serving.url, http_client=hb), mode=mode) as b,
        ):
            if mode != "legacy":  # really without sessions
                assert a.protocol_version == "2026-07-28"
            with simulator.hold("run_sse") as gate:
                first = {"prompt": ALPHA, "new_project": True, "accept_cost": True}
                started = data(await a.call_tool("generate", first))
                assert started["status"] == "working"
                job, alpha = started["job_id"], started["project"]["id"]
                mine = {"request": job} if mode != "legacy" else {}
                if mode != "legacy":  # told how to stay itself without a session
                    assert f'request="{job}"' in " ".join(started["next_steps"])
                gate.release()
            # B looks until A's answer is ready: labelled, never handed over to B. (B's status
            # has nothing of its own to wait for, so it answers at once: look for up to 30 s.)
            deadline = anyio.current_time() + 30
            while True:
                seen = data(await b.call_tool("status", {}))
                assert "red car" not in told(seen)
                if any("red car" in line for line in seen["elsewhere"]):
                    break
                if anyio.current_time() > deadline:
                    pytest.fail(f"B never saw A's answer labelled: {seen}")
                await anyio.sleep(0.2)
            # A's clip left less than a generation's estimate (about 100): B's would not be sent.
            simulator.state.set_credits(1000)
            second = {"prompt": BETA, "new_project": True, "accept_cost": True}
            beta = data(await b.call_tool("generate", second))
            assert beta["status"] == "done" and beta["project"]["id"] != alpha
            # A is told its answer once, in its own project, whatever B did meanwhile.
            back = data(await a.call_tool("status", mine))
            assert "red car" in told(back)
            assert back["project"]["id"] == alpha
            again = data(await a.call_tool("status", mine))
            assert "red car" not in told(again) and again["project"]["id"] == alpha
            # B's own project stayed B's.
            b_mine = {"request": beta["job_id"]} if mode != "legacy" else {}
            assert data(await b.call_tool("status", b_mine))["project"]["id"] == beta["project"]["id"]
            if mode != "legacy":  # a request the server never made is refused in words
                unknown = await b.call_tool("status", {"request": "gen_nothing"})
                assert unknown.is_error
                assert "No request has the job_id 'gen_nothing'" in str(unknown.content)

    anyio.run(scenario)
