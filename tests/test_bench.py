"""The benchmark runs end to end (a smoke run: sizes tiny, timings never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
    for section, key in [
        ("overhead", "mcp_median_ms"),
        ("overhead", "raw_median_ms"),
        ("cold_start", "ours_median_ms"),
        ("cold_start", "bare_median_ms"),
        ("upload", "tool_mb_s"),
        ("upload", "server_peak_above_idle_mb"),
        ("sse", "events_per_s"),
        ("sse", "rss_growth_mb"),
    ]:
        assert isinstance(data[section][key], float), (section, key)
    assert "credits call, median" in result.stdout  # the table is printed
