"""Bad input through the tools: each gets its own true sentence and remedy, in the user's language,
and nothing is sent or lost.

Messages are checked against the catalogue entry they must use (with the path or name in it) rather
than against copied wording, so a reworded sentence doesn't break a test but a wrong one does.
"""

from __future__ import annotations

import dataclasses
import glob
import itertools
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, types
from mcp.types import CallToolResult

from ai_video_music import media, uploads
from ai_video_music.config import Settings
from ai_video_music.errors import InputError
from ai_video_music.messages import Lang, t
from ai_video_music.simulator import Simulator
from ai_video_music.store import Store
from ai_video_music.tools import create_server

from .conftest import call, inject, requests_to, text

pytestmark = pytest.mark.anyio

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 64


@pytest.fixture
async def mcp(settings: Settings) -> AsyncIterator[Client]:
    async with Client(create_server(settings)) as client:
        yield client


@pytest.fixture
async def mcp_zh(settings: Settings) -> AsyncIterator[Client]:
    """The same server with NEMO_LANGUAGE=zh."""
    async with Client(create_server(dataclasses.replace(settings, language="zh"))) as client:
        yield client


def error_text(result: CallToolResult) -> str:
    assert result.is_error, f"expected an error result, got: {text(result)[:300]}"
    message = text(result)
    message.encode("utf-8")  # never a lone surrogate: the stdio writer would die on it
    return message


def says(message: str, key: str, lang: Lang = "en", /, **params: Any) -> bool:
    """Whether ``message`` contains the catalogue sentence ``key`` and its remedy (when it has one)."""
    from ai_video_music.messages import CATALOGUE

    parts = [t(key, lang, **params)]
    if key + ".remedy" in CATALOGUE:
        parts.append(t(key + ".remedy", lang, **params))
    return all(p in message for p in parts)


def jpeg(path: Path) -> Path:
    path.write_bytes(JPEG)
    return path


# --- local files ---------------------------------------------------------------------------------


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str, dict[str, Any], str | None]]:
    """case: (path, catalogue key, its parameters, remedy key when it isn't key + ".remedy")."""
    folder = tmp / "folder.mp4"
    folder.mkdir()
    empty = tmp / "empty.jpg"
    empty.touch()
    huge = tmp / "huge.mov"
    with huge.open("wb") as fh:
        fh.write(b"\0\0\0\x14ftypqt  ")
        fh.truncate(500 * 1024 * 1024 + 1)
    loop_a, loop_b = tmp / "loop_a.mp4", tmp / "loop_b.mp4"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    broken = tmp / "broken.png"
    broken.symlink_to(tmp / "gone.png")
    docx = tmp / "notes.docx"
    docx.write_bytes(b"PK\x03\x04")
    key = tmp / "id_ed25519.jpg"
    key.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n")
    long_name = tmp / ("a" * 300 + ".jpg")
    return {
        "missing": (tmp / "nope.mp4", "input.not_found", {"path": str(tmp / "nope.mp4")}, None),
        "directory": (folder, "input.folder", {"path": str(folder)}, None),
        "empty": (empty, "input.empty", {"name": "empty.jpg"}, None),
        "over 500 MB": (huge, "input.too_big", {"name": "huge.mov", "mb": 500}, "error.4002.remedy"),
        "symlink loop": (loop_a, "input.symlink_loop", {"path": str(loop_a)}, None),
        "broken symlink": (broken, "input.broken_link", {"path": str(broken)}, None),
        "unsupported": (docx, "input.type", {"name": "notes.docx", "ext": "docx"}, "error.4001.remedy"),
        "key renamed .jpg": (key, "input.not_media", {"name": "id_ed25519.jpg"}, "error.4001.remedy"),
        "name too long": (long_name, "input.name_too_long", {"name": "a" * 60 + "…"}, None),
    }


BAD_FILES = [
    "missing", "directory", "empty", "over 500 MB", "symlink loop", "broken symlink", "unsupported",
    "key renamed .jpg", "name too long",
]  # fmt: skip


