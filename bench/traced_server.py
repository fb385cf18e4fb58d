"""Our server with its memory looked into, for bench/scale.py's memory row (``--trace DIR``).

    python bench/traced_server.py [server args...]

The console script, plus two signals, answered into ``BENCH_TRACE_DIR``:

- SIGUSR2 appends one line to ``stats.jsonl``: RSS, what glibc's allocator holds (in use and
  free), SQLite's own allocations, and Python's allocated blocks; cheap, so it can be asked often;
- SIGUSR1: the first one starts tracemalloc (``BENCH_TRACE_FRAMES`` frames), every later one writes,
  after a full collection, ``snap-N.tracemalloc`` and ``types-N.json`` (live objects by type).
  Tracing starts late on purpose: start-up under tracemalloc (pydantic building its schemas) is
  slower than a client's initialize timeout, and what is made once is not growth.

``done-N`` marks each snapshot (N = 0 for the start), ``stats-N`` each stats line.
"""

from __future__ import annotations

import _sqlite3
import collections
import ctypes
import gc
import json
import os
import signal
import sys
import tracemalloc
from pathlib import Path
from types import FrameType
from typing import Any

from ai_video_music.cli import main as server_main


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def stats() -> dict[str, Any]:
    out: dict[str, Any] = {"python_blocks": sys.getallocatedblocks()}
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(("VmRSS:", "RssAnon:", "RssFile:")):
            out[line.split(":")[0]] = int(line.split()[1])
    try:
        sqlite = ctypes.CDLL(_sqlite3.__file__)
        sqlite.sqlite3_memory_used.restype = ctypes.c_int64
        out["sqlite_kb"] = round(sqlite.sqlite3_memory_used() / 1024, 1)
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
        out["malloc_in_use_kb"] = round((info.uordblks + info.hblkhd) / 1024, 1)
        out["malloc_free_kb"] = round(info.fordblks / 1024, 1)
    except (OSError, AttributeError):
        pass
    return out


def main() -> int:
    out = Path(os.environ["BENCH_TRACE_DIR"])
    taken = asked = 0

    def on_snapshot(signum: int, frame: FrameType | None) -> None:
        nonlocal taken
        if not tracemalloc.is_tracing():
            tracemalloc.start(int(os.environ.get("BENCH_TRACE_FRAMES", "10")))
            (out / "done-0").touch()
            return
        taken += 1
        gc.collect()
        counts = collections.Counter(type(o).__qualname__ for o in gc.get_objects())
        (out / f"types-{taken}.json").write_text(json.dumps(counts.most_common()), encoding="utf-8")
        tracemalloc.take_snapshot().dump(str(out / f"snap-{taken}.tracemalloc"))
        (out / f"done-{taken}").touch()

    def on_stats(signum: int, frame: FrameType | None) -> None:
        nonlocal asked
        asked += 1
        with (out / "stats.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(stats()) + "\n")
        (out / f"stats-{asked}").touch()

    signal.signal(signal.SIGUSR1, on_snapshot)
    signal.signal(signal.SIGUSR2, on_stats)
    return int(server_main() or 0)


if __name__ == "__main__":
    sys.exit(main())
