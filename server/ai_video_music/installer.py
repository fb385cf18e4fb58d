"""``ai-video-music install --client X``: add our server to a client's config, losing nothing.

Where the host has its own command for this (``claude mcp add-json``, ``openclaw mcp set``)
and it is on PATH, that command writes the entry: the host knows its own file best (Claude
Code rewrites ``~/.claude.json`` while it runs). Otherwise, where the host's command would
lose something the user has (OpenClaw's own writer strips JSON5 comments and replaces a
symlinked config with a plain file), and where the entry may hold a secret (a token in its
``env``, a key we don't know: a command line is readable by every local account), we edit the
file ourselves (then 0600 when the entry may hold a secret):

- it is read the way the host reads it: strict JSON, or JSON5 for OpenClaw (the ``json5``
  package, the maintained pure-Python implementation), a UTF-8 BOM allowed and kept;
- only our entry's text is replaced, or a new member inserted, so other keys, comments,
  indentation, line endings and every number's spelling stay byte for byte, at any size (plain
  JSON is walked with the standard library's scanner; the result is parsed again and compared
  with the intended data; a mismatch falls back to rewriting the whole file, only when that
  respells no number, else nothing is written and the user is told to add the entry by hand);
- an existing entry keeps its own extra keys, ``env`` and (for our own command) ``args``; a URL
  entry's ``url``/``headers``/``type`` (``install --http``) go;
- a timestamped backup is written first; the new file replaces the old atomically, through a
  symlink to its target, with the target's permissions;
- a second run changes nothing. ``--dry-run`` prints the diff and writes nothing.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import json5

from .fsutil import atomic_write_bytes

SERVER_KEY = "ai-video-generator-free-music"
DIST_NAME = "ai-video-generator-free-music"
CLIENTS = ("claude-desktop", "claude-code", "cursor", "openclaw")
OUR_COMMANDS = ("ai-video-music", "ai-video-generator-free-music")
# Our code runs from site-packages, where the install path can't tell which host started it,
# so the host's entry says so (the backend's attribution values).
PLATFORM_OF = {"claude-code": "claude_code", "cursor": "cursor", "openclaw": "clawhub"}
# Claude Desktop from the Microsoft Store / MSIX installer keeps its roaming data here.
MSIX_PACKAGE = "Claude_pzs8sxrjxfjjc"
BOM = "\ufeff"
HOST_CLI_TIMEOUT = 120.0

Which = Callable[[str], str | None]
EntryBuilder = Callable[[object], dict[str, Any]]  # the previous entry (or None) -> ours
Runner = Callable[[Sequence[str], Mapping[str, str]], "subprocess.CompletedProcess[str]"]


class InstallError(Exception):
    """Something the user must fix before we can install (an unreadable config, say)."""


@dataclass(frozen=True)
class Change:
    path: Path
    before: str | None
    after: str
    new_mode: int = 0o600  # a new config may soon hold a token in its env block
    entry: dict[str, Any] | None = None  # our server's entry, for a host's own CLI
    note: str = ""
    secret: str | None = field(default=None, repr=False)  # in ``after``: file kept 0600, diff masked

    @property
    def private(self) -> bool:
        """The new file may hold a secret (ours, or the entry's env): no group or other access."""
        return self.secret is not None or (self.entry is not None and not argv_safe(self.entry))

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        text = "".join(
            difflib.unified_diff(
                (self.before or "").splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"{self.path} (now)",
                tofile=f"{self.path} (after install)",
            )
        )
        return text.replace(self.secret, "<secret>") if self.secret else text


# --- where each client keeps its config ---------------------------------------------------------


def _env_path(env: Mapping[str, str], name: str) -> Path | None:
    value = env.get(name, "").strip()
    return Path(value).expanduser() if value else None


def claude_desktop_config(home: Path, env: Mapping[str, str], platform: str) -> Path:
    """Claude Desktop's config: per OS, and on Windows in the MSIX package folder when it exists."""
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
    if platform == "win32":
        local = _env_path(env, "LOCALAPPDATA") or home / "AppData" / "Local"
        package = local / "Packages" / MSIX_PACKAGE
        if package.is_dir():  # the MSIX app ignores %APPDATA%\Claude
            return package / "LocalCache" / "Roaming" / "Claude" / "claude_desktop_config.json"
        roaming = _env_path(env, "APPDATA") or home / "AppData" / "Roaming"
        return roaming / "Claude" / "claude_desktop_config.json"
    config = _env_path(env, "XDG_CONFIG_HOME") or home / ".config"
    return config / "Claude" / "claude_desktop_config.json"


def openclaw_state_dir(home: Path, env: Mapping[str, str], profile: str | None = None) -> Path:
    """OpenClaw's state folder: ``OPENCLAW_STATE_DIR``, else ``~/.openclaw[-<profile>]``.

    An explicit state folder wins over a profile, as in OpenClaw itself; ``OPENCLAW_HOME``
    replaces the home folder for its defaults.
    """
    explicit = _env_path(env, "OPENCLAW_STATE_DIR")
    if explicit:
        return explicit
    base = _env_path(env, "OPENCLAW_HOME") or home
    profile = (profile or env.get("OPENCLAW_PROFILE", "")).strip()
    return base / (f".openclaw-{profile}" if profile and profile != "default" else ".openclaw")


def config_path(
    client: str,
    home: Path,
    env: Mapping[str, str],
    platform: str = sys.platform,
    profile: str | None = None,
) -> Path:
    """Where each client keeps its MCP server list."""
    if client == "claude-desktop":
        return claude_desktop_config(home, env, platform)
    if client == "claude-code":
        return (_env_path(env, "CLAUDE_CONFIG_DIR") or home) / ".claude.json"
    if client == "cursor":
        return home / ".cursor" / "mcp.json"
    if client == "openclaw":
        return (
            _env_path(env, "OPENCLAW_CONFIG_PATH") or openclaw_state_dir(home, env, profile) / "openclaw.json"
        )
    raise InstallError(f"Unknown client {client!r}; choose one of: {', '.join(CLIENTS)}.")


def _servers_keys(client: str) -> tuple[str, ...]:
    return ("mcp", "servers") if client == "openclaw" else ("mcpServers",)


def _accepts_json5(client: str) -> bool:
    return client == "openclaw"  # the others parse strict JSON (a trailing comma breaks them)


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    text: str | None  # None: no file yet
    data: dict[str, Any]
    bom: bool = False
    plain: bool = True  # plain JSON (else JSON5 syntax, only in a file of a config's size)

    @property
    def body(self) -> str:
        return (self.text or "").removeprefix(BOM)


MAX_CONFIG_BYTES = 64 * 1024 * 1024  # a config is a few KB; anything this big isn't one
# The JSON5 parser (pure Python) takes minutes over tens of megabytes. Plain JSON is read, and
# edited in place, with the standard library whatever its size; JSON5 syntax only up to this many
# characters.
MAX_JSON5_CHARS = 1_000_000


def read_regular(path: Path) -> bytes | None:
    """The bytes of the regular file at ``path`` (links followed), None when there is none.

    A FIFO, socket or device is refused at once: it is opened without blocking and checked
    before a single byte is read (reading a FIFO would wait for a writer for ever).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise InstallError(f"{path} is a folder, not a config file; nothing was changed.") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InstallError(
                f"{path} is not a regular file (a pipe, socket or device?); nothing was changed. "
                "Move it away, then run install again."
            )
        if info.st_size > MAX_CONFIG_BYTES:
            raise InstallError(f"{path} is too large to be a config file; nothing was changed.")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _parse(path: Path, body: str, json5_ok: bool) -> tuple[Any, bool]:
    """Plain JSON first (fast, and valid JSON5 too); JSON5 syntax only where the host reads it and
    only in a file of a config's size. The data, and whether the text was plain JSON."""
    try:
        return json.loads(body), True
    except ValueError:
        if not json5_ok:
            raise
    if len(body) > MAX_JSON5_CHARS:
        raise InstallError(
            f"{path} is over 1 MB and not plain JSON, too large to be read as JSON5; nothing was changed. "
            "Move it away, then run install again."
        )
    return json5.loads(body), False


def read_config(path: Path, json5_ok: bool) -> Config:
    raw = read_regular(path)
    if raw is None:
        return Config(None, {})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InstallError(f"{path} isn't UTF-8 text ({err}); nothing was changed.") from err
    body = text.removeprefix(BOM)
    if not body.strip():
        return Config(text, {}, text.startswith(BOM))
    try:
        data, plain = _parse(path, body, json5_ok)
    except RecursionError:
        raise _too_deep(path) from None
    except ValueError as err:
        kind = "JSON5" if json5_ok else "JSON"
        raise InstallError(
            f"{path} isn't valid {kind} ({err}); nothing was changed. Fix or move it, then run install again."
        ) from err
    if not isinstance(data, dict):
        raise InstallError(f"{path} doesn't hold a JSON object; nothing was changed.")
    return Config(text, data, text.startswith(BOM), plain)


# --- the entry ----------------------------------------------------------------------------------


def _is_ours(command: object) -> bool:
    return isinstance(command, str) and Path(command).stem in OUR_COMMANDS


# Keys of a URL entry (``install --http``) that would turn a command entry back into it.
URL_KEYS = ("url", "headers")
# What a host CLI's argument may carry of the entry: a command line is readable by every local
# account (``/proc/*/cmdline``). Our documented settings that are neither a token nor an address
# (which may hold one); any other key or variable may be a secret.
ARGV_SAFE_KEYS = ("command", "args", "type", "env", "cwd", "timeout")
ARGV_SAFE_ENV = (
    "NEMO_SKILL_PLATFORM", "NEMO_HOME", "NEMO_OUTPUT_DIR", "NEMO_LANGUAGE", "NEMO_LOG_LEVEL",
    "NEMO_POLL_INTERVAL", "NEMO_TOOL_BUDGET", "NEMO_RETRY_BACKOFF", "NEMO_RENDER_TIMEOUT",
    "NEMO_MAX_DOWNLOAD_MB", "NEMO_DOWNLOAD_TIMEOUT", "NEMO_MEDIA_ORIGINS",
)  # fmt: skip


def merged_entry(previous: object, client: str, command: str) -> dict[str, Any]:
    """Our entry: the previous one's own keys and env kept, the command updated.

    Its ``args`` stay when they were arguments to our own command (say ``-v``); after
    another launcher (``uvx``, ``uv run``) they were that launcher's and would break ours.
    A URL entry's keys (``url``, ``headers``, a ``type`` other than stdio) go: left in, the host
    would keep using the URL (and the headers hold ``install --http``'s secret).
    """
    old = dict(previous) if isinstance(previous, dict) else {}
    old = {k: v for k, v in old.items() if k not in URL_KEYS}
    if old.get("type") != "stdio":
        old.pop("type", None)
    env = dict(old.get("env") or {}) if isinstance(old.get("env"), dict) else {}
    if client in PLATFORM_OF:
        env.setdefault("NEMO_SKILL_PLATFORM", PLATFORM_OF[client])  # a user's own value wins
    args = old.get("args") if _is_ours(old.get("command")) and isinstance(old.get("args"), list) else []
    return {**old, "command": command, "args": args, "env": env}


def _walk_to_servers(data: dict[str, Any], keys: Sequence[str], path: Path) -> dict[str, Any]:
    node = data
    for key in keys:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise InstallError(f"'{key}' in {path} is not an object; fix it by hand first.")
        if "$include" in child:
            raise InstallError(
                f"'{key}' in {path} comes from an $include file; add the server there, or with "
                "`openclaw mcp set`."
            )
        node = child
    return node


# --- editing only our span ----------------------------------------------------------------------


def _skip(text: str, i: int) -> int:
    """Skip JSON5 whitespace and comments."""
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isspace() or ch == BOM:
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] not in "\r\n\u2028\u2029":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            break
    return i


