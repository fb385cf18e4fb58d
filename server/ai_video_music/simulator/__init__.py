"""A faithful stand-in for the NemoVideo backend, served on loopback (Starlette + uvicorn).

It follows ``backend-api.md`` and, where the contract leaves a choice open, picks one
plausible form (documented here) and lets tests switch between the documented variants:

- envelope ``code`` (``{"code", "message", "data"}``) or ``success`` (``{"success", "data",
  "error"}``, with the render URL at the top level as ``output.url``);
- SSE ``native`` (``{"type": ...}`` events) or ``adk`` (ADK ``Event`` objects, streamed
  ``partial`` text then the full text);
- the upload answer (``upload_shape``): ``data.files[]`` in full, with only some fields, in
  camelCase, without ``files``, or with ``files`` at the top level;
- render progress (``progress_style``, ``progress.py``): smooth 5-99 (the default), linear
  from 5, a queue at the submit's 5 or at 0, big steps, resets, 0-1 fractions, none,
  backwards, past 100;
- errors carry both an HTTP status and the body code (1001→401, 1002→404, 2001→403,
  4001→415, 4002→413, 400, 402, 429 with ``Retry-After``);
- identity: the anonymous-token answer has ``token``, ``user_id``, ``expires_at``, ``credits``;
  session creation answers ``task_id``, ``session_id``, ``user_id``; ``POST
  /api/auth/claim-token`` ``{task_id, session_id}`` → ``{claim_token: "clm_…", expires_in}``;
- costs: a turn is charged when it starts (2001 when the balance is short): ``generation_cost``
  (100) per generated clip, ``edit_cost`` (50) for any other turn; exports are free;
- downloads (and uploaded media) are served from a second port (another origin, like a
  pre-signed storage URL) that rejects requests carrying ``Authorization``, as S3 does.

Draft format (``state.draft``, also the body of a render)::

    {"t": [                                   # tracks
        {"tt": 0, "m": {"name": "Video"},     # 0 video, 1 audio, 7 text
         "sg": [{"n": "beach", "s": 0, "d": 5000, "src": "http://…/media/…/beach.jpg"}]},
        {"tt": 1, "m": {"name": "BGM"},
         "sg": [{"n": "Lo-fi Chill (free music)", "s": 0, "d": 10000, "v": 35}]},
        {"tt": 7, "m": {"name": "Title"}, "sg": [{"n": "Summer 2026", "s": 0, "d": 3000}]}],
     "d": 10000,                              # total length, ms
     "m": {"w": 1920, "h": 1080, "fps": 30}}  # frame

Segments: ``n`` name (a title's text), ``s`` start ms, ``d`` duration ms, ``v`` volume %,
``src`` media URL. The state answer also carries ``canvas_config: {width, height}`` (the
draft's frame), ``video_infos`` (uploads) and ``generated_media``.

Modules: ``config`` (knobs and contract variants), ``progress`` (progress styles), ``state``
(tables and lock-guarded operations), ``faults`` and ``gates`` (test control), ``envelope``
(wire format), ``handlers/`` (one per endpoint group), ``agent`` (what a prompt does to the
draft), ``renderer`` with ``pictures``, ``music`` and ``media`` (draft → MP4), ``app``
(routes), ``server`` (``Simulator``).

Admin routes under ``/_sim/`` inject faults and adjust behaviour for people using curl; they
are not part of the contract and the client never calls them.
"""

from __future__ import annotations

try:
    from .config import Envelope, SimConfig, SseFormat, UploadShape
    from .faults import FAULT_KINDS, Fault
    from .gates import Gate
    from .progress import ProgressStyle
    from .server import Simulator
    from .state import SimState
except ImportError as err:  # pragma: no cover - depends on what is installed
    raise ImportError(
        f"the NemoVideo simulator needs the 'sim' extra ({err.name} is missing): "
        "pip install 'ai-video-generator-free-music[sim]'"
    ) from err

__all__ = [
    "FAULT_KINDS",
    "Envelope",
    "Fault",
    "Gate",
    "ProgressStyle",
    "SimConfig",
    "SimState",
    "Simulator",
    "SseFormat",
    "UploadShape",
]
