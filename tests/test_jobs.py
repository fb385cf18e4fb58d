"""A job has one outcome channel: ``result()`` returns its value or raises its own error."""

from __future__ import annotations

import time

import anyio
import pytest

from ai_video_music.errors import NemoError
from ai_video_music.jobs import Job, JobNotDone, Jobs, JobStatus, no_progress
from ai_video_music.messages import msg

pytestmark = pytest.mark.anyio


async def test_result_is_the_value_or_the_jobs_own_error() -> None:
    release = anyio.Event()

    async def fine(job: Job) -> str:
        await release.wait()
        return "render_2"

    async def broken(job: Job) -> str:
        raise NemoError("agent.stream_broken")

    async with anyio.create_task_group() as tg:
        jobs = Jobs(tg)
        ok = jobs.spawn("render", msg("label.export"), fine)
        bad = jobs.spawn("agent", msg("label.request"), broken)
        await anyio.wait_all_tasks_blocked()
        assert ok.status is JobStatus.RUNNING
        with pytest.raises(JobNotDone):
            ok.result()
        release.set()
        assert await jobs.wait([ok, bad], no_progress, "en", deadline=time.monotonic() + 5)
    assert ok.status is JobStatus.DONE and ok.result() == "render_2"
    assert bad.status is JobStatus.FAILED
    with pytest.raises(NemoError) as raised:
        bad.result()
    assert raised.value.message_key == "agent.stream_broken"
    assert jobs.running() == [], "a finished job is no longer listed as running"
