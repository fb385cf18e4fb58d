"""CPU per verified export: the video check in a fresh child (before) against a grandchild forked
by the pre-imported zygote (after).

Each measurement is a worker process that runs ``n`` exports' checks (``check_video`` with a
contact sheet, as a new download gets) on a real rendered MP4, stops the zygote and exits; its
CPU (user + system, including every process it reaped, and so the zygote's and, through it, the
grandchildren's) comes from ``wait4``. A worker with ``n = 0`` gives the fixed cost (interpreter
and imports); per export = (CPU(n) - CPU(0)) / n. The first export of a server pays the zygote's
start, shown as its own row. Before and after run as interleaved pairs, the order alternating::

    .venv/bin/python bench/videocheck_cpu.py            # 5 pairs of 20 exports, ~1 min
    .venv/bin/python bench/videocheck_cpu.py --pairs 2 --exports 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import anyio

MODES = ("fresh", "zygote")


def worker(video: Path, count: int) -> int:
    """In the worker: ``count`` exports' checks, each a new download (no verdict kept)."""
    from ai_video_music import checkzygote
    from ai_video_music.videocheck import Verdicts, check_video

    async def run() -> None:
        for n in range(count):
            sheet = video.with_name(f"sheet-{os.getpid()}-{n}.jpg")
            checked = await check_video(video, "bench", Verdicts(None), sheet)
            assert checked.facts.width == 320, checked
            assert checked.sheet_drawn, checked

    anyio.run(run)
    checkzygote.stop()
    return 0


def cpu_of(mode: str, video: Path, count: int) -> float:
    """CPU seconds of one worker (and everything it reaped) running ``count`` checks."""
    env = dict(os.environ)
    env.pop("AI_VIDEO_MUSIC_NO_ZYGOTE", None)
    if mode == "fresh":
        env["AI_VIDEO_MUSIC_NO_ZYGOTE"] = "1"
    process = subprocess.Popen([sys.executable, __file__, "--worker", str(video), str(count)], env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"the {mode} worker failed ({process.returncode})")
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--exports", type=int, default=20)
    parser.add_argument("--worker", nargs=2, metavar=("VIDEO", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(Path(args.worker[0]), int(args.worker[1]))
    from ai_video_music.simulator.renderer import render_sample  # the parent only: workers never render

    rows: dict[str, dict[str, list[float]]] = {m: {"per": [], "first": []} for m in MODES}
    with tempfile.TemporaryDirectory() as folder:
        video = render_sample(Path(folder) / "sample.mp4")
        for pair in range(args.pairs):
            for mode in MODES if pair % 2 == 0 else MODES[::-1]:
                base = cpu_of(mode, video, 0)
                rows[mode]["first"].append(cpu_of(mode, video, 1) - base)
                rows[mode]["per"].append((cpu_of(mode, video, args.exports) - base) / args.exports)
    runs = f"{args.pairs} pairs, {args.exports} exports a run"
    print(f"CPU seconds per verified export ({runs}; min / median / max)")
    for what, label in (("first", "first export of a server"), ("per", "each export, steady")):
        for mode in MODES:
            low, mid, high = min(rows[mode][what]), statistics.median(rows[mode][what]), max(rows[mode][what])
            print(f"  {label:26} {mode:7} {low:.3f} / {mid:.3f} / {high:.3f}")
    ratio = statistics.median(rows["zygote"]["per"]) / statistics.median(rows["fresh"]["per"])
    print(f"  steady ratio zygote / fresh (medians): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
