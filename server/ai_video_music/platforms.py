"""Which assistant host installed us, for the ``X-Skill-Platform`` header.

Pure: the caller passes the install path, the environment and the home folder, so the
function is table-tested with Linux, macOS and Windows path shapes on any machine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePath, PurePosixPath, PureWindowsPath

PLATFORMS = ("clawhub", "cursor", "claude_code", "unknown")

# OpenClaw/ClawHub skill roots, relative to the home folder.
_OPENCLAW_HOME_DIRS = ((".agents", "skills"), (".openclaw", "skills"), (".clawhub",), (".clawdhub",))


def _pure(path: str) -> PurePath:
    # A backslash or drive letter means a Windows path, wherever we run.
    if "\\" in path or (len(path) > 1 and path[1] == ":"):
        return PureWindowsPath(path)
    return PurePosixPath(path)


def _parts(path: str) -> list[str]:
    return [p.lower() for p in _pure(path).parts]


def _contains(parts: list[str], seq: tuple[str, ...]) -> bool:
    n = len(seq)
    return any(tuple(parts[i : i + n]) == seq for i in range(len(parts) - n + 1))


def detect_platform(
    install_path: str,
    env: Mapping[str, str],
    home: str | None = None,
    exists: Callable[[str], bool] | None = None,
) -> str:
    """Name the host that installed the skill: ``clawhub``, ``cursor``, ``claude_code`` or ``unknown``.

    Order: ``NEMO_SKILL_PLATFORM`` overrides; then the install path (ClawHub's
    ``.clawhub/origin.json`` marker beside the skill, OpenClaw's skill folders, ``~/.cursor``,
    ``~/.claude``); then the hosts' environment markers (``CURSOR_TRACE_ID``, ``CLAUDECODE``).
    ``exists`` checks for the ClawHub marker file; it defaults to "no file", keeping this pure.
    """
    override = env.get("NEMO_SKILL_PLATFORM", "").strip().lower()
    if override:
        return override if override in PLATFORMS else "unknown"

    parts = _parts(install_path)
    if exists is not None:
        base = _pure(install_path)
        # The marker sits in the skill folder, which is the install path or one of its parents.
        for folder in (base, *base.parents):
            if any(exists(str(folder / d / "origin.json")) for d in (".clawhub", ".clawdhub")):
                return "clawhub"
    if ".clawhub" in parts or ".clawdhub" in parts or ".openclaw" in parts:
        return "clawhub"
    if home:
        home_parts = _parts(home)
        rel = parts[len(home_parts) :] if parts[: len(home_parts)] == home_parts else []
        if any(tuple(rel[: len(d)]) == d for d in _OPENCLAW_HOME_DIRS):
            return "clawhub"
    if _contains(parts, (".cursor",)):
        return "cursor"
    if _contains(parts, (".claude",)):
        return "claude_code"

    if env.get("CURSOR_TRACE_ID"):
        return "cursor"
    if env.get("CLAUDECODE") == "1":
        return "claude_code"
    return "unknown"
