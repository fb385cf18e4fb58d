"""`serve --http` is the local user's only: hostile clients against the real console script.

A raw HTTP client (httpx) without the secret, with a wrong one, with a rebound Host name and a
foreign Origin; a hostile web page in a real browser (Debian's Chromium) on another loopback
origin and after DNS rebinding; a second local account reading the secret file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from starlette.datastructures import Headers

from ai_video_music import cli, httpguard
from ai_video_music.config import Settings
from ai_video_music.httpguard import LocalOnly, allowed_hosts, loopback_origin
from ai_video_music.httpsecret import SECRET_FILE, ensure_secret, read_secret
from ai_video_music.links import is_loopback
from ai_video_music.simulator import Simulator

from .conftest import console_script, launched_chromium, server_command

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "attacker", "version": "1"},
    },
}
MCP_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Running:
    port: int
    home: Path
    log: Path
    secret: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def refusals(self) -> int:
        return self.log.read_text(encoding="utf-8").count("refused an HTTP request")

    def sessions(self) -> int:
        return self.log.read_text(encoding="utf-8").count("Created new transport")


@contextlib.contextmanager
def serve_http(
    env: dict[str, str], port: int, log: Path, preexec_fn: Callable[[], None] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """``ai-video-music serve --http`` in its own process, once it answers; stopped after.
    ``preexec_fn``: run in the child before the server starts (a lower descriptor limit, say);
    the console script is then started itself (the fork server's child would not inherit it)."""
    command = server_command() if preexec_fn is None else [console_script()]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [*command, "serve", "--http", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=preexec_fn,
        )
    try:
        deadline = time.monotonic() + 60
        while True:  # serving once the port takes a connection (uvicorn listens when ready)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:  # refused at once until then: a short look, no HTTP client to build
                assert proc.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "serve --http did not start"
                time.sleep(0.02)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(simulator: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = tmp_path_factory.mktemp("http")
    home, log = root / "state", root / "server.log"
    port = _free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "NEMO_HOME": str(home),
        "NEMO_API_BASE": simulator.base_url,
        "NEMO_OUTPUT_DIR": str(root / "out"),
        "NEMO_LANGUAGE": "en",
    }
    with serve_http(env, port, log):
        secret = read_secret(home)
        assert secret
        yield Running(port, home, log, secret)


# The tests of the module's one `serve --http` (raw clients and browser pages) run on one xdist
# worker, so the server starts once for them (a module fixture is per worker: spread out, it
# started on each, ~0.9 s of CPU each; the browser tests in a group of their own started it twice).
ONE_SERVER = pytest.mark.xdist_group("serve_http")


def _post(running: Running, **headers: str) -> httpx.Response:
    return httpx.post(running.url, json=INITIALIZE, headers={**MCP_HEADERS, **headers}, timeout=10)


# --- the raw client -------------------------------------------------------------------------------


@ONE_SERVER
def test_no_secret_or_a_wrong_one_gets_401_and_no_session(server: Running) -> None:
    before = server.sessions()
    for headers in (
        {},
        {"authorization": "Bearer " + "x" * len(server.secret)},
        {"authorization": "Bearer " + server.secret[:-1]},
        {
            "authorization": "bearer " + server.secret.swapcase()
        },  # the scheme's case is free, the secret's not
        {"authorization": server.secret},  # the secret without the scheme
        {"authorization": "Basic " + server.secret},
    ):
        answer = _post(server, **headers)
        assert answer.status_code == 401, headers
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert "mcp-session-id" not in answer.headers
    assert server.sessions() == before


@ONE_SERVER
def test_the_secret_opens_a_session_and_the_sdk_client_works_with_it(server: Running) -> None:
    answer = _post(server, authorization=f"Bearer {server.secret}")
    assert answer.status_code == 200 and answer.headers.get("mcp-session-id")

    async def tools() -> set[str]:
        http = create_mcp_http_client(headers={"Authorization": f"Bearer {server.secret}"})
        async with http, Client(streamable_http_client(server.url, http_client=http)) as client:
            return {t.name for t in (await client.list_tools()).tools}

    # In a thread of its own: after this module's browser tests on the same worker, Playwright's
    # sync API still holds an event loop running in this one (asyncio allows one per thread).
    with ThreadPoolExecutor(1) as pool:
        assert "credits" in pool.submit(anyio.run, tools).result(timeout=120)


@ONE_SERVER
@pytest.mark.parametrize(
    "host",
    [
        "evil.test:{port}",  # a page that rebound its own name to 127.0.0.1
        "127.0.0.1.nip.io:{port}",
        "127.0.0.1:{other}",  # our address, another port: not what we bound
        "192.168.1.10:{port}",
        "",
    ],
)
def test_a_foreign_host_header_is_refused_even_with_the_secret(server: Running, host: str) -> None:
    value = host.format(port=server.port, other=server.port + 1)
    answer = _post(server, host=value, authorization=f"Bearer {server.secret}")
    assert answer.status_code == 403
    assert "mcp-session-id" not in answer.headers


@ONE_SERVER
@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://evil.test:8080", "null", "file://", "http://127.0.0.1.evil.test"],
)
def test_a_foreign_origin_is_refused_even_with_the_secret(server: Running, origin: str) -> None:
    answer = _post(server, origin=origin, authorization=f"Bearer {server.secret}")
    assert answer.status_code == 403


