"""`scripts/build-mcpb` packs what is committed, never the working tree (issue 17, class 12).

A token pasted into a tracked module, or a tracked file swapped for a symlink to a private file,
used to be packed as it was on disk. The build now refuses a checkout whose tracked files differ
from HEAD, and reads every file from git's objects at HEAD. uv (which only writes the lock) is
replaced by a stand-in, so these run wherever git does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECRET = b"nmv_usr_FAKE_SECRET_0001"
# What a bundle is built from (the package, the project files, the manifest and the icon).
NEEDED = ("server/ai_video_music/", "manifests/", "pyproject.toml", "README.md", "SKILL.md", "LICENSE")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git repository holding the project's bundle sources, committed, with a stand-in uv."""
    if not shutil.which("git"):
        pytest.skip("needs git")
    repo = tmp_path / "checkout"
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True)
    for name in (n.decode() for n in listed.stdout.split(b"\0") if n):
        source = ROOT / name
        if name.startswith(NEEDED) and source.is_file() and not source.is_symlink():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    (repo / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "build-mcpb", repo / "scripts" / "build-mcpb")
    (repo / ".gitignore").write_text("dist/\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "snapshot")
    fake = tmp_path / "bin" / "uv"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nprintf "version = 1\\n" > "$3/uv.lock"\n', encoding="utf-8")
    fake.chmod(0o755)
    return repo


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True)


def build(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{repo.parent / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [sys.executable, str(repo / "scripts" / "build-mcpb")], capture_output=True, text=True, env=env
    )


def packed(result: subprocess.CompletedProcess[str]) -> zipfile.ZipFile:
    assert result.returncode == 0, result.stderr
    return zipfile.ZipFile(result.stdout.strip())


def test_an_uncommitted_edit_to_a_tracked_file_stops_the_build(checkout: Path) -> None:
    module = checkout / "server" / "ai_video_music" / "naming.py"
    module.write_bytes(module.read_bytes() + b'\nNEMO_TOKEN = "' + SECRET + b'"\n')
    result = build(checkout)
    assert result.returncode != 0
    assert "server/ai_video_music/naming.py" in result.stderr and "commit" in result.stderr
    assert not list(checkout.glob("dist/*.mcpb"))


def test_a_tracked_file_swapped_for_a_symlink_stops_the_build(checkout: Path, tmp_path: Path) -> None:
    private = tmp_path / "private-token.txt"
    private.write_bytes(SECRET)
    private.chmod(0o600)
    victim = checkout / "server" / "ai_video_music" / "app" / "__init__.py"
    victim.unlink()
    victim.symlink_to(private)
    result = build(checkout)
    assert result.returncode != 0 and "server/ai_video_music/app/__init__.py" in result.stderr


def test_the_bundle_holds_the_committed_content_not_the_files_on_disk(checkout: Path) -> None:
    module = Path("server/ai_video_music/naming.py")
    committed = (checkout / module).read_bytes()
    # Hidden from `git status` (skip-worktree), so only reading HEAD keeps the edit out.
    git(checkout, "update-index", "--skip-worktree", module.as_posix())
    (checkout / module).write_bytes(committed + b'\nNEMO_TOKEN = "' + SECRET + b'"\n')
    (checkout / "server" / "ai_video_music" / "token.json").write_bytes(b'{"token": "' + SECRET + b'"}')
    bundle = packed(build(checkout))
    assert bundle.read(module.as_posix()) == committed
    assert "server/ai_video_music/token.json" not in bundle.namelist()
    assert all(SECRET not in bundle.read(name) for name in bundle.namelist())
    assert {"manifest.json", "icon.png", "pyproject.toml", "SKILL.md", "uv.lock"} <= set(bundle.namelist())
