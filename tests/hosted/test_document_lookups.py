"""Client metadata documents whose host's nameserver never answers (attack16b F6): the lookups
held the process's shared worker threads, outside the fetch's time limit, and every user's calls
that need a thread waited behind them. The lookups now run on threads of their own, within the
fetch's deadline, at most two at once for one client address."""

from __future__ import annotations

import socket
import threading

import anyio
import pytest

from ai_video_music.hosted.client_documents import LOOKUPS_PER_ADDRESS, ClientDocuments

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