@ONE_SERVER
def test_localhost_names_and_loopback_origins_with_the_secret_are_served(server: Running) -> None:
    for headers in (
        {"host": f"localhost:{server.port}"},
        {"origin": "http://localhost:6274"},  # a local tool in a browser (MCP Inspector)
        {"origin": f"http://127.0.0.1:{server.port}"},
    ):
        answer = _post(server, authorization=f"Bearer {server.secret}", **headers)
        assert answer.status_code == 200, headers


@ONE_SERVER
def test_the_scheme_and_the_host_name_in_any_case_are_served(server: Running) -> None:
    """Round 20: both are case-insensitive (RFC 7235's auth scheme; host names), yet
    `bearer <secret>` got 401 and `Host: LOCALHOST:<port>` the SDK's 421."""
    for headers in (
        {"authorization": f"bearer {server.secret}"},
        {"authorization": f"BEARER {server.secret}"},
        {"authorization": f"Bearer {server.secret}", "host": f"LOCALHOST:{server.port}"},
        {"authorization": f"bearer {server.secret}", "host": f"LocalHost:{server.port}"},
    ):
        answer = _post(server, **headers)
        assert answer.status_code == 200 and answer.headers.get("mcp-session-id"), (headers, answer.text)


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@ONE_SERVER
def test_the_other_loopback_address_is_ours_too_while_we_run(server: Running) -> None:
    """Bound on ::1 beside 127.0.0.1: a client configured with localhost that tries ::1 first
    reaches this server, and no other account can listen there meanwhile."""
    if not _ipv6_loopback():
        pytest.skip("no ::1 here")
    answer = httpx.post(
        f"http://[::1]:{server.port}/mcp",
        json=INITIALIZE,
        headers={**MCP_HEADERS, "authorization": f"Bearer {server.secret}"},
        timeout=10,
    )
    assert answer.status_code == 200
    with socket.socket(socket.AF_INET6) as squatter, pytest.raises(OSError, match="in use"):
        squatter.bind(("::1", server.port))


