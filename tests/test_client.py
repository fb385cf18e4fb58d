"""The backend client against the simulator over real loopback HTTP: identity, the error table,
retries, uploads, the agent stream, renders and downloads.

The client knows no project: every session call takes the session id. Limits against a hostile
backend (time budget, body caps, ids, URLs, the retry table itself) are in test_client_limits.py.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import time
from pathlib import Path

import anyio
import httpx
import pytest

from ai_video_music import errors
from ai_video_music.client import NemoClient
from ai_video_music.config import Settings, skill_version
from ai_video_music.models import RenderStatus, SessionInfo
from ai_video_music.projects import Language, Projects
from ai_video_music.renders import part_name, part_prefix
from ai_video_music.simulator import SimConfig, Simulator
from ai_video_music.sse import AgentEvent, TextEvent, ToolCallEvent
from ai_video_music.store import Store
from ai_video_music.tokens import TokenCache

from .conftest import FakeSleep, fast_config, inject, requests_to
from .test_client_limits import mock_http, ok

pytestmark = pytest.mark.anyio

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64
MP4 = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom" + b"\0" * 64
MP3 = b"ID3\x04\0\0\0\0\0\0" + b"\0" * 64


@pytest.fixture
def sim_config(envelope: str) -> SimConfig:
    return fast_config(envelope=envelope)


def registered(settings: Settings, token: str) -> Settings:
    return dataclasses.replace(settings, token=token)


async def agent_events(client: NemoClient, sid: str, message: str) -> list[AgentEvent]:
    events: list[AgentEvent] = []

    async def on_event(event: AgentEvent) -> None:
        events.append(event)

    with anyio.fail_after(30):
        await client.run_agent(sid, message, on_event)
    return events


async def agent_text(client: NemoClient, sid: str, message: str) -> str:
    return "".join(e.text for e in await agent_events(client, sid, message) if isinstance(e, TextEvent))


async def session(client: NemoClient) -> str:
    return (await client.create_session("en")).session_id


# --- identity and headers --------------------------------------------------------------------


async def test_every_api_request_carries_attribution_and_bearer(client: NemoClient, sim: Simulator) -> None:
    await client.credits()
    await client.state(await session(client))
    api = [r for r in sim.requests() if r["route"] != "token"]
    assert {r["route"] for r in api} == {"credits", "session", "state"}
    for r in api:
        assert r["authorization"] is True
        assert r["attribution"] == {
            "x-skill-source": "ai-video-generator-free-music",
            "x-skill-version": skill_version(),
            "x-skill-platform": "claude_code",
        }


async def test_the_anonymous_token_call_carries_a_client_id_and_no_bearer(
    client: NemoClient, sim: Simulator
) -> None:
    await client.credits()
    (token_call,) = requests_to(sim, "token")
    assert token_call["authorization"] is False
    assert token_call["client_id"]
    assert token_call["attribution"]["x-skill-source"] == "ai-video-generator-free-music"


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
    assert cached["token"] not in repr(TokenCache(settings.home).load())


async def test_the_user_id_from_the_anonymous_token_answer_is_kept(
    settings: Settings, sim: Simulator
) -> None:
    async with NemoClient(settings) as c:
        await c.credits()
    record = TokenCache(settings.home).load()
    assert record is not None
    (user,) = sim.state.users.values()
    assert record.user_id == user.user_id
    assert record.user_id.startswith("anon_")
    assert record.user_id != record.client_id
    # A later process reads it from the cache: the registration link still binds the same user.
    async with NemoClient(settings) as later:
        await later.credits()
        assert later.registration_link() == f"https://nemovideo.com/register?bind={user.user_id}"
    assert len(requests_to(sim, "token")) == 1


async def test_concurrent_first_calls_fetch_one_token(client: NemoClient, sim: Simulator) -> None:
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
    assert [r["route"] for r in sim.requests()].count("credits") == 2, (
        "no request went out with the old token"
    )


async def test_claim_token_opens_the_project_and_is_not_the_api_token(
    client: NemoClient, sim: Simulator, settings: Settings
) -> None:
    info = await client.create_session("en")
    grant = await client.claim_token(info.task_id, info.session_id)
    assert grant.claim_token.startswith("clm_")
    assert grant.expires_in and grant.expires_in > 0
    assert sim.state.claims[grant.claim_token] == info.session_id
    record = TokenCache(settings.home).load()
    assert record is not None and record.token != grant.claim_token


# --- the error table ---------------------------------------------------------------------------


async def test_1001_renews_the_token_and_retries_once(client: NemoClient, sim: Simulator) -> None:
    await client.credits()
    sim.state.expire_tokens()
    credits = await client.credits()
    assert credits.available == 100
    assert len(requests_to(sim, "token")) == 2
    assert len(requests_to(sim, "credits")) == 3


def test_a_bare_401_means_the_token_was_refused() -> None:
    from ai_video_music.errors import error_for

    assert isinstance(error_for(status=401, code=None, message=None), errors.TokenInvalidError)
    assert isinstance(error_for(status=401, code=2001, message=None), errors.OutOfCreditsError)


def test_a_400_from_any_call_but_the_token_call_is_not_about_the_free_token() -> None:
    from ai_video_music.errors import Caller, error_for

    other = error_for(status=400, code=None, message="bad field: language")
    assert type(other) is errors.ApiError
    assert "free token" not in str(other)
    assert "HTTP 400" in str(other) and "bad field: language" in str(other)
    token_call = error_for(
        status=400, code=None, message="missing X-Client-Id", caller=Caller(token_call=True)
    )
    assert isinstance(token_call, errors.MissingClientIdError)


async def test_1001_twice_in_a_row_is_reported(client: NemoClient, sim: Simulator) -> None:
    inject(sim, "credits", "1001", times=2)
    with pytest.raises(errors.TokenInvalidError):
        await client.credits()
    assert len(requests_to(sim, "credits")) == 2


async def test_1001_on_a_user_token_says_to_renew_it_instead_of_switching_accounts(
    settings: Settings, sim: Simulator
) -> None:
    async with NemoClient(registered(settings, "nmv_usr_expired")) as c:
        with pytest.raises(errors.TokenInvalidError) as info:
            await c.credits()
    message = str(info.value)
    assert "NEMO_TOKEN" in message and "Renew" in message
    assert "nmv_usr_expired" not in message
    assert "NEMO_TOKEN" in info.value.render("zh") and "更新" in info.value.render("zh")
    assert requests_to(sim, "token") == [], "a user's own token is never swapped for a free one"
    assert len(requests_to(sim, "credits")) == 1


async def test_1001_on_a_signed_in_token_says_to_connect_again_not_to_set_a_variable(
    settings: Settings, sim: Simulator
) -> None:
    hosted = dataclasses.replace(registered(settings, "nmv_usr_expired"), token_from_signin=True)
    async with NemoClient(hosted) as c:
        with pytest.raises(errors.TokenInvalidError) as info:
            await c.credits()
    for lang, again in (("en", "Connect again"), ("zh", "重新连接")):
        told = info.value.render(lang)
        assert again in told and "NEMO_TOKEN" not in told and "nmv_usr_expired" not in told
    assert requests_to(sim, "token") == []


async def test_1001_during_an_agent_turn_resends_the_rejected_message_once(
    client: NemoClient, sim: Simulator
) -> None:
    sid = await session(client)
    inject(sim, "run_sse", "1001")
    assert "video" in await agent_text(client, sid, "make a video")
    assert len(requests_to(sim, "run_sse")) == 2
    assert len(sim.state.agent_turns) == 1, "the agent acted once"


async def test_400_on_the_token_call_retries_once_with_a_new_client_id(
    settings: Settings, client: NemoClient, sim: Simulator
) -> None:
    inject(sim, "token", "400")
    await client.credits()
    ids = [r["client_id"] for r in requests_to(sim, "token")]
    assert len(ids) == 2
    assert ids[0] != ids[1]
    record = TokenCache(settings.home).load()
    assert record is not None and record.client_id == ids[1], "the id the backend accepted is kept"


async def test_400_on_the_token_call_twice_is_reported(client: NemoClient, sim: Simulator) -> None:
    inject(sim, "token", "400", times=2)
    with pytest.raises(errors.MissingClientIdError) as info:
        await client.credits()
    assert "free token" in str(info.value) and "NEMO_TOKEN" in str(info.value)
    assert len(requests_to(sim, "token")) == 2
    assert requests_to(sim, "credits") == []


async def test_1002_is_raised_by_the_client_which_never_opens_a_session_itself(
    client: NemoClient, sim: Simulator
) -> None:
    sid = await session(client)
    sim.state.drop_sessions()
    with pytest.raises(errors.SessionNotFoundError):
        await client.state(sid)
    with pytest.raises(errors.SessionNotFoundError):
        await agent_text(client, sid, "make a video")
    assert len(requests_to(sim, "session")) == 1


async def test_1002_the_project_owner_opens_a_new_session_and_calls_once_more(
    client: NemoClient, settings: Settings, sim: Simulator
) -> None:
    store = Store(settings.home)
    try:
        projects = Projects(settings, client, store, Language(settings, store))
        project = await projects.ensure("beach trip")
        first = project.session_id
        sim.state.drop_sessions()
        state = await projects.call(project, client.state)
        assert state.draft is not None
        current = projects.current
        assert current is not None and current.id == project.id, "the same project goes on"
        assert current.session_id != first
        assert store.project(project.id).session_id == current.session_id  # type: ignore[union-attr]
        assert projects.take_lost_notice(project.id), "the user is told once that media may be missing"
        assert not projects.take_lost_notice(project.id)
        assert len(requests_to(sim, "session")) == 2
        # A stale handle (the old session id) is replaced once, not again for every caller.
        assert await projects.call(project, client.state) is not None
        assert len(requests_to(sim, "session")) == 2
        # The agent, too, gets the new session when the backend lost the old one.
        sim.state.drop_sessions()
        latest = projects.current
        assert latest is not None
        text = await projects.call(latest, lambda sid: agent_text(client, sid, "make a video"))
        assert "video" in text
        assert len(requests_to(sim, "session")) == 3
    finally:
        store.close()


async def test_2001_for_an_anonymous_user_links_registration_bound_to_the_anonymous_user_id(
    client: NemoClient, settings: Settings, sim: Simulator
) -> None:
    sid = await session(client)
    sim.state.set_credits(0)
    with pytest.raises(errors.OutOfCreditsError) as info:
        await agent_text(client, sid, "make a video")
    record = TokenCache(settings.home).load()
    assert record is not None and record.user_id
    link = f"https://nemovideo.com/register?bind={record.user_id}"
    assert link in str(info.value)
    assert link in info.value.render("zh") and "注册" in info.value.render("zh")
    assert record.client_id not in str(info.value), "the client id is not the account to bind"
    assert "free" in str(info.value).lower(), "says exporting stays free"


async def test_2001_for_a_registered_user_says_top_up(settings: Settings, sim: Simulator) -> None:
    token, _ = sim.state.register_user(credits=0)
    async with NemoClient(registered(settings, token)) as c:
        sid = await session(c)
        with pytest.raises(errors.OutOfCreditsError) as info:
            await agent_text(c, sid, "make a video")
    assert "bind=" not in str(info.value)
    assert "Top up" in str(info.value) and "https://nemovideo.com" in str(info.value)
    assert "充值" in info.value.render("zh")


async def test_4001_is_caught_locally_before_any_byte_is_sent(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello", encoding="utf-8")
    sid = await session(client)
    with pytest.raises(errors.UnsupportedFileTypeError) as info:
        await client.upload_files(sid, [bad])
    assert "notes.txt" in str(info.value) and "mp4" in str(info.value)
    assert requests_to(sim, "upload") == []


async def test_4001_from_the_backend_lists_accepted_formats(client: NemoClient) -> None:
    sid = await session(client)
    with pytest.raises(errors.UnsupportedFileTypeError) as info:
        await client.upload_urls(sid, ["https://example.com/setup.exe"])
    assert "MP4, MOV, JPG and PNG work best" in str(info.value)


async def test_4002_is_caught_locally_for_files_over_500_mb(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    big = tmp_path / "big.mp4"
    with big.open("wb") as fh:  # sparse: no disk used
        fh.write(MP4)
        fh.truncate(errors.MAX_UPLOAD_BYTES + 1)
    sid = await session(client)
    with pytest.raises(errors.FileTooLargeError) as info:
        await client.upload_files(sid, [big])
    assert "big.mp4" in str(info.value) and "500 MB" in str(info.value)
    assert "Compress" in str(info.value)
    assert requests_to(sim, "upload") == []


async def test_4002_from_the_backend_suggests_compressing(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    sim.configure(max_upload_bytes=10)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(MP4)
    sid = await session(client)
    with pytest.raises(errors.FileTooLargeError) as info:
        await client.upload_files(sid, [clip])
    assert "Compress" in str(info.value)
    assert len(requests_to(sim, "upload")) == 1, "an upload is never sent twice"


async def test_402_export_blocked_is_said_plainly(client: NemoClient, sim: Simulator) -> None:
    sid = await session(client)
    inject(sim, "render", "402")
    with pytest.raises(errors.ExportBlockedError) as info:
        await client.start_render(sid, "render_402", {"t": [{"tt": 0, "sg": [{"d": 1000}]}]})
    assert "not a credit problem" in str(info.value)
    assert "与积分无关" in info.value.render("zh")
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
    assert len(requests_to(sim, "credits")) == 3


async def test_the_suites_testing_switch_skips_the_default_wait_and_only_that(
    settings: Settings, sim: Simulator
) -> None:
    """The suite turns ``transport.set_testing`` on (conftest): a client given no ``sleep`` re-sends
    at once; with the switch off the same 7 s Retry-After is waited (here: cut by a deadline)."""
    from ai_video_music import transport

    async with NemoClient(settings) as c:
        await c.credits()
        inject(sim, "credits", "429", retry_after=7)
        with anyio.fail_after(5):
            await c.credits()
        assert len(requests_to(sim, "credits")) == 3
        transport.set_testing(False)
        try:
            inject(sim, "credits", "429", retry_after=7)
            with anyio.move_on_after(0.3) as waited:
                await c.credits()
            assert waited.cancelled_caught, "the real Retry-After wait was skipped"
        finally:
            transport.set_testing(True)


async def test_429_without_retry_after_waits_30_seconds_even_for_an_agent_message(
    client: NemoClient, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    sid = await session(client)
    inject(sim, "run_sse", "429")
    assert await agent_text(client, sid, "make a video")
    assert fake_sleep.calls == [30]
    assert len(requests_to(sim, "run_sse")) == 2


async def test_429_twice_is_reported(client: NemoClient, sim: Simulator) -> None:
    await client.credits()
    inject(sim, "credits", "429", times=2, retry_after=5)
    with pytest.raises(errors.RateLimitedError) as info:
        await client.credits()
    assert "5 seconds" in str(info.value)
    assert len(requests_to(sim, "credits")) == 3


async def test_a_retry_after_longer_than_the_budget_is_not_waited_but_said_in_words(
    client: NemoClient, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    from ai_video_music import budget

    await client.credits()
    inject(sim, "credits", "429", retry_after=3600)
    with budget.within(5), pytest.raises(errors.RateLimitedError) as info:
        await client.credits()
    assert fake_sleep.calls == []
    assert "about an hour" in str(info.value)
    assert "约一小时" in info.value.render("zh")
    assert len(requests_to(sim, "credits")) == 2


async def test_a_background_job_does_not_wait_out_an_hour_long_retry_after_either(
    client: NemoClient, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    await client.credits()
    inject(sim, "credits", "429", retry_after=3600)
    with pytest.raises(errors.RateLimitedError) as info:
        await client.credits()  # no budget: a background job
    assert fake_sleep.calls == []
    assert "about an hour" in str(info.value)


async def test_anonymous_tokens_are_rate_limited_by_the_backend(sim: Simulator) -> None:
    sim.configure(anon_tokens_per_minute=2)
    codes = [
        httpx.post(f"{sim.base_url}/api/auth/anonymous-token", headers={"X-Client-Id": f"c{i}"}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


# --- what is re-sent --------------------------------------------------------------------------


async def test_reads_retry_5xx_with_growing_backoff(
    client: NemoClient, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    await client.credits()
    inject(sim, "credits", "502", times=2)
    await client.credits()
    assert len(requests_to(sim, "credits")) == 4
    assert len(fake_sleep.calls) == 2
    assert fake_sleep.calls[1] > fake_sleep.calls[0]


async def test_the_first_backoff_is_the_configured_one(
    settings: Settings, sim: Simulator, fake_sleep: FakeSleep
) -> None:
    conf = dataclasses.replace(
        settings, retry_backoff=Settings.from_env({"NEMO_RETRY_BACKOFF": "3"}).retry_backoff
    )
    async with NemoClient(conf, sleep=fake_sleep) as c:
        await c.credits()
        inject(sim, "credits", "502", times=1)
        await c.credits()
    assert len(fake_sleep.calls) == 1 and 3 <= fake_sleep.calls[0] <= 4.5  # 3 s, up to half again of jitter


async def test_reads_give_up_after_bounded_retries(client: NemoClient, sim: Simulator) -> None:
    await client.credits()
    inject(sim, "credits", "500", times=10)
    with pytest.raises(errors.ServerError) as info:
        await client.credits()
    assert "HTTP 500" in str(info.value)
    assert len(requests_to(sim, "credits")) == 1 + 1 + 3


async def test_an_agent_message_is_never_resent_after_a_5xx(client: NemoClient, sim: Simulator) -> None:
    sid = await session(client)
    inject(sim, "run_sse", "500")
    with pytest.raises(errors.ServerError):
        await agent_text(client, sid, "make a video")
    assert len(requests_to(sim, "run_sse")) == 1


async def test_a_render_start_is_never_resent_after_a_5xx(client: NemoClient, sim: Simulator) -> None:
    sid = await session(client)
    inject(sim, "render", "503")
    with pytest.raises(errors.ServerError):
        await client.start_render(sid, "render_5xx", {"t": [{"tt": 0, "sg": [{"d": 1000}]}]})
    assert len(requests_to(sim, "render")) == 1


async def test_unreachable_backend_is_a_connection_error_retried_even_for_a_post(
    settings: Settings, fake_sleep: FakeSleep
) -> None:
    dead = dataclasses.replace(settings, api_base="http://127.0.0.1:9")
    async with NemoClient(dead, sleep=fake_sleep) as c:
        with pytest.raises(errors.ConnectionFailedError) as info:
            await c.credits()
    assert "NEMO_API_BASE" in str(info.value)
    # The anonymous-token POST never connected, so re-sending it could not double anything.
    assert len(fake_sleep.calls) == 3


def _mock_backend(calls: list[str], run_sse: Exception) -> httpx.AsyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/run_sse":
            raise run_sse
        if request.url.path.endswith("anonymous-token"):
            return ok({"token": "nmv_usr_t", "user_id": "anon_1"})
        return ok({"session_id": "s1", "task_id": "t1"})

    return mock_http(handler)


async def test_a_timed_out_agent_message_is_not_resent(settings: Settings, fake_sleep: FakeSleep) -> None:
    calls: list[str] = []
    http = _mock_backend(calls, httpx.ReadTimeout("slow"))
    async with NemoClient(settings, http=http, sleep=fake_sleep) as c:
        with pytest.raises(errors.ApiTimeoutError):
            await agent_text(c, "s1", "make a video")
    assert calls.count("/run_sse") == 1


async def test_an_agent_message_whose_connection_never_opened_is_sent_again(
    settings: Settings, fake_sleep: FakeSleep
) -> None:
    calls: list[str] = []
    http = _mock_backend(calls, httpx.ConnectError("refused"))
    async with NemoClient(settings, http=http, sleep=fake_sleep) as c:
        with pytest.raises(errors.ConnectionFailedError):
            await agent_text(c, "s1", "make a video")
    assert calls.count("/run_sse") == 4


async def test_read_timeouts_on_reads_are_retried(settings: Settings, fake_sleep: FakeSleep) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("anonymous-token"):
            return ok({"token": "nmv_usr_t"})
        if len(calls) <= 3:  # the token call, then two timeouts
            raise httpx.ReadTimeout("slow", request=request)
        return ok({"available": 7, "frozen": 0, "total": 7})

    http = mock_http(handler)
    async with NemoClient(settings, http=http, sleep=fake_sleep) as c:
        assert (await c.credits()).available == 7
    assert calls.count("/api/credits/balance/simple") == 3
    assert len(fake_sleep.calls) == 2


@pytest.mark.parametrize(
    ("kind", "error", "words"),
    [
        ("malformed", errors.BadResponseError, "couldn't be read"),
        ("html", errors.ServerError, "internal error (HTTP 502)"),
        ("shape", errors.BadResponseError, "no timeline"),
    ],
)
async def test_unreadable_backend_answers_become_clear_errors(
    client: NemoClient, sim: Simulator, kind: str, error: type[errors.NemoError], words: str
) -> None:
    sid = await session(client)
    inject(sim, "state", kind, times=10)
    with pytest.raises(error) as info:
        await client.state(sid)
    assert str(info.value)[0].isupper()
    assert words in str(info.value)


# --- upload ----------------------------------------------------------------------------------------


async def test_upload_streams_several_files_in_the_files_field(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    paths = []
    for name, head in (("a.jpg", JPEG), ("b.mp4", MP4), ("c.mp3", MP3)):
        p = tmp_path / name
        p.write_bytes(head + os.urandom(2048 - len(head)))
        paths.append(p)
    info = await client.create_session("en")
    files = await client.upload_files(info.session_id, paths)
    assert [f.filename for f in files] == ["a.jpg", "b.mp4", "c.mp3"]
    assert [f.file_type for f in files] == ["image", "video", "audio"]
    uploaded = sim.state.sessions[info.session_id]
    assert [u["size"] for u in uploaded.uploads] == [2048, 2048, 2048]
    assert len(requests_to(sim, "upload")) == 1


async def test_upload_does_not_read_the_file_into_memory(client: NemoClient, tmp_path: Path) -> None:
    import tracemalloc

    big = tmp_path / "big.mp4"
    with big.open("wb") as fh:
        fh.write(MP4)
        fh.truncate(64 * 1024 * 1024)
    sid = await session(client)
    tracemalloc.start()
    try:
        await client.upload_files(sid, [big])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Client and simulator share this process; both stream, so the peak stays far below 64 MB.
    assert peak < 16 * 1024 * 1024


async def test_more_than_50_files_are_refused_before_anything_is_sent(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    paths = []
    for i in range(51):
        p = tmp_path / f"p{i}.jpg"
        p.write_bytes(JPEG)
        paths.append(p)
    sid = await session(client)
    with pytest.raises(errors.InputError) as info:
        await client.upload_files(sid, paths)
    assert "51" in str(info.value) and "50" in str(info.value)
    assert requests_to(sim, "upload") == []


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/a.mp4", "not a url", "https://example.com/a b.mp4"]
)
async def test_upload_urls_refuses_anything_but_plain_http_links(
    client: NemoClient, sim: Simulator, url: str
) -> None:
    sid = await session(client)
    with pytest.raises(errors.InputError):
        await client.upload_urls(sid, [url])
    assert requests_to(sim, "upload") == []


async def test_upload_urls_with_credentials_are_refused_without_echoing_them(
    client: NemoClient, sim: Simulator
) -> None:
    sid = await session(client)
    with pytest.raises(errors.InputError) as info:
        await client.upload_urls(sid, ["https://alice:hunter2secret@files.example.com/clip.mp4"])
    assert "files.example.com" in str(info.value)
    assert "hunter2secret" not in str(info.value) and "alice" not in str(info.value)
    assert requests_to(sim, "upload") == []


# --- agent stream -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["native", "adk"])
async def test_agent_reply_arrives_once_in_either_event_format(
    client: NemoClient, sim: Simulator, fmt: str
) -> None:
    sim.configure(sse_format=fmt)
    events = await agent_events(client, await session(client), "make a 12 second video")
    text = "".join(e.text for e in events if isinstance(e, TextEvent))
    expected = (
        "Your 12-second video is ready: 1 clip(s) in 320x180 (16:9), with free background music "
        '"Lo-fi Chill (free music)" at 35% and the title "My Video". '
        "Open the timeline panel to review it. Then click the Export button to download your video."
    )
    assert text == expected
    assert any(isinstance(e, ToolCallEvent) for e in events)


async def test_a_turn_without_text_ends_cleanly(client: NemoClient, sim: Simulator) -> None:
    sid = await session(client)
    sim.configure(next_no_text=True)
    events: list[AgentEvent] = []

    async def on_event(event: AgentEvent) -> None:
        events.append(event)

    assert await client.run_agent(sid, "add music", on_event) is False, "nothing was cut"
    assert events, "heartbeats and tool calls still arrive"
    assert not any(isinstance(e, TextEvent) for e in events)


async def test_an_error_event_inside_the_stream_is_raised_and_not_resent(
    client: NemoClient, sim: Simulator
) -> None:
    sid = await session(client)
    inject(sim, "run_sse", "error_event")
    with pytest.raises(errors.ApiError) as info:
        await agent_text(client, sid, "make a video")
    assert "agent crashed" in str(info.value)
    assert "Don't send the same request again" in str(info.value)
    assert len(requests_to(sim, "run_sse")) == 1


async def test_a_dropped_stream_keeps_what_arrived_and_raises(client: NemoClient, sim: Simulator) -> None:
    sid = await session(client)
    inject(sim, "run_sse", "drop")
    got: list[str] = []

    async def on_event(event: AgentEvent) -> None:
        if isinstance(event, TextEvent):
            got.append(event.text)

    with pytest.raises(errors.ConnectionFailedError):
        await client.run_agent(sid, "make a video", on_event)
    assert got
    assert got[0].startswith("Your")
    assert len(requests_to(sim, "run_sse")) == 1, "a stream the agent already acted on is never re-sent"


# --- render and download --------------------------------------------------------------------------


async def _render(client: NemoClient) -> tuple[str, str]:
    sid = await session(client)
    await agent_text(client, sid, "make a video")
    state = await client.state(sid)
    assert state.draft is not None
    render_id = f"render_{time.time_ns()}"
    job = await client.start_render(sid, render_id, state.draft)
    assert job.id == render_id
    return sid, render_id


async def _finished_render(client: NemoClient) -> tuple[str, RenderStatus]:
    _, render_id = await _render(client)
    with anyio.fail_after(10):
        while not (status := await client.render_status(render_id)).finished:
            await anyio.sleep(0.1)
    return render_id, status


async def test_render_poll_reaches_completed_with_a_download_url(client: NemoClient) -> None:
    _, status = await _finished_render(client)
    assert status.status == "completed"
    assert status.output_url
    assert "/storage/" in status.output_url


async def test_render_cancel(client: NemoClient, sim: Simulator) -> None:
    _, render_id = await _render(client)
    await client.cancel_render(render_id)
    assert (await client.render_status(render_id)).status == "cancelled"
    assert len(requests_to(sim, "render_cancel")) == 1


async def test_download_from_storage_sends_no_credentials_and_is_complete(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    render_id, status = await _finished_render(client)
    assert status.output_url
    for n, url in enumerate((status.output_url, client.fallback_download_url(render_id))):
        part = tmp_path / f"v{n}.mp4.part"
        size = await client.download(url, part)
        assert size == part.stat().st_size > 0
        assert part.read_bytes()[4:8] == b"ftyp"
        assert stat.S_IMODE(part.stat().st_mode) == 0o600
    storage_hits = requests_to(sim, "storage")
    assert len(storage_hits) == 2
    assert all(
        hit["authorization"] is False and hit["attribution"]["x-skill-source"] is None for hit in storage_hits
    )
    assert requests_to(sim, "download")[0]["authorization"] is True


async def test_a_link_planted_at_the_part_files_name_is_never_written_through(
    client: NemoClient, tmp_path: Path
) -> None:
    """attack19 L5: in an output folder another account can write to, a symlink by the part
    file's name must not turn the download into a write over the file it points at."""
    _, status = await _finished_render(client)
    assert status.output_url
    victim = tmp_path / "profile"
    victim.write_text("the user's own file\n", encoding="utf-8")
    part = tmp_path / "video.mp4.part"
    part.symlink_to(victim)
    await client.download(status.output_url, part)
    assert victim.read_text(encoding="utf-8") == "the user's own file\n"
    assert not part.is_symlink() and part.read_bytes()[4:8] == b"ftyp"


