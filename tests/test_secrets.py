"""The token stays secret: not in tool output, logs, errors, reprs, or any file but token.json."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import uuid_utils
from mcp import Client

from ai_video_music.client import NemoClient
from ai_video_music.config import Settings
from ai_video_music.errors import error_for
from ai_video_music.redact import RedactingFilter, redact, remember_secret
from ai_video_music.simulator import Simulator
from ai_video_music.tokens import TokenRecord
from ai_video_music.tools import create_server

from .test_client_limits import streamed

TOKEN = "nmv_usr_0123456789abcdef0123456789abcdef"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.parametrize(
    "line",
    [
        f"Authorization: Bearer {TOKEN}",
        f"headers={{'authorization': 'Bearer {TOKEN}'}}",
        f'{{"token": "{TOKEN}", "credits": 100}}',
        f"token={TOKEN}",
        f"the token {TOKEN} expired",
        "Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig",
    ],
)
def test_redact_masks_token_shapes(line: str) -> None:
    cleaned = redact(line)
    assert TOKEN not in cleaned and "eyJhbGciOiJIUzI1NiJ9" not in cleaned
    assert "***" in cleaned


def test_redact_masks_a_known_secret_of_any_shape() -> None:
    assert redact("key is plainsecretvalue!", ("plainsecretvalue",)) == "key is ***!"


def test_the_logging_filter_masks_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(("custom-secret",)))
    log = logging.getLogger("test.secrets")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    try:
        log.debug("sending %s", {"Authorization": f"Bearer {TOKEN}"})
        log.info("custom-secret appears here")
        try:
            raise RuntimeError(f"failed with {TOKEN}")
        except RuntimeError:
            log.exception("boom")
    finally:
        log.removeHandler(handler)
    output = stream.getvalue()
    assert TOKEN not in output and "custom-secret" not in output
    assert "sending" in output and "boom" in output


def test_reprs_and_backend_error_messages_never_show_the_token() -> None:
    assert TOKEN not in repr(Settings(token=TOKEN))
    assert TOKEN not in repr(TokenRecord(client_id="c", token=TOKEN))
    err = error_for(status=401, code=1001, message=f"token {TOKEN} is expired")
    assert TOKEN not in str(err) and "expired" in str(err)


@pytest.mark.anyio
async def test_a_whole_session_never_returns_the_token(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(PNG)
    seen: list[str] = []
    async with Client(create_server(settings)) as client:
        for tool, args in [
            ("credits", {}),
            ("upload", {"files": [str(image)]}),
            ("generate", {"prompt": "make a video with music"}),
            ("status", {}),
            ("export", {}),
            ("generate", {"prompt": "status"}),
        ]:
            with anyio.fail_after(60):
                result = await client.call_tool(tool, args)
            assert not result.is_error, result.content
            seen.append(result.model_dump_json())
        for resource in (await client.list_resources()).resources:
            if resource.mime_type == "text/plain":
                seen.append(str(await client.read_resource(str(resource.uri))))
    token = json.loads((settings.home / "token.json").read_text(encoding="utf-8"))["token"]
    assert token.startswith("nmv_usr_")
    for output in seen:
        assert token not in output


# An anonymous token is kept only in the private token file, over real stdio with debug logs
# on: checked by test_stdio's whole-flow test, in the same server process.


# --- known secrets of any shape ------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [
        "Plain-Value_With.Dots-77",  # no token shape at all
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",  # a JWT
        "a.b*c+d?(e)[f]{2}|g$^",  # regex metacharacters
        "密钥密钥密钥密钥",  # not ASCII
        "sk live 0123 4567",  # with spaces
    ],
)
def test_remember_secret_masks_a_known_value_of_any_shape(secret: str) -> None:
    remember_secret(f"  {secret}\n")  # as pasted: the surrounding blanks don't matter
    for line in (
        f"{secret}",
        f"error: {secret}!",
        f"x{secret}x{secret}",
        json.dumps({"k": secret}, ensure_ascii=False),
    ):
        cleaned = redact(line)
        assert secret not in cleaned, cleaned
        assert "***" in cleaned


def test_short_values_are_not_remembered_so_ordinary_words_survive() -> None:
    remember_secret("abc")
    remember_secret("")
    remember_secret(None)
    assert redact("abc is not a secret") == "abc is not a secret"


@pytest.mark.anyio
async def test_the_client_remembers_a_user_token_of_any_shape(settings: Settings, sim: Simulator) -> None:
    odd = f"Reg-{uuid_utils.uuid4().hex}.x"
    async with NemoClient(dataclasses.replace(settings, token=odd)):
        pass
    assert redact(f"the service said {odd} is wrong") == "the service said *** is wrong"


# --- a backend that echoes the token -------------------------------------------------------------


class EchoingBackend(httpx.AsyncBaseTransport):
    """The simulator behind a proxy that echoes the caller's token back: in an error message
    (``credits``), in the upload answer, in an SSE error event or in the agent's own text (``run_sse``).

    Tokens are of an odd shape (no ``nmv_``, no "token" near them), so only the client's memory of
    its secrets can mask them: the proxy swaps them for the simulator's real ones on the way in.
    """

    def __init__(self, where: str) -> None:
        self.where = where
        self.inner = httpx.AsyncHTTPTransport()
        self.real: dict[str, str] = {}  # the token the client holds -> the simulator's
        self.echoed = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        held = request.headers.get("authorization", "").removeprefix("Bearer ")
        if held in self.real:
            request.headers["authorization"] = f"Bearer {self.real[held]}"
        path = request.url.path
        if path.endswith("/anonymous-token"):
            return await self._odd_anonymous_token(request)
        if self.where == "error" and path.endswith("/balance/simple"):
            self.echoed += 1
            return streamed(
                400, {"code": 9999, "message": f"credential {held} not allowed here", "data": None}
            )
        if self.where == "upload_answer" and path.startswith("/api/upload-video/"):
            return await self._echo_in_upload(request, held)
        if path == "/run_sse" and self.where in ("sse_error", "agent_text"):
            self.echoed += 1
            if self.where == "sse_error":
                events = [
                    {"type": "text", "content": "Working on it."},
                    {"error": f"session of {held} expired"},
                ]
            else:
                events = [{"type": "text", "content": f"Done. For reference, your key is {held}."}]
            body = b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in events)
            return streamed(200, body, {"content-type": "text/event-stream"})
        return await self.inner.handle_async_request(request)

    async def _odd_anonymous_token(self, request: httpx.Request) -> httpx.Response:
        answer = await self.inner.handle_async_request(request)
        body: dict[str, Any] = json.loads(await answer.aread())
        await answer.aclose()
        odd = f"aX7q{uuid_utils.uuid4().hex}Zk"
        self.real[odd] = body["data"]["token"]
        body["data"]["token"] = odd
        return streamed(answer.status_code, body)

    async def _echo_in_upload(self, request: httpx.Request, held: str) -> httpx.Response:
        answer = await self.inner.handle_async_request(request)
        body: dict[str, Any] = json.loads(await answer.aread())
        await answer.aclose()
        for item in body["data"]["files"]:
            self.echoed += 1
            item["cdn_url"] = f"https://cdn.example.com/{held}/{item['filename']}"
            item["file_type"] = f"image (owner {held})"
        return streamed(answer.status_code, body)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("where", ["error", "upload_answer", "sse_error", "agent_text"])
@pytest.mark.parametrize("who", ["registered", "anonymous"])
async def test_a_token_echoed_by_the_backend_never_reaches_tool_output_logs_or_the_store(
    settings: Settings, sim: Simulator, tmp_path: Path, caplog: pytest.LogCaptureFixture, where: str, who: str
) -> None:
    backend = EchoingBackend(where)
    conf = settings
    if who == "registered":
        odd = f"Reg-{uuid_utils.uuid4().hex}.x"
        backend.real[odd] = sim.state.register_user(credits=1000)[0]
        conf = dataclasses.replace(settings, token=odd)

    def factory(s: Settings) -> NemoClient:
        return NemoClient(s, http=httpx.AsyncClient(transport=backend, follow_redirects=False))

    image = tmp_path / "a.png"
    image.write_bytes(PNG)
    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(RedactingFilter())  # as the server's own stderr handler has
    outputs: list[str] = []
    async with Client(create_server(conf, client_factory=factory)) as client:
        for tool, args in [
            ("upload", {"files": [str(image)]}),
            ("credits", {}),
            ("generate", {"prompt": "make a video"}),
            ("status", {}),
        ]:
            with anyio.fail_after(60):
                result = await client.call_tool(tool, args)
            outputs.append(result.model_dump_json())
    secrets = [held for held in backend.real if held != "?"]
    assert secrets and backend.echoed >= 1, "the backend did echo the token"
    everything = "\n".join(outputs)
    for secret in secrets:
        assert secret not in everything
        assert secret not in caplog.text
    assert "***" in everything, "the echoed text reached the answer, masked"
    for path in [*conf.home.rglob("*"), *(tmp_path / "out").rglob("*")]:
        if path.is_file() and path.name != "token.json":
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, f"token found in {path.name}"


def test_settings_from_env_treat_an_empty_token_as_none(tmp_path: Path) -> None:
    settings = Settings.from_env({"NEMO_TOKEN": "", "NEMO_HOME": str(tmp_path)})
    assert settings.token is None
    assert dataclasses.replace(settings, token=TOKEN).token == TOKEN


@pytest.mark.parametrize(
    ("base", "ok"),
    [
        ("https://mega-api-prod.nemovideo.ai", True),
        ("http://127.0.0.1:8787", True),
        ("http://localhost:8787/", True),
        ("http://mega-api-prod.nemovideo.ai", False),
        ("http://10.0.0.5:8080", False),
        ("ftp://example.com", False),
        ("mega-api-prod.nemovideo.ai", False),
    ],
)
def test_the_token_only_travels_over_https_or_loopback(base: str, ok: bool, tmp_path: Path) -> None:
    env = {"NEMO_API_BASE": base, "NEMO_HOME": str(tmp_path)}
    if ok:
        assert Settings.from_env(env).api_base == base.rstrip("/")
    else:
        with pytest.raises(ValueError, match="NEMO_API_BASE"):
            Settings.from_env(env)


def test_a_bad_configuration_is_a_clear_message_not_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = Path(sys.executable).with_name("ai-video-music")
    for name, value in (("NEMO_API_BASE", "http://example.com"), ("NEMO_POLL_INTERVAL", "soon")):
        result = subprocess.run(
            [str(script)], env={"HOME": str(tmp_path), name: value},
            capture_output=True, text=True, timeout=60, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert result.returncode == 2
        assert "configuration error" in result.stderr and name in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