def test_a_squatter_on_the_other_loopback_address_is_named_at_start(
    simulator: Simulator, tmp_path: Path
) -> None:
    if not _ipv6_loopback():
        pytest.skip("no ::1 here")
    port = _free_port()
    with socket.socket(socket.AF_INET6) as squatter:
        try:
            squatter.bind(("::1", port))
        except OSError:
            pytest.skip("that port is taken on ::1")
        squatter.listen(1)
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "NEMO_HOME": str(tmp_path / "state"),
            "NEMO_API_BASE": simulator.base_url,
            "NEMO_LANGUAGE": "en",
        }
        log = tmp_path / "server.log"
        with serve_http(env, port, log):
            secret = read_secret(tmp_path / "state")
            answer = httpx.post(
                f"http://127.0.0.1:{port}/mcp",
                json=INITIALIZE,
                headers={**MCP_HEADERS, "authorization": f"Bearer {secret}"},
                timeout=10,
            )
            assert answer.status_code == 200  # served on 127.0.0.1 all the same
        said = log.read_text(encoding="utf-8")
    assert f"another program listens on [::1]:{port}" in said
    assert f"point clients at http://127.0.0.1:{port}/mcp" in said


def test_rules_name_loopback_only() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.0.2", "example.com", "localhost.evil"))
    assert allowed_hosts("::1", 9) == {"[::1]:9", "localhost:9"}
    assert not loopback_origin("http://user@127.0.0.1:9")


