"""`install --client`: the right file per host, nothing of the user's lost, the host's CLI preferred."""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import json5
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_video_music.installer import (
    CLIENTS,
    PLATFORM_OF,
    SERVER_KEY,
    InstallError,
    config_path,
    install,
    merged_entry,
    plan_config,
)

CMD = "/opt/bin/ai-video-music"


def no_cli(_name: str) -> None:
    return None


def servers_of(client: str, data: dict[str, Any]) -> dict[str, Any]:
    return data["mcp"]["servers"] if client == "openclaw" else data["mcpServers"]


def run_install(client: str, home: Path, env: Mapping[str, str] | None = None, **kw: Any) -> list[str]:
    return install(client, home=home, env=env or {}, command=CMD, which=no_cli, **kw)


@pytest.mark.parametrize("client", CLIENTS)
def test_install_merges_keeps_other_entries_backs_up_and_is_idempotent(client: str, tmp_path: Path) -> None:
    path = config_path(client, tmp_path, {})
    path.parent.mkdir(parents=True, exist_ok=True)
    existing: dict[str, Any] = {"theme": "dark"}
    node = existing
    for k in ("mcp", "servers") if client == "openclaw" else ("mcpServers",):
        node = node.setdefault(k, {})
    node["other-server"] = {"command": "other", "args": ["--x"]}
    node[SERVER_KEY] = {"command": "old", "env": {"NEMO_OUTPUT_DIR": "/keep/me"}, "timeout": 30}
    path.write_text(json.dumps(existing, indent=4), encoding="utf-8")
    path.chmod(0o640)

    lines = run_install(client, tmp_path)
    assert any("backup" in line for line in lines)
    merged = json.loads(path.read_text(encoding="utf-8"))
    assert merged["theme"] == "dark"
    assert servers_of(client, merged)["other-server"] == {"command": "other", "args": ["--x"]}
    env = {"NEMO_OUTPUT_DIR": "/keep/me"} | (
        {"NEMO_SKILL_PLATFORM": PLATFORM_OF[client]} if client in PLATFORM_OF else {}
    )
    assert servers_of(client, merged)[SERVER_KEY] == {"command": CMD, "args": [], "env": env, "timeout": 30}
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    backups = list(path.parent.glob(path.name + ".bak-*"))
    assert len(backups) == 1 and json.loads(backups[0].read_text(encoding="utf-8")) == existing

    again = run_install(client, tmp_path)
    assert all("nothing changed" in line for line in again)
    assert len(list(path.parent.glob(path.name + ".bak-*"))) == 1


def test_only_our_entry_changes_in_an_openclaw_json5_config(tmp_path: Path) -> None:
    original = """// my OpenClaw config
{
  gateway: { port: 18789, },  // the gateway
  mcp: {
    servers: {
      other: { command: 'other', args: ["--x"], },  /* keep me */
    },
  },
}
"""
    path = tmp_path / ".openclaw" / "openclaw.json"
    path.parent.mkdir()
    path.write_text(original, encoding="utf-8")
    run_install("openclaw", tmp_path)
    text = path.read_text(encoding="utf-8")
    # Every line of the user's file is still there, in order; ours came in before the closing braces.
    lines = text.splitlines()
    positions = [lines.index(line) for line in original.splitlines()]
    assert positions == sorted(positions)
    data = json5.loads(text)
    assert data["gateway"] == {"port": 18789}
    assert data["mcp"]["servers"][SERVER_KEY]["command"] == CMD
    assert data["mcp"]["servers"]["other"] == {"command": "other", "args": ["--x"]}