_JSON = json.JSONDecoder()


def _value_end(text: str, start: int, strict: bool = False) -> int:
    """One past the value starting at ``start``, as the JSON5 parser itself reads it (``strict``:
    a plain JSON file, read by the standard library's scanner, fast at any size)."""
    if strict:
        return _JSON.raw_decode(text, start)[1]
    _value, err, end = json5.parse(text, start=start, consume_trailing=False)
    if err:
        raise ValueError(err)
    return end


@dataclass(frozen=True)
class Member:
    key: str
    key_start: int
    value_start: int
    value_end: int


def _members(text: str, open_brace: int, strict: bool = False) -> tuple[list[Member], int]:
    """The members of the object whose ``{`` is at ``open_brace``, and the index of its ``}``."""
    members: list[Member] = []
    i = _skip(text, open_brace + 1)
    while text[i] != "}":
        key_start = i
        if text[i] in "\"'":
            key_end = _value_end(text, i, strict)
        else:  # an identifier key (JSON5)
            key_end = i
            while key_end < len(text) and text[key_end] != ":" and not text[key_end].isspace():
                if text.startswith(("//", "/*"), key_end):
                    break
                key_end += 1
        raw_key = text[key_start:key_end]
        key = json.loads(raw_key) if strict else next(iter(json5.loads("{" + raw_key + ": 0}")))
        i = _skip(text, key_end)
        if text[i] != ":":
            raise ValueError(f"expected ':' at {i}")
        value_start = _skip(text, i + 1)
        value_end = _value_end(text, value_start, strict)
        members.append(Member(key, key_start, value_start, value_end))
        i = _skip(text, value_end)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return members, i


