"""The benchmarks run end to end: smoke runs at tiny sizes, timings never asserted.

They are not part of the README's test command (the test suite asserts behaviour; these keep the
benchmarks from rotting): CI runs them after it, `.venv/bin/python -m pytest bench -n 2`. The
fixtures they need come from the test suite's helpers (PostgreSQL and HAProxy found on the machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.hosted.balancer import haproxy
from tests.hosted.postgres import available

from ai_video_music.simulator import ProgressStyle

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("1 instance", "3 instances", "3, one killed", "3, PostgreSQL restarted")


@pytest.mark.slow
def test_benchmark_smoke_run_produces_every_measurement(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--json-out", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["smoke"] is True
    history = data["history"]
    # Every row: ours against its baseline, as min / median / max over interleaved pairs.
    spreads = [
        ("credits call: our share over the floor", data["overhead"]["diff_ms"]),
        ("credits call: time ratio", data["overhead"]["ratio"]),
        ("cold start ratio", data["cold_start"]["ratio"]),
        ("SSE speed, one event per chunk", data["sse"]["per_event"]["speed"]),
        ("SSE speed, 64 KiB chunks", data["sse"]["chunks_64k"]["speed"]),
        ("export latency", data["export_latency"]["latency_s"]),
        ("export polls vs a fixed 5 s poll", data["export_latency"]["poll_ratio"]),
        *((f"{key} ratio", row["ratio"]) for key in ("startup", "status", "export") for row in history[key]),
    ]
    if data["upload"]["curl"]:
        spreads.append(("upload speed vs curl", data["upload"]["speed"]))
    for name, spread in spreads:
        assert set(spread) == {"min", "median", "max"}, name
        assert all(isinstance(v, float | int) for v in spread.values()), name
        assert spread["min"] <= spread["median"] <= spread["max"], name
    for key in ("startup", "status", "export"):
        assert [row["rows"] for row in history[key]] == history["sizes"][1:], key
    assert [row["rows"] for row in history["rss"]] == history["sizes"][1:]
    assert isinstance(data["upload"]["rss_growth_mb"], float)
    assert isinstance(history["memory"]["growth_mb"], float)
    assert len(history["memory"]["rss_samples_mb"]) == 10
    assert {r["render_s"] for r in data["export_latency"]["rows"]} == set(data["sizes"]["renders"])
    assert "our share over the floor" in result.stdout  # the table is printed


def test_progress_style_benchmark_compares_every_style_against_fixed_polls() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "progress_styles.py")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line.split("|")[1:3] for line in result.stdout.splitlines() if line.startswith("| ")]
    seen = {(style.strip(), poller.strip()) for style, poller in rows[1:]}
    pollers = {"schedule", "fixed 5 s", "fixed 2 s"}
    assert seen == {(style.value, poller) for style in ProgressStyle for poller in pollers}


@pytest.mark.slow
def test_scale_benchmark_smoke_run_produces_every_row(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--smoke"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout)
    status = data["status_size"]
    assert set(status["ratio"]) == {"min", "median", "max"}
    assert status["huge"]["clips_not_listed"] == status["huge"]["clips"] - status["huge"]["clips_listed"]
    assert set(data["stall"]["beside_ms"]) == {"p50", "p99"}
    first = data["first_status"]
    assert len(first["first_status_longest_wait_ms"]) == len(first["repeated_status_longest_wait_ms"]) == 2
    assert data["memory"]["renders"] >= data["memory"]["cycles"], "every cycle rendered anew"
    assert len(data["memory"]["rss_mb"]) >= 2
    assert [row["sessions"] for row in data["http"]["rows"]] == [1, 2]


@pytest.mark.slow
@pytest.mark.postgres
def test_the_scale_benchmark_delivers_through_a_kill_and_a_database_restart() -> None:
    # The benchmark starts a PostgreSQL cluster of its own (to restart it) and HAProxy.
    if not available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL's server binaries are required in CI (apt-get install postgresql)")
        pytest.skip("PostgreSQL's server binaries are not installed")
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
