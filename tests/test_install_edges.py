"""`install` at the edges: a full disk, a config nested too deep, a FIFO where the config should
be, and `install --http` (a URL entry with the secret, never shown, never world-readable)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ai_video_music import cli, fsutil, installer
from ai_video_music.httpsecret import read_secret
from ai_video_music.installer import SERVER_KEY, InstallError, config_path, install
from ai_video_music.installhttp import install_http

CMD = "/opt/bin/ai-video-music"


def _install(home: Path) -> list[str]:
    return install("cursor", home=home, env={}, command=CMD, which=lambda _name: None)


def _one_line_failure(
    capsys: pytest.CaptureFixture[str], home: Path, monkeypatch: pytest.MonkeyPatch, client: str = "cursor"
) -> str:
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PATH", "/nonexistent")  # no host CLI (openclaw, claude): the file path is tested
    for name in ("OPENCLAW_STATE_DIR", "OPENCLAW_CONFIG_PATH", "OPENCLAW_PROFILE", "OPENCLAW_HOME"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["install", "--client", client]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    return err[0]


# --- a full disk -----------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs mounted at <tmp>/home/.cursor (root only; skipped elsewhere)."""
    folder = tmp_path / "home" / ".cursor"
    folder.mkdir(parents=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a tiny tmpfs")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"can't mount tmpfs: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_full_disk_leaves_no_cut_off_backup_and_the_config_as_it_was(
    tiny_disk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tiny_disk / "mcp.json"
    original = json.dumps({"mcpServers": {"other": {"command": "x", "args": ["y" * 40_000]}}}).encode()
    config.write_bytes(original)  # ~40 KB on a 64 KB disk: its backup can't fit
    line = _one_line_failure(capsys, tiny_disk.parent, monkeypatch)
    assert "full" in line and "nothing was changed" in line
    assert config.read_bytes() == original
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["mcp.json"]  # no backup, no temp file


def test_when_the_new_config_cant_be_written_its_backup_is_removed_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_path("cursor", tmp_path, {})
    config.parent.mkdir(parents=True)
    config.write_text('{"mcpServers": {}}', encoding="utf-8")
    real = fsutil.atomic_write_bytes
    calls: list[Path] = []

    def second_write_fails(path: Path, data: bytes, mode: int = 0o600, **kw: Any) -> None:
        calls.append(path)
        if len(calls) == 2:  # the backup went through; the config itself finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data, mode, **kw)

    monkeypatch.setattr("ai_video_music.installer.atomic_write_bytes", second_write_fails)
    with pytest.raises(InstallError, match="full"):
        _install(tmp_path)
    assert len(calls) == 2
    assert config.read_text(encoding="utf-8") == '{"mcpServers": {}}'
    assert sorted(p.name for p in config.parent.iterdir()) == ["mcp.json"]


# --- hostile configs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("client", ["cursor", "openclaw"])
@pytest.mark.parametrize(
    "nested",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 5_000 + "1" + "}" * 5_000,
    ],
    ids=["arrays", "objects"],
)
def test_a_deeply_nested_config_is_one_line(
    client: str,
    nested: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = config_path(client, tmp_path, {})
    config.parent.mkdir(parents=True)
    config.write_text(nested, encoding="utf-8")
    line = _one_line_failure(capsys, tmp_path, monkeypatch, client)
    assert "nested too deeply" in line
    assert config.read_text(encoding="utf-8") == nested


@pytest.mark.parametrize("client", ["cursor", "openclaw"])
def test_a_deep_plain_json_config_gets_our_entry_and_keeps_the_rest_byte_for_byte(
    client: str, tmp_path: Path
) -> None:
    config = config_path(client, tmp_path, {})
    config.parent.mkdir(parents=True)
    nested = '{"a":' * 500 + "1" + "}" * 500  # valid JSON, too deep for the JSON5 parser's walk
    config.write_text(nested, encoding="utf-8")
    install(client, home=tmp_path, env={}, command=CMD, which=lambda _name: None)
    text = config.read_text(encoding="utf-8")
    assert text.startswith(nested[:-1]) and json.loads(text)["a"] == json.loads(nested)["a"]


def test_a_fifo_at_the_config_path_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this OS")
    config = config_path("cursor", tmp_path, {})
    config.parent.mkdir(parents=True)
    os.mkfifo(config)
    outcome: dict[str, Any] = {}
    # A blocking open would wait for a writer for ever: run it where a hang can be seen, not suffered.
    worker = threading.Thread(
        target=lambda: outcome.update(line=_one_line_failure(capsys, tmp_path, monkeypatch)), daemon=True
    )
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():
        with open(config, "wb"):  # free the stuck reader, then fail
            pass
        pytest.fail("install blocked on the FIFO")
    assert "not a regular file" in outcome["line"]
    assert stat.S_ISFIFO(config.lstat().st_mode)  # left as it was
    assert list(config.parent.iterdir()) == [config]


def _no_json5(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls into the (pure Python, minutes over megabytes) JSON5 parser."""
    calls: list[int] = []
    for name in ("loads", "parse"):
        real = getattr(installer.json5, name)

        def counted(text: str, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            calls.append(len(text))
            return _real(text, *args, **kwargs)

        monkeypatch.setattr(installer.json5, name, counted)
    return calls


@pytest.mark.parametrize("client", ["cursor", "openclaw"])
def test_a_large_plain_json_config_is_read_without_the_json5_parser(
    client: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_path(client, tmp_path, {})
    config.parent.mkdir(parents=True)
    keys = ("mcp", "servers") if client == "openclaw" else ("mcpServers",)
    data: dict[str, Any] = {"x": "a" * 3_000_000}
    node = data
    for key in keys:
        node = node.setdefault(key, {})
    node["other"] = {"command": "x"}
    config.write_text(json.dumps(data), encoding="utf-8")
    calls = _no_json5(monkeypatch)
    monkeypatch.setenv("PATH", "/nonexistent")  # no host CLI: the file is edited
    install(client, home=tmp_path, env={}, command=CMD, which=lambda _name: None)
    assert not [n for n in calls if n > installer.MAX_JSON5_CHARS]  # never over the big file
    written = json.loads(config.read_text(encoding="utf-8"))
    servers = written
    for key in keys:
        servers = servers[key]
    assert set(servers) == {"other", SERVER_KEY} and written["x"] == data["x"]


def test_a_large_config_that_is_not_plain_json_is_one_line_and_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_path("openclaw", tmp_path, {})
    config.parent.mkdir(parents=True)
    body = "// JSON5\n{mcp: {servers: {}}, x: '" + "a" * 3_000_000 + "'}"
    config.write_text(body, encoding="utf-8")
    calls = _no_json5(monkeypatch)
    line = _one_line_failure(capsys, tmp_path, monkeypatch, "openclaw")
    assert "over 1 MB" in line and "nothing was changed" in line
    assert not calls and config.read_text(encoding="utf-8") == body


BIG_PAD = '"projects": {' + ",".join(f'"/p/{i}": {{"history": "{"x" * 1000}"}}' for i in range(1100)) + "}"
JSON_ONLY_SPELLINGS = [
    '"limit": 1e400',  # valid JSON (a host's JSON.parse reads Infinity): never written as Infinity
    '"note": "cut emoji \\ud83d"',  # an escaped lone surrogate: no UTF-8 for it, keep the escape
    '"a": 1E2, "b": 0.10000000000000000555, "c": -0, "d": 1.0e-7',
]


@pytest.mark.parametrize("size", ["small", "over-1MB"])
@pytest.mark.parametrize("member", JSON_ONLY_SPELLINGS, ids=["1e400", "lone-surrogate", "spellings"])
@pytest.mark.parametrize("client", ["claude-code", "openclaw"])
def test_every_byte_outside_our_entry_is_kept_whatever_the_configs_size(
    client: str, member: str, size: str, tmp_path: Path
) -> None:
    config = config_path(client, tmp_path, {})
    config.parent.mkdir(parents=True, exist_ok=True)
    head = "{\n  " + (BIG_PAD + ",\n  " if size != "small" else "") + member
    config.write_text(head + "\n}\n", encoding="utf-8")
    assert (len(head) > installer.MAX_JSON5_CHARS) == (size != "small")
    install(client, home=tmp_path, env={}, command=CMD, which=lambda _name: None)
    text = config.read_text(encoding="utf-8")
    assert text.startswith(head)
    keys = ("mcp", "servers") if client == "openclaw" else ("mcpServers",)
    node = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} written"))
    for key in keys:
        node = node[key]
    assert node[SERVER_KEY]["command"] == CMD


@pytest.mark.parametrize("size", ["small", "over-1MB"])
def test_a_lone_surrogate_in_our_own_entry_is_written_as_its_escape(size: str, tmp_path: Path) -> None:
    config = config_path("cursor", tmp_path, {})
    config.parent.mkdir(parents=True)
    entry = '{"command": "old", "note": "cut \\ud83d emoji", "n": 1E2}'
    pad = (BIG_PAD + ", ") if size != "small" else ""
    config.write_text("{" + pad + '"mcpServers": {"' + SERVER_KEY + '": ' + entry + "}}", encoding="utf-8")
    _install(tmp_path)
    text = config.read_text(encoding="utf-8")
    assert '"cut \\ud83d emoji"' in text
    assert json.loads(text)["mcpServers"][SERVER_KEY]["note"] == "cut \ud83d emoji"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_config_that_could_only_be_kept_by_respelling_numbers_is_refused_in_one_line(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_path("cursor", tmp_path, {})
    config.parent.mkdir(parents=True)
    body = '{"limit": 1e400, "a": 1E2, "mcpServers": {}}'
    config.write_text(body, encoding="utf-8")

    def broken(*_args: Any, **_kwargs: Any) -> str:
        raise ValueError("the layout-keeping edit failed")

    monkeypatch.setattr(installer, "_edit_span", broken)  # the whole-file fallback is all that's left
    monkeypatch.setenv("NEMO_LANGUAGE", lang)
    line = _one_line_failure(capsys, tmp_path, monkeypatch)
    assert str(config) in line and ("安装失败" in line if lang == "zh" else "nothing was changed" in line)
    assert config.read_text(encoding="utf-8") == body and not list(config.parent.glob("*.bak-*"))


def test_the_whole_file_fallback_still_rewrites_a_config_it_can_keep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_path("cursor", tmp_path, {})
    config.parent.mkdir(parents=True)
    config.write_text('{"n": 1, "f": 2.5, "s": "\\ud83d", "mcpServers": {}}', encoding="utf-8")
    monkeypatch.setattr(installer, "_edit_span", lambda *_a, **_k: "")
    lines = _install(tmp_path)
    assert any("rewritten" in line for line in lines)
    data = json.loads(config.read_text(encoding="utf-8"))
    assert data["n"] == 1 and data["f"] == 2.5 and data["s"] == "\ud83d"


def test_two_installs_in_the_same_second_keep_the_users_original_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain install, then `install --http`, within one second: each backup has a name of its
    own, so the user's hand-written config survives in the first."""
    config = config_path("cursor", tmp_path, {})
    config.parent.mkdir(parents=True)
    original = '{"mcpServers": {"mine": {"command": "/opt/mine"}}, "note": "hand-written"}\n'
    config.write_text(original, encoding="utf-8")
    monkeypatch.setattr(installer.time, "strftime", lambda fmt, *a: "20260101-120000")
    _install(tmp_path)
    install_http("cursor", home=tmp_path, env={"NEMO_HOME": str(tmp_path / "state")})
    backups = sorted(p.name for p in config.parent.iterdir() if ".bak-" in p.name)
    assert backups == ["mcp.json.bak-20260101-120000", "mcp.json.bak-20260101-120000-2"]
    first = (config.parent / backups[0]).read_text(encoding="utf-8")
    assert first == original
    second = json.loads((config.parent / backups[1]).read_text(encoding="utf-8"))
    assert second["mcpServers"][SERVER_KEY]["command"] == CMD  # the first install's config


def test_a_backup_is_private_whatever_the_configs_mode(tmp_path: Path) -> None:
    config = config_path("cursor", tmp_path, {})
    config.parent.mkdir(parents=True)
    config.write_text('{"mcpServers": {"other": {"command": "x", "env": {"TOKEN": "t"}}}}', encoding="utf-8")
    config.chmod(0o644)
    _install(tmp_path)
    (saved,) = [p for p in config.parent.iterdir() if ".bak-" in p.name]
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert json.loads(saved.read_text(encoding="utf-8"))["mcpServers"] == {
        "other": {"command": "x", "env": {"TOKEN": "t"}}
    }


# --- install --http -------------------------------------------------------------------------------


@pytest.mark.parametrize("client", ["cursor", "claude-code"])
def test_install_http_writes_url_and_secret_privately_and_never_shows_it(client: str, tmp_path: Path) -> None:
    env = {"NEMO_HOME": str(tmp_path / "state")}
    config = config_path(client, tmp_path, env)
    config.parent.mkdir(parents=True, exist_ok=True)
    stdio = {"command": CMD, "args": [], "env": {"NEMO_SKILL_PLATFORM": "cursor"}, "timeout": 30}
    config.write_text(
        json.dumps({"mcpServers": {SERVER_KEY: stdio, "other": {"url": "x"}}}), encoding="utf-8"
    )
    config.chmod(0o644)

    preview = install_http(client, port=9123, dry_run=True, home=tmp_path, env=env)
    secret = read_secret(tmp_path / "state")
    assert secret and secret not in "\n".join(preview) and "<secret>" in "\n".join(preview)
    lines = install_http(client, port=9123, home=tmp_path, env=env)
    assert secret not in "\n".join(lines)

    servers = json.loads(config.read_text(encoding="utf-8"))["mcpServers"]
    expected = {
        "timeout": 30,
        "url": "http://127.0.0.1:9123/mcp",
        "headers": {"Authorization": f"Bearer {secret}"},
    }
    if client == "claude-code":
        expected["type"] = "http"
    assert servers[SERVER_KEY] == expected and servers["other"] == {"url": "x"}
    assert stat.S_IMODE(config.stat().st_mode) == 0o600  # it holds a secret now
    assert install_http(client, port=9123, home=tmp_path, env=env) == [
        f"{config}: already up to date, nothing changed."
    ]


def test_install_http_is_for_url_capable_hosts_only(tmp_path: Path) -> None:
    with pytest.raises(InstallError, match="--http works with"):
        install_http("claude-desktop", home=tmp_path, env={"NEMO_HOME": str(tmp_path / "s")})
    assert not (tmp_path / "s").exists()


def test_install_http_from_the_command_line_never_prints_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NEMO_HOME", str(tmp_path / "state"))
    assert cli.main(["install", "--client", "cursor", "--http", "--port", "9200", "--dry-run"]) == 0
    assert cli.main(["install", "--client", "cursor", "--http", "--port", "9200"]) == 0
    secret = read_secret(tmp_path / "state")
    printed = capsys.readouterr()
    assert secret and secret not in printed.out + printed.err
    assert "http://127.0.0.1:9200/mcp" in printed.out
    entry = json.loads((tmp_path / ".cursor" / "mcp.json").read_text(encoding="utf-8"))["mcpServers"][
        SERVER_KEY
    ]
    assert entry["headers"]["Authorization"] == f"Bearer {secret}"
    assert cli.main(["install", "--client", "openclaw", "--http"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--http works with" in err[0]