# --- binding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com"])
def test_a_non_loopback_bind_is_refused_with_one_line_pointing_to_hosted_mode(
    host: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEMO_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("NEMO_LANGUAGE", "en")
    assert cli.main(["serve", "--http", "--host", host, "--port", str(_free_port())]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and host in err[0] and "--hosted" in err[0]
    assert not (tmp_path / "state" / SECRET_FILE).exists()  # refused before anything was made


def test_a_restart_is_not_refused_while_old_connections_linger(tmp_path: Path) -> None:
    """The port pre-check binds as uvicorn does (SO_REUSEADDR): TIME_WAIT is no 'port in use'."""
    port = _free_port()
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen()
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = listener.accept()
        accepted.close()  # the server side closes first: its end stays in TIME_WAIT
        client.close()
    cli._check_port("127.0.0.1", port)  # raises CliError ("already in use") without SO_REUSEADDR


# --- the secret file ----------------------------------------------------------------------------------


def test_the_secret_is_private_and_printed_alone_by_http_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEMO_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("NEMO_LANGUAGE", "en")
    assert cli.main(["http-secret"]) == 1  # none yet: says how one is made
    assert "serve --http" in capsys.readouterr().err
    secret = ensure_secret(tmp_path / "state")
    assert ensure_secret(tmp_path / "state") == secret  # created once
    path = tmp_path / "state" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(secret) >= 40
    assert cli.main(["http-secret"]) == 0
    assert capsys.readouterr().out == secret + "\n"


async def _no_app(scope: Any, receive: Any, send: Any) -> None:
    raise AssertionError("only the guard's verdict is asked here")


def test_a_secret_others_could_read_is_replaced_not_kept_and_a_planted_link_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home = tmp_path / "state"
    secret = ensure_secret(home)
    path = home / SECRET_FILE
    os.chmod(path, 0o644)  # a copy, a backup, an old version's umask: another account read it
    with caplog.at_level(logging.WARNING, logger="ai_video_music.httpsecret"):
        fresh = ensure_secret(home)
    assert fresh != secret and len(fresh) >= 40
    assert path.read_text(encoding="utf-8").strip() == fresh
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_secret(home) == fresh  # kept from now on
    # What the server started with from now on refuses the exposed value.
    guard = LocalOnly(_no_app, secret=fresh, hosts=allowed_hosts("127.0.0.1", 8765))
    leaked = Headers({"host": "127.0.0.1:8765", "authorization": f"Bearer {secret}"})
    assert guard.verdict(leaked) is not None
    said = caplog.text
    assert "readable by other accounts (mode 0644)" in said and "replaced by a new one" in said
    assert "ai-video-music install --client cursor --http" in said
    assert secret not in said and fresh not in said
    path.unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("y" * 43, encoding="utf-8")
    path.symlink_to(elsewhere)
    with pytest.raises(Exception, match="http-secret"):
        read_secret(home)


def test_a_secret_in_a_folder_others_can_write_is_replaced_and_the_folder_made_theirs_no_more(
    tmp_path: Path,
) -> None:
    home = tmp_path / "state"
    secret = ensure_secret(home)
    os.chmod(home, 0o777)  # anyone could have swapped the file in between
    fresh = read_secret(home)
    assert fresh and fresh != secret
    assert stat.S_IMODE(home.stat().st_mode) == 0o755
    assert ensure_secret(home) == fresh  # once: the folder no longer lets others in


def test_someone_elses_secret_file_is_replaced_by_one_of_ours(tmp_path: Path) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("needs root to give the file to another account")
    home = tmp_path / "state"
    planted = ensure_secret(home)
    os.chown(home / SECRET_FILE, 65534, 65534)  # nobody's, its value maybe chosen by them
    fresh = ensure_secret(home)
    assert fresh != planted
    assert (home / SECRET_FILE).stat().st_uid == os.geteuid()


def test_a_replaced_secret_is_written_into_the_host_configs_install_http_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NEMO_HOME", str(tmp_path / "state"))
    assert cli.main(["install", "--client", "cursor", "--http", "--port", "9300"]) == 0
    old = read_secret(tmp_path / "state")
    config = tmp_path / ".cursor" / "mcp.json"
    data = json.loads(config.read_text(encoding="utf-8"))
    data["mcpServers"]["other"] = {"url": "http://elsewhere/mcp", "headers": {"Authorization": "Bearer x"}}
    config.write_text(json.dumps(data), encoding="utf-8")
    os.chmod(tmp_path / "state" / SECRET_FILE, 0o644)
    capsys.readouterr()
    setup = cli._http_setup(Settings.from_env(), "127.0.0.1", _free_port())  # serve --http's first step
    said = capsys.readouterr().err  # the console script's log handler, set up by cli.main
    assert setup.secret != old
    servers = json.loads(config.read_text(encoding="utf-8"))["mcpServers"]
    ours = next(v for k, v in servers.items() if k != "other")
    assert ours["headers"]["Authorization"] == f"Bearer {setup.secret}"
    assert ours["url"] == "http://127.0.0.1:9300/mcp"
    assert servers["other"] == data["mcpServers"]["other"]  # someone else's entry untouched
    assert f"Updated with the new one: {config}." in said  # and only it: no other host had it
    assert not (tmp_path / ".claude.json").exists()
    assert old is not None and old not in said and setup.secret not in said


def test_a_stdio_server_replaces_an_exposed_secret_instead_of_tightening_it(tmp_path: Path) -> None:
    home = tmp_path / "state"
    secret = ensure_secret(home)
    os.chmod(home / SECRET_FILE, 0o640)
    cli._private_state(home)
    assert read_secret(home) != secret


@pytest.fixture
def other_user() -> Iterator[str]:
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root and useradd to make a second local account")
    runner = shutil.which("runuser") or shutil.which("su")
    if not runner:
        pytest.skip("no runuser or su")
    name = f"avm{uuid.uuid4().hex[:8]}"
    made = subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/sh", name], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"useradd failed: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], capture_output=True)


def _read_as(user: str, path: Path) -> subprocess.CompletedProcess[bytes]:
    runner = shutil.which("runuser")
    argv = [runner, "-u", user, "--", "cat", str(path)] if runner else ["su", user, "-c", f"cat '{path}'"]
    return subprocess.run(argv, capture_output=True, timeout=30)


