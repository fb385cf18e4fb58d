"""Fuzz every backend answer the client parses (token, session, claim token, credits, state and
draft, upload, render submit and poll, agent events) with arbitrary JSON values and strings: lone
surrogates, NaN and 1e999, control characters, huge sizes, wrong types, raw garbage.

Whatever arrives, every tool call answers within its budget with a message (never a bare
"Error executing tool X"), in text a stdio writer can encode, with no terminal escape and no
token; and the server answers the next call. One server per test function (kept in a blocking
portal while hypothesis runs its examples), the double reset between examples.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from .conftest import MakeServer, call, text
from .double import DRAFT, TOKEN, Hostile, fail, reply, sse

pytestmark = pytest.mark.slow  # long: started first under xdist

# A tenth of the profile's count: 10 by default (derandomized, the same every run), 100 under
# --hypothesis-profile=fuzz for a deep run. Each example is a whole tool call through a server.
EXAMPLES = max(5, settings.default.max_examples // 10)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# --- values ---------------------------------------------------------------------------------------

NASTY = [
    "\ud83c",
    "Summer \ud83c",
    "\udfff\ud800",
    "\x00",
    "\x1b[2J\x1b]0;title\x07",
    "\u202eevil",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999",
    "²",
    "0x10",
    "1_000",
    "",
    " ",
    "\r\n",
    "../../auth/anonymous-token",
    "a/b",
    "..",
    "file:///etc/passwd",
    "http://127.0.0.1:1/a b.mp4",
    "https://user:pw@example.com/x.mp4",
    "javascript:alert(1)",
    "<script>",
    "x" * 300_000,
    "汉" * 50_000,
    TOKEN,
    f"Bearer {TOKEN}",
]
texts = st.text(st.characters(exclude_categories=()), max_size=30) | st.sampled_from(NASTY)
numbers = (
    st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([10**400, -(10**30), 2**63, 1e308, -0.0, 5e-324])
)
scalars = st.none() | st.booleans() | numbers | texts
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
) | st.sampled_from([[0] * 100_000, {"t": [{"tt": 0}] * 20_000}, list(range(5000))])
RAW_BODIES = [
    b"",
    b"<html><body>502 Bad Gateway</body></html>",
    b"[" * 100_000,
    b'{"code":0,"data":',
    b"\xff\xfe\x00\x01",
    b"null",
    b"[]",
    b'"text"',
    b"NaN",
    b'{"code":1e999}',
    b'{"code":"1001"}',
    b'{"code":1001.5,"message":"\\ud83c"}',
    b'{"success":"false","data":{}}',
    b'{"code":0,"data":{"data":{"data":null}}}',
    b'{"code":0,"data":' + b'{"a":' * 5000 + b"1" + b"}" * 5001,
]
raw_bodies = st.sampled_from(RAW_BODIES) | st.binary(max_size=200)
STATUSES = [200] * 8 + [201, 204, 302, 400, 401, 403, 404, 409, 413, 415, 429, 500, 502, 503]
RETRY_AFTER = [None, "3600", "0", "-1", "nan", "inf", "1e999", "Wed, 21 Oct 2015 07:28:00 GMT", "soon"]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside a template a fuzzed value can go."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def replaced(template: Any, path: tuple[Any, ...], new: Any) -> Any:
    out = copy.deepcopy(template)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return out


@st.composite
def answers(draw: st.DrawFn, template: dict[str, Any]) -> tuple[int, bytes, list[tuple[str, str]]]:
    """An answer built around a valid one: the whole body replaced, ``data`` replaced, or one
    field replaced (in either envelope, or at the top level); sometimes an odd status."""
    mode = draw(st.sampled_from(["raw", "data", "field", "field", "field"]))
    if mode == "raw":
        body = draw(raw_bodies)
    else:
        payload = draw(values) if mode == "data" else replaced(
            template, draw(st.sampled_from(paths(template))), draw(values)
        )  # fmt: skip
        envelope = draw(st.sampled_from(["code", "success", "top"]))
        if envelope == "code":
            wrapped: Any = {"code": 0, "message": "ok", "data": payload}
        elif envelope == "success":
            wrapped = {"success": True, "data": payload}
        else:
            wrapped = payload if isinstance(payload, dict) else {"data": payload}
        body = json.dumps(wrapped, allow_nan=True).encode()
    status = draw(st.sampled_from(STATUSES))
    wait = draw(st.sampled_from(RETRY_AFTER)) if status == 429 else None
    return status, body, [("Retry-After", wait)] if wait else []


@st.composite
def events(draw: st.DrawFn) -> list[Any]:
    """An agent stream: JSON values, service and ADK events with a fuzzed field, raw lines."""
    service = {"type": "text", "content": "Done."}
    adk = {"author": "agent", "content": {"parts": [{"text": "Done."}]}, "partial": False}
    call_event = {"type": "tool_call", "name": "edit_multitrack", "args": {"a": 1}}
    error = {"type": "error", "message": "failed", "code": 500}
    kinds = st.sampled_from(["value", "service", "adk", "call", "error", "raw", "raw"])
    out: list[Any] = []
    for kind in draw(st.lists(kinds, max_size=6)):
        if kind == "value":
            out.append(draw(values))
        elif kind == "raw":
            line = draw(
                st.binary(max_size=120) | st.sampled_from([b": ping", b"data:", b"data: [DONE]", b"retry: x"])
            )
            out.append(line + draw(st.sampled_from([b"\n\n", b"\r\n\r\n", b"\n", b"\r"])))
        else:
            template = {"service": service, "adk": adk, "call": call_event, "error": error}[kind]
            out.append(replaced(template, draw(st.sampled_from(paths(template))), draw(values)))
    return out


# --- the harness -----------------------------------------------------------------------------------


@contextmanager
def served(make_server: MakeServer, **overrides: Any) -> Iterator[tuple[BlockingPortal, Client]]:
    """One server for the whole test function, kept open in a portal while hypothesis runs."""
    with (
        start_blocking_portal("asyncio") as portal,
        portal.wrap_async_context_manager(Client(make_server(**overrides))) as client,
    ):
        yield portal, client


Steps = list[tuple[str, dict[str, Any]]]


def run(portal: BlockingPortal, client: Client, hostile: Hostile, steps: Steps) -> list[str]:
    """The tool calls of one example, each checked; then the server must answer plainly again."""
    answers = [text(portal.call(call, client, tool, args, (TOKEN,))) for tool, args in steps]
    for answer in answers:
        assert "stopped unexpectedly" not in answer, answer  # a crashed background job
    draft = hostile.draft
    hostile.reset()
    hostile.draft = draft
    alive = portal.call(call, client, "credits", {}, (TOKEN,))
    assert not alive.is_error, text(alive)
    return answers


def fuzz_route(
    make_server: MakeServer,
    hostile: Hostile,
    route: str,
    template: dict[str, Any] | Callable[[], dict[str, Any]],
    steps: Callable[[int], Steps],
    setup: Steps | None = None,
    before: Callable[[], None] = lambda: None,
    examples: int = EXAMPLES,
    **overrides: Any,
) -> None:
    with served(make_server, **overrides) as (portal, client):
        for tool, args in setup or []:
            assert not portal.call(call, client, tool, args).is_error
        counter = iter(range(10**6))
        shape = template() if callable(template) else template

        @settings(FUZZ, max_examples=examples)
        @given(answer=answers(shape))
        def example(answer: tuple[int, bytes, list[tuple[str, str]]]) -> None:
            status, body, headers = answer
            n = next(counter)
            before()
            hostile.on(route, reply(body, status, headers))
            run(portal, client, hostile, steps(n))

        example()


@pytest.fixture
def photo(tmp_path: Path) -> str:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff" + b"\0" * 100)
    return str(path)


# --- one test per answer ---------------------------------------------------------------------------


def test_fuzz_token(make_server: MakeServer, hostile: Hostile) -> None:
    grant = {"token": TOKEN, "user_id": "anon_fuzz", "expires_at": "2999-01-01T00:00:00Z", "credits": 100}
    fuzz_route(
        make_server,
        hostile,
        "token",
        grant,
        lambda n: [("credits", {})],
        before=lambda: hostile.on("credits", fail(1001, "token expired"), times=1),
    )


def test_fuzz_session(make_server: MakeServer, hostile: Hostile, photo: str) -> None:
    info = {"task_id": "task_f", "session_id": "sess_f", "user_id": "me"}
    fuzz_route(
        make_server, hostile, "session", info, lambda n: [("upload", {"files": [photo], "new_project": True})]
    )


def test_fuzz_claim_token(make_server: MakeServer, hostile: Hostile, photo: str) -> None:
    claim = {"claim_token": "clm_f", "expires_in": 604800}
    steps = [("upload", {"files": [photo], "new_project": True}), ("status", {})]
    fuzz_route(make_server, hostile, "claim", claim, lambda n: steps)


def test_fuzz_credits(make_server: MakeServer, hostile: Hostile) -> None:
    fuzz_route(
        make_server,
        hostile,
        "credits",
        {"available": 100, "frozen": 0, "total": 100},
        lambda n: [("credits", {})],
    )


def test_fuzz_state_and_draft(make_server: MakeServer, hostile: Hostile, photo: str) -> None:
    state = {
        "state": {
            "draft": DRAFT,
            "canvas_config": {"width": 320, "height": 180},
            "video_infos": [],
            "generated_media": [],
        }
    }
    fuzz_route(
        make_server,
        hostile,
        "state",
        state,
        lambda n: [("status", {}), ("generate", {"prompt": f"edit number {n}"}), ("export", {})],
        setup=[("upload", {"files": [photo]})],
    )


def test_fuzz_upload(make_server: MakeServer, hostile: Hostile, photo: str) -> None:
    files = {
        "files": [
            {
                "filename": "a.jpg",
                "file_type": "image",
                "cdn_url": "https://cdn.example/a.jpg",
                "duration": 2.5,
                "width": 320,
                "height": 180,
                "fps": 30,
                "hash": "h",
            }
        ]
    }
    steps = [("upload", {"files": [photo], "urls": ["https://example.com/v.mp4"]}), ("status", {})]
    fuzz_route(make_server, hostile, "upload", files, lambda n: steps)


def _new_draft(hostile: Hostile) -> Callable[[], None]:
    """A new timeline before each example, so every export submits a new render."""
    counter = iter(range(10**6))

    def change() -> None:
        hostile.draft = {**DRAFT, "d": 2000 + next(counter)}

    return change


def test_fuzz_render_submit(make_server: MakeServer, hostile: Hostile, photo: str) -> None:
    submitted = {"id": "render_x", "status": "pending", "progress": 5}
    fuzz_route(
        make_server,
        hostile,
        "render",
        submitted,
        lambda n: [("export", {})],
        setup=[("upload", {"files": [photo]})],
        before=_new_draft(hostile),
    )


def test_fuzz_render_poll(make_server: MakeServer, hostile: Hostile, photo: str) -> None:
    def polled() -> dict[str, Any]:
        url = f"{hostile.base_url}/files/render.mp4"
        return {
            "id": "render_x",
            "status": "completed",
            "progress": 100,
            "outputUrl": url,
            "output": {"url": url},
        }

    fuzz_route(
        make_server,
        hostile,
        "render_poll",
        polled,
        lambda n: [("export", {}), ("status", {})],
        setup=[("upload", {"files": [photo]})],
        before=_new_draft(hostile),
        tool_budget=0.6,  # a render that isn't done costs the export its whole budget
        examples=max(3, EXAMPLES // 2),
    )


def test_fuzz_agent_events(make_server: MakeServer, hostile: Hostile, photo: str) -> None:
    with served(make_server) as (portal, client):
        assert not portal.call(call, client, "upload", {"files": [photo]}).is_error
        counter = iter(range(10**6))

        @FUZZ
        @given(stream=events())
        def example(stream: list[Any]) -> None:
            n = next(counter)
            hostile.on("run_sse", sse(*stream))
            answers = run(
                portal, client, hostile, [("generate", {"prompt": f"edit number {n}"}), ("status", {})]
            )
            assert "edit_multitrack" not in answers[0]  # an internal tool call is never shown

        example()


@st.composite
def videos(draw: st.DrawFn, original: bytes) -> bytes:
    """The real video with some bytes changed, cut short, or an MP4 header over garbage."""
    kind = draw(st.sampled_from(["mutate", "mutate", "truncate", "header"]))
    if kind == "header":
        return b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom" + draw(st.binary(max_size=2000))
    if kind == "truncate":
        return original[: draw(st.integers(0, len(original)))]
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 20))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data)


def test_fuzz_downloaded_video(make_server: MakeServer, hostile: Hostile, photo: str) -> None:
    """The finished video is parsed too (its boxes, for its facts): a damaged one is refused in
    words or accepted with its facts, never a crash of the render job."""
    fresh = _new_draft(hostile)
    with served(make_server) as (portal, client):
        assert not portal.call(call, client, "upload", {"files": [photo]}).is_error

        @FUZZ
        @given(video=videos(hostile.video))
        def example(video: bytes) -> None:
            fresh()
            hostile.on("file", reply(video, content_type="video/mp4"))
            hostile.on("download", reply(video, content_type="video/mp4"))
            answers = run(portal, client, hostile, [("export", {}), ("status", {})])
            assert "Error executing tool export" not in answers[0] or "video" in answers[0]

        example()
