"""Hostile MP4s: every kind a reviewer used to exhaust memory is refused in words, the server's own
memory does not move, and the child that looks inside stays under 300 MB whatever it reads."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from ai_video_music import videocheck
from ai_video_music.media import NotAVideoError
from ai_video_music.videocheck import Verdict, Verdicts, check_video, child_answers, run_child, verify_video

pytestmark = pytest.mark.anyio

LIMIT_MB = 300


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


FTYP = box(b"ftyp", b"isom\0\0\2\0isomiso2avc1mp41")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def patched(sample: bytes, tag: bytes, offset: int, value: bytes) -> bytes:
    """``sample`` with ``value`` written ``offset`` bytes after the first ``tag``."""
    at = sample.index(tag) + offset
    return sample[:at] + value + sample[at + len(value) :]


def hostile_files(sample: bytes) -> dict[str, bytes]:
    pad = box(b"mdat", b"\0" * (1_600_000))  # the reviewer's files were 1.6 MB
    nested = box(b"mdat")
    for _ in range(5000):
        nested = box(b"trak", nested)
    return {
        # A real export whose frame (track header and sample entry) claims 60000x60000.
        "huge frame": patched(
            patched(sample, b"tkhd", 4 + 76, struct.pack(">II", 60000 << 16, 60000 << 16)),
            b"avc1", 28, struct.pack(">HH", 60000, 60000),
        ) + pad,
        # A sample-size table that says it has two billion entries.
        "huge sample table": patched(sample, b"stsz", 12, struct.pack(">I", 0x7FFFFFFF)) + pad,
        "deep nesting": FTYP + box(b"moov", nested) + pad,
        "size lie": FTYP + struct.pack(">I", 0xFFFFFFF0) + b"moov" + b"\0" * 1_600_000,
        "large size lie": FTYP + struct.pack(">I", 1) + b"moov" + struct.pack(">Q", 1 << 40) + b"\0" * 4096,
        "millions of boxes": FTYP + box(b"free") * 2_000_000 + box(b"moov"),
        "moov of millions": FTYP + box(b"moov", box(b"trak", box(b"udta", box(b"free") * 500_000))),
    }  # fmt: skip


@pytest.fixture(scope="module")
def files(sample_mp4: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-mp4")
    out = {}
    for name, data in hostile_files(sample_mp4.read_bytes()).items():
        out[name] = folder / (name.replace(" ", "-") + ".mp4")
        out[name].write_bytes(data)
    return out


@pytest.mark.parametrize(
    "name",
    [
        "huge frame",
        "deep nesting",
        "size lie",
        "large size lie",
        "millions of boxes",
        "moov of millions",
    ],
)
async def test_a_hostile_mp4_is_refused_as_not_a_video_within_the_memory_limit(
    files: dict[str, Path], name: str
) -> None:
    before = rss_mb()
    answer = await run_child(["probe", str(files[name])], videocheck.PROBE_LIMIT_S)
    assert "error" in answer, answer
    assert 0 < answer["peak_rss_mb"] < LIMIT_MB, answer
    with pytest.raises(NotAVideoError):
        await verify_video(files[name], "r", Verdicts(None))
    assert rss_mb() - before < 50


@pytest.mark.parametrize("name", ["huge frame", "huge sample table"])
async def test_a_contact_sheet_of_a_hostile_mp4_stays_within_the_memory_limit(
    files: dict[str, Path], name: str, tmp_path: Path
) -> None:
    before = rss_mb()
    answer = await run_child(["sheet", str(files[name]), str(tmp_path / "s.jpg")], videocheck.SHEET_LIMIT_S)
    assert 0 < answer["peak_rss_mb"] < LIMIT_MB, answer
    if "error" not in answer:  # the decoder trusted the real frame (the stream's own header), not the box
        from PIL import Image

        with Image.open(tmp_path / "s.jpg") as sheet:
            assert sheet.width <= videocheck.SHEET_WIDTH
    assert rss_mb() - before < 50


@pytest.mark.parametrize("name", ["huge frame", "huge sample table"])
async def test_a_hostile_mp4_checked_with_its_sheet_stays_within_the_memory_limit_and_gets_no_sheet(
    files: dict[str, Path], name: str, tmp_path: Path
) -> None:
    before = rss_mb()
    out = tmp_path / "s.jpg"
    answers = await child_answers(
        ["check", str(files[name]), str(out)], [videocheck.PROBE_LIMIT_S, videocheck.SHEET_LIMIT_S]
    )
    assert "error" in answers[-1] and all(0 < a["peak_rss_mb"] < LIMIT_MB for a in answers), answers
    with pytest.raises(NotAVideoError):
        await check_video(files[name], "r", Verdicts(None), out)
    assert not out.exists(), "a file that is not a video gets no preview"
    assert rss_mb() - before < 50


def test_the_box_walk_refuses_what_no_export_looks_like(files: dict[str, Path]) -> None:
    for name in ("deep nesting", "size lie", "large size lie", "millions of boxes", "moov of millions"):
        with files[name].open("rb") as fh, pytest.raises(videocheck.BoxError):
            videocheck.walk_boxes(fh, files[name].stat().st_size)


def test_the_box_walk_accepts_a_real_export(sample_mp4: Path) -> None:
    with sample_mp4.open("rb") as fh:
        assert videocheck.walk_boxes(fh, sample_mp4.stat().st_size)


def test_the_child_cannot_take_more_memory_than_its_cap() -> None:
    code = "from ai_video_music.videocheck import cap_memory; cap_memory(); b = bytearray(1 << 30); print(1)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode != 0 and "MemoryError" in done.stderr and not done.stdout


async def test_a_child_over_its_time_is_killed_and_said(sample_mp4: Path) -> None:
    answer = await run_child(["probe", str(sample_mp4)], 0.001)
    assert "longer than" in answer["error"]


async def test_a_real_export_is_verified_and_its_sheet_is_a_legible_grid(
    sample_mp4: Path, tmp_path: Path
) -> None:
    from PIL import Image

    facts = await verify_video(sample_mp4, "r", Verdicts(None))
    assert (facts.width, facts.height, facts.duration_s) == (320, 180, 2.0)
    assert await videocheck.sheet_in_child(sample_mp4, tmp_path / "s.jpg")
    with Image.open(tmp_path / "s.jpg") as sheet:
        assert sheet.width >= 1200 and sheet.height > 400, sheet.size  # two rows, not a 976x108 strip


async def test_a_new_download_is_verified_and_its_sheet_drawn_by_the_same_child(
    sample_mp4: Path, tmp_path: Path
) -> None:
    from PIL import Image

    sheet = tmp_path / "render_1.jpg"
    checked = await check_video(sample_mp4, "render_1", Verdicts(tmp_path), sheet)
    assert (checked.facts.width, checked.facts.height, checked.sheet_drawn) == (320, 180, True)
    with Image.open(sheet) as drawn:
        assert drawn.width >= 1200 and drawn.height > 400, drawn.size
    recorded = Verdicts(tmp_path).get("render_1")
    assert recorded is not None and recorded.state == "video"
    # Judged already (a restarted server): not opened again, so the sheet is left to the caller.
    again = await check_video(sample_mp4, "render_1", Verdicts(tmp_path), tmp_path / "again.jpg")
    assert (again.facts, again.sheet_drawn) == (checked.facts, None)


async def test_the_probe_and_the_sheet_each_keep_their_own_time_limit(
    sample_mp4: Path, tmp_path: Path
) -> None:
    out = tmp_path / "s.jpg"
    probed, drawing = await child_answers(
        ["check", str(sample_mp4), str(out)], [videocheck.PROBE_LIMIT_S, 0.001]
    )
    assert probed["width"] == 320, probed
    assert "longer than" in drawing["error"]
    slow_probe = await child_answers(["check", str(sample_mp4), str(out)], [0.001, videocheck.SHEET_LIMIT_S])
    assert len(slow_probe) == 1 and "longer than" in slow_probe[0]["error"]


async def test_a_file_is_probed_once_even_across_restarts(
    sample_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await verify_video(sample_mp4, "render_1", Verdicts(tmp_path))

    async def never(path: Path, sheet: Path | None = None) -> object:
        raise AssertionError("probed again")

    monkeypatch.setattr(videocheck, "probe_in_child", never)
    again = await verify_video(sample_mp4, "render_1", Verdicts(tmp_path))  # a new process: a new Verdicts
    assert again == first


async def test_a_file_whose_probes_never_finished_is_refused_without_parsing_it_again(
    sample_mp4: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts = Verdicts(tmp_path)
    key = videocheck.file_key(sample_mp4)
    verdicts.put("render_1", Verdict(key, "probing", tries=2))  # processes died there, twice

    async def never(path: Path, sheet: Path | None = None) -> object:
        raise AssertionError("probed again")

    monkeypatch.setattr(videocheck, "probe_in_child", never)
    with pytest.raises(NotAVideoError):
        await verify_video(sample_mp4, "render_1", Verdicts(tmp_path))


async def test_a_different_download_under_the_same_render_is_probed_anew(
    sample_mp4: Path, tmp_path: Path
) -> None:
    Verdicts(tmp_path).put("render_1", Verdict("0:stale", "rejected", reason="an older file"))
    facts = await verify_video(sample_mp4, "render_1", Verdicts(tmp_path))
    assert facts.width == 320


async def test_one_unfinished_probe_is_tried_once_more(sample_mp4: Path, tmp_path: Path) -> None:
    """A server stopped by its user mid-probe does not make a good video unusable."""
    key = videocheck.file_key(sample_mp4)
    Verdicts(tmp_path).put("render_1", Verdict(key, "probing", tries=1))
    facts = await verify_video(sample_mp4, "render_1", Verdicts(tmp_path))
    assert facts.width == 320
    recorded = Verdicts(tmp_path).get("render_1")
    assert recorded is not None and (recorded.state, recorded.width) == ("video", 320)


def _zeroed_media(sample: bytes) -> bytes:
    """``sample`` with every byte of its media data zeroed: a real movie header over nothing."""
    at = 0
    while at + 8 <= len(sample):
        size, kind = struct.unpack(">I4s", sample[at : at + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", sample[at + 8 : at + 16])[0], 16
        elif size == 0:
            size = len(sample) - at
        if kind == b"mdat":
            return sample[: at + header] + b"\0" * (size - header) + sample[at + size :]
        at += size
    raise AssertionError("no mdat in the sample")


async def test_a_made_up_movie_header_over_zeros_is_not_a_video(sample_mp4: Path, tmp_path: Path) -> None:
    pytest.importorskip("av")  # without the decoder the box parser's word stands
    fake = tmp_path / "zeros.mp4"
    fake.write_bytes(_zeroed_media(sample_mp4.read_bytes()))
    with fake.open("rb") as fh:  # the boxes look like an export's
        assert videocheck.walk_boxes(fh, fake.stat().st_size)
    with pytest.raises(NotAVideoError):
        await verify_video(fake, "render_zeros", Verdicts(None))
    # The real file it was made from still is one.
    assert (await verify_video(sample_mp4, "render_real", Verdicts(None))).width == 320


async def test_a_tall_videos_sheet_fits_what_vision_apis_take(tmp_path: Path) -> None:
    """Round 12 B6: a 256x4096 export's sheet was 1278x10086 px; an API that refuses an image over
    8000 px (2000 px beside many images) fails the whole turn that carries it."""
    import av
    import numpy as np
    from PIL import Image

    path = tmp_path / "tall.mp4"
    with av.open(str(path), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=4)
        stream.width, stream.height, stream.pix_fmt = 256, 4096, "yuv420p"
        for i in range(8):
            pixels = np.zeros((4096, 256, 3), np.uint8)
            pixels[:, :, i % 3] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    assert await videocheck.sheet_in_child(path, tmp_path / "s.jpg")
    with Image.open(tmp_path / "s.jpg") as sheet:
        assert max(sheet.size) <= videocheck.SHEET_MAX_SIDE, sheet.size
        assert sheet.height > sheet.width, "its shape kept"
