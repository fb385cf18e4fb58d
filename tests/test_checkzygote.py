"""The pre-forked checker: a check is answered whatever happens to the zygote or a grandchild, and
the zygote keeps serving after a grandchild is killed (for memory or time)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from ai_video_music import checkzygote, videocheck
from ai_video_music.videocheck import child_answers

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(not checkzygote.supported(), reason="the zygote is Linux-only"),
]

LIMITS = [videocheck.PROBE_LIMIT_S, videocheck.SHEET_LIMIT_S]


SAMPLE: list[Path] = []


@pytest.fixture(autouse=True)
def own_zygote(sample_mp4: Path) -> Iterator[None]:
    SAMPLE[:] = [sample_mp4]
    checkzygote.stop()  # each test starts from none, and leaves none behind
    yield
    checkzygote.stop()


def zygote() -> checkzygote.Zygote:
    current = checkzygote._held.zygote
    assert current is not None and current.alive()
    return current


def grandchildren(zygote_pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{zygote_pid}/task/{zygote_pid}/children").read_text(encoding="utf-8")
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


async def a_grandchild(zygote_pid: int) -> int:
    """The pid of the zygote's grandchild, once it has forked one."""
    with anyio.fail_after(10):
        while not (found := grandchildren(zygote_pid)):
            await anyio.sleep(0.005)
    return found[0]


async def capped(pid: int) -> None:
    """Wait until ``pid`` runs under the checker's address-space cap (it sets it first thing)."""
    want = f"Max address space         {videocheck.MEMORY_CAP_BYTES}"
    with anyio.fail_after(10):
        while want not in Path(f"/proc/{pid}/limits").read_text(encoding="utf-8"):
            await anyio.sleep(0.005)


async def settled(zygote_pid: int) -> None:
    """Wait until the zygote has reaped every grandchild (it does so on the check's end message)."""
    with anyio.fail_after(10):
        while grandchildren(zygote_pid):
            await anyio.sleep(0.005)


async def warm() -> int:
    """Run one check so the zygote is up and idle; its pid."""
    answers = await child_answers(["probe", str(SAMPLE[0])], [videocheck.PROBE_LIMIT_S])
    assert answers[0]["width"] == 320, answers
    pid = zygote().process.pid
    await settled(pid)
    return pid


@pytest.fixture
def blocking_video(tmp_path: Path) -> Iterator[Path]:
    """A FIFO: a check of it waits in ``open`` until the test lets it go (open for writing)."""
    fifo = tmp_path / "slow.mp4"
    os.mkfifo(fifo)
    yield fifo
    release(fifo)


def release(fifo: Path) -> None:
    """Let the checks waiting on ``fifo`` read an empty file (and so answer: not a video)."""
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # fails at once when no check reads it
    except OSError:
        return
    os.close(fd)


async def test_a_check_is_answered_by_a_forked_child_and_the_next_one_by_the_same_zygote(
    sample_mp4: Path, tmp_path: Path
) -> None:
    first = await child_answers(["check", str(sample_mp4), str(tmp_path / "a.jpg")], LIMITS)
    pid = zygote().process.pid
    second = await child_answers(["check", str(sample_mp4), str(tmp_path / "b.jpg")], LIMITS)
    assert first[0]["width"] == second[0]["width"] == 320, (first, second)
    assert first[1]["ok"] is True and second[1]["ok"] is True
    assert zygote().process.pid == pid
    assert (tmp_path / "b.jpg").stat().st_size > 0


