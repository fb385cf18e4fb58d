"""The backend client against the simulator over real loopback HTTP."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import httpx
import pytest

from ai_video_music import errors
from ai_video_music.client import NemoClient
from ai_video_music.config import Settings, skill_version
from ai_video_music.models import RenderStatus, SessionInfo
from ai_video_music.simulator import SimConfig, Simulator
from ai_video_music.sse import EndEvent, TextEvent, ToolCallEvent
from ai_video_music.tokens import TokenCache

from .conftest import FakeSleep, fast_config, inject, requests_to

pytestmark = pytest.mark.anyio


@pytest.fixture
def sim_config(envelope: str) -> SimConfig:
    return fast_config(envelope=envelope, agent_seconds=0.2, render_seconds=0.4)


async def _texts(client: NemoClient, message: str) -> str:
    return "".join([e.text async for e in client.stream_message(message) if isinstance(e, TextEvent)])


# --- identity and headers --------------------------------------------------------------------


async def test_every_api_request_carries_attribution_and_bearer(client: NemoClient, sim: Simulator) -> None:
    await client.credits()
    await client.state()
    api = [r for r in sim.state.requests if r["route"] != "token"]
    assert {r["route"] for r in api} == {"credits", "session", "state"}
    for r in api:
        assert r["authorization"] is True
        assert r["attribution"] == {
            "x-skill-source": "ai-video-generator-free-music",
            "x-skill-version": skill_version(),
            "x-skill-platform": "claude_code",
        }


async def test_anonymous_token_is_cached_privately_and_reused_across_clients(
    settings: Settings, sim: Simulator
) -> None:
    async with NemoClient(settings) as first:
        await first.credits()
    async with NemoClient(settings) as second:
        await second.credits()
    assert len(requests_to(sim, "token")) == 1
    token_file = settings.home / "token.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    cached = json.loads(token_file.read_text(encoding="utf-8"))
    assert cached["token"].startswith("nmv_usr_")
    assert cached["client_id"]
    assert "token" not in repr(TokenCache(settings.home).load()).replace("TokenRecord", "")


async def test_concurrent_first_calls_fetch_one_token(client: NemoClient, sim: Simulator) -> None:
    import anyio

    async with anyio.create_task_group() as tg:
        for _ in range(5):
            tg.start_soon(client.credits)
    assert len(requests_to(sim, "token")) == 1


async def test_expired_cached_token_is_replaced_before_use(settings: Settings, sim: Simulator) -> None:
    async with NemoClient(settings) as c:
        await c.credits()
    cache = TokenCache(settings.home)
    record = cache.load()
    assert record is not None
    record.expires_at = time.time() - 10
    cache.save(record)
    async with NemoClient(settings) as c:
        await c.credits()
    tokens = requests_to(sim, "token")
    assert len(tokens) == 2
    assert tokens[0]["client_id"] == tokens[1]["client_id"], "the client id outlives tokens"


async def test_1001_renews_the_token_and_retries_once(client: NemoClient, sim: Simulator) -> None:
    await client.credits()
    sim.state.tokens = {t: (u, 0.0) for t, (u, _) in sim.state.tokens.items()}  # the backend expires it
    credits = await client.credits()
    assert credits.available == 100
    assert len(requests_to(sim, "token")) == 2
    assert len(requests_to(sim, "credits")) == 3


def test_a_bare_401_means_the_token_was_refused() -> None:
    from ai_video_music.errors import error_for

    assert isinstance(error_for(status=401, code=None, message=None), errors.TokenInvalidError)
    assert isinstance(error_for(status=401, code=2001, message=None), errors.OutOfCreditsError)


async def test_1001_twice_in_a_row_is_reported(client: NemoClient, sim: Simulator) -> None:
    inject(sim, "credits", "1001", times=2)
    with pytest.raises(errors.TokenInvalidError):
        await client.credits()


async def test_1001_on_a_user_token_says_to_renew_it_instead_of_switching_accounts(
    settings: Settings, sim: Simulator
) -> None:
    env_settings = Settings(**{**settings.__dict__, "token": "nmv_usr_expired"})
    async with NemoClient(env_settings) as c:
        with pytest.raises(errors.TokenInvalidError) as info:
            await c.credits()
    assert "NEMO_TOKEN" in str(info.value)
    assert "nmv_usr_expired" not in str(info.value)
    assert requests_to(sim, "token") == []


async def test_1001_during_generate_resends_the_rejected_message_once(
    client: NemoClient, sim: Simulator
) -> None:
    await client.ensure_session()
    inject(sim, "run_sse", "1001")
    assert "video" in await _texts(client, "make a video")
    assert len(requests_to(sim, "run_sse")) == 2


async def test_400_missing_client_id_retries_with_a_new_id(client: NemoClient, sim: Simulator) -> None:
    inject(sim, "token", "400")
    await client.credits()
    ids = [r["client_id"] for r in requests_to(sim, "token")]
    assert len(ids) == 2
    assert ids[0] != ids[1]
    assert client.client_id == ids[1]


async def test_1002_opens_a_new_session_and_retries_once(settings: Settings, sim: Simulator) -> None:
    seen = []

    async def hook(info: SessionInfo, previous: str | None) -> SessionInfo:
        seen.append((info, previous))
        return info

    async with NemoClient(settings, on_session=hook) as c:
        first = await c.ensure_session()
        sim.state.sessions.clear()
        state = await c.state()
        assert state.draft is not None
        assert c.session is not None
        assert c.session.session_id != first.session_id
        assert len(seen) == 2
        sim.state.sessions.clear()
        assert "video" in await _texts(c, "make a video")
        assert len(seen) == 3


async def test_2001_for_an_anonymous_user_links_registration_bound_to_the_client_id(
    client: NemoClient, sim: Simulator
) -> None:
    await client.credits()
    for user in sim.state.users.values():
        user.credits = 0
    with pytest.raises(errors.OutOfCreditsError) as info:
        await _texts(client, "make a video")
    assert f"?bind={client.client_id}" in str(info.value)
    assert "free" in str(info.value).lower()


async def test_2001_for_a_registered_user_says_top_up(settings: Settings, sim: Simulator) -> None:
    token = httpx.post(f"{sim.base_url}/_sim/register-user", json={"credits": 0}).json()["token"]
    async with NemoClient(Settings(**{**settings.__dict__, "token": token})) as c:
        with pytest.raises(errors.OutOfCreditsError) as info:
            await _texts(c, "make a video")
    assert "?bind=" not in str(info.value)
    assert "Top up" in str(info.value)


async def test_4001_is_caught_locally_before_any_byte_is_sent(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello", encoding="utf-8")
    with pytest.raises(errors.UnsupportedFileTypeError) as info:
        await client.upload_files([bad])
    assert "mp4" in str(info.value)
    assert requests_to(sim, "upload") == []


async def test_4001_from_the_backend_lists_accepted_formats(client: NemoClient) -> None:
    with pytest.raises(errors.UnsupportedFileTypeError) as info:
        await client.upload_urls(["https://example.com/setup.exe"])
    assert "MP4, MOV, JPG and PNG work best" in str(info.value)


async def test_4002_is_caught_locally_for_files_over_500_mb(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as fh:  # sparse: no disk used
        fh.truncate(errors.MAX_UPLOAD_BYTES + 1)
    with pytest.raises(errors.FileTooLargeError) as info:
        await client.upload_files([big])
    assert "Compress" in str(info.value)
    assert requests_to(sim, "upload") == []


async def test_4002_from_the_backend_suggests_compressing(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    sim.state.config.max_upload_bytes = 10
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0" * 100)
    with pytest.raises(errors.FileTooLargeError):
        await client.upload_files([clip])


async def test_402_export_blocked_is_said_plainly(client: NemoClient, sim: Simulator) -> None:
    inject(sim, "render", "402")
    with pytest.raises(errors.ExportBlockedError) as info:
        await client.start_render({"t": [{"tt": 0, "sg": [{"d": 1000}]}]})
    assert "not a credit problem" in str(info.value)
    assert len(requests_to(sim, "render")) == 1


async def test_export_without_attribution_headers_is_refused_by_the_backend(sim: Simulator) -> None:
    token = httpx.post(f"{sim.base_url}/api/auth/anonymous-token", headers={"X-Client-Id": "x"}).json()
    bearer = {"Authorization": f"Bearer {token['data']['token']}"}
    r = httpx.post(f"{sim.base_url}/api/render/proxy/lambda", headers=bearer, json={"draft": {}})
    assert r.status_code == 402


async def test_429_waits_retry_after_then_retries_once(
    client: NemoClient, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    await client.credits()
    inject(sim, "credits", "429", retry_after=7)
    await client.credits()
    assert fake_sleep.calls == [7]


async def test_429_without_retry_after_waits_30_seconds(
    client: NemoClient, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    await client.ensure_session()
    inject(sim, "run_sse", "429")
    assert await _texts(client, "make a video")
    assert fake_sleep.calls == [30]


async def test_429_twice_is_reported(client: NemoClient, sim: Simulator) -> None:
    await client.credits()
    inject(sim, "credits", "429", times=2)
    with pytest.raises(errors.RateLimitedError):
        await client.credits()


async def test_anonymous_tokens_are_rate_limited_by_the_backend(sim: Simulator) -> None:
    sim.state.config.anon_tokens_per_minute = 2
    codes = [
        httpx.post(f"{sim.base_url}/api/auth/anonymous-token", headers={"X-Client-Id": f"c{i}"}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


# --- retries and idempotency --------------------------------------------------------------------


async def test_idempotent_reads_retry_5xx_with_backoff(
    client: NemoClient, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    await client.credits()
    inject(sim, "credits", "502", times=2)
    await client.credits()
    assert len(requests_to(sim, "credits")) == 4
    assert len(fake_sleep.calls) == 2
    assert fake_sleep.calls[1] > fake_sleep.calls[0]


async def test_idempotent_reads_give_up_after_bounded_retries(client: NemoClient, sim: Simulator) -> None:
    await client.credits()
    inject(sim, "credits", "500", times=10)
    with pytest.raises(errors.ServerError):
        await client.credits()
    assert len(requests_to(sim, "credits")) == 1 + 1 + 3


async def test_a_generate_is_never_resent_after_a_5xx(client: NemoClient, sim: Simulator) -> None:
    await client.ensure_session()
    inject(sim, "run_sse", "500")
    with pytest.raises(errors.ServerError):
        await _texts(client, "make a video")
    assert len(requests_to(sim, "run_sse")) == 1


async def test_a_render_start_is_never_resent_after_a_5xx(client: NemoClient, sim: Simulator) -> None:
    await client.ensure_session()
    inject(sim, "render", "503")
    with pytest.raises(errors.ServerError):
        await client.start_render({"t": [{"tt": 0, "sg": [{"d": 1000}]}]})
    assert len(requests_to(sim, "render")) == 1


async def test_unreachable_backend_is_a_connection_error(settings: Settings, fake_sleep: FakeSleep) -> None:
    dead = Settings(**{**settings.__dict__, "api_base": "http://127.0.0.1:9"})
    async with NemoClient(dead, sleep=fake_sleep) as c:
        with pytest.raises(errors.ConnectionFailedError) as info:
            await c.credits()
    assert "NEMO_API_BASE" in str(info.value)
    # The anonymous-token POST never connected, so retrying it could not double anything.
    assert len(fake_sleep.calls) == 3


async def test_a_timed_out_generate_is_not_resent(settings: Settings, fake_sleep: FakeSleep) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/run_sse":
            raise httpx.ReadTimeout("slow", request=request)
        if request.url.path.endswith("anonymous-token"):
            return httpx.Response(200, json={"code": 0, "data": {"token": "nmv_usr_t"}})
        return httpx.Response(200, json={"code": 0, "data": {"session_id": "s1", "task_id": "t1"}})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with NemoClient(settings, http=http, sleep=fake_sleep) as c:
        with pytest.raises(errors.ApiTimeoutError):
            await _texts(c, "make a video")
    assert calls.count("/run_sse") == 1


async def test_read_timeouts_on_idempotent_reads_are_retried(
    settings: Settings, fake_sleep: FakeSleep
) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("anonymous-token"):
            return httpx.Response(200, json={"code": 0, "data": {"token": "nmv_usr_t"}})
        if len(calls) <= 3:  # the token call, then two timeouts
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, json={"code": 0, "data": {"available": 7, "frozen": 0, "total": 7}})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with NemoClient(settings, http=http, sleep=fake_sleep) as c:
        assert (await c.credits()).available == 7
    assert calls.count("/api/credits/balance/simple") == 3
    assert len(fake_sleep.calls) == 2


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("malformed", errors.BadResponseError),
        ("html", errors.ServerError),
        ("shape", errors.BadResponseError),
    ],
)
async def test_unreadable_backend_answers_become_clear_errors(
    client: NemoClient, sim: Simulator, kind: str, error: type[errors.NemoError]
) -> None:
    await client.ensure_session()
    inject(sim, "state", kind, times=10)
    with pytest.raises(error) as info:
        await client.state()
    assert str(info.value)[0].isupper()


# --- upload ----------------------------------------------------------------------------------------


async def test_upload_streams_several_files_in_the_files_field(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    paths = []
    for name in ("a.jpg", "b.mp4", "c.mp3"):
        p = tmp_path / name
        p.write_bytes(os.urandom(2048))
        paths.append(p)
    files = await client.upload_files(paths)
    assert [f.filename for f in files] == ["a.jpg", "b.mp4", "c.mp3"]
    assert [f.file_type for f in files] == ["image", "video", "audio"]
    session = sim.state.sessions[client.session.session_id]  # type: ignore[union-attr]
    assert [u["size"] for u in session.uploads] == [2048, 2048, 2048]


async def test_upload_does_not_read_the_file_into_memory(client: NemoClient, tmp_path: Path) -> None:
    import tracemalloc

    big = tmp_path / "big.mp4"
    with big.open("wb") as fh:
        fh.truncate(64 * 1024 * 1024)
    await client.ensure_session()
    tracemalloc.start()
    try:
        await client.upload_files([big])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Client and simulator share this process; both stream, so the peak stays far below 64 MB.
    assert peak < 16 * 1024 * 1024


async def test_upload_urls_rejects_non_http_schemes(client: NemoClient, sim: Simulator) -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/a.mp4", "not a url"):
        with pytest.raises(errors.InputError):
            await client.upload_urls([url])
    assert requests_to(sim, "upload") == []


# --- agent stream -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["native", "adk"])
async def test_agent_reply_arrives_once_in_either_event_format(
    client: NemoClient, sim: Simulator, fmt: str
) -> None:
    sim.state.config.sse_format = fmt
    events = [e async for e in client.stream_message("make a 12 second video")]
    text = "".join(e.text for e in events if isinstance(e, TextEvent))
    expected = (
        "Your 12-second video is ready: 1 clip(s) in 320x180 (16:9), with free background music "
        '"Lo-fi Chill (free music)" at 35% and the title "My Video". '
        "Open the timeline panel to review it. Then click the Export button to download your video."
    )
    assert text == expected
    assert any(isinstance(e, ToolCallEvent) for e in events)
    assert isinstance(events[-1], EndEvent)


async def test_a_turn_without_text_ends_cleanly(client: NemoClient, sim: Simulator) -> None:
    sim.state.next_no_text = True
    events = [e async for e in client.stream_message("add music")]
    assert not any(isinstance(e, TextEvent) for e in events)
    assert isinstance(events[-1], EndEvent)


async def test_an_error_event_inside_the_stream_is_raised(client: NemoClient, sim: Simulator) -> None:
    inject(sim, "run_sse", "error_event")
    with pytest.raises(errors.ApiError) as info:
        await _texts(client, "make a video")
    assert "agent crashed" in str(info.value)


async def test_a_dropped_stream_keeps_what_arrived_and_raises(client: NemoClient, sim: Simulator) -> None:
    inject(sim, "run_sse", "drop")
    got: list[str] = []

    async def consume() -> None:
        async for event in client.stream_message("make a video"):
            if isinstance(event, TextEvent):
                got.append(event.text)

    with pytest.raises(errors.ConnectionFailedError):
        await consume()
    assert got
    assert got[0].startswith("Your")
    assert len(requests_to(sim, "run_sse")) == 1


# --- render and download --------------------------------------------------------------------------


async def _finished_render(client: NemoClient) -> tuple[str, RenderStatus]:
    import anyio

    job_id = await _render(client)
    with anyio.fail_after(10):
        while not (status := await client.render_status(job_id)).finished:
            await anyio.sleep(0.1)
    return job_id, status


async def _render(client: NemoClient) -> str:
    await _texts(client, "make a video")
    state = await client.state()
    assert state.draft is not None
    job = await client.start_render(state.draft)
    assert job.id is not None
    return job.id


async def test_render_poll_reaches_completed_with_a_download_url(client: NemoClient) -> None:
    _, status = await _finished_render(client)
    assert status.status == "completed"
    assert status.output_url
    assert "/storage/" in status.output_url


async def test_render_cancel(client: NemoClient) -> None:
    job_id = await _render(client)
    await client.cancel_render(job_id)
    assert (await client.render_status(job_id)).status == "cancelled"


async def test_download_from_storage_sends_no_credentials_and_is_complete(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    job_id, status = await _finished_render(client)
    assert status.output_url
    for n, url in enumerate((status.output_url, client.fallback_download_url(job_id))):
        dest = await client.download(url, tmp_path / f"v{n}.mp4")
        assert dest.read_bytes()[4:8] == b"ftyp"
    storage_hits = requests_to(sim, "storage")
    assert len(storage_hits) == 2
    assert all(
        hit["authorization"] is False and hit["attribution"]["x-skill-source"] is None for hit in storage_hits
    )
    assert requests_to(sim, "download")[0]["authorization"] is True


async def test_interrupted_download_never_leaves_a_file_under_its_final_name(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    _, status = await _finished_render(client)
    assert status.output_url
    inject(sim, "storage", "drop", times=10)
    dest = tmp_path / "dl" / "video.mp4"
    with pytest.raises(errors.NemoError):
        await client.download(status.output_url, dest)
    assert not dest.exists()
    assert list(dest.parent.iterdir()) == []
    sim.faults.clear()
    inject(sim, "storage", "drop", times=1)
    await client.download(status.output_url, dest)
    assert dest.read_bytes()[4:8] == b"ftyp"
