"""PostgreSQL restarted under running instances: their pools reconnect by themselves, a call
while it is away answers with a clear error to try again (never a traceback), and the first
call after it works."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import ExitStack

import anyio
import pytest
from mcp.shared.exceptions import MCPError

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator

from ..conftest import call, text
from .accounts_helpers import KEY
from .balancer import balancer, haproxy
from .oauth_client import signed_in
from .postgres import Cluster
from .serving import listen, loopback_config, port_of, running

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def own_cluster(pg_cluster: Cluster) -> Iterator[Cluster]:
    """A PostgreSQL of this test's own: the run's shared one serves other workers' tests, which
    a stop would break. (``pg_cluster`` first: it skips, or fails in CI, without PostgreSQL.)"""
    cluster = Cluster(quick=True)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


async def test_a_restarted_database_is_reconnected_and_a_call_while_it_is_away_says_try_again(
    own_cluster: Cluster, sim: Simulator, settings: Settings
) -> None:
    pg_cluster, database_url = own_cluster, own_cluster.url()
    haproxy()
    public, own = listen(), listen()
    base = f"http://127.0.0.1:{port_of(public)}"
    token, _ = sim.state.register_user(credits=500)
    # The instance in this process (its own would cost a Python start-up, ~2 s of CPU): the same
    # app and pools. A call waits 3 s for the database before it is told to try again.
    config = dataclasses.replace(loopback_config(database_url, public, KEY), database_wait=3.0)
    with ExitStack() as stack:
        stack.enter_context(running(config, settings, own))
        stack.enter_context(balancer(public, [port_of(own)]))
        stack.callback(public.close)
        with anyio.fail_after(120):
            async with signed_in(base, token) as client:
                made = await call(client, "generate", {"prompt": "start a new project", "new_project": True})
                assert not made.is_error, text(made)
                pg_cluster.pause()
                try:
                    with pytest.raises(MCPError) as away:
                        await call(client, "status", {})
                finally:
                    pg_cluster.resume()
                after = await call(client, "status", {"project": "Video 1"})
                pg_cluster.restart()  # and a restart the instance never saw coming
                again = await call(client, "status", {"project": "Video 1"})
    said = away.value.error.message
    assert "database" in said and "again" in said and "数据库" in said, said
    assert "Traceback" not in said and "psycopg" not in said, said
    assert not after.is_error and "Video 1" in text(after), text(after)
    assert not again.is_error and "Video 1" in text(again), text(again)
