"""Reading uploaded media: facts for the upload answer, pictures and sound for the renderer.

Uploads are untrusted: anything that does not decode is reported as unknown (and rendered as a
card with the file's name), never an error.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

MAX_PIXELS = 80_000_000  # larger photos are refused rather than decoded
_DECODE_ERRORS = (OSError, ValueError, EOFError, av.FFmpegError, Image.DecompressionBombError, IndexError)


@dataclass(frozen=True)
class Facts:
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None


def probe(path: Path, kind: str) -> Facts:
    """Duration, frame size and rate of an uploaded file, where it can be read."""
    try:
        if kind == "image":
            with Image.open(path) as image:
                return Facts(None, image.width, image.height, None)
        with av.open(str(path)) as container:
            duration = container.duration / 1_000_000 if container.duration else None
            video = container.streams.video[0] if container.streams.video else None
            if video is None:
                return Facts(duration)
            rate = float(video.average_rate) if video.average_rate else None
            return Facts(duration, video.width, video.height, rate)
    except _DECODE_ERRORS:
        return Facts()


def load_photo(path: Path, width: int, height: int) -> Image.Image | None:
    """The photo upright, in RGB, no larger than needed to cover ``width`` x ``height`` twice."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > MAX_PIXELS:
                    return None
                image.draft("RGB", (width * 2, height * 2))  # JPEG: decode at a reduced scale
                upright = ImageOps.exif_transpose(image).convert("RGB")
        upright.thumbnail((width * 2, height * 2))
    except (*_DECODE_ERRORS, Image.DecompressionBombWarning):
        return None
    return upright


class ClipFrames:
    """Frames of an uploaded clip at increasing times; the last frame holds at the end."""

    def __init__(self, path: Path) -> None:
        self._container = av.open(str(path))
        stream = self._container.streams.video[0]
        stream.thread_type = "AUTO"
        self._frames: Iterator[av.VideoFrame] = self._container.decode(stream)
        self._current: av.VideoFrame | None = None
        self._upcoming: av.VideoFrame | None = None
        self._image: Image.Image | None = None

    @classmethod
    def open(cls, path: Path) -> ClipFrames | None:
        try:
            clip = cls(path)
            if clip.at(0.0) is None:
                clip.close()
                return None
        except _DECODE_ERRORS:
            return None
        return clip

    def _next(self) -> av.VideoFrame | None:
        with contextlib.suppress(StopIteration, *_DECODE_ERRORS):
            return next(self._frames)
        return None

    def at(self, seconds: float) -> Image.Image | None:
        """The frame showing at ``seconds`` from the clip's start."""
        if self._upcoming is None and self._current is None:
            self._upcoming = self._next()
        while self._upcoming is not None and (self._upcoming.time or 0.0) <= seconds + 1e-6:
            self._current, self._image = self._upcoming, None
            self._upcoming = self._next()
        if self._current is None:
            return None
        if self._image is None:
            self._image = Image.fromarray(self._current.to_ndarray(format="rgb24"))
        return self._image

    def close(self) -> None:
        with contextlib.suppress(*_DECODE_ERRORS):
            self._container.close()


def load_audio(path: Path, rate: int, seconds: float) -> NDArray[np.float32] | None:
    """Up to ``seconds`` of an uploaded sound, mono at ``rate``, or None if it can't be decoded."""
    chunks: list[NDArray[np.float32]] = []
    wanted = int(seconds * rate)
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                return None
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            got = 0
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1).astype(np.float32)
                    chunks.append(chunk)
                    got += chunk.size
                if got >= wanted:
                    break
    except _DECODE_ERRORS:
        return None
    if not chunks:
        return None
    return np.concatenate(chunks)[:wanted]
