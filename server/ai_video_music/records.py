"""The states a request's record moves through, typed (the store keeps their values as text).

A record per request lives in the store (store.py): an agent turn (``Generation``), an upload,
a render. These enums are their ``status``; being ``StrEnum`` they compare equal to the text the
store and the backend use, so a state read back is the state written.
"""

from __future__ import annotations

from enum import StrEnum


class TurnState(StrEnum):
    RUNNING = "running"  # recorded before it is sent; sent once its cost was accepted
    DONE = "done"  # answered: the verified change, the words and the balance are recorded
    FAILED = "failed"  # ended in an error (refused before acting, or broken with nothing to show)
    INTERRUPTED = "interrupted"  # its process died while it ran: the answer is lost
    NOT_SENT = "not_sent"  # refused for its cost or awaiting confirmation: nothing sent or charged


class UploadState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class RenderState(StrEnum):
    SUBMITTING = "submitting"  # recorded, maybe not yet at the service
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"  # done at the service, not downloaded yet
    DOWNLOADED = "downloaded"  # saved and verified on this computer
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_RENDER: tuple[RenderState, ...] = (
    RenderState.SUBMITTING,
    RenderState.PENDING,
    RenderState.PROCESSING,
    RenderState.COMPLETED,
)
