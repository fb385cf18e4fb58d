"""The limits kept per client hold however the tries arrive: posts sent all at once are counted
one after the other (each is counted before NemoVideo is asked), and an IPv6 client is one
client across its whole /64, not one per address it picks."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import anyio
import httpx
import psycopg
import pytest

from ai_video_music.config import Settings
from ai_video_music.hosted import db
from ai_video_music.hosted.app import create_app
from ai_video_music.hosted.clients import SITE_FACTOR, client_key, keys_of
from ai_video_music.hosted.ratelimit import RateLimit
from ai_video_music.simulator import Simulator
from ai_video_music.tls import shared_context

from .accounts_helpers import KEY, hosted_with
from .oauth_client import hidden_fields
from .serving import listen, loopback_config, serving
from .test_hosted_flow import signin_page
from .test_team import member

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
ALLOWED = 10  # HostedConfig.signin_failures_allowed


async def all_at_once(base: str, n: int, fields: dict[str, str]) -> list[int]:
    """``n`` browsers (each with its own cookies) open the sign-in page, then all post at once."""
    browsers = [httpx.AsyncClient(verify=shared_context(), base_url=base, timeout=60) for _ in range(n)]
    statuses: list[int] = []
    try:
        forms = [hidden_fields((await signin_page(b)).text) | fields for b in browsers]

        async def post(browser: httpx.AsyncClient, form: dict[str, str]) -> None:
            statuses.append((await browser.post("/signin", data=form)).status_code)

        with anyio.fail_after(60):
            async with anyio.create_task_group() as tg:
                for browser, form in zip(browsers, forms, strict=True):
                    tg.start_soon(post, browser, form)
    finally:
        for browser in browsers:
            await browser.aclose()
    return sorted(statuses)


def free_users(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM users WHERE kind = 'free'").fetchone()
    return int(row[0]) if row else 0


async def test_start_free_posted_many_times_at_once_starts_one_account(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    sim.configure(anon_tokens_per_address=100)  # NemoVideo's own limit is not the one tested
    with hosted_with(database_url, settings, allow_anonymous=True, free_per_address=1) as base:
        statuses = await all_at_once(base, 8, {"start_free": "1"})
    assert statuses == [303] + [429] * 7
    assert len(sim.requests("token")) == 1  # NemoVideo was asked once
    assert free_users(database_url) == 1


async def test_a_free_account_nemovideo_refused_does_not_count_against_the_client(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    sim.configure(anon_tokens_per_address=1)
    sim.state.anon_by_address.append((time.time(), "127.0.0.1"))  # this address's free account: used
    with hosted_with(database_url, settings, allow_anonymous=True, free_per_address=1) as base:
        async with httpx.AsyncClient(verify=shared_context(), base_url=base, timeout=30) as http:
            refused = await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
            sim.configure(anon_tokens_per_address=100)
            started = await http.post("/signin", data=hidden_fields((await signin_page(http)).text))
    assert refused.status_code == 429 and "NemoVideo gives no more free accounts" in refused.text
    assert started.status_code == 303  # our own limit of one was not used up by NemoVideo's refusal


async def test_wrong_tokens_posted_all_at_once_are_checked_at_most_the_limit(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    with hosted_with(database_url, settings) as base:
        statuses = await all_at_once(base, 2 * ALLOWED, {"nemo_token": "nmv_usr_wrong_guess_0000"})
    assert statuses == [401] * ALLOWED + [429] * ALLOWED
    assert len(sim.requests("credits")) == ALLOWED  # the others never reached NemoVideo


async def test_wrong_member_codes_posted_all_at_once_are_tried_at_most_the_limit(
    database_url: str, settings: Settings, sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    token, _ = sim.state.register_user(credits=5000)
    with hosted_with(database_url, settings, team_token=token) as base:
        code = await member(database_url, "alice", monkeypatch)
        statuses = await all_at_once(base, 2 * ALLOWED, {"member_code": "guessed-member-code-0000"})
        async with httpx.AsyncClient(verify=shared_context(), base_url=base, timeout=30) as http:
            page = await signin_page(http)
            # Paused for the guesser's address: even the right code waits out the window.
            late = await http.post("/signin", data=hidden_fields(page.text) | {"member_code": code})
    assert statuses == [401] * ALLOWED + [429] * ALLOWED
    assert late.status_code == 429


async def test_good_tokens_do_not_count_against_the_limit(
    database_url: str, settings: Settings, sim: Simulator
) -> None:
    token, _ = sim.state.register_user()
    with hosted_with(database_url, settings) as base:
        # One after the other: each good sign-in gives its counted attempt back. (Posted all at
        # once, attempts still in flight count: the limit holds however many arrive together.)
        statuses = []
        for _ in range(ALLOWED + 2):
            statuses += await all_at_once(base, 1, {"nemo_token": token})
    assert statuses == [303] * (ALLOWED + 2)


# --- one IPv6 client, many addresses --------------------------------------------------------


def test_an_ipv6_client_is_keyed_by_its_64_and_ipv4_by_its_address() -> None:
    assert client_key("2001:db8:0:1::5") == client_key("2001:DB8:0:1:ffff:1:2:3") == "2001:db8:0:1::/64"
    assert client_key("2001:db8:0:2::5") != client_key("2001:db8:0:1::5")
    assert client_key("198.51.100.7") == "198.51.100.7" != client_key("198.51.100.8")
    assert client_key("::ffff:198.51.100.7") == "198.51.100.7"  # the same IPv4 client, mapped
    assert client_key(None) == "unknown"


@pytest.mark.parametrize(
    "address",
    [
        "2002:c633:6407::1",  # 6to4: 2^80 addresses for one IPv4 address
        "2002:c633:6407:5:6::7",
        "2001:0:4136:e378:8000:63bf:39cc:9bf8",  # Teredo: the client's IPv4, inverted in the last 32 bits
        "::ffff:0:198.51.100.7",  # SIIT's IPv4-translated form
        "::198.51.100.7",  # the old IPv4-compatible form
    ],
)
def test_an_ipv6_address_that_carries_an_ipv4_client_is_that_client(address: str) -> None:
    assert client_key(address) == "198.51.100.7"


def test_an_address_with_its_port_is_the_address_and_a_name_is_never_a_site() -> None:
    assert client_key("198.51.100.7:443") == client_key("198.51.100.7:50000") == "198.51.100.7"
    assert client_key("[2001:db8:0:1::5]:443") == "2001:db8:0:1::/64"
    assert client_key("site 2001:db8::/48") != "site 2001:db8::/48"  # a forged key can't count on a site


async def test_one_client_refused_again_and_again_does_not_use_up_its_sites_allowance(
    database_url: str,
) -> None:
    pool = db.make_pool(database_url)
    await pool.open(wait=True)
    try:
        async with pool.connection() as conn:
            await db.migrate(conn)
        limit = RateLimit(pool, "register", allowed=2, window=600)
        noisy = [await limit.hit(client_key("2001:db8:0:1::1")) for _ in range(SITE_FACTOR * 2 + 5)]
        neighbour = await limit.hit(client_key("2001:db8:0:2::1"))
    finally:
        await pool.close()
    assert noisy[:2] == [True, True] and not any(noisy[2:])
    assert neighbour, "the next /64 of the same /48 still has its own allowance"


def test_a_native_ipv6_client_also_counts_against_its_site() -> None:
    assert keys_of("2001:db8:0:1::/64") == [("2001:db8:0:1::/64", 1), ("site 2001:db8::/48", SITE_FACTOR)]
    assert keys_of("198.51.100.7") == [("198.51.100.7", 1)]


@pytest.fixture
def behind_balancer(database_url: str, settings: Settings, sim: Simulator) -> Iterator[str]:
    """The app trusting 127.0.0.1 as its balancer: the test writes the X-Forwarded-For the
    balancer would write for each client."""
    sim.configure(anon_tokens_per_address=100)
    sock = listen()
    config = dataclasses.replace(
        loopback_config(database_url, sock, KEY), trusted_proxies=("127.0.0.1",), allow_anonymous=True
    )
    app = create_app(config, settings)
    with serving(app, sock, proxy_headers=True, forwarded_allow_ips=["127.0.0.1"]) as base:
        yield base


def via(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def test_wrong_tokens_from_many_addresses_of_one_ipv6_64_are_one_client(behind_balancer: str) -> None:
    async with httpx.AsyncClient(verify=shared_context(), base_url=behind_balancer, timeout=30) as http:
        form = hidden_fields((await signin_page(http)).text)
        statuses = [
            (
                await http.post(
                    "/signin", data=form | {"nemo_token": f"bad{i}"}, headers=via(f"2001:db8:0:1::{i + 1:x}")
                )
            ).status_code
            for i in range(ALLOWED + 2)
        ]
        neighbour = await http.post(
            "/signin", data=form | {"nemo_token": "bad"}, headers=via("2001:db8:0:2::1")
        )
    assert statuses == [401] * ALLOWED + [429] * 2
    assert neighbour.status_code == 401  # the next /64 is another client


async def test_start_free_from_another_address_of_the_same_64_is_refused(
    behind_balancer: str, database_url: str
) -> None:
    async with httpx.AsyncClient(verify=shared_context(), base_url=behind_balancer, timeout=30) as http:
        statuses = []
        for i in range(3):
            form = hidden_fields((await signin_page(http)).text) | {"start_free": "1"}
            answer = await http.post("/signin", data=form, headers=via(f"2001:db8:0:1::f{i}"))
            statuses.append(answer.status_code)
    assert statuses == [303, 429, 429]
    assert free_users(database_url) == 1


async def test_free_accounts_from_the_many_64s_of_one_site_stop_at_the_sites_allowance(
    behind_balancer: str, database_url: str, sim: Simulator
) -> None:
    sim.configure(anon_tokens_per_minute=100)  # NemoVideo's own pace is not what this is about
    clients = [f"2001:db8:0:{subnet:x}::1" for subnet in range(SITE_FACTOR + 1)] + ["2001:db9::1"]
    async with httpx.AsyncClient(verify=shared_context(), base_url=behind_balancer, timeout=30) as http:
        statuses = []
        for address in clients:  # one /48's /64s, then a client of the next /48
            http.headers.update(via(address))  # the whole visit from that client
            form = hidden_fields((await signin_page(http)).text) | {"start_free": "1"}
            statuses.append((await http.post("/signin", data=form)).status_code)
    assert statuses == [303] * SITE_FACTOR + [429, 303]  # a neighbouring site is not held back
    assert free_users(database_url) == SITE_FACTOR + 1


async def test_registrations_from_one_ipv6_64_share_one_limit(database_url: str, settings: Settings) -> None:
    body = {
        "redirect_uris": ["http://127.0.0.1:1/cb"],
        "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
    }
    sock = listen()
    config = dataclasses.replace(
        loopback_config(database_url, sock, KEY), trusted_proxies=("127.0.0.1",), registrations_per_address=3
    )
    with serving(
        create_app(config, settings), sock, proxy_headers=True, forwarded_allow_ips=["127.0.0.1"]
    ) as base:
        async with httpx.AsyncClient(verify=shared_context(), base_url=base, timeout=30) as http:
            statuses = [
                (await http.post("/register", json=body, headers=via(f"2001:db8:0:3::{i + 1:x}"))).status_code
                for i in range(4)
            ]
    assert statuses == [201, 201, 201, 429]
