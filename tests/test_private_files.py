"""State files are the user's only, whatever was there before: a token file left readable by
others (an older version, a copy, a umask) is made private the first time it is read."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from ai_video_music.fsutil import make_private
from ai_video_music.tokens import TOKEN_FILE, TokenCache, TokenRecord

from .conftest import server_command


def _write_token(home: Path, mode: int) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / TOKEN_FILE
    record = {"client_id": "c1", "token": "tok-" + "x" * 40, "expires_at": time.time() + 3600}
    path.write_text(json.dumps(record), encoding="utf-8")
    os.chmod(path, mode)
    return path


@pytest.mark.parametrize("mode", [0o644, 0o666, 0o640, 0o604])
def test_a_token_file_others_could_read_is_made_private_and_still_used(tmp_path: Path, mode: int) -> None:
    path = _write_token(tmp_path / "home", mode)
    record = TokenCache(tmp_path / "home").load()
    assert record is not None and record.usable() and record.client_id == "c1"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_saved_token_file_is_private_even_under_a_wide_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        TokenCache(tmp_path / "home").save(TokenRecord(client_id="c2", token="t" * 40))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "home" / TOKEN_FILE).stat().st_mode) == 0o600


def test_a_planted_link_at_the_token_path_is_not_followed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    target = _write_token(tmp_path / "elsewhere", 0o644)
    home.mkdir()
    (home / TOKEN_FILE).symlink_to(target)
    assert TokenCache(home).load() is None  # treated as absent: a fresh token is fetched
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # and the link's target is not touched


def test_make_private_tightens_own_files_and_leaves_links_and_fifos_alone(tmp_path: Path) -> None:
    wide = tmp_path / "store.db-wal"
    wide.write_bytes(b"journal")
    os.chmod(wide, 0o644)
    outside = tmp_path / "outside"
    outside.write_bytes(b"x")
    os.chmod(outside, 0o644)
    link = tmp_path / "token.json"
    link.symlink_to(outside)
    fifo = tmp_path / "store.db-shm"
    os.mkfifo(fifo)
    assert make_private([wide, link, fifo, tmp_path / "absent"]) == [wide]
    assert stat.S_IMODE(wide.stat().st_mode) == 0o600
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644


@pytest.mark.slow
def test_the_server_makes_state_files_left_readable_by_a_crash_private(tmp_path: Path) -> None:
    """A store journal left by a killed older version (0644) is private once the server starts."""
    home = tmp_path / "state"
    home.mkdir(mode=0o700)
    code = (
        "import os, sqlite3; os.umask(0o022); db = sqlite3.connect(r'%s');"
        "db.execute('PRAGMA journal_mode=WAL'); db.execute('create table leftover(x)');"
        "db.execute('insert into leftover values (1)'); db.commit(); os._exit(0)"
    ) % (home / "store.db")
    subprocess.run([sys.executable, "-c", code], check=True)
    _write_token(home, 0o644)
    wide = [p for p in home.iterdir() if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert {p.name for p in wide} >= {"store.db-wal", "store.db-shm", "token.json"}
    env = {
        "NEMO_HOME": str(home),
        "HOME": str(tmp_path),
        "NEMO_API_BASE": "http://127.0.0.1:9",
        "PATH": "/usr/bin:/bin",
    }

    async def start() -> None:
        command, *args = server_command()
        params = StdioServerParameters(command=command, args=args, env=env, cwd="/")
        with anyio.fail_after(60):
            async with Client(params) as client:
                await client.list_tools()

    anyio.run(start)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in home.iterdir() if p.is_file()), {
        p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in home.iterdir()
    }
