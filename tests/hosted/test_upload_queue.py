"""A23-4: posts waiting for an upload slot keep their place in one queue. Two accounts that each
keep a post waiting, and send it again the moment it is cut or refused, took every slot that came
due before an honest post, which waited its whole ``upload_give_way`` and was refused, again and
again. A24-1: in a first-come queue the honest post still waited behind every such account (through
HAProxy: its 504); an account whose post gave way lately now waits behind those that never had a
slot, and no post waits past ``upload_wait`` (told to come back instead).
Drives ``UploadDesk._slot`` itself (no network, no database); the give-way is a fraction of a
second, so slots come due while the test runs."""

from __future__ import annotations

import re
import types

import anyio

from ai_video_music.hosted.config import HostedConfig
from ai_video_music.hosted.upload_page import FairSlots, UploadDesk, _Reading

from .balancer import stack_config


def desk(slots: int, give_way: float) -> UploadDesk:
    made = object.__new__(UploadDesk)
    made.config = types.SimpleNamespace(  # type: ignore[assignment]
        uploads_at_once=slots,
        upload_give_way=give_way,
        upload_rate_window=give_way,
        upload_wait=3 * give_way,  # as HostedConfig's
    )
    made.slots = FairSlots(slots)
    made.arriving = set()
    made.reading = set()
    made.posted_at = {}
    return made


async def trickler(
    at: UploadDesk, stop: anyio.Event, refused: list[int], user: str = "", cuts: list[int] | None = None
) -> None:
    """One account: a post that trickles a byte until it is cut, sent again at once, also when
    refused (each cut counted in ``cuts``)."""
    while not stop.is_set():
        post = _Reading(user=user)
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
        if post.gave_way and cuts is not None:
            cuts.append(1)


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


async def honest_post_among_accounts(accounts: int, give_way: float) -> tuple[bool, int]:
    """One slot, ``accounts`` accounts each keeping a post there (cut and sent again, round after
    round), then an honest post: whether it got the slot, and how many posts were cut before."""
    at = desk(1, give_way)
    stop = anyio.Event()
    cuts: list[int] = []
    with anyio.fail_after(60):
        async with anyio.create_task_group() as tg:
            for n in range(accounts):
                tg.start_soon(trickler, at, stop, [], f"account{n}", cuts)
            while len(cuts) < accounts:  # every account's post has given way once: the attack's cycle
                await anyio.sleep(give_way / 4)
            before = len(cuts)
            got = await at._slot(_Reading(user="honest"))
            cut_meanwhile = len(cuts) - before
            if got:
                at.slots.release()
            stop.set()
    return got, cut_meanwhile


def test_an_honest_post_is_not_queued_behind_every_account_that_posts_again_at_once() -> None:
    got, cut_meanwhile = anyio.run(honest_post_among_accounts, 6, 0.1)
    assert got
    assert cut_meanwhile <= 1  # the next holder to come due gives way to it, not the sixth


async def behind_a_holder(wait: float, give_way: float) -> bool:
    """One slot held by a post that comes due after ``give_way``, and a post that may wait
    ``wait``: whether it got the slot."""
    at = desk(1, give_way)
    at.config.upload_wait = wait  # type: ignore[misc]
    stop = anyio.Event()
    with anyio.fail_after(60):
        async with anyio.create_task_group() as tg:
            tg.start_soon(trickler, at, stop, [], "holder")
            await anyio.wait_all_tasks_blocked()
            got = await at._slot(_Reading(user="honest"))
            if got:
                at.slots.release()
            stop.set()
    return got


def test_a_post_is_told_to_come_back_before_the_balancer_would_give_up_on_it() -> None:
    """Past ``upload_wait`` a waiting post is refused, and the page answers 503 with Retry-After
    in the user's language, not the balancer's bare 504 (here the holder comes due only later)."""
    assert anyio.run(behind_a_holder, 0.05, 5.0) is False


def test_the_longest_wait_for_a_slot_is_inside_the_documented_balancers_timeout() -> None:
    timeouts = re.findall(r"^\s*timeout server (\d+)s$", stack_config(), re.MULTILINE)
    assert timeouts, "no `timeout server` in the stack's HAProxy config"
    config = HostedConfig(database_url="postgresql://x/y", public_url="https://x.test", secret_key=b"k" * 32)
    assert config.upload_wait < min(int(s) for s in timeouts)
