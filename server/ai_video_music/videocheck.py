"""Looking inside an untrusted video: bounded, off the event loop, in a child with a memory cap.

A downloaded export comes from the backend, so its bytes are hostile until checked. Two things
read them: the MP4 parser that verifies it is a video (hachoir) and the decoder that draws the
contact sheet (PyAV). Both can be made to allocate without bound by a small file (a 1.6 MB file
declaring a huge frame, millions of boxes, box sizes that lie), so:

- a bounded walk of the box tree (sizes, counts, depth) refuses such a file before any parser
  sees it; it reads box headers only and keeps nothing but counters;
- the parser and the decoder run in a separate process (``python -m ai_video_music.videocheck``,
  or the same code in a process forked by :mod:`checkzygote`, which has its imports done already)
  whose address space is capped (``RLIMIT_AS``) and which is killed after a wall-clock limit;
  whatever blows up there, the server only sees "not a video" or "no preview". A new download's
  probe and contact sheet share one child (its start and imports are most of the cost of either),
  each answer within its own limit;
- one such child at a time in the whole process (:data:`CHECKS_AT_ONCE`): the cap holds one
  child under 300 MB, and renders of several projects can end together, so downloads take turns.
  The wait for a turn counts against the check's own limit; a check that never got its turn was
  not made, and its file is not judged by it (:class:`CheckerBusyError`);
- frame dimensions and the number of frames decoded are capped before a frame is decoded;
- a file is a video only once a frame of it was decoded (with the ``preview`` extra's decoder):
  a made-up movie header over zeros reads as a video to the box parser alone;
- the verdict is recorded in a small JSON file (:func:`Verdicts`) keyed by the file's size and a
  digest of its ends, so a restarted server never parses the same download again (a file whose
  probe never returned is refused at once instead of taking the process down a second time).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import struct
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

import anyio
import anyio.abc
from anyio.lowlevel import RunVar
from anyio.streams.buffered import BufferedByteReceiveStream

from . import checkzygote
from .fsutil import atomic_write_bytes
from .media import NotAVideoError, VideoFacts

log = logging.getLogger(__name__)

# --- limits ---------------------------------------------------------------------------------

MAX_BOXES = 20_000  # boxes walked in the whole file; a real export has a few hundred
MAX_DEPTH = 10  # moov/trak/mdia/minf/stbl/... is 6 deep
MAX_META_BYTES = 64 * 1024 * 1024  # a moov box larger than this is not a video we made
MAX_SIDE = 8192  # pixels, per side
MAX_PIXELS = 8192 * 4320  # 8K: a larger frame is refused before it is decoded
MAX_FRAMES_PER_PICK = 300  # a seek lands on the key frame before: decode at most this far on
MAX_FRAMES_DECODED = 2000  # over the whole sheet
MAX_PACKETS_TO_FIRST_FRAME = 300  # packets fed to the decoder before a first frame must appear
MEMORY_CAP_BYTES = 280 * 1024 * 1024  # the child's address space: it stays under 300 MB whatever
PROBE_LIMIT_S = 20.0
MAX_PROBES = 2  # probes begun on one file before it is refused without another
SHEET_LIMIT_S = 30.0
MAX_ANSWER_BYTES = 64 * 1024  # each of the child's JSON lines
# Children checking at once: each may take its whole cap (a hostile file can drive it there), and
# the server itself needs ~100 MB, so one child keeps the whole server under 300 MB.
CHECKS_AT_ONCE = 1
_CONTAINERS = frozenset(
    {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"udta", b"mvex", b"moof", b"traf"}
)

# --- the contact sheet's layout: legible to a model that sees images ---------------------------

SHEET_WIDTH = 1280
# No side longer: vision APIs refuse larger images (Anthropic's: 8000 px a side, 2000 px when a
# request holds more than 20 images), and a refused image fails the whole turn that carries it.
SHEET_MAX_SIDE = 2000
SHEET_ROWS = 2
SHEET_GAP = 6


class BoxError(NotAVideoError):
    """The box structure is outside what a real export looks like."""


class CheckerBusyError(NotAVideoError):
    """The check never began: other checks held the checker for all of its time. Not a verdict
    on the file (it is not recorded): it can be checked again."""


def walk_boxes(fh: BinaryIO, size: int) -> bool:
    """Check the ISO-BMFF box tree of an open file against hard limits; True when it has a moov.

    Reads 16 bytes per box and seeks over payloads, so a hostile file costs time proportional to
    its box count (capped), never memory. A box whose size runs past its parent, a size below its
    header, too many boxes or too deep a nest is a :class:`BoxError`.
    """
    count = 0
    found_moov = False
    stack: list[tuple[int, int, int]] = [(0, size, 0)]  # (start, end, depth) of the spans to walk
    while stack:
        pos, end, depth = stack.pop()
        while pos < end:
            if end - pos < 8:
                raise BoxError("a box header cut short")
            fh.seek(pos)
            head = fh.read(16)
            if len(head) < 8:
                raise BoxError("the file ends inside a box header")
            length, kind = struct.unpack(">I4s", head[:8])
            header = 8
            if length == 1:
                if len(head) < 16:
                    raise BoxError("a large box header cut short")
                length, header = struct.unpack(">Q", head[8:16])[0], 16
            elif length == 0:
                length = end - pos  # "to the end of the enclosing span"
            if length < header or pos + length > end:
                raise BoxError(f"box {kind!r} claims {length} bytes, {end - pos} are there")
            count += 1
            if count > MAX_BOXES:
                raise BoxError(f"more than {MAX_BOXES} boxes")
            if kind == b"moov":
                found_moov = True
                if length > MAX_META_BYTES:
                    raise BoxError("a movie header larger than any real export's")
            if kind in _CONTAINERS:
                if depth + 1 > MAX_DEPTH:
                    raise BoxError(f"boxes nested deeper than {MAX_DEPTH}")
                stack.append((pos + length, end, depth))  # the rest of this level, after the child
                pos, end, depth = pos + header, pos + length, depth + 1
                continue
            pos += length
    return found_moov


# --- the verdict record -----------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What a probe found for one exact file: ``state`` is probing (begun, never finished),
    video (with facts) or rejected (with a reason)."""

    key: str
    state: str
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    size_bytes: int = 0
    reason: str = ""
    tries: int = 0  # probes begun on this file (a process that died mid-probe never finished one)


