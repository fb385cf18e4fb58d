"""Local media: what may be uploaded (checked before a byte is sent) and what a download is.

Uploads are checked by extension *and* content (magic bytes), so a key file renamed
``.jpg`` never leaves the machine. A downloaded export is accepted only when it really is
an ISO-BMFF video with a video track; its facts (length, frame, size) come from hachoir,
a maintained pure-Python parser of MP4 boxes, rather than a box parser of our own.
"""

from __future__ import annotations

import errno
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import (
    ACCEPTED_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    FileTooLargeError,
    InputError,
    UnsupportedFileTypeError,
)

log = logging.getLogger(__name__)

MAX_FILES_PER_UPLOAD = 50

_ISO_BMFF_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot")


def sniff(head: bytes) -> str | None:
    """The media family the first bytes of a file belong to: image, video, audio, or None."""
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image"
    if head[:4] == b"RIFF":
        return {b"WEBP": "image", b"AVI ": "video", b"WAVE": "audio"}.get(head[8:12])
    if head[4:8] in _ISO_BMFF_BOXES:
        return "audio" if head[8:11] == b"M4A" else "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska / WebM
        return "video"
    if head.startswith((b"ID3", b"ADIF")) or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio"  # MP3 frames and AAC ADTS both start with an 11-bit sync word
    return None


def _unreadable(path: Path, err: OSError) -> InputError:
    if isinstance(err, FileNotFoundError):
        if path.is_symlink():
            return InputError("input.broken_link", path=str(path))
        return InputError("input.not_found", path=str(path))
    if isinstance(err, PermissionError):
        return InputError("input.permission", path=str(path))
    if err.errno == errno.ENAMETOOLONG:
        return InputError("input.name_too_long", name=path.name[:60] + "…")
    if err.errno == errno.ELOOP:
        return InputError("input.symlink_loop", path=str(path))
    return InputError("input.unreadable", path=str(path), reason=err.strerror or type(err).__name__)


def check_upload_file(path: Path) -> int:
    """Validate a local file before any byte is sent; returns its size."""
    try:
        resolved = path.resolve(strict=True)
    except RuntimeError:  # a symbolic link loop, before Python 3.13
        raise InputError("input.symlink_loop", path=str(path)) from None
    except OSError as err:
        raise _unreadable(path, err) from None
    if resolved.is_dir():
        raise InputError("input.folder", path=str(path))
    try:
        resolved.name.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("input.bad_name", path=str(path)) from None
    ext = resolved.suffix.lower().lstrip(".")
    if ext not in ACCEPTED_EXTENSIONS:
        raise UnsupportedFileTypeError("input.type", name=resolved.name, ext=ext or "?")
    try:
        size = resolved.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise FileTooLargeError("input.too_big", name=resolved.name, mb=round(size / 1024**2))
        if size == 0:
            raise InputError("input.empty", name=resolved.name)
        if not os.access(resolved, os.R_OK):
            raise InputError("input.permission", path=str(path))
        with resolved.open("rb") as fh:
            head = fh.read(16)
    except OSError as err:
        raise _unreadable(path, err) from None
    if sniff(head) is None:
        raise UnsupportedFileTypeError("input.not_media", name=resolved.name)
    return size


@dataclass(frozen=True)
class VideoFacts:
    duration_s: float | None
    width: int | None
    height: int | None
    size_bytes: int


class NotAVideoError(Exception):
    """The file is not an MP4/MOV with a video track (an HTML error page saved as .mp4, say)."""


def warm_up() -> None:
    """Import what checking a download needs (~0.15 s) ahead of it: run in a thread while a render
    runs, so a finished video is published that much sooner."""
    import hachoir.field
    import hachoir.parser  # noqa: F401


