"""The newcomer's first command: the offline demo ends with the video it asked for."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from ai_video_music import cli
from ai_video_music.demo import GENERATED, HEIGHT, SECONDS, WIDTH, user_photos


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI to check the MP4 (apt-get install ffmpeg)")
        pytest.skip(f"{name} not installed: the MP4 was not checked by a real decoder")
    return found


def _frame(video: Path, seconds: float) -> np.ndarray:
    """The decoded picture showing at ``seconds``, as an RGB array."""
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            if (frame.time or 0.0) >= seconds:
                return frame.to_ndarray(format="rgb24").astype(np.int16)
    raise AssertionError(f"no frame at {seconds} s")


@pytest.mark.slow
def test_demo_ends_with_the_video_it_asked_for(tmp_path: Path) -> None:
    # Its own folder, named up front; never the user's videos (even with NEMO_OUTPUT_DIR set).
    out = tmp_path / "state" / "demo"
    env = {
        **os.environ,
        "NEMO_HOME": str(tmp_path / "state"),
        "NEMO_OUTPUT_DIR": str(tmp_path / "my-videos"),
        "HOME": str(tmp_path),
        "NEMO_LANGUAGE": "en",
    }
    script = Path(sys.executable).with_name("ai-video-music")
    result = subprocess.run(
        # 2 frames a second: the same length and frame, rendered in a sixth of the time.
        [str(script), "demo", "--fps", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd="/",
    )
    assert result.returncode == 0, result.stderr
    video = Path(result.stdout.strip().splitlines()[-1])
    assert video.parent == out and video.is_file()
    assert f"saved in {out}" in result.stderr.splitlines()[1]  # said before anything runs
    assert not (tmp_path / "Videos").exists() and not (tmp_path / "my-videos").exists()
    assert "upload" in result.stderr and "3 tracks. 1. Video:" in result.stderr
    assert '"Summer 2026"' in result.stderr

    probe = subprocess.run(
        [_tool("ffprobe"), "-v", "error", "-show_streams", "-show_format", "-of", "json", str(video)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    info = json.loads(probe.stdout)
    streams = {s["codec_type"]: s for s in info["streams"]}
    assert {k: s["codec_name"] for k, s in streams.items()} == {"video": "h264", "audio": "aac"}
    assert abs(float(info["format"]["duration"]) - SECONDS) <= 0.5
    assert (streams["video"]["width"], streams["video"]["height"]) == (WIDTH, HEIGHT)

    # Decode everything (a truncated or corrupt file fails here) and measure the sound.
    volumedetect = ["-af", "volumedetect", "-f", "null", "-"]
    decode = subprocess.run(
        [_tool("ffmpeg"), "-v", "info", "-nostats", "-i", str(video), *volumedetect],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert decode.returncode == 0, decode.stderr
    mean = re.search(r"mean_volume: (-?[\d.]+) dB", decode.stderr)
    assert mean is not None, decode.stderr
    assert float(mean.group(1)) > -50, "the music is (nearly) silent"  # digital silence is -91 dB

    # The picture moves: within a photo (the slow pan) and from one photo to the next.
    first, later, next_photo = _frame(video, 0.5), _frame(video, 2.5), _frame(video, 4.0)
    assert np.abs(first - later).mean() > 1
    assert np.abs(first - next_photo).mean() > 10


def test_the_demo_help_names_as_many_samples_as_it_uses() -> None:
    assert cli.DEMO_SAMPLES == GENERATED


def test_the_demo_takes_the_users_photos_in_name_order(tmp_path: Path) -> None:
    for name in ("b.png", "a.JPG", "clip.mp4", "notes.txt", "c.webp"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    assert [p.name for p in user_photos(tmp_path)] == ["a.JPG", "b.png", "c.webp", "clip.mp4"]
    with pytest.raises(ValueError, match="no photos"):
        user_photos(tmp_path / "sub")