@pytest.mark.parametrize("case", BAD_FILES)
async def test_bad_local_files_are_refused_before_anything_is_sent(
    mcp: Client, sim: Simulator, tmp_path: Path, case: str
) -> None:
    path, key, params, remedy = _bad_files(tmp_path)[case]
    good = jpeg(tmp_path / "good.jpg")
    message = error_text(await call(mcp, "upload", {"files": [str(good), str(path)]}))
    assert t(key, "en", **params) in message
    assert t(remedy or key + ".remedy", "en", **params) in message
    assert requests_to(sim, "upload") == [], "one bad file stops the whole batch before any byte is sent"


@pytest.mark.parametrize("pattern", ["{folder}/*", "{folder}/passport.jpg", "{folder}/missing.jpg"])
async def test_hosted_upload_never_reads_or_lists_the_servers_disk(
    settings: Settings, sim: Simulator, tmp_path: Path, pattern: str
) -> None:
    """A signed-in user of a hosted server names files on the server's disk: nothing is read,
    sent, listed or confirmed to exist; the answer says to send links."""
    from ai_video_music.hosted.accounts import User
    from ai_video_music.hosted.users import user_settings

    folder = tmp_path / "server-secrets"
    folder.mkdir()
    jpeg(folder / "passport.jpg")
    (folder / "id_rsa").write_text("PRIVATE KEY", encoding="utf-8")
    hosted = user_settings(settings, tmp_path / "state", User("u1"))
    async with Client(create_server(hosted)) as mcp:
        message = error_text(await call(mcp, "upload", {"files": [pattern.format(folder=folder)]}))
    assert says(message, "input.no_local_files")
    assert "passport" not in message and "id_rsa" not in message and "missing" not in message
    assert requests_to(sim, "upload") == []


async def test_a_too_long_name_is_not_called_a_symlink_loop(mcp: Client, tmp_path: Path) -> None:
    long_name = tmp_path / ("b" * 300 + ".mp4")
    message = error_text(await call(mcp, "upload", {"files": [str(long_name)]}))
    assert "loop" not in message and "Rename the file" in message


async def test_a_key_file_renamed_jpg_never_leaves_the_machine(
    mcp: Client, sim: Simulator, tmp_path: Path
) -> None:
    secret = b"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7secretmaterial\n"
    disguised = tmp_path / "holiday.jpg"
    disguised.write_bytes(secret)
    message = error_text(await call(mcp, "upload", {"files": [str(disguised)]}))
    assert t("input.not_media", "en", name="holiday.jpg") in message
    assert "content" in message, "says why: the content, not the name"
    assert "PRIVATE KEY" not in message
    assert requests_to(sim, "upload") == []


def _non_utf8_file(folder: Path) -> Path:
    folder.mkdir()
    raw = os.fsencode(folder) + b"/caf\xe9.jpg"  # Latin-1 bytes: not a UTF-8 name
    with open(raw, "wb") as fh:
        fh.write(JPEG)
    return Path(os.fsdecode(raw))


@pytest.mark.parametrize("how", ["wildcard", "path"])
async def test_a_non_utf8_file_name_gets_its_own_sentence(
    mcp: Client, sim: Simulator, tmp_path: Path, how: str
) -> None:
    path = _non_utf8_file(tmp_path / "pics")
    arg = str(tmp_path / "pics" / "*.jpg") if how == "wildcard" else str(path)
    message = error_text(await call(mcp, "upload", {"files": [arg]}))
    assert "not UTF-8" in message and t("input.bad_name.remedy", "en") in message
    assert "caf" in message and str(tmp_path / "pics") in message, "names the file"
    assert "UnicodeEncodeError" not in message and "stopped unexpectedly" not in message
    assert requests_to(sim, "upload") == []
    # The server is still there and answers the next call.
    assert not (await call(mcp, "credits")).is_error


