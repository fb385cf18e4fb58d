"""Host detection from real install-path shapes on Linux, macOS and Windows."""

from __future__ import annotations

import pytest

from ai_video_music.platforms import detect_platform

LINUX_HOME = "/home/ana"
MAC_HOME = "/Users/ana"
WIN_HOME = "C:\\Users\\ana"
SKILL = "ai-video-generator-free-music"


@pytest.mark.parametrize(
    ("path", "home", "expected"),
    [
        (f"/home/ana/.cursor/skills/{SKILL}/server/ai_video_music/config.py", LINUX_HOME, "cursor"),
        (f"/Users/ana/.cursor/plugins/cache/{SKILL}/server", MAC_HOME, "cursor"),
        (f"C:\\Users\\ana\\.cursor\\skills\\{SKILL}\\server", WIN_HOME, "cursor"),
        (f"/home/ana/.claude/skills/{SKILL}", LINUX_HOME, "claude_code"),
        (f"/Users/ana/.claude/plugins/marketplaces/x/{SKILL}", MAC_HOME, "claude_code"),
        (f"C:\\Users\\ana\\.claude\\skills\\{SKILL}", WIN_HOME, "claude_code"),
        (f"/home/ana/.openclaw/skills/{SKILL}", LINUX_HOME, "clawhub"),
        (f"/home/ana/.agents/skills/{SKILL}", LINUX_HOME, "clawhub"),
        (f"/Users/ana/.agents/skills/{SKILL}", MAC_HOME, "clawhub"),
        (f"C:\\Users\\ana\\.openclaw\\skills\\{SKILL}", WIN_HOME, "clawhub"),
        (f"/home/ana/project/.venv/lib/python3.11/site-packages/{SKILL}", LINUX_HOME, "unknown"),
        ("C:\\Program Files\\Python311\\Lib\\site-packages\\ai_video_music", WIN_HOME, "unknown"),
    ],
)
def test_install_path_names_the_host(path: str, home: str, expected: str) -> None:
    assert detect_platform(path, {}, home) == expected


def test_clawhub_origin_marker_in_the_skill_folder() -> None:
    skill = f"/srv/work/skills/{SKILL}"
    for marker in (".clawhub", ".clawdhub"):
        present = {f"{skill}/{marker}/origin.json"}
        got = detect_platform(f"{skill}/server/ai_video_music", {}, LINUX_HOME, exists=present.__contains__)
        assert got == "clawhub"
    assert detect_platform(f"{skill}/server", {}, LINUX_HOME, exists=set().__contains__) == "unknown"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CURSOR_TRACE_ID": "abc"}, "cursor"),
        ({"CLAUDECODE": "1"}, "claude_code"),
        ({"CLAUDECODE": "0"}, "unknown"),
    ],
)
def test_host_environment_markers_are_the_second_signal(env: dict[str, str], expected: str) -> None:
    assert detect_platform("/opt/tools/skill", env, LINUX_HOME) == expected


def test_the_path_wins_over_the_environment_and_the_override_wins_over_both() -> None:
    cursor_path = f"/home/ana/.cursor/skills/{SKILL}"
    assert detect_platform(cursor_path, {"CLAUDECODE": "1"}, LINUX_HOME) == "cursor"
    assert detect_platform(cursor_path, {"NEMO_SKILL_PLATFORM": "ClawHub"}, LINUX_HOME) == "clawhub"
    assert detect_platform(cursor_path, {"NEMO_SKILL_PLATFORM": "bogus"}, LINUX_HOME) == "unknown"
