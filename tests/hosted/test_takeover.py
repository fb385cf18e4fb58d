"""An instance killed (SIGKILL) in the middle of an agent turn, behind a real HAProxy: the agent
goes on at NemoVideo; once the turn's lease has run out, the other instance takes the turn over,
follows the project's state until the agent's result shows, and the user's next call tells that
result (the verified change, the cost); the request reached NemoVideo exactly once (the
simulator's own log)."""

from __future__ import annotations

import subprocess
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import anyio
import psycopg
import pytest
from mcp.types import CallToolResult

from ai_video_music.simulator import Simulator

from ..conftest import call, text
from .balancer import balancer, haproxy
from .instances import instances, kill_instance
from .oauth_client import signed_in
from .serving import listen, port_of

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.postgres]


async def _send(client: Any, prompt: str, outcome: dict[str, Any]) -> None:
    try:
        outcome["first"] = await call(client, "generate", {"prompt": prompt, "accept_cost": True})
    except Exception as err:  # the instance died under it
        outcome["first"] = err


def _kill_the_reader(database_url: str, running: list[tuple[int, subprocess.Popen[bytes]]]) -> None:
    """SIGKILL the instance that holds the running turn's lease (it reads the agent's stream)."""
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT owner FROM generations WHERE status='running'").fetchone()
    assert row is not None
    kill_instance(int(str(row[0]).split(":")[-2]), running)


async def test_a_turn_on_a_killed_instance_is_followed_to_its_result_and_never_sent_twice(
    database_url: str, sim: Simulator, tmp_path: Path
) -> None:
    haproxy()
    public = listen()
    base = f"http://127.0.0.1:{port_of(public)}"
    token, _ = sim.state.register_user(credits=500)
    prompt = "add some calm piano music"
    outcome: dict[str, Any] = {}
    # Looks at NemoVideo's state a moment apart (in production: after 30 s, then every 60 s).
    follow = {"NEMO_TAKEOVER_FIRST_S": "0.05", "NEMO_TAKEOVER_EVERY_S": "0.2"}
    with ExitStack() as stack:
        running = stack.enter_context(instances(database_url, base, sim.base_url, tmp_path, 2, **follow))
        stack.enter_context(balancer(public, [port for port, _ in running]))
        stack.callback(public.close)
        with anyio.fail_after(120):
            try:
                async with signed_in(base, token) as client:
                    made = await call(
                        client, "generate", {"prompt": "start a new project", "new_project": True}
                    )
                    assert not made.is_error, made
                    with sim.state.hold("run_sse") as gate:
                        async with anyio.create_task_group() as tg:
                            tg.start_soon(_send, client, prompt, outcome)
                            assert await gate.entered(30)  # at the agent, its stream read by one instance
                            _kill_the_reader(database_url, running)
                        gate.release()  # the agent goes on at NemoVideo, its reader gone
            except Exception as err:  # the session died with the instance that served it
                outcome.setdefault("first", err)
            # Its lease is no longer renewed; the time it would take to run out, skipped.
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute("UPDATE generations SET lease_until = 0 WHERE status='running'")
            async with signed_in(base, token) as client:  # the user comes back
                # A new connection has no current project yet: the user names theirs.
                told: CallToolResult = await call(client, "status", {"project": "Video 1"})
                again: CallToolResult = await call(client, "generate", {"prompt": prompt})
    assert not isinstance(outcome["first"], CallToolResult) or outcome["first"].is_error
    assert told.structured_content is not None, told
    answers = told.structured_content["answers"]
    assert len(answers) == 1, text(told)
    answer = answers[0]
    assert answer["interrupted"] is False and answer["timeline_changed"] is True, text(told)
    assert "Calm Piano" in answer["reply"], answer["reply"]  # the change the agent made, read back
    assert "not sent again" in answer["reply"], answer["reply"]
    assert answer["credits_used"] == sim.state.config.generation_cost  # the balance's fall, its own
    assert not again.is_error and again.structured_content is not None
    assert again.structured_content["status"] == "needs_confirmation"  # a repeat is asked, not sent
    assert len(sim.requests("run_sse")) == 1