def test_an_existing_entry_is_replaced_in_place_keeping_its_own_keys_and_args(tmp_path: Path) -> None:
    path = tmp_path / ".openclaw" / "openclaw.json"
    path.parent.mkdir()
    path.write_text(
        "{\n  mcp: { servers: {\n"
        f'    "{SERVER_KEY}": {{ command: "/old/ai-video-music", args: ["-v"], cwd: "/w" }}, // mine\n'
        '    after: { command: "x" },\n  } },\n}\n',
        encoding="utf-8",
    )
    run_install("openclaw", tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "// mine" in text and 'after: { command: "x" },' in text
    entry = json5.loads(text)["mcp"]["servers"][SERVER_KEY]
    assert entry == {"command": CMD, "args": ["-v"], "cwd": "/w", "env": {"NEMO_SKILL_PLATFORM": "clawhub"}}


def test_another_launchers_args_are_dropped_with_it(tmp_path: Path) -> None:
    path = tmp_path / ".cursor" / "mcp.json"
    path.parent.mkdir()
    old = {"command": "uvx", "args": ["ai-video-generator-free-music"], "env": {"NEMO_TOKEN": "x"}}
    path.write_text(json.dumps({"mcpServers": {SERVER_KEY: old}}), encoding="utf-8")
    run_install("cursor", tmp_path)
    entry = json.loads(path.read_text(encoding="utf-8"))["mcpServers"][SERVER_KEY]
    assert entry["args"] == [] and entry["env"]["NEMO_TOKEN"] == "x"


def test_bom_and_crlf_are_kept(tmp_path: Path) -> None:
    path = tmp_path / ".cursor" / "mcp.json"
    path.parent.mkdir()
    path.write_bytes('\ufeff{\r\n  "mcpServers": {\r\n    "a": {"command": "a"}\r\n  }\r\n}\r\n'.encode())
    run_install("cursor", tmp_path)
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\n" not in raw.replace(b"\r\n", b"")
    assert SERVER_KEY in json.loads(raw.decode("utf-8-sig"))["mcpServers"]


def test_a_symlinked_config_is_written_through(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles" / "openclaw.json"
    dotfiles.parent.mkdir()
    dotfiles.write_text('{ "gateway": {} }', encoding="utf-8")
    link = tmp_path / ".openclaw" / "openclaw.json"
    link.parent.mkdir()
    link.symlink_to(dotfiles)
    run_install("openclaw", tmp_path)
    assert link.is_symlink() and link.resolve() == dotfiles
    assert SERVER_KEY in json5.loads(dotfiles.read_text(encoding="utf-8"))["mcp"]["servers"]


def test_strict_json_hosts_refuse_what_they_would_refuse_and_nothing_is_written(tmp_path: Path) -> None:
    path = config_path("claude-desktop", tmp_path, {}, "linux")
    path.parent.mkdir(parents=True)
    path.write_text('{"mcpServers": {},}', encoding="utf-8")  # Claude Desktop rejects a trailing comma
    with pytest.raises(InstallError, match=r"isn't valid JSON.*nothing was changed"):
        install(
            "claude-desktop",
            home=tmp_path,
            env={"XDG_CONFIG_HOME": str(tmp_path / ".config")},
            command=CMD,
            which=no_cli,
        )
    assert path.read_text(encoding="utf-8") == '{"mcpServers": {},}'


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    lines = run_install("cursor", tmp_path, dry_run=True)
    assert "+++" in lines[0] and f'"{SERVER_KEY}"' in lines[0]
    assert not (tmp_path / ".cursor").exists()


def test_openclaw_install_also_places_the_skill(tmp_path: Path) -> None:
    run_install("openclaw", tmp_path)
    skill = tmp_path / ".openclaw" / "skills" / SERVER_KEY / "SKILL.md"
    root = Path(__file__).resolve().parents[1]
    assert skill.read_text(encoding="utf-8") == (root / "SKILL.md").read_text(encoding="utf-8")


# --- where ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("darwin", "Library/Application Support/Claude/claude_desktop_config.json"),
        ("linux", ".config/Claude/claude_desktop_config.json"),
        ("win32", "AppData/Roaming/Claude/claude_desktop_config.json"),
    ],
)
def test_claude_desktop_config_location_per_os(platform: str, expected: str, tmp_path: Path) -> None:
    assert config_path("claude-desktop", tmp_path, {}, platform) == tmp_path / expected