async def test_the_zygote_dying_mid_check_still_answers_it_and_the_next_check_works(
    sample_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed: list[int] = []
    begin = checkzygote.Zygote.begin

    def begin_then_die(self: checkzygote.Zygote, args: list[str]) -> Any:
        begun = begin(self, args)
        if not killed:  # the first check's zygote dies as soon as it has the check
            killed.append(self.process.pid)
            self.process.kill()
            self.process.wait()
        return begun

    monkeypatch.setattr(checkzygote.Zygote, "begin", begin_then_die)
    answers = await child_answers(["check", str(sample_mp4), str(tmp_path / "a.jpg")], LIMITS)
    assert answers[0]["width"] == 320 and answers[1]["ok"] is True, answers
    again = await child_answers(["probe", str(sample_mp4)], [videocheck.PROBE_LIMIT_S])
    assert again[0]["width"] == 320, again
    assert zygote().process.pid != killed[0]  # a new zygote took the next check


async def test_a_grandchild_killed_as_for_memory_leaves_the_zygote_serving(
    sample_mp4: Path, blocking_video: Path
) -> None:
    pid = await warm()
    async with anyio.create_task_group() as tg:
        answers: list[dict[str, Any]] = []

        async def check() -> None:
            answers.extend(await child_answers(["probe", str(blocking_video)], [videocheck.PROBE_LIMIT_S]))

        tg.start_soon(check)
        grandchild = await a_grandchild(pid)
        await capped(grandchild)  # today's limits hold in the grandchild (the zygote's are not ours)
        os.kill(grandchild, signal.SIGKILL)  # what the kernel does to a process out of memory
    assert "error" in answers[0] and "width" not in answers[0], answers
    assert zygote().process.pid == pid
    after = await child_answers(["probe", str(sample_mp4)], [videocheck.PROBE_LIMIT_S])
    assert after[0]["width"] == 320 and zygote().process.pid == pid


async def test_a_memory_bomb_is_refused_in_a_capped_grandchild_and_the_zygote_serves_on(
    sample_mp4: Path, tmp_path: Path
) -> None:
    pid = await warm()
    bomb = tmp_path / "bomb.mp4"  # a sample table that says it has two billion entries
    data = sample_mp4.read_bytes()
    at = data.index(b"stsz") + 12
    bomb.write_bytes(data[:at] + (0x7FFFFFFF).to_bytes(4, "big") + data[at + 4 :] + b"\0" * 1_600_000)
    answers = await child_answers(["check", str(bomb), str(tmp_path / "s.jpg")], LIMITS)
    assert all(0 < a["peak_rss_mb"] < 300 for a in answers if "peak_rss_mb" in a), answers
    assert "error" in answers[-1], answers
    assert zygote().process.pid == pid
    await settled(pid)  # the grandchild is gone, the zygote is not
    after = await child_answers(["probe", str(sample_mp4)], [videocheck.PROBE_LIMIT_S])
    assert after[0]["width"] == 320


async def test_a_grandchild_over_its_time_is_killed_and_the_zygote_serves_on(
    sample_mp4: Path, blocking_video: Path
) -> None:
    pid = await warm()
    answers = await child_answers(["probe", str(blocking_video)], [0.2])
    assert "longer than" in answers[0]["error"], answers
    await settled(pid)  # killed and reaped, not left waiting
    after = await child_answers(["probe", str(sample_mp4)], [videocheck.PROBE_LIMIT_S])
    assert after[0]["width"] == 320 and zygote().process.pid == pid


async def test_two_checks_at_once_each_get_their_own_answer(
    sample_mp4: Path, blocking_video: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server checks one file at a time (tests/hostile/test_checks_at_once.py); the zygote
    # itself keeps the answers of checks running side by side apart, should that bound be raised.
    monkeypatch.setattr(videocheck, "CHECKS_AT_ONCE", 2)
    pid = await warm()
    slow: list[dict[str, Any]] = []
    async with anyio.create_task_group() as tg:

        async def check_slow() -> None:
            slow.extend(await child_answers(["probe", str(blocking_video)], [videocheck.PROBE_LIMIT_S]))

        tg.start_soon(check_slow)
        await a_grandchild(pid)  # the slow check is running in its grandchild
        fast = await child_answers(["check", str(sample_mp4), str(tmp_path / "s.jpg")], LIMITS)
        assert fast[0]["width"] == 320 and fast[1]["ok"] is True, fast
        assert not slow  # answered while the other check was still running
        release(blocking_video)
    assert "ftyp" in slow[0]["error"], slow  # the empty file: its own answer, not the other's
    assert zygote().process.pid == pid


async def test_the_grandchild_gets_no_nemo_secret(
    sample_mp4: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEMO_TOKEN", "secret-for-test")
    pid = await warm()
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    assert not any(item.startswith(b"NEMO_") for item in environ)


async def test_without_a_zygote_the_fresh_child_answers(
    sample_mp4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AI_VIDEO_MUSIC_NO_ZYGOTE", "1")
    answers = await child_answers(["probe", str(sample_mp4)], [videocheck.PROBE_LIMIT_S])
    assert answers[0]["width"] == 320 and checkzygote._held.zygote is None