def _line_start(text: str, i: int) -> int:
    return max(text.rfind("\n", 0, i), text.rfind("\r", 0, i)) + 1


def _indent_at(text: str, i: int) -> str:
    start = _line_start(text, i)
    line = text[start:i]
    return line[: len(line) - len(line.lstrip(" \t"))]


_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(value: Any, indent: str | None = None) -> str:
    """``value`` as strict JSON text that encodes as UTF-8: a lone surrogate (read from an escape
    such as ``"\\ud83d"``) is written as that escape again; a number JSON can't spell (``1e400``
    read as infinity) raises ValueError rather than being written as the word Infinity."""
    text = json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _render(value: Any, indent: str, step: str, newline: str) -> str:
    """``value`` as JSON laid out like its surroundings: nested lines start with ``indent``."""
    if not step:
        return dumps(value)
    return dumps(value, indent=step).replace("\n", newline + indent)


def _step(text: str, members: list[Member], object_indent: str) -> str:
    """The file's indentation unit, guessed from the first member; two spaces by default."""
    if members:
        first = members[0].key_start
        inner = _indent_at(text, first)
        if not text[_line_start(text, first) : first].strip() and inner.startswith(object_indent):
            return inner[len(object_indent) :] or "  "
    return "\t" if "\t" in object_indent else "  "


