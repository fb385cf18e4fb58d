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
from pathlib import Path

from .fsutil import private_dir, temp_sibling

log = logging.getLogger(__name__)

SECRET_FILE = "http-secret"  # noqa: S105 - a file name, not a secret
SECRET_BYTES = 32  # 256 bits: guessing over HTTP is hopeless
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class SecretFileError(Exception):
    """The secret file exists but can't be trusted or read (a link, someone else's, empty)."""


def secret_path(home: Path) -> Path:
    return home / SECRET_FILE


def _read(path: Path) -> str:
    """The secret in ``path``, tightened to 0600 if it was wider; FileNotFoundError if absent."""
    # O_NOFOLLOW: a planted link to another file is refused instead of read or chmod-ed.
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
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise SecretFileError(f"{path} belongs to another user")
        if info.st_mode & 0o077 and hasattr(os, "fchmod"):
            # Whatever made it wider (a copy, a umask), only its owner reads it from now on.
            os.fchmod(fh.fileno(), 0o600)
            log.warning("%s was readable by other users; it is now private (0600)", path)
        value = fh.read(1024).decode("ascii", "replace").strip()
    if len(value) < 16:
        raise SecretFileError(f"{path} holds no usable secret")
    return value


def read_secret(home: Path) -> str | None:
    """The secret, or None when ``serve --http`` has never run with this NEMO_HOME."""
    try:
        return _read(secret_path(home))
    except FileNotFoundError:
        return None


def ensure_secret(home: Path) -> str:
    """The secret, created on first use (0600 from its first byte, never replacing one)."""
    path = secret_path(home)
    existing = read_secret(home)
    if existing is not None:
        return existing
    private_dir(home)
    value = secrets.token_urlsafe(SECRET_BYTES)
    tmp = temp_sibling(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(value.encode("ascii") + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        try:
            # A link, not a rename: two servers starting at once keep one secret, the first.
            os.link(tmp, path)
        except FileExistsError:
            return _read(path)
        except OSError:  # a filesystem without hard links: a rename still never shows half a file
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return value