def test_windows_msix_claude_desktop_is_used_when_installed(tmp_path: Path) -> None:
    env = {"LOCALAPPDATA": str(tmp_path / "Local"), "APPDATA": str(tmp_path / "Roaming")}
    assert config_path("claude-desktop", tmp_path, env, "win32").parent == tmp_path / "Roaming" / "Claude"
    (tmp_path / "Local" / "Packages" / "Claude_pzs8sxrjxfjjc").mkdir(parents=True)
    assert config_path("claude-desktop", tmp_path, env, "win32") == (
        tmp_path / "Local/Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude/claude_desktop_config.json"
    )


def test_moved_configs_are_followed(tmp_path: Path) -> None:
    assert config_path("claude-code", tmp_path, {"CLAUDE_CONFIG_DIR": "/c"}) == Path("/c/.claude.json")
    assert config_path("openclaw", tmp_path, {"OPENCLAW_STATE_DIR": "/s"}) == Path("/s/openclaw.json")
    assert (
        config_path("openclaw", tmp_path, {"OPENCLAW_PROFILE": "work"})
        == tmp_path / ".openclaw-work/openclaw.json"
    )
    assert config_path("openclaw", tmp_path, {}, profile="dev") == tmp_path / ".openclaw-dev/openclaw.json"
    assert (
        config_path("openclaw", tmp_path, {"OPENCLAW_PROFILE": "default"})
        == tmp_path / ".openclaw/openclaw.json"
    )
    assert config_path("openclaw", tmp_path, {"OPENCLAW_CONFIG_PATH": "/x.json5"}) == Path("/x.json5")
    # An explicit state folder wins over a profile, as in OpenClaw.
    env = {"OPENCLAW_STATE_DIR": "/s", "OPENCLAW_PROFILE": "work"}
    assert config_path("openclaw", tmp_path, env) == Path("/s/openclaw.json")


def test_a_profiles_skill_goes_to_that_profiles_state(tmp_path: Path) -> None:
    run_install("openclaw", tmp_path, profile="work")
    assert (tmp_path / ".openclaw-work" / "openclaw.json").is_file()
    assert (tmp_path / ".openclaw-work" / "skills" / SERVER_KEY / "SKILL.md").is_file()
    assert not (tmp_path / ".openclaw").exists()


# --- refusing a vanishing command ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "env", "tool"),
    [
        (".cache/uv/archive-v0/abc/bin/ai-video-music", {}, "uv"),
        ("custom-uv/archive-v0/x/bin/ai-video-music", {"UV_CACHE_DIR": "custom-uv"}, "uv"),
        (".cache/pip/x/ai-video-music", {}, "pip"),
        (".npm/_npx/1/node_modules/.bin/ai-video-music", {}, "npm"),
    ],
)
def test_a_command_inside_a_package_cache_is_refused_with_what_to_do(
    command: str, env: dict[str, str], tool: str, tmp_path: Path
) -> None:
    env = {k: str(tmp_path / v) for k, v in env.items()}
    with pytest.raises(InstallError) as info:
        install("cursor", home=tmp_path, env=env, command=str(tmp_path / command), which=no_cli)
    message = str(info.value)
    assert f"{tool}'s cache" in message and "uv tool install" in message and "Nothing was changed" in message
    assert not (tmp_path / ".cursor").exists()


# --- the host's own CLI ---------------------------------------------------------------------------


