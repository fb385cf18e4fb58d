"""Render polls under every progress style: the schedule against a fixed 5 s and a fixed 2 s poll.

    .venv/bin/python bench/progress_styles.py                  # fake clock: 10 styles × 125 lengths, ~2 s
    .venv/bin/python bench/progress_styles.py --sim            # also real renders on the simulator, ~70 s
    .venv/bin/python bench/progress_styles.py --sim --write    # and put the tables in bench/RESULTS.md

1. **Fake clock** (``simulator.progress.replay``): each style (``ProgressStyle``) × 125 render
   lengths from 5 to 300 s (2.37 s apart, so every phase against a 5 s grid comes up). Each
   poller starts at the submit; a render is seen by the first look at or after its end.
   Reported per style and poller: how late the look that saw the end came (median, mean, max)
   and how many looks it took (median, max, and per render as a share of the fixed 5 s poll's).
2. **On the simulator** (``--sim``): the same schedule drives real polls through the client
   (``NemoClient.render_status``, the real parsing: envelopes, clamping) against simulator
   renders in each style, all at once. Time is scaled (``--scale 0.2``: a 300 s render takes
   60 s, the schedule's floor, period and ceiling shrink alike) and reported back at full scale,
   so a delay on a loaded machine counts five times; a render's end is the later of its length
   and its encoder finishing. The MP4 is then downloaded (``NemoClient.download``, in real
   time, not scaled) to tell when it is on disk.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio

from ai_video_music.client import NemoClient
from ai_video_music.config import Settings, skill_version
from ai_video_music.schedule import POLL_CEILING_S, POLL_FALLBACK_S, POLL_FLOOR_S, PollSchedule
from ai_video_music.simulator import ProgressStyle, SimConfig, Simulator
from ai_video_music.simulator.progress import Poller, replay

HERE = Path(__file__).resolve().parent
LENGTHS = [5 + i * 2.37 for i in range(125)]
SIM_LENGTHS = [10.0, 27.0, 45.0, 90.0, 300.0]
START, END = "<!-- progress-styles:start -->", "<!-- progress-styles:end -->"


@dataclass
class FixedPoll:
    """A look every ``period`` seconds, whatever the progress says."""

    period: float

    def observe(self, at: float, progress: float | None) -> None:
        pass

    def next_delay(self, now: float) -> float:
        return self.period


POLLERS: dict[str, Any] = {
    "schedule": PollSchedule,
    "fixed 5 s": lambda: FixedPoll(5.0),
    "fixed 2 s": lambda: FixedPoll(2.0),
}


def fixed5_looks(seconds: float) -> int:
    return max(1, math.ceil(seconds / POLL_FALLBACK_S - 1e-9))


def summary(late: list[float], looks: list[int], lengths: list[float]) -> dict[str, float]:
    ratios = [n / fixed5_looks(s) for n, s in zip(looks, lengths, strict=True)]
    return {
        "late_median": statistics.median(late),
        "late_mean": statistics.mean(late),
        "late_max": max(late),
        "looks_median": statistics.median(looks),
        "looks_max": max(looks),
        "ratio_median": statistics.median(ratios),
        "ratio_max": max(ratios),
    }


def fake_clock() -> dict[str, dict[str, dict[str, float]]]:
    results: dict[str, dict[str, dict[str, float]]] = {}
    for style in ProgressStyle:
        results[style.value] = {}
        for name, make in POLLERS.items():
            runs = [replay(make(), style, seconds) for seconds in LENGTHS]
            results[style.value][name] = summary(
                [r.late for r in runs], [len(r.looks) for r in runs], LENGTHS
            )
    return results


# --- on the simulator -------------------------------------------------------------------------------

DRAFT = {"t": [{"tt": 0, "sg": [{"n": "clip", "s": 0, "d": 1000}]}], "d": 1000, "m": {"w": 64, "h": 36}}


Measured = list[tuple[float, float, int, float]]  # (when it ended, seen late, looks, MP4 late), full scale


async def _submit(client: NemoClient, sid: str, rid: str, scale: float) -> PollSchedule:
    """Submit a render; the schedule has seen the submit's answer."""
    poller = PollSchedule(POLL_FLOOR_S * scale, POLL_CEILING_S * scale, POLL_FALLBACK_S * scale)
    started = await client.start_render(sid, rid, DRAFT)
    poller.observe(time.monotonic(), started.progress)
    return poller


async def _poll(
    client: NemoClient, sim: Simulator, rid: str, poller: Poller, scale: float, folder: Path, out: Measured
) -> None:
    looks = 0
    while True:
        await anyio.sleep(poller.next_delay(time.monotonic()))
        looks += 1
        status = await client.render_status(rid)
        if status.finished:
            seen = time.time()
            break
        poller.observe(time.monotonic(), status.progress)
    # The download takes real time, not scaled time: added as measured.
    url = status.output_url or client.fallback_download_url(rid)
    await client.download(url, folder / f"{rid}.mp4")
    fetch = time.time() - seen
    job = sim.state.renders[rid]
    done = max(job.started + job.seconds, job.finished_at or 0.0)
    late = (seen - done) / scale
    # The fixed poll's count from the render's real end (a busy encoder may finish after its length).
    out.append(((done - job.started) / scale, late, looks, late + fetch))


