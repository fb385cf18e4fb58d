"""One version everywhere, valid manifests for every client, and a safe installer."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ai_video_music.config import Settings, resolve_output_dir, skill_version
from ai_video_music.errors import OutputDirError
from ai_video_music.tools import create_server

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = sorted([*(ROOT / "manifests").rglob("*.json"), ROOT / ".claude-plugin" / "marketplace.json"])
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
OUR_COMMANDS = {"ai-video-music", "ai-video-generator-free-music"}
# Launchers that start our server without it on PATH: uvx (once on PyPI), uv run (the MCPB bundle).
# uvx runs a pinned version: whoever held the PyPI name could otherwise ship code to every machine.
LAUNCHED = {
    ("uvx", f"ai-video-generator-free-music=={skill_version()}"),
    ("uv", "server/ai_video_music/cli.py"),
}
AGENT_SKILLS_FIELDS = {"name", "description", "license", "allowed-tools", "metadata", "compatibility"}
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


def test_skill_frontmatter_is_what_agent_skills_and_clawhub_read() -> None:
    meta = frontmatter()
    assert set(meta) <= AGENT_SKILLS_FIELDS, "the Agent Skills spec allows no other top-level field"
    assert meta["name"] == "ai-video-generator-free-music"
    assert 10 <= len(meta["description"]) <= 1024
    claw = meta["metadata"]["openclaw"]
    assert claw["primaryEnv"] == "NEMO_TOKEN"
    # Ready once the server is registered (what `install --client openclaw` writes), not when a
    # command happens to be on the gateway's PATH.
    assert claw["requires"] == {"config": ["mcp.servers.ai-video-generator-free-music"]}
    assert (
        claw["install"][0]["kind"] == "uv"
        # Pinned, as every uv/uvx launch is: the version this SKILL.md was written for.
        and claw["install"][0]["package"] == f"ai-video-generator-free-music=={meta['metadata']['version']}"
    )
    assert claw["homepage"].startswith("https://") and claw["emoji"]


@pytest.mark.anyio
async def test_one_version_from_skill_md_everywhere(tmp_path: Path) -> None:
    from mcp import Client

    version = str(frontmatter()["metadata"]["version"])
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


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_manifest_is_valid_names_our_script_declares_its_vars_and_holds_no_secret(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert not SECRETISH.search(text), "a manifest must not carry credentials"
    # The package's own name: the registry's is "namespace/kebab-name".
    if "name" in data:
        assert KEBAB.match(data["name"].split("/")[-1]), f"name {data['name']!r} is not kebab-case"
    for key, value in walk(data):
        if key in ("mcpServers", "servers", "mcp_config") and isinstance(value, dict):
            entries = [value] if key == "mcp_config" else list(value.values())
            for name in value if key != "mcp_config" else ():
                assert KEBAB.match(name)
            for entry in entries:
                args = entry.get("args", [])
                assert entry["command"] in OUR_COMMANDS or (entry["command"], args[-1]) in LAUNCHED
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


def test_registry_entry_passes_the_registry_schema() -> None:
    """manifests/server.json against the MCP registry's schema (source: tests/schemas/SOURCE.md)."""
    import jsonschema

    schema = json.loads(
        (ROOT / "tests" / "schemas" / "registry-server.schema.json").read_text(encoding="utf-8")
    )
    server = json.loads((ROOT / "manifests" / "server.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(server)
    broken = {**server, "name": "no-namespace"}
    assert not jsonschema.Draft7Validator(schema).is_valid(broken)


def test_claude_marketplace_points_at_the_plugin_which_has_an_icon() -> None:
    market = json.loads((ROOT / ".claude-plugin" / "marketplace.json").read_text(encoding="utf-8"))
    (entry,) = market["plugins"]
    plugin_dir = ROOT / entry["source"]
    plugin = json.loads((plugin_dir / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))
    assert plugin["name"] == entry["name"] == "ai-video-generator-free-music"
    icon = plugin_dir / plugin["icon"]
    assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(icon.read_bytes()[16:20]), int.from_bytes(icon.read_bytes()[20:24])
    assert width == height and 512 <= width <= 2048, (
        "Claude's plugin directory wants a square 512-2048 px PNG"
    )
    servers = json.loads((plugin_dir / plugin["mcpServers"]).read_text(encoding="utf-8"))["mcpServers"]
    # Not a bare `ai-video-music`: the plugin must start the server without it on PATH.
    assert servers["ai-video-generator-free-music"]["command"] == "uvx"
    assert servers["ai-video-generator-free-music"]["args"] == [
        f"ai-video-generator-free-music=={skill_version()}"
    ]


def test_every_uv_launch_in_the_manifests_and_the_skill_is_pinned_to_our_version() -> None:
    """No `uvx ai-video-generator-free-music` without ==version anywhere a host reads it."""
    pinned = f"ai-video-generator-free-music=={skill_version()}"
    texts = {p: p.read_text(encoding="utf-8") for p in [*MANIFESTS, ROOT / "SKILL.md"]}
    launches = 0
    for path, text in texts.items():
        for found in re.finditer(r"ai-video-generator-free-music(?:==[^\s\"',\]]+)?", text):
            before = text[max(0, found.start() - 40) : found.start()]
            if re.search(r"uvx\W*$|\"args\":\s*\[\s*\"$|package:\s*$", before):
                launches += 1
                assert found.group(0) == pinned, f"{path.relative_to(ROOT)}: {found.group(0)} is not pinned"
    assert launches >= 2  # the Claude Code plugin and ClawHub's install hint


def test_clawhub_publishes_only_the_skill() -> None:
    ignore = (ROOT / ".clawhubignore").read_text(encoding="utf-8").split()
    assert "*" in ignore and "!SKILL.md" in ignore