def _insert_member(
    text: str, open_brace: int, key: str, value: Any, newline: str, strict: bool = False
) -> str:
    """``text`` with a new last member in the object at ``open_brace``, laid out like the others."""
    members, close = _members(text, open_brace, strict)
    name = dumps(key)
    one_line = not any(c in text for c in "\r\n")
    if not members and one_line:  # a minified file stays minified
        return f"{text[: open_brace + 1]}{name}: {dumps(value)}{text[close:]}"
    if members and not any(c in text[open_brace:close] for c in "\r\n"):  # inline: stay inline
        member = f"{name}: {dumps(value)}"
        last = members[-1]
        after = _skip(text, last.value_end)
        if text[after] == ",":
            return f"{text[: after + 1]} {member},{text[after + 1 :]}"
        return f"{text[: last.value_end]}, {member}{text[last.value_end :]}"
    object_indent = _indent_at(text, open_brace)
    step = _step(text, members, object_indent)
    indent = _indent_at(text, members[-1].key_start) if members else object_indent + step
    member = f"{indent}{name}: {_render(value, indent, step, newline)}"
    if not members:  # keep whatever is inside (comments), then our member on its own line
        head = text[:close].rstrip(" \t")
        head += "" if head.endswith(("\n", "\r")) else newline
        return f"{head}{member}{newline}{object_indent}{text[close:]}"
    last = members[-1]
    trailing_comma = text[_skip(text, last.value_end)] == ","
    if trailing_comma:  # the file ends members with commas: so does ours
        member += ","
    closing_line = _line_start(text, close)
    if text[closing_line:close].strip():  # "}" shares its line with content
        insert_at, piece = close, f"{newline}{member}{newline}{object_indent}"
    else:
        insert_at, piece = closing_line, f"{member}{newline}"
    text = text[:insert_at] + piece + text[insert_at:]
    if not trailing_comma:
        text = f"{text[: last.value_end]},{text[last.value_end :]}"
    return text