def file_key(path: Path) -> str:
    """Size and a digest of the first and last 64 KiB: the same download has the same key, and
    computing it reads 128 KiB whatever the file's size."""
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        digest.update(fh.read(65536))
        fh.seek(max(0, size - 65536))
        digest.update(fh.read(65536))
    return f"{size}:{digest.hexdigest()}"


class Verdicts:
    """Probe verdicts, one small JSON file per name in a private folder (the server's state)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _file(self, name: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{name}.facts.json"

    def get(self, name: str) -> Verdict | None:
        where = self._file(name)
        if where is None:
            return None
        try:
            raw = json.loads(where.read_text(encoding="utf-8"))
            return Verdict(**{k: raw[k] for k in Verdict.__dataclass_fields__ if k in raw})
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def put(self, name: str, verdict: Verdict) -> None:
        where = self._file(name)
        if where is None:
            return
        with contextlib.suppress(OSError):
            where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write_bytes(where, json.dumps(asdict(verdict)).encode("utf-8"))


@dataclass(frozen=True)
class Checked:
    """A verified video's facts, and whether the child that probed it drew its contact sheet
    (None: no sheet was asked for, or the file was judged before and not opened again)."""

    facts: VideoFacts
    sheet_drawn: bool | None = None


async def verify_video(path: Path, name: str, verdicts: Verdicts) -> VideoFacts:
    """The facts of a downloaded video, probed at most once per exact file; raises
    :class:`NotAVideoError` for anything else (including a file whose probe blew its limits)."""
    return (await check_video(path, name, verdicts)).facts


async def check_video(path: Path, name: str, verdicts: Verdicts, sheet: Path | None = None) -> Checked:
    """:func:`verify_video`; with ``sheet``, a child that probes the file and finds a video then
    draws its contact sheet there (JPEG), as :func:`sheet_in_child` would."""
    key = await anyio.to_thread.run_sync(file_key, path)
    known = verdicts.get(name)
    tries = 1
    if known is not None and known.key == key:
        if known.state == "video":
            return Checked(VideoFacts(known.duration_s, known.width, known.height, known.size_bytes))
        if known.state == "rejected" or known.tries >= MAX_PROBES:
            # Judged already, or the process died while checking this very file more than once
            # (the child's limits make that unlikely; a restart loop must still end): no more.
            raise NotAVideoError(known.reason or "its earlier checks never finished")
        tries = known.tries + 1  # one unfinished probe: the process may have been stopped by the user
    verdicts.put(name, Verdict(key, "probing", tries=tries))
    try:
        checked = await probe_in_child(path, sheet)
    except CheckerBusyError:
        verdicts.put(name, Verdict(key, "probing", tries=tries - 1))  # no child ever opened it
        raise
    except NotAVideoError as err:
        verdicts.put(name, Verdict(key, "rejected", reason=str(err)))
        raise
    facts = checked.facts
    verdicts.put(name, Verdict(key, "video", facts.duration_s, facts.width, facts.height, facts.size_bytes))
    return checked


# --- the parent side --------------------------------------------------------------------------


async def run_child(args: list[str], limit: float) -> dict[str, Any]:
    """Run this module in a child with ``args``; its JSON answer, or an ``error`` on a crash,
    a kill for memory or time, or an answer we can't read."""
    return (await child_answers(args, [limit]))[0]


