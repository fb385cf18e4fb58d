"""One customer of an ISP's /48 can't lock every neighbour of that /48 out of signing in (attack
round 6, N7: 10 wrong tokens from each of 16 /64s paused a fresh /64 with a good token).

A /64 with no tries of its own in the window gets one while only its site (/48) is over; the
site still bounds what each of its /64s can do after that one try, and free accounts (a scarce
resource the site key guards) get no such try."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from ai_video_music.config import Settings
from ai_video_music.hosted import db
from ai_video_music.hosted.app import create_app
from ai_video_music.hosted.clients import SITE_FACTOR, client_key
from ai_video_music.hosted.ratelimit import RateLimit
from ai_video_music.simulator import Simulator

from .accounts_helpers import KEY
from .oauth_client import hidden_fields
from .oauth_steps import authorize, pkce, register
from .serving import listen, loopback_config, serving
from .test_hosted_flow import signin_page

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
ALLOWED = 10  # HostedConfig.signin_failures_allowed


def via(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@contextmanager
def behind_balancer(database_url: str, settings: Settings, **changes: Any) -> Iterator[str]:
    """The app trusting 127.0.0.1 as its balancer: the test writes each client's X-Forwarded-For
    (requests without one count as the balancer's own address)."""
    sock = listen()
    config = dataclasses.replace(
        loopback_config(database_url, sock, KEY), trusted_proxies=("127.0.0.1",), **changes
    )
    with serving(
        create_app(config, settings), sock, proxy_headers=True, forwarded_allow_ips=["127.0.0.1"]
    ) as base:
        yield base


async def test_a_fresh_64_of_a_site_paused_by_its_neighbours_still_signs_in(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    good, _ = sim.state.register_user(credits=50)
    with behind_balancer(database_url, settings) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            form = hidden_fields((await signin_page(http)).text)

            async def post(token: str, address: str) -> int:
                # A page of its own each time (a sign-in that succeeds uses its page up).
                page = hidden_fields((await signin_page(http)).text) if token == good else form
                answer = await http.post("/signin", data=page | {"nemo_token": token}, headers=via(address))
                return answer.status_code

            # One customer: 10 wrong tokens from each of 16 /64s of 2001:db8:aaaa::/48.
            attacker = [
                await post(f"bad{net}-{i}", f"2001:db8:aaaa:{net:x}::{i + 1:x}")
                for net in range(1, SITE_FACTOR + 1)
                for i in range(ALLOWED)
            ]
            typo = [await post("mistyped", "2001:db8:aaaa:cafe::1") for _ in range(2)]
            again = await post("bad-again", "2001:db8:aaaa:1::99")
            fresh_attacker = [await post(f"bad-fresh-{i}", "2001:db8:aaaa:f00::1") for i in range(2)]
            neighbour = await post(good, "2001:db8:aaaa:beef::1")
    assert attacker == [401] * (SITE_FACTOR * ALLOWED)
    assert neighbour == 303  # a good token from a /64 with no refused tries of its own
    # One try each while the site is over: a mistyped token is checked, the next one waits.
    assert typo == [401, 429]
    assert fresh_attacker == [401, 429]
    assert again == 429  # the attacker's own /64s stay paused


async def test_a_fresh_64_reaches_the_signin_page_while_its_site_is_over(
    database_url: str, settings: Settings
) -> None:
    # One /authorize per client per window, so that a site's 16 fill quickly.
    with behind_balancer(database_url, settings, authorizations_per_address=1) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            client_id = (await register(http)).json()["client_id"]
            challenge = pkce().challenge

            async def open_signin(address: str) -> int:
                http.headers.update(via(address))
                return (await authorize(http, client_id, challenge)).status_code

            filled = [await open_signin(f"2001:db8:aaaa:{net:x}::1") for net in range(1, SITE_FACTOR + 1)]
            again = await open_signin("2001:db8:aaaa:1::2")
            fresh = [await open_signin("2001:db8:aaaa:beef::1") for _ in range(2)]
    assert filled == [302] * SITE_FACTOR
    assert again == 429  # a /64 over its own allowance
    assert fresh == [302, 429]  # the fresh /64's one request, then the site's pause


async def test_registrations_keep_the_sites_allowance_with_no_fresh_try(database_url: str) -> None:
    pool = db.make_pool(database_url)
    await pool.open(wait=True)
    try:
        async with pool.connection() as conn:
            await db.migrate(conn)
        # Each registration stores a client: a /48's 65,536 /64s must not each add one more.
        limit = RateLimit(pool, "register", allowed=1, window=600)
        filled = [await limit.hit(client_key(f"2001:db8:0:{net:x}::1")) for net in range(SITE_FACTOR)]
        fresh = await limit.hit(client_key("2001:db8:0:beef::1"))
    finally:
        await pool.close()
    assert all(filled)
    assert not fresh