def _edit_span(
    body: str, keys: Sequence[str], entry: dict[str, Any], newline: str, strict: bool = False
) -> str:
    """``body`` with our entry put in place, everything else untouched (``strict``: ``body`` is
    plain JSON, walked with the standard library's scanner: any size)."""
    obj = _skip(body, 0)
    if body[obj] != "{":
        raise ValueError("not an object")
    path: list[str] = [*keys, SERVER_KEY]
    for depth, key in enumerate(path):
        members, _close = _members(body, obj, strict)
        found = [m for m in members if m.key == key]
        if not found:
            value: Any = entry
            for missing in reversed(path[depth + 1 :]):
                value = {missing: value}
            return _insert_member(body, obj, key, value, newline, strict)
        member = found[-1]  # JSON5 keeps the last of duplicate keys
        if depth == len(path) - 1:  # our entry: replace its value only
            inline = not any(c in body[obj:_close] for c in "\r\n")
            step = "" if inline else _step(body, members, _indent_at(body, obj))
            rendered = _render(entry, _indent_at(body, member.key_start), step, newline)
            return body[: member.value_start] + rendered + body[member.value_end :]
        obj = member.value_start
    raise AssertionError("unreachable")


def _too_deep(path: Path) -> InstallError:
    return InstallError(
        f"{path} is nested too deeply to be read; nothing was changed. Fix or move it, then run "
        "install again."
    )


def plan_config(
    client: str, path: Path, command: str, build: EntryBuilder | None = None, secret: str | None = None
) -> Change:
    """The config file as it would be after adding our entry (``build``: made from the previous
    one; by default the command entry). ``secret``: a value the entry holds, masked in diffs."""
    try:
        return _plan_config(client, path, command, build, secret)
    except RecursionError:  # parsing, copying or editing a config nested hundreds deep
        raise _too_deep(path) from None


def _plan_config(
    client: str, path: Path, command: str, build: EntryBuilder | None, secret: str | None
) -> Change:
    json5_ok = _accepts_json5(client)
    config = read_config(path, json5_ok)
    keys = _servers_keys(client)
    data = json.loads(json.dumps(config.data))  # a deep copy to change
    servers = _walk_to_servers(data, keys, path)
    previous = servers.get(SERVER_KEY)
    entry = build(previous) if build else merged_entry(previous, client, command)
    if previous == entry:
        return Change(path, config.text, config.text or "", entry=entry, secret=secret)  # nothing to do
    servers[SERVER_KEY] = entry
    if config.text is None or not config.body.strip():
        try:
            text = dumps(data, indent="  ") + "\n"
        except ValueError:
            raise CantKeepConfig(path) from None
        return Change(path, config.text, text, entry=entry, secret=secret)
    newline = "\r\n" if "\r\n" in config.body else "\n"
    note = ""
    try:  # plain JSON is walked by the standard library's scanner, JSON5 (<= 1 MB) by json5's
        body = _edit_span(config.body, keys, entry, newline, strict=config.plain)
        ok = _same(json.loads(body) if config.plain else json5.loads(body), data)
    except (ValueError, IndexError):
        ok = False
    if not ok:  # should not happen; a whole, valid file beats a clever broken one
        body = _rewrite_whole(path, config, data, newline)
        note = f"{path}: its layout couldn't be kept, so it was rewritten (backup kept)."
    return Change(
        path, config.text, (BOM if config.bom else "") + body, entry=entry, note=note, secret=secret
    )


class CantKeepConfig(InstallError):
    """The config can't be updated without changing parts of it that aren't ours."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path} can't be updated without rewriting numbers or text in it that aren't ours; "
            f"nothing was changed. Add the {SERVER_KEY} entry by hand (see the README), then restart "
            "the client."
        )


def _same(a: Any, b: Any) -> bool:
    """Equal data (a NaN equals itself here: the parse of the same text)."""
    return bool(a == b) or json.dumps(a) == json.dumps(b)


def _spelled_alike(body: str, plain: bool) -> bool:
    """Whether writing ``body``'s data back would spell every number as ``body`` does."""
    same = True

    def number(text: str, value: Any) -> Any:
        nonlocal same
        try:
            same = same and json.dumps(value, allow_nan=False) == text
        except ValueError:  # beyond a double's range (1e400)
            same = False
        return value

    def constant(name: str) -> float:
        nonlocal same
        same = False  # Infinity, NaN: no strict JSON host reads them
        return float(name)

    hooks: dict[str, Any] = {
        "parse_float": lambda t: number(t, float(t)),
        "parse_int": lambda t, base=10: number(t if base == 10 else "", int(t, base)),  # json5: hex
        "parse_constant": constant,
    }
    (json.loads if plain else json5.loads)(body, **hooks)
    return same


