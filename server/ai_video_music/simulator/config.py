"""What a simulator run can be tuned with: one plain dataclass, changed only through the simulator.

The contract leaves several shapes open (``backend-api.md``); each has a switch here, so a test
or a person with ``simulate`` can run the client against every one: the two response
envelopes, the two SSE event formats, the upload answer's shapes and the render progress styles.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from typing import Any

from .progress import ProgressStyle


class Envelope(enum.StrEnum):
    CODE = "code"  # {"code": 0, "message", "data"}
    SUCCESS = "success"  # {"success": true, "data", "error"}; a render's URL at the top level


class SseFormat(enum.StrEnum):
    NATIVE = "native"  # {"type": "text" | "tool_call" | "tool_result" | "heartbeat", ...}
    ADK = "adk"  # Google ADK Event objects (camelCase), partial text then the full text


class UploadShape(enum.StrEnum):
    """The upload answer: ``data.files[]`` is documented, and every field of it is optional."""

    FULL = "full"  # data.files[] with every documented field
    PARTIAL = "partial"  # data.files[] with filename and cdn_url only: no media facts
    BARE = "bare"  # data.files[] with cdn_url only: not even the name
    CAMEL = "camel"  # data.files[] in camelCase (fileName, fileType, cdnUrl, ...)
    NO_FILES = "no_files"  # data without files at all
    TOP_LEVEL = "top_level"  # files[] at the top level beside code/success, no data


CHOICES: dict[str, type[enum.StrEnum]] = {
    "envelope": Envelope,
    "sse_format": SseFormat,
    "upload_shape": UploadShape,
    "progress_style": ProgressStyle,
}


def coerce(name: str, value: Any) -> Any:
    """A setting's value as its type: a switch's name becomes its enum (ValueError if unknown)."""
    choice = CHOICES.get(name)
    if choice is None:
        return value
    try:
        return choice(value)
    except ValueError:
        allowed = ", ".join(member.value for member in choice)
        raise ValueError(f"{name} must be one of: {allowed} (not {value!r})") from None


@dataclass
class SimConfig:
    """Behaviour knobs. Tests shrink the timings; ``simulate`` and the demo use realistic ones."""

    envelope: Envelope = Envelope.CODE
    sse_format: SseFormat = SseFormat.NATIVE
    upload_shape: UploadShape = UploadShape.FULL
    progress_style: ProgressStyle = ProgressStyle.SMOOTH
    agent_seconds: float = 1.0  # how long an editing turn works before it answers
    generation_seconds: float | None = None  # a generation turn (both stages); None: agent_seconds
    heartbeat_every: float = 0.25
    no_text_rate: float = 0.3  # share of agent turns that end with no text at all
    lie_rate: float = 0.0  # share of editing turns that claim a change and make none
    render_seconds: float = 2.0  # a render never completes sooner than this
    render_fps: int | None = None  # frames per second of rendered files; None: the draft's own
    # The soundtrack's samples a second and channels: AAC encoding is most of a small render's
    # CPU, so tests render 8 kHz mono (a seventh of the work); the demo keeps 44.1 kHz stereo.
    audio_rate: int = 44_100
    audio_stereo: bool = True
    canvas_width: int = 1920  # the frame of a new project
    canvas_height: int = 1080
    token_ttl: float = 7 * 24 * 3600
    anonymous_credits: float = 100
    generation_cost: float = 100  # per generated clip
    edit_cost: float = 50  # per editing request
    max_upload_bytes: int = 500 * 1024 * 1024
    keep_upload_bytes: int = 64 * 1024 * 1024  # larger uploads are described, not kept for rendering
    anon_tokens_per_minute: int = 10
    # The contract's "about 10 per IP per 7 days": 0 leaves it off (a test suite mints many from
    # one loopback address); hosted mode's "Start free" tests turn it on.
    anon_tokens_per_address: int = 0
    anon_address_window: float = 7 * 24 * 3600
    burst_events: int = 0  # >0: stream this many events as fast as possible (benchmarks)
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in CHOICES:  # "success" given as text (tests, the admin route) is checked here
            setattr(self, name, coerce(name, getattr(self, name)))


CONFIG_FIELDS = frozenset(f.name for f in fields(SimConfig))