def test_another_local_account_cannot_read_the_secret(other_user: str) -> None:
    pwd.getpwnam(other_user)
    # A state folder others may enter (the user's own choice, left as it is): only the file's
    # mode protects the secret, and a readable sibling proves the other account can read here.
    base = Path("/tmp") / f"avm-secret-{uuid.uuid4().hex[:8]}"
    base.mkdir(mode=0o755)
    try:
        os.chmod(base, 0o755)
        secret = ensure_secret(base)
        sibling = base / "public.txt"
        sibling.write_text("readable\n", encoding="utf-8")
        os.chmod(sibling, 0o644)
        assert _read_as(other_user, sibling).stdout == b"readable\n"
        attempt = _read_as(other_user, base / SECRET_FILE)
        assert attempt.returncode != 0
        assert secret.encode() not in attempt.stdout + attempt.stderr
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- another local account with the secret (it listened on our port while the server was down) ----

ASK_AS_ANOTHER = """
import http.client, json, sys
port, secret = int(sys.argv[1]), sys.stdin.read().strip()
forged = dict(h.split(": ", 1) for h in sys.argv[2:])  # "Name: value" headers of its choosing
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "x", "version": "1"}}})
conn.request("POST", "/mcp", body, {"Authorization": "Bearer " + secret, "Content-Type": "application/json",
                                    "Accept": "application/json, text/event-stream", **forged})
answer = conn.getresponse()
print(answer.status, answer.getheader("mcp-session-id"), answer.read().decode()[:300])
"""


def ask_as_another(server: Running, other_user: str, *headers: str) -> tuple[str, str, str]:
    """ASK_AS_ANOTHER run as ``other_user`` with the secret on stdin (never on a command line),
    ``headers`` added as it chooses: (status, session id, body)."""
    python = "/usr/bin/python3"  # the venv's interpreter may sit where the other account can't go
    if not os.access(python, os.X_OK):
        pytest.skip("no system python3 for the other account")
    account = pwd.getpwnam(other_user)
    asked = subprocess.run(
        [python, "-c", ASK_AS_ANOTHER, str(server.port), *headers],
        input=server.secret,
        capture_output=True,
        text=True,
        timeout=60,
        user=account.pw_uid,
        group=account.pw_gid,
        extra_groups=[],
        cwd="/",
    )
    assert asked.returncode == 0, asked.stderr
    status, session, body = asked.stdout.split(" ", 2)
    return status, session, body


@ONE_SERVER
def test_another_account_with_the_secret_is_refused_and_the_user_is_served(
    server: Running, other_user: str
) -> None:
    """The user's own client hands the secret to whoever listens on the port while the server is
    down; another local account that collected it that way gets nothing from the real server."""
    sessions = server.sessions()
    status, session, body = ask_as_another(server, other_user)
    assert (status, session) == ("403", "None"), body
    assert "account it runs as" in body
    account = pwd.getpwnam(other_user)
    assert server.sessions() == sessions
    said = server.log.read_text(encoding="utf-8")
    assert f"http.other_account: uid {account.pw_uid}" in said and server.secret not in said
    # The user's own client, with the same secret, is served.
    assert _post(server, authorization=f"Bearer {server.secret}").status_code == 200


FORWARDED = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


@ONE_SERVER
def test_a_forwarded_header_naming_the_users_own_connection_gets_another_account_nothing(
    server: Running, other_user: str
) -> None:
    """The other account reads /proc/net/tcp (world-readable), finds the client end of the
    user's open connection to the server, and names it in X-Forwarded-For: the server still asks
    who owns the real other end of the request's connection, and refuses."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as users_own:
        users_port = users_own.getsockname()[1]
        forged = [f"X-Forwarded-For: 127.0.0.1:{users_port}", f'Forwarded: for="127.0.0.1:{users_port}"']
        status, session, body = ask_as_another(server, other_user, *forged)
    assert (status, session) == ("403", "None"), body
    assert "account it runs as" in body


@ONE_SERVER
@pytest.mark.parametrize("header", FORWARDED)
def test_the_users_own_request_is_judged_by_its_connection_not_a_forwarded_header(
    server: Running, header: str
) -> None:
    """A forwarded header naming a connection that doesn't exist changes nothing for the user:
    the check looks up the request's own connection (no proxy ever sits in front of serve --http)."""
    value = 'for="127.0.0.1:1"' if header == "Forwarded" else "127.0.0.1:1"
    answer = _post(server, authorization=f"Bearer {server.secret}", **{header: value})
    assert answer.status_code == 200, answer.text