def probe_video(path: Path) -> VideoFacts:
    """Length, frame and size of an MP4 on disk; raises :class:`NotAVideoError` otherwise.

    Synchronous and quick (hachoir reads only the boxes it needs): call it off the event loop.
    """
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(12)
    if head[4:8] != b"ftyp":
        raise NotAVideoError("no ISO-BMFF ftyp box")
    from hachoir.core import config as hachoir_config
    from hachoir.parser import createParser

    hachoir_config.quiet = True  # hachoir otherwise writes warnings to stderr
    try:
        parser = createParser(str(path))
        if parser is None:
            raise NotAVideoError("not a recognised container")  # noqa: TRY301 - one message for all
        with parser:
            return _facts(parser, size)
    except NotAVideoError:
        raise
    except Exception as err:  # hachoir raises many types on a damaged file; all mean "not a video"
        raise NotAVideoError(f"unreadable container ({type(err).__name__})") from err


def _facts(parser: object, size: int) -> VideoFacts:
    from hachoir.field import Field

    assert isinstance(parser, Field)
    duration: float | None = None
    width = height = None
    video = False
    for atom in parser.array("atom"):
        if atom["tag"].value != "moov":
            continue
        for child in atom["movie"].array("atom"):
            tag = child["tag"].value
            if tag == "mvhd":
                hdr = child["movie_hdr"]
                scale = hdr["time_scale"].value
                duration = hdr["duration"].value / scale if scale else None
            elif tag == "trak":
                kind, w, h = _track(child["track"])
                if kind == "vide" and w and h:
                    video, width, height = True, w, h
    if not video:
        raise NotAVideoError("no video track")
    return VideoFacts(duration, width, height, size)


def _track(track: object) -> tuple[str | None, int | None, int | None]:
    from hachoir.field import Field

    assert isinstance(track, Field)
    kind: str | None = None
    w = h = None
    for atom in track.array("atom"):
        tag = atom["tag"].value
        if tag == "tkhd":
            hdr = atom["track_hdr"]
            w, h = int(hdr["frame_size_width"].value), int(hdr["frame_size_height"].value)
        elif tag == "mdia":
            for sub in atom["media"].array("atom"):
                if sub["tag"].value == "hdlr":
                    kind = str(sub["hdlr"]["subtype"].value)
    return kind, w, h


__all__ = [
    "MAX_FILES_PER_UPLOAD",
    "NotAVideoError",
    "VideoFacts",
    "check_upload_file",
    "probe_video",
    "sniff",
]


def contact_sheet(path: Path, frames: int = 5, thumb_width: int = 192) -> bytes | None:
    """A small JPEG of ``frames`` frames spread over the video, for a model that can see images.

    Needs the optional ``preview`` extra (PyAV decodes, Pillow composes); without it, or for a
    file it can't decode, there is simply no preview. Synchronous: call it off the event loop.
    """
    try:
        import av
        from PIL import Image
    except ImportError:
        return None
    import io

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            duration = float(container.duration or 0) / 1_000_000 or float(stream.duration or 0) * float(
                stream.time_base or 0
            )
            picks = [duration * (i + 0.5) / frames for i in range(frames)] if duration > 0 else [0.0]
            thumbs = []
            for at in picks:
                container.seek(int(at * 1_000_000), backward=True, any_frame=False)
                for frame in container.decode(stream):
                    if frame.time is None or frame.time >= at - 0.05:
                        image = frame.to_image()  # type: ignore[no-untyped-call]
                        height = max(1, round(image.height * thumb_width / image.width))
                        thumbs.append(image.resize((thumb_width, height)))
                        break
    except Exception as err:  # noqa: BLE001 - a preview is optional; the video itself is verified elsewhere
        log.info("no preview for %s: %s", path.name, err)
        return None
    if not thumbs:
        return None
    gap = 4
    sheet = Image.new(
        "RGB", (sum(t.width for t in thumbs) + gap * (len(thumbs) - 1), max(t.height for t in thumbs))
    )
    x = 0
    for thumb in thumbs:
        sheet.paste(thumb, (x, 0))
        x += thumb.width + gap
    out = io.BytesIO()
    sheet.save(out, format="JPEG", quality=70)
    return out.getvalue()
