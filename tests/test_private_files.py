"""State files are the user's only, whatever was there before: a token file left readable by
others (an older version, a copy, a umask) is made private the first time it is read."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from ai_video_music.tokens import TOKEN_FILE, TokenCache, TokenRecord


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