def test_each_download_attempt_gets_a_fresh_part_name() -> None:
    """The part file's name can't be guessed ahead of the download, and a resumed download
    still recognises the parts of its render."""
    name = "spring-sale-2026-12-06-1844.mp4"
    first, second = part_name(name, "render_a"), part_name(name, "render_a")
    assert first != second
    assert first.startswith(part_prefix(name, "render_a")) and first.endswith(".part")
    assert not part_name(name, "render_b").startswith(part_prefix(name, "render_a"))


async def test_a_dropped_download_is_retried_and_a_persistent_drop_is_reported(
    client: NemoClient, sim: Simulator, tmp_path: Path
) -> None:
    _, status = await _finished_render(client)
    assert status.output_url
    part = tmp_path / "video.mp4.part"
    inject(sim, "storage", "drop", times=10)
    with pytest.raises(errors.DownloadError) as info:
        await client.download(status.output_url, part)
    assert info.value.message_key == "download.storage_silent"  # the storage host, not the user's line
    assert len(requests_to(sim, "storage")) == 4, "a download is a read: retried, within bounds"
    sim.faults.clear()
    inject(sim, "storage", "drop", times=1)
    size = await client.download(status.output_url, part)
    assert part.read_bytes()[4:8] == b"ftyp"
    assert part.stat().st_size == size


def test_session_info_ids_from_the_backend_are_checked() -> None:
    # A session id is used in URL paths: one that can't be used safely is refused at parse time.
    from ai_video_music.models import parse

    with pytest.raises(errors.BadResponseError):
        parse(SessionInfo, {"session_id": "..", "task_id": "t"})
    with pytest.raises(errors.BadResponseError):
        parse(SessionInfo, {"session_id": "a\0b"})
    assert parse(SessionInfo, {"sessionId": "s/1", "taskId": "t"}).session_id == "s/1"
