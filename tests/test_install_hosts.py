"""`install --client` checked with the hosts' own CLIs (from npm; .ci/run installs them).

Each test runs the real `openclaw` / `claude` against an empty home folder, so nothing of the
machine's own configuration is read or touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import json5
import pytest

from ai_video_music.installer import SERVER_KEY, install

pytestmark = pytest.mark.slow
CMD = "/opt/bin/ai-video-music"


def host(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not on PATH; .ci/run installs it from npm")
    pytest.skip(f"{name} is not installed (npm)")


def clean_env(home: Path) -> dict[str, str]:
    keep = ("PATH", "LANG", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS")
    return {k: os.environ[k] for k in keep if k in os.environ} | {"HOME": str(home), "NO_COLOR": "1"}


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=180, check=False)


def test_openclaw_skill_is_ready_after_install(tmp_path: Path) -> None:
    openclaw = host("openclaw")
    env = clean_env(tmp_path)
    lines = install("openclaw", home=tmp_path, env=env, command=CMD)
    assert any("openclaw mcp set" in line for line in lines), lines  # its own CLI wrote the entry
    info = run([openclaw, "skills", "info", SERVER_KEY, "--json"], env)
    assert info.returncode == 0, info.stderr
    skill = json.loads(info.stdout)
    assert skill["eligible"] is True, skill.get("missing")
    shown = run([openclaw, "mcp", "show", SERVER_KEY], env)
    assert CMD in shown.stdout


def test_openclaw_reads_our_edit_of_a_commented_symlinked_json5_config(tmp_path: Path) -> None:
    openclaw = host("openclaw")
    env = clean_env(tmp_path)
    real = tmp_path / "dotfiles" / "openclaw.json"
    real.parent.mkdir()
    real.write_text(
        "// kept\n{\n  gateway: { port: 18789, },\n"
        "  mcp: { servers: { other: { command: 'other' }, }, },\n}\n",
        encoding="utf-8",
    )
    link = tmp_path / ".openclaw" / "openclaw.json"
    link.parent.mkdir()
    link.symlink_to(real)
    install("openclaw", home=tmp_path, env=env, command=CMD)
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("// kept\n")
    listed = run([openclaw, "mcp", "show", SERVER_KEY], env)
    assert listed.returncode == 0 and CMD in listed.stdout, listed.stderr
    assert json5.loads(real.read_text(encoding="utf-8"))["mcp"]["servers"]["other"] == {"command": "other"}


def test_openclaw_profile_and_state_dir_are_where_openclaw_looks(tmp_path: Path) -> None:
    openclaw = host("openclaw")
    env = clean_env(tmp_path) | {"OPENCLAW_STATE_DIR": str(tmp_path / "state")}
    install("openclaw", home=tmp_path, env=env, command=CMD, which=lambda _n: None)  # file edit
    shown = run([openclaw, "mcp", "show", SERVER_KEY], env)
    assert CMD in shown.stdout, shown.stderr
    env = clean_env(tmp_path)
    install("openclaw", home=tmp_path, env=env, command=CMD, profile="work", which=lambda _n: None)
    shown = run([openclaw, "--profile", "work", "mcp", "show", SERVER_KEY], env)
    assert CMD in shown.stdout, shown.stderr


def test_claude_code_lists_the_server_after_install_with_a_moved_config(tmp_path: Path) -> None:
    claude = host("claude")
    env = clean_env(tmp_path) | {"CLAUDE_CONFIG_DIR": str(tmp_path / "claude")}
    (tmp_path / "claude").mkdir()
    lines = install("claude-code", home=tmp_path, env=env, command=CMD)
    assert any("claude mcp" in line for line in lines), lines
    again = install("claude-code", home=tmp_path, env=env, command=CMD)
    assert all("nothing changed" in line for line in again)
    got = run([claude, "mcp", "get", SERVER_KEY], env)
    assert CMD in got.stdout, got.stdout + got.stderr
    assert (tmp_path / "claude" / ".claude.json").is_file() and not (tmp_path / ".claude.json").exists()
