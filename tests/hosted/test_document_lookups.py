"""Client metadata documents whose host's nameserver never answers (attack16b F6): the lookups
held the process's shared worker threads, outside the fetch's time limit, and every user's calls
that need a thread waited behind them. The lookups now run on threads of their own, within the
fetch's deadline, at most two at once for one client address."""

from __future__ import annotations

import socket
import threading

import anyio
import httpx
import pytest

from ai_video_music.hosted.client_documents import LOOKUPS_PER_ADDRESS, ClientDocuments
from ai_video_music.hosted.clients import client_key

pytestmark = pytest.mark.anyio
ATTACKER = "203.0.113.7"
NEIGHBOUR = "198.51.100.9"


async def test_a_silent_nameserver_holds_neither_the_shared_threads_nor_others_lookups() -> None:
    asked: list[str] = []
    release = threading.Event()

    def silent_nameserver(host: str, port: int) -> list[str]:
        asked.append(host)
        release.wait(30)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    fetcher = ClientDocuments(resolve=silent_nameserver, deadline=0.3)
    shared = anyio.to_thread.current_default_thread_limiter()
    answers: list[object] = []

    async def authorize(i: int, asker: str) -> None:
        answers.append(await fetcher.fetch(f"https://c{i}.silent.example/client.json", asker))

    try:
        with anyio.fail_after(15):  # each ends at its deadline, not when the lookup does
            async with anyio.create_task_group() as tg:
                for i in range(30):
                    tg.start_soon(authorize, i, ATTACKER)
            assert shared.borrowed_tokens == 0
            # The attacker's lookups still hang; a neighbour's is looked up all the same.
            await authorize(99, NEIGHBOUR)
    finally:
        release.set()
    assert answers == [None] * 31
    assert len(asked) == LOOKUPS_PER_ADDRESS + 1  # the attacker's first two, then the neighbour's
    assert asked[-1] == "c99.silent.example"


async def test_hung_lookups_of_a_few_addresses_or_one_site_leave_everyone_elses_sign_in_working() -> None:
    """attack17 A4: two /64s of one /48 (or two IPv4 addresses) held all four lookup threads
    with a silent nameserver, and every other user's sign-in through a metadata-document client
    timed out. A site's /64s share its allowance, and a few askers hold only a few threads."""
    release = threading.Event()
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host.endswith(".silent.example"):
            release.wait(30)
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return ["93.184.216.34"]

    good = "https://good-client.example/client.json"
    document = {
        "client_id": good,
        "client_name": "Good",
        "redirect_uris": ["https://good-client.example/cb"],
        "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
    }
    fetcher = ClientDocuments(
        transport=httpx.MockTransport(lambda _: httpx.Response(200, json=document)),
        resolve=resolve,
        deadline=2.0,
    )
    site = [client_key(f"2001:db8:77:{i:x}::5") for i in range(1, 9)]  # eight /64s of one /48
    others = [client_key(f"203.0.113.{i}") for i in range(1, 5)]  # and four IPv4 addresses
    try:
        with anyio.fail_after(20):
            async with anyio.create_task_group() as tg:
                for i, asker in enumerate(site + others + others):
                    tg.start_soon(fetcher.fetch, f"https://c{i}.silent.example/client.json", asker)
            # The site's /64s got two lookups between them; each IPv4 address two.
            assert len([h for h in asked if h.endswith(".silent.example")]) == 2 + 2 * len(others)
            assert await fetcher.fetch(good, client_key("198.51.100.9")) is not None
            assert await fetcher.fetch(good, client_key("2001:db8:99::1")) is not None
    finally:
        release.set()
