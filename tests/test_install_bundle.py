"""The Claude Desktop bundle and the sdist, built and used the way a host and a packager do."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

ROOT = Path(__file__).resolve().parents[1]
TOOLS = {"upload", "generate", "status", "credits", "export"}


def uv() -> str:
    found = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("uv is not installed; .ci/run installs it (pip install uv)")
    pytest.skip("uv is not installed (pip install uv)")


def build_bundle(root: Path = ROOT) -> Path:
    uv()  # the bundle's lock is written by uv
    out = subprocess.run(
        [sys.executable, str(root / "scripts" / "build-mcpb")], capture_output=True, text=True, check=True
    )
    return Path(out.stdout.strip())


def git_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True).stdout
    return [n.decode() for n in out.split(b"\0") if n]


def test_the_bundle_holds_the_manifest_project_package_icon_and_lock_and_nothing_else() -> None:
    bundle = build_bundle()
    version = re.search(r'version: "(.+)"', (ROOT / "SKILL.md").read_text(encoding="utf-8"))
    assert version and bundle == ROOT / "dist" / f"ai-video-generator-free-music-{version.group(1)}.mcpb"
    names = set(zipfile.ZipFile(bundle).namelist())
    package = {n for n in git_files(ROOT) if n.startswith("server/ai_video_music/")}
    project = {"manifest.json", "icon.png", "pyproject.toml", "README.md", "SKILL.md", "LICENSE", "uv.lock"}
    screenshots = {n for n in names if n.startswith("screenshots/")}
    assert names == project | package | screenshots
    manifest = json.loads(zipfile.ZipFile(bundle).read("manifest.json"))
    assert manifest["manifest_version"] == "0.4" and manifest["server"]["type"] == "uv"
    assert manifest["version"] == version.group(1)
    assert manifest["server"]["entry_point"] in names
    assert set(manifest["user_config"]) == {"nemo_token", "output_dir"}
    assert {t["name"] for t in manifest["tools"]} == TOOLS
    assert sorted(manifest.get("screenshots", [])) == sorted(screenshots)
    # The host installs exactly what was locked: `uv run --locked`, every package pinned with hashes.
    assert "--locked" in manifest["server"]["mcp_config"]["args"]
    lock = zipfile.ZipFile(bundle).read("uv.lock").decode()
    for dependency in ("mcp", "httpx", "pydantic", "json5", "hachoir"):
        block = re.search(
            rf'\[\[package\]\]\nname = "{dependency}"\nversion = "([^"]+)"(.*?)\n\n', lock, re.S
        )
        assert block and "sha256:" in block.group(2), f"{dependency} is not pinned with a hash"


def test_an_untracked_file_in_the_checkout_never_reaches_the_bundle(tmp_path: Path) -> None:
    """A token cache or scratch file next to the code is not the project's: only git's files go in."""
    repo = tmp_path / "checkout"
    for name in git_files(ROOT):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "snapshot"], check=True)
    planted = {
        "server/ai_video_music/token.json": b'{"token": "nmv_planted_secret_token"}',
        "server/ai_video_music/simulator/notes.txt": b"scratch",
        "manifests/screenshots/private.png": b"\x89PNG not ours",
        ".env": b"NEMO_TOKEN=nmv_planted_secret_token",
    }
    for name, data in planted.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(data)
    bundle = zipfile.ZipFile(build_bundle(repo))
    assert not set(planted) & set(bundle.namelist())
    assert "screenshots/private.png" not in bundle.namelist()
    assert all(b"nmv_planted_secret_token" not in bundle.read(n) for n in bundle.namelist())


@pytest.mark.slow
def test_the_unpacked_bundle_starts_with_uv_run_and_lists_the_five_tools(tmp_path: Path) -> None:
    uv_path = uv()
    folder = tmp_path / "extension"
    zipfile.ZipFile(build_bundle()).extractall(folder)
    config = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["server"]["mcp_config"]
    assert config["command"] == "uv"
    args = [a.replace("${__dirname}", str(folder)) for a in config["args"]]
    # The host's own environment (certificates, proxies, uv's cache) plus the env block as the
    # host fills it when the user leaves both settings empty.
    env = {
        **os.environ,
        **{k: "" for k in config["env"]},
        "NEMO_HOME": str(tmp_path / "state"),
        "UV_PYTHON_DOWNLOADS": "never",  # use this machine's Python 3.11; only PyPI is reachable
    }

    async def list_tools() -> set[str]:
        params = StdioServerParameters(command=uv_path, args=args, env=env, cwd=str(tmp_path))
        with anyio.fail_after(600):  # the first start installs the dependencies
            async with Client(params) as client:
                return {t.name for t in (await client.list_tools()).tools}

    assert anyio.run(list_tools) == TOOLS


@pytest.mark.slow
def test_the_sdist_carries_what_the_tests_need(tmp_path: Path) -> None:
    subprocess.run(
        [uv(), "build", "--sdist", "--out-dir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
    )
    (sdist,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in (
        "LICENSE",
        "README.md",
        "SKILL.md",
        "pyproject.toml",
        ".clawhubignore",
        ".claude-plugin/marketplace.json",
        "scripts/build-mcpb",
        "bench/run.py",
        "tests/conftest.py",
        "tests/test_packaging.py",
        "tests/schemas/registry-server.schema.json",
        "manifests/mcpb/manifest.json",
        "manifests/claude-code/.claude-plugin/icon.png",
        "server/ai_video_music/cli.py",
    ):
        assert needed in names, f"{needed} is missing from the sdist"
    assert not any(n.startswith((".venv", "dist/", ".git/")) for n in names)