def _asgi_status(guard: LocalOnly, client: tuple[str, int], path: str = "/mcp", **headers: str) -> int:
    scope = {
        "type": "http",
        "path": path,
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "client": client,
        "server": ("127.0.0.1", 8765),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    # In a thread of its own: after the browser tests, Playwright's sync API holds a loop here.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, guard, scope, receive, send).result(timeout=30)
    return int(sent[0]["status"])


async def _served(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def test_the_connecting_accounts_uid_decides_after_the_secret() -> None:
    owners = {("127.0.0.1", 40001): os.getuid(), ("127.0.0.1", 40002): os.getuid() + 1000}
    guard = LocalOnly(
        _served,
        secret="s" * 43,
        hosts=allowed_hosts("127.0.0.1", 8765),
        owner=lambda client, server: owners.get(client),
    )
    good = {"host": "127.0.0.1:8765", "authorization": "Bearer " + "s" * 43}
    assert _asgi_status(guard, ("127.0.0.1", 40001), **good) == 200
    assert _asgi_status(guard, ("127.0.0.1", 40002), **good) == 403  # another account
    assert _asgi_status(guard, ("127.0.0.1", 40003), **good) == 403  # no such connection: unknown
    assert _asgi_status(guard, ("127.0.0.1", 40002), host="127.0.0.1:8765") == 401  # no secret first


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="Linux only")
@pytest.mark.parametrize("address", ["127.0.0.1", "::1"])
def test_our_own_connections_are_found_by_netlink_and_by_proc(address: str) -> None:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    try:
        listener = socket.socket(family)
        listener.bind((address, 0))
    except OSError:
        pytest.skip(f"no {address} here")
    with listener:
        listener.listen(1)
        with socket.create_connection(listener.getsockname()[:2]) as client:
            accepted, _ = listener.accept()
            with accepted:
                ends = (client.getsockname()[:2], accepted.getsockname()[:2])
                assert httpguard.socket_owner(*ends) == os.getuid()
                with contextlib.suppress(OSError):  # netlink may be closed to us (a container)
                    assert httpguard.diag_owner(*ends) == os.getuid()
                # The server's own end is not the client's: looked up the other way round, the
                # line found is the accepted socket's, never confused with the client's.
                gone = (address, 1)
                assert httpguard.socket_owner(gone, ends[1]) is None
                with contextlib.suppress(OSError):
                    assert httpguard.diag_owner(gone, ends[1]) is None


@pytest.mark.skipif(not os.path.exists("/proc/net/tcp"), reason="Linux only")
def test_a_connection_its_client_closed_has_no_owner_to_tell() -> None:
    """attack19 L2: once the client's process has closed its end (TIME_WAIT, FIN_WAIT2) the
    kernel reports it as uid 0: a server run as root took another account's request for its own.
    Such an end reads as "owner unknown", and so is refused, whoever the server runs as."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = socket.create_connection(listener.getsockname()[:2])
        accepted, _ = listener.accept()
        ends = (client.getsockname()[:2], accepted.getsockname()[:2])
        client.close()  # its FIN is sent: that end is no longer ESTABLISHED
        assert accepted.recv(1) == b""
        accepted.close()
        assert httpguard.socket_owner(*ends) is None
        with contextlib.suppress(OSError):  # netlink may be closed to us (a container)
            assert httpguard.diag_owner(*ends) is None


def test_only_an_established_lines_uid_is_read_from_procs_table(tmp_path: Path) -> None:
    """The same rule read from /proc/net/tcp's own format (state 06 is TIME_WAIT, owned by 0)."""
    client, server = ("127.0.0.1", 40001), ("127.0.0.1", 8765)
    local, remote = (httpguard._proc_address(*end)[1] for end in (client, server))

    def table(state: str, uid: int) -> dict[int, str]:
        path = tmp_path / f"tcp-{state}"
        header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
        line = f"   0: {local} {remote} {state} 00000000:00000000 00:00000000 00000000  {uid}  0 12345 1\n"
        path.write_text(header + line, encoding="utf-8")
        return {4: str(path)}

    assert httpguard.socket_owner(client, server, table("01", 1234)) == 1234
    assert httpguard.socket_owner(client, server, table("06", 0)) is None  # TIME_WAIT
    assert httpguard.socket_owner(client, server, table("05", 1234)) is None  # FIN_WAIT2


def test_where_nothing_tells_the_account_the_secret_alone_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not Linux, or WSL 1 (its /proc lists no sockets): today's behaviour, said once at start."""

    def no_netlink(*args: Any) -> int | None:
        raise OSError("no netlink")

    monkeypatch.setattr(httpguard, "diag_owner", no_netlink)
    assert httpguard.owner_check("127.0.0.1", {4: "/nonexistent", 6: "/nonexistent"}) is None
    if os.path.exists("/proc/net/tcp"):  # /proc's table is the fallback where netlink can't answer
        assert httpguard.owner_check("127.0.0.1") is not None


# --- the log: what a request writes into it --------------------------------------------------------


@ONE_SERVER
def test_a_refused_path_writes_no_escape_or_line_of_its_own_into_the_log(server: Running) -> None:
    """Any web page chooses the path of a request it gets refused (a no-cors fetch): its ESC
    (window title, screen clear, clipboard) and newlines (a forged line) are written escaped."""
    before = server.log.stat().st_size
    forged = 'INFO:     127.0.0.1:5555 - "POST /mcp HTTP/1.1" 200 OK'
    path = "/mcp%1b]0;owned%07%1b[2J%0a" + forged.replace(" ", "%20") + "%0a%e2%80%8b" + "x" * 500
    httpx.post(f"{server.url[: -len('/mcp')]}{path}", content=b"{}", headers={"origin": "http://127.0.0.1:9"})
    written = server.log.read_bytes()[before:]  # the line itself, or none (a few a minute)
    assert b"\x1b" not in written and b"\x07" not in written
    assert b"\n" + forged.encode() not in written
    assert "\u200b".encode() not in written


def test_a_refused_path_is_logged_escaped_and_capped(caplog: pytest.LogCaptureFixture) -> None:
    guard = LocalOnly(_served, secret="s" * 43, hosts=allowed_hosts("127.0.0.1", 8765))
    forged = 'INFO:     127.0.0.1:5555 - "POST /mcp HTTP/1.1" 200 OK'
    with caplog.at_level(logging.WARNING, logger="ai_video_music.httpguard"):
        status = _asgi_status(
            guard,
            ("127.0.0.1", 40001),
            path="/mcp\x1b]52;c;ZWNobw==\x07\n" + forged + "\u200b" + "x" * 500,
            host="127.0.0.1:8765",
        )
    assert status == 401
    (said,) = [r.getMessage() for r in caplog.records]
    assert said.startswith("refused an HTTP request to /mcp\\x1b]52;c;ZWNobw==\\x07\\n" + forged + "\\u200b")
    assert said.isprintable() and len(said) < 300


def test_refusals_are_logged_a_few_a_minute_then_counted(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    refusals = httpguard.RefusalLog(burst=5, window=60.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="ai_video_music.httpguard"):
        for _ in range(2000):  # a page's no-cors fetches
            refusals.refused("/mcp", 403, "http.bad_origin")
        assert len(caplog.records) == 5
        now[0] = 61.0
        refusals.refused("/mcp", 403, "http.bad_origin")  # a new minute: the count, then a line
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 7
    assert said[5] == "refused 1995 more HTTP requests in the last 60 s (the first 5 of a minute are logged)"
    assert said[6].startswith("refused an HTTP request to /mcp (403")


@ONE_SERVER
def test_a_flood_of_refused_requests_writes_a_few_lines(server: Running) -> None:
    before = server.log.stat().st_size
    with httpx.Client() as client:
        for _ in range(300):
            client.post(server.url, content=b"x", headers={"origin": "https://cats.example"})
    assert server.log.stat().st_size - before < 2_000  # was ~170 bytes a request


# --- a hostile page in a real browser --------------------------------------------------------------

ATTACK = """
async (target) => {
  const body = JSON.stringify(INITIALIZE_JSON);
  const out = {};
  try {  // a "simple" request: no preflight, but the answer is opaque
    const r = await fetch(target, {method: "POST", mode: "no-cors", body,
                                   headers: {"Content-Type": "text/plain"}});
    out.simple = r.type + ":" + r.status;
  } catch (e) { out.simple = "error"; }
  try {  // what a real MCP client sends, with a guessed secret: needs a preflight
    const r = await fetch(target, {method: "POST", body, headers: {
      "Content-Type": "application/json", "Accept": "application/json, text/event-stream",
      "Authorization": "Bearer guessed"}});
    out.custom = "status:" + r.status + ":" + (r.headers.get("mcp-session-id") || "");
  } catch (e) { out.custom = "error"; }
  return out;
}
""".replace("INITIALIZE_JSON", json.dumps(INITIALIZE))


class _Page(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = b"<!doctype html><title>cat pictures</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium(
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            # evil.test resolves to 127.0.0.1: the state after a DNS rebinding attack.
            "--host-resolver-rules=MAP evil.test 127.0.0.1",
            # Chromium's own Private Network Access guard would stop the rebound page first;
            # other browsers (and older Chromium) have none, so the server must hold alone.
            "--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,"
            "PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks",
        ]
    ) as browser:
        yield browser


@pytest.fixture(scope="module")
def hostile_site() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.browser
@ONE_SERVER  # the module's browser launched once, and its server started once
def test_a_page_on_another_loopback_origin_gets_nothing(
    server: Running, chromium: Any, hostile_site: int
) -> None:
    sessions = server.sessions()
    page = chromium.new_page()
    try:
        page.goto(f"http://127.0.0.1:{hostile_site}/", timeout=15_000)
        out = page.evaluate(ATTACK, server.url)
    finally:
        page.close()
    assert out["simple"] == "opaque:0"  # sent, refused (401), and unreadable anyway
    assert out["custom"] == "error"  # the preflight carries no secret: refused, so never sent
    # (An opaque answer is the server's: the request reached it. Its refusals are not counted in
    # the log: only the first few of a minute are written one by one.)
    assert server.sessions() == sessions


@pytest.mark.browser
@ONE_SERVER  # the module's browser launched once, and its server started once
def test_a_rebound_page_on_our_own_port_gets_403(server: Running, chromium: Any) -> None:
    """The page's origin is http://evil.test:<our port>: same-origin to the server after the
    rebinding, so the browser sends anything and lets the page read the answer."""
    sessions = server.sessions()
    origin = f"http://evil.test:{server.port}"
    page = chromium.new_page()
    try:
        # The first load of evil.test came from the attacker's machine; here Playwright serves it.
        page.route(
            f"{origin}/",
            lambda route: route.fulfill(status=200, content_type="text/html", body="<title>hi</title>"),
        )
        page.goto(f"{origin}/", timeout=15_000)
        out = page.evaluate(ATTACK, f"{origin}/mcp")
    finally:
        page.close()
    assert re.fullmatch(r"opaque:0|basic:403", out["simple"]), out
    assert out["custom"] == "status:403:", out
    assert server.sessions() == sessions