def _rewrite_whole(path: Path, config: Config, data: dict[str, Any], newline: str) -> str:
    """``data`` as a whole new file, only when that changes nothing but the layout (and JSON5
    comments): never a number respelled or a value JSON can't hold."""
    try:
        if not _spelled_alike(config.body, config.plain):
            raise CantKeepConfig(path)
        return dumps(data, indent="  ") + newline
    except ValueError:  # a RecursionError goes on: "nested too deeply"
        raise CantKeepConfig(path) from None


# --- the OpenClaw skill -------------------------------------------------------------------------


def plan_skill(home: Path, env: Mapping[str, str], profile: str | None = None) -> Change:
    """OpenClaw also reads the skill text from its managed skills folder."""
    path = openclaw_state_dir(home, env, profile) / "skills" / SERVER_KEY / "SKILL.md"
    text = skill_text()
    raw = read_regular(path)
    before = None if raw is None else raw.decode("utf-8", "replace")
    return Change(path, before, text, new_mode=0o644)


def skill_text() -> str:
    """SKILL.md: packaged in the wheel, or at the root of a source (editable) checkout."""
    packaged = resources.files("ai_video_music").joinpath("SKILL.md")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[2] / "SKILL.md").read_text(encoding="utf-8")


# --- writing ------------------------------------------------------------------------------------


def _disk_full(err: OSError, path: Path) -> InstallError | None:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return InstallError(
            f"the disk holding {path} is full; nothing was changed. Free some space, then run install again."
        )
    return None


MAX_BACKUPS_PER_SECOND = 100


def backup(path: Path) -> Path | None:
    """A copy of ``path``'s content next to it, complete or absent (written atomically), under
    a name no other file has: an earlier backup is never overwritten."""
    raw = read_regular(path)  # follows a symlink: the backup holds the content
    if raw is None:
        return None
    stamp = f"{path.name}.bak-{time.strftime('%Y%m%d-%H%M%S')}"
    # Two installs in the same second (a plain one, then --http) must not share a name: the
    # second backup would replace the first, the only copy of the user's own original.
    for n in range(1, MAX_BACKUPS_PER_SECOND + 1):
        copy = path.with_name(stamp if n == 1 else f"{stamp}-{n}")
        try:
            # 0600 whatever the original's mode: a config may hold a token in its env block, and
            # a backup is read by no host. A full disk leaves no cut-off backup behind.
            atomic_write_bytes(copy, raw, mode=0o600, exclusive=True)
            break
        except FileExistsError:
            continue
        except OSError as err:
            raise _disk_full(err, path) or err from None
    else:
        raise InstallError(f"{path}: too many backups made this second; nothing was changed, try again.")
    with contextlib.suppress(OSError):
        times = os.stat(path)  # the original's times, for "which backup is which" (not its mode)
        os.utime(copy, ns=(times.st_atime_ns, times.st_mtime_ns))
    return copy


def apply(change: Change) -> Path | None:
    """Write one change; returns the backup's path when an existing file was replaced.

    A file that now holds a secret loses any group or other permission. If the new file
    can't be written (a full disk), the backup just made is removed: nothing changed.
    """
    if not change.changed:
        return None
    target = Path(os.path.realpath(change.path))  # write through a symlink (dotfiles)
    mode = change.new_mode
    saved = None
    if change.before is not None:
        mode = target.stat().st_mode & 0o777
        saved = backup(change.path)
    if change.private:
        mode &= 0o700
    try:
        content = change.after.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: dumps() escapes them, so never expected
        raise CantKeepConfig(change.path) from None
    try:
        atomic_write_bytes(target, content, mode=mode)
    except OSError as err:
        if saved is not None:
            with contextlib.suppress(OSError):
                saved.unlink()
        raise _disk_full(err, change.path) or err from None
    return saved


# --- which command to register ------------------------------------------------------------------


