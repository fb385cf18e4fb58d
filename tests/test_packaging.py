"""One version everywhere, valid manifests for every client, and a safe installer."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from ai_video_music.config import Settings, resolve_output_dir, skill_version
from ai_video_music.errors import OutputDirError
from ai_video_music.installer import CLIENTS, PLATFORM_OF, InstallError, config_path, install
from ai_video_music.tools import create_server

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = sorted(p for p in (ROOT / "manifests").rglob("*.json"))
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
OUR_COMMANDS = {"ai-video-music", "ai-video-generator-free-music"}
SECRETISH = re.compile(r"nmv_|bearer\s|sk-[a-z0-9]|password", re.IGNORECASE)


def frontmatter() -> dict[str, Any]:
    text = (ROOT / "SKILL.md").read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, "SKILL.md has no YAML frontmatter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def documented_env_vars() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(NEMO_[A-Z_]+)` \|", readme, re.MULTILINE))


def walk(obj: Any, key: str = "") -> list[tuple[str, Any]]:
    if isinstance(obj, dict):
        return [kv for k, v in obj.items() for kv in walk(v, k)] + [(key, obj)]
    if isinstance(obj, list):
        return [kv for v in obj for kv in walk(v, key)]
    return [(key, obj)]


def test_skill_frontmatter_is_what_clawhub_reads() -> None:
    meta = frontmatter()
    assert meta["name"] == "ai-video-generator-free-music"
    assert 10 <= len(meta["description"]) <= 500
    claw = meta["metadata"]["openclaw"]
    assert claw["requires"]["env"] == []
    assert claw["primaryEnv"] == "NEMO_TOKEN"
    assert claw["requires"]["bins"] == ["ai-video-music"]
    assert (
        claw["install"][0]["kind"] == "uv"
        and claw["install"][0]["package"] == "ai-video-generator-free-music"
    )
    assert claw["homepage"].startswith("https://") and claw["emoji"]


@pytest.mark.anyio
async def test_one_version_from_skill_md_everywhere(tmp_path: Path) -> None:
    from mcp import Client

    version = str(frontmatter()["version"])
    assert skill_version() == version, (
        "reinstall after changing SKILL.md: the package version is built from it"
    )
    async with Client(create_server(Settings(home=tmp_path, version=skill_version()))) as client:
        assert client.server_info is not None
        assert client.server_info.version == version
    for path in MANIFESTS:
        for key, value in walk(json.loads(path.read_text(encoding="utf-8"))):
            if key == "version":
                assert value == version, f"{path.relative_to(ROOT)} says version {value}"


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: str(p.relative_to(ROOT / "manifests")))
def test_manifest_is_valid_names_our_script_declares_its_vars_and_holds_no_secret(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert not SECRETISH.search(text), "a manifest must not carry credentials"
    # The package's own name: the registry's is "namespace/kebab-name".
    if "name" in data:
        assert KEBAB.match(data["name"].split("/")[-1]), f"name {data['name']!r} is not kebab-case"
    for key, value in walk(data):
        if key in ("mcpServers", "servers") and isinstance(value, dict):
            for name, entry in value.items():
                assert KEBAB.match(name)
                assert entry["command"] in OUR_COMMANDS
        if key == "command" and isinstance(value, str):
            assert value in OUR_COMMANDS
    user_config = data.get("user_config", {})
    declared = documented_env_vars()
    for var in re.findall(r"\$\{([^}]+)\}", text):
        name = var.split(":-")[0]
        if name.startswith("user_config."):
            assert name.removeprefix("user_config.") in user_config, f"{var} not declared in user_config"
        elif name != "__dirname":
            assert name in declared, f"${{{var}}} is not a documented variable"


def test_registry_entry_matches_the_package() -> None:
    server = json.loads((ROOT / "manifests" / "server.json").read_text(encoding="utf-8"))
    assert server["packages"][0]["identifier"] == "ai-video-generator-free-music"
    assert f"mcp-name: {server['name']}" in (ROOT / "README.md").read_text(encoding="utf-8")
    secrets = {e["name"] for e in server["packages"][0]["environmentVariables"] if e["isSecret"]}
    assert secrets == {"NEMO_TOKEN"}


def test_every_variable_the_code_reads_is_documented() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "server").rglob("*.py"))
    used = set(re.findall(r"\"(NEMO_[A-Z_]+)\"", source))
    assert used <= documented_env_vars(), used - documented_env_vars()


# --- output folder ------------------------------------------------------------------------------


def test_default_output_folder_is_absolute_and_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir("/")
    folder = resolve_output_dir(Settings(home=tmp_path / "state"))
    assert folder.is_absolute() and folder == tmp_path / "Videos" / "NemoVideo"


def test_default_output_folder_falls_back_when_home_is_unusable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "home-is-a-file"
    not_a_folder.write_text("x", encoding="utf-8")  # no folder can be made inside it, even by root
    monkeypatch.setenv("HOME", str(not_a_folder))
    folder = resolve_output_dir(Settings(home=tmp_path / "state"))
    assert folder == tmp_path / "state" / "exports"


def test_explicit_output_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputDirError) as info:
        resolve_output_dir(Settings(output_dir=blocker / "videos"))
    assert "NEMO_OUTPUT_DIR" in str(info.value)


# --- installer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("client", CLIENTS)
def test_install_merges_keeps_other_entries_backs_up_and_is_idempotent(client: str, tmp_path: Path) -> None:
    path = config_path(client, tmp_path, {})
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ("mcp", "servers") if client == "openclaw" else ("mcpServers",)
    existing: dict[str, Any] = {"theme": "dark"}
    node = existing
    for k in key:
        node = node.setdefault(k, {})
    node["other-server"] = {"command": "other", "args": ["--x"]}
    node["ai-video-generator-free-music"] = {"command": "old", "env": {"NEMO_OUTPUT_DIR": "/keep/me"}}
    path.write_text(json.dumps(existing), encoding="utf-8")
    path.chmod(0o600)

    lines = install(client, home=tmp_path, env={}, command="/opt/bin/ai-video-music")
    assert any("backup" in line for line in lines)
    merged = json.loads(path.read_text(encoding="utf-8"))
    node = merged
    for k in key:
        node = node[k]
    assert merged["theme"] == "dark"
    assert node["other-server"] == {"command": "other", "args": ["--x"]}
    expected_env = {"NEMO_OUTPUT_DIR": "/keep/me"}
    if client in PLATFORM_OF:
        expected_env["NEMO_SKILL_PLATFORM"] = PLATFORM_OF[client]
    assert node["ai-video-generator-free-music"] == {
        "command": "/opt/bin/ai-video-music",
        "args": [],
        "env": expected_env,
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    backups = list(path.parent.glob(path.name + ".bak-*"))
    assert len(backups) == 1 and json.loads(backups[0].read_text(encoding="utf-8")) == existing

    again = install(client, home=tmp_path, env={}, command="/opt/bin/ai-video-music")
    assert all("nothing changed" in line for line in again)
    assert len(list(path.parent.glob(path.name + ".bak-*"))) == 1


def test_install_names_the_host_but_a_users_own_platform_value_wins(tmp_path: Path) -> None:
    install("cursor", home=tmp_path, env={}, command="ai-video-music")
    path = tmp_path / ".cursor" / "mcp.json"
    entry = json.loads(path.read_text(encoding="utf-8"))["mcpServers"]["ai-video-generator-free-music"]
    assert entry["env"] == {"NEMO_SKILL_PLATFORM": "cursor"}
    entry["env"]["NEMO_SKILL_PLATFORM"] = "unknown"
    path.write_text(json.dumps({"mcpServers": {"ai-video-generator-free-music": entry}}), encoding="utf-8")
    install("cursor", home=tmp_path, env={}, command="ai-video-music")
    again = json.loads(path.read_text(encoding="utf-8"))["mcpServers"]["ai-video-generator-free-music"]
    assert again["env"]["NEMO_SKILL_PLATFORM"] == "unknown"


def test_dry_run_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    lines = install("cursor", dry_run=True, home=tmp_path, env={}, command="ai-video-music")
    assert "+++" in lines[0] and '"ai-video-generator-free-music"' in lines[0]
    assert not (tmp_path / ".cursor").exists()


def test_openclaw_install_also_places_the_skill(tmp_path: Path) -> None:
    install("openclaw", home=tmp_path, env={}, command="ai-video-music")
    skill = tmp_path / ".openclaw" / "skills" / "ai-video-generator-free-music" / "SKILL.md"
    assert skill.read_text(encoding="utf-8") == (ROOT / "SKILL.md").read_text(encoding="utf-8")


def test_a_broken_config_is_left_untouched(tmp_path: Path) -> None:
    path = config_path("claude-code", tmp_path, {})
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InstallError) as info:
        install("claude-code", home=tmp_path, env={}, command="ai-video-music")
    assert "nothing was changed" in str(info.value)
    assert path.read_text(encoding="utf-8") == "{not json"


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