def test_an_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "private.mp4"
    secret.write_bytes(b"\0\0\0\x18ftypmp42" + b"\0" * 10)
    secret.chmod(0o000)
    if os.geteuid() == 0:
        # Root opens any file, so the OS can't refuse it: make open() answer as it would for a user.
        real_open = os.open

        def refusing(path: Any, flags: int, *args: Any) -> int:
            if Path(path) == secret:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args)

        monkeypatch.setattr(media.os, "open", refusing)
    with pytest.raises(InputError) as info:
        media.check_upload_file(secret)
    assert says(str(info.value), "input.permission", "en", path=str(secret))


async def test_more_than_50_files_are_refused_with_the_limit(
    mcp: Client, sim: Simulator, tmp_path: Path
) -> None:
    files = [str(jpeg(tmp_path / f"p{i:02d}.jpg")) for i in range(51)]
    message = error_text(await call(mcp, "upload", {"files": files}))
    assert says(message, "input.too_many", "en", n=51, max=50)
    assert requests_to(sim, "upload") == []


async def test_files_and_links_together_count_toward_the_limit(mcp: Client, tmp_path: Path) -> None:
    files = [str(jpeg(tmp_path / f"p{i:02d}.jpg")) for i in range(45)]
    urls = [f"https://example.com/{i}.mp4" for i in range(6)]
    assert says(error_text(await call(mcp, "upload", {"files": files, "urls": urls})), "input.too_many", "en",
                n=51, max=50)  # fmt: skip


# --- relative paths and wildcards ------------------------------------------------------------------