# A RunVar is per event loop: a server process runs one, so this is the process's bound.
_turns: RunVar[anyio.CapacityLimiter] = RunVar("videocheck_turns")


def _checker_turns() -> anyio.CapacityLimiter:
    try:
        return _turns.get()
    except LookupError:
        turns = anyio.CapacityLimiter(CHECKS_AT_ONCE)
        _turns.set(turns)
        return turns


async def child_answers(args: list[str], limits: Sequence[float]) -> list[dict[str, Any]]:
    """Run this module's checker with ``args`` in a capped child; its JSON answers (one line each),
    the n-th within ``limits[n]`` of the one before. An answer that doesn't come (a crash, a kill
    for memory or time, a line we can't read) is an ``error`` answer, and so is the last one
    returned. The child is forked by the server's :mod:`checkzygote` (imports paid once), or,
    when there is none or it died during the check, started afresh.

    At most :data:`CHECKS_AT_ONCE` children run in the process; the wait for a turn is part of
    the first answer's limit. A check whose turn never came within it answers a ``busy`` error."""
    turns = _checker_turns()
    asked = anyio.current_time()
    with anyio.move_on_after(limits[0]) as waiting:
        await turns.acquire()
    if waiting.cancelled_caught:
        return [{"error": f"other checks took all of its {limits[0]:.0f} s", "busy": True}]
    waited = anyio.current_time() - asked
    try:
        # The child needs no setting and no secret (NEMO_TOKEN stays here); it finds this package
        # where the parent did.
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEMO_")}
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        zygote = checkzygote.running(env)
        if zygote is not None:
            answers = await _forked_answers(zygote, args, limits, waited)
            if answers is not None:
                return answers
        return await _fresh_answers(args, limits, env, waited)
    finally:
        turns.release()


