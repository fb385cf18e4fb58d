"""Local media: what may be uploaded (checked before a byte is sent) and what a download is.

Uploads are checked by extension *and* content (magic bytes), so a key file renamed
``.jpg`` never leaves the machine. A downloaded export is accepted only when it really is
an ISO-BMFF video with a video track; its facts (length, frame, size) come from hachoir,
a maintained pure-Python parser of MP4 boxes, rather than a box parser of our own. A download
is untrusted: :mod:`videocheck` walks its boxes within limits first and runs :func:`probe_video`
in a child process with a memory cap, never in the server.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
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


MAX_NAME_BYTES = 255  # NAME_MAX on the common file systems


def unreadable(path: Path, err: OSError) -> InputError:
    """Why a path the user gave can't be read, as one of our sentences."""
    if isinstance(err, FileNotFoundError):
        try:
            link = path.is_symlink()
        except OSError as other:  # the path too long to look at itself
            return unreadable(path, other)
        if link:
            return InputError("input.broken_link", path=str(path))
        return InputError("input.not_found", path=str(path))
    if isinstance(err, PermissionError):
        return InputError("input.permission", path=str(path))
    if err.errno == errno.ENAMETOOLONG:
        if len(os.fsencode(path.name)) <= MAX_NAME_BYTES:  # the name is fine: the whole path is not
            return InputError("input.path_too_long", path=str(path))
        return InputError("input.name_too_long", name=path.name[:60] + "…")
    if err.errno == errno.ELOOP:
        return InputError("input.symlink_loop", path=str(path))
    return InputError("input.unreadable", path=str(path), reason=err.strerror or type(err).__name__)


@dataclass(frozen=True)
class OpenedUpload:
    """A local file opened once, checked through its descriptor: what is sent is what was checked,
    whatever happens to the path afterwards (a retry never reopens it)."""

    path: Path  # as the user gave it
    fd: int
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def current_size(self) -> int:
        """The size now (of the opened file, not of whatever the path names now)."""
        return os.fstat(self.fd).st_size

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


def open_upload_file(path: Path) -> OpenedUpload:
    """Open a local file for upload and validate it before any byte is sent; the caller closes it.

    The path is resolved, then its final file opened without following a link (one swapped in
    since fails) and without blocking (a FIFO); the descriptor must be a regular file and the same
    file (device and inode) the resolved path named. Size and content are read through it.
    """
    try:
        resolved = path.resolve(strict=True)
    except RuntimeError:  # a symbolic link loop, before Python 3.13
        raise InputError("input.symlink_loop", path=str(path)) from None
    except OSError as err:
        raise unreadable(path, err) from None
    if resolved.is_dir():
        raise InputError("input.folder", path=str(path))
    try:
        resolved.name.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("input.bad_name", path=str(path)) from None
    ext = resolved.suffix.lower().lstrip(".")
    if ext not in ACCEPTED_EXTENSIONS:
        raise UnsupportedFileTypeError("input.type", name=resolved.name, ext=ext or "?")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        named = os.lstat(resolved)
        fd = os.open(resolved, flags | getattr(os, "O_BINARY", 0))
    except OSError as err:
        if err.errno == errno.ELOOP and resolved.is_symlink():
            raise InputError("input.changed", name=path.name) from None  # a link swapped in since
        raise unreadable(path, err) from None
    try:
        return OpenedUpload(path, fd, _checked_size(fd, named, path, resolved.name))
    except BaseException:
        os.close(fd)
        raise


def _checked_size(fd: int, named: os.stat_result, path: Path, name: str) -> int:
    """The size of the file open on ``fd``, after checking it is the regular media file ``path``
    named when it was looked at."""
    opened = os.fstat(fd)
    if not stat.S_ISREG(opened.st_mode):
        raise InputError("input.not_regular", path=str(path))
    if (opened.st_dev, opened.st_ino) != (named.st_dev, named.st_ino):
        raise InputError("input.changed", name=path.name)  # swapped between the look and the open
    size = opened.st_size
    if size > MAX_UPLOAD_BYTES:
        raise FileTooLargeError("input.too_big", name=name, mb=round(size / 1024**2))
    if size == 0:
        raise InputError("input.empty", name=name)
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        head = os.read(fd, 16)
    except OSError as err:
        raise unreadable(path, err) from None
    if sniff(head) is None:
        raise UnsupportedFileTypeError("input.not_media", name=name)
    return size


def check_upload_file(path: Path) -> int:
    """Validate a local file before any byte is sent; returns its size."""
    upload = open_upload_file(path)
    upload.close()
    return upload.size


@dataclass(frozen=True)
class VideoFacts:
    duration_s: float | None
    width: int | None
    height: int | None
    size_bytes: int


class NotAVideoError(Exception):
    """The file is not an MP4/MOV with a video track (an HTML error page saved as .mp4, say)."""


def probe_video(path: Path) -> VideoFacts:
    """Length, frame and size of an MP4 on disk; raises :class:`NotAVideoError` otherwise.

    Synchronous; hachoir can allocate without bound on a hostile file: call it only through
    :func:`videocheck.probe_in_child`.
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
    "OpenedUpload",
    "VideoFacts",
    "check_upload_file",
    "open_upload_file",
    "probe_video",
    "sniff",
]