async def test_a_relative_path_is_refused_with_a_request_for_an_absolute_one(
    mcp: Client, sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jpeg(tmp_path / "beach.jpg")
    monkeypatch.chdir(tmp_path)  # the file exists in the server's working directory: still refused
    message = error_text(await call(mcp, "upload", {"files": ["beach.jpg"]}))
    assert says(message, "input.relative", "en", path="beach.jpg")
    assert requests_to(sim, "upload") == []


def _roots_callback(*folders: Path) -> Any:
    async def list_roots(context: Any) -> types.ListRootsResult:
        return types.ListRootsResult(roots=[types.Root(uri=f.as_uri(), name=f.name) for f in folders])

    return list_roots


async def test_a_relative_path_is_resolved_against_the_clients_roots(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    other, workspace = tmp_path / "other", tmp_path / "workspace"
    other.mkdir()
    (workspace / "trip").mkdir(parents=True)
    jpeg(workspace / "trip" / "beach.jpg")
    async with Client(
        create_server(settings), list_roots_callback=_roots_callback(other, workspace)
    ) as client:
        result = await call(client, "upload", {"files": ["trip/beach.jpg"]})
    assert not result.is_error, text(result)
    assert [f["name"] for f in (result.structured_content or {})["files"]] == ["beach.jpg"]
    assert len(requests_to(sim, "upload")) == 1


async def test_a_relative_wildcard_is_expanded_inside_the_clients_roots(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    for name in ("a.jpg", "b.jpg"):
        jpeg(workspace / name)
    async with Client(create_server(settings), list_roots_callback=_roots_callback(workspace)) as client:
        result = await call(client, "upload", {"files": ["*.jpg"]})
    assert not result.is_error, text(result)
    assert sorted(f["name"] for f in (result.structured_content or {})["files"]) == ["a.jpg", "b.jpg"]


async def test_a_relative_path_outside_the_roots_names_the_roots(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    async with Client(create_server(settings), list_roots_callback=_roots_callback(workspace)) as client:
        message = error_text(await call(client, "upload", {"files": ["missing.jpg"]}))
    assert says(message, "input.relative_missing", "en", path="missing.jpg", roots=str(workspace))
    assert requests_to(sim, "upload") == []


async def test_broad_wildcards_are_capped(mcp: Client, sim: Simulator, tmp_path: Path) -> None:
    for d in range(4):
        folder = tmp_path / f"d{d}"
        folder.mkdir()
        for i in range(20):
            jpeg(folder / f"{i}.jpg")
    message = error_text(await call(mcp, "upload", {"files": [str(tmp_path / "*" / "*.jpg")]}))
    assert says(message, "input.too_many", "en", n="50+", max=50)
    assert requests_to(sim, "upload") == []


async def test_a_wildcard_matching_nothing_says_so(mcp: Client, tmp_path: Path) -> None:
    pattern = str(tmp_path / "*.png")
    assert says(error_text(await call(mcp, "upload", {"files": [pattern]})), "input.no_match", "en",
                pattern=pattern)  # fmt: skip


@pytest.fixture
def endless_glob(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """A file system where a wildcard matches without end and the search only goes on once released."""
    started, release = threading.Event(), threading.Event()

    def iglob(pattern: str, *args: Any, **kwargs: Any) -> Iterator[str]:
        started.set()
        release.wait(20)
        for i in itertools.count():
            yield f"/photos/{i}.jpg"

    monkeypatch.setattr(uploads, "iter_glob", iglob)
    yield started, release
    release.set()


async def test_a_slow_broad_wildcard_does_not_freeze_the_server(
    mcp: Client, endless_glob: tuple[threading.Event, threading.Event]
) -> None:
    started, release = endless_glob
    outcome: list[CallToolResult] = []

    async def upload() -> None:
        outcome.append(await call(mcp, "upload", {"files": ["/*/*/*/*.jpg"]}))

    with anyio.fail_after(30):
        async with anyio.create_task_group() as tg:
            tg.start_soon(upload)
            assert await anyio.to_thread.run_sync(started.wait, 20)
            # The search is under way (and blocked): another call is answered meanwhile.
            assert not (await call(mcp, "credits")).is_error
            assert not outcome, "the wildcard was still being expanded"
            release.set()
    # Endless matches stop at the cap instead of running forever.
    assert says(error_text(outcome[0]), "input.too_many", "en", n="50+", max=50)


async def test_a_wildcard_that_matches_nothing_in_a_big_tree_stops_walking_when_it_answers(
    mcp: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deep pattern that matches nothing ("~/*/*/*/*.heic" over a big home folder) is told as
    too slow, and the walk itself stops at its limit: no search thread goes on after the answer
    (the walk used to check its deadline only when a file matched)."""
    for a in range(8):
        for b in range(8):
            (tmp_path / f"d{a}" / f"e{b}").mkdir(parents=True)
    monkeypatch.setattr(uploads, "MAX_GLOB_ENTRIES", 30)  # the 72 folders are more than that
    pattern = str(tmp_path / "*" / "*" / "*.heic")
    answer = error_text(await call(mcp, "upload", {"files": [pattern]}))
    # Told when the walk stopped at its limit (it went on to the end and said "no match" before).
    assert says(answer, "input.glob_slow", "en", pattern=pattern)


def test_the_bounded_walk_finds_what_glob_finds(tmp_path: Path) -> None:
    for name in ("a.jpg", "b.JPG", ".hidden.jpg", "sub/c.jpg", "sub/deeper/d.jpg", "other/e.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    for pattern in ("*.jpg", "*/*.jpg", "*/*/*.jpg", "**/*.jpg", ".*", "[ab].*", "sub/*", "none/*", "?.jpg"):
        full = str(tmp_path / pattern)
        assert sorted(uploads.iter_glob(full, time.monotonic() + 30)) == sorted(glob.glob(full)), pattern
    if os.path.isdir("/proc/self/fd"):  # folders that list but can't be read on are no matches
        assert list(uploads.iter_glob("/proc/self/fd/*/*/map_files/*.zzz", time.monotonic() + 30)) == []
    with pytest.raises(uploads.GlobTooSlow):
        list(uploads.iter_glob(str(tmp_path / "*" / "*.zzz"), time.monotonic() - 1))  # past its deadline


# --- links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/a.mp4", "javascript:alert(1)", "/tmp/a.mp4"]
)
async def test_non_http_links_are_refused(mcp: Client, sim: Simulator, url: str) -> None:
    assert says(error_text(await call(mcp, "upload", {"urls": [url]})), "input.url_scheme", "en", url=url)
    assert requests_to(sim, "upload") == []


async def test_links_with_credentials_are_refused_and_not_echoed(mcp: Client, sim: Simulator) -> None:
    url = "https://alice:s3cret-pass@media.example.com/clip.mp4"
    message = error_text(await call(mcp, "upload", {"urls": [url]}))
    assert says(message, "input.url_credentials", "en", host="media.example.com")
    assert "s3cret-pass" not in message and "alice" not in message
    assert requests_to(sim, "upload") == []


async def test_an_upload_naming_nothing_explains_itself(mcp: Client) -> None:
    assert says(error_text(await call(mcp, "upload", {})), "input.nothing_to_upload", "en")


# --- prompts and options ---------------------------------------------------------------------------


@pytest.mark.parametrize("prompt", ["", "   \n"])
async def test_empty_prompts_are_refused_without_spending_credits(
    mcp: Client, sim: Simulator, prompt: str
) -> None:
    assert says(error_text(await call(mcp, "generate", {"prompt": prompt})), "input.prompt_empty", "en")
    assert requests_to(sim, "run_sse") == []


async def test_a_huge_prompt_is_refused_with_the_limit(mcp: Client, sim: Simulator) -> None:
    prompt = "make it pop " * 2000
    message = error_text(await call(mcp, "generate", {"prompt": prompt}))
    assert says(message, "input.prompt_long", "en", n=len(prompt), max=8000)
    assert requests_to(sim, "run_sse") == []


@pytest.mark.parametrize("args", [{"format": "gif"}, {"quality": "ultra"}, {"format": 3}])
async def test_invalid_export_options_are_refused(mcp: Client, sim: Simulator, args: dict[str, Any]) -> None:
    message = error_text(await call(mcp, "export", args))
    assert "format" in message or "quality" in message
    assert requests_to(sim, "render") == []


async def test_an_unwritable_output_folder_fails_before_rendering(
    settings: Settings, sim: Simulator, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    conf = dataclasses.replace(settings, output_dir=blocker / "videos")
    async with Client(create_server(conf)) as client:
        await call(client, "upload", {"files": [str(jpeg(tmp_path / "a.jpg"))]})
        await call(client, "generate", {"prompt": "make a video"})
        message = error_text(await call(client, "export"))
    assert says(message, "error.output_dir", "en", path=str(blocker / "videos"))
    assert "NEMO_OUTPUT_DIR" in message
    assert requests_to(sim, "render") == [], "no render is started that could not be saved"


# --- unreadable backend answers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "key", "params"),
    [
        ("malformed", "error.bad_response", {}),
        ("html", "error.5xx", {"ref": "HTTP 502"}),
        ("shape", "error.bad_shape", {"what": "Credits"}),
    ],
)
async def test_unreadable_backend_answers_are_explained(
    mcp: Client, sim: Simulator, kind: str, key: str, params: dict[str, Any]
) -> None:
    await call(mcp, "credits")
    inject(sim, "credits", kind, times=10)
    message = error_text(await call(mcp, "credits"))
    assert t(key, "en", **params) in message
    assert "Error executing tool credits: Error executing" not in message


# --- the user's language -----------------------------------------------------------------------


async def test_errors_follow_nemo_language(mcp_zh: Client, sim: Simulator, tmp_path: Path) -> None:
    missing = tmp_path / "不存在.mp4"
    message = error_text(await call(mcp_zh, "upload", {"files": [str(missing)]}))
    assert says(message, "input.not_found", "zh", path=str(missing))
    message = error_text(await call(mcp_zh, "upload", {"files": ["beach.jpg"]}))
    assert says(message, "input.relative", "zh", path="beach.jpg")
    assert "absolute" not in message


async def test_errors_follow_the_language_of_the_latest_prompt(
    mcp: Client, sim: Simulator, tmp_path: Path
) -> None:
    folder = tmp_path / "相册"
    folder.mkdir()
    english = error_text(await call(mcp, "upload", {"files": [str(folder)]}))
    assert says(english, "input.folder", "en", path=str(folder))
    await call(mcp, "generate", {"prompt": "查看积分"})  # a Chinese prompt, answered without the agent
    chinese = error_text(await call(mcp, "upload", {"files": [str(folder)]}))
    assert says(chinese, "input.folder", "zh", path=str(folder))
    assert requests_to(sim, "run_sse") == []


# --- nothing lost ----------------------------------------------------------------------------------


async def test_a_bad_call_loses_nothing_already_stored(
    mcp: Client, settings: Settings, tmp_path: Path
) -> None:
    await call(mcp, "upload", {"files": [str(jpeg(tmp_path / "keep.jpg"))]})
    store = Store(settings.home)
    try:
        project_id = store.get("current_project")
        assert project_id
        before = store.media_page(project_id, 100)
        project = store.project(project_id)
        assert before[1] == 1
    finally:
        store.close()
    error_text(await call(mcp, "upload", {"files": [str(tmp_path / "missing.jpg")]}))
    error_text(await call(mcp, "upload", {"files": ["relative.jpg"]}))
    error_text(await call(mcp, "generate", {"prompt": ""}))
    store = Store(settings.home)
    try:
        assert store.get("current_project") == project_id
        assert store.media_page(project_id, 100) == before
        assert store.project(project_id) == project
    finally:
        store.close()


async def test_a_wildcard_of_hundreds_of_folder_levels_is_told_not_a_crash(
    mcp: Client, tmp_path: Path
) -> None:
    """attack17 A10: "d/../" 700 times then "*.jpg" overflowed the stack in the walk (one level of
    recursion per part): a bare "Error executing tool upload". Now a sentence says why."""
    (tmp_path / "d").mkdir()
    (tmp_path / "a.jpg").write_bytes(b"x")
    pattern = str(tmp_path) + "/" + "d/../" * 700 + "*.jpg"
    answer = error_text(await call(mcp, "upload", {"files": [pattern]}))
    # (The 3,500-character pattern itself is shortened in the answer, as every long name is.)
    assert f"has more than {uploads.MAX_GLOB_PARTS} folder levels" in answer
    assert t("input.glob_deep.remedy", "en") in answer and "Error executing tool" not in answer
    with pytest.raises(uploads.GlobTooSlow):  # the walk itself never goes that deep either
        list(uploads.iter_glob(pattern, time.monotonic() + 30))
    # A few levels with ".." are still walked, as glob walks them.
    near = str(tmp_path) + "/" + "d/../" * 5 + "*.jpg"
    assert list(uploads.iter_glob(near, time.monotonic() + 30)) == glob.glob(near)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("/tmp/" + "a" * 300 + "*.jpg", "input.name_too_long"),
        ("/tmp/" + "*a" * 200 + "b.jpg", "input.name_too_long"),
        ("/tmp/" + "a/" * 3000 + "*.jpg", "input.path_too_long"),
        ("/tmp/" + "a/" * 3000 + "x.jpg", "input.path_too_long"),
        ("/tmp/x\x00y.jpg", "input.nul_in_path"),
        ("~nosuchuser19/a.jpg", "input.no_such_home"),
        ("~nosuchuser19/*.jpg", "input.no_such_home"),
    ],
)
async def test_paths_no_file_can_have_are_told_not_a_crash(mcp: Client, typed: str, key: str) -> None:
    """attack19 L3: an over-long name or path behind a wildcard, a NUL byte and the home folder
    of an account that doesn't exist crashed the tool ("Error executing tool upload")."""
    answer = error_text(await call(mcp, "upload", {"files": [typed]}))
    assert "Error executing tool" not in answer
    assert t(key + ".remedy", "en") in answer, answer
    assert len(answer) < 1000  # a 6,000-character path is named shortened
    assert "\x00" not in answer


async def test_a_path_of_no_account_is_told_in_chinese_too(mcp_zh: Client) -> None:
    answer = error_text(await call(mcp_zh, "upload", {"files": ["~nosuchuser19/a.jpg"]}))
    assert says(answer, "input.no_such_home", "zh", path="~nosuchuser19/a.jpg"), answer
