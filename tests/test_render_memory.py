"""Memory stays flat over many renders: the tracker keeps nothing per render once it has ended."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import anyio
import pytest

from ai_video_music import renders as renders_module
from ai_video_music.jobs import Jobs
from ai_video_music.media import VideoFacts
from ai_video_music.models import RenderStatus
from ai_video_music.renders import Renders, part_name, publish
from ai_video_music.store import Store
from ai_video_music.videocheck import Checked

pytestmark = pytest.mark.anyio


class FinishingClient:
    """A backend whose every render is done at the first look, except that about half fail at
    their first attempt (so the tracker also follows retries under new ids)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.settings = SimpleNamespace(download_timeout=60.0)

    async def start_render(self, sid: str, render_id: str, draft: Any, **kw: Any) -> RenderStatus:
        return RenderStatus(id=render_id, status="processing", progress=5)

    async def render_status(self, render_id: str) -> RenderStatus:
        rec = self.store.render(render_id)
        if rec is not None and rec.attempt == 1 and render_id[-1] in "02468ace":
            return RenderStatus(id=render_id, status="failed", error="boom")
        return RenderStatus(
            id=render_id, status="completed", progress=100, output_url=f"https://s.example/{render_id}"
        )

    def fallback_download_url(self, render_id: str) -> str:
        return f"https://api.example/{render_id}/download"

    async def download(self, url: str, dest: Path, **kw: Any) -> int:
        dest.write_bytes(b"video")
        return 5

    async def cancel_render(self, render_id: str) -> None:
        return None


async def test_the_tracker_keeps_nothing_per_render_after_many_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def verified(path: Path, name: str, verdicts: object, sheet: Path | None) -> Checked:
        return Checked(VideoFacts(1.0, 320, 180, 5))

    monkeypatch.setattr(renders_module, "check_video", verified)
    store = Store(tmp_path / "home")
    async with anyio.create_task_group() as tg:
        tracker = Renders(
            FinishingClient(store),  # type: ignore[arg-type]
            store,
            Jobs(tg),
            output_dir=lambda: tmp_path,
            render_timeout=60,
            poll_floor=0.001,
        )
        sizes = []
        for _batch in range(3):
            jobs = [tracker.start("p", "s", {"t": []}, "fp", "mp4", "high") for _ in range(40)]
            with anyio.fail_after(30):
                for job in jobs:
                    await job.done.wait()
            assert all(job.error is None for job in jobs), [job.error for job in jobs if job.error]
            sizes.append((len(tracker._following), len(tracker._wake)))
    retried = sum(1 for rec in store.renders_page(0, 1000)[0] if rec.attempt == 2)
    store.close()
    assert sizes == [(0, 0)] * 3, sizes
    assert retried > 10 and len(list(tmp_path.glob("nemovideo-*.mp4"))) == 120


def test_two_renders_published_under_one_name_keep_both_files(tmp_path: Path) -> None:
    """Two renders of one project in the same minute want the same file name: both files stay,
    the second under the next free name, and neither part file is left behind."""
    name = "spring-sale-2026-12-06-1844.mp4"
    first, second = tmp_path / part_name(name, "render_a"), tmp_path / part_name(name, "render_b")
    first.write_bytes(b"first")
    second.write_bytes(b"second")
    assert first != second
    a = publish(first, tmp_path, name, "render_a")
    b = publish(second, tmp_path, name, "render_b")
    assert (a.name, a.read_bytes()) == (name, b"first")
    assert (b.name, b.read_bytes()) == ("spring-sale-2026-12-06-1844-2.mp4", b"second")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([a.name, b.name])