async def _forked_answers(
    zygote: checkzygote.Zygote, args: list[str], limits: Sequence[float], waited: float = 0.0
) -> list[dict[str, Any]] | None:
    """:func:`child_answers` from a grandchild forked by ``zygote``; None when the zygote could
    not take the check or died before it was answered (the grandchild dies with it)."""
    begun = zygote.begin(args)
    if begun is None:
        return None
    check_id, sock = begun
    try:
        stream = await anyio.abc.UNIXSocketStream.from_socket(sock)
    except OSError:
        sock.close()
        zygote.end(check_id)
        return None
    lines = BufferedByteReceiveStream(stream)

    async def ended() -> str:
        with contextlib.suppress(anyio.EndOfStream, anyio.BrokenResourceError, OSError):
            while await lines.receive():  # after its last answer: whatever else it says, to the end
                pass
        return "the checker ended without an answer"

    try:
        answers = await _read_answers(lines, limits, ended, waited)
    finally:
        with anyio.CancelScope(shield=True):
            zygote.end(check_id)
            await stream.aclose()
    if "ended without" in answers[-1].get("error", "") and not zygote.alive():
        return None  # the zygote, not the file, ended it: the file gets a fresh child's check
    return answers


async def _fresh_answers(
    args: list[str], limits: Sequence[float], env: dict[str, str], waited: float = 0.0
) -> list[dict[str, Any]]:
    """:func:`child_answers` from a new interpreter running this module."""
    try:
        process = await anyio.open_process(
            [sys.executable, "-m", "ai_video_music.videocheck", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as err:
        return [{"error": f"could not start the checker ({err.strerror})"}]
    async with process:
        assert process.stdout is not None

        async def ended() -> str:
            await process.wait()
            return f"the checker ended with code {process.returncode}"

        answers = await _read_answers(BufferedByteReceiveStream(process.stdout), limits, ended, waited)
        if process.returncode is None:
            with anyio.CancelScope(shield=True):
                process.kill()
                await process.wait()
    return answers


async def _read_answers(
    lines: BufferedByteReceiveStream,
    limits: Sequence[float],
    ended: Callable[[], Awaitable[str]],
    waited: float = 0.0,
) -> list[dict[str, Any]]:
    """The answers of one child, each within its limit; after the last one (or when its output
    ends) the child's end, within the same limit. ``ended`` waits for that end and says it;
    ``waited`` (for the child's turn) was spent of the first limit already."""
    answers: list[dict[str, Any]] = []
    for limit in limits:
        answer: dict[str, Any] | None = None
        why = ""
        with anyio.move_on_after(limit - waited if not answers else limit) as scope:
            answer = await _next_answer(lines)
            if answer is None or len(answers) == len(limits) - 1:
                why = await ended()  # its output ended, or it has no more to say: it ends
        if scope.cancelled_caught:
            answer = {"error": f"took longer than {limit:.0f} s"}
        elif answer is None:
            answer = {"error": why}
        answers.append(answer)
        if "error" in answer:
            break
    return answers


async def _next_answer(lines: BufferedByteReceiveStream) -> dict[str, Any] | None:
    """The child's next JSON object line (a library's stray output before it is skipped); None
    when its output ends first or a line runs past :data:`MAX_ANSWER_BYTES`."""
    while True:
        try:
            line = await lines.receive_until(b"\n", MAX_ANSWER_BYTES)
        except (anyio.IncompleteRead, anyio.DelimiterNotFound, anyio.EndOfStream):
            return None
        try:
            answer = json.loads(line.decode("utf-8", "replace"))
        except ValueError:
            continue
        if isinstance(answer, dict):
            return answer


async def probe_in_child(path: Path, sheet: Path | None = None) -> Checked:
    """Verify ``path`` is an MP4/MOV with a video track and read its facts, in a capped child;
    with ``sheet``, the same child then draws the video's contact sheet there."""
    if sheet is None:
        answers = await child_answers(["probe", str(path)], [PROBE_LIMIT_S])
    else:
        answers = await child_answers(["check", str(path), str(sheet)], [PROBE_LIMIT_S, SHEET_LIMIT_S])
    answer = answers[0]
    if answer.get("busy") is True:
        raise CheckerBusyError(str(answer["error"]))
    if "error" in answer:
        raise NotAVideoError(str(answer["error"])[:200])
    try:
        facts = VideoFacts(
            _number(answer.get("duration_s"), float),
            _number(answer.get("width"), int),
            _number(answer.get("height"), int),
            int(answer["size_bytes"]),
        )
    except (KeyError, TypeError, ValueError):
        raise NotAVideoError("an unreadable answer from the checker") from None
    if sheet is None:
        return Checked(facts)
    drawn = len(answers) > 1 and "error" not in answers[1] and answers[1].get("ok") is True
    if len(answers) > 1 and "error" in answers[1]:
        log.info("no preview for %s: %s", path.name, answers[1]["error"])
    return Checked(facts, drawn)


async def sheet_in_child(path: Path, out: Path) -> bool:
    """Draw the contact sheet of ``path`` into ``out`` (JPEG) in a capped child; whether it did."""
    answer = await run_child(["sheet", str(path), str(out)], SHEET_LIMIT_S)
    if "error" in answer:
        log.info("no preview for %s: %s", path.name, answer["error"])
        return False
    return bool(answer.get("ok"))


def _number(value: Any, kind: type[int] | type[float]) -> Any:
    return None if value is None else kind(value)


# --- the child side ---------------------------------------------------------------------------


def cap_memory(limit: int = MEMORY_CAP_BYTES, cpu_s: float = max(PROBE_LIMIT_S, SHEET_LIMIT_S)) -> None:
    """Cap this process's address space (and CPU time, a little past ``cpu_s``): an allocation
    past it fails, it does not take the machine's memory. Called first thing in the child."""
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with contextlib.suppress(ValueError, OSError):
        cpu = int(cpu_s) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def probe(path: Path) -> VideoFacts:
    """In the child: the box walk, then hachoir's facts, then the frame limits."""
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if fh.read(12)[4:8] != b"ftyp":
            raise NotAVideoError("no ISO-BMFF ftyp box")
        if not walk_boxes(fh, size):
            raise NotAVideoError("no movie header")
    from .media import probe_video

    facts = probe_video(path)
    check_frame(facts.width or 0, facts.height or 0)
    if decodes_a_frame(path) is False:
        raise NotAVideoError("no frame of it could be decoded")
    return facts


def decodes_a_frame(path: Path) -> bool | None:
    """In the child: whether the first video frame decodes (within the frame and packet limits);
    None without the ``preview`` extra's decoder (then the box parser's word stands)."""
    try:
        import av
    except ImportError:
        return None
    with av.open(str(path)) as container:
        if not container.streams.video:
            return False
        stream = container.streams.video[0]
        ctx = stream.codec_context
        check_frame(ctx.width or 0, ctx.height or 0)
        ctx.thread_count = 1
        for n, packet in enumerate(container.demux(stream), 1):
            # The last (empty) packet flushes the decoder: a one-frame video still shows its frame.
            for frame in ctx.decode(packet):
                check_frame(frame.width, frame.height)
                return True
            if n >= MAX_PACKETS_TO_FIRST_FRAME:
                break
    return False


def check_frame(width: int, height: int) -> None:
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise NotAVideoError(f"a {width}x{height} frame is larger than any export")


def contact_sheet(path: Path, frames: int | None = None) -> bytes | None:
    """In the child: a JPEG grid of frames spread over the video, two rows about 1280 px wide
    (a title in the video stays readable); None without the ``preview`` extra or when the video
    can't be decoded within the limits."""
    try:
        import av
        from PIL import Image
    except ImportError:
        return None
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        ctx = stream.codec_context
        check_frame(ctx.width or 0, ctx.height or 0)
        ctx.thread_count = 1  # every decoder thread is another frame buffer and stack
        portrait = (ctx.height or 0) > (ctx.width or 0)
        columns = 4 if portrait else 3
        count = frames or columns * SHEET_ROWS
        thumb_w = (SHEET_WIDTH - SHEET_GAP * (columns - 1)) // columns
        rows_wanted = -(-count // columns)
        if ctx.width and ctx.height:  # a tall frame: narrower thumbnails, so the sheet's height fits
            tallest = (SHEET_MAX_SIDE - SHEET_GAP * (rows_wanted - 1)) // rows_wanted
            thumb_w = max(16, min(thumb_w, tallest * ctx.width // ctx.height))
        duration = float(container.duration or 0) / 1_000_000 or float(stream.duration or 0) * float(
            stream.time_base or 0
        )
        picks = [duration * (i + 0.5) / count for i in range(count)] if duration > 0 else [0.0]
        thumbs = []
        decoded = 0
        for at in picks:
            container.seek(int(at * 1_000_000), backward=True, any_frame=False)
            for n, frame in enumerate(container.decode(stream), 1):
                decoded += 1
                if decoded > MAX_FRAMES_DECODED:
                    raise NotAVideoError("too many frames to decode for a preview")
                check_frame(frame.width, frame.height)
                # Far from a key frame: a frame near the time will do as well as the exact one.
                if frame.time is None or frame.time >= at - 0.05 or n >= MAX_FRAMES_PER_PICK:
                    image = frame.to_image()  # type: ignore[no-untyped-call]
                    height = max(1, round(image.height * thumb_w / image.width))
                    thumbs.append(image.resize((thumb_w, height)))
                    break
    if not thumbs:
        return None
    rows = (len(thumbs) + columns - 1) // columns
    cell_h = max(t.height for t in thumbs)
    width = min(len(thumbs), columns) * (thumb_w + SHEET_GAP) - SHEET_GAP
    sheet = Image.new("RGB", (width, rows * (cell_h + SHEET_GAP) - SHEET_GAP))
    for i, thumb in enumerate(thumbs):
        sheet.paste(thumb, ((i % columns) * (thumb_w + SHEET_GAP), (i // columns) * (cell_h + SHEET_GAP)))
    sheet.thumbnail((SHEET_MAX_SIDE, SHEET_MAX_SIDE))  # a guard: the thumbnails were sized to fit
    out = io.BytesIO()
    sheet.save(out, format="JPEG", quality=80)
    return out.getvalue()


def peak_rss_mb() -> float:
    """This process's peak resident memory (``VmHWM``: of this program only, unlike
    ``ru_maxrss``, which a child inherits from the process that started it); 0 where unknown."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def draw_sheet(video: Path, out: Path) -> dict[str, Any]:
    """In the child: the contact sheet of ``video`` written to ``out``; whether there is one."""
    sheet = contact_sheet(video)
    if sheet is not None:
        atomic_write_bytes(out, sheet)
    return {"ok": sheet is not None}


def answer_of(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """In the child: what ``work`` found, or why it could not, as one JSON line on stdout."""
    answer: dict[str, Any]
    try:
        answer = work()
    except MemoryError:
        answer = {"error": "it needs more memory than any real export"}
    except NotAVideoError as err:
        answer = {"error": str(err)}
    except Exception as err:  # noqa: BLE001 - a decoder raises many types on a damaged file
        answer = {"error": f"unreadable ({type(err).__name__})"}
    answer["peak_rss_mb"] = round(peak_rss_mb(), 1)
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return answer


def main(argv: list[str]) -> int:
    """``probe <video>``, ``sheet <video> <out.jpg>`` or ``check <video> <out.jpg>`` (the probe's
    answer, then, for a video, the sheet's): one JSON line on stdout per answer, always."""
    if argv[:1] == ["probe"] and len(argv) == 2:
        cap_memory()
        answer_of(lambda: asdict(probe(Path(argv[1]))))
    elif argv[:1] == ["sheet"] and len(argv) == 3:
        cap_memory()
        answer_of(lambda: draw_sheet(Path(argv[1]), Path(argv[2])))
    elif argv[:1] == ["check"] and len(argv) == 3:
        cap_memory(cpu_s=PROBE_LIMIT_S + SHEET_LIMIT_S)
        if "error" not in answer_of(lambda: asdict(probe(Path(argv[1])))):
            answer_of(lambda: draw_sheet(Path(argv[1]), Path(argv[2])))
    else:
        cap_memory()
        usage = "usage: probe <video> | sheet <video> <out.jpg> | check <video> <out.jpg>"
        answer_of(lambda: {"error": usage})
    return 0


if __name__ == "__main__":  # pragma: no cover - run as the child
    raise SystemExit(main(sys.argv[1:]))
