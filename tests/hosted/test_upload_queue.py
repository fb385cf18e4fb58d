"""A23-4: posts waiting for an upload slot keep one first-come queue. Two accounts that each keep a
post waiting, and send it again the moment it is cut or refused, took every slot that came due
before an honest post, which waited its whole ``upload_give_way`` and was refused, again and again.
Drives ``UploadDesk._slot`` itself (no network, no database); the give-way is a fraction of a
second, so slots come due while the test runs."""

from __future__ import annotations

import types

import anyio

from ai_video_music.hosted.upload_page import UploadDesk, _Reading


def desk(slots: int, give_way: float) -> UploadDesk:
    made = object.__new__(UploadDesk)
    made.config = types.SimpleNamespace(  # type: ignore[assignment]
        uploads_at_once=slots, upload_give_way=give_way, upload_rate_window=give_way
    )
    made.slots = anyio.Semaphore(slots)
    made.arriving = set()
    made.reading = set()
    return made


async def trickler(at: UploadDesk, stop: anyio.Event, refused: list[int]) -> None:
    """One account: a post that trickles a byte until it is cut, sent again at once, also when refused."""
    while not stop.is_set():
        post = _Reading()
        if not await at._slot(post):
            refused.append(1)
            continue
        at.reading.add(post)
        try:
            with post.scope:
                post.arrived.bytes = 1
                await stop.wait()
        finally:
            at.reading.discard(post)
            at.slots.release()


async def honest_posts(slots: int, waiting: int, tries: int) -> list[bool]:
    at = desk(slots, give_way=0.3)
    stop = anyio.Event()
    refused: list[int] = []
    got: list[bool] = []
    with anyio.fail_after(60):
        async with anyio.create_task_group() as tg:
            for _ in range(slots + waiting):
                tg.start_soon(trickler, at, stop, refused)
            await anyio.wait_all_tasks_blocked()  # the slots held, the others waiting
            for _ in range(tries):
                got.append(await at._slot(_Reading()))
                if got[-1]:
                    at.slots.release()
            stop.set()
    return got


def test_an_honest_post_gets_a_slot_while_other_accounts_keep_posts_waiting() -> None:
    assert anyio.run(honest_posts, 2, 2, 3) == [True, True, True]


def test_an_honest_post_gets_a_slot_when_only_the_slots_are_held() -> None:
    assert anyio.run(honest_posts, 2, 0, 2) == [True, True]
