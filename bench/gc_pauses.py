"""Garbage-collection pauses while a server reads new huge drafts, inside one process.

    .venv/bin/python bench/gc_pauses.py                                   # this checkout
    PYTHONPATH=<a checkout of the previous main>/server .venv/bin/python bench/gc_pauses.py  # before

Builds the server as ``serve`` does (and, where the checkout has it, freezes the start-up
objects as ``serve`` does before serving), then decodes and works out ``--drafts`` different
48 x 1,000-clip draft answers as ``status`` does (``DecodedBodies`` keeps 4, ``Drafts`` keeps
4), timing every collection the interpreter makes (``gc.callbacks``). A collection holds the
GIL for its whole walk, whichever thread runs it: its length is how long every other session
waits. Prints one JSON line: collections per generation, their total and longest times.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ai_video_music.config import Settings
from ai_video_music.drafts import Drafts
from ai_video_music.models import decode_big_body
from ai_video_music.tools import create_server
from sim_child import big_draft


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=6)
    parser.add_argument("--tracks", type=int, default=48)
    parser.add_argument("--clips", type=int, default=1000)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="nemo-gc-"))
    create_server(Settings.from_env({"NEMO_HOME": str(home), "NEMO_TOKEN": "bench"}))
    try:
        from ai_video_music.heap import freeze_startup_objects
    except ImportError:  # a checkout from before heap.py: nothing frozen
        frozen = False
    else:
        freeze_startup_objects()
        frozen = True
    answers = [
        json.dumps({"code": 0, "data": {"state": {"draft": big_draft(args.tracks, args.clips, v)}}}).encode()
        for v in range(args.drafts)
    ]
    count, total, longest = [0, 0, 0], [0.0, 0.0, 0.0], [0.0]
    started = [0.0]

    def timed(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        took, gen = time.perf_counter() - started[0], int(info["generation"])
        count[gen] += 1
        total[gen] += took
        longest[0] = max(longest[0], took)

    drafts, bodies = Drafts(), []
    gc.callbacks.append(timed)
    t0 = time.perf_counter()
    for raw in answers:
        body = decode_big_body(raw)
        bodies = [*bodies[-3:], body]  # as DecodedBodies keeps 4
        drafts._facts_of(body["data"]["state"]["draft"], None)
    elapsed = time.perf_counter() - t0
    gc.callbacks.remove(timed)
    print(
        json.dumps(
            {
                "frozen_at_start": frozen,
                "drafts": args.drafts,
                "clips": args.tracks * args.clips,
                "seconds": round(elapsed, 2),
                "collections": count,
                "gc_ms_by_generation": [round(x * 1000, 1) for x in total],
                "longest_pause_ms": round(longest[0] * 1000, 1),
                "tracked_objects_after": len(gc.get_objects()),
                "load": round(os.getloadavg()[0], 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