class FakeHost:
    """Records the host CLI calls; on success writes what the real CLI would."""

    def __init__(self, path: Path, client: str, fail: bool = False) -> None:
        self.path, self.client, self.fail = path, client, fail
        self.calls: list[tuple[list[str], dict[str, str]]] = []

    def which(self, name: str) -> str:
        return f"/usr/bin/{name}"

    def run(self, argv: Sequence[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
        self.calls.append((list(argv), dict(env)))
        if self.fail:
            return subprocess.CompletedProcess(argv, 1, "", "boom: config locked\n")
        if argv[2] in ("add-json", "set"):
            data = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
            servers = servers_of(self.client, data) if data else None
            if servers is None:
                keys = ("mcp", "servers") if self.client == "openclaw" else ("mcpServers",)
                node = data
                for k in keys:
                    node = node.setdefault(k, {})
                servers = node
            servers[SERVER_KEY] = json.loads(argv[-1])
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(data), encoding="utf-8")
        return subprocess.CompletedProcess(argv, 0, "", "")


def test_claude_code_is_registered_with_claude_mcp_add_json(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / ".claude.json"
    host = FakeHost(path, "claude-code")
    lines = install(
        "claude-code",
        home=tmp_path,
        env={"CLAUDE_CONFIG_DIR": str(path.parent)},
        command=CMD,
        which=host.which,
        run=host.run,
    )
    ((argv, env),) = host.calls
    assert argv[:6] == ["/usr/bin/claude", "mcp", "add-json", "--scope", "user", SERVER_KEY]
    assert json.loads(argv[6])["command"] == CMD and env["CLAUDE_CONFIG_DIR"] == str(path.parent)
    assert "claude mcp" in lines[0]


def test_an_existing_claude_code_entry_is_removed_then_added_with_its_own_keys(tmp_path: Path) -> None:
    path = tmp_path / ".claude.json"
    path.write_text(
        json.dumps({"mcpServers": {SERVER_KEY: {"command": "old", "timeout": 9}}}), encoding="utf-8"
    )
    host = FakeHost(path, "claude-code")
    install("claude-code", home=tmp_path, env={}, command=CMD, which=host.which, run=host.run)
    assert [c[0][2] for c in host.calls] == ["remove", "add-json"]
    assert json.loads(host.calls[1][0][6])["timeout"] == 9


def test_openclaw_set_gets_the_profile_and_a_failing_cli_falls_back_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / ".openclaw-work" / "openclaw.json"
    host = FakeHost(path, "openclaw", fail=True)
    lines = install(
        "openclaw", home=tmp_path, env={}, command=CMD, profile="work", which=host.which, run=host.run
    )
    ((argv, env),) = host.calls
    assert argv[1:4] == ["mcp", "set", SERVER_KEY] and env["OPENCLAW_PROFILE"] == "work"
    assert any("boom: config locked" in line and "instead" in line for line in lines)
    assert json5.loads(path.read_text(encoding="utf-8"))["mcp"]["servers"][SERVER_KEY]["command"] == CMD


@pytest.mark.parametrize("layout", ["comments", "symlink"])
def test_openclaws_cli_is_not_used_where_it_would_lose_comments_or_the_symlink(
    layout: str, tmp_path: Path
) -> None:
    path = tmp_path / ".openclaw" / "openclaw.json"
    path.parent.mkdir()
    text = "{ // mine\n}\n" if layout == "comments" else "{}\n"
    if layout == "symlink":
        (tmp_path / "real.json").write_text(text, encoding="utf-8")
        path.symlink_to(tmp_path / "real.json")
    else:
        path.write_text(text, encoding="utf-8")
    host = FakeHost(path, "openclaw")
    install("openclaw", home=tmp_path, env={}, command=CMD, which=host.which, run=host.run)
    assert host.calls == []
    assert path.read_text(encoding="utf-8").startswith("{ // mine" if layout == "comments" else "{")


# --- the span editor against random configs ------------------------------------------------------

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | names,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    other=st.dictionaries(names, values, max_size=4),
    servers=st.dictionaries(names, st.dictionaries(names, values, max_size=2), max_size=3),
    indent=st.sampled_from([None, 2, 4, "\t"]),
    ours=st.booleans(),
)
def test_the_span_edit_gives_exactly_the_intended_data(
    tmp_path: Path, other: dict[str, Any], servers: dict[str, Any], indent: Any, ours: bool
) -> None:
    if ours:
        servers = {**servers, SERVER_KEY: {"command": "old", "extra": [1, 2]}}
    config = {**other, "mcpServers": servers}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config, indent=indent, ensure_ascii=False), encoding="utf-8")
    change = plan_config("cursor", path, CMD)
    assert change.note == "", "the layout-keeping edit fell back to a rewrite"
    after = json.loads(change.after)
    assert after == {**other, "mcpServers": {**servers, SERVER_KEY: change.entry}}


