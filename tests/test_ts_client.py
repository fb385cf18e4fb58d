"""The official TypeScript MCP client (npm ``@modelcontextprotocol/sdk``) takes every export.

Its stdio transport refuses a line over 10 MiB (``ReadBuffer``) and drops the connection, so an
answer or a resource that carried a video (base64: 4/3 of it) broke it at a 16-second export.
Here the largest export the server accepts, 4 GiB, goes through a whole sitting with that
client: upload, generate, export, status and a read of every resource. Only the download's bytes
are faked (``ts_client/big_export_server.py`` stretches the real render into a sparse 4 GiB MP4
as it lands): nothing 4 GiB large is written or read.

The SDK is installed from npm, pinned, into a cache folder outside the checkout (the one .ci/run
keeps its tools in); without node or npm the test is skipped, or fails when CI is set.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from ai_video_music.config import Settings
from ai_video_music.simulator import Simulator

from .test_stdio import server_env

pytestmark = pytest.mark.slow

SDK_VERSION = "1.32.2"
HERE = Path(__file__).parent / "ts_client"
LINE_LIMIT = 10 * 1024 * 1024  # the SDK's STDIO_DEFAULT_MAX_BUFFER_SIZE
BIG = 4 * 1024**3
SMALL = 256 * 1024  # what an export's answer or resource may weigh, contact sheet included


def _missing(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def ts_sdk() -> tuple[str, Path]:
    """node and the SDK's package folder, installed once per machine (pinned)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _missing("node and npm are needed for the TypeScript client test (apt-get install nodejs npm)")
    assert node and npm
    prefix = Path(tempfile.gettempdir()) / "ai-video-music-ci-tools" / f"mcp-ts-sdk-{SDK_VERSION}"
    package = prefix / "node_modules" / "@modelcontextprotocol" / "sdk"
    if not (package / "package.json").is_file():
        done = subprocess.run(
            [npm, "install", "--silent", "--no-fund", "--no-audit", "--prefix", str(prefix),
             f"@modelcontextprotocol/sdk@{SDK_VERSION}"],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            _missing(f"npm could not install @modelcontextprotocol/sdk@{SDK_VERSION}: {done.stderr[-500:]}")
    assert json.loads((package / "package.json").read_text())["version"] == SDK_VERSION
    return node, package


def sitting(node: str, package: Path, env: dict[str, str], photo: Path) -> dict[str, Any]:
    spec = {
        "sdk": str(package),
        "sdkVersion": SDK_VERSION,
        "command": sys.executable,
        "args": [str(HERE / "big_export_server.py")],
        "env": env,
        "photo": str(photo),
    }
    done = subprocess.run(
        [node, str(HERE / "session.mjs"), json.dumps(spec)],
        capture_output=True, text=True, timeout=300, check=False, cwd=HERE,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _text(result: dict[str, Any]) -> str:
    return "\n".join(c.get("text", "") for c in result["content"])


def test_a_4_gib_export_reaches_the_typescript_client_whole(
    sim: Simulator, tmp_path: Path, ts_sdk: tuple[str, Path]
) -> None:
    default_cap = next(f.default for f in dataclasses.fields(Settings) if f.name == "max_download_bytes")
    assert default_cap == BIG, "the test covers the largest export the server accepts"
    photo = tmp_path / "beach.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    env = server_env(sim, tmp_path, BIG_EXPORT_BYTES=str(BIG), NEMO_TOOL_BUDGET="60")

    report = sitting(*ts_sdk, env, photo)

    # The connection held: no error, no line the client's buffer refused.
    assert report["errors"] == []
    assert report["lines"] and max(report["lines"]) < LINE_LIMIT  # the App's page is the largest
    steps = report["steps"]
    assert not steps["upload"].get("isError"), _text(steps["upload"])
    assert steps["generate"]["structuredContent"]["status"] == "done", _text(steps["generate"])
    export = steps["exports"][-1]
    assert not export.get("isError"), _text(export)
    done = export["structuredContent"]
    assert done["status"] == "done"
    assert len(json.dumps(export)) < SMALL and len(json.dumps(steps["status"])) < SMALL

    # The real export path kept the file: 4 GiB, still sparse (the test wrote almost nothing).
    saved = Path(done["path"])
    assert saved.parent == tmp_path / "out"
    assert saved.stat().st_size == BIG == done["size_bytes"]
    assert saved.stat().st_blocks * 512 < 64 * 1024**2
    assert done["duration_s"] and done["width"] and done["height"]
    # The contact sheet was drawn from the 4 GiB file's frames: a small JPEG, not the video.
    assert [c["mimeType"] for c in export["content"] if c["type"] == "image"] == ["image/jpeg"]
    assert saved.name in _text(export)
    listed = steps["status"]["structuredContent"]["exports"][0]
    assert (listed["path"], listed["size_bytes"]) == (str(saved), BIG)

    # The resource: the facts and a file:// link to the very file, no bytes.
    assert "nemo://exports/{name}" in report["templates"]
    read = report["resources"][f"nemo://exports/{saved.name}"]["contents"]
    assert len(read) == 1 and "blob" not in read[0] and len(read[0]["text"]) < SMALL
    assert read[0]["mimeType"] == "application/json"
    facts = json.loads(read[0]["text"])
    assert facts["uri"] == saved.as_uri() and facts["path"] == str(saved)
    assert (facts["size_bytes"], facts["mime_type"], facts["verified"]) == (BIG, "video/mp4", True)
    assert (facts["duration_s"], facts["width"], facts["height"]) == (
        done["duration_s"],
        done["width"],
        done["height"],
    )
    for uri, result in report["resources"].items():  # the App's page and the timeline: no blob
        assert all("blob" not in content for content in result["contents"]), uri
