"""The newcomer's first command: the offline demo ends with an MP4 a real decoder accepts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_demo_ends_with_a_playable_mp4(tmp_path: Path) -> None:
    out = tmp_path / "videos"
    env = {**os.environ, "NEMO_OUTPUT_DIR": str(out), "HOME": str(tmp_path)}
    script = Path(sys.executable).with_name("ai-video-music")
    result = subprocess.run(
        [str(script), "demo"], env=env, capture_output=True, text=True, timeout=180, check=False, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    video = Path(result.stdout.strip().splitlines()[-1])
    assert video.parent == out and video.is_file()
    assert "upload" in result.stderr and "3 tracks. 1. Video:" in result.stderr
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        if os.environ.get("CI"):
            pytest.fail("ffprobe is required in CI to check the MP4 (apt-get install ffmpeg)")
        pytest.skip("ffprobe not installed: the MP4 was not decoded")
    probe = subprocess.run(
        [ffprobe, "-v", "error", "-show_streams", "-show_format", "-of", "json", str(video)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    info = json.loads(probe.stdout)
    codecs = {s["codec_type"]: s["codec_name"] for s in info["streams"]}
    assert codecs == {"video": "h264", "audio": "aac"}
    assert float(info["format"]["duration"]) > 1
    # Decode every frame: a truncated or corrupt file fails here.
    decode = subprocess.run(
        [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", "-i", str(video), "-f", "null", "-"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert decode.returncode == 0 and not decode.stderr.strip()
