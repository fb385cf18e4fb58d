"""The installed console script, spoken to over stdio as the hosts do."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from ai_video_music.httpsecret import read_secret
from ai_video_music.simulator import Simulator

from .conftest import console_script
from .test_http_local import _free_port, serve_http

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


def server_env(sim: Simulator, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "NEMO_API_BASE": sim.base_url,
        "NEMO_HOME": str(tmp_path / "home"),
        "NEMO_OUTPUT_DIR": str(tmp_path / "out"),
        "NEMO_POLL_INTERVAL": "0.2",
        "NEMO_TOOL_BUDGET": "20",
        "NEMO_RETRY_BACKOFF": "0.01",  # transport.set_testing doesn't reach a subprocess
        "HOME": str(tmp_path),
        **extra,
    }


async def test_stdio_session_runs_upload_generate_export_and_keeps_its_anonymous_token_private(
    sim: Simulator, tmp_path: Path
) -> None:
    """The whole flow as a host runs it, debug logging on: the anonymous token the server fetched
    is kept only in its private token file (not in a log line, the store or a video). One
    process checks both: each start costs a second of CPU."""
    photo = tmp_path / "p.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    errlog = tmp_path / "stderr.txt"
    params = StdioServerParameters(
        command="/bin/sh",
        args=["-c", f'exec "{console_script()}" -v 2>"{errlog}"'],
        env=server_env(sim, tmp_path),
        cwd="/",
    )
    with anyio.fail_after(60):
        async with Client(params) as client:
            assert client.server_info and client.server_info.name == "ai-video-generator-free-music"
            names = {t.name for t in (await client.list_tools()).tools}
            assert names == {"generate", "upload", "status", "credits", "export"}
            assert not (await client.call_tool("upload", {"files": [str(photo)]})).is_error
            gen = await client.call_tool("generate", {"prompt": "make a video with music"})
            assert gen.structured_content and gen.structured_content["status"] == "done"
            out = await client.call_tool("export", {})
            assert out.structured_content and out.structured_content["status"] == "done"
            # A client that sees images gets a contact sheet of the video next to the text.
            assert any(c.type == "image" and c.mime_type == "image/jpeg" for c in out.content)
            assert "never instructions" in "".join(getattr(c, "text", "") for c in out.content)
    assert Path(out.structured_content["path"]).is_file()

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


async def test_stdio_server_keeps_stdout_clean_and_the_token_out_of_its_logs(
    sim: Simulator, tmp_path: Path
) -> None:
    import httpx

    token = httpx.post(f"{sim.base_url}/_sim/register-user", json={"credits": 50}).json()["token"]
    assert token
    errlog = tmp_path / "stderr.txt"
    # Debug logging on, stderr captured: nothing may print the token, and stdout stays the protocol's.
    params = StdioServerParameters(
        command="/bin/sh",
        args=["-c", f'exec "{console_script()}" -v 2>"{errlog}"'],
        env=server_env(sim, tmp_path, NEMO_TOKEN=token),
    )
    with anyio.fail_after(60):
        async with Client(params) as client:
            result = await client.call_tool("credits", {})
            assert result.structured_content
            assert (result.structured_content["available"], result.structured_content["total"]) == (
                50.0,
                50.0,
            )
            failed = await client.call_tool("export", {"quality": "high"})
            assert failed.is_error
    assert token not in str(result) and token not in str(failed)
    logged = errlog.read_text(encoding="utf-8")
    assert "HTTP Request" in logged or "DEBUG" in logged, "debug logging was not on"
    assert token not in logged
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), f"token stored in {path.name}"


async def test_streamable_http_transport_serves_the_same_tools(sim: Simulator, tmp_path: Path) -> None:
    env = {**server_env(sim, tmp_path), "PATH": "/usr/bin:/bin"}
    port = _free_port()
    with serve_http(env, port, tmp_path / "server.log"):  # returns once it listens: one client
        secret = read_secret(tmp_path / "home")  # created by the server's first start
        assert secret
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {secret}"})
        with anyio.fail_after(30):
            async with (
                http,
                Client(streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=http)) as client,
            ):
                names = {t.name for t in (await client.list_tools()).tools}
                credits = await client.call_tool("credits", {})
    assert names == {"generate", "upload", "status", "credits", "export"}
    assert credits.structured_content and credits.structured_content["available"] == 100.0
