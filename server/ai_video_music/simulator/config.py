"""What a simulator run can be tuned with: one plain dataclass, changed only through the simulator."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class SimConfig:
    """Behaviour knobs. Tests shrink the timings; ``simulate`` and the demo use realistic ones."""

    envelope: str = "code"  # "code" | "success"
    sse_format: str = "native"  # "native" | "adk"
    agent_seconds: float = 1.0  # how long an editing turn works before it answers
    generation_seconds: float | None = None  # a generation turn (both stages); None: agent_seconds
    heartbeat_every: float = 0.25
    no_text_rate: float = 0.3  # share of agent turns that end with no text at all
    lie_rate: float = 0.0  # share of editing turns that claim a change and make none
    render_seconds: float = 2.0  # a render never completes sooner than this
    render_fps: int | None = None  # frames per second of rendered files; None: the draft's own
    canvas_width: int = 1920  # the frame of a new project
    canvas_height: int = 1080
    token_ttl: float = 7 * 24 * 3600
    anonymous_credits: float = 100
    generation_cost: float = 100  # per generated clip
    edit_cost: float = 50  # per editing request
    max_upload_bytes: int = 500 * 1024 * 1024
    keep_upload_bytes: int = 64 * 1024 * 1024  # larger uploads are described, not kept for rendering
    anon_tokens_per_minute: int = 10
    burst_events: int = 0  # >0: stream this many events as fast as possible (benchmarks)
    seed: int | None = None


CONFIG_FIELDS = frozenset(f.name for f in fields(SimConfig))
