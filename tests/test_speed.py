"""What the suite's speed-ups rest on: settings that let a test shorten a real wait instead of
sitting it out, each still the product's own code path."""

from __future__ import annotations

from pathlib import Path

import pytest

from ai_video_music.config import HEADER_TIMEOUT_S, Settings


def test_serve_http_reads_its_header_deadline_from_the_environment(tmp_path: Path) -> None:
    """test_http_slow_clients waits the deadline out: 10 s unless NEMO_HEADER_TIMEOUT_S says."""
    home = {"NEMO_HOME": str(tmp_path)}
    assert Settings.from_env(home).header_timeout == HEADER_TIMEOUT_S == 10.0
    assert Settings.from_env({**home, "NEMO_HEADER_TIMEOUT_S": "2"}).header_timeout == 2.0
    for bad in ("0", "-1", "soon"):
        with pytest.raises(ValueError, match="NEMO_HEADER_TIMEOUT_S"):
            Settings.from_env({**home, "NEMO_HEADER_TIMEOUT_S": bad})