async def on_simulator(scale: float) -> dict[str, dict[str, float]]:
    config = SimConfig(render_fps=2, anon_tokens_per_minute=1000, anonymous_credits=100_000, seed=7)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="nemo-styles-") as tmp, Simulator(config) as sim:
        settings = Settings(api_base=sim.base_url, home=Path(tmp), version=skill_version())
        async with NemoClient(settings) as client:
            sid = (await client.create_session("en")).session_id
            measured: dict[str, Measured] = {style.value: [] for style in ProgressStyle}
            async with anyio.create_task_group() as tg:
                for style in ProgressStyle:
                    for i, seconds in enumerate(SIM_LENGTHS):
                        # Style and length are read when a render is submitted: set, then submit.
                        sim.configure(progress_style=style.value, render_seconds=seconds * scale)
                        rid = f"render_{style.value}_{i}"
                        poller = await _submit(client, sid, rid, scale)
                        out = measured[style.value]
                        tg.start_soon(_poll, client, sim, rid, poller, scale, Path(tmp), out)
            for style, rows in measured.items():
                results[style] = summary([r[1] for r in rows], [r[2] for r in rows], [r[0] for r in rows])
                results[style] |= {"lands_median": statistics.median(r[3] for r in rows)}
                results[style] |= {"lands_max": max(r[3] for r in rows)}
    return results


# --- the tables -------------------------------------------------------------------------------------


def _ratio(r: dict[str, float]) -> str:
    return f"{r['ratio_median']:.2f} / {r['ratio_max']:.2f}x"


def fake_clock_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = [
        "| style | poller | late: median / mean / max (s) | looks: median / max | looks vs fixed 5 s |",
        "|---|---|---|---|---|",
    ]
    for style, by_poller in results.items():
        for name, r in by_poller.items():
            late = f"{r['late_median']:.2f} / {r['late_mean']:.2f} / {r['late_max']:.2f}"
            looks = f"{r['looks_median']:.0f} / {r['looks_max']:.0f}"
            lines.append(f"| {style} | {name} | {late} | {looks} | {_ratio(r)} |")
    return "\n".join(lines)


def sim_table(results: dict[str, dict[str, float]], scale: float) -> str:
    lengths = ", ".join(f"{s:g}" for s in SIM_LENGTHS)
    lines = [
        f"Renders of {lengths} s in each style, time scaled ×{scale:g}, reported at full scale:",
        "",
        "| style | seen late: median / max (s) | MP4 on disk: median / max (s) | looks vs fixed 5 s |",
        "|---|---|---|---|",
    ]
    for style, r in results.items():
        seen = f"{r['late_median']:.2f} / {r['late_max']:.2f}"
        lands = f"{r['lands_median']:.2f} / {r['lands_max']:.2f}"
        lines.append(f"| {style} | {seen} | {lands} | {_ratio(r)} |")
    return "\n".join(lines)


def verdict(results: dict[str, dict[str, dict[str, float]]]) -> str:
    ours = [by["schedule"] for by in results.values()]
    worst_late = max(r["late_max"] for r in ours)
    worst_mean = max(r["late_mean"] for r in ours)
    worst_ratio = max(r["ratio_max"] for r in ours)
    met = worst_late <= 5 + 1e-9 and worst_ratio <= 1 + 1e-9 and worst_mean <= 3
    return (
        f"Schedule, worst style: at most {worst_late:.2f} s late (target ≤ 5 s, a fixed 5 s poll's bound), "
        f"{worst_mean:.2f} s late on average (target ≤ 3 s), at most {worst_ratio:.2f}x a fixed 5 s poll's "
        f"looks (target ≤ 1x): {'met' if met else 'NOT met'}."
    )


def write_results(text: str) -> None:
    path = HERE / "RESULTS.md"
    current = path.read_text(encoding="utf-8")
    block = f"{START}\n{text}\n{END}"
    if START in current:
        current = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, current, flags=re.S)
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sim", action="store_true", help="also poll real renders on the simulator")
    parser.add_argument("--scale", type=float, default=0.2, help="time scale of the simulator run")
    parser.add_argument("--write", action="store_true", help="replace the section in bench/RESULTS.md")
    args = parser.parse_args()
    results = fake_clock()
    parts = [
        "## Render polls under each progress style (`bench/progress_styles.py`)",
        "",
        "The schedule (`schedule.PollSchedule`) against a fixed 5 s and a fixed 2 s poll, for every "
        "progress style the simulator can emit (`simulator/progress.py`). It never looks more often "
        "than a fixed 5 s poll (the n-th look no sooner than n periods after the submit), returns to a "
        "5 s poll whenever the progress tells nothing (none, steps standing still, at or past 100, "
        "just reset), and waits longer only on steady movement, never past the earliest plausible "
        "finish plus 5 s.",
        "",
        f"Fake clock, {len(LENGTHS)} render lengths from 5 to 300 s per style (every phase against "
        "the 5 s grid); a render is seen by the first look at or after its end.",
        "",
        fake_clock_table(results),
        "",
        verdict(results),
    ]
    if args.sim:
        load = os.getloadavg()[0]
        table = sim_table(anyio.run(on_simulator, args.scale), args.scale)
        parts += [
            "",
            table,
            "",
            f"Load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (2 cores, shared "
            f"with other test runs): a delay of the machine counts {1 / args.scale:g} times at full scale.",
        ]
    text = "\n".join(parts)
    print(text)
    if args.write:
        write_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