def our_command(which: Which = shutil.which) -> str:
    """An absolute path to our console script: GUI clients often start with a minimal PATH."""
    here = Path(sys.argv[0])
    if here.stem in OUR_COMMANDS and here.exists():
        return str(here.resolve())
    beside = Path(sys.executable).parent  # `python -m ai_video_music` from a venv
    for name in OUR_COMMANDS:
        for candidate in (beside / name, beside / f"{name}.exe"):
            if candidate.is_file():
                return str(candidate.resolve())
    found = which("ai-video-music")
    return str(Path(found).resolve()) if found else "ai-video-music"


def _cache_roots(home: Path, env: Mapping[str, str]) -> list[tuple[str, Path, str]]:
    """(tool, cache folder, the command that empties it) for the package managers we know."""
    cache = _env_path(env, "XDG_CACHE_HOME") or home / ".cache"
    local = _env_path(env, "LOCALAPPDATA") or home / "AppData" / "Local"
    mac = home / "Library" / "Caches"
    pipx_home = _env_path(env, "PIPX_HOME") or home / ".local" / "pipx"
    roots: list[tuple[str, Path | None, str]] = [
        ("uv", _env_path(env, "UV_CACHE_DIR"), "uv cache clean"),
        ("uv", cache / "uv", "uv cache clean"),
        ("uv", mac / "uv", "uv cache clean"),
        ("uv", local / "uv" / "cache", "uv cache clean"),
        ("pip", _env_path(env, "PIP_CACHE_DIR"), "pip cache purge"),
        ("pip", cache / "pip", "pip cache purge"),
        ("pip", mac / "pip", "pip cache purge"),
        ("pip", local / "pip" / "cache", "pip cache purge"),
        ("pipx", pipx_home / ".cache", "pipx run's cleanup"),
        ("pipx", cache / "pipx", "pipx run's cleanup"),
        ("pipx", mac / "pipx", "pipx run's cleanup"),
        ("npm", _env_path(env, "npm_config_cache"), "npm cache clean"),
        ("npm", home / ".npm", "npm cache clean"),
        ("npm", local / "npm-cache", "npm cache clean"),
    ]
    return [(tool, root, clean) for tool, root, clean in roots if root is not None]


def check_not_in_cache(command: str, client: str, home: Path, env: Mapping[str, str]) -> None:
    """Refuse a command that lives in a package manager's cache: it vanishes on the next prune."""
    path = Path(command)
    if not path.is_absolute():
        return
    real = Path(os.path.realpath(path))
    for tool, root, clean in _cache_roots(home, env):
        for candidate in {root, Path(os.path.realpath(root))}:
            if real.is_relative_to(candidate) or path.is_relative_to(candidate):
                raise InstallError(
                    f"{command} is inside {tool}'s cache ({candidate}), which `{clean}` deletes, and "
                    f"{client} would then fail to start the server. Nothing was changed. Install the "
                    f"command for good first, e.g. `uv tool install {DIST_NAME}` (or `uv tool install "
                    f"<the source you ran it from>`, or `pipx install ...`), then run "
                    f"`ai-video-music install --client {client}` from that install."
                )


# --- the hosts' own commands ----------------------------------------------------------------------


