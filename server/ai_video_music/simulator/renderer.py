"""The render farm: a draft → an H.264 + AAC MP4 of exactly the draft's frame size and length.

Photos and clips play in order for their segments' durations (photos with a slow pan, clips
decoded frame by frame, anything unreadable as a card with its name); titles are drawn over the
picture; music tracks are synthesised (or an uploaded sound decoded) at their volume. PyAV
(FFmpeg in a wheel) encodes; Pillow draws; no system ffmpeg.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import uuid_utils
from numpy.typing import NDArray
from PIL import Image

from . import music, pictures
from .media import ClipFrames, load_audio, load_photo
from .state import FPS, MediaFile, RenderJob, SimState

MAX_SECONDS = 600  # longer drafts are refused: a simulator, not a render farm
MAX_SIDE = 4096
MAX_SEGMENTS = 500
AUDIO_FRAME = 1024  # AAC frame size
AUDIO_RATE = music.RATE  # (inside Timeline, "music" is its field)
PRESET = "ultrafast"  # x264: speed over size; the files are previews, not masters


class Cancelled(Exception):
    pass


@dataclass(frozen=True)
class Visual:
    start: float  # seconds
    end: float
    name: str
    media: MediaFile | None
    src: str


@dataclass(frozen=True)
class Title:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Music:
    start: float
    end: float
    name: str
    volume: float  # 0-1
    media: MediaFile | None


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    fps: int
    seconds: float
    visuals: tuple[Visual, ...]
    titles: tuple[Title, ...]
    music: tuple[Music, ...]
    audio_rate: int = AUDIO_RATE  # samples a second of the soundtrack
    stereo: bool = True


def _num(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def timeline_of(
    draft: dict[str, Any],
    media: dict[str, MediaFile],
    fps: int | None,
    audio_rate: int = AUDIO_RATE,
    stereo: bool = True,
) -> Timeline:
    """Read the draft (untrusted: from the client) into what to draw; ValueError when it can't be."""
    meta = draft.get("m")
    meta = meta if isinstance(meta, dict) else {}
    width, height = int(_num(meta.get("w"), 1920)), int(_num(meta.get("h"), 1080))
    if not (16 <= width <= MAX_SIDE and 16 <= height <= MAX_SIDE):
        raise ValueError(f"frame {width}x{height} is outside 16-{MAX_SIDE} pixels")
    width, height = width + width % 2, height + height % 2  # H.264 4:2:0 needs even sides
    rate = int(fps or _num(meta.get("fps"), FPS))
    visuals: list[Visual] = []
    titles: list[Title] = []
    tracks: list[Music] = []
    end = 0.0
    segments = 0
    for track in draft.get("t") or []:
        if not isinstance(track, dict) or not isinstance(track.get("sg"), list):
            continue
        kind = int(_num(track.get("tt"), -1))
        for seg in track["sg"]:
            if not isinstance(seg, dict):
                continue
            segments += 1
            if segments > MAX_SEGMENTS:
                raise ValueError(f"more than {MAX_SEGMENTS} segments")
            start = max(0.0, _num(seg.get("s")) / 1000)
            stop = start + max(0.0, _num(seg.get("d")) / 1000)
            if stop <= start:
                continue
            name = str(seg.get("n") or "")[:200]
            src = str(seg.get("src") or "")
            end = max(end, stop)
            if kind == 0:
                visuals.append(Visual(start, stop, name or "clip", media.get(src), src))
            elif kind == 7:
                titles.append(Title(start, stop, name))
            elif kind == 1:
                volume = min(100.0, max(0.0, _num(seg.get("v"), 100.0))) / 100
                tracks.append(Music(start, stop, name or "music", volume, media.get(src)))
    seconds = _num(draft.get("d")) / 1000 or end
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"length {seconds:g} s is outside 0-{MAX_SECONDS} s")
    if not 1 <= rate <= 60:
        raise ValueError(f"{rate} frames per second is outside 1-60")
    visuals.sort(key=lambda v: v.start)
    return Timeline(
        width, height, rate, seconds, tuple(visuals), tuple(titles), tuple(tracks), audio_rate, stereo
    )