# --- no secret on a command line (a host CLI's argv is readable by every local account) ----------

SECRET = "nemo_not_a_real_token_0123456789"


@pytest.mark.parametrize("client", ["claude-code", "openclaw"])
@pytest.mark.parametrize(
    "previous",
    [
        {"command": "/old/venv/bin/ai-video-music", "args": [], "env": {"NEMO_TOKEN": SECRET}},
        {"command": "uvx", "args": ["x"], "env": {"SOME_API_KEY": SECRET, "NEMO_SKILL_PLATFORM": "x"}},
        {"command": "/old/ai-video-music", "oauth": {"clientSecret": SECRET}},
        {"command": "/old/ai-video-music", "env": {"NEMO_API_BASE": f"https://u:{SECRET}@h"}},
    ],
    ids=["nemo-token", "other-env", "unknown-key", "address"],
)
def test_an_entry_that_may_hold_a_secret_is_written_to_the_file_never_passed_to_the_host_cli(
    client: str, previous: dict[str, Any], tmp_path: Path
) -> None:
    path = config_path(client, tmp_path, {})
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = ("mcp", "servers") if client == "openclaw" else ("mcpServers",)
    data: dict[str, Any] = {"theme": "dark"}
    node = data
    for key in keys:
        node = node.setdefault(key, {})
    node[SERVER_KEY] = previous
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    path.chmod(0o644)
    host = FakeHost(path, client)
    install(client, home=tmp_path, env={}, command=CMD, which=host.which, run=host.run)
    assert not [arg for argv, _env in host.calls for arg in argv if SECRET in arg]
    entry = servers_of(client, json.loads(path.read_text(encoding="utf-8")))[SERVER_KEY]
    assert entry["command"] == CMD and SECRET in json.dumps(entry)  # kept, in the file
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_stdio_install_after_install_http_drops_the_url_entry_and_passes_no_secret(tmp_path: Path) -> None:
    from ai_video_music.httpsecret import read_secret
    from ai_video_music.installhttp import install_http

    env = {"NEMO_HOME": str(tmp_path / "state")}
    path = config_path("claude-code", tmp_path, env)
    stdio = {"command": CMD, "args": ["-v"], "env": {"NEMO_SKILL_PLATFORM": "claude_code"}, "timeout": 30}
    path.write_text(json.dumps({"mcpServers": {SERVER_KEY: stdio}}), encoding="utf-8")
    install_http("claude-code", home=tmp_path, env=env)
    secret = read_secret(tmp_path / "state")
    assert secret
    url_entry = json.loads(path.read_text(encoding="utf-8"))["mcpServers"][SERVER_KEY]
    assert set(url_entry) == {"type", "url", "headers", "timeout"}  # no command, args, env

    host = FakeHost(path, "claude-code")
    install("claude-code", home=tmp_path, env=env, command=CMD, which=host.which, run=host.run)
    assert [c[0][2] for c in host.calls] == ["remove", "add-json"]  # nothing secret left: the CLI
    assert not [arg for argv, _env in host.calls for arg in argv if secret in arg]
    entry = json.loads(path.read_text(encoding="utf-8"))["mcpServers"][SERVER_KEY]
    assert entry == {"command": CMD, "args": [], "env": {"NEMO_SKILL_PLATFORM": "claude_code"}, "timeout": 30}


def test_a_stdio_type_is_kept_and_a_url_type_dropped() -> None:
    assert merged_entry({"type": "stdio", "command": "x"}, "cursor", CMD)["type"] == "stdio"
    old = {"type": "sse", "url": "u", "headers": {"X": "y"}, "note": "mine"}
    assert merged_entry(old, "cursor", CMD) == {
        "note": "mine",
        "command": CMD,
        "args": [],
        "env": {"NEMO_SKILL_PLATFORM": "cursor"},
    }
