"""The token stays secret: not in tool output, logs, errors, reprs, or any file but token.json."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import stat
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from ai_video_music.config import Settings
from ai_video_music.errors import error_for
from ai_video_music.redact import RedactingFilter, redact
from ai_video_music.simulator import Simulator
from ai_video_music.tokens import TokenRecord
from ai_video_music.tools import create_server

from .test_stdio import console_script, server_env

TOKEN = "nmv_usr_0123456789abcdef0123456789abcdef"


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
    image.write_bytes(b"\x89PNG")
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
            seen.append(result.model_dump_json())
        for resource in (await client.list_resources()).resources:
            if resource.mime_type == "text/plain":
                seen.append(str(await client.read_resource(str(resource.uri))))
    token = json.loads((settings.home / "token.json").read_text(encoding="utf-8"))["token"]
    assert token.startswith("nmv_usr_")
    for output in seen:
        assert token not in output


@pytest.mark.anyio
@pytest.mark.slow
async def test_an_anonymous_token_is_kept_only_in_the_private_token_file(
    sim: Simulator, tmp_path: Path
) -> None:
    errlog = tmp_path / "stderr.txt"
    image = tmp_path / "a.png"
    image.write_bytes(b"\x89PNG")
    params = StdioServerParameters(
        command="/bin/sh",
        args=["-c", f'exec "{console_script()}" -v 2>"{errlog}"'],
        env=server_env(sim, tmp_path),
    )
    with anyio.fail_after(60):
        async with Client(params) as client:
            await client.call_tool("upload", {"files": [str(image)]})
            await client.call_tool("generate", {"prompt": "make a video"})
            await client.call_tool("export", {})
    home = tmp_path / "home"
    token_file = home / "token.json"
    token = json.loads(token_file.read_text(encoding="utf-8"))["token"]
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    logged = errlog.read_text(encoding="utf-8")
    assert "DEBUG" in logged, "debug logging was on"
    assert token not in logged
    for path in [*home.rglob("*"), *(tmp_path / "out").rglob("*")]:
        if path.is_file() and path != token_file:
            assert token.encode() not in path.read_bytes(), f"token found in {path.name}"


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