def soundtrack(timeline: Timeline) -> NDArray[np.float32]:
    """The whole mix, mono, at the timeline's ``audio_rate``."""
    rate = timeline.audio_rate
    out = np.zeros(round(timeline.seconds * rate), dtype=np.float32)
    for track in timeline.music:
        at = int(track.start * rate)
        if at >= out.size:
            continue
        seconds = min(track.end, timeline.seconds) - track.start
        sound = None
        if track.media is not None and track.media.path is not None and track.media.kind == "audio":
            sound = load_audio(track.media.path, rate, seconds)
        if sound is None:
            sound = music.synthesise(track.name, seconds, rate)
        sound = sound[: out.size - at]
        out[at : at + sound.size] += sound * track.volume
    return np.clip(out, -1.0, 1.0)


class _Picture:
    """What one visual segment shows at a given time."""

    def __init__(self, visual: Visual, index: int, width: int, height: int) -> None:
        self.visual, self.width, self.height = visual, width, height
        self.forward = index % 2 == 0
        self.clip: ClipFrames | None = None
        self.base: Image.Image | None = None
        big = (int(width * pictures.ZOOM), int(height * pictures.ZOOM))
        found = visual.media
        if found is not None and found.path is not None and found.kind == "video":
            self.clip = ClipFrames.open(found.path)
        if self.clip is None:
            photo = None
            if found is not None and found.path is not None and found.kind == "image":
                photo = load_photo(found.path, *big)
            if photo is not None:
                self.base = pictures.cover(photo, *big)
            elif found is not None and found.kind == "generated":
                self.base = pictures.scene(visual.src, *big)
            else:
                self.base = pictures.card(visual.name, *big)

    def at(self, seconds: float) -> Image.Image:
        span = self.visual.end - self.visual.start
        progress = min(1.0, max(0.0, (seconds - self.visual.start) / span))
        if self.clip is not None:
            frame = self.clip.at(seconds - self.visual.start)
            if frame is not None:
                return pictures.panned(
                    pictures.cover(frame, *self.base_size()), self.width, self.height, progress, True
                )
        assert self.base is not None or self.clip is not None
        if self.base is None:
            self.base = pictures.card(self.visual.name, *self.base_size())
        return pictures.panned(self.base, self.width, self.height, progress, self.forward)

    def base_size(self) -> tuple[int, int]:
        return int(self.width * pictures.ZOOM), int(self.height * pictures.ZOOM)

    def close(self) -> None:
        if self.clip is not None:
            self.clip.close()