def _run(argv: Sequence[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - argv is a host CLI found on PATH plus our own JSON
        list(argv),
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=HOST_CLI_TIMEOUT,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def _host_commands(client: str, exe: str, entry: dict[str, Any], existed: bool) -> list[list[str]] | None:
    try:
        payload = dumps(entry)
    except ValueError:  # a number JSON can't spell: the file is edited instead
        return None
    if client == "claude-code":
        add = [exe, "mcp", "add-json", "--scope", "user", SERVER_KEY, payload]
        # add-json refuses a name that exists; remove first to replace it.
        return [[exe, "mcp", "remove", "--scope", "user", SERVER_KEY], add] if existed else [add]
    if client == "openclaw":
        return [[exe, "mcp", "set", SERVER_KEY, payload]]
    return None


def argv_safe(entry: Mapping[str, Any]) -> bool:
    """Whether ``entry`` may go on a command line (and its file keep its mode): only the command,
    its args, type, folder and timeout, and our settings that are no secret. Anything else (a
    token in ``env``, a header, a key we don't know) may be one: the file is written instead, 0600."""
    env = entry.get("env", {})
    return (
        set(entry) <= set(ARGV_SAFE_KEYS)
        and isinstance(env, dict)
        and set(env) <= set(ARGV_SAFE_ENV)
        and all(isinstance(v, str) for v in env.values())
    )


def _host_cli_keeps_everything(client: str, change: Change) -> bool:
    """OpenClaw's own writer replaces a symlink with a file and strips JSON5 comments."""
    if client != "openclaw" or change.before is None:
        return True
    if change.path.is_symlink():
        return False
    try:
        json.loads(change.before.removeprefix(BOM))
    except ValueError:
        return False  # JSON5 features (comments, trailing commas...) we keep and it wouldn't
    return not change.before.startswith(BOM)


def _via_host_cli(
    client: str, change: Change, env: Mapping[str, str], which: Which, run: Runner
) -> str | None:
    """Register through the host's CLI; the line to show, or None to edit the file instead."""
    exe = which({"claude-code": "claude", "openclaw": "openclaw"}.get(client, ""))
    if not exe or change.entry is None or not _host_cli_keeps_everything(client, change):
        return None
    if not argv_safe(change.entry):  # may hold a secret: the file is written (0600) instead
        return None
    existed = change.before is not None and _existing_entry(client, change) is not None
    commands = _host_commands(client, exe, change.entry, existed)
    if commands is None:
        return None
    saved = backup(change.path)
    name = Path(exe).name
    for argv in commands:
        try:
            done = run(argv, env)
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"`{name} {' '.join(argv[1:3])}` failed ({err}); editing {change.path} instead."
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).strip().splitlines()
            return f"`{name} {' '.join(argv[1:3])}` failed ({reason[-1] if reason else done.returncode})" + (
                f"; editing {change.path} instead."
            )
    if _existing_entry(client, change) != change.entry:  # it wrote to another file than ours
        return f"`{name} mcp` didn't update {change.path}; editing it instead."
    return f"{change.path}: updated with `{name} {' '.join(commands[-1][1:3])}`" + (
        f" (backup: {saved.name})" if saved else ""
    )


def _existing_entry(client: str, change: Change) -> object:
    try:
        config = read_config(change.path, _accepts_json5(client))
    except InstallError:
        return None
    node: object = config.data
    for key in (*_servers_keys(client), SERVER_KEY):
        node = node.get(key) if isinstance(node, dict) else None
    return node


# --- the command ----------------------------------------------------------------------------------


def install(
    client: str,
    *,
    dry_run: bool = False,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    command: str | None = None,
    profile: str | None = None,
    which: Which | None = None,
    run: Runner = _run,
) -> list[str]:
    """Install for ``client``; returns the lines to show the user.

    ``which`` and ``run`` find and run the host's own CLI (by default: on ``env``'s PATH);
    tests pass fakes.
    """
    home = home or Path.home()
    env = os.environ if env is None else env
    search = env.get("PATH", "")
    which = which or (lambda name: shutil.which(name, path=search) if search else None)
    if client not in CLIENTS:
        raise InstallError(f"Unknown client {client!r}; choose one of: {', '.join(CLIENTS)}.")
    command = command or our_command(which)
    check_not_in_cache(command, client, home, env)
    change = plan_config(client, config_path(client, home, env, profile=profile), command)
    changes = [change]
    if client == "openclaw":
        changes.append(plan_skill(home, env, profile))
    # The host's CLI must edit the very file we planned: same home, same profile.
    host_env = {**env, "HOME": str(home), **({"OPENCLAW_PROFILE": profile} if profile else {})}
    lines: list[str] = []
    for item in changes:
        if not item.changed:
            lines.append(f"{item.path}: already up to date, nothing changed.")
            continue
        if dry_run:
            lines.append(item.diff() or f"{item.path}: would be created.")
            continue
        via_cli = _via_host_cli(client, item, host_env, which, run) if item is change else None
        if via_cli and "instead" not in via_cli:
            lines.append(via_cli)
            continue
        if via_cli:  # the host's CLI failed: fall back to the file, re-read as it is now
            lines.append(via_cli)
            item = plan_config(client, item.path, command)
            if not item.changed:
                continue
        saved = apply(item)
        lines.append(f"{item.path}: updated" + (f" (backup: {saved.name})" if saved else " (created)"))
        if item.note:
            lines.append(item.note)
    if not dry_run and any(c.changed for c in changes):
        lines.append(f"Restart {client} to see the tools generate, upload, status, credits and export.")
    return lines
