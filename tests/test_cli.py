"""The `ai-video-music` command as a person meets it in a terminal."""

from __future__ import annotations

import json
import os
import pty
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ai_video_music import cli
from ai_video_music.config import skill_version
from ai_video_music.demo import GENERATED

COMMAND = [sys.executable, "-m", "ai_video_music"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"ai-video-music {skill_version()}"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ([], ["NEMO_TOKEN", "NEMO_OUTPUT_DIR", "demo"]),
        (["serve"], ["default: 8765", "NEMO_"]),
        (["simulate"], ["default: 8787", "[sim]"]),
        (["install"], ["--dry-run", "OPENCLAW_PROFILE", "CLAUDE_CONFIG_DIR"]),
        (["demo"], ["--photos", "NEMO_HOME", "current folder", f"{len(GENERATED)} generated samples"]),
    ],
)
def test_every_command_has_help_with_defaults(
    command: list[str], expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        cli.main([*command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for word in expected:
        assert word in text


def test_demo_help_says_each_default_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["demo", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: None)" not in text
    assert text.count("(default:") == 3  # --output, --photos, --fps: one each


def test_verbose_is_accepted_before_and_after_the_command() -> None:
    parser = cli._parser()
    assert parser.parse_args(["-v", "install", "--client", "cursor"]).verbose is True
    assert parser.parse_args(["install", "--client", "cursor", "-v"]).verbose is True
    assert not hasattr(parser.parse_args(["install", "--client", "cursor"]), "verbose")


def test_demo_output_is_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, Any] = {}

    def fake_run_demo(**options: Any) -> Path:
        seen.update(options)
        return Path(options["output"]) / "video.mp4"

    monkeypatch.setattr("ai_video_music.demo.run_demo", fake_run_demo)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo", "--output", "rel"]) == 0
    assert seen["output"] == tmp_path / "rel"
    assert capsys.readouterr().out.strip() == str(tmp_path / "rel" / "video.mp4")


def test_an_unwritable_demo_output_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert cli.main(["demo", "--output", str(blocker / "videos")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "output folder" in err and "Traceback" not in err


def test_a_busy_port_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["simulate", "--port", str(port)]) == 1
        assert cli.main(["serve", "--http", "--port", str(port)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert all(f"port {port}" in line and "--port" in line for line in lines)


def test_missing_simulator_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "ai_video_music.simulator", None)  # import fails as if absent
    monkeypatch.setitem(sys.modules, "ai_video_music.demo", None)
    assert cli.main(["simulate"]) == 1
    assert cli.main(["demo"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert all("pip install 'ai-video-generator-free-music[sim]'" in line for line in lines)


@pytest.mark.slow
def test_dry_run_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "PATH": ""}
    proc = subprocess.Popen(
        [*COMMAND, "install", "--client", "cursor", "--dry-run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


@pytest.mark.slow
def test_bare_command_in_a_terminal_explains_itself_and_stops_on_the_first_ctrl_c(tmp_path: Path) -> None:
    terminal, keyboard = pty.openpty()
    proc = subprocess.Popen(
        COMMAND,
        stdin=keyboard,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NEMO_HOME": str(tmp_path)},
    )
    os.close(keyboard)
    try:
        assert proc.stderr is not None
        hint = proc.stderr.readline()
        assert "MCP server" in hint and "ai-video-music demo" in hint
        proc.send_signal(signal.SIGINT)
        _out, rest = proc.communicate(timeout=30)
    finally:
        os.close(terminal)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "Traceback" not in rest


@pytest.mark.slow
def test_ctrl_c_during_the_demo_stops_it_cleanly(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [*COMMAND, "demo", "--output", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal sends Ctrl-C to the whole process group
        env={**os.environ, "NEMO_HOME": str(tmp_path / "state")},
    )
    assert proc.stderr is not None
    seen = ""
    while "Connected to the MCP server" not in seen:
        line = proc.stderr.readline()
        assert line, f"the demo ended early: {seen}"
        seen += line
    os.killpg(proc.pid, signal.SIGINT)
    _out, rest = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Demo stopped." in rest and "Traceback" not in seen + rest


# What a refusal loads: the commands that need no server, and every misconfigured serve mode,
# answer without importing the MCP SDK or uvicorn (a second of CPU at each start).
NO_SERVER = """
import json, sys
from ai_video_music.cli import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
loaded = {name.split(".")[0] for name in sys.modules} & {"mcp", "uvicorn"}
print(json.dumps({"codes": codes, "loaded": sorted(loaded)}))
"""


def test_help_secrets_and_refused_serve_modes_never_load_the_mcp_sdk(tmp_path: Path) -> None:
    commands = [
        ["http-secret"],  # none yet: refused
        ["install", "--client", "cursor", "--dry-run"],
        ["serve", "--hosted"],  # NEMO_DATABASE_URL and the rest unset
        ["serve", "--http", "--host", "0.0.0.0"],
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEMO_")}
    env |= {"NEMO_HOME": str(tmp_path / "state"), "HOME": str(tmp_path), "NEMO_LANGUAGE": "en", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", NO_SERVER, json.dumps(commands)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"codes": [1, 0, 2, 1], "loaded": []}, done.stderr
    assert "NEMO_DATABASE_URL" in done.stderr and "0.0.0.0" in done.stderr
