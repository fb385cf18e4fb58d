"""The hosted scale benchmark runs end to end at a smoke size (timings never asserted): every
phase delivers every user's video, the killed instance's turn is taken over, PostgreSQL is
restarted in its phase, and nothing is sent twice."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .balancer import haproxy
from .postgres import available

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
PHASES = ("1 instance", "3 instances", "3, one killed", "3, PostgreSQL restarted")


def test_the_scale_benchmark_delivers_through_a_kill_and_a_database_restart(pg_cluster: object) -> None:
    # ``pg_cluster``: skips (or fails in CI) without PostgreSQL, as the other hosted tests do;
    # the benchmark starts a cluster of its own, to restart it.
    assert available()
    haproxy()
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "hosted_scale.py"), "--users", "2", "--no-write"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[:1500] + result.stderr[-3000:]
    header = next(line for line in result.stdout.splitlines() if line.startswith("| phase | users"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    rows = {
        cells[0]: dict(zip(columns, cells, strict=True))
        for line in result.stdout.splitlines()
        if line.startswith("| ")
        and (cells := [c.strip() for c in line.strip("|").split("|")])[0] in PHASES
        and len(cells) == len(columns)
    }
    assert set(rows) == set(PHASES), result.stdout
    assert all(row["delivered"] == "2/2" and row["leaks"] == "0" for row in rows.values()), rows
    assert int(rows["3, one killed"]["taken over"]) >= 1, rows  # followed to its result, not re-sent
    assert "Nothing was sent twice." in result.stdout