def render(
    timeline: Timeline,
    dest: Path,
    progress: Callable[[float], None] = lambda _: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Write ``timeline`` to ``dest`` as MP4; ``progress`` gets the share of frames written."""
    width, height, fps = timeline.width, timeline.height, timeline.fps
    frames = max(1, round(timeline.seconds * fps))
    audio = soundtrack(timeline)
    black = Image.new("RGB", (width, height), (8, 8, 12))
    titles = {t: pictures.title(t.text, width, height) for t in timeline.titles if t.text.strip()}
    with av.open(str(dest), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"preset": PRESET, "crf": "23"}
        rate, layout = timeline.audio_rate, "stereo" if timeline.stereo else "mono"
        sound = container.add_stream("aac", rate=rate, layout=layout)
        sound.bit_rate = 128_000 if timeline.stereo else 64_000
        # FFmpeg's fast AAC coder: a third of the default (twoloop) coder's CPU, which was half of
        # a render's; still real AAC that every player decodes (previews, not masters: PRESET).
        sound.options = {"aac_coder": "fast"}
        picture: _Picture | None = None
        sent = 0  # audio samples encoded so far
        try:
            for i in range(frames):
                if cancelled():
                    raise Cancelled
                now = i / fps
                visual = next((v for v in reversed(timeline.visuals) if v.start <= now < v.end), None)
                if visual is None:
                    image = black.copy()
                else:
                    if picture is None or picture.visual is not visual:
                        if picture is not None:
                            picture.close()
                        picture = _Picture(visual, timeline.visuals.index(visual), width, height)
                    image = picture.at(now)
                for item, (patch, at) in titles.items():
                    if item.start <= now < item.end:
                        image.paste(patch, at, patch)
                frame = av.VideoFrame.from_ndarray(np.asarray(image), format="rgb24")
                frame.pts = i
                frame.time_base = Fraction(1, fps)
                container.mux(video.encode(frame))
                until = audio.size if i == frames - 1 else int((i + 1) / fps * rate)
                sent = _encode_audio(container, sound, timeline, audio, sent, until)
                progress((i + 1) / frames)
            container.mux(video.encode(None))
            _encode_audio(container, sound, timeline, audio, sent, audio.size)
            container.mux(sound.encode(None))
        finally:
            if picture is not None:
                picture.close()


def _encode_audio(
    container: Any, stream: Any, timeline: Timeline, audio: NDArray[np.float32], sent: int, until: int
) -> int:
    """Encode whole AAC frames of ``audio`` up to ``until`` (the tail once ``until`` is the end)."""
    while sent < until and (until - sent >= AUDIO_FRAME or until == audio.size):
        chunk = audio[sent : sent + AUDIO_FRAME]
        planes, layout = (np.stack([chunk, chunk]), "stereo") if timeline.stereo else (chunk[None, :], "mono")
        frame = av.AudioFrame.from_ndarray(planes, format="fltp", layout=layout)
        frame.sample_rate = timeline.audio_rate
        frame.pts = sent
        frame.time_base = Fraction(1, timeline.audio_rate)
        container.mux(stream.encode(frame))
        sent += chunk.size
    return sent


def render_job(state: SimState, job: RenderJob, draft: dict[str, Any]) -> None:
    """The worker's entry point: render ``draft`` for ``job``; the job's fields carry the outcome."""
    if job.cancel.is_set():
        job.finished.set()
        return
    job.rendering = True
    dest = state.workdir / "renders" / f"{uuid_utils.uuid4().hex}.mp4"
    try:
        with state.lock:
            known = dict(state.media)
            fps = state.config.render_fps
            rate, stereo = state.config.audio_rate, state.config.audio_stereo
        timeline = timeline_of(draft, known, fps, rate, stereo)
        dest.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()

        def advance(share: float) -> None:
            job.work = share

        render(timeline, dest, advance, job.cancel.is_set)
        job.path = dest
        job.elapsed_render = time.monotonic() - started
        job.done = True
    except Cancelled:
        with contextlib.suppress(OSError):
            dest.unlink()
    except (ValueError, OSError, av.FFmpegError) as err:
        job.error = f"render failed: {str(err)[:200]}"
        with contextlib.suppress(OSError):
            dest.unlink()
    finally:
        job.rendering = False
        job.finished_at = time.time()
        job.finished.set()


def render_sample(dest: Path) -> Path:
    """A real 2-second 320x180 H.264/AAC clip with a title and music: what the tests and the
    video-check benchmark probe."""
    draft = {
        "t": [
            {"tt": 0, "sg": [{"n": "clip", "s": 0, "d": 2000}]},
            {"tt": 1, "sg": [{"n": "music", "s": 0, "d": 2000, "v": 50}]},
            {"tt": 7, "sg": [{"n": "Hi", "s": 0, "d": 1000}]},
        ],
        "d": 2000,
        "m": {"w": 320, "h": 180},
    }
    render(timeline_of(draft, {}, fps=10), dest)
    return dest
