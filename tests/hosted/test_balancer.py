"""Two instances behind a real HAProxy share one database: a user signs in through the balancer
(each step may land on either instance) and the token works on both."""

from __future__ import annotations

import base64
import dataclasses
from contextlib import ExitStack
from pathlib import Path

import anyio
import httpx
import pytest

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from ..conftest import call
from .balancer import balancer, haproxy
from .oauth_client import MemoryStorage, signed_in
from .serving import listen, loopback_config, port_of, running
from .test_tokens import INITIALIZE

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
KEY = base64.urlsafe_b64encode(b"hosted-tests-only-key-32-bytes!!")


async def test_a_token_minted_through_one_instance_works_on_the_other(
    database_url: str, settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    haproxy()
    public = listen()
    instances = [listen(), listen()]
    ports = [port_of(s) for s in instances]
    config = loopback_config(database_url, public, KEY)
    token, _ = sim.state.register_user(credits=77)
    storage = MemoryStorage()
    with ExitStack() as stack:
        for i, sock in enumerate(instances):  # each its own machine: its own state folder
            stack.enter_context(running(config, dataclasses.replace(settings, home=tmp_path / f"i{i}"), sock))
        stack.enter_context(balancer(public, ports))
        stack.callback(public.close)
        base = config.public_url
        with anyio.fail_after(90):
            async with signed_in(base, token, storage) as client:
                answers = [await call(client, "credits") for _ in range(4)]
            assert storage.tokens is not None
            statuses = []
            async with httpx.AsyncClient(verify=shared_context(), timeout=30) as http:
                for port in ports:
                    answer = await http.post(
                        f"http://127.0.0.1:{port}/mcp",
                        json=INITIALIZE,
                        headers={
                            "Host": config.public_host,  # what the balancer passes on
                            "Authorization": f"Bearer {storage.tokens.access_token}",
                            "Accept": "application/json, text/event-stream",
                        },
                    )
                    statuses.append(answer.status_code)
    assert all(
        not a.is_error and a.structured_content and a.structured_content["available"] == 77 for a in answers
    )
    assert statuses == [200, 200]


async def test_a_users_projects_are_the_same_on_every_instance(
    database_url: str, settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    """Each instance has its own disk; the project list is in the database, so whichever
    instance the balancer picks (round robin: every other call) answers with the same one."""
    haproxy()
    public = listen()
    instances = [listen(), listen()]
    config = loopback_config(database_url, public, KEY)
    token, _ = sim.state.register_user()
    with ExitStack() as stack:
        for i, sock in enumerate(instances):
            stack.enter_context(running(config, dataclasses.replace(settings, home=tmp_path / f"i{i}"), sock))
        stack.enter_context(balancer(public, [port_of(s) for s in instances]))
        stack.callback(public.close)
        with anyio.fail_after(90):
            async with signed_in(config.public_url, token) as client:
                # Two in a row: each lands on another instance, which must not keep the first as current.
                made = [
                    await call(client, "generate", {"prompt": "start a new project", "new_project": True})
                    for _ in range(2)
                ]
                listed = [await call(client, "status") for _ in range(4)]
    assert not any(m.is_error for m in made), made
    views = [s.structured_content["projects"] for s in listed if s.structured_content]
    assert len(views) == 4 and all(len(v) == 2 for v in views)
    assert all({p["id"] for p in v} == {p["id"] for p in views[0]} for v in views)
    newest = made[1].structured_content["project"]["id"] if made[1].structured_content else None
    assert all([p["id"] for p in v if p["current"]] == [newest] for v in views)
