"""The sign-in limit counts each client's own address through the documented balancer: a client
can't get a fresh address per try by sending its own X-Forwarded-For, and one client's bad tries
don't lock out everyone else behind the same balancer. Instances run as an operator starts them
(``serve --hosted``, NEMO_TRUSTED_PROXIES naming the balancer) behind HAProxy configured as
scripts/hosted-stack configures it."""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import httpx
import pytest

from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from .balancer import balancer, haproxy
from .conftest import own_database
from .instances import instances
from .oauth_steps import pkce, register, signin_form, submit
from .postgres import Cluster
from .serving import listen, port_of

# Both tests on one worker, against one instance behind one balancer (started once: ~1.5 s of
# CPU each time). Each test's clients come from addresses of their own, so one test's tries
# never count against the other's.
pytestmark = [pytest.mark.anyio, pytest.mark.postgres, pytest.mark.xdist_group("forwarded")]
ALLOWED = 10  # HostedConfig.signin_failures_allowed


@pytest.fixture(scope="module")
def public(
    pg_cluster: Cluster, simulator: Simulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    haproxy()
    sock = listen()
    base = f"http://127.0.0.1:{port_of(sock)}"
    home = tmp_path_factory.mktemp("forwarded")
    with (
        own_database(pg_cluster) as database_url,
        instances(
            database_url, base, simulator.base_url, home, 1, NEMO_TRUSTED_PROXIES="127.0.0.1"
        ) as started,
        balancer(sock, [port for port, _ in started]),
    ):
        yield base
    sock.close()


def from_address(base: str, address: str) -> httpx.AsyncClient:
    """A browser whose connections come from another loopback address: another machine, as far
    as the balancer can tell."""
    return httpx.AsyncClient(
        verify=shared_context(),
        base_url=base,
        timeout=30,
        transport=httpx.AsyncHTTPTransport(local_address=address),
    )


async def bad_tries(browser: httpx.AsyncClient, n: int, *, spoof: bool) -> list[int]:
    client_id = (await register(browser)).json()["client_id"]
    page = await signin_form(browser, client_id, pkce().challenge)
    statuses = []
    for i in range(n):
        headers = {"X-Forwarded-For": f"203.0.113.{i}"} if spoof else {}
        statuses.append((await submit(browser, page, f"nmv_guess_{i}", **headers)).status_code)
    return statuses


async def test_a_client_cannot_pick_its_address_with_its_own_forwarded_header(public: str) -> None:
    with anyio.fail_after(60):
        async with from_address(public, "127.0.0.2") as guesser:
            statuses = await bad_tries(guesser, ALLOWED + 2, spoof=True)
    assert statuses == [401] * ALLOWED + [429] * 2


async def test_one_clients_bad_tries_do_not_lock_out_another_behind_the_balancer(
    public: str, sim: Simulator
) -> None:
    token, _ = sim.state.register_user()
    with anyio.fail_after(60):
        async with from_address(public, "127.0.0.3") as guesser, from_address(public, "127.0.0.4") as user:
            assert (await bad_tries(guesser, ALLOWED + 1, spoof=False))[-1] == 429
            client_id = (await register(user)).json()["client_id"]
            signed_in = await submit(user, await signin_form(user, client_id, pkce().challenge), token)
    assert signed_in.status_code == 303
