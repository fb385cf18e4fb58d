"""``ai-video-music install --client X``: add our server to a client's config, losing nothing.

The existing file is parsed, our one entry is merged in (keeping any ``env`` the user
already gave it), a timestamped backup is written first, and the new file replaces the old
atomically. Running it twice changes nothing the second time. ``--dry-run`` prints the diff.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .fsutil import atomic_write_bytes

SERVER_KEY = "ai-video-generator-free-music"
CLIENTS = ("claude-desktop", "claude-code", "cursor", "openclaw")
# Our code runs from site-packages, where the install path can't tell which host started it,
# so the host's entry says so (the backend's attribution values).
PLATFORM_OF = {"claude-code": "claude_code", "cursor": "cursor", "openclaw": "clawhub"}


class InstallError(Exception):
    """Something the user must fix before we can install (an unreadable config, say)."""


@dataclass(frozen=True)
class Change:
    path: Path
    before: str | None
    after: str
    new_mode: int = 0o600  # a new config may soon hold a token in its env block

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                (self.before or "").splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"{self.path} (now)",
                tofile=f"{self.path} (after install)",
            )
        )


def config_path(client: str, home: Path, env: Mapping[str, str], platform: str = sys.platform) -> Path:
    """Where each client keeps its MCP server list, per operating system."""
    if client == "claude-desktop":
        if platform == "darwin":
            return home / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
        if platform == "win32":
            return (
                Path(env.get("APPDATA") or home / "AppData" / "Roaming")
                / "Claude"
                / "claude_desktop_config.json"
            )
        return Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "Claude" / "claude_desktop_config.json"
    if client == "claude-code":
        return home / ".claude.json"
    if client == "cursor":
        return home / ".cursor" / "mcp.json"
    if client == "openclaw":
        return Path(env.get("OPENCLAW_CONFIG_PATH") or home / ".openclaw" / "openclaw.json")
    raise InstallError(f"Unknown client {client!r}; choose one of: {', '.join(CLIENTS)}.")


def _servers(config: dict[str, Any], client: str) -> dict[str, Any]:
    """The dict holding server entries, created if missing (OpenClaw nests it under ``mcp``)."""
    parent = config
    keys = ("mcp", "servers") if client == "openclaw" else ("mcpServers",)
    for key in keys:
        child = parent.setdefault(key, {})
        if not isinstance(child, dict):
            raise InstallError(f"'{key}' in the config is not an object; fix it by hand first.")
        parent = child
    return parent


def _read(path: Path) -> tuple[str | None, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, {}
    if not text.strip():
        return text, {}
    try:
        data = json.loads(text)
    except ValueError as err:
        raise InstallError(
            f"{path} isn't valid JSON ({err}); nothing was changed. Fix or move it, then run install again."
        ) from err
    if not isinstance(data, dict):
        raise InstallError(f"{path} doesn't hold a JSON object; nothing was changed.")
    return text, data


def plan_config(client: str, path: Path, command: str) -> Change:
    """The config file as it would be after adding our entry."""
    before, config = _read(path)
    servers = _servers(config, client)
    previous = servers.get(SERVER_KEY)
    env = dict(previous.get("env") or {}) if isinstance(previous, dict) else {}
    if client in PLATFORM_OF:
        env.setdefault("NEMO_SKILL_PLATFORM", PLATFORM_OF[client])  # a user's own value wins
    servers[SERVER_KEY] = {"command": command, "args": [], "env": env}
    after = json.dumps(config, indent=2, ensure_ascii=False) + "\n"
    if before is not None and _read(path)[1] == config:
        after = before  # already installed: keep the file byte for byte
    return Change(path, before, after)


def plan_skill(home: Path, env: Mapping[str, str]) -> Change:
    """OpenClaw also reads the skill text from its skills folder."""
    root = (
        Path(env["OPENCLAW_SKILLS_DIR"]) if env.get("OPENCLAW_SKILLS_DIR") else home / ".openclaw" / "skills"
    )
    path = root / SERVER_KEY / "SKILL.md"
    text = skill_text()
    try:
        before: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        before = None
    return Change(path, before, text, new_mode=0o644)


def skill_text() -> str:
    """SKILL.md: packaged in the wheel, or at the root of a source (editable) checkout."""
    packaged = resources.files("ai_video_music").joinpath("SKILL.md")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "SKILL.md").read_text(encoding="utf-8")


def apply(change: Change) -> Path | None:
    """Write one change; returns the backup's path when an existing file was replaced."""
    if not change.changed:
        return None
    backup = None
    mode = change.new_mode
    if change.before is not None:
        mode = change.path.stat().st_mode & 0o777
        backup = change.path.with_name(f"{change.path.name}.bak-{time.strftime('%Y%m%d-%H%M%S')}")
        shutil.copy2(change.path, backup)
    atomic_write_bytes(change.path, change.after.encode("utf-8"), mode=mode)
    return backup


def our_command() -> str:
    """An absolute path to our console script: GUI clients often start with a minimal PATH."""
    here = Path(sys.argv[0])
    if here.name in ("ai-video-music", "ai-video-music.exe") and here.exists():
        return str(here.resolve())
    found = shutil.which("ai-video-music")
    return str(Path(found).resolve()) if found else "ai-video-music"


def install(
    client: str,
    *,
    dry_run: bool = False,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    command: str | None = None,
) -> list[str]:
    """Install for ``client``; returns the lines to show the user."""
    home = home or Path.home()
    env = os.environ if env is None else env
    changes = [plan_config(client, config_path(client, home, env), command or our_command())]
    if client == "openclaw":
        changes.append(plan_skill(home, env))
    lines: list[str] = []
    for change in changes:
        if not change.changed:
            lines.append(f"{change.path}: already up to date, nothing changed.")
        elif dry_run:
            lines.append(change.diff() or f"{change.path}: would be created.")
        else:
            backup = apply(change)
            lines.append(
                f"{change.path}: updated" + (f" (backup: {backup.name})" if backup else " (created)")
            )
    if not dry_run and any(c.changed for c in changes):
        lines.append(f"Restart {client} to see the tools generate, upload, status, credits and export.")
    return lines
