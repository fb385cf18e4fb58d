"""The job runner: long work runs in the server's task group, not inside a tool call.

A tool starts (or finds) a job and waits for it up to its time budget, sending progress;
then it answers with what is done and a handle, and the job goes on. A job outlives the
call that started it, so it runs under no tool budget of its own (:func:`budget.unbounded`);
it is bounded by its own limits instead (the agent's 15 minutes, the render timeout).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import anyio
import anyio.abc
import uuid_utils

from . import budget
from .errors import NemoError
from .messages import Lang, Msg, join_sentences, msg, t

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 10.0  # under the 15 s the hosts need to see
HELD_LOOK_S = 0.01  # under set_held_for_testing: how often a wait asks whether its job is held

# Tests only (as ``transport.set_testing``): says whether a job's backend request is held by the
# test (its simulator's gate), so it can't end before any deadline. A wait on such a job ends at
# once, as the end of its budget would, instead of sleeping the budget away.
_held: Callable[[Job], bool] | None = None


def set_held_for_testing(probe: Callable[[Job], bool] | None) -> None:
    """In a test suite: ``probe(job)`` is True while the test holds ``job``'s request."""
    global _held  # one switch for the process, set by the test harness
    _held = probe


class Reporter(Protocol):
    async def __call__(self, progress: float, total: float | None, message: str) -> None: ...


async def no_progress(progress: float, total: float | None, message: str) -> None:
    """A reporter for callers that show no progress."""


class JobStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobNotDone(RuntimeError):
    """``Job.result()`` asked before the job ended (a bug in the caller)."""


@dataclass
class Job:
    """One piece of background work. Its outcome has one channel: :meth:`result` returns its
    value or raises its own error (as arq's ``Job.result()``)."""

    id: str
    kind: str  # "agent" | "render" | "upload"
    label: Msg
    project_id: str | None = None
    started: float = field(default_factory=time.monotonic)
    done: anyio.Event = field(default_factory=anyio.Event)
    progress: float = 0.0
    total: float | None = None
    message: Msg = field(default_factory=lambda: msg("job.starting"))
    status: JobStatus = JobStatus.RUNNING
    noted: float = 0.0  # elapsed seconds at the last "still working" note
    eta: float | None = None  # when it should be done (monotonic), when the work can tell
    subject: str | None = None  # what the job follows now (a render retried under a new id)
    _value: Any = None
    _error: NemoError | None = None

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def result(self) -> Any:
        """The job's value, or its own error raised again."""
        if self.status is JobStatus.RUNNING:
            raise JobNotDone(self.id)
        if self._error is not None:
            raise self._error
        return self._value

    @property
    def error(self) -> NemoError | None:
        """The error it ended with (None while running or when it succeeded)."""
        return self._error

    def finish(self, value: Any = None, error: NemoError | None = None) -> None:
        self._value, self._error = value, error
        self.status = JobStatus.FAILED if error is not None else JobStatus.DONE
        self.done.set()


class Jobs:
    """Spawns jobs and waits for them within a budget. One per server process."""

    def __init__(self, task_group: anyio.abc.TaskGroup, still_working_every: float = 120.0) -> None:
        self._tg = task_group
        self._jobs: dict[str, Job] = {}
        self.still_working_every = still_working_every

    def spawn(
        self,
        kind: str,
        label: Msg,
        work: Callable[[Job], Coroutine[Any, Any, Any]],
        *,
        job_id: str | None = None,
        project_id: str | None = None,
        on_done: Callable[[Job], None] | None = None,
    ) -> Job:
        job = Job(job_id or f"{kind}_{uuid_utils.uuid7().hex[-12:]}", kind, label, project_id)
        self._jobs[job.id] = job

        async def run() -> None:
            budget.unbounded()  # the tool call that started us will answer long before we end
            value: Any = None
            error: NemoError | None = None
            try:
                value = await work(job)
            except NemoError as err:
                error = err
            # Deliberately broad: an unexpected bug in one job must not take the server down
            # (the task group would cancel every other job); it is logged with its traceback.
            except Exception as err:
                log.exception("%s job %s crashed", kind, job.id)
                error = NemoError("error.job_crashed", kind=kind, name=type(err).__name__)
            finally:
                self._jobs.pop(job.id, None)
                job.finish(value, error)
                if on_done is not None:
                    try:
                        on_done(job)
                    except Exception:
                        log.exception("after %s job %s", kind, job.id)

        self._tg.start_soon(run, name=f"{kind}:{job.id}")
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def running(self, kind: str | None = None, project_id: str | None = None) -> list[Job]:
        return [
            j
            for j in self._jobs.values()
            if (kind is None or j.kind == kind) and (project_id is None or j.project_id == project_id)
        ]

    async def wait(
        self, jobs: list[Job], report: Reporter, lang: Lang, deadline: float | None = None
    ) -> bool:
        """Wait for ``jobs`` until the deadline (default: the tool's budget); True when all are done.

        Progress goes out when it changes (at most once a second) and at least every 10 s.
        """
        if deadline is None:
            deadline = budget.deadline() or time.monotonic() + 40.0
        for job in jobs:
            last = (job.progress, job.message)
            sent_at = time.monotonic()
            await report(job.progress, job.total, self.progress_text(job, lang))
            while not job.done.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (_held is not None and _held(job)):
                    return False
                with anyio.move_on_after(min(1.0 if _held is None else HELD_LOOK_S, remaining)):
                    await job.done.wait()
                now = (job.progress, job.message)
                if not job.done.is_set() and (now != last or time.monotonic() - sent_at >= PROGRESS_EVERY_S):
                    last, sent_at = now, time.monotonic()
                    await report(job.progress, job.total, self.progress_text(job, lang))
        return True

    def progress_text(self, job: Job, lang: Lang) -> str:
        elapsed = job.elapsed()
        text = t("job.progress", lang, what=job.message, seconds=round(elapsed))
        if elapsed - job.noted >= self.still_working_every:
            # About every two minutes, a sentence the assistant can pass on to the user.
            job.noted = elapsed
            still = t("job.still_working", lang, what=job.label, minutes=round(elapsed / 60))
            text = join_sentences([still, text], lang)
            log.info("%s job %s still running after %.0f s", job.kind, job.id, elapsed)
        return text
