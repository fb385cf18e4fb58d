"""Round 20 A20-1: video checks take turns. Each capped child stays under 300 MB, but renders of
several projects can end together (a hostile backend chooses when), and four hostile files checked
side by side took the checkers to ~550 MB. One child at a time in the whole process; the wait for a
turn is part of the check's time limit, and a check that never got its turn judges nothing."""

from __future__ import annotations

import struct
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from ai_video_music import videocheck
from ai_video_music.videocheck import CheckerBusyError, Verdicts, check_video, child_answers

pytestmark = pytest.mark.anyio

LIMIT_MB = 300


def _boxes(data: bytes, start: int, end: int) -> list[tuple[int, int, bytes]]:
    out, pos = [], start
    while pos < end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        out.append((pos, size, kind))
        pos += size
    return out


def many_tracks(sample: bytes, copies: int = 900) -> bytes:
    """A real export with its video track copied ``copies`` times into its movie header: 0.7 MB,
    within the box walk's limits, and it drives a checker to its memory cap."""
    moov_at, moov_size, _ = next(b for b in _boxes(sample, 0, len(sample)) if b[2] == b"moov")
    body = sample[moov_at + 8 : moov_at + moov_size]
    trak = next(
        sample[p : p + n] for p, n, k in _boxes(sample, moov_at + 8, moov_at + moov_size) if k == b"trak"
    )
    extra = trak * copies
    fixed = bytearray(body)  # the movie header grows before the media data: move its chunk offsets
    at = fixed.find(b"stco")
    while at >= 0:
        for j in range(struct.unpack(">I", fixed[at + 8 : at + 12])[0]):
            off = at + 12 + 4 * j
            struct.pack_into(">I", fixed, off, struct.unpack(">I", fixed[off : off + 4])[0] + len(extra))
        at = fixed.find(b"stco", at + 4)
    moov = struct.pack(">I4s", 8 + len(fixed) + len(extra), b"moov") + bytes(fixed) + extra
    return sample[:moov_at] + moov + sample[moov_at + moov_size :]


def counted(monkeypatch: pytest.MonkeyPatch, gate: anyio.Event | None = None) -> dict[str, int]:
    """Count the checker children running at once (forked or fresh); with ``gate``, each one
    waits for it before it starts."""
    seen = {"now": 0, "most": 0, "started": 0}

    def wrap(real: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def child(*args: Any, **kwargs: Any) -> Any:
            seen["now"] += 1
            seen["started"] += 1
            seen["most"] = max(seen["most"], seen["now"])
            try:
                if gate is not None:
                    await gate.wait()
                return await real(*args, **kwargs)
            finally:
                seen["now"] -= 1

        return child

    monkeypatch.setattr(videocheck, "_forked_answers", wrap(videocheck._forked_answers))
    monkeypatch.setattr(videocheck, "_fresh_answers", wrap(videocheck._fresh_answers))
    return seen


async def test_hostile_exports_ending_together_are_checked_one_at_a_time_each_under_the_cap(
    sample_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = many_tracks(sample_mp4.read_bytes())
    seen = counted(monkeypatch)
    answers: list[list[dict[str, Any]]] = []

    async def check(i: int) -> None:
        path = tmp_path / f"render_{i}.mp4"
        path.write_bytes(data)
        limits = [videocheck.PROBE_LIMIT_S, videocheck.SHEET_LIMIT_S]
        answers.append(await child_answers(["check", str(path), str(tmp_path / f"s{i}.jpg")], limits))

    async with anyio.create_task_group() as tg:
        for i in range(4):
            tg.start_soon(check, i)
    # One child at a time. On a loaded machine a check may not get its turn within its limit:
    # it then says "busy" and judges nothing, never a second child beside the first.
    busy = [a for a in answers if a[-1].get("busy")]
    ran = [a for a in answers if not a[-1].get("busy")]
    assert seen["most"] == 1 and seen["started"] == len(ran) >= 1, (seen, answers)
    assert len(busy) + len(ran) == 4
    assert all("error" in a[-1] for a in answers), answers  # refused: no video we made
    # Each child under the memory cap (one killed for memory ends without its answer); on a
    # loaded machine one may run out of its time first, which also leaves it under the cap.
    for a in ran:
        assert 0 < a[0].get("peak_rss_mb", 0) < LIMIT_MB or "took longer" in a[0].get("error", ""), a


async def test_a_check_whose_turn_never_comes_within_its_limit_is_said_and_judges_nothing(
    sample_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = anyio.Event()
    seen = counted(monkeypatch, gate)
    async with anyio.create_task_group() as tg:
        tg.start_soon(child_answers, ["probe", str(sample_mp4)], [videocheck.PROBE_LIMIT_S])
        await anyio.wait_all_tasks_blocked()  # the first check holds the turn, its child held back
        monkeypatch.setattr(videocheck, "PROBE_LIMIT_S", 0.05)
        with pytest.raises(CheckerBusyError, match="other checks"):
            await check_video(sample_mp4, "render_2", Verdicts(tmp_path), tmp_path / "s.jpg")
        gate.set()
    assert seen["started"] == 1, "the waiting check never started a child"
    recorded = Verdicts(tmp_path).get("render_2")
    assert recorded is not None and recorded.state != "rejected", recorded
    # Its turn comes the next time: the file is verified as any other.
    monkeypatch.setattr(videocheck, "PROBE_LIMIT_S", 20.0)
    checked = await check_video(sample_mp4, "render_2", Verdicts(tmp_path), tmp_path / "s.jpg")
    assert (checked.facts.width, checked.sheet_drawn) == (320, True)


async def test_the_wait_for_a_turn_counts_against_the_checks_own_limit(
    sample_mp4: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = anyio.Event()
    counted(monkeypatch, gate)
    async with anyio.create_task_group() as tg:
        tg.start_soon(child_answers, ["probe", str(sample_mp4)], [videocheck.PROBE_LIMIT_S])
        await anyio.wait_all_tasks_blocked()
        with anyio.fail_after(5):  # not the waited time plus the limit: the limit
            answers = await child_answers(["probe", str(sample_mp4)], [0.05])
        gate.set()
    assert answers[0].get("busy") is True, answers
