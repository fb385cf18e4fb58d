"""The bearer secret of ``serve --http``: random, in NEMO_HOME, readable by the local user only.

Loopback alone doesn't make a port private: every local account and (after DNS rebinding) any
web page can reach it. The secret is what only the user who runs the server can read, so a
request that carries it comes from that user (their MCP client, configured by ``install``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from .fsutil import private_dir, temp_sibling

log = logging.getLogger(__name__)

SECRET_FILE = "http-secret"  # noqa: S105 - a file name, not a secret
SECRET_BYTES = 32  # 256 bits: guessing over HTTP is hopeless
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class SecretFileError(Exception):
    """The secret file can't be used or replaced (a link, unreadable, in someone else's folder)."""


class _Exposed(Exception):
    """The secret file others may have read or planted: ``old`` is the value it held, if any."""

    def __init__(self, why: str, old: str | None) -> None:
        super().__init__(why)
        self.why = why
        self.old = old


#: Told what an exposed secret was and what replaced it; returns the host configs it updated.
OnReplaced = Callable[[str | None, str], list[Path]]


def secret_path(home: Path) -> Path:
    return home / SECRET_FILE


def _usable(raw: bytes) -> str | None:
    value = raw.decode("ascii", "replace").strip()
    return value if len(value) >= 16 else None


def _read(path: Path) -> str:
    """The secret in ``path``; FileNotFoundError if absent, :class:`_Exposed` if another account
    may know it (its mode lets others read it, or it is someone else's file)."""
    # O_NOFOLLOW: a planted link to another file is refused instead of read.
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise SecretFileError(f"{path}: {err.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SecretFileError(f"{path} is not a regular file")
        value = _usable(fh.read(1024))
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise _Exposed("someone else's file", value)
    if info.st_mode & 0o077 and hasattr(os, "fchmod"):
        # Tightening it now would not make another account forget what it read (a copy made
        # with cp -r, a backup, a umask of an old version): the value itself is spent.
        raise _Exposed(f"readable by other accounts (mode {stat.S_IMODE(info.st_mode):04o})", value)
    if value is None:
        raise SecretFileError(f"{path} holds no usable secret")
    return value


def _folder_exposed(home: Path) -> str | None:
    """Why other accounts could have swapped or planted files in ``home`` (None: they can't).
    A folder of ours that others may write loses that permission here: a new secret in it would
    otherwise be exposed again."""
    if not hasattr(os, "getuid"):
        return None  # Windows: the folder's ACL decides
    try:
        info = os.stat(home)
    except FileNotFoundError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    ours = info.st_uid == os.getuid()
    # A sticky folder (/tmp) lets no one else rename or delete our files; root can anyway.
    writable = bool(mode & 0o022) and not mode & stat.S_ISVTX
    if info.st_uid not in (os.getuid(), 0) or (writable and not ours):
        raise SecretFileError(f"{home} can be written by another account; choose a folder of your own")
    if not writable:
        return None
    os.chmod(home, mode & ~0o022)
    log.warning("%s could be written by other accounts (mode %04o); it no longer can", home, mode)
    return f"in a folder other accounts could write (mode {mode:04o})"


def _write_new(path: Path, *, replace: bool) -> str:
    """A new secret at ``path``, 0600 from its first byte. Without ``replace`` an existing one is
    kept (returned instead); with it, whatever is there is replaced whole."""
    value = secrets.token_urlsafe(SECRET_BYTES)
    tmp = temp_sibling(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(value.encode("ascii") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        if replace:
            os.replace(tmp, path)
            return value
        try:
            # A link, not a rename: two servers starting at once keep one secret, the first.
            os.link(tmp, path)
        except FileExistsError:
            try:
                return _read(path)
            except _Exposed as err:  # not the one the other server just made
                raise SecretFileError(f"{path} is {err.why}") from None
        except OSError:  # a filesystem without hard links: a rename still never shows half a file
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return value


def _load(home: Path, *, create: bool, on_replaced: OnReplaced | None) -> str | None:
    path = secret_path(home)
    try:
        value = _read(path)
    except FileNotFoundError:
        if not create:
            return None
        _folder_exposed(home)  # made private (or refused) before a secret goes in it
        private_dir(home)
        return _write_new(path, replace=False)
    except _Exposed as err:
        why, old = err.why, err.old
        _folder_exposed(home)
    else:
        folder = _folder_exposed(home)
        if folder is None:
            return value
        why, old = folder, value
    try:
        new = _write_new(path, replace=True)
    except OSError as err:
        raise SecretFileError(f"{path} was {why} and can't be replaced: {err.strerror}; remove it") from None
    updated = on_replaced(old, new) if on_replaced is not None else []
    # Never the secret, old or new: only where it was, why it is spent, and what to do.
    log.warning(
        "%s was %s: other accounts may know the secret in it, so it was replaced by a new one.%s "
        "A host still set up with the old one is refused until it is set up again: "
        "`ai-video-music install --client cursor --http` (or `--client claude-code`; add "
        "`--port N` if you chose a port), and a running `ai-video-music serve --http` restarted.",
        path,
        why,
        f" Updated with the new one: {', '.join(map(str, updated))}." if updated else "",
    )
    return new


def read_secret(home: Path, on_replaced: OnReplaced | None = None) -> str | None:
    """The secret, or None when ``serve --http`` has never run with this NEMO_HOME. One other
    accounts may know is replaced first (``on_replaced`` updates the hosts set up with it)."""
    return _load(home, create=False, on_replaced=on_replaced)


def ensure_secret(home: Path, on_replaced: OnReplaced | None = None) -> str:
    """The secret, created on first use (0600 from its first byte); one other accounts may know
    (readable by them, someone else's file, in a folder they can write) is replaced by a new one."""
    value = _load(home, create=True, on_replaced=on_replaced)
    assert value is not None
    return value
